#!/usr/bin/env bash
# Times `memtools meminfo` against psutil 7.2.2's `python3 scripts/meminfo.py` in the same
# hyperfine run and writes the figures to the `## meminfo` section of docs/benchmarks.md.
#
#   util/bench-meminfo.sh            release build, measure, update docs/benchmarks.md
#   util/bench-meminfo.sh --no-write measure and print only
#
# Both read the live /proc. Needs hyperfine, python3 with psutil 7.2.2 and the script from
# psutil's source distribution (util/psutil-sdist.sh fetches both).
set -euo pipefail
cd "$(dirname "$0")/.."

WRITE=1
[ "${1:-}" = --no-write ] && WRITE=0
RUNS=${RUNS:-300}
SCRIPT=$(util/psutil-sdist.sh)
# The interpreter itself, not a wrapper in front of it (pyenv's shim is a shell script).
PY=$(python3 -c 'import sys; print(sys.executable)')

cargo build --release --quiet
BIN=target/$(rustc -vV | sed -n 's/^host: //p')/release/memtools  # .cargo/config.toml: build.target

# Same output first (the lines that do not move between two runs), or the timing compares
# different work.
if ! diff <("$BIN" meminfo | cut -c1-10) <("$PY" "$SCRIPT" | cut -c1-10) >/dev/null; then
  echo "bench-meminfo: memtools meminfo and meminfo.py print different lines" >&2
  exit 1
fi

JSON=$(mktemp)
trap 'rm -f "$JSON"' EXIT
LC_ALL=C hyperfine -N --warmup 20 --runs "$RUNS" --export-json "$JSON" \
  "$BIN meminfo" "$PY $SCRIPT" >&2

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
facts="$(uname -sr) $(uname -m), ${cpu:-unknown CPU}, $(nproc) cores (shared with other jobs);"
facts="$facts $("$PY" --version), psutil $(python3 -c 'import psutil; print(psutil.__version__)');"
facts="$facts $(rustc --version); $(hyperfine --version)"

TABLE=$(python3 - "$JSON" <<'PY'
import json, re, sys
r = json.load(open(sys.argv[1]))["results"]
print("| command | mean | σ | median | min | user | system |")
print("|---|---|---|---|---|---|---|")
for x in r:
    ms = lambda v: "%.3f ms" % (v * 1000)
    cmd = re.sub(r"\S*target/\S*/release/memtools", "memtools", x["command"])
    if cmd.endswith("meminfo.py"):
        cmd = "python3 meminfo.py"
    print("| `%s` | %s | %s | %s | %s | %s | %s |" % (cmd, ms(x["mean"]), ms(x["stddev"]),
          ms(x["median"]), ms(x["min"]), ms(x["user"]), ms(x["system"])))
print()
m, p = r
print("* memtools / psutil mean = **%.3fx** (median %.3fx)" % (m["mean"] / p["mean"], m["median"] / p["median"]))
PY
)
echo "$TABLE"

if [ $WRITE = 1 ]; then
  DOC=docs/benchmarks.md
  SECTION=$(
    printf '## meminfo\n\n'
    printf 'Command: `util/bench-meminfo.sh` (release build; `hyperfine -N --warmup 20 --runs %s`,\n' "$RUNS"
    printf 'memtools and psutil in the same run, both reading the live /proc).\n\n'
    printf 'Machine: %s. Recorded %s.\n\n' "$facts" "$(date -u +%Y-%m-%d)"
    printf '%s\n' "$TABLE"
    printf '\nTarget: memtools at most 0.05x of psutil'"'"'s time. psutil'"'"'s run is mostly the Python\n'
    printf 'interpreter starting and importing psutil; memtools reads meminfo and vmstat once each\n'
    printf '(zoneinfo only when MemAvailable is missing or 0) and writes once.\n'
  )
  python3 - "$DOC" "$SECTION" <<'PY'
import re, sys
path, section = sys.argv[1], sys.argv[2].rstrip("\n") + "\n"
text = open(path).read()
m = re.search(r"^## meminfo\n.*?(?=^## |\Z)", text, flags=re.S | re.M)
if m:
    text = text[:m.start()] + section + ("\n" if m.end() < len(text) else "") + text[m.end():]
else:
    text = text.rstrip("\n") + "\n\n" + section
open(path, "w").write(text)
PY
  echo "updated $DOC" >&2
fi
