#!/bin/bash
# Captures the real-process pmap fixtures (a shell, python3, a static binary, and a
# process with SysV shm, a memfd and deleted files) with util/capture-pmap-fixture.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
pids=()
trap 'kill ${pids[*]} 2>/dev/null || true; rm -rf "$tmp"' EXIT
gcc -O2 -o "$tmp/pmap-fixture-proc" "$here/util/pmap-fixture-proc.c"
gcc -O2 -static -o "$tmp/pmap-fixture-static" "$here/util/pmap-fixture-proc.c"

p=
start() { # start a process that prints "ready" when it is set up; its pid goes to $p
    "$@" >"$tmp/ready.${#pids[@]}" &
    p=$!
    pids+=($p)
    for _ in $(seq 100); do grep -q ready "$tmp/ready.$((${#pids[@]} - 1))" 2>/dev/null && break; sleep 0.05; done
}
start "$tmp/pmap-fixture-proc" "$tmp"; "$here/util/capture-pmap-fixture.sh" "$p" real_shm
start "$tmp/pmap-fixture-static" plain; "$here/util/capture-pmap-fixture.sh" "$p" real_static
start bash -c 'echo ready; while :; do sleep 1000; done'; "$here/util/capture-pmap-fixture.sh" "$p" real_bash
start python3 -c 'import time; print("ready", flush=True); time.sleep(1000)'; "$here/util/capture-pmap-fixture.sh" "$p" real_python
echo captured >&2
