#!/usr/bin/env bash
# Benchmark for memory-user against two C references, all in the same run:
#   * memset-stream.c      a plain memset over a malloc'd buffer of the same size, per pass;
#   * memory-user-naive.c  the homework's solution: malloc, then write each int per pass.
# Both are compiled here with the system C compiler at -O2.
#
# It measures, RUNS times each, interleaved (memset, naive, memory-user), taking the best:
#   1. streaming rate of the passes after the first, SIZE_MIB buffer, SECS seconds each;
#   2. time to make RESIDENT_MIB resident (the first pass), memory-user vs the naive program;
#   3. resident overhead above SIZE while memory-user runs (VmRSS - SIZE, and RssAnon - SIZE),
#      next to the naive program's.
# and prints a Markdown table with the ratios (the figures for docs/benchmarks.md).
#
# Usage: util/bench-memory-user.sh            (from the repository root)
# Environment: MEMTOOLS (binary to test; default: builds target/TRIPLE/release/memtools),
#              SIZE_MIB (1024), SECS (4), RESIDENT_MIB (4096), RUNS (4), CC (cc).
set -euo pipefail

cd "$(dirname "$0")/.."
SIZE_MIB=${SIZE_MIB:-1024}
SECS=${SECS:-4}
RESIDENT_MIB=${RESIDENT_MIB:-4096}
RUNS=${RUNS:-4}
CC=${CC:-cc}

if [[ -z "${MEMTOOLS:-}" ]]; then
    cargo build --release --quiet
    MEMTOOLS=target/$(rustc -vV | sed -n 's/^host: //p')/release/memtools
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$CC" -O2 -o "$work/naive" util/memory-user-naive.c
"$CC" -O2 -o "$work/memset" util/memset-stream.c

field() { awk -v k="$1" '$1 == k { print $2 }'; }

# memory-user's summary: "  mean  X GB/s (Y GB/s after the first pass)" and
# "  first pass  Z s (...)".
mu_steady() { sed -n 's/.*(\([0-9.]*\) GB\/s after the first pass).*/\1/p'; }
mu_first() { awk '$1 == "first" && $2 == "pass" { print $3 }'; }

best_max() { sort -g | tail -n 1; }
best_min() { sort -g | head -n 1; }

# Waits until PID's VmRSS reaches MIB.
wait_resident() {
    local pid=$1 want=$(( $2 * 1024 )) rss
    while :; do
        rss=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
        [[ "${rss:-0}" -ge "$want" ]] && break
        sleep 0.05
    done
    sleep 0.2
}

# VmRSS and RssAnon (KiB) of PID, sampled once its resident size has reached SIZE_MIB.
sample_rss() {
    local pid=$1 want=$(( SIZE_MIB * 1024 )) i rss anon
    for i in $(seq 1 300); do
        rss=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
        if [[ -n "$rss" && "$rss" -ge "$want" ]]; then
            sleep 0.5
            rss=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$pid/status")
            anon=$(awk '$1 == "RssAnon:" { print $2 }' "/proc/$pid/status")
            echo "$rss $anon"
            return
        fi
        sleep 0.02
    done
    echo "0 0"
}

naive_resident() {
    "$work/naive" "$RESIDENT_MIB" 0.1 | field first_pass_s >> "$work/naive.first"
}
mu_resident() {
    # --hold: the first pass (the same code as streaming's), then idle until SIGINT.
    "$MEMTOOLS" memory-user -q --hold "$RESIDENT_MIB" > "$work/mu.out" &
    local pid=$!
    wait_resident "$pid" "$RESIDENT_MIB"
    kill -INT "$pid"
    wait "$pid"
    mu_first < "$work/mu.out" >> "$work/mu.first"
}

# Warm-up: have the kernel (and a hypervisor, if any) back RESIDENT_MIB once, untimed.
"$work/memset" "$RESIDENT_MIB" 0.1 > /dev/null

: > "$work/memset.rate"; : > "$work/naive.rate"; : > "$work/mu.rate"
: > "$work/naive.first"; : > "$work/mu.first"
: > "$work/mu.over"; : > "$work/mu.anon"; : > "$work/naive.over"; : > "$work/naive.anon"
for run in $(seq 1 "$RUNS"); do
    echo "run $run/$RUNS ..." >&2
    "$work/memset" "$SIZE_MIB" "$SECS" | field steady_gbps >> "$work/memset.rate"
    "$work/naive" "$SIZE_MIB" "$SECS" | field steady_gbps >> "$work/naive.rate"
    "$MEMTOOLS" memory-user -q "$SIZE_MIB" "$SECS" | mu_steady >> "$work/mu.rate"

    # Whichever program runs first on memory the guest has not used lately can pay extra
    # (host-side) faults: alternate the order between runs.
    if (( run % 2 )); then
        naive_resident; mu_resident
    else
        mu_resident; naive_resident
    fi

    "$MEMTOOLS" memory-user -q "$SIZE_MIB" 3 > /dev/null &
    read -r rss anon < <(sample_rss $!)
    wait
    echo $(( rss - SIZE_MIB * 1024 )) >> "$work/mu.over"
    echo $(( anon - SIZE_MIB * 1024 )) >> "$work/mu.anon"
    "$work/naive" "$SIZE_MIB" 3 > /dev/null &
    read -r rss anon < <(sample_rss $!)
    wait
    echo $(( rss - SIZE_MIB * 1024 )) >> "$work/naive.over"
    echo $(( anon - SIZE_MIB * 1024 )) >> "$work/naive.anon"
done

memset_rate=$(best_max < "$work/memset.rate")
naive_rate=$(best_max < "$work/naive.rate")
mu_rate=$(best_max < "$work/mu.rate")
naive_first=$(best_min < "$work/naive.first")
mu_first_t=$(best_min < "$work/mu.first")
mu_over=$(best_min < "$work/mu.over")
mu_over_worst=$(best_max < "$work/mu.over")
mu_anon=$(best_min < "$work/mu.anon")
naive_over=$(best_min < "$work/naive.over")
naive_anon=$(best_min < "$work/naive.anon")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

cat <<EOF
$(date -u +%Y-%m-%d), $(nproc) CPUs ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), best of $RUNS runs, $SIZE_MIB MiB buffer, $SECS s per rate run:

| measure | memory-user | memset (C) | naive homework (C, -O2) | memory-user / memset | memory-user / naive |
| --- | --- | --- | --- | --- | --- |
| streaming rate after the first pass, GB/s | $mu_rate | $memset_rate | $naive_rate | $(ratio "$mu_rate" "$memset_rate") | $(ratio "$mu_rate" "$naive_rate") |
| time to make $RESIDENT_MIB MiB resident (first pass), s | $mu_first_t | | $naive_first | | $(ratio "$mu_first_t" "$naive_first") |
| VmRSS above SIZE while running, KiB | $mu_over (worst $mu_over_worst) | | $naive_over | | |
| RssAnon above SIZE while running, KiB | $mu_anon | | $naive_anon | | |
EOF
