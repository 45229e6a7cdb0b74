#!/usr/bin/env python3
"""The meminfo applet's macOS oracle, runnable on Linux: psutil 7.2.2's own macOS code
(psutil/_psosx.py) and scripts/meminfo.py, fed counters instead of a Mac.

    psutil-meminfo-macos.py MEMINFO_PY COUNTERS_JSON           meminfo.py's output
    psutil-meminfo-macos.py --json MEMINFO_PY COUNTERS_JSON    memtools' --json record

COUNTERS_JSON names what psutil's C extension would read on a Mac: memsize, page_size,
active, inactive, wire, free, speculative (page counts, host_statistics64), pageins,
pageouts, swap_total, swap_used, swap_avail (vm.swapusage, bytes). A stand-in for the C
extension module (_psutil_osx) returns them the way the C code does (counts times the
page size); everything else is psutil's Python code, unchanged.
"""
import importlib
import json
import runpy
import sys
import types


def main():
    args = sys.argv[1:]
    as_json = args[:1] == ["--json"]
    if as_json:
        args = args[1:]
    script, counters = args
    c = json.load(open(counters))
    ps = c["page_size"]
    mask = (1 << 64) - 1  # C unsigned long long products

    class Ext(types.ModuleType):
        # Constants and functions psutil's macOS module touches at import time.
        def __getattr__(self, name):
            if name.isupper():
                return hash(name) & 0xFFFF
            return lambda *a: 0

    ext = Ext("psutil._psutil_osx")
    ext.getpagesize = lambda: ps
    ext.virtual_mem = lambda: (
        c["memsize"], c["active"] * ps & mask, c["inactive"] * ps & mask,
        c["wire"] * ps & mask, c["free"] * ps & mask, c["speculative"] * ps & mask)
    ext.swap_mem = lambda: (
        c["swap_total"], c["swap_used"], c["swap_avail"],
        c["pageins"] * ps & mask, c["pageouts"] * ps & mask)
    sys.modules["psutil._psutil_osx"] = ext
    import psutil
    import psutil._common
    psutil._common.LINUX, psutil._common.MACOS = False, True
    import psutil._ntuples
    importlib.reload(psutil._ntuples)  # the macOS named tuples
    import psutil._psosx
    psutil._psplatform = psutil._psosx
    if as_json:
        compact = dict(separators=(",", ":"))
        vm = json.dumps(psutil.virtual_memory()._asdict(), **compact)
        sw = json.dumps(psutil.swap_memory()._asdict(), **compact)
        print('{"schema_version":1,"tool":"meminfo","virtual_memory":%s,"swap_memory":%s}' % (vm, sw))
        return
    sys.argv = ["meminfo.py"]
    runpy.run_path(script, run_name="__main__")


main()
