#!/bin/bash
# Records pmap goldens from the real procps-ng pmap (the oracle; how: below, and
# docs/pmap.md "Tests").
#
# usage (as root): util/record-pmap-goldens.sh [CASES_FILE [GOLDEN_DIR [PMAP]]]
#   defaults: tests/fixtures/pmap/cases.txt, tests/fixtures/pmap/golden, /usr/bin/pmap
#
# Each case line is `name | pids | opts | args`:
#   pids  `1234=basic 1235=small`: fixture directories (tests/fixtures/pmap/<fixture>)
#         bind-mounted over /proc/<pid> of sleepers started at exactly those pids;
#   opts  space-separated: `home=rc` (HOME and cwd get a copy of tests/fixtures/pmap/home/rc),
#         `nohome` (HOME unset), `hidekernel` (LIBPROC_HIDE_KERNEL=1),
#         `created=FILE` (also record the file the run creates, relative to HOME);
#   args  the pmap arguments, shell words.
# PMAP_FIXTURES_DIR overrides where fixture directories are looked up.
# For each case it writes NAME.out, NAME.err, NAME.status (and NAME.created).
#
# How: `unshare -pfm --mount-proc` gives a new pid namespace with a fresh /proc; sleepers
# are started at fixed pids through /proc/sys/kernel/ns_last_pid; each case then runs in
# its own `unshare -m` with the fixture directories bound over /proc/<pid>.
# The same PMAP variable lets you run memtools through this harness for a comparison
# (PMAP="$PWD/target/release/memtools pmap" is not supported: argv[0] must be "pmap";
# use a symlink named pmap instead).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cases=${1:-$here/tests/fixtures/pmap/cases.txt}
golden=${2:-$here/tests/fixtures/pmap/golden}
pmap=${3:-/usr/bin/pmap}
fixtures=${PMAP_FIXTURES_DIR:-$here/tests/fixtures/pmap}

if [ "${_PMAP_ORACLE_INNER:-}" != 1 ]; then
    [ "$(id -u)" = 0 ] || { echo "needs root (mount namespaces)" >&2; exit 1; }
    mkdir -p "$golden"
    exec env _PMAP_ORACLE_INNER=1 PMAP_FIXTURES_DIR="$fixtures" unshare -pfm --mount-proc --fork \
        bash "$0" "$cases" "$golden" "$pmap"
fi

# Inside the new pid namespace (we are pid 1).
declare -A sleeper
for pid in 1234 1235 1236 1237; do
    echo $((pid - 1)) > /proc/sys/kernel/ns_last_pid
    sleep 100000 &
    sleeper[$pid]=$!
    [ "$!" = "$pid" ] || { echo "could not start a sleeper at pid $pid (got $!)" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"; kill ${sleeper[*]} 2>/dev/null || true' EXIT

n=0
while IFS= read -r line; do
    case "$line" in ''|'#'*) continue ;; esac
    IFS='|' read -r name pids opts args <<<"$line"
    name=$(echo $name); pids=$(echo $pids); opts=$(echo $opts)
    args="${args# }"
    home="$work/home-$name"
    rm -rf "$home"; mkdir -p "$home"
    envset=(HOME="$home" LC_ALL=C.UTF-8)
    created=""
    for o in $opts; do
        case "$o" in
            home=*) cp -a "$fixtures/home/${o#home=}/." "$home/" ;;
            nohome) envset=(LC_ALL=C.UTF-8) ;;
            hidekernel) envset+=(LIBPROC_HIDE_KERNEL=1) ;;
            created=*) created=${o#created=} ;;
            -) ;;
            *) echo "unknown opt $o in $name" >&2; exit 1 ;;
        esac
    done
    binds=""
    for pf in $pids; do
        [ "$pf" = - ] && continue
        binds+="mount --bind '$fixtures/${pf#*=}' /proc/${pf%%=*} && "
    done
    set +e
    (cd "$home" && env -i PATH=/usr/bin:/bin "${envset[@]}" \
        unshare -m bash -c "${binds} exec -a pmap $pmap $args" \
        >"$golden/$name.out" 2>"$golden/$name.err")
    echo $? >"$golden/$name.status"
    set -e
    rm -f "$golden/$name.created"
    if [ -n "$created" ] && [ -f "$home/$created" ]; then
        cp "$home/$created" "$golden/$name.created"
    fi
    n=$((n + 1))
done <"$cases"
echo "recorded $n cases into $golden" >&2
