//! Collecting processes and adding them up per process, per user and per mapping, with
//! smem 1.5's filters and skipping rules (docs/smem.md, "Which processes are shown"):
//!
//! 1. the command line is read (`?` when unreadable); an empty command is a kernel
//!    thread, left out;
//! 2. `-P` is searched in the process name (from `stat`) and in the command, `-U` in the
//!    user name (the number when unknown);
//! 3. smaps is read and parsed; an unreadable smaps skips the process in every view; a
//!    malformed one skips it in the process view and stops the user and map views (smem
//!    dies with a traceback there);
//! 4. a process without mappings is left out; one with mappings but no `Pss` line makes
//!    smem warn once (and sort by RSS by default);
//! 5. `-M` keeps the mappings whose name it finds; a process left without any is left out.

use crate::smaps::{self, MapRec, Smaps, SmapsError};
use memtools_platform::proctree::ProcSource;
use regex::Regex;
use std::collections::HashMap;

/// The three regular-expression filters.
#[derive(Default)]
pub struct Filters {
    pub process: Option<Regex>,
    pub map: Option<Regex>,
    pub user: Option<Regex>,
}

/// uid -> user name, as `pwd.getpwuid` answers from the passwd file.
pub struct Users(pub Vec<(u32, String)>);

impl Users {
    pub fn name(&self, uid: u32) -> String {
        match self.0.iter().find(|(u, _)| *u == uid) {
            Some((_, n)) => n.clone(),
            None => uid.to_string(),
        }
    }
}

/// Sums over a process's (filtered) mappings, in kB.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sums {
    pub maps: i128,
    pub pss: i128,
    pub rss: i128,
    pub uss: i128,
    pub swap: i128,
    pub vss: i128,
}

impl Sums {
    fn add(&mut self, m: &MapRec) {
        self.maps += 1;
        self.pss = self.pss.saturating_add(m.pss);
        self.rss = self.rss.saturating_add(m.rss);
        self.uss = self.uss.saturating_add(m.uss());
        self.swap = self.swap.saturating_add(m.swap);
        self.vss = self.vss.saturating_add(m.size);
    }
}

/// A process that passed every filter.
#[derive(Clone, Debug)]
pub struct Proc {
    pub pid: u64,
    pub uid: u32,
    pub command: String,
    pub sums: Sums,
}

/// What stops a view (where smem dies with a traceback).
#[derive(Debug, PartialEq, Eq)]
pub enum Fatal {
    /// A malformed smaps in the user or map view.
    Smaps { pid: u64, why: SmapsError },
}

/// What [`Collector::run`] hands out per process: the process, its mappings, the smaps
/// text they point into, and the indices of the mappings `-M` keeps.
pub type Each<'e> = dyn FnMut(&Proc, &Smaps, &str, &[usize]) + 'e;

/// Reads processes one by one. `file` is `smaps` (or `smaps_rollup` with `--fast`).
pub struct Collector<'a> {
    pub filters: &'a Filters,
    pub users: &'a Users,
    pub file: &'static str,
    /// Malformed smaps stop the run (user and map views) instead of skipping.
    pub strict: bool,
    /// Set when some process had mappings but no `Pss` line.
    pub no_pss: bool,
    buf: Vec<u8>,
    smaps: Smaps,
}

impl<'a> Collector<'a> {
    pub fn new(filters: &'a Filters, users: &'a Users, file: &'static str, strict: bool) -> Self {
        Collector {
            filters,
            users,
            file,
            strict,
            no_pss: false,
            buf: Vec::new(),
            smaps: Smaps::default(),
        }
    }

    /// One process: `None` when it is left out; on `Some`, `self.smaps` holds its
    /// mappings (text in `self.buf`) and `kept` the ones `-M` keeps. Sets `pss_missing`
    /// when it has mappings but no `Pss` line.
    fn step(
        &mut self,
        src: &mut dyn ProcSource,
        pid: u64,
        kept: &mut Vec<usize>,
        pss_missing: &mut bool,
    ) -> Result<Option<Proc>, Fatal> {
        let command = match src.read(pid, "cmdline", &mut self.buf) {
            Ok(()) => crate::procfiles::command(Some(&self.buf)),
            Err(_) => crate::procfiles::command(None),
        };
        if command.is_empty() {
            return Ok(None);
        }
        if let Some(re) = &self.filters.process {
            // smem searches the process name (from stat) and the command line.
            let name = match src.read(pid, "stat", &mut self.buf) {
                Ok(()) => crate::procfiles::stat_name(Some(&self.buf)),
                Err(_) => crate::procfiles::stat_name(None),
            };
            if !re.is_match(&name) && !re.is_match(&command) {
                return Ok(None);
            }
        }
        let Ok(uid) = src.owner(pid) else {
            return Ok(None);
        };
        if let Some(re) = &self.filters.user {
            if !re.is_match(&self.users.name(uid)) {
                return Ok(None);
            }
        }
        if src.read(pid, self.file, &mut self.buf).is_err() {
            return Ok(None);
        }
        let text = match smaps::parse(&self.buf, &mut self.smaps) {
            Ok(t) => t,
            Err(why) if self.strict => return Err(Fatal::Smaps { pid, why }),
            Err(_) => return Ok(None),
        };
        if self.smaps.maps.is_empty() {
            return Ok(None);
        }
        *pss_missing = !self.smaps.has_pss;
        kept.clear();
        let mut sums = Sums::default();
        for (i, m) in self.smaps.maps.iter().enumerate() {
            if let Some(re) = &self.filters.map {
                if !re.is_match(self.smaps.name(text, m)) {
                    continue;
                }
            }
            kept.push(i);
            sums.add(m);
        }
        if kept.is_empty() {
            return Ok(None);
        }
        Ok(Some(Proc {
            pid,
            uid,
            command,
            sums,
        }))
    }

