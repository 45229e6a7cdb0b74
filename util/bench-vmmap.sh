#!/bin/bash
# Times memtools vmmap against memtools pmap -X on the pmap benchmark's helper process
# (util/pmap-bench-helper.c: MAPPINGS single-page mappings that cannot merge), in the same
# hyperfine run. Target (issue): vmmap at most 1.5x the time of pmap -X.
#   util/bench-vmmap.sh [MAPPINGS]   (default 60000; needs hyperfine and gcc)
set -euo pipefail
n=${1:-60000}
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
helper_pid=
cleanup() { [ -n "$helper_pid" ] && kill "$helper_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
(cd "$here" && cargo build --release --quiet)
mt=$here/target/$(rustc -vV | sed -n 's/^host: //p')/release/memtools  # .cargo/config.toml: build.target
gcc -O2 -o "$tmp/helper" "$here/util/pmap-bench-helper.c"
"$tmp/helper" "$n" >"$tmp/ready" &
helper_pid=$!
for _ in $(seq 200); do grep -q ready "$tmp/ready" 2>/dev/null && break; sleep 0.05; done
echo "helper pid $helper_pid: $(wc -l <"/proc/$helper_pid/maps") mappings; $(nproc) CPUs; $(uname -r)" >&2
hyperfine --style none --warmup 2 --runs "${RUNS:-10}" -N --export-json "$tmp/h.json" \
    "$mt pmap -X $helper_pid" "$mt vmmap -w $helper_pid" "$mt vmmap $helper_pid" \
    "$mt vmmap -summary $helper_pid" >/dev/null 2>&1
python3 - "$tmp/h.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
base = r[0]["mean"]
print("| command | mean | ratio to memtools pmap -X |")
print("|---|---|---|")
for x in r:
    cmd = x["command"].split("/")[-1].replace("memtools ", "memtools ")
    print(f"| `{cmd.rsplit(' ', 1)[0]} PID` | {x['mean']*1000:.1f} ms | {x['mean']/base:.2f}x |")
PY
