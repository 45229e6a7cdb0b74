//! `pmap --json` (docs/json.md, "pmap") against the same fixtures and goldens as the text:
//! for every single-PID golden case that succeeds, the JSON of the same options holds the
//! golden's rows and footer (sizes = the golden's KiB × 1024, names equal) and agrees with
//! memtools' own text; `-q` changes nothing in the JSON; error objects and exit statuses.
//! Every record is parsed with serde_json.

use super::*;
use serde_json::Value;

/// The output format a golden case's arguments select.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Fmt {
    Default,
    X,
    D,
    Smaps,
}

fn case_format(args: &[String]) -> Fmt {
    let mut f = Fmt::Default;
    for a in args {
        if a == "-x" || a.starts_with("--e") {
            f = Fmt::X;
        } else if a == "-d" || a.starts_with("--d") {
            f = Fmt::D;
        } else if a.starts_with("-X") || a == "-c" || a == "-C" || a.starts_with("--read-rc") {
            f = Fmt::Smaps;
        }
    }
    f
}

fn parse_json_line(text: &str, what: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {text}"))
}

fn num(v: &Value, what: &str) -> u64 {
    v.as_u64()
        .unwrap_or_else(|| panic!("{what}: not an unsigned integer: {v}"))
}

/// Splits a row into `n` blank-separated words and the rest after exactly one blank.
fn words_then_rest(line: &[u8], n: usize) -> (Vec<String>, Vec<u8>) {
    let mut p = 0;
    let mut words = Vec::new();
    for _ in 0..n {
        while p < line.len() && line[p] == b' ' {
            p += 1;
        }
        let s = p;
        while p < line.len() && line[p] != b' ' {
            p += 1;
        }
        words.push(show(&line[s..p]));
    }
    let rest = line.get(p + 1..).unwrap_or(b"").to_vec();
    (words, rest)
}

fn hexnum(s: &str) -> u64 {
    u64::from_str_radix(s, 16).unwrap_or_else(|_| panic!("hex {s}"))
}

fn decnum(s: &str) -> u64 {
    s.trim().parse().unwrap_or_else(|_| panic!("number {s:?}"))
}

/// One row of the default/-x/-d text, in JSON terms (sizes in bytes).
fn classic_row(fmt: Fmt, line: &[u8]) -> Value {
    let mut o = serde_json::Map::new();
    let (n, key_sizes): (usize, &[&str]) = match fmt {
        Fmt::Default => (3, &[]),
        Fmt::X => (5, &["rss", "dirty"]),
        _ => (5, &[]),
    };
    let (w, rest) = words_then_rest(line, n);
    o.insert("address".into(), hexnum(&w[0]).into());
    let size = w[1].trim_end_matches('K');
    o.insert("size".into(), (decnum(size) * 1024).into());
    match fmt {
        Fmt::Default => {
            o.insert("mode".into(), w[2].clone().into());
        }
        Fmt::X => {
            for (i, k) in key_sizes.iter().enumerate() {
                o.insert((*k).into(), (decnum(&w[2 + i]) * 1024).into());
            }
            o.insert("mode".into(), w[4].clone().into());
        }
        _ => {
            o.insert("mode".into(), w[2].clone().into());
            o.insert("offset".into(), hexnum(&w[3]).into());
            let (ma, mi) = w[4].split_once(':').expect("device");
            o.insert("device_major".into(), hexnum(ma).into());
            o.insert("device_minor".into(), hexnum(mi).into());
        }
    }
    o.insert("mapping".into(), show(&rest).into());
    Value::Object(o)
}

/// The JSON row reduced to the keys the text shows.
fn json_row_subset(row: &Value, keys: &[&str]) -> Value {
    let mut o = serde_json::Map::new();
    for k in keys {
        o.insert(
            (*k).to_string(),
            row.get(*k)
                .cloned()
                .unwrap_or_else(|| panic!("row without {k}: {row}")),
        );
    }
    Value::Object(o)
}

