#!/usr/bin/env python3
"""Writes the synthetic pmap fixture directories under tests/fixtures/pmap/<name>/.

Each directory is a frozen /proc/PID: maps, smaps, stat, status, cmdline, comm. The
values of `basic` are those of a hand-made demo process (its maps text and the numbers of its
-XX golden), so the recorded goldens can be checked against the spec too. The other
directories are edge cases (docs/pmap.md, "Tests"). Real processes are captured separately
by util/capture-pmap-fixture.sh. Goldens are then recorded from /usr/bin/pmap by
util/record-pmap-goldens.sh.
"""
import os
import shutil
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "pmap")

FIELDS_6X = ["Size", "KernelPageSize", "MMUPageSize", "Rss", "Pss", "Pss_Dirty",
             "Shared_Clean", "Shared_Dirty", "Private_Clean", "Private_Dirty",
             "Referenced", "Anonymous", "KSM", "LazyFree", "AnonHugePages",
             "ShmemPmdMapped", "FilePmdMapped", "Shared_Hugetlb", "Private_Hugetlb",
             "Swap", "SwapPss", "Locked", "THPeligible"]
NO_UNIT = {"THPeligible", "ProtectionKey"}


def maps_line(start, end, perms, off, maj, mnr, inode, name=b""):
    head = b"%08x-%08x %s %08x %02x:%02x %d " % (start, end, perms, off, maj, mnr, inode)
    if name:
        head = head.ljust(73, b" ") + name
    return head + b"\n"


def detail(name, value):
    n = (name.encode() + b":").ljust(16, b" ")
    v = str(value).encode().rjust(8, b" ")
    return n + v + (b"\n" if name in NO_UNIT else b" kB\n")


def smaps_entry(line, fields, flags=None):
    """fields: list of (name, value)."""
    out = line
    for n, v in fields:
        out += detail(n, v)
    if flags is not None:
        out += b"VmFlags: " + flags.encode() + b" \n"
    return out


def stat_text(pid, comm, state="S", ppid=1, startstack=0, vsize=0, rss=0):
    return (b"%d (%s) %s %d %d %d 0 -1 4194560 100 0 0 0 1 1 0 0 20 0 1 0 1000 %d %d "
            b"18446744073709551615 4194304 4198400 %d 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 "
            b"0 0 0 0 0 0 0 0\n") % (pid, comm, state.encode(), ppid, pid, pid, vsize, rss,
                                      startstack)


def status_text(pid, comm, tgid=None, ppid=1, state="S (sleeping)"):
    tgid = pid if tgid is None else tgid
    return (b"Name:\t%s\nUmask:\t0022\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\n"
            b"TracerPid:\t0\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nThreads:\t1\n") % (
                comm, state.encode(), tgid, pid, ppid)


def write(name, files, drop=()):
    d = os.path.join(ROOT, name)
    if os.path.isdir(d):
        shutil.rmtree(d)
    os.makedirs(d)
    for fn, data in files.items():
        if fn in drop:
            continue
        with open(os.path.join(d, fn), "wb") as f:
            f.write(data)


def proc(pid, comm, cmdline, maps, smaps, state="S", ppid=1, startstack=0, tgid=None,
         status_state="S (sleeping)"):
    return {
        "maps": maps,
        "smaps": smaps,
        "stat": stat_text(pid, comm, state, ppid, startstack),
        "status": status_text(pid, comm, tgid, ppid, status_state),
        "cmdline": cmdline,
        "comm": comm + b"\n",
    }


