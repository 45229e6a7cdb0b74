#!/usr/bin/env bash
# Records the golden outputs of procps-ng 4.0.2 `free` for memtools' tests.
#
#   util/record-free-goldens.sh            regenerate cases.tsv and record every case
#   util/record-free-goldens.sh --cases    regenerate tests/fixtures/free/cases.tsv only
#
# Needs root (a private mount namespace per run) and /usr/bin/free from procps-ng 4.0.2.
# Each case runs the REAL tool, never memtools:
#   env -i LC_ALL=C unshare -m bash -c 'mount --bind FIXTURE /proc/meminfo &&
#                                       exec -a free /usr/bin/free ARGS'
# and its stdout, stderr and exit status land in tests/fixtures/free/golden/CASE.{out,err,status}.
#
# cases.tsv (read by tests/test_free.rs too) has one case per line, four TAB-separated fields:
#   name     unique; also the golden file name
#   fixture  NAME (tests/fixtures/free/NAME.meminfo), or
#            @missing  no meminfo at all (oracle: a tmpfs over /proc, so ENOENT)
#            @dir      meminfo is a directory (oracle: tmpfs over /proc + mkdir; read fails)
#   flags    "-" or a comma list of
#            full      stdout is /dev/full
#            closed    stdout is closed (`>&-`)
#            posix     POSIXLY_CORRECT=1 in the environment
#            argv0=X   argv[0] is X instead of "free" (%XX escapes as in args)
#            line      a 4.0.4 `-L/--line` case: the oracle (4.0.2, which has no -L) runs
#                      without the arguments -L --line and -w -l -t -v (and their long
#                      forms, which -L ignores); the test turns each recorded table into
#                      the -L line (docs/free.md, "Testing")
#   args     space-separated arguments; '' is the empty string, %XX a byte in hex
#            (%20 space, %09 tab, %25 percent)
set -euo pipefail
set -f

cd "$(dirname "$0")/.."
FX=tests/fixtures/free
CASES=$FX/cases.tsv
GOLD=$FX/golden
ORACLE=/usr/bin/free

# ---------------------------------------------------------------------------------------
# The case matrix.

# Option sets for the fixtures whose numbers matter (units, -h boundaries, wrapping).
FULL_SETS=(
  ""
  "-b" "-k" "-m" "-g" "--kilo" "--mega" "--giga" "--tera" "--peta"
  "--kibi" "--mebi" "--gibi" "--tebi" "--pebi"
  "-h" "--si" "-h --si" "-b --si" "-m --si" "--si -g" "-k --si"
  "-w" "-l" "-t" "-v" "-w -l" "-t -v" "-l -t -v" "-w -l -t -v"
  "-w -l -t -v -b" "-w -l -t -v -k" "-w -l -t -v -m" "-w -l -t -v -g"
  "-w -l -t -v --kilo" "-w -l -t -v --mega" "-w -l -t -v --giga" "-w -l -t -v --tera"
  "-w -l -t -v --peta" "-w -l -t -v --kibi" "-w -l -t -v --mebi" "-w -l -t -v --gibi"
  "-w -l -t -v --tebi" "-w -l -t -v --pebi" "-w -l -t -v -h" "-w -l -t -v -h --si"
  "-w -l -t -v --si" "-h -m" "--human --wide --lohi --total --committed"
  "-L" "-L -h" "-L -h --si" "-L -b" "-L -m --si" "-L --peta" "-L -w -l -t -v" "--line -g"
)
FULL_FIXTURES=(real real-busy basic avail0 human1 human2 human3 huge petabyte exabyte
  negative negcomm freegt availgt noswap oldkernel lohi32 lohi-odd)

# Option sets for the fixtures that exercise the meminfo parser: every parsed value shows
# in -w -l -t -v, and -b / -h show the wrap and scaling paths.
SMALL_SETS=("" "-w -l -t -v" "-b -w -l -t -v" "-h -w -l -t -v" "-h --si -l -t -v" "-m -v" "-L")

