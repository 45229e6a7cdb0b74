#!/bin/sh
# Installs or uninstalls memtools under a prefix.
#
#   util/install.sh install   PREFIX     (what `make install PREFIX=...` runs)
#   util/install.sh uninstall PREFIX     (what `make uninstall PREFIX=...` runs)
#
# install puts, below $DESTDIR$PREFIX:
#   bin/memtools and one symlink per applet (bin/free -> memtools, ...)
#   share/man/man1/{memtools,free,pmap,vm_stat,vmmap,memory-user,meminfo,smem}.1
#   share/bash-completion/completions/NAME, share/zsh/site-functions/_NAME,
#   share/fish/vendor_completions.d/NAME.fish
#   share/memtools/install-manifest: every installed path, relative to the prefix
# and refuses to replace an applet name in bin/ that is not already a link to memtools.
# uninstall removes exactly the files the manifest lists (then the manifest's directory).
#
# The binaries: $MEMTOOLS_BIN and $MEMTOOLS_GEN when set (the tests pass the debug
# build), else target/TRIPLE/release/{memtools,memtools-gen} (.cargo/config.toml: build.target), built with cargo when missing.
set -eu

usage() {
	echo "usage: $0 install|uninstall PREFIX" >&2
	exit 2
}
[ $# -eq 2 ] || usage
action=$1
prefix=$2
case $prefix in
/*) ;;
*) echo "$0: PREFIX must be an absolute path: $prefix" >&2; exit 2 ;;
esac
root="${DESTDIR:-}$prefix"
manifest_rel=share/memtools/install-manifest
here=$(cd "$(dirname "$0")/.." && pwd)

case $action in
install)
	rel=$here/target/$(rustc -vV | sed -n 's/^host: //p')/release
	bin=${MEMTOOLS_BIN:-$rel/memtools}
	gen=${MEMTOOLS_GEN:-$rel/memtools-gen}
	if [ -z "${MEMTOOLS_BIN:-}" ] || [ -z "${MEMTOOLS_GEN:-}" ]; then
		if [ ! -x "$bin" ] || [ ! -x "$gen" ]; then
			(cd "$here" && cargo build --release -p memtools -p memtools-cli)
		fi
	fi
	[ -x "$bin" ] || { echo "$0: no memtools binary at $bin" >&2; exit 1; }
	[ -x "$gen" ] || { echo "$0: no memtools-gen binary at $gen" >&2; exit 1; }
	applets=$("$bin" --list)

	# Check before touching anything: never replace someone else's file.
	for a in $applets; do
		link="$root/bin/$a"
		if [ -e "$link" ] || [ -L "$link" ]; then
			if [ "$(readlink "$link" 2>/dev/null || true)" != memtools ]; then
				echo "$0: $link exists and is not a link to memtools; not installing" >&2
				exit 1
			fi
		fi
	done

	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	"$gen" "$tmp" >"$tmp.list"
	mv "$tmp.list" "$tmp/list"

	mkdir -p "$root/bin" "$root/share/memtools"
	: >"$tmp/manifest"
	install -m 755 "$bin" "$root/bin/memtools"
	echo bin/memtools >>"$tmp/manifest"
	for a in $applets; do
		ln -sfn memtools "$root/bin/$a"
		echo "bin/$a" >>"$tmp/manifest"
	done
	while IFS= read -r rel; do
		[ "$rel" = list ] && continue
		mkdir -p "$(dirname "$root/$rel")"
		install -m 644 "$tmp/$rel" "$root/$rel"
		echo "$rel" >>"$tmp/manifest"
	done <"$tmp/list"
	echo "$manifest_rel" >>"$tmp/manifest"
	install -m 644 "$tmp/manifest" "$root/$manifest_rel"
	sed "s|^|installed $root/|" "$root/$manifest_rel"
	;;
uninstall)
	if [ ! -f "$root/$manifest_rel" ]; then
		echo "$0: no memtools install manifest at $root/$manifest_rel" >&2
		exit 1
	fi
	# Read it whole first: it lists itself.
	list=$(cat "$root/$manifest_rel")
	echo "$list" | while IFS= read -r rel; do
		case $rel in
		'' | /* | *..*) echo "$0: skipping suspicious manifest entry '$rel'" >&2; continue ;;
		esac
		if [ -e "$root/$rel" ] || [ -L "$root/$rel" ]; then
			rm -f "$root/$rel"
			echo "removed $root/$rel"
		fi
	done
	rmdir "$root/share/memtools" 2>/dev/null || true
	;;
*) usage ;;
esac
