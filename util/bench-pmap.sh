#!/bin/bash
# Benchmarks memtools pmap against /usr/bin/pmap (procps-ng) in the same run.
#   util/bench-pmap.sh [MAPPINGS]   (default 60000; needs hyperfine, gcc, /usr/bin/time)
# A helper (util/pmap-bench-helper.c) holds MAPPINGS single-page mappings with alternating
# protections; both tools print its map in the default, -x, -X and -XX formats. Prints a
# Markdown table: mean times, the memtools/procps ratio, and peak RSS (max of 5 runs); then
# the floor, `cat` of the helper's maps and smaps, timed in one hyperfine run.
set -euo pipefail
n=${1:-60000}
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
helper_pid=
cleanup() { [ -n "$helper_pid" ] && kill "$helper_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
(cd "$here" && cargo build --release --quiet)
mt=$here/target/$(rustc -vV | sed -n 's/^host: //p')/release/memtools  # .cargo/config.toml: build.target
ln -s "$mt" "$tmp/pmap"
gcc -O2 -o "$tmp/helper" "$here/util/pmap-bench-helper.c"
"$tmp/helper" "$n" >"$tmp/ready" &
helper_pid=$!
for _ in $(seq 200); do grep -q ready "$tmp/ready" 2>/dev/null && break; sleep 0.05; done
lines=$(wc -l <"/proc/$helper_pid/maps")
echo "helper pid $helper_pid: $lines mappings; $(nproc) CPUs; $(uname -r); $(/usr/bin/pmap -V)" >&2
cmp_ok=yes
for fmt in "" -x -X -XX; do
    diff <(/usr/bin/pmap $fmt "$helper_pid") <("$tmp/pmap" $fmt "$helper_pid") >/dev/null || cmp_ok=no
done
echo "outputs identical (default, -x, -X, -XX): $cmp_ok" >&2

peak() { # max RSS in KiB over 5 runs
    local m=0 v
    for _ in 1 2 3 4 5; do
        v=$( { /usr/bin/time -f %M "$@" >/dev/null; } 2>&1 | tail -1)
        [ "$v" -gt "$m" ] && m=$v
    done
    echo "$m"
}
printf '| format | procps-ng 4.0.2 | memtools | ratio | peak RSS procps | peak RSS memtools |\n'
printf '|---|---|---|---|---|---|\n'
for fmt in "" -x -X -XX; do
    label=${fmt:-default}
    hyperfine --style none --warmup 2 --runs "${RUNS:-10}" -N \
        --export-json "$tmp/h.json" \
        "/usr/bin/pmap $fmt $helper_pid" "$tmp/pmap $fmt $helper_pid" >/dev/null 2>&1
    read -r a b < <(python3 -c '
import json,sys
r=json.load(open(sys.argv[1]))["results"]
print(r[0]["mean"], r[1]["mean"])' "$tmp/h.json")
    pa=$(peak /usr/bin/pmap $fmt "$helper_pid")
    pb=$(peak "$tmp/pmap" $fmt "$helper_pid")
    python3 -c '
import sys
a,b=float(sys.argv[2]),float(sys.argv[3])
print("| %s | %.3f s | %.3f s | %.2fx | %.1f MiB | %.1f MiB |" % (sys.argv[1], a, b, b/a, int(sys.argv[4])/1024, int(sys.argv[5])/1024))' \
        "$label" "$a" "$b" "$pa" "$pb"
done
hyperfine --style none --warmup 2 --runs "${RUNS:-10}" -N --export-json "$tmp/f.json" \
    "cat /proc/$helper_pid/maps" "cat /proc/$helper_pid/smaps" >/dev/null 2>&1
python3 -c '
import json,sys
r=json.load(open(sys.argv[1]))["results"]
print("floor (cat): maps %.3f s, smaps %.3f s" % (r[0]["mean"], r[1]["mean"]))' "$tmp/f.json"
