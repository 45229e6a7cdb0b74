#!/bin/bash
# Captures the real outputs that docs/walkthrough.md shows: the OSTEP "Address Spaces"
# homework done with memtools on this machine.
#
#   util/walkthrough-capture.sh OUTDIR BINDIR
#
# BINDIR holds memtools and its applet links (e.g. PREFIX/bin after `make install
# PREFIX=...`); it goes first on PATH, so the commands run by name, as in the homework
# (`free -m`, `memory-user 512M`). Writes OUTDIR/*.txt (one file per step,
# each starting with the command line) and OUTDIR/ramp.jsonl (free --json every 0.5 s while
# memory-user --ramp grows and exits), which util/plot-free.py turns into an SVG.
# Needs about 8 GiB of free memory; runs for about two minutes.
set -euo pipefail
out=${1:?usage: $0 OUTDIR BINDIR}
bindir=$(realpath "${2:?usage: $0 OUTDIR BINDIR}")
[ -x "$bindir/memtools" ] && [ -L "$bindir/free" ] || { echo "$0: no memtools links in $bindir" >&2; exit 1; }
mkdir -p "$out"
export PATH="$bindir:$PATH" LC_ALL=C

# Runs "$@" (an applet command line), saving "$ COMMAND" and its output to $out/$name.
step() {
	local name=$1
	shift
	{
		echo "\$ $*"
		"$@" 2>&1
	} >"$out/$name.txt"
}

rss_of() { awk '/^VmRSS:/ {printf "%d\n", $2 * 1024}' "/proc/$1/status" 2>/dev/null || echo 0; }

# Starts memory-user SIZE SECONDS, waits until its RSS reaches SIZE, prints its pid.
start_user() {
	local size=$1 bytes=$2 secs=$3 log=$4
	memory-user -q "$size" "$secs" >"$log" 2>&1 &
	local pid=$!
	for _ in $(seq 1 200); do
		[ "$(rss_of $pid)" -ge "$bytes" ] 2>/dev/null && break
		sleep 0.1
	done
	echo $pid
}

{
	echo '$ man free'
	MANWIDTH=80 MANPAGER=cat man free 2>&1 | head -40
	echo '   ...'
} >"$out/00-man-free.txt"
step 01-free-m free -m
step 02-free-h free -h
step 03-free-w-h free -w -h
step 04-free-t-v-m free -t -v -m
step 05-free-json free --json

n=10
for size in 512M 2G 8G; do
	case $size in 512M) bytes=$((512 << 20)) ;; 2G) bytes=$((2 << 30)) ;; 8G) bytes=$((8 << 30)) ;; esac
	step "$n-$size-before" free -m
	pid=$(start_user "$size" "$bytes" 600 "$out/$n-$size-memory-user.txt")
	sleep 1
	step "$((n + 1))-$size-during" free -m
	if [ "$size" = 2G ]; then
		# Question 6 the quick way: who uses the memory, then pmap -X on the winner.
		{
			echo '$ smem -s pss -r | head'
			smem -s pss -r 2>&1 | head
		} >"$out/37-smem.txt"
		top=$(smem -H -c pid -s pss -r | head -1 | tr -d ' ')
		step 38-smem-pmap-X pmap -X "$top"
		step 39-smem-users smem -u -k -t
	fi
	if [ "$size" = 512M ]; then
		step 30-pmap-X pmap -X "$pid"
		step 31-pmap pmap "$pid"
		step 32-vmmap vmmap -w "$pid"
		step 33-vmmap-summary vmmap -summary "$pid"
		step 34-vm_stat-during vm_stat
	fi
	kill -INT "$pid"
	# Not our child (start_user ran in a command substitution): poll until it is gone.
	while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
	sed -i "1i \$ memory-user -q $size 600   # stopped with kill -INT" "$out/$n-$size-memory-user.txt"
	sleep 1
	step "$((n + 2))-$size-after" free -m
	n=$((n + 3))
done

step 35-vm_stat vm_stat
step 36-vm_stat-interval vm_stat -c 4 1
step 40-too-large memory-user 64G 1 || true

# The plot's data: free --json twice a second, memory-user 8G ramping up over 10 s,
# holding for 6 s more, then exiting.
free --json -s 0.5 -c 60 >"$out/ramp.jsonl" &
freepid=$!
sleep 3
{
	echo "\$ memory-user -q --ramp 10 8G 16"
	memory-user -q --ramp 10 8G 16 2>&1
} >"$out/41-ramp-memory-user.txt"
wait $freepid
echo "captured into $out"
