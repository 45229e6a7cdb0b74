#!/usr/bin/env bash
# Records what the REAL LXCFS serves as /proc/meminfo for each fixture cgroup tree under
# tests/fixtures/cgroup/ (made by util/make-cgroup-fixtures.py), and what procps-ng free
# prints on that meminfo. memtools never produces these files.
#
#   sudo util/record-cgroup-goldens.sh [CASE...]
#
# Needs: root, lxcfs (5.0.x), strace, unshare, nsenter, procps-ng 4.0.x /usr/bin/free, a
# cgroup v1 memory hierarchy (for the v1 cases) and a mountable cgroup2 (for the v2 cases);
# for the meminfo goldens psutil 7.2.2 and its scripts/meminfo.py (util/psutil-sdist.sh).
#
# How a fixture tree is served to LXCFS (LXCFS reads the cgroup files through its own
# private mount of each hierarchy, below /run/lxcfs/controllers):
# * one LXCFS instance per case, with its own pid file and mount directory, started in a
#   private mount namespace where the case's proc/meminfo is bind-mounted over
#   /proc/meminfo (LXCFS's "host" lines then come from the fixture, not from this machine);
# * for v2 the namespace's /sys/fs/cgroup is a fresh cgroup2 mount whose
#   cgroup.controllers is bind-mounted from a file naming `memory` (this machine's v2 has
#   no memory controller; LXCFS then reads memory files from the unified hierarchy);
# * once LXCFS has made its private mounts, the case's cgroup directory `mtfix` is
#   bind-mounted over a real, empty cgroup directory of the same place inside LXCFS's
#   namespace: v1 `<our memory cgroup>/mtfix`, v2 `/mtfix`;
# * a reader is started in a new pid namespace whose init sits in the real `mtfix/leaf`
#   cgroup (LXCFS answers for the cgroup of the reader's pid-namespace init), and reads
#   LXCFS's proc/meminfo. LXCFS then finds the fixture's files where it looks for that
#   cgroup's, and walks up: mtfix (the fixture's), then our own cgroup and its ancestors,
#   which must have no limits (checked below), as the fixture's root has none.
# * LXCFS probes swap accounting once at startup (v1: memory.memsw.* at the hierarchy
#   root; v2: memory.swap.max and memory.swap.current at the root, where the kernel never
#   creates them, so LXCFS 5.0.3 never shows swap on cgroup v2). case.conf says what the
#   probe must answer: `real` (leave it), `forced` (strace makes both faccessat2 calls
#   succeed: LXCFS with working v2 swap detection, as later LXCFS releases have), or
#   `fails` (strace makes them fail: a kernel without swap accounting).
#
# Output per case: lxcfs.meminfo, and golden/NAME.out for each line of free-options.tsv
# (`NAME<TAB>OPTIONS`), /usr/bin/free run with LC_ALL=C on lxcfs.meminfo bind-mounted over
# /proc/meminfo (status 0 and an empty stderr are checked here); and golden/meminfo.txt and
# golden/meminfo.json, what psutil's scripts/meminfo.py prints (util/psutil-meminfo.py,
# text and --json record) with PROCFS_PATH a directory holding that meminfo and the
# case's vmstat (as psutil reads them in a container under LXCFS). For the few cases where
# memtools deliberately differs from LXCFS, see `differences` below.
set -euo pipefail
cd "$(dirname "$0")/.."
FIX=$PWD/tests/fixtures/cgroup
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
for t in lxcfs strace unshare nsenter /usr/bin/free; do
  command -v "$t" >/dev/null || { echo "missing $t" >&2; exit 1; }
done

