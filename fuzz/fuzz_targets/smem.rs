//! smem's readers and renderers: smaps as smem parses it (Python's splitlines, split and
//! int), cmdline/stat/meminfo, -R sizes, the optparse emulation, and the table, JSON and
//! SVG output built from whatever the parser accepted.
#![no_main]
use libfuzzer_sys::fuzz_target;
use uu_smem::report::View;
use uu_smem::smaps::{parse, Smaps};
use uu_smem::table::{render, sort_rows, Style, Val, PROCESS_FIELDS};
use uu_smem::{args, chart, json, procfiles, pytext};

fuzz_target!(|data: &[u8]| {
    let (sel, body) = match data.split_first() {
        Some((s, b)) => (*s, b),
        None => (0, data),
    };
    let _ = procfiles::command(Some(body));
    let _ = procfiles::stat_name(Some(body));
    let _ = procfiles::meminfo(body);
    let text = String::from_utf8_lossy(body);
    let _ = procfiles::realmem(&text);
    let _ = procfiles::size_output(body);
    for w in pytext::split(&text).take(64) {
        let _ = pytext::py_int(w, 10);
        let _ = pytext::py_int(w, 16);
        if let Some(f) = pytext::py_float(w) {
            let _ = memtools_core::python::float_repr(f);
        }
    }
    let argv: Vec<Vec<u8>> = std::iter::once(b"smem".to_vec())
        .chain(body.split(|&b| b == 0).map(<[u8]>::to_vec).take(32))
        .collect();
    let _ = args::parse(&argv, Some(pytext::take_chars(&text, 4)));

    let mut sm = Smaps::default();
    let Ok(t) = parse(body, &mut sm) else { return };
    // One row per mapping, as the process view would show it.
    let mut rows: Vec<Vec<Val>> = sm
        .maps
        .iter()
        .map(|m| {
            vec![
                Val::Int(m.pss),
                Val::Int(m.start),
                Val::Str(sm.name(t, m).to_string()),
                Val::Int(m.rss),
                Val::Int(m.swap),
                Val::Int(m.uss()),
                Val::Int(m.size),
            ]
        })
        .collect();
    let _ = sort_rows(&mut rows, sel & 1 != 0);
    let shown: Vec<Vec<Val>> = rows.into_iter().map(|mut r| r.split_off(1)).collect();
    let cols = [
        &PROCESS_FIELDS[3],
        &PROCESS_FIELDS[0],
        &PROCESS_FIELDS[5],
        &PROCESS_FIELDS[6],
        &PROCESS_FIELDS[8],
        &PROCESS_FIELDS[9],
    ];
    let st = Style {
        header: sel & 2 == 0,
        totals: sel & 4 != 0,
        percent: sel & 8 != 0,
        abbreviate: sel & 16 != 0,
        reverse: false,
        autosize: sel & 32 != 0,
        total_mem: if sel & 64 != 0 { Val::Float(1e300) } else { Val::Int(1) },
        swap_total: i128::from(sel & 128 != 0),
    };
    let _ = render(&cols, &shown, &st, Some(1), &mut || usize::from(sel));
    let slices: Vec<(String, f64)> = sm
        .maps
        .iter()
        .map(|m| (sm.name(t, m).to_string(), m.pss as f64))
        .collect();
    let _ = chart::pie_svg("fuzz", &slices, sel & 1 != 0);
    let labels: Vec<&str> = slices.iter().map(|s| s.0.as_str()).collect();
    let values = vec![slices.iter().map(|s| s.1).collect::<Vec<f64>>()];
    let _ = chart::bar_svg(&labels, &["pss"], &values);
    let f = View::Processes.fields();
    let jrows: Vec<Vec<Option<Val>>> = sm
        .maps
        .iter()
        .map(|m| f.iter().map(|_| Some(Val::Int(m.pss))).collect())
        .collect();
    let order: Vec<usize> = (0..jrows.len()).collect();
    let mut out = Vec::new();
    json::render(View::Processes, &jrows, &order, &mut out);
});