    /// smem's warning, once per run.
    fn warn_no_pss(&mut self) {
        if !self.no_pss {
            self.no_pss = true;
            memtools_core::out::eprintln_raw(
                "warning: kernel does not appear to support PSS measurement",
            );
        }
    }

    /// Calls `each(proc, smaps, text, kept)` for every shown process, where `kept` are the
    /// mappings `-M` keeps (all without `-M`).
    pub fn run(
        &mut self,
        src: &mut dyn ProcSource,
        pids: &[u64],
        each: &mut Each,
    ) -> Result<(), Fatal> {
        let mut kept: Vec<usize> = Vec::new();
        for &pid in pids {
            let mut pss_missing = false;
            let step = self.step(src, pid, &mut kept, &mut pss_missing);
            if pss_missing {
                self.warn_no_pss();
            }
            if let Some(p) = step? {
                let text = std::str::from_utf8(&self.buf).unwrap_or("");
                each(&p, &self.smaps, text, &kept);
            }
        }
        Ok(())
    }

    /// The shown processes, read by `threads` threads (each with its own reader of the
    /// tree), in `pids` order. Reading smaps is the kernel's work, so a second core almost
    /// halves the time.
    pub fn procs(
        &mut self,
        tree: &dyn ProcSource,
        pids: &[u64],
        threads: usize,
    ) -> Result<Vec<Proc>, Fatal> {
        type Slot = (Result<Option<Proc>, Fatal>, bool);
        let next = std::sync::atomic::AtomicUsize::new(0);
        let (filters, users, file, strict) = (self.filters, self.users, self.file, self.strict);
        let worker = |mut src: Box<dyn ProcSource>| {
            let mut c = Collector::new(filters, users, file, strict);
            let mut kept = Vec::new();
            let mut done: Vec<(usize, Slot)> = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(&pid) = pids.get(i) else { break };
                let mut pss_missing = false;
                let r = c.step(src.as_mut(), pid, &mut kept, &mut pss_missing);
                done.push((i, (r, pss_missing)));
            }
            done
        };
        let mut all: Vec<(usize, Slot)> = if threads > 1 && pids.len() > 1 {
            let readers: Vec<Box<dyn ProcSource>> = (0..threads).map(|_| tree.another()).collect();
            std::thread::scope(|s| {
                let worker = &worker;
                let handles: Vec<_> = readers
                    .into_iter()
                    .map(|r| s.spawn(move || worker(r)))
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                    .collect()
            })
        } else {
            worker(tree.another())
        };
        all.sort_by_key(|(i, _)| *i);
        let mut out = Vec::new();
        for (_, (r, pss_missing)) in all {
            if pss_missing {
                self.warn_no_pss();
            }
            if let Some(p) = r? {
                out.push(p);
            }
        }
        Ok(out)
    }
}

/// The process view's rows: one per PID (a PID listed twice, as `012` and `12` in a
/// snapshot, is one row, as in smem's dictionary).
pub fn by_process(procs: Vec<Proc>) -> Vec<Proc> {
    let mut out: Vec<Proc> = Vec::new();
    let mut index: HashMap<u64, usize> = HashMap::new();
    for p in procs {
        match index.get(&p.pid) {
            Some(&i) => out[i] = p,
            None => {
                index.insert(p.pid, out.len());
                out.push(p);
            }
        }
    }
    out
}

/// A user view row's key: the name (or the number when unknown), or the uid with `-n`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum UserKey {
    Name(String),
    Uid(u32),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserRow {
    pub count: i128,
    pub sums: Sums,
}

