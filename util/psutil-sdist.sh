#!/bin/sh
# Makes sure psutil 7.2.2 is installed (pip) and its source distribution, which alone has
# scripts/meminfo.py, is unpacked below target/psutil-sdist; prints the script's path.
# The meminfo applet's oracle (util/psutil-meminfo.py, util/record-meminfo-goldens.py,
# tests/test_meminfo.rs) runs that script. Needs network access to PyPI on the first run.
set -eu
cd "$(dirname "$0")/.."
version=7.2.2
if ! python3 -c "import psutil, sys; sys.exit(psutil.__version__ != '$version')" 2>/dev/null; then
	# A Debian python3 refuses pip installs outside a venv unless told (PEP 668).
	python3 -m pip install -q "psutil==$version" >&2 ||
		python3 -m pip install -q --break-system-packages "psutil==$version" >&2
fi
dir=target/psutil-sdist
script="$dir/psutil-$version/scripts/meminfo.py"
if [ ! -f "$script" ]; then
	mkdir -p "$dir"
	python3 -m pip download -q --no-deps --no-binary :all: -d "$dir" "psutil==$version" >&2
	tar -xzf "$dir/psutil-$version.tar.gz" -C "$dir"
fi
echo "$PWD/$script"