# Argument handling and errors (fixture basic unless given as "fixture|flags|args").
ARG_CASES=(
  # spec 2.9
  "-s abc" "-s -1" "-s 0" "-s 1.5x" "-s 1e3" "-s 0.0000001"
  "-c 0" "-c -1" "-c abc" "-c 1x" "-c 99999999999999999999" "-c 4294967296"
  "-b -k" "-m --giga" "-x" "--foo" "extra" "-s" "--seconds" "--s 1"
  "--help" "-V" "--version"
  # more -s edge inputs (accepted ones are bounded by -c)
  "-s 0x10" "-s ''" "-s -0" "-s ." "-s 0.0000009" "-s ," "-s %20" "-s -" "-s +"
  "-s 1..2" "-s 1,5," "-s %201 -c 1" "-s 1%20 -c 1" "-s inf" "-s nan" "-s 1e-3"
  "-s 1,5 -c 1" "-s +2 -c 1" "-s 0.000001 -c 1" "-s .5 -c 1" "-s 1. -c 1" "-s ,01 -c 2"
  "-s 0,01 -c 2" "-s 000.010 -c 2" "-s -0.5" "-s %09%0a0.01 -c 2"
  "-s 99999999999999999999999999999999999999999 -c 1"
  "-s 0.01 -c 0" "-c 1 -s 0" "-s 0.00000099999997 -c 1" "-s 0.000000999999970198 -c 1"
  # more -c edge inputs
  "-c 0x3" "-c 2147483648" "-c 4294967297" "-c ''" "-c %202 -s 0.01" "-c 00012 -s 0.001"
  "-c +1" "-c -0" "-c %20" "-c 1%20" "-c 9223372036854775807" "-c 9223372036854775808"
  "-c -9223372036854775808" "-c 18446744073709551617" "-c 1" "-c 2" "-c 3 -c 1"
  # units: every second unit option is a conflict, -h/--si are not units
  "-k -k" "--kilo --kibi" "--tera --peta" "-g --pebi" "--si --si -b" "-h -h -m" "-b -k -x"
  "-x -b -k" "-m -s abc" "-s abc -m -g" "-b --bytes" "-mk" "-kh" "--mega --mebi"
  # getopt: long-option prefixes, ambiguity, attached arguments, clusters, operands
  "--k" "--t" "--h" "--he" "--hel" "--b" "--by" "--lo" "--co" "--c 1" "--w" "--wid"
  "--sec 0.01 --cou 2" "--bytes=3" "--si=1" "--help=x" "--count=2 -s 0.01"
  "--seconds=0.01 -c 2" "--seconds= -c 1" "-c2 -s0.01" "-bwltv" "-wlvt -h" "-hsi"
  "-c" "--count" "-c -s" "-s -c 1" "-- extra" "--" "-w -- -l" "-" "-?" "-:" "--="
  "--%20" "--bytes%20" "extra -V" "extra --help" "-V extra" "--help extra" "-x -V"
  "-V -x" "--foo -V" "--help -V" "-V --help" "--version=1" "-W" "-Wbytes" "-e"
  # bytes that are not UTF-8 are quoted raw, even half a UTF-8 character
  "-%c3%a9" "-w%ff" "--%ff" "--s%ff" "--s=%ff" "--bytes=%ff" "-s %ff" "-s 1%ff" "-s 1.5%ff"
  "-c %ff" "-c 1%ff" "--seconds=%e2%82%ac" "basic|argv0=%ff%e9/free|-x"
  # repetition
  "-c 2 -s 0.01" "-c 3 -s 0.01" "-c 2 -s 0.01 -w -l -t -v -h" "-s 0.01 -c 1" "-c 1 -h"
  "human2|-|-c 2 -s 0.01 -h --si -w -l -t -v" "real|-|-c 3 -s 0.001 -w"
  "basic|line|-L -c 3 -s 0.01" "basic|line|-L -c 1" "basic|line|-c 2 -s 0.01 --line -h"
  # POSIXLY_CORRECT: option parsing stops at the first operand
  "basic|posix|extra -V" "basic|posix|-w extra" "basic|posix|-w -h" "basic|posix|-x"
  # argv[0] as invoked shows in getopt messages only
  "basic|argv0=/usr/bin/free|-x" "basic|argv0=/usr/bin/free|-b -k"
  "basic|argv0=./free|--foo" "basic|argv0=bin/free|-s" "basic|argv0=/usr/bin/free|-w"
  # write errors on stdout
  "basic|full|" "basic|full|--help" "basic|full|-V" "basic|full|-x" "basic|full|-h -w"
  "basic|full|-c 2 -s 0.01" "basic|full|-b -k" "@missing|full|"
  "basic|closed|" "basic|closed|--help" "basic|closed|-V" "basic|closed|-x" "basic|closed|-w -h"
  "basic|closed|-c 2 -s 0.01" "basic|closed|-s abc" "@missing|closed|"
  # meminfo that cannot be read
  "@missing|-|" "@missing|-|-h -w" "@missing|-|-c 2 -s 0.01" "@dir|-|" "@dir|-|-V"
  "empty|-|-c 2 -s 0.01" "@missing|-|-x"
)