/// The user view: processes added up per user (each listed PID counts).
pub fn by_user(procs: &[Proc], users: &Users, numeric: bool) -> Vec<(UserKey, UserRow)> {
    let mut out: Vec<(UserKey, UserRow)> = Vec::new();
    let mut index: HashMap<u32, usize> = HashMap::new();
    for p in procs {
        let i = *index.entry(p.uid).or_insert_with(|| {
            let key = if numeric {
                UserKey::Uid(p.uid)
            } else {
                UserKey::Name(users.name(p.uid))
            };
            // Two uids with one name share a row, as smem's dictionary keyed by name.
            match out.iter().position(|(k, _)| *k == key) {
                Some(i) => i,
                None => {
                    out.push((key, UserRow::default()));
                    out.len() - 1
                }
            }
        });
        let row = &mut out[i].1;
        row.count += 1;
        let s = &mut row.sums;
        s.maps += p.sums.maps;
        s.pss = s.pss.saturating_add(p.sums.pss);
        s.rss = s.rss.saturating_add(p.sums.rss);
        s.uss = s.uss.saturating_add(p.sums.uss);
        s.swap = s.swap.saturating_add(p.sums.swap);
        s.vss = s.vss.saturating_add(p.sums.vss);
    }
    out
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MapRow {
    /// Mappings of this name.
    pub count: i128,
    /// Listed processes that have one.
    pub pids: i128,
    pub sums: Sums,
    last_proc: usize,
}

/// The map view: mappings added up per name.
pub fn by_map(
    c: &mut Collector,
    src: &mut dyn ProcSource,
    pids: &[u64],
) -> Result<Vec<(String, MapRow)>, Fatal> {
    let mut out: Vec<(String, MapRow)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut nproc = 0usize;
    c.run(src, pids, &mut |_, sm, text, kept| {
        nproc += 1;
        for &k in kept {
            let m = &sm.maps[k];
            let name = sm.name(text, m);
            let i = match index.get(name) {
                Some(&i) => i,
                None => {
                    index.insert(name.to_string(), out.len());
                    out.push((name.to_string(), MapRow::default()));
                    out.len() - 1
                }
            };
            let row = &mut out[i].1;
            row.count += 1;
            if row.last_proc != nproc {
                row.last_proc = nproc;
                row.pids += 1;
            }
            row.sums.add(m);
        }
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An in-memory process table.
    #[derive(Clone)]
    struct Mem(Vec<(u64, u32, Vec<u8>, Vec<u8>)>);

    impl ProcSource for Mem {
        fn pids(&mut self) -> std::io::Result<Vec<u64>> {
            Ok(self.0.iter().map(|p| p.0).collect())
        }
        fn read(&mut self, pid: u64, name: &str, buf: &mut Vec<u8>) -> std::io::Result<()> {
            let p = self
                .0
                .iter()
                .find(|p| p.0 == pid)
                .ok_or(std::io::ErrorKind::NotFound)?;
            buf.clear();
            buf.extend_from_slice(if name == "cmdline" { &p.2 } else { &p.3 });
            Ok(())
        }
        fn read_top(&mut self, _name: &str, _buf: &mut Vec<u8>) -> std::io::Result<()> {
            Err(std::io::ErrorKind::NotFound.into())
        }
        fn owner(&mut self, pid: u64) -> std::io::Result<u32> {
            Ok(self.0.iter().find(|p| p.0 == pid).map_or(0, |p| p.1))
        }
        fn another(&self) -> Box<dyn ProcSource> {
            Box::new(self.clone())
        }
    }

    fn table() -> Mem {
        let sm = |pss: u32, name: &str| {
            format!(
                "10-20 r-xp 0 08:01 1 {name}\nPss: {pss} kB\nRss: {} kB\n",
                pss * 2
            )
            .into_bytes()
        };
        Mem(vec![
            (1, 0, b"init\0".to_vec(), sm(5, "/lib/a")),
            (2, 0, b"".to_vec(), sm(7, "/lib/a")),
            (3, 1000, b"bash\0-i\0".to_vec(), sm(9, "/lib/b")),
            (4, 1000, b"bad\0".to_vec(), b"zz-1 r 0 0 0\n".to_vec()),
            (5, 0, b"empty\0".to_vec(), Vec::new()),
        ])
    }

    #[test]
    fn views_add_up() {
        let filters = Filters::default();
        let u = Users(vec![(0, "root".into())]);
        let mut src = table();
        let pids = src.pids().unwrap();
        for threads in [1, 2] {
            let mut c = Collector::new(&filters, &u, "smaps", false);
            let ps = by_process(c.procs(&src, &pids, threads).unwrap());
            assert_eq!(ps.iter().map(|p| p.pid).collect::<Vec<_>>(), [1, 3]);
            assert_eq!(ps[1].command, "bash -i");
            let mut strict = Collector::new(&filters, &u, "smaps", true);
            assert!(matches!(
                strict.procs(&src, &pids, threads),
                Err(Fatal::Smaps { pid: 4, .. })
            ));
        }
        let mut strict = Collector::new(&filters, &u, "smaps", true);
        let ok: Vec<u64> = vec![1, 3, 1];
        let procs = strict.procs(&src, &ok, 2).unwrap();
        let us = by_user(&procs, &u, false);
        assert_eq!(us[0].0, UserKey::Name("root".into()));
        assert_eq!((us[0].1.count, us[0].1.sums.pss), (2, 10));
        assert_eq!(us[1].0, UserKey::Name("1000".into()));
        let ms = by_map(&mut strict, &mut src, &ok).unwrap();
        assert_eq!(ms[0].0, "/lib/a");
        assert_eq!((ms[0].1.count, ms[0].1.pids, ms[0].1.sums.rss), (2, 2, 20));
    }
}
