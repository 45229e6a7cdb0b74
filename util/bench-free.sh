#!/usr/bin/env bash
# Times `memtools free` against procps-ng `/usr/bin/free` in the same hyperfine run and
# writes the figures to the `## free` section of docs/benchmarks.md.
#
#   util/bench-free.sh            release build, measure, update docs/benchmarks.md
#   util/bench-free.sh --no-write measure and print only
#
# Both programs read the live /proc/meminfo. Needs hyperfine and python3 (JSON parsing).
set -euo pipefail
cd "$(dirname "$0")/.."

WRITE=1
[ "${1:-}" = --no-write ] && WRITE=0
ORACLE=${ORACLE:-/usr/bin/free}
RUNS=${RUNS:-1000}

cargo build --release --quiet
BIN=target/$(rustc -vV | sed -n 's/^host: //p')/release/memtools  # .cargo/config.toml: build.target

# Same output first, or the timing compares different work.
for args in "" "-h -w -l -t -v"; do
  # shellcheck disable=SC2086
  if ! diff <(LC_ALL=C "$BIN" free $args | sed 1d | awk '{print $1}') \
    <(LC_ALL=C "$ORACLE" $args | sed 1d | awk '{print $1}') >/dev/null; then
    echo "bench-free: memtools free $args and $ORACLE $args print different rows" >&2
    exit 1
  fi
done

JSON=$(mktemp)
trap 'rm -f "$JSON"' EXIT
CMDS=(
  "$BIN free" "$ORACLE"
  "$BIN free -h -w -l -t -v" "$ORACLE -h -w -l -t -v"
)
LC_ALL=C hyperfine -N --warmup 100 --runs "$RUNS" --export-json "$JSON" "${CMDS[@]}" >&2

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
facts="$(uname -sr) $(uname -m), ${cpu:-unknown CPU}, $(nproc) cores (shared with other jobs);"
facts="$facts oracle: $("$ORACLE" -V); $(rustc --version); $(hyperfine --version)"

TABLE=$(python3 - "$JSON" <<'EOF'
import json, re, sys
r = json.load(open(sys.argv[1]))["results"]
print("| command | mean | σ | median | min | user | system |")
print("|---|---|---|---|---|---|---|")
for x in r:
    ms = lambda v: "%.3f ms" % (v * 1000)
    cmd = re.sub(r"\S*target/\S*/release/memtools", "memtools", x["command"])
    print("| `%s` | %s | %s | %s | %s | %s | %s |" % (cmd, ms(x["mean"]), ms(x["stddev"]),
          ms(x["median"]), ms(x["min"]), ms(x["user"]), ms(x["system"])))
print()
for i in (0, 2):
    m, p = r[i], r[i + 1]
    args = p["command"].split(" ", 1)[1] if " " in p["command"] else "(no options)"
    print("* %s: memtools / procps mean = **%.2fx** (median %.2fx)" % (
        args, m["mean"] / p["mean"], m["median"] / p["median"]))
EOF
)
echo "$TABLE"

if [ $WRITE = 1 ]; then
  DOC=docs/benchmarks.md
  mkdir -p docs
  [ -f $DOC ] || printf '# Benchmarks\n\nEach section is written by its util/bench-*.sh script.\n' >$DOC
  SECTION=$(
    printf '## free\n\n'
    printf 'Command: `util/bench-free.sh` (release build; `hyperfine -N --warmup 100 --runs %s`,\n' "$RUNS"
    printf 'memtools and procps-ng in the same run, both reading the live /proc/meminfo, LC_ALL=C).\n\n'
    printf 'Machine: %s. Recorded %s.\n\n' "$facts" "$(date -u +%Y-%m-%d)"
    printf '%s\n' "$TABLE"
    printf '\nTarget: memtools at most 0.76x of procps time. Both are dominated by process start\n'
    printf '(exec, dynamic loading; procps also loads libproc2 and libsystemd); memtools itself does one\n'
    printf 'read(2) of meminfo and one write(2) per table (`strace`).\n'
  )
  python3 - "$DOC" "$SECTION" <<'EOF'
import re, sys
path, section = sys.argv[1], sys.argv[2].rstrip("\n") + "\n"
text = open(path).read()
m = re.search(r"^## free\n.*?(?=^## |\Z)", text, flags=re.S | re.M)
if m:
    text = text[:m.start()] + section + ("\n" if m.end() < len(text) else "") + text[m.end():]
else:
    text = text.rstrip("\n") + "\n\n" + section
open(path, "w").write(text)
EOF
  echo "updated $DOC" >&2
fi