MEMINFO_PY=$(sh util/psutil-sdist.sh)
WORK=$(mktemp -d /tmp/memtools-cgrec.XXXXXX)
ME=$(sed -n 's/^[0-9]*:[^:]*\bmemory\b[^:]*://p' /proc/self/cgroup)
# mountinfo: the file system type and super options follow the "-" field.
mounts() {
  awk -v want="$1" '{ for (i = 7; i <= NF; i++) if ($i == "-") { t = $(i + 1); o = $(i + 3); break }
    if (want == "cgroup2" && t == "cgroup2") { print $5; exit }
    if (want == "memory" && t == "cgroup" && o ~ /(^|,)memory(,|$)/) { print $5; exit } }' /proc/self/mountinfo
}
V1=$(mounts memory)
V2=$(mounts cgroup2)
LXPID=
INIT=

cleanup() {
  [ -n "$INIT" ] && kill -KILL "$INIT" 2>/dev/null || true
  [ -n "$LXPID" ] && kill "$LXPID" 2>/dev/null || true
  sleep 0.5
  [ -n "$V1" ] && rmdir "$V1$ME/mtfix/leaf" "$V1$ME/mtfix" 2>/dev/null || true
  [ -n "$V2" ] && rmdir "$V2/mtfix/leaf" "$V2/mtfix" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -n "$V1" ]; then
  # Our own cgroup and its ancestors must not limit anything (LXCFS walks through them).
  h=$(awk '$1 == "hierarchical_memory_limit" { print $2 }' "$V1$ME/memory.stat")
  [ "$h" -ge 4611686018427387904 ] || { echo "our cgroup $ME has a memory limit ($h)" >&2; exit 1; }
  mkdir -p "$V1$ME/mtfix/leaf"
fi
[ -n "$V2" ] && mkdir -p "$V2/mtfix/leaf"
echo "memory" > "$WORK/controllers"

# The mount namespace LXCFS made for its cgroup mounts (an fd it keeps open).
lxcfs_mnt_ns() {
  ls -l "/proc/$1/fd" | sed -n 's/.* \([0-9]*\) -> mnt:.*/\1/p' | head -1
}

