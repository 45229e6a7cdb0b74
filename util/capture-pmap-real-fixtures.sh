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

start() { # start a process that prints "ready" when it is set up
    "$@" >"$tmp/ready.$#" &
    local p=$!
    pids+=($p)
    for _ in $(seq 100); do grep -q ready "$tmp/ready.$#" 2>/dev/null && break; sleep 0.05; done
    echo $p
}
p=$(start "$tmp/pmap-fixture-proc" "$tmp"); "$here/util/capture-pmap-fixture.sh" "$p" real_shm
p=$(start "$tmp/pmap-fixture-static" plain); "$here/util/capture-pmap-fixture.sh" "$p" real_static
p=$(start bash -c 'echo ready; read -r x </dev/tty 2>/dev/null || sleep 1000'); "$here/util/capture-pmap-fixture.sh" "$p" real_bash
p=$(start python3 -c 'import time; print("ready", flush=True); time.sleep(1000)'); "$here/util/capture-pmap-fixture.sh" "$p" real_python
echo captured >&2