# ---------------------------------------------------------------- basic
BASIC_MAPS = b"""555555554000-555555556000 r--p 00000000 fe:01 1048602                    /usr/bin/demo
555555556000-55555555b000 r-xp 00002000 fe:01 1048602                    /usr/bin/demo
55555555b000-55555555d000 r--p 00007000 fe:01 1048602                    /usr/bin/demo
55555555e000-55555555f000 rw-p 00009000 fe:01 1048602                    /usr/bin/demo
555555560000-555555581000 rw-p 00000000 00:00 0                          [heap]
7ffff7d80000-7ffff7da6000 r--p 00000000 fe:01 1050000                    /usr/lib/x86_64-linux-gnu/libc.so.6
7ffff7da6000-7ffff7efb000 r-xp 00026000 fe:01 1050000                    /usr/lib/x86_64-linux-gnu/libc.so.6
7ffff7efb000-7ffff7f50000 r--p 0017b000 fe:01 1050000                    /usr/lib/x86_64-linux-gnu/libc.so.6
7ffff7f50000-7ffff7f54000 r--p 001cf000 fe:01 1050000                    /usr/lib/x86_64-linux-gnu/libc.so.6
7ffff7f54000-7ffff7f56000 rw-p 001d3000 fe:01 1050000                    /usr/lib/x86_64-linux-gnu/libc.so.6
7ffff7f56000-7ffff7f63000 rw-p 00000000 00:00 0 
7ffff7fc0000-7ffff7fc2000 rw-s 00000000 00:01 294935                     /SYSV00000000 (deleted)
7ffff7fc2000-7ffff7fc3000 rw-s 00000000 00:01 1369                       /dev/zero (deleted)
7ffff7fc3000-7ffff7fc4000 r--s 00000000 00:01 1371                       /memfd:myfd (deleted)
7ffff7fc4000-7ffff7fc5000 r--s 00000000 fe:01 777                        /tmp/dir with space/file name.dat
7ffff7fc5000-7ffff7fc9000 r--p 00000000 00:00 0                          [vvar]
7ffff7fc9000-7ffff7fcb000 r-xp 00000000 00:00 0                          [vdso]
7ffff7fcb000-7ffff7fcd000 rw-p 00000000 00:00 0                          [anon:my name]
7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]
ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]
"""
# Size..THPeligible values per mapping, then VmFlags.
BASIC_VALUES = [
    ("8 4 4 8 8 0 8 0 0 0 8 0 0 0 0 0 0 0 0 0 0 0 0", "rd mr mw me"),
    ("20 4 4 20 20 0 20 0 0 0 20 0 0 0 0 0 0 0 0 0 0 0 0", "rd ex mr mw me"),
    ("8 4 4 8 8 0 8 0 0 0 8 0 0 0 0 0 0 0 0 0 0 0 0", "rd mr mw me"),
    ("4 4 4 4 4 4 0 0 0 4 4 4 0 0 0 0 0 0 0 0 0 0 0", "rd wr mr mw me ac"),
    ("132 4 4 16 16 16 0 0 0 16 16 16 0 0 0 0 0 0 0 0 0 0 0", "rd wr mr mw me ac"),
    ("152 4 4 148 10 0 148 0 0 0 148 0 0 0 0 0 0 0 0 0 0 0 0", "rd mr mw me"),
    ("1364 4 4 884 63 0 884 0 0 0 884 0 0 0 0 0 0 0 0 0 0 0 0", "rd ex mr mw me"),
    ("340 4 4 156 12 0 156 0 0 0 156 0 0 0 0 0 0 0 0 0 0 0 0", "rd mr mw me"),
    ("16 4 4 16 16 16 0 0 0 16 16 16 0 0 0 0 0 0 0 0 0 0 0", "rd mr mw me ac"),
    ("8 4 4 8 8 8 0 0 0 8 8 8 0 0 0 0 0 0 0 0 0 0 0", "rd wr mr mw me ac"),
    ("52 4 4 20 20 20 0 0 0 20 20 20 0 0 0 0 0 0 0 0 0 0 0", "rd wr mr mw me ac"),
    ("8 4 4 8 8 0 0 8 0 0 8 0 0 0 0 0 0 0 0 0 0 0 0", "rd wr sh mr mw me ms sd"),
    ("4 4 4 4 4 0 0 4 0 0 4 0 0 0 0 0 0 0 0 0 0 0 0", "rd wr sh mr mw me ms sd"),
    ("4 4 4 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0", "rd sh mr mw me ms sd"),
    ("4 4 4 4 4 0 4 0 0 0 4 0 0 0 0 0 0 0 0 0 0 0 0", "rd sh mr mw me ms"),
    ("16 4 4 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0", "rd mr pf io de dd sd"),
    ("8 4 4 4 4 0 4 0 0 0 4 0 0 0 0 0 0 0 0 0 0 0 0", "rd ex mr mw me de sd"),
    ("8 4 4 8 8 8 0 0 0 8 8 8 0 0 0 0 0 0 0 0 0 0 0", "rd wr mr mw me ac"),
    ("132 4 4 12 12 12 0 0 0 12 12 12 0 0 0 0 0 0 0 0 0 0 0", "rd wr mr mw me gd ac"),
    ("4 4 4 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0", "ex"),
]


def smaps_from(maps, rows, fields=FIELDS_6X):
    out = b""
    for line, (vals, flags) in zip(maps.splitlines(keepends=True), rows):
        out += smaps_entry(line, list(zip(fields, vals.split())), flags)
    return out


