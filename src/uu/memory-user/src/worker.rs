//! One streaming thread: passes over its own slice of the mapping until told to stop.

use crate::args::Touch;
use crate::fill::{fill_words, pattern, touch_pages};
use memtools_platform::memory::prefault;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Bytes written between two looks at the stop flag and the counters (~0.1 ms of work).
const CHUNK_BYTES: usize = 2 << 20;
/// Bytes faulted in ahead of the first pass in one system call.
const PREFAULT_BYTES: usize = 64 << 20;
/// How long a worker that has caught up with its ramp (or finished its `--hold` touch)
/// waits before it looks again.
const IDLE: Duration = Duration::from_millis(5);

/// Not yet recorded.
pub const NOT_YET: u64 = u64::MAX;

/// What a worker publishes for the reporter. Aligned to its own cache line so that two
/// workers' counters do not share one.
#[repr(align(128))]
pub struct Stats {
    /// Bytes of the slice swept so far, summed over passes.
    pub bytes: AtomicU64,
    /// Nanoseconds from the start until the whole slice had been written once.
    pub first_pass_ns: AtomicU64,
}

impl Stats {
    pub fn new() -> Stats {
        Stats {
            bytes: AtomicU64::new(0),
            first_pass_ns: AtomicU64::new(NOT_YET),
        }
    }
}

impl Default for Stats {
    fn default() -> Self {
        Stats::new()
    }
}

/// How every worker runs.
#[derive(Clone, Copy, Debug)]
pub struct Config {
    pub touch: Touch,
    /// Write the slice once, then stop streaming (the memory stays resident).
    pub hold: bool,
    /// Grow the part of the slice in use from nothing to all of it over this time.
    pub ramp: Option<Duration>,
    pub start: Instant,
    /// Words per page.
    pub page_words: usize,
}

impl Config {
    /// How many words of a `len`-word slice are in use `elapsed` after the start: whole
    /// pages, growing linearly over the ramp.
    pub fn active_words(&self, len: usize, elapsed: Duration) -> usize {
        let Some(ramp) = self.ramp else {
            return len;
        };
        let frac = elapsed.as_secs_f64() / ramp.as_secs_f64();
        if frac >= 1.0 {
            return len;
        }
        let pw = self.page_words.max(1);
        let words = (len as f64 * frac) as usize;
        (words / pw * pw).min(len)
    }
}

/// Streams over `words` until `stop` is set or `tick` returns true (or, with `hold`, until
/// the slice has been written once). `tick` is called after every chunk and every idle wait:
/// it lets a single thread stream and report.
pub fn run(
    words: &mut [u64],
    cfg: &Config,
    stats: &Stats,
    stop: &AtomicBool,
    tick: &mut dyn FnMut() -> bool,
) {
    let len = words.len();
    let chunk = (CHUNK_BYTES / 8).max(cfg.page_words);
    let prefault_words = PREFAULT_BYTES / 8;
    let mut pos = 0usize;
    let mut pass = 0u64;
    // Words below this have been faulted in (or written) already.
    let mut faulted = 0usize;
    let mut can_prefault = true;
    let mut first_done = false;
    while !stop.load(Ordering::Relaxed) && !tick() {
        let active = cfg.active_words(len, cfg.start.elapsed());
        if cfg.hold && pos >= len {
            break;
        }
        if pos >= active {
            if cfg.hold || active < cfg.page_words.min(len) {
                // Caught up with the ramp: wait for it to grow.
                std::thread::sleep(IDLE);
                continue;
            }
            pos = 0;
            pass += 1;
        }
        let end = (pos + chunk).min(active);
        if can_prefault && end > faulted {
            let upto = (faulted + prefault_words).min(active).max(end);
            can_prefault = prefault(&mut words[faulted..upto]);
            faulted = upto;
        }
        let value = pattern(pass);
        match cfg.touch {
            Touch::Word => fill_words(&mut words[pos..end], value),
            Touch::Page => touch_pages(&mut words[pos..end], cfg.page_words, value),
        }
        stats
            .bytes
            .fetch_add(((end - pos) * 8) as u64, Ordering::Relaxed);
        pos = end;
        if !first_done && pos >= len {
            first_done = true;
            let ns = u64::try_from(cfg.start.elapsed().as_nanos()).unwrap_or(NOT_YET - 1);
            stats.first_pass_ns.store(ns, Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(ramp: Option<Duration>, hold: bool) -> Config {
        Config {
            touch: Touch::Word,
            hold,
            ramp,
            start: Instant::now(),
            page_words: 512,
        }
    }

    #[test]
    fn ramp_grows_in_whole_pages() {
        let c = cfg(Some(Duration::from_secs(10)), false);
        let len = 512 * 100;
        assert_eq!(c.active_words(len, Duration::ZERO), 0);
        assert_eq!(c.active_words(len, Duration::from_secs(5)), len / 2);
        assert_eq!(c.active_words(len, Duration::from_millis(1234)), 512 * 12);
        assert_eq!(c.active_words(len, Duration::from_secs(10)), len);
        assert_eq!(c.active_words(len, Duration::from_secs(99)), len);
        assert_eq!(cfg(None, false).active_words(len, Duration::ZERO), len);
    }

    #[test]
    fn hold_writes_once_and_returns() {
        let mut buf = vec![0u64; 512 * 9];
        let stats = Stats::new();
        let stop = AtomicBool::new(false);
        run(&mut buf, &cfg(None, true), &stats, &stop, &mut || false);
        assert!(buf.iter().all(|&w| w == pattern(0)));
        assert_eq!(stats.bytes.load(Ordering::Relaxed), (buf.len() * 8) as u64);
        assert_ne!(stats.first_pass_ns.load(Ordering::Relaxed), NOT_YET);
    }

    #[test]
    fn streams_until_stopped() {
        let mut buf = vec![0u64; 512 * 4];
        let stats = Stats::new();
        let stop = AtomicBool::new(false);
        std::thread::scope(|s| {
            s.spawn(|| run(&mut buf, &cfg(None, false), &stats, &stop, &mut || false));
            while stats.bytes.load(Ordering::Relaxed) < 3 * 512 * 4 * 8 {
                std::thread::yield_now();
            }
            stop.store(true, Ordering::Relaxed);
        });
        assert!(stats.bytes.load(Ordering::Relaxed) >= 3 * 512 * 4 * 8);
        let v = buf[0];
        assert!(buf.iter().all(|&w| w == v), "one pass's value everywhere");
    }

    #[test]
    fn tick_stops_it() {
        let mut buf = vec![0u64; 512 * 4];
        let stats = Stats::new();
        let stop = AtomicBool::new(false);
        let mut ticks = 0;
        run(&mut buf, &cfg(None, false), &stats, &stop, &mut || {
            ticks += 1;
            ticks > 10
        });
        assert_eq!(ticks, 11);
        assert_eq!(stats.bytes.load(Ordering::Relaxed), 10 * 512 * 4 * 8);
    }
}
