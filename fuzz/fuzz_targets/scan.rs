//! The maps/smaps scanner itself: every record of both line grammars, with procps's
//! 1023-byte pieces and with whole lines (vmmap), checked against the C rules; and the
//! same records made from macOS regions (RegionRecords) through pmap's renderers.
#![no_main]
use libfuzzer_sys::fuzz_target;
use memtools_core::Sink;
use memtools_platform::procmaps::regions::RegionRecords;
use memtools_platform::procmaps::scan::{MapsRecord, MapsSource, Scanner, SmapsRecord, SmapsSource};
use memtools_platform::procmaps::Region;
use std::io::Cursor;
use uu_pmap::{classic, columns, Format, Opts};

fn scan_all<R: std::io::Read + std::io::Seek>(mut s: Scanner<R>, piece: usize) {
    while let Ok(Some(r)) = s.next_maps() {
        match r {
            MapsRecord::Mapping(m) => {
                assert!(m.converted <= 7);
                assert!(m.line.len() < piece && !m.line.contains(&0) && !m.line.ends_with(b"\n"));
                let _ = (m.name(), m.vars.perms(), m.vars.perm(40));
                m.vars.edit_mode();
            }
            MapsRecord::Key(k) => {
                if let Some((key, _)) = k.field {
                    assert!(!key.is_empty() && key.len() <= 20 && !key.contains(&b':'));
                }
                if let Some(f) = k.vmflags() {
                    assert!(f.len() <= 127);
                }
                for at in [0, 1, 73, 1022, 5000] {
                    let _ = k.buffer_at(at);
                }
            }
        }
    }
    let _ = s.rewind();
    while let Ok(Some(r)) = s.next_smaps() {
        match r {
            SmapsRecord::Mapping(m) => {
                assert!(m.converted <= 7 && m.desc.len() <= 127);
                assert!(m.start.len() <= 20 && m.perm.len() <= 31 && m.dev.len() <= 63);
            }
            SmapsRecord::Detail(d) => {
                assert!(d.name.len() <= 31 && d.value.len() <= 20);
                assert!(d.value.iter().all(u8::is_ascii_digit));
            }
            SmapsRecord::VmFlags(f) => assert!(f.len() <= 127),
        }
    }
}

/// Regions from the input: 40 bytes each (numbers), the name from the rest.
fn regions(data: &[u8]) -> Vec<Region> {
    let mut out = Vec::new();
    let word = |c: &[u8], i: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&c[i..i + 8]);
        u64::from_le_bytes(b)
    };
    for c in data.chunks_exact(40).take(64) {
        let start = word(c, 0);
        out.push(Region {
            start,
            end: start.wrapping_add(word(c, 8) & 0xffff_ffff),
            perms: [c[16], c[17], c[18], c[19]],
            offset: word(c, 20),
            dev_major: u32::from(c[28]),
            dev_minor: u32::from(c[29]),
            inode: word(c, 30) >> (c[38] % 64),
            name: data.get(..usize::from(c[39])).unwrap_or(data).to_vec(),
            fields: vec![
                (b"Size".to_vec(), word(c, 8) >> 10),
                (b"Rss".to_vec(), word(c, 0)),
                (b"Shared_Dirty".to_vec(), 0),
                (b"Private_Dirty".to_vec(), word(c, 20)),
                (b"Swap".to_vec(), u64::from(c[39])),
            ],
        });
    }
    out
}

fuzz_target!(|data: &[u8]| {
    scan_all(Scanner::new(Cursor::new(data)), 1024);
    scan_all(Scanner::whole_lines(Cursor::new(data)), usize::MAX);
    let regions = regions(data);
    let sel = data.first().copied().unwrap_or(0);
    let mut out = Sink::new(Vec::new());
    for format in [Format::Default, Format::Extended, Format::Device] {
        let opts = Opts {
            format,
            quiet: sel & 1 != 0,
            show_path: sel & 2 != 0,
            kernel_names: sel & 4 != 0,
            range: (0, u64::MAX),
            json: sel & 8 != 0,
        };
        let plan = classic::Plan::new(&opts, None, u64::MAX);
        let mut src = RegionRecords::new(regions.clone());
        if opts.json {
            let top = uu_pmap::json::begin(&mut out, 1, b"", "default");
            let _ = classic::json::render(&mut src, &plan, top, &mut out);
        } else {
            let _ = classic::text::render(&mut src, &plan, &mut out);
        }
    }
    let cols = columns::Columns {
        x_level: u32::from(sel % 3),
        rc_names: vec![b"Rss".to_vec()],
        quiet: sel & 1 != 0,
        show_path: sel & 2 != 0,
    };
    let mut st = columns::XState::default();
    let mut src = RegionRecords::new(regions);
    let _ = columns::text::render(&mut src, &mut st, &cols, &mut out);
    let top = uu_pmap::json::begin(&mut out, 1, b"", "-X");
    let _ = columns::json::render(&mut src, &mut st, &cols, top, &mut out);
});