def six(size, rss=None, anon=0, dirty=0, shared=False, swap=0):
    """A 6.x field row: (values, flags)."""
    rss = size if rss is None else rss
    sc, sd, pc, pd = (rss - dirty, dirty, 0, 0) if shared else (0, 0, rss - dirty, dirty)
    vals = [size, 4, 4, rss, rss, dirty, sc, sd, pc, pd, rss, anon, 0, 0, 0, 0, 0, 0, 0,
            swap, 0, 0, 0]
    return " ".join(str(v) for v in vals)


def main():
    basic_smaps = smaps_from(BASIC_MAPS, BASIC_VALUES)
    cmd = b"/usr/bin/demo\0--flag\0arg with space\0"
    write("basic", proc(1234, b"demo", cmd, BASIC_MAPS, basic_smaps, startstack=140737488348064))

    # thread: a TID whose status names 1234 as its thread group.
    write("thread", proc(1235, b"threadcmd", b"threadcmd\0", BASIC_MAPS, basic_smaps,
                         startstack=0, tgid=1234))

    small_maps = (maps_line(0x400000, 0x401000, b"r-xp", 0, 8, 2, 173521, b"/opt/small/small")
                  + maps_line(0x600000, 0x601000, b"rw-p", 0, 8, 2, 173521, b"/opt/small/small")
                  + maps_line(0x7ffc00000000, 0x7ffc00021000, b"rw-p", 0, 0, 0, 0, b"[stack]"))
    small_rows = [(six(4, 4), "rd ex mr mw me"), (six(4, 4, anon=4, dirty=4), "rd wr mr mw me ac"),
                  (six(132, 8, anon=8, dirty=8), "rd wr mr mw me gd ac")]
    small = proc(1235, b"small", b"small\0", small_maps, smaps_from(small_maps, small_rows),
                 startstack=0x7ffc00020f00)
    write("small", small)
    small1234 = proc(1234, b"small", b"small\0", small_maps, smaps_from(small_maps, small_rows),
                     startstack=0x7ffc00020f00)
    for fn in ["cmdline", "status", "maps", "smaps", "stat"]:
        write("no" + fn, small1234, drop=(fn,))

    write("kthread", proc(1234, b"kworker/0:1", b"", b"", b"", state="I", ppid=2,
                          status_state="I (idle)"))
    write("kthread_b", proc(1236, b"kthreadd", b"", b"", b"", state="S", ppid=0))
    write("zombie", proc(1234, b"defunctor", b"", b"", b"", state="Z", status_state="Z (zombie)"))

    # 2.6-style smaps: 11 fields in the old order, no VmFlags, 32-bit addresses.
    old_fields = ["Size", "Rss", "Pss", "Shared_Clean", "Shared_Dirty", "Private_Clean",
                  "Private_Dirty", "Referenced", "Swap", "KernelPageSize", "MMUPageSize"]
    old_maps = (maps_line(0x08048000, 0x08050000, b"r-xp", 0, 3, 1, 12345, b"/bin/old")
                + maps_line(0x08050000, 0x08051000, b"rw-p", 0x8000, 3, 1, 12345, b"/bin/old")
                + maps_line(0x0a000000, 0x0a021000, b"rw-p", 0, 0, 0, 0, b"[heap]")
                + maps_line(0xbffeb000, 0xc0000000, b"rw-p", 0, 0, 0, 0, b"[stack]"))
    old_rows = [("32 32 32 32 0 0 0 32 0 4 4", None), ("4 4 4 0 0 0 4 4 0 4 4", None),
                ("132 12 12 0 0 0 12 12 120 4 4", None), ("84 16 16 0 0 0 16 16 0 4 4", None)]
    write("oldkernel", proc(1234, b"old", b"/bin/old\0", old_maps,
                            smaps_from(old_maps, old_rows, old_fields), startstack=0xbfffe000))

    write("oldkernel_b", proc(1236, b"old", b"/bin/old\0", old_maps,
                              smaps_from(old_maps, old_rows, old_fields), startstack=0xbfffe000))

    ns_fields = ["Size", "Rss", "Pss", "Shared_Dirty", "Private_Dirty", "Referenced"]
    ns_maps = (maps_line(0x10000, 0x11000, b"r-xp", 0, 8, 1, 5, b"/bin/noswap")
               + maps_line(0x20000, 0x21000, b"rw-p", 0, 8, 1, 5, b"/bin/noswap")
               + maps_line(0x30000, 0x31000, b"rw-p", 0, 0, 0, 0))
    ns_rows = [("4 4 4 4 0 4", None), ("4 4 4 0 4 4", None), ("4 4 4 0 4 4", None)]
    write("noswap", proc(1234, b"noswap", b"noswap\0", ns_maps,
                         smaps_from(ns_maps, ns_rows, ns_fields)))

    uk_maps = (maps_line(0x10000, 0x11000, b"r-xp", 0, 8, 1, 1, b"/usr/bin/unk")
               + maps_line(0x20000, 0x22000, b"rw-p", 0, 0, 0, 0))
    uk_fields = ["Size", "Rss", "ProtectionKey", "FooBar", "Swap"]
    uk_rows = [("4 4 0 123456 0", "rd ex mr mw me"), ("8 8 0 7 0", "rd wr mr mw me ac")]
    write("unknownfields", proc(1234, b"unk", b"unk\0", uk_maps,
                                smaps_from(uk_maps, uk_rows, uk_fields)))

    def cmdfix(name, cmdline, comm=b"cmd"):
        write(name, proc(1234, comm, cmdline, small_maps, smaps_from(small_maps, small_rows),
                         startstack=0x7ffc00020f00))

    cmdfix("ctrlchars", b"pr\x01og\ttab\0arg\nnl\0caf\xc3\xa9\0bad\xff\xfeend\0\0")
    cmdfix("trailsp", b"prog arg \n")
    cmdfix("cmd_nuls", b"\0\0")
    cmdfix("cmd_nl", b"\n")
    cmdfix("cmd_2nul", b"a\0\0b\0")
    cmdfix("cmd_lead", b" lead\0")
    cmdfix("cmd_utf", "a\ue000b\u0085c".encode() + b"\xc0\x80d\xc3(e\xe2\x82")
    cmdfix("cmd_comm", b"", comm=b"we\x01ird\xffcomm")

    huge_maps = (maps_line(0x7f0000000000, 0x7f1000000000, b"rw-p", 0, 0, 0, 0)
                 + maps_line(0x7f1000000000, 0x7f1000001000, b"r--s", 0x123456789abc, 0x103, 5,
                             4294967295, b"/data/big.bin"))
    huge_rows = [(six(67108864, 123456789, anon=123456789, dirty=123456789), "rd wr mr mw me ac"),
                 (six(4, 4, shared=True), "rd sh mr mw me ms")]
    write("huge", proc(1234, b"huge", b"huge\0", huge_maps, smaps_from(huge_maps, huge_rows)))

    so_maps = (maps_line(0x400000, 0x401000, b"r-xp", 0, 8, 2, 99, b"/bin/so")
               + maps_line(0x500000, 0x501000, b"rw-p", 0, 0, 0, 0, b"[anon:with/slash]")
               + maps_line(0x600000, 0x601000, b"rw-s", 0, 0, 1, 4242, b"[anon_shmem:shm name]")
               + maps_line(0x700000, 0x701000, b"rw-p", 0, 0, 0, 0, b"[anon:plain]"))
    so_rows = [(six(4), "rd ex mr mw me"), (six(4, anon=4, dirty=4), "rd wr mr mw me ac"),
               (six(4, shared=True), "rd wr sh mr mw me ms"), (six(4), "rd wr mr mw me ac")]
    write("stackonly", proc(1234, b"so", b"so\0", so_maps, smaps_from(so_maps, so_rows),
                            startstack=0x401000))

    u8_maps = (maps_line(0x400000, 0x401000, b"r-xp", 0, 8, 2, 10, "/opt/caf\u00e9/lib\u00fc.so".encode())
               + maps_line(0x401000, 0x402000, b"r--p", 0, 8, 2, 11, b"/opt/tab\there.so")
               + maps_line(0x402000, 0x403000, b"r--p", 0, 8, 2, 12, b"/opt/bad\xffbyte\xc0\x80.so")
               + maps_line(0x403000, 0x404000, b"r--p", 0, 8, 2, 13, b"/opt/new\\012line.so")
               + maps_line(0x404000, 0x405000, b"rw-p", 0, 0, 0, 0, "[anon:\u65e5\u672c]".encode()))
    u8_rows = [(six(4), "rd ex mr mw me")] + [(six(4), "rd mr mw me")] * 3 + [
        (six(4, anon=4, dirty=4), "rd wr mr mw me ac")]
    write("utf8names", proc(1234, b"u8", b"u8\0", u8_maps, smaps_from(u8_maps, u8_rows)))

    deep = b"/" + b"/".join([b"d" + (b"%02d" % i) + b"x" * 45 for i in range(22)]) + b"/longname"
    assert len(deep) > 1023
    lp_maps = (maps_line(0x400000, 0x401000, b"r-xp", 0, 8, 2, 7, b"/bin/lp")
               + maps_line(0x401000, 0x412000, b"r-xp", 0, 8, 2, 8, deep)
               + maps_line(0x500000, 0x501000, b"rw-p", 0, 0, 0, 0))
    lp_rows = [(six(4), "rd ex mr mw me"), (six(68, 8), "rd ex mr mw me"),
               (six(4, anon=4, dirty=4), "rd wr mr mw me ac")]
    write("longpath", proc(1234, b"lp", b"lp\0", lp_maps, smaps_from(lp_maps, lp_rows)))

    # A long path right after a shared mapping (the stale perms then end in 's').
    lps_maps = (maps_line(0x400000, 0x401000, b"rw-s", 0, 0, 1, 7, b"/dev/shm/x")
                + maps_line(0x401000, 0x412000, b"r-xp", 0, 8, 2, 8, deep.replace(b"/d", b"/A")))
    write("longpath2", proc(1234, b"lp", b"lp2\0", lps_maps,
                            smaps_from(lps_maps, [(six(4, shared=True), "rd wr sh"), (six(68), "rd ex")])))

    # The piece after byte 1023 starts with an upper-case letter: -x takes it for a
    # "Key:" line (and "Swap:" prints a row).
    for fname, tail in [("longupper", b"Quux/tail.so"), ("longswap", b"Swap:  9/x.so"),
                        ("longrss", b"Rss: 77/x.so")]:
        p = b"/" + b"p" * 949 + tail
        lu_maps = (maps_line(0x400000, 0x401000, b"r-xp", 0, 8, 2, 7, b"/bin/lu")
                   + maps_line(0x401000, 0x412000, b"r-xp", 0, 8, 2, 8, p)
                   + maps_line(0x500000, 0x501000, b"rw-p", 0, 0, 0, 0))
        assert lu_maps.splitlines()[1][1023:1024] == tail[:1]
        write(fname, proc(1234, b"lu", b"lu\0", lu_maps, smaps_from(lu_maps, lp_rows)))

    # -X fatal errors.
    bad = smaps_from(small_maps, small_rows).replace(
        b"00600000-00601000 rw-p 00000000 08:02 173521", b"00600000-00601000 rw-p 00000000")
    write("badsmaps", proc(1234, b"bad", b"bad\0", small_maps, bad))
    inc = smaps_from(small_maps, small_rows)
    parts = inc.split(b"00600000-00601000")
    parts[1] = parts[1].replace(b"Rss:", b"Rzz:", 1)
    write("inconsistent", proc(1234, b"inc", b"inc\0", small_maps, b"00600000-00601000".join(parts)))
    # A mapping without fields the list has. A trailing field (THPeligible for -X, Swap in
    # an rc selection) is not fatal: procps prints the column's previous value there.
    mt_rows = [(six(4, 4, swap=4).rsplit(" ", 1)[0] + " 1", "rd ex mr mw me")] + small_rows[1:]
    mt = smaps_from(small_maps, mt_rows)
    parts = mt.split(b"00600000-00601000")
    parts[1] = parts[1].replace(b"THPeligible:           0\n", b"", 1)
    write("missingtail", proc(1234, b"mt", b"mt\0", small_maps, b"00600000-00601000".join(parts)))
    parts = mt.split(b"00600000-00601000")
    parts[1] = parts[1].replace(b"Swap:                  0 kB\n", b"", 1)
    write("missingswap", proc(1234, b"ms", b"ms\0", small_maps, b"00600000-00601000".join(parts)))
    nonnum = smaps_from(small_maps, small_rows).replace(b"LazyFree:              0 kB\n",
                                                        b"LazyFree:      lots\n", 1)
    write("nonnumeric", proc(1234, b"nn", b"nn\0", small_maps, nonnum))

    # SysV shm on a device minor that is not the live system's: no shmid label.
    sv_maps = (maps_line(0x400000, 0x402000, b"rw-s", 0, 0, 0x25, 98304, b"/SYSV0000abcd (deleted)")
               + maps_line(0x500000, 0x502000, b"rw-s", 0, 0, 1, 98305, b"/SYSV0000abce (deleted)"))
    write("sysvminor", proc(1234, b"sv", b"sv\0", sv_maps,
                            smaps_from(sv_maps, [(six(8, shared=True), "rd wr sh"),
                                                 (six(8, shared=True), "rd wr sh")])))

    # Address 0 with startstack 0 (kernel-thread-like stat) is labelled [ stack ].
    z_maps = (maps_line(0, 0x1000, b"---p", 0, 0, 0, 0)
              + maps_line(0x10000, 0x11000, b"r-xp", 0, 8, 2, 3, b"/bin/z"))
    write("zeroaddr", proc(1234, b"z", b"z\0", z_maps,
                           smaps_from(z_maps, [(six(4, 0), "mr mw me"), (six(4), "rd ex mr mw me")])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
