//! /proc/PID/smaps: the platform parser (vmmap, pmap -X) and pmap's -X/-XX/rc renderer.
#![no_main]
use libfuzzer_sys::fuzz_target;
use memtools_platform::procmaps::{parse_smaps, LineReader};
use uu_pmap::extended::{self, Columns, XState};
use memtools_core::Sink;

fuzz_target!(|data: &[u8]| {
    let (sel, body) = match data.split_first() {
        Some((s, b)) => (*s, b),
        None => (0, data),
    };
    for r in parse_smaps(body) {
        let _ = r.size();
        let _ = r.field("Rss");
        let mut v = Vec::new();
        r.write_smaps(&mut v);
    }
    let cols = Columns {
        x_level: u32::from(sel % 3),
        rc_names: vec![b"Rss".to_vec(), b"Pss".to_vec(), b"VmFlags".to_vec(), b"Mapping".to_vec()],
    };
    let mut st = XState::default();
    let mut out = Sink::new(Vec::new());
    // Twice through the same state: widths persist from one PID to the next.
    for _ in 0..2 {
        let mut src = LineReader::new(std::io::Cursor::new(body));
        if sel & 16 != 0 {
            // The --json rendering of the same smaps.
            let head = uu_pmap::json::head(1234, b"fuzz", "-X");
            let _ = extended::render_json(&mut src, &mut st, &cols, sel & 8 != 0, &head, &mut out);
        } else {
            let _ = extended::render(&mut src, &mut st, &cols, sel & 4 != 0, sel & 8 != 0, &mut out);
        }
    }
});
