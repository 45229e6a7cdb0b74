//! /proc/PID/smaps: pmap's -X/-XX/rc renderers (text and --json) over the scanner's records,
//! twice through the same state (widths persist from one PID to the next).
#![no_main]
use libfuzzer_sys::fuzz_target;
use memtools_core::Sink;
use memtools_platform::procmaps::scan::Scanner;
use uu_pmap::columns::{self, Columns, XState};

fuzz_target!(|data: &[u8]| {
    let (sel, body) = match data.split_first() {
        Some((s, b)) => (*s, b),
        None => (0, data),
    };
    let cols = Columns {
        x_level: u32::from(sel % 3),
        rc_names: vec![b"Rss".to_vec(), b"Pss".to_vec(), b"VmFlags".to_vec(), b"Mapping".to_vec()],
        quiet: sel & 4 != 0,
        show_path: sel & 8 != 0,
    };
    let mut st = XState::default();
    let mut out = Sink::new(Vec::new());
    for _ in 0..2 {
        let mut src = Scanner::new(std::io::Cursor::new(body));
        if sel & 16 != 0 {
            // The --json rendering of the same smaps.
            let top = uu_pmap::json::begin(&mut out, 1234, b"fuzz", "-X");
            let _ = columns::json::render(&mut src, &mut st, &cols, top, &mut out);
        } else {
            let _ = columns::text::render(&mut src, &mut st, &cols, &mut out);
        }
    }
});
