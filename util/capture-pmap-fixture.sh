#!/bin/bash
# Freezes a live process into a pmap fixture directory:
#   util/capture-pmap-fixture.sh PID NAME [NEWPID]
# copies /proc/PID/{maps,smaps,stat,status,cmdline,comm} to tests/fixtures/pmap/NAME and
# rewrites the pid (stat's first field, status Tgid/Pid/NStgid/NSpid) to NEWPID (1234),
# so the oracle and memtools see a process with that pid (a private mount namespace, as util/record-pmap-goldens.sh does).
set -euo pipefail
pid=$1 name=$2 new=${3:-1234}
here=$(cd "$(dirname "$0")/.." && pwd)
dst=${PMAP_FIXTURE_DIR:-$here/tests/fixtures/pmap}/$name
rm -rf "$dst"; mkdir -p "$dst"
for f in maps smaps stat status cmdline comm; do
    cat "/proc/$pid/$f" >"$dst/$f"
done
sed -i "1s/^$pid /$new /" "$dst/stat"
sed -i -E "s/^(Tgid|Pid|NStgid|NSpid):\t$pid\$/\1:\t$new/" "$dst/status"
