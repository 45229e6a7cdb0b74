//! pmap's rc file (`-c`, `-C FILE`, `~/.pmaprc`).
#![no_main]
use libfuzzer_sys::fuzz_target;
use uu_pmap::rc;

fuzz_target!(|data: &[u8]| {
    let mut warnings = 0usize;
    let cfg = rc::parse(data, &mut |_w: String| warnings += 1);
    let _ = (cfg.fields.len(), cfg.toggle_show_path);
});
