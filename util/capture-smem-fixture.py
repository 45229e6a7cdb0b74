#!/usr/bin/env python3
"""Freezes a handful of real, varied processes into a smem snapshot directory.

usage (as root): util/capture-smem-fixture.py DIR

Starts: a Python process with a large heap, one holding SysV and POSIX shared memory, one
with a memfd and a deleted mapped file, a parent and child sharing copy-on-write pages, a
plain sleep owned by nobody (65534), and one with a long non-ASCII command line. Then
copies what smem reads into DIR: proc/meminfo and proc/PID/{cmdline,smaps,stat}, and
writes DIR/owners (`PID UID` lines: the owner of each /proc/PID, which git does not keep;
the golden recorder restores it with chown, memtools reads it through MEMTOOLS_PROC_OWNERS).
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

PY = sys.executable

HEAP = "x = bytearray(48 * 1024 * 1024)\nfor i in range(0, len(x), 4096): x[i] = 1\n"
SHM = r"""
import ctypes, mmap
from multiprocessing import shared_memory
libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
sid = libc.shmget(0, 4 << 20, 0o1600)   # IPC_PRIVATE, IPC_CREAT|0600
addr = libc.shmat(sid, None, 0)
ctypes.memset(addr, 1, 2 << 20)
libc.shmctl(sid, 0, None)                # IPC_RMID: gone once detached
p = shared_memory.SharedMemory(create=True, size=3 << 20)
p.buf[: 1 << 20] = b"y" * (1 << 20)
"""
MEMFD = r"""
import mmap, os, tempfile
fd = os.memfd_create("smem-fixture")
os.ftruncate(fd, 2 << 20)
m = mmap.mmap(fd, 2 << 20)
m[: 1 << 20] = b"z" * (1 << 20)
path = os.path.join(tempfile.gettempdir(), "smem-deleted-%d" % os.getpid())
with open(path, "wb") as f:
    f.write(b"d" * (1 << 20))
g = open(path, "r+b")
dm = mmap.mmap(g.fileno(), 1 << 20)
dm[:] = b"e" * (1 << 20)
os.unlink(path)
"""
FORK = r"""
import os
x = bytearray(8 * 1024 * 1024)
for i in range(0, len(x), 4096): x[i] = 1
if os.fork() == 0:
    for i in range(0, len(x) // 2, 4096): x[i] = 2   # half of it copied, half shared
"""
SLEEP_FOREVER = "\nimport time\nwhile True: time.sleep(1000)\n"


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    procs = []
    children = []
    tmp = tempfile.mkdtemp(prefix="smem-fixture-")
    try:
        for name, body in (("heap", HEAP), ("shm", SHM), ("memfd", MEMFD), ("fork", FORK)):
            script = os.path.join(tmp, name + ".py")
            with open(script, "w") as f:
                f.write(body + SLEEP_FOREVER)
            procs.append(subprocess.Popen([PY, script, name]))
        procs.append(subprocess.Popen(["setpriv", "--reuid=65534", "--regid=65534",
                                       "--clear-groups", "sleep", "100000"]))
        long = os.path.join(tmp, "caf\u00e9-" + "x" * 40)
        os.symlink(shutil.which("sleep"), long)
        procs.append(subprocess.Popen([long, "100000"]))
        time.sleep(2)
        pids = [p.pid for p in procs]
        # The forked child of FORK.
        for line in subprocess.run(["ps", "-o", "pid=", "--ppid", str(procs[3].pid)],
                                   capture_output=True, text=True).stdout.split():
            pids.append(int(line))
            children.append(int(line))
        os.makedirs(os.path.join(out, "proc"), exist_ok=True)
        shutil.copyfile("/proc/meminfo", os.path.join(out, "proc", "meminfo"))
        owners = []
        for pid in pids:
            d = os.path.join(out, "proc", str(pid))
            os.makedirs(d, exist_ok=True)
            for f in ("cmdline", "smaps", "stat"):
                with open("/proc/%d/%s" % (pid, f), "rb") as src:
                    data = src.read()
                with open(os.path.join(d, f), "wb") as dst:
                    dst.write(data)
            owners.append("%d %d\n" % (pid, os.stat("/proc/%d" % pid).st_uid))
        with open(os.path.join(out, "owners"), "w") as f:
            f.writelines(owners)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        for p in procs:
            p.kill()
        for p in procs:
            p.wait()
        for pid in children:
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass
    print("captured %d processes into %s" % (len(pids), out))


if __name__ == "__main__":
    main()
