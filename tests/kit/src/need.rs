//! Prerequisites of tests. Each answers "met" or "not met, because ...", once per test
//! binary (answers are cached by name), and only for tests that the command line selects.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};

type Probe = Arc<dyn Fn() -> Result<(), String> + Send + Sync>;

/// A prerequisite: a name (which also caches the answer) and a probe that says why it is
/// not met.
#[derive(Clone)]
pub struct Need {
    key: String,
    probe: Probe,
}

impl Need {
    /// A prerequisite of one's own. `key` names it uniquely (`"sysv-shm-minor-1"`); `probe`
    /// returns `Err(reason)` when it is not met, the reason completing "ignored, ...", e.g.
    /// `"needs SysV shm segments on device minor 1 (this machine: 3)"`.
    pub fn new(
        key: impl Into<String>,
        probe: impl Fn() -> Result<(), String> + Send + Sync + 'static,
    ) -> Need {
        Need {
            key: key.into(),
            probe: Arc::new(probe),
        }
    }

    /// Whether the prerequisite is met here; the reason when it is not.
    pub fn check(&self) -> Result<(), String> {
        static CACHE: OnceLock<Mutex<HashMap<String, Result<(), String>>>> = OnceLock::new();
        let cache = CACHE.get_or_init(Default::default);
        if let Some(r) = cache.lock().ok().and_then(|c| c.get(&self.key).cloned()) {
            return r;
        }
        let r = (self.probe)();
        if let Ok(mut c) = cache.lock() {
            c.insert(self.key.clone(), r.clone());
        }
        r
    }
}

/// Root (effective uid 0).
pub fn root() -> Need {
    Need::new("root", || root_for(""))
}

/// Ok as root, else "needs root{purpose} (running as uid N)".
fn root_for(purpose: &str) -> Result<(), String> {
    // SAFETY: geteuid has no preconditions.
    let uid = unsafe { libc::geteuid() };
    if uid == 0 {
        Ok(())
    } else {
        Err(format!("needs root{purpose} (running as uid {uid})"))
    }
}

/// Linux (the test reads /proc, uses Linux resource limits or procps-ng).
pub fn linux() -> Need {
    Need::new("linux", || {
        if cfg!(target_os = "linux") {
            Ok(())
        } else {
            Err(format!("needs Linux (this is {})", std::env::consts::OS))
        }
    })
}

/// An executable file at `path` (a tool the test runs by its full path).
pub fn exe(path: impl Into<String>) -> Need {
    let path = path.into();
    Need::new(format!("exe:{path}"), move || {
        if crate::is_executable(Path::new(&path)) {
            Ok(())
        } else {
            Err(format!("needs {path} (not installed)"))
        }
    })
}

/// A program `name` on PATH.
pub fn tool(name: impl Into<String>) -> Need {
    let name = name.into();
    Need::new(format!("tool:{name}"), move || {
        if crate::on_path(&name) {
            Ok(())
        } else {
            Err(format!("needs {name} on PATH (not installed)"))
        }
    })
}

/// A file or directory at `path` (a device, a mount point, a /proc or /sys entry).
pub fn path(path: impl Into<String>) -> Need {
    let path = path.into();
    Need::new(format!("path:{path}"), move || {
        if Path::new(&path).exists() {
            Ok(())
        } else {
            Err(format!("needs {path} (missing here)"))
        }
    })
}

/// `/dev/full`, open for writing (the write-error tests).
pub fn dev_full() -> Need {
    Need::new("dev-full", || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .map(drop)
            .map_err(|e| format!("needs /dev/full ({e})"))
    })
}

/// The procps-ng 4.0.x `TOOL` at /usr/bin/TOOL (the oracle the goldens were recorded with).
pub fn procps(tool: impl Into<String>) -> Need {
    let tool = tool.into();
    Need::new(format!("procps:{tool}"), move || {
        let path = format!("/usr/bin/{tool}");
        if !crate::is_executable(Path::new(&path)) {
            return Err(format!("needs {path} from procps-ng 4.0.x (not installed)"));
        }
        let o = Command::new(&path)
            .arg("-V")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("needs {path} from procps-ng 4.0.x ({e})"))?;
        let v = String::from_utf8_lossy(&o.stdout);
        if v.starts_with(&format!("{tool} from procps-ng 4.0.")) {
            Ok(())
        } else {
            Err(format!(
                "needs {path} from procps-ng 4.0.x (it says {:?})",
                v.trim()
            ))
        }
    })
}

/// Root and a private mount namespace (`unshare -m`), in which the procps-ng oracle sees a
/// damaged or frozen file bound over its /proc entry.
pub fn mount_namespace() -> Need {
    Need::new("mount-namespace", || {
        root_for(" for a private mount namespace")?;
        match Command::new("unshare")
            .args(["-m", "true"])
            .stdin(Stdio::null())
            .output()
        {
            Ok(o) if o.status.success() => Ok(()),
            Ok(o) => Err(format!(
                "needs a private mount namespace (unshare -m fails: {})",
                String::from_utf8_lossy(&o.stderr).trim()
            )),
            Err(e) => Err(format!(
                "needs a private mount namespace (unshare from util-linux: {e})"
            )),
        }
    })
}

/// Running programs as `nobody` (uid and gid 65534): root, setpriv, and a temporary
/// directory from which nobody can run a copied program (see [`crate::Nobody`]).
pub fn nobody() -> Need {
    Need::new("nobody", || {
        root_for(" to run programs as nobody")?;
        if !crate::on_path("setpriv") {
            return Err("needs setpriv (util-linux) to run as nobody (not installed)".into());
        }
        let Some(true_bin) = crate::find_on_path("true") else {
            return Err("needs a `true` program on PATH to probe running as nobody".into());
        };
        let n = crate::Nobody::with_binary(&true_bin)
            .map_err(|e| format!("needs a temporary directory that nobody can reach ({e})"))?;
        match n.command(n.exe()).stdin(Stdio::null()).output() {
            Ok(o) if o.status.success() => Ok(()),
            Ok(o) => Err(format!(
                "nobody cannot run a program copied to {} ({:?}: {})",
                n.dir().display(),
                o.status,
                String::from_utf8_lossy(&o.stderr).trim()
            )),
            Err(e) => Err(format!("cannot run setpriv: {e}")),
        }
    })
}

/// Pages of `bytes` bytes (goldens computed for 4096-byte pages).
pub fn page_size(bytes: i64) -> Need {
    Need::new(format!("page-size:{bytes}"), move || {
        let n = crate::system_page_size();
        if n == bytes {
            Ok(())
        } else {
            Err(format!("needs {bytes}-byte pages (this machine has {n})"))
        }
    })
}

/// A Python 3 module that `python3 -c 'import MODULE'` finds (for example psutil).
pub fn python_module(module: impl Into<String>) -> Need {
    let module = module.into();
    Need::new(format!("python:{module}"), move || {
        match Command::new("python3")
            .args(["-c", &format!("import {module}")])
            .stdin(Stdio::null())
            .output()
        {
            Ok(o) if o.status.success() => Ok(()),
            Ok(_) => Err(format!(
                "needs the Python module {module} (python3 -c 'import {module}' fails)"
            )),
            Err(e) => Err(format!("needs python3 with the module {module} ({e})")),
        }
    })
}
