#!/bin/bash
# Benchmarks memtools smem against Debian's smem 1.5 and psutil's scripts/procsmem.py in
# the same run, with the floors: reading every smaps (and every smaps_rollup) with cat.
#   util/bench-smem.sh [PROCESSES]   (default 500 extra sleep processes; as root, to read
#                                     every process; needs hyperfine, smem, python3 with
#                                     psutil, and the psutil sdist for procsmem.py)
# PSUTIL_SDIST points at psutil-*.tar.gz (default /tmp/psutil-sdist/psutil-7.2.2.tar.gz).
# Prints a Markdown table of mean times and the ratio to smem.
set -euo pipefail
n=${1:-500}
here=$(cd "$(dirname "$0")/.." && pwd)
sdist=${PSUTIL_SDIST:-/tmp/psutil-sdist/psutil-7.2.2.tar.gz}
tmp=$(mktemp -d)
pids=()
cleanup() {
    [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
(cd "$here" && cargo build --release --quiet)
mt=$here/target/$(rustc -vV | sed -n "s/^host: //p")/release/memtools  # .cargo/config.toml: build.target
tar xzf "$sdist" -C "$tmp" --wildcards '*/scripts/procsmem.py'
procsmem=$(echo "$tmp"/psutil-*/scripts/procsmem.py)
for _ in $(seq "$n"); do
    sleep 100000 &
    pids+=($!)
done
sleep 1
procs=(/proc/[0-9]*)
count=${#procs[@]}
echo "$count processes ($n started here); $(nproc) CPUs; $(uname -r); smem $(dpkg-query -W -f '${Version}' smem 2>/dev/null || echo '?')" >&2
# The same rows? (Processes come and go between runs, so compare the PIDs both list.)
if diff <(smem | sort) <("$mt" smem | sort) >"$tmp/diff"; then
    echo "default view: identical to smem" >&2
else
    echo "default view differs from smem in $(grep -c "^[<>]" "$tmp/diff") lines (processes changing between the runs)" >&2
    [ -n "${SHOW_DIFF:-}" ] && cat "$tmp/diff" >&2
fi
hyperfine --style none -i --warmup 1 --runs "${RUNS:-10}" -N \
    --export-json "$tmp/h.json" \
    "smem" \
    "python3 $procsmem" \
    "$mt smem" \
    "$mt smem --fast" \
    "sh -c 'cat /proc/[0-9]*/smaps >/dev/null 2>&1'" \
    "sh -c 'cat /proc/[0-9]*/smaps_rollup >/dev/null 2>&1'" >/dev/null 2>&1
python3 - "$tmp/h.json" "$count" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
names = ["smem 1.5 (default view)", "psutil procsmem.py", "memtools smem",
         "memtools smem --fast (smaps_rollup)", "floor: cat every smaps",
         "floor: cat every smaps_rollup"]
base = r[0]["mean"]
print("| %s processes | mean | stddev | ratio to smem |" % sys.argv[2])
print("|---|---|---|---|")
for name, x in zip(names, r):
    print("| %s | %.3f s | %.3f s | %.2fx |" % (name, x["mean"], x["stddev"], x["mean"] / base))
EOF
