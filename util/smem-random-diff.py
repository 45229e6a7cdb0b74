#!/usr/bin/env python3
"""Random differential testing of memtools smem against Debian's smem 1.5.

usage (as root, for chown): util/smem-random-diff.py [SEED [CASES [MEMTOOLS]]]

Each case writes a random snapshot (realistic and mutated smaps, odd command lines and
stat names, random owners, sometimes a damaged meminfo) and runs `smem -S DIR OPTIONS` and
`memtools smem -S DIR OPTIONS` with the same random options; stdout, stderr and the exit
status must be equal, except that a Python traceback and memtools' one-line `smem: ...`
message count as equal when both exit 1, and that smem lists several unknown columns in
arbitrary order. A differing snapshot is kept in the temporary directory and named.
"""
import os, random, subprocess, sys, shutil, tempfile
here = os.path.dirname(os.path.abspath(__file__))
M = sys.argv[3] if len(sys.argv) > 3 else os.path.join(here, "..", "target", "debug", "memtools")
rnd = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
N = int(sys.argv[2]) if len(sys.argv) > 2 else 200
work = tempfile.mkdtemp(prefix="smem-diff-")
base = os.path.join(work, "d")
names = ["/usr/lib/x86_64-linux-gnu/libc.so.6", "/usr/bin/python3.11", "[heap]", "[stack]", "[vdso]", "/memfd:foo (deleted)", "/SYSV00000000 (deleted)", "/dev/shm/x", "", "/tmp/with space", "/lib/é", "[anon:x]"]
fields = ["Size", "KernelPageSize", "MMUPageSize", "Rss", "Pss", "Pss_Dirty", "Shared_Clean", "Shared_Dirty", "Private_Clean", "Private_Dirty", "Referenced", "Anonymous", "Swap", "SwapPss", "Locked"]
def val():
    r = rnd.random()
    if r < 0.6: return str(rnd.choice([0, 4, 8, 12, 100, 132, 1024, 2048, rnd.randint(0, 100000)]))
    if r < 0.7: return str(rnd.randint(0, 10**12))
    if r < 0.75: return rnd.choice(["-5", "+7", "1_0", "0x10", "5.5", "", "abc", "99999999999999999999999"])
    return str(rnd.randint(0, 500))
