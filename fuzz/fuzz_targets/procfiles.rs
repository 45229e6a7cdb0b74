//! /proc/PID/stat, status and cmdline as pmap reads them, and the `PID:   command` line.
#![no_main]
use libfuzzer_sys::fuzz_target;
use memtools_platform::procmaps::{atoi, parse_stat, parse_status_tgid};
use uu_pmap::text::{command_line, escape, escape_strict, sanitize_name, Escaping};

fuzz_target!(|data: &[u8]| {
    let st = parse_stat(data);
    let _ = format!("{st:?}");
    let _ = parse_status_tgid(data);
    let _ = atoi(data);
    let (comm, cmdline) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (&data[..0], data),
    };
    let state = data.first().copied().unwrap_or(b'R');
    for v in [Escaping::V402, Escaping::V406] {
        let _ = command_line(cmdline, comm, state, v);
        let _ = command_line(b"", comm, b'Z', v);
    }
    let _ = escape(data);
    let _ = escape_strict(data);
    let mut line = data.to_vec();
    sanitize_name(&mut line);
});