record_case() {
  local dir=$1 name
  name=$(basename "$dir")
  local version probe
  version=$(sed -n 's/^version=//p' "$dir/case.conf")
  probe=$(sed -n 's/^swap_probe=//p' "$dir/case.conf")
  local mnt=$WORK/lx-$name pidf=$WORK/lx-$name.pid
  mkdir -p "$mnt"
  local inject=()
  case $probe in
    forced) inject=(strace -f -o /dev/null -e trace=faccessat2 -e inject=faccessat2:retval=0:when=1..2) ;;
    fails) inject=(strace -f -o /dev/null -e trace=faccessat2 -e inject=faccessat2:error=ENOENT:when=1..2) ;;
  esac
  local setup="mount --bind '$dir/proc/meminfo' /proc/meminfo"
  if [ "$version" = 2 ]; then
    setup="$setup; umount -R -l /sys/fs/cgroup; mount -t cgroup2 cgroup2 /sys/fs/cgroup; \
mount --bind '$WORK/controllers' /sys/fs/cgroup/cgroup.controllers"
  fi
  setsid unshare -m --propagation private sh -c "$setup; exec ${inject[*]} lxcfs -f -p '$pidf' '$mnt'" \
    >"$WORK/lx-$name.log" 2>&1 &
  for _ in $(seq 50); do [ -s "$pidf" ] && grep -q "$mnt" /proc/$(cat "$pidf")/mountinfo 2>/dev/null && break; sleep 0.1; done
  LXPID=$(cat "$pidf")
  local ns
  ns=$(lxcfs_mnt_ns "$LXPID")
  local real
  if [ "$version" = 1 ]; then
    nsenter --mount="/proc/$LXPID/fd/$ns" mount --bind "$dir/sys/fs/cgroup/memory/mtfix" \
      "/run/lxcfs/controllers/sys/fs/cgroup/memory$ME/mtfix"
    real=$V1$ME/mtfix/leaf
  else
    nsenter --mount="/proc/$LXPID/fd/$ns" mount --bind "$dir/sys/fs/cgroup/mtfix" \
      /run/lxcfs/controllers/sys/fs/cgroup/mtfix
    real=$V2/mtfix/leaf
  fi
  # The reader's pid-namespace init, in the real leaf cgroup.
  (echo $BASHPID >"$real/cgroup.procs"; exec unshare -p -f --kill-child sleep 1000000) &
  local up=$!
  for _ in $(seq 50); do INIT=$(pgrep -P $up || true); [ -n "$INIT" ] && break; sleep 0.05; done
  nsenter --mount="/proc/$LXPID/ns/mnt" --pid="/proc/$INIT/ns/pid" -- \
    cat "$mnt/proc/meminfo" >"$dir/lxcfs.meminfo"
  kill -KILL "$INIT"; wait $up 2>/dev/null || true; INIT=
  kill "$LXPID"; LXPID=
  wait 2>/dev/null || true
  if cmp -s "$dir/lxcfs.meminfo" "$dir/proc/meminfo"; then
    echo "$name: LXCFS served the host's meminfo unchanged (it did not find the cgroup)" >&2
    cat "$WORK/lx-$name.log" >&2
    exit 1
  fi
  # A case where memtools deliberately differs from LXCFS has a hand-written `differences`
  # file: the lines memtools prints instead (docs/containers.md). expected.meminfo is
  # LXCFS's answer with those lines replaced, and free's goldens are recorded on it.
  local shown=$dir/lxcfs.meminfo
  rm -f "$dir/expected.meminfo"
  if [ -f "$dir/differences" ]; then
    awk 'NR == FNR { k = substr($0, 1, index($0, ":")); d[k] = $0; next }
      { k = substr($0, 1, index($0, ":")); if (k in d) print d[k]; else print }' \
      "$dir/differences" "$dir/lxcfs.meminfo" >"$dir/expected.meminfo"
    shown=$dir/expected.meminfo
  fi
  rm -rf "$dir/golden"; mkdir -p "$dir/golden"
  while IFS=$'\t' read -r oname opts; do
    [ -z "$oname" ] || [ "${oname:0:1}" = "#" ] && continue
    # shellcheck disable=SC2086
    unshare -m sh -c "mount --bind '$shown' /proc/meminfo && \
      exec env -i LC_ALL=C /usr/bin/free $opts" >"$dir/golden/$oname.out" 2>"$WORK/err" || {
      echo "$name $oname: free failed: $(cat "$WORK/err")" >&2; exit 1; }
    [ -s "$WORK/err" ] && { echo "$name $oname: stderr: $(cat "$WORK/err")" >&2; exit 1; }
  done <"$FIX/free-options.tsv"
  local ps=$WORK/ps-$name
  mkdir -p "$ps"; cp "$shown" "$ps/meminfo"; cp "$dir/proc/vmstat" "$ps/vmstat"
  (cd "$WORK" && LC_ALL=C python3 "$OLDPWD/util/psutil-meminfo.py" "$MEMINFO_PY" "ps-$name") \
    >"$dir/golden/meminfo.txt" || { echo "$name: psutil failed" >&2; exit 1; }
  (cd "$WORK" && LC_ALL=C python3 "$OLDPWD/util/psutil-meminfo.py" --json "$MEMINFO_PY" "ps-$name") \
    >"$dir/golden/meminfo.json" || { echo "$name: psutil --json failed" >&2; exit 1; }
  echo "$name: recorded ($(grep -c . "$FIX/free-options.tsv") free option sets, meminfo)"
}

cases=("$@")
[ ${#cases[@]} -gt 0 ] || mapfile -t cases < <(cd "$FIX" && ls -d */ | tr -d /)
for c in "${cases[@]}"; do
  d=$FIX/$c
  [ -f "$d/case.conf" ] || continue
  v=$(sed -n 's/^version=//p' "$d/case.conf")
  if [ "$v" = 1 ] && [ -z "$V1" ]; then echo "$c: no cgroup v1 memory hierarchy here, skipped" >&2; continue; fi
  if [ "$v" = 2 ] && [ -z "$V2" ]; then echo "$c: no cgroup2 mount here, skipped" >&2; continue; fi
  record_case "$d"
done