def smaps():
    out = []
    start = 0x400000
    for i in range(rnd.randint(0, 6)):
        if rnd.random() < 0.05: start = max(0, start - 0x1000)
        end = start + 0x1000 * rnd.randint(1, 50)
        nm = rnd.choice(names)
        line = "%x-%x %s %08x %s %d" % (start, end, rnd.choice(["r-xp", "rw-p", "rw-s", "---p"]), rnd.randint(0, 9999), rnd.choice(["08:01", "00:00", "00:05"]), rnd.randint(0, 99999))
        if nm: line += " " * rnd.randint(1, 20) + nm
        else: line += " "
        if rnd.random() < 0.03: line = rnd.choice(["zz-1 r 0 0 0", "0-1 r 0", "1-2-3 r 0 0 0", "  ", ""])
        out.append(line)
        for f in fields:
            if rnd.random() < 0.08: continue
            v = val() if rnd.random() < 0.1 else str(rnd.randint(0, 3000))
            if f == "Size": v = str((end - start) // 1024)
            ln = "%-16s%8s kB" % (f + ":", v)
            if rnd.random() < 0.02: ln = rnd.choice([f + ": " + v, f + " " + v + " kB", f.lower() + ": " + v + " kB", f + ": " + v + " kB x", "kB", f + ":\x0c" + v + " kB"])
            out.append(ln)
        if rnd.random() < 0.7: out.append("VmFlags: rd wr mr mw me ac sd")
        if rnd.random() < 0.3: out.append("THPeligible:    0")
        start = end + 0x1000 * rnd.randint(0, 3)
    if rnd.random() < 0.02: out.insert(0, "Pss: 1 kB")
    s = "\n".join(out) + ("\n" if out else "")
    b = s.encode()
    if rnd.random() < 0.02: b += b"\xff"
    return b
def cmdline():
    r = rnd.random()
    if r < 0.05: return b""
    if r < 0.07: return b"x"
    if r < 0.09: return b"bad\xff\0"
    if r < 0.11: return b"a\rb\0"
    words = [rnd.choice(["python3", "/usr/bin/sleep", "bash", "-c", "echo hi", "a" * rnd.randint(1, 40), "café", "x\ty"]) for _ in range(rnd.randint(1, 4))]
    return ("\0".join(words) + "\0").encode()
def stat(pid):
    r = rnd.random()
    comm = rnd.choice(["sleep", "python3", "bash", "a) b", "(x", "", "verylongprocessname_abcdefghijkl", "é"])
    if r < 0.05: return b"garbage\n"
    return ("%d (%s) S 1 1 1 0 -1 4194304 100 0 0 0 0 0 0 0 20 0 1 0 100 1000 100\n" % (pid, comm)).encode()
def mem():
    vals = {"MemTotal": rnd.choice([1000000, 24683584, 12345, 1000]), "MemFree": rnd.randint(0, 500000), "Buffers": rnd.randint(0, 9999), "Cached": rnd.randint(0, 99999), "SwapTotal": rnd.choice([0, 0, 2000000]), "AnonPages": rnd.randint(0, 99999), "Mapped": rnd.randint(0, 9999), "SReclaimable": rnd.randint(0, 9999), "Shmem": 5}
    lines = ["%-16s%8d kB" % (k + ":", v) for k, v in vals.items() if rnd.random() > 0.02]
    return ("\n".join(lines) + "\n").encode()
OPTS = ["", "-t", "-u", "-m", "-w", "-p", "-k", "-r", "-n", "-H", "-a", "-s name", "-s user", "-s command", "-s pid", "-s rss", "-s swap", "-s vss", "-s uss", "-s maps",
        "-c 'pid user command name maps pss rss swap uss vss'", "-c 'name pid'", "-u -c 'user count pss rss swap uss vss'", "-m -c 'map count pids avgpss avgrss pss rss swap uss vss'",
        "-P py", "-M lib", "-U root", "-R 2G", "-R 1M", "-m -s map", "-u -s user", "-w -c 'area used cache noncache order'", "-m -M heap", "-c foo", "-s foo", "-m -c avguss", "-R 1m", "-a -k", "-a -p", "-a -H", "-a -t", "-P sleep", "-P '^(py|ba)'", "-U 4242", "-n -u", "-w -R 1G", "-w -k -t", "-w -p", "-c ''", "-c ' '", "-s ''", "-R 1000000K -w", "-t -H"]
fails = 0
for it in range(N):
    shutil.rmtree(base, ignore_errors=True)
    os.makedirs(base + "/proc")
    if rnd.random() > 0.03: open(base + "/proc/meminfo", "wb").write(mem())
    for _ in range(rnd.randint(0, 6)):
        pid = rnd.randint(1, 40000)
        d = "%s/proc/%d" % (base, pid)
        os.makedirs(d, exist_ok=True)
        if rnd.random() > 0.03: open(d + "/cmdline", "wb").write(cmdline())
        if rnd.random() > 0.03: open(d + "/smaps", "wb").write(smaps())
        if rnd.random() > 0.03: open(d + "/stat", "wb").write(stat(pid))
        if rnd.random() < 0.3: os.chown(d, rnd.choice([1, 4242, 65534]), 0)
    opts = " ".join(rnd.sample(OPTS, rnd.randint(1, 3)))
    def run(cmd):
        p = subprocess.run(cmd + " -S " + base + " " + opts, shell=True, capture_output=True)
        err = p.stderr
        out = p.stdout
        if out.startswith(b"unknown fields: "):
            first, rest = out.split(b"\n", 1)
            out = b" ".join(sorted(first.split(b" ")[2:])) + b"\n" + rest
        if b"Traceback" in err: err = b"TRACEBACK"
        if p.returncode == 1 and (err.startswith(b"smem: ") or b"\nsmem: " in err): err = b"TRACEBACK"
        return (p.returncode, out if p.returncode != 1 else b"", err)
    a = run("smem"); b = run(M + " smem")
    if a != b:
        fails += 1
        keep = os.path.join(work, "fail%d" % it)
        shutil.rmtree(keep, ignore_errors=True); shutil.copytree(base, keep, symlinks=True)
        print("FAIL", keep, "opts:", opts)
        for x, y in zip(a, b):
            if x != y: print("  smem:", repr(x)[:600]); print("  mt:  ", repr(y)[:600])
shutil.rmtree(base, ignore_errors=True)
if not fails:
    shutil.rmtree(work, ignore_errors=True)
print("done", N, "fails", fails)
sys.exit(1 if fails else 0)
