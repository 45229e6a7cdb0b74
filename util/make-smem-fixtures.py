#!/usr/bin/env python3
"""Writes the hand-made smem snapshot fixtures (the edge cases smem was probed with).

usage: util/make-smem-fixtures.py [DIR]   (default tests/fixtures/smem)

Each fixture is DIR/NAME/proc/... plus DIR/NAME/owners (`PID UID` lines). The goldens
for them are recorded from the real smem by util/record-smem-goldens.sh, like the goldens
of the captured ones (util/capture-smem-fixture.py).
"""
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "tests", "fixtures", "smem")

MEMINFO = """MemTotal:        1000000 kB
MemFree:          100000 kB
MemAvailable:     300000 kB
Buffers:           20000 kB
Cached:            30000 kB
SwapCached:         4000 kB
SwapTotal:        500000 kB
SwapFree:         400000 kB
AnonPages:         50000 kB
Mapped:             6000 kB
Shmem:               700 kB
Slab:                 80 kB
SReclaimable:          9 kB
SUnreclaim:           71 kB
"""


def field(name, v):
    return "%-16s%8s kB\n" % (name + ":", v)


def mapping(start, end, name="", perms="r-xp", pss=0, rss=0, pc=0, pd=0, swap=0, extra=""):
    line = "%08x-%08x %s 00000000 08:01 1234" % (start, end, perms)
    line += (" " * 10 + name) if name else " "
    s = line + "\n"
    s += field("Size", (end - start) // 1024)
    s += field("KernelPageSize", 4) + field("MMUPageSize", 4)
    s += field("Rss", rss) + field("Pss", pss)
    s += field("Shared_Clean", 0) + field("Shared_Dirty", 0)
    s += field("Private_Clean", pc) + field("Private_Dirty", pd)
    s += field("Referenced", rss) + field("Anonymous", pd)
    s += field("Swap", swap) + field("SwapPss", swap) + field("Locked", 0)
    s += extra
    s += "THPeligible:    0\nVmFlags: rd ex mr mw me dw \n"
    return s


def stat(pid, comm):
    return "%d (%s) S 1 1 1 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 100 1000 100\n" % (pid, comm)


def write(fixture, pid, cmdline=None, smaps=None, statline=None, owner=0):
    d = os.path.join(out, fixture, "proc", str(pid))
    os.makedirs(d, exist_ok=True)
    for name, data in (("cmdline", cmdline), ("smaps", smaps), ("stat", statline)):
        if data is None:
            continue
        if isinstance(data, str):
            data = data.encode()
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
    with open(os.path.join(out, fixture, "owners"), "a") as f:
        f.write("%s %d\n" % (pid, owner))


def meminfo(fixture, text=MEMINFO):
    d = os.path.join(out, fixture, "proc")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "meminfo"), "w") as f:
        f.write(text)


def fresh(fixture):
    os.makedirs(os.path.join(out, fixture), exist_ok=True)
    path = os.path.join(out, fixture, "owners")
    if os.path.exists(path):
        os.remove(path)


def lib(pss, rss, pc=0, pd=0, swap=0):
    return mapping(0x400000, 0x500000, "/usr/lib/libc.so.6", pss=pss, rss=rss, pc=pc, pd=pd, swap=swap)


