#!/bin/sh
# A bounded libFuzzer pass over every parser target in fuzz/ (see docs/robustness.md).
#
#   util/fuzz-ci.sh                 # each target for $FUZZ_SECONDS (default 3) seconds
#   FUZZ_SECONDS=600 util/fuzz-ci.sh meminfo smaps   # a long run of some targets
#
# It builds the targets the way `cargo fuzz build -s none -a` does (sancov instrumentation,
# debug assertions so that arithmetic overflow panics), but with plain cargo: cargo-fuzz
# need not be installed and no nightly feature is used. Each target starts from the
# committed seeds in fuzz/seeds/TARGET; what it learns goes to a temporary directory that is
# removed afterwards. A crash, panic, timeout (10 s per input) or an input needing more than
# 2 GiB fails the script with exit status 1 and prints the input in hex.
#
# Cost on the 2-core machine: about 80 s to build from scratch (fuzz/target), then
# 11 targets x FUZZ_SECONDS.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
fuzz="$here/fuzz"
secs=${FUZZ_SECONDS:-3}
all="meminfo vmstat maps smaps scan procfiles pmaprc args psutil_meminfo cgroup smem"
targets=${*:-$all}
triple=$(rustc -vV | sed -n 's/^host: //p')

flags="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4"
flags="$flags -Cllvm-args=-sanitizer-coverage-inline-8bit-counters"
flags="$flags -Cllvm-args=-sanitizer-coverage-pc-table"
flags="$flags -Cllvm-args=-sanitizer-coverage-trace-compares"
flags="$flags --cfg fuzzing -Cllvm-args=-simplifycfg-branch-fold-threshold=0"
flags="$flags -Cdebug-assertions"
case "$triple" in
*-linux-*) flags="$flags -Cllvm-args=-sanitizer-coverage-stack-depth" ;;
esac

echo "fuzz-ci: building $targets ($triple)"
start=$(date +%s)
RUSTFLAGS="$flags" cargo build --quiet --manifest-path "$fuzz/Cargo.toml" --release \
    --config 'profile.release.debug="line-tables-only"' --target "$triple" --bins
echo "fuzz-ci: built in $(($(date +%s) - start)) s"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
failed=0
for t in $targets; do
    mkdir -p "$work/$t/corpus" "$work/$t/artifacts"
    log="$work/$t/log"
    if "$fuzz/target/$triple/release/$t" -max_total_time="$secs" -timeout=10 \
        -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
        -artifact_prefix="$work/$t/artifacts/" "$work/$t/corpus" "$fuzz/seeds/$t" \
        >"$log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        echo "fuzz-ci: $t: ok, $runs inputs in $secs s"
    else
        failed=1
        echo "fuzz-ci: $t: FAILED"
        grep -E "panicked|ERROR|SUMMARY|Test unit written" "$log" | head -20 || true
        for a in "$work/$t/artifacts/"*; do
            [ -f "$a" ] || continue
            echo "fuzz-ci: input $(basename "$a"):"
            od -An -tx1 -v "$a" | head -64
        done
    fi
done
if [ "$failed" -ne 0 ]; then
    exit 1
fi
echo "fuzz-ci: all targets ran clean"