# name fragment for an encoded argument list
slug() {
  local out="" tok t
  for tok in $1; do
    # option names lose their dashes; a minus elsewhere becomes "m"
    t=$tok
    [[ $t =~ ^--?[A-Za-z] ]] && t=${t#-} && t=${t#-}
    t=${t//-/m}
    [ "$tok" = "''" ] && t=E
    [ "$tok" = "--" ] && t=D
    t=$(printf '%s' "$t" | tr -c 'A-Za-z0-9.,+=' '~')
    out="${out:+${out}_}$t"
  done
  printf '%s' "${out:-none}"
}

declare -A SEEN=()
emit() { # fixture flags args [prefix]
  local base
  base="${4:-$1}__$(slug "$3")"
  [ "$2" != "-" ] && base="${base}__$(printf '%s' "$2" | tr -c 'A-Za-z0-9' '~')"
  local name=$base n=2
  while [ -n "${SEEN[$name]:-}" ]; do name="${base}_$n"; n=$((n + 1)); done
  SEEN[$name]=1
  printf '%s\t%s\t%s\t%s\n' "$name" "$1" "$2" "$3"
}

has_line_opt() {
  local tok
  for tok in $1; do [ "$tok" = -L ] || [ "$tok" = --line ] && return 0; done
  return 1
}

gen_cases() {
  local f s fl fixture flags args all=()
  set +f
  for f in "$FX"/*.meminfo; do all+=("$(basename "$f" .meminfo)"); done
  set -f
  {
    printf '# Generated by util/record-free-goldens.sh; see its header for the format.\n'
    for f in "${FULL_FIXTURES[@]}"; do
      for s in "${FULL_SETS[@]}"; do
        fl=-; has_line_opt "$s" && fl=line
        emit "$f" "$fl" "$s"
      done
    done
    for f in "${all[@]}"; do
      case " ${FULL_FIXTURES[*]} " in *" $f "*) continue ;; esac
      for s in "${SMALL_SETS[@]}"; do
        fl=-; has_line_opt "$s" && fl=line
        emit "$f" "$fl" "$s"
      done
    done
    for s in "${ARG_CASES[@]}"; do
      if [[ $s == *"|"* ]]; then
        IFS='|' read -r fixture flags args <<<"$s"
      else
        fixture=basic flags=- args=$s
      fi
      local prefix=args
      [ "$fixture" != basic ] && prefix="args-${fixture#@}"
      emit "$fixture" "$flags" "$args" "$prefix"
    done
  } >"$CASES"
}

# ---------------------------------------------------------------------------------------
# Recording.

decode() { # token -> DECODED
  if [ "$1" = "''" ]; then DECODED=""; else printf -v DECODED '%b' "${1//%/\\x}"; fi
}

record_case() { # name fixture flags args
  local name=$1 fixture=$2 flags=$3 args=$4 tok argv=() argv0=free full=0 posix=0 line=0
  local closed=""
  local fl
  IFS=, read -r -a fl <<<"$flags"
  for tok in "${fl[@]}"; do
    case $tok in
      full) full=1 ;;
      closed) closed=" >&-" ;;
      posix) posix=1 ;;
      line) line=1 ;;
      argv0=*) decode "${tok#argv0=}"; argv0=$DECODED ;;
      -) ;;
      *) echo "unknown flag $tok in case $name" >&2; exit 2 ;;
    esac
  done
  for tok in $args; do
    decode "$tok"
    if [ $line = 1 ]; then
      case $DECODED in -L | --line | -w | --wide | -l | --lohi | -t | --total | -v | --committed) continue ;; esac
    fi
    argv+=("$DECODED")
  done
  local setup
  case $fixture in
    @missing) setup='mount -t tmpfs none /proc' ;;
    @dir) setup='mount -t tmpfs none /proc && mkdir /proc/meminfo' ;;
    *) setup='mount --bind "$FIXTURE" /proc/meminfo' ;;
  esac
  local envv=(env -i LC_ALL=C PATH=/usr/sbin:/usr/bin:/sbin:/bin
    "FIXTURE=$PWD/$FX/$fixture.meminfo" "ARGV0=$argv0")
  [ $posix = 1 ] && envv+=(POSIXLY_CORRECT=1)
  local stdout=$GOLD/$name.out status=0
  [ $full = 1 ] && stdout=/dev/full
  "${envv[@]}" unshare -m bash -c "$setup && exec -a \"\$ARGV0\" $ORACLE \"\$@\"$closed" oracle \
    "${argv[@]}" >"$stdout" 2>"$GOLD/$name.err" || status=$?
  [ $full = 1 ] && : >"$GOLD/$name.out"
  printf '%s\n' "$status" >"$GOLD/$name.status"
}

main() {
  gen_cases
  echo "$(grep -vc '^#' "$CASES") cases in $CASES"
  [ "${1:-}" = --cases ] && exit 0

  if [ "$(id -u)" != 0 ]; then echo "record-free-goldens: needs root (unshare -m)" >&2; exit 1; fi
  local v
  v=$("$ORACLE" -V)
  if [ "$v" != "free from procps-ng 4.0.2" ]; then
    echo "record-free-goldens: $ORACLE is '$v', want procps-ng 4.0.2" >&2
    exit 1
  fi
  rm -rf "$GOLD"
  mkdir -p "$GOLD"
  local name fixture flags args n=0
  while IFS=$'\t' read -r name fixture flags args; do
    case $name in '#'* | '') continue ;; esac
    record_case "$name" "$fixture" "$flags" "$args"
    n=$((n + 1))
  done <"$CASES"
  echo "recorded $n cases from $("$ORACLE" -V) into $GOLD"
}

main "$@"
