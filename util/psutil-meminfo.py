#!/usr/bin/env python3
"""The meminfo applet's oracle: psutil 7.2.2 pointed at a /proc snapshot.

    psutil-meminfo.py MEMINFO_PY DIR          run psutil's scripts/meminfo.py with
                                                psutil.PROCFS_PATH = DIR
    psutil-meminfo.py --json MEMINFO_PY DIR   print, from psutil.virtual_memory() and
                                                psutil.swap_memory(), the record that
                                                `memtools meminfo --json` must print
                                                (docs/json.md); exit 1 if psutil raises
    psutil-meminfo.py --batch MEMINFO_PY DIR...
                                                both of the above for many directories in
                                                one process (the differential test): one
                                                JSON line per DIR with "stdout", "warnings"
                                                (the RuntimeWarning messages), "exception"
                                                (the traceback's last line, or null),
                                                "status" (1 when it raised) and "json"

MEMINFO_PY is the script from psutil's source distribution (util/psutil-sdist.sh prints
its path). DIR is used as given, so psutil's messages name DIR/vmstat exactly as spelled.
"""
import contextlib
import io
import json
import runpy
import sys
import traceback
import warnings

import psutil


def record(root):
    compact = dict(separators=(",", ":"))
    vm = json.dumps(psutil.virtual_memory()._asdict(), **compact)
    sw = json.dumps(psutil.swap_memory()._asdict(), **compact)
    return '{"schema_version":1,"tool":"meminfo","virtual_memory":%s,"swap_memory":%s}' % (vm, sw)


def batch(script, roots):
    for root in roots:
        psutil.PROCFS_PATH = root
        out, warned, exception, as_json = io.StringIO(), [], None, None
        # Every warning shown each time (a fresh process would show each once).
        warnings.simplefilter("always")
        warnings.showwarning = lambda message, *a, **k: warned.append(str(message))
        with contextlib.redirect_stdout(out):
            try:
                runpy.run_path(script, run_name="__main__")
            except Exception as e:  # noqa: BLE001 - the traceback's last line is the result
                exception = traceback.format_exception_only(type(e), e)[-1].strip()
        warnings.simplefilter("ignore")
        try:
            as_json = record(root)
        except Exception:  # noqa: BLE001
            pass
        print(json.dumps({"stdout": out.getvalue(), "warnings": warned, "exception": exception,
                          "status": 1 if exception else 0, "json": as_json}))


def main():
    args = sys.argv[1:]
    if args[:1] == ["--batch"]:
        batch(args[1], args[2:])
        return
    as_json = args[:1] == ["--json"]
    if as_json:
        args = args[1:]
    script, root = args
    psutil.PROCFS_PATH = root
    if not as_json:
        sys.argv = ["meminfo.py"]
        runpy.run_path(script, run_name="__main__")
        return
    warnings.simplefilter("ignore")
    print(record(root))


main()
