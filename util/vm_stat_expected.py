#!/usr/bin/env python3
"""Computes vm_stat's expected Linux output for a /proc snapshot, independently of memtools.

This is a second, separate implementation of the Linux mapping in
specs/macos-vm_stat-vmmap.md section 2 (and docs/vm_stat.md), and of Apple's output formats
(section 1.3 and 1.4), used to write the golden files the tests compare memtools with.
It never runs memtools.

Usage: util/vm_stat_expected.py [--page-size N] FIXTURE_DIR...

Each FIXTURE_DIR holds `vmstat` and optionally `meminfo` (copies of /proc/vmstat and
/proc/meminfo) and optionally `sys/block/zram*/mm_stat`. The script writes:
  FIXTURE_DIR/expected     `vm_stat` (one-shot)
  FIXTURE_DIR/expected-c3  `vm_stat -c 3 INTERVAL` (a static snapshot: deltas are 0)
"""
import glob
import os
import sys


def read_pairs(path):
    """'key value' or 'Key: value kB' lines -> dict; first occurrence wins."""
    out = {}
    try:
        with open(path, "rb") as f:
            data = f.read().decode("latin-1")
    except FileNotFoundError:
        return out
    for line in data.split("\n"):
        parts = line.replace(":", " ", 1).split()
        if len(parts) < 2 or parts[0] in out:
            continue
        tok = parts[1]
        neg = tok.startswith("-")
        digits = ""
        for ch in tok[1:] if neg else tok:
            if not ch.isdigit():
                break
            digits += ch
        if not digits:
            continue
        out[parts[0]] = 0 if neg else min(int(digits), 2**64 - 1)
    return out


def zram_bytes(fixture):
    total = 0
    for dev in glob.glob(os.path.join(fixture, "sys", "block", "zram*")):
        for name in ("mm_stat", "orig_data_size"):
            p = os.path.join(dev, name)
            if os.path.exists(p):
                with open(p) as f:
                    fields = f.read().split()
                if fields and fields[0].isdigit():
                    total += int(fields[0])
                break
    return total


def lines(fixture, page):
    vm = read_pairs(os.path.join(fixture, "vmstat"))
    mi = read_pairs(os.path.join(fixture, "meminfo"))
    g = lambda k: vm.get(k, 0)
    free = g("nr_free_pages")
    active = g("nr_active_anon") + g("nr_active_file")
    inactive = g("nr_inactive_anon") + g("nr_inactive_file")
    total_pages = mi.get("MemTotal", 0) * 1024 // page
    wired = max(0, total_pages - free - active - inactive - g("nr_zspages"))
    stored = mi.get("Zswapped", 0) * 1024 // page + zram_bytes(fixture) // page
    if "nr_zspages" in vm:
        occupied = vm["nr_zspages"]
    else:
        occupied = -(-(mi.get("Zswap", 0) * 1024) // page)  # ceiling
    # (label, value, is_counter) in vm_stat's order.
    return [
        ("Pages free:", free, False),
        ("Pages active:", active, False),
        ("Pages inactive:", inactive, False),
        ("Pages speculative:", 0, False),
        ("Pages throttled:", 0, False),
        ("Pages wired down:", wired, False),
        ("Pages purgeable:", 0, False),
        ('"Translation faults":', g("pgfault"), True),
        ("Pages copy-on-write:", 0, True),
        ("Pages zero filled:", 0, True),
        ("Pages reactivated:", g("pgactivate"), True),
        ("Pages purged:", g("pglazyfreed"), True),
        ("File-backed pages:", g("nr_active_file") + g("nr_inactive_file"), False),
        ("Anonymous pages:", g("nr_active_anon") + g("nr_inactive_anon"), False),
        ("Pages stored in compressor:", stored, False),
        ("Pages occupied by compressor:", occupied, False),
        ("Decompressions:", g("zswpin"), True),
        ("Compressions:", g("zswpout"), True),
        ("Pageins:", g("pgmajfault"), True),
        ("Pageouts:", g("nr_vmscan_write"), True),
        ("Swapins:", g("pswpin"), True),
        ("Swapouts:", g("pswpout"), True),
    ]


def cell(n, width):
    s = "%*d" % (width, n)
    if len(s) > width:
        s = "%*dK" % (width - 1, n // 1000)
    if len(s) > width:
        s = "%*dM" % (width - 1, n // 1000000)
    if len(s) > width:
        s = "%*dG" % (width - 1, n // 1000000000)
    return s + " "


TITLES = ("free active specul inactive throttle wired prgable faults copy 0fill reactive "
          "purged file-backed anonymous cmprssed cmprssor dcomprs comprs pageins pageout "
          "swapins swapouts").split()
WIDTHS = [8] * 12 + [11, 9] + [8] * 8
# Table column -> index in lines(): the table puts speculative before inactive.
ORDER = [0, 1, 3, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21]


def main(argv):
    page = os.sysconf("SC_PAGESIZE")
    if len(argv) > 2 and argv[1] == "--page-size":
        page = int(argv[2])
        argv = argv[2:]
    for fixture in argv[1:]:
        ls = lines(fixture, page)
        head = "Mach Virtual Memory Statistics: (page size of %d bytes)\n" % page
        one = head + "".join("%-30s %16d.\n" % (label, v) for label, v, _ in ls)
        with open(os.path.join(fixture, "expected"), "w", newline="\n") as f:
            f.write(one)
        titles = " ".join("%*s" % (w, t) for t, w in zip(TITLES, WIDTHS))
        table = head + titles + "\n"
        for row in range(3):
            cells = []
            for col in range(22):
                _, v, counter = ls[ORDER[col]]
                if counter and row > 0:
                    v = 0  # a static snapshot: every delta is zero
                cells.append(cell(v, WIDTHS[col]))
            table += "".join(cells) + "\n"
        with open(os.path.join(fixture, "expected-c3"), "w", newline="\n") as f:
            f.write(table)
        print("wrote %s/expected and expected-c3 (page size %d)" % (fixture, page))


if __name__ == "__main__":
    main(sys.argv)
