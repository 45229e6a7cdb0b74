//! /proc/PID/maps: the line parser, and pmap's default/-x/-d renderers (text and --json)
//! over the scanner's records of the whole file.
#![no_main]
use libfuzzer_sys::fuzz_target;
use memtools_core::Sink;
use memtools_platform::procmaps::parse_maps_line;
use memtools_platform::procmaps::scan::Scanner;
use uu_pmap::classic;
use uu_pmap::{Format, Opts};

fuzz_target!(|data: &[u8]| {
    let (sel, body) = match data.split_first() {
        Some((s, b)) => (*s, b),
        None => (0, data),
    };
    for line in body.split(|&b| b == b'\n') {
        if let Some(r) = parse_maps_line(line) {
            let _ = r.size();
        }
    }
    let format = match sel % 3 {
        0 => Format::Default,
        1 => Format::Extended,
        _ => Format::Device,
    };
    let opts = Opts {
        format,
        quiet: sel & 4 != 0,
        show_path: sel & 8 != 0,
        kernel_names: sel & 16 != 0,
        range: if sel & 32 != 0 { (0x1000, 0x7fff_0000) } else { (0, u64::MAX) },
        json: sel & 128 != 0,
    };
    let shm = if sel & 64 != 0 { Some(5) } else { None };
    let plan = classic::Plan::new(&opts, shm, u64::from(sel) << 12);
    let mut src = Scanner::new(std::io::Cursor::new(body));
    let mut out = Sink::new(Vec::new());
    // With bit 7 set, the --json rendering of the same rows.
    if opts.json {
        let top = uu_pmap::json::begin(&mut out, 1234, b"fuzz", "default");
        let _ = classic::json::render(&mut src, &plan, top, &mut out);
    } else {
        let _ = classic::text::render(&mut src, &plan, &mut out);
    }
});
