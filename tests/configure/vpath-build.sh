#!/bin/sh
# A build in a directory apart from the sources (VPATH) works and gives
# a working atlas; configure's summary shows the choices made.
set -u

: "${ATLAS_SRCDIR:?}"
work=$(mktemp -d "${TMPDIR:-/tmp}/atlas-vpath.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
. "$ATLAS_SRCDIR/tests/configure/clean-source.sh"
clean_source_copy "$work"
mkdir "$work/build" && cd "$work/build" || exit 99

if ! "$SRC/configure" --with-tier=1 --enable-materials >configure.log 2>&1; then
	echo "FAIL: configure failed"; tail -20 configure.log; exit 1
fi
for expected in "tier:                   1" "materials:              yes"; do
	if ! grep -F "$expected" configure.log >/dev/null; then
		echo "FAIL: the summary lacks '$expected'"; tail -30 configure.log; exit 1
	fi
done
grep -q '^BUILD_TIER = 1$' Makefile || { echo "FAIL: BUILD_TIER not substituted"; exit 1; }
grep -q '^ENABLE_MATERIALS = 1$' Makefile || { echo "FAIL: ENABLE_MATERIALS not substituted"; exit 1; }

if ! make -j2 src/cli/atlas >make.log 2>&1; then
	echo "FAIL: make failed"; tail -30 make.log; exit 1
fi
# The objects belong to the build directory, never to the sources.
if [ -n "$(find "$SRC" -name '*.o' -o -name '*.lo' | head -1)" ]; then
	echo "FAIL: the VPATH build wrote objects into the source tree"; exit 1
fi
version=$(./src/cli/atlas --version) || { echo "FAIL: atlas --version failed"; exit 1; }
expected="atlas $(cat "$SRC/VERSION")"
if [ "$version" != "$expected" ]; then
	echo "FAIL: atlas --version printed '$version', expected '$expected'"; exit 1
fi
echo "ok: VPATH build in a separate directory: $version"