/// Rows and footer of one default/-x/-d text (no -q): (rows, totals in bytes).
fn classic_text(fmt: Fmt, text: &[u8]) -> (Vec<Value>, Value) {
    let lines: Vec<&[u8]> = text
        .split(|&c| c == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    assert!(!lines.is_empty());
    let body = &lines[1..]; // the `PID:   command` line
    let (rows, footer): (&[&[u8]], Vec<String>) = match fmt {
        Fmt::Default => {
            let f = show(body[body.len() - 1]);
            (&body[..body.len() - 1], vec![f])
        }
        Fmt::X => (&body[1..body.len() - 2], vec![show(body[body.len() - 1])]),
        _ => (&body[1..body.len() - 1], vec![show(body[body.len() - 1])]),
    };
    let rows = rows.iter().map(|l| classic_row(fmt, l)).collect();
    let f = &footer[0];
    let kib = |s: &str| decnum(s.trim_end_matches('K')) * 1024;
    let totals = match fmt {
        Fmt::Default => {
            let t = f.trim().strip_prefix("total").expect("total line");
            serde_json::json!({ "size": kib(t.trim()) })
        }
        Fmt::X => {
            let w: Vec<&str> = f.split_whitespace().collect();
            assert_eq!(&w[..2], &["total", "kB"], "{f}");
            serde_json::json!({ "size": kib(w[2]), "rss": kib(w[3]), "dirty": kib(w[4]) })
        }
        _ => {
            let w: Vec<&str> = f.split_whitespace().collect();
            assert_eq!(w[0], "mapped:", "{f}");
            serde_json::json!({ "size": kib(w[1]), "writeable_private": kib(w[3]), "shared": kib(w[5]) })
        }
    };
    (rows, totals)
}

/// The -X/-XX/rc text (no -q): header columns (name, start, end), rows as cell strings
/// by column name, footer totals by field name.
struct SmapsText {
    columns: Vec<(String, usize, usize)>,
    rows: Vec<Vec<(String, String)>>,
    totals: Vec<(String, u64)>,
}

fn smaps_text(text: &[u8]) -> SmapsText {
    let lines: Vec<&[u8]> = text
        .split(|&c| c == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    let mut t = SmapsText {
        columns: Vec::new(),
        rows: Vec::new(),
        totals: Vec::new(),
    };
    let Some(hpos) = lines
        .iter()
        .position(|l| l.trim_ascii_start().starts_with(b"Address"))
    else {
        return t;
    };
    let h = lines[hpos];
    let mut p = 0;
    while p < h.len() {
        if h[p] == b' ' {
            p += 1;
            continue;
        }
        let s = p;
        while p < h.len() && h[p] != b' ' {
            p += 1;
        }
        t.columns.push((show(&h[s..p]), s, p));
    }
    let mut i = hpos + 1;
    while i < lines.len() && !lines[i].trim_ascii_start().starts_with(b"=") {
        let l = lines[i];
        let mut cells = Vec::new();
        let mut prev_end = 0;
        for (k, (name, s, e)) in t.columns.iter().enumerate() {
            let cell = if name == "Mapping" && k == t.columns.len() - 1 {
                l.get(*s..).unwrap_or(b"")
            } else {
                let from = if k == 0 { 0 } else { prev_end + 1 };
                l.get(from..*e).unwrap_or(b"")
            };
            cells.push((name.clone(), show(cell)));
            prev_end = *e;
        }
        t.rows.push(cells);
        i += 1;
    }
    if i + 1 < lines.len() {
        let rule = lines[i];
        let tot = lines[i + 1];
        let mut p = 0;
        let mut spans = Vec::new();
        while p < rule.len() {
            if rule[p] == b'=' {
                let s = p;
                while p < rule.len() && rule[p] == b'=' {
                    p += 1;
                }
                spans.push((s, p));
            } else {
                p += 1;
            }
        }
        for (s, e) in spans {
            let name = t
                .columns
                .iter()
                .find(|c| c.2 == e)
                .map(|c| c.0.clone())
                .expect("total under a column");
            t.totals
                .push((name, decnum(&show(tot.get(s..e).unwrap_or(b"")))));
        }
    }
    t
}

/// The keys of each `"smaps":{…}` object, in the order written.
fn smaps_key_orders(raw: &str) -> Vec<Vec<String>> {
    raw.match_indices("\"smaps\":{")
        .map(|(i, m)| {
            let rest = &raw[i + m.len()..];
            let body = &rest[..rest.find('}').unwrap_or(0)];
            body.split(',')
                .filter(|kv| !kv.is_empty())
                .map(|kv| {
                    kv.split(':')
                        .next()
                        .unwrap_or("")
                        .trim_matches('"')
                        .to_string()
                })
                .collect()
        })
        .collect()
}

fn compare_smaps(name: &str, text: &[u8], v: &Value, raw: &str) {
    let t = smaps_text(text);
    let maps = v["mappings"].as_array().expect("mappings");
    let fields = v["fields"].as_array().expect("fields");
    let field_names: Vec<&str> = fields
        .iter()
        .map(|f| f["name"].as_str().expect("field name"))
        .collect();
    let kb = |n: &str| {
        fields
            .iter()
            .find(|f| f["name"] == n)
            .map(|f| f["bytes"] == true)
            .unwrap_or_else(|| panic!("{name}: no field {n}"))
    };
    if t.columns.is_empty() {
        assert!(maps.is_empty(), "{name}: rows without a header");
        return;
    }
    // The header's field columns are the JSON field list, in order.
    let base = [
        "Address", "Perm", "Offset", "Device", "Inode", "VmFlags", "Mapping",
    ];
    let text_fields: Vec<&str> = t
        .columns
        .iter()
        .map(|c| c.0.as_str())
        .filter(|c| !base.contains(c))
        .collect();
    assert_eq!(text_fields, field_names, "{name}: field list");
    for order in smaps_key_orders(raw) {
        assert_eq!(order, field_names[..order.len()], "{name}: smaps key order");
    }
    assert_eq!(t.rows.len(), maps.len(), "{name}: row count");
    for (row, m) in t.rows.iter().zip(maps) {
        for (col, cell) in row {
            let cell_t = cell.trim();
            match col.as_str() {
                "Address" => assert_eq!(num(&m["address"], name), hexnum(cell_t), "{name}"),
                "Perm" => assert_eq!(m["perms"], cell_t, "{name}"),
                "Offset" => assert_eq!(num(&m["offset"], name), hexnum(cell_t), "{name}"),
                "Device" => {
                    let (ma, mi) = cell_t.split_once(':').expect("device");
                    assert_eq!(num(&m["device_major"], name), hexnum(ma), "{name}");
                    assert_eq!(num(&m["device_minor"], name), hexnum(mi), "{name}");
                }
                "Inode" => assert_eq!(num(&m["inode"], name), decnum(cell_t), "{name}"),
                "VmFlags" => {
                    let flags: Vec<&str> = m["vm_flags"]
                        .as_array()
                        .map(|a| a.iter().filter_map(|f| f.as_str()).collect())
                        .unwrap_or_default();
                    assert_eq!(flags.join(" "), cell_t, "{name}");
                }
                "Mapping" => assert_eq!(m["mapping"], cell.as_str(), "{name}"),
                f => {
                    let present = &m["smaps"];
                    if present.get(f).is_none() {
                        // A mapping without a trailing field: the text shows procps's
                        // previous value in that column, the JSON has no member (the key
                        // order check above makes the present members a prefix).
                        let have = present.as_object().map_or(0, |o| o.len());
                        let at = field_names.iter().position(|n| *n == f);
                        assert!(at.is_some_and(|i| i >= have), "{name}: {f} missing in {m}");
                        continue;
                    }
                    let want = decnum(cell_t) * if kb(f) { 1024 } else { 1 };
                    assert_eq!(num(&present[f], name), want, "{name}: {f} in {m}");
                }
            }
        }
    }
    // No footer when no field is shown (an rc file selecting none).
    assert_eq!(
        t.totals.is_empty(),
        field_names.is_empty(),
        "{name}: footer"
    );
    for (f, total) in &t.totals {
        let want = total * if kb(f) { 1024 } else { 1 };
        assert_eq!(num(&v["totals"][f], name), want, "{name}: total {f}");
    }
    assert_eq!(
        v["totals"].as_object().map(|o| o.len()),
        Some(field_names.len()),
        "{name}: one total per field"
    );
}

fn compare_classic(name: &str, fmt: Fmt, text: &[u8], v: &Value) {
    let (rows, totals) = classic_text(fmt, text);
    let keys: Vec<&str> = rows
        .first()
        .and_then(|r| r.as_object())
        .map(|o| o.keys().map(|k| k.as_str()).collect())
        .unwrap_or_default();
    let maps = v["mappings"].as_array().expect("mappings");
    let got: Vec<Value> = maps.iter().map(|m| json_row_subset(m, &keys)).collect();
    assert_eq!(got, rows, "{name}: rows");
    assert_eq!(v["totals"], totals, "{name}: totals");
    for m in maps {
        let perms = m["perms"].as_str().expect("perms");
        let mode = m["mode"].as_str().expect("mode");
        // The mode column is the kernel's perms with `p` as `-`, one `-` appended.
        if perms.len() == 4 {
            assert_eq!(mode, format!("{}-", perms.replace('p', "-")), "{name}: {m}");
        }
        assert!(m["name"].is_string(), "{name}: {m}");
    }
}

/// The golden cases whose fixtures map no SysV shm segment.
pub fn json_agrees_with_goldens_and_text() {
    let (checked, fixtures, formats) = json_goldens(false);
    assert!(checked > 500, "only {checked} cases checked");
    assert_eq!(formats.len(), 4);
    for f in [
        "huge",
        "oldkernel",
        "unknownfields",
        "real_bash",
        "real_python",
        "real_static",
    ] {
        assert!(fixtures.contains(f), "fixture {f} not covered");
    }
}

/// The golden cases whose fixtures map SysV shm segments (see `sysv_minor_1`).
pub fn json_agrees_with_goldens_and_text_sysv() {
    let (checked, fixtures, formats) = json_goldens(true);
    assert!(checked > 100, "only {checked} cases checked");
    assert_eq!(formats.len(), 4);
    assert!(fixtures.contains("basic"), "fixture basic not covered");
}

/// Checks the JSON of the single-PID golden cases whose fixtures map SysV segments (`sysv`)
/// or do not; returns the number of cases, the fixtures and the formats checked.
fn json_goldens(sysv: bool) -> (usize, BTreeSet<String>, BTreeSet<String>) {
    let bin = common::memtools();
    let mut checked = 0;
    let mut fixtures = BTreeSet::new();
    let mut formats = BTreeSet::new();
    for c in load_cases() {
        if c.pids.len() != 1 || c.name.starts_with("multi_") {
            continue;
        }
        let fx = &c.pids[0].1;
        if fixture_has_sysv(fx) != sysv {
            continue;
        }
        let status = read_golden(&c.name, "status").map(|s| show(&s).trim().to_string());
        let err = read_golden(&c.name, "err").unwrap_or_default();
        if status.as_deref() != Some("0") || !err.is_empty() {
            continue;
        }
        if c.args.iter().any(|a| {
            matches!(
                a.as_str(),
                "-n" | "-N" | "-h" | "-V" | "-r" | "--help" | "--version"
            ) || a.starts_with("--create")
                || a.starts_with("--h")
                || a.starts_with("--v")
        }) {
            continue;
        }
        let fmt = case_format(&c.args);
        let quiet = c.args.iter().any(|a| a == "-q" || a == "--quiet");
        // Named in the test's output when an assertion below fails.
        let _note = on_failure(format!("case {}", c.name));
        let smaps_fmt = fmt == Fmt::Smaps;
        let mut golden = common_transforms(&read_golden(&c.name, "out").expect("golden"));
        if fx == "utf8names" && !smaps_fmt {
            golden = utf8_transform(&golden);
        }
        let text = run_case(&c, &bin, &["pmap"]);
        assert_eq!(show(&text.stdout), show(&golden), "{}: text", c.name);
        let json = run_case(&c, &bin, &["pmap", "--json"]);
        assert_eq!(json.status, 0, "{}: {}", c.name, show(&json.stderr));
        assert_eq!(show(&json.stderr), "", "{}", c.name);
        let raw = show(&json.stdout);
        assert_eq!(raw.lines().count(), 1, "{}: one line: {raw}", c.name);
        assert!(raw.ends_with("}\n"), "{}", c.name);
        let v = parse_json_line(raw.trim_end(), &c.name);
        assert_eq!(v["schema_version"], 1);
        assert_eq!(v["tool"], "pmap");
        assert_eq!(v["error"], Value::Null, "{}", c.name);
        // The `PID:   command` line.
        let first = golden.split(|&b| b == b'\n').next().unwrap_or(b"");
        let (pid, cmd) = show(first)
            .split_once(":   ")
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .expect("pid line");
        assert_eq!(num(&v["pid"], &c.name).to_string(), pid, "{}", c.name);
        assert_eq!(v["command"], cmd.as_str(), "{}", c.name);
        if quiet {
            // -q changes nothing in the JSON.
            let args: Vec<String> = c
                .args
                .iter()
                .filter(|a| *a != "-q" && *a != "--quiet")
                .cloned()
                .collect();
            let loud = Case {
                name: c.name.clone(),
                pids: c.pids.clone(),
                opts: c.opts.clone(),
                args,
            };
            let j2 = run_case(&loud, &bin, &["pmap", "--json"]);
            assert_eq!(show(&j2.stdout), raw, "{}: -q changes the JSON", c.name);
        } else if smaps_fmt {
            compare_smaps(&c.name, &golden, &v, &raw);
        } else {
            compare_classic(&c.name, fmt, &golden, &v);
        }
        checked += 1;
        fixtures.insert(fx.clone());
        formats.insert(format!("{:?}", fmt));
    }
    eprintln!(
        "pmap --json: {checked} golden cases ({}) over {} fixtures",
        if sysv { "SysV" } else { "no SysV" },
        fixtures.len()
    );
    (checked, fixtures, formats)
}

/// The JSON `name` is the kernel's pathname column of maps, in every format.
pub fn json_names_are_the_kernel_names() {
    let bin = common::memtools();
    for fx in [
        "basic",
        "huge",
        "oldkernel",
        "unknownfields",
        "real_bash",
        "real_python",
        "real_static",
        "longpath",
    ] {
        let maps = std::fs::read(pmap_dir().join(fx).join("maps")).expect("maps");
        let want: Vec<String> = maps
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .map(|l| {
                let s = show(l);
                let mut rest = s.as_str();
                for _ in 0..5 {
                    rest = rest.trim_start();
                    rest = &rest[rest.find(' ').unwrap_or(rest.len())..];
                }
                rest.trim_start().to_string()
            })
            .collect();
        for args in [&[][..], &["-X"][..], &["-XX", "-p"][..]] {
            if fx == "longpath" && args.is_empty() {
                continue; // lines over 1023 bytes: the maps formats' rows follow the pieces
            }
            let c = Case {
                name: fx.into(),
                pids: vec![("1234".into(), fx.into())],
                opts: vec![],
                args: args
                    .iter()
                    .map(|s| s.to_string())
                    .chain(["1234".into()])
                    .collect(),
            };
            let o = run_case(&c, &bin, &["pmap", "--json"]);
            let v = parse_json_line(show(&o.stdout).trim_end(), fx);
            let got: Vec<String> = v["mappings"]
                .as_array()
                .expect("mappings")
                .iter()
                .map(|m| m["name"].as_str().expect("name").to_string())
                .collect();
            if fx == "longpath" {
                // Names longer than procps's 127 bytes are whole in the JSON (up to the
                // line's 1023 bytes that pmap reads).
                assert!(got.iter().any(|n| n.len() > 127), "{fx} {args:?}: {got:?}");
                for (g, w) in got.iter().zip(&want) {
                    assert!(w.starts_with(g.as_str()), "{fx}: {g} vs {w}");
                }
                continue;
            }
            assert_eq!(got, want, "{fx} {args:?}");
        }
    }
}

fn run_pids(pids: &[(&str, &str)], args: &[&str]) -> Outcome {
    let c = Case {
        name: "json".into(),
        pids: pids
            .iter()
            .map(|(p, f)| (p.to_string(), f.to_string()))
            .collect(),
        opts: vec![],
        args: args.iter().map(|s| s.to_string()).collect(),
    };
    run_case(&c, &common::memtools(), &["pmap"])
}

/// Several PIDs: one object per line, in argument order; a PID that is not found prints
/// nothing (exit 42, as the text); one whose maps cannot be read gives an object with
/// `error` (exit 1, where the text prints only the `PID:   command` line).
pub fn json_several_pids_and_errors() {
    // (The fixtures' `Tgid:` decides whose maps are read: nosmaps is 1234, small 1235.)
    let o = run_pids(
        &[("1234", "nosmaps"), ("1235", "small")],
        &["--json", "-x", "1235", "999", "1234", "1235"],
    );
    assert_eq!(o.status, 43, "{}", show(&o.stderr));
    assert_eq!(show(&o.stderr), "");
    let text = show(&o.stdout);
    let lines: Vec<Value> = text
        .lines()
        .map(|l| parse_json_line(l, "several"))
        .collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert_eq!(lines[0]["pid"], 1235);
    assert_eq!(lines[0]["error"], Value::Null);
    assert_eq!(lines[0], lines[2]);
    assert_eq!(lines[1]["pid"], 1234);
    assert_eq!(lines[1]["mappings"], Value::Null);
    assert_eq!(lines[1]["totals"], Value::Null);
    assert_eq!(lines[1]["error"], "No such file or directory");
    assert_eq!(lines[2]["format"], "-x");
    let t = run_pids(&[("1234", "nosmaps")], &["-x", "1234"]);
    assert_eq!(show(&t.stdout), "1234:   small\n");
    assert_eq!(t.status, 1);

    // A fatal smaps format error: the object says so, pmap's message goes to stderr and
    // the run stops (exit 1), as in the text.
    let o = run_pids(
        &[("1234", "badsmaps"), ("1235", "small")],
        &["--json", "-X", "1234", "1235"],
    );
    assert_eq!(o.status, 1);
    assert_eq!(show(&o.stderr), "pmap: Unknown format in smaps file!\n");
    let text = show(&o.stdout);
    assert_eq!(text.lines().count(), 1, "{text}");
    let v = parse_json_line(text.trim_end(), "badsmaps");
    assert_eq!(v["format"], "-X");
    assert_eq!(v["fields"], Value::Null);
    assert_eq!(v["mappings"], Value::Null);
    assert_eq!(v["error"], "Unknown format in smaps file!");

    // Kernel thread: no mappings, zero totals.
    let o = run_pids(&[("1234", "kthread")], &["--json", "-d", "1234"]);
    assert_eq!(o.status, 0);
    let v = parse_json_line(show(&o.stdout).trim_end(), "kthread");
    assert_eq!(v["mappings"], serde_json::json!([]));
    assert_eq!(
        v["totals"],
        serde_json::json!({"size":0,"writeable_private":0,"shared":0})
    );
}

/// `--j` is a unique prefix of `--json`; `-A` selects the same rows as the text; `-XX`
/// has `vm_flags`, `-X` does not; the rc format has the rc file's columns only.
pub fn json_options() {
    let full = run_pids(&[("1234", "basic")], &["--json", "1234"]);
    let short = run_pids(&[("1234", "basic")], &["--j", "1234"]);
    assert_eq!(short.stdout, full.stdout);
    assert!(show(&full.stdout)
        .starts_with("{\"schema_version\":1,\"tool\":\"pmap\",\"pid\":1234,\"command\":"));

    let range = ["-A", "7ffff7d80000,7ffff7fc0000"];
    for fmt in [&[][..], &["-x"][..], &["-d"][..]] {
        let mut text_args: Vec<&str> = fmt.to_vec();
        text_args.extend(range);
        text_args.push("1234");
        let text = run_pids(&[("1234", "basic")], &text_args);
        let mut json_args = vec!["--json"];
        json_args.extend(&text_args);
        let json = run_pids(&[("1234", "basic")], &json_args);
        let v = parse_json_line(show(&json.stdout).trim_end(), "range");
        let f = case_format(&fmt.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        let (rows, totals) = classic_text(f, &text.stdout);
        assert!(
            rows.len() >= 3 && rows.len() < 15,
            "{fmt:?}: {}",
            rows.len()
        );
        assert_eq!(v["mappings"].as_array().map(|a| a.len()), Some(rows.len()));
        assert_eq!(v["totals"], totals, "{fmt:?}");
    }

    let x = run_pids(&[("1234", "basic")], &["--json", "-X", "1234"]);
    let v = parse_json_line(show(&x.stdout).trim_end(), "-X");
    assert!(v["mappings"][0].get("vm_flags").is_none());
    assert!(v["mappings"][0]["smaps"].get("Private_Dirty").is_none());
    let xx = run_pids(&[("1234", "basic")], &["--json", "-XX", "1234"]);
    let v = parse_json_line(show(&xx.stdout).trim_end(), "-XX");
    assert_eq!(v["format"], "-XX");
    assert!(v["mappings"][0]["vm_flags"].is_array());
    assert_eq!(
        v["fields"][0],
        serde_json::json!({"name":"Size","bytes":true})
    );
    let thp = v["fields"]
        .as_array()
        .and_then(|a| a.iter().find(|f| f["name"] == "THPeligible"))
        .cloned();
    assert_eq!(
        thp,
        Some(serde_json::json!({"name":"THPeligible","bytes":false}))
    );

    // rc: the `sel.rc` of the goldens.
    let c = Case {
        name: "rc".into(),
        pids: vec![("1234".into(), "basic".into())],
        opts: vec!["home=rc".into()],
        args: vec!["-C".into(), "sel.rc".into(), "1234".into()],
    };
    let rc = std::fs::read_to_string(pmap_dir().join("home/rc/sel.rc")).expect("sel.rc");
    let o = run_case(&c, &common::memtools(), &["pmap", "--json"]);
    let v = parse_json_line(show(&o.stdout).trim_end(), "rc");
    assert_eq!(v["format"], "rc");
    let m = v["mappings"][0].as_object().expect("row").clone();
    for (key, col) in [
        ("perms", "Perm"),
        ("offset", "Offset"),
        ("inode", "Inode"),
        ("vm_flags", "VmFlags"),
        ("mapping", "Mapping"),
    ] {
        let listed = rc.lines().any(|l| l.trim() == col);
        assert_eq!(m.contains_key(key), listed, "{key} vs sel.rc:\n{rc}");
    }
}
