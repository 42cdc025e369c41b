#!/bin/sh
# Every option of configure rejects a bad value with an error that names
# the option and the valid values, before it checks anything else.
set -u

: "${ATLAS_SRCDIR:?}"
work=$(mktemp -d "${TMPDIR:-/tmp}/atlas-configure.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
. "$ATLAS_SRCDIR/tests/configure/clean-source.sh"
clean_source_copy "$work"
mkdir "$work/build" && cd "$work/build" || exit 99

failures=0

# expect_failure ARGUMENT EXPECTED-TEXT
expect_failure() {
	if "$SRC/configure" "$1" >out.log 2>err.log; then
		echo "FAIL: configure $1 succeeded"
		failures=$((failures + 1))
		return
	fi
	if ! grep -F -- "$2" err.log >/dev/null; then
		echo "FAIL: configure $1: expected '$2' in:"
		cat err.log
		failures=$((failures + 1))
		return
	fi
	echo "ok: configure $1 -> $2"
}

expect_failure --with-tier=3 "--with-tier=3 is not valid; valid values: 0 1 2"
expect_failure --with-tier=x "--with-tier=x is not valid; valid values: 0 1 2"
expect_failure --with-tier= "--with-tier= is not valid; valid values: 0 1 2"
expect_failure --enable-materials=maybe "--enable-materials=maybe is not valid; valid values: yes no"
expect_failure --enable-hashed-requirements=sometimes "--enable-hashed-requirements=sometimes is not valid; valid values: yes no auto"
expect_failure --enable-sanitizers=all "--enable-sanitizers=all is not valid; valid values: yes no"
expect_failure --with-container-engine=lxc "--with-container-engine=lxc is not valid; valid values: docker podman detect"
expect_failure "--with-base-image=bad image" "--with-base-image=bad image is not an image reference"
expect_failure --with-smoke-base-image=/abs "--with-smoke-base-image=/abs is not an image reference"
expect_failure "--with-image-repo=ghcr.io/a b" "--with-image-repo=ghcr.io/a b is not an image reference"
expect_failure "--with-builder=my builder" "--with-builder=my builder: a builder name has only letters"

# Nothing may be left half-written by a refused configure.
for f in Makefile config.h config.status; do
	if [ -e "$f" ]; then
		echo "FAIL: a refused configure left $f behind"
		failures=$((failures + 1))
	fi
done

[ "$failures" -eq 0 ]
