#!/bin/bash
# Records smem goldens from Debian's smem 1.5 (the oracle) on the snapshot fixtures.
#
# usage (as root): util/record-smem-goldens.sh [CASES_FILE [GOLDEN_DIR [SMEM]]]
#   defaults: tests/fixtures/smem/cases.txt, tests/fixtures/smem/golden, /usr/bin/smem
#
# Each case line is `name | fixture | arguments`: smem runs as `smem -S FIXTURE ARGUMENTS`
# (shell words; leading VAR=value words set the environment) in a copy of
# tests/fixtures/smem, so paths in the arguments are relative to it. For each case it
# writes NAME.out, NAME.err and NAME.status, and for --pie/--bar NAME.chart (what smem's
# matplotlib drew, captured by util/smem-mpl/smem_chart_capture.py).
#
# Reproducible anywhere: git keeps no owners, so each fixture's `owners` file (PID UID)
# is applied with chown to the copy, and smem resolves names from tests/fixtures/smem/passwd,
# bound over /etc/passwd in a private mount namespace (smem asks NSS; this machine's users
# must not leak into the goldens). memtools reads the same two files through
# MEMTOOLS_PROC_OWNERS and MEMTOOLS_PASSWD (tests/test_smem.rs). stdin is /dev/null, COLUMNS
# is unset (smem's -a then gets stty's complaint and 80 columns).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
fixtures=$here/tests/fixtures/smem
cases=${1:-$fixtures/cases.txt}
golden=${2:-$fixtures/golden}
smem=${3:-/usr/bin/smem}

if [ "${_SMEM_ORACLE_INNER:-}" != 1 ]; then
    [ "$(id -u)" = 0 ] || { echo "needs root (chown, a private mount namespace)" >&2; exit 1; }
    mkdir -p "$golden"
    golden=$(cd "$golden" && pwd)
    cases=$(cd "$(dirname "$cases")" && pwd)/$(basename "$cases")
    exec env _SMEM_ORACLE_INNER=1 unshare -m --propagation private bash "$0" "$cases" "$golden" "$smem"
fi

mount --bind "$fixtures/passwd" /etc/passwd
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -C "$fixtures" --exclude=./golden -cf - . | tar -C "$work" -xf -
for owners in "$work"/*/owners; do
    dir=$(dirname "$owners")
    while read -r pid uid; do
        chown "$uid" "$dir/proc/$pid"
    done <"$owners"
done
cd "$work"
n=0
while IFS= read -r line; do
    case "$line" in ''|'#'*) continue ;; esac
    IFS='|' read -r name fixture args <<<"$line"
    name=$(echo $name)
    fixture=$(echo $fixture)
    args="${args# }"
    envs=()
    while [[ $args =~ ^([A-Z_]+=[^ ]*)\ (.*)$ ]]; do
        envs+=("${BASH_REMATCH[1]}")
        args=${BASH_REMATCH[2]}
    done
    case "$args" in
        *--pie*|*--bar*)
            envs+=(PYTHONPATH="$here/util/smem-mpl" MPLBACKEND=module://smem_chart_capture
                SMEM_CHART_OUT="$golden/$name.chart") ;;
    esac
    set +e
    env -i PATH=/usr/bin:/bin LC_ALL=C.UTF-8 HOME="$work" "${envs[@]}" \
        bash -c "exec $smem -S $fixture $args" \
        </dev/null >"$golden/$name.out" 2>"$golden/$name.err"
    echo $? >"$golden/$name.status"
    set -e
    n=$((n + 1))
done <"$cases"
echo "recorded $n cases into $golden"