def main():
    # edge: every process-level rule smem has.
    fresh("edge")
    meminfo("edge")
    write("edge", 100, "python3\0script.py\0", lib(100, 300, 10, 20) +
          mapping(0x600000, 0x700000, "[heap]", "rw-p", 400, 400, 0, 400), stat(100, "python3"))
    write("edge", 101, "/usr/bin/bash\0-c\0echo hi\0", lib(101, 300, 5, 5) +
          mapping(0x600000, 0x680000, "/memfd:buf (deleted)", "rw-s", 50, 100, 0, 50),
          stat(101, "bash"), owner=4242)
    write("edge", 102, "sleep\0" + "100000\0", lib(102, 300), stat(102, "sleep"), owner=65534)
    # Kernel thread: empty cmdline. A cmdline of one character is empty once its last
    # character is dropped.
    write("edge", 2, "", lib(7, 7), stat(2, "kthreadd"))
    write("edge", 103, "x", lib(7, 7), stat(103, "x"))
    # Unreadable (missing) cmdline and stat: shown as "?".
    write("edge", 104, None, lib(104, 104), None, owner=1000)
    # Invalid UTF-8 in cmdline and stat: "?" too.
    write("edge", 105, b"bad\xffname\0arg\0", lib(105, 200), b"105 (bad\xff) S 1\n")
    # Non-ASCII and long names (widths count characters, cuts at 27 and 24).
    write("edge", 106, "caf\u00e9-\u00fcber-" + "long" * 10 + "\0--flag\0",
          lib(106, 106) + mapping(0x800000, 0x900000, "/opt/" + "deep/" * 12 + "lib\u00e9.so"),
          stat(106, "caf\u00e9 (x) y"))
    # Odd stat names: nested parentheses, no parenthesis at all.
    write("edge", 107, "odd\0", lib(107, 107), "107 ((z)) R 1\n")
    write("edge", 108, "noparen\0", lib(108, 108), "108 noparen S 1\n")
    # The same START twice: the later mapping replaces the earlier.
    write("edge", 109, "dupstart\0", lib(109, 109) +
          mapping(0x600000, 0x700000, "[anon:first]", "rw-p", 900, 900, 0, 900) +
          mapping(0x600000, 0x680000, "[anon:second]", "rw-p", 9, 9, 0, 9), stat(109, "dup"))
    # Malformed smaps: skipped in the process view, fatal in the user and map views.
    write("edge", 110, "malformed\0", lib(110, 110) + "Pss:            zz kB\n", stat(110, "bad"))
    # No mappings at all: left out.
    write("edge", 111, "nomaps\0", "", stat(111, "nomaps"))
    # Field lines smem reads its own way: lower-case keys count, the last value wins, a
    # line not ending in "kB" is ignored, "Pssx" is the key "pss".
    write("edge", 112, "quirks\0", mapping(0x400000, 0x500000, "/q", pss=1, rss=2,
          extra="rss:               5 kB\nPss: 7 MB\nSwap 3 kB\n"), stat(112, "quirks"))
    # 0112 is PID 112 again (int('0112')).
    write("edge", "0112", "quirks-again\0", mapping(0x400000, 0x500000, "/q", pss=1),
          stat(112, "again"))
    # Many mappings with different names, ties in PSS.
    write("edge", 113, "tie\0", lib(101, 300, 5, 5), stat(113, "tie"), owner=1000)
    write("edge", 114, "tie\0", lib(101, 300, 5, 5), stat(114, "tie"))

    # nopss: a process without any Pss line: smem warns and sorts by RSS.
    fresh("nopss")
    meminfo("nopss")
    no_pss = "00400000-00500000 r-xp 00000000 08:01 1 /x\nSize:  1024 kB\nRss:   80 kB\n"
    write("nopss", 200, "a\0", lib(50, 10), stat(200, "a"))
    write("nopss", 201, "b\0", lib(10, 50), stat(201, "b"))
    write("nopss", 202, "c\0", no_pss, stat(202, "c"))

    # swap: SwapTotal > 0 and swapped pages; big numbers for -k.
    fresh("swap")
    meminfo("swap", MEMINFO.replace("1000000 kB", "16384000 kB"))
    write("swap", 300, "swapper\0", lib(1000, 2000, 100, 200, swap=123456), stat(300, "swapper"))
    write("swap", 301, "big\0", lib(1536, 1048576, 1048575, 1, swap=1), stat(301, "big"))
    write("swap", 302, "zero\0", lib(0, 0), stat(302, "zero"), owner=4242)

    # empty: no processes; system view only.
    fresh("empty")
    meminfo("empty")
    with open(os.path.join(out, "empty", "owners"), "w"):
        pass

    # nomeminfo: processes but no meminfo: smem exits 0 without a word.
    fresh("nomeminfo")
    write("nomeminfo", 400, "a\0", lib(1, 1), stat(400, "a"))

    # badmeminfo: meminfo without AnonPages and SwapTotal (smem: KeyError tracebacks).
    fresh("badmeminfo")
    meminfo("badmeminfo", "".join(l + "\n" for l in MEMINFO.splitlines()
                                  if not l.startswith(("AnonPages", "SwapTotal"))))
    write("badmeminfo", 500, "a\0", lib(1, 1), stat(500, "a"))


if __name__ == "__main__":
    main()
