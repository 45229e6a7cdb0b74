//! /proc/PID/maps: the line parser, and pmap's default/-x/-d renderer over the whole file.
#![no_main]
use libfuzzer_sys::fuzz_target;
use memtools_platform::procmaps::{parse_maps_line, LineReader};
use uu_pmap::classic;
use memtools_core::Sink;
use uu_pmap::{Format, Opts};

fuzz_target!(|data: &[u8]| {
    let (sel, body) = match data.split_first() {
        Some((s, b)) => (*s, b),
        None => (0, data),
    };
    for line in body.split(|&b| b == b'\n') {
        if let Some(r) = parse_maps_line(line) {
            let _ = r.size();
            let mut v = Vec::new();
            r.write_maps_line(&mut v);
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
    let mut src = LineReader::new(std::io::Cursor::new(body));
    let mut out = Sink::new(Vec::new());
    let shm = if sel & 64 != 0 { Some(5) } else { None };
    // With bit 7 set, the --json rendering of the same rows.
    let head = opts.json.then(|| uu_pmap::json::head(1234, b"fuzz", "default"));
    let _ = classic::render(&mut src, &opts, shm, u64::from(sel) << 12, head.as_deref(), &mut out);
});
