#!/bin/sh
# A broken requirement file fails the smoke build, and the build log
# carries atlas's own diagnostic: file, line, column and message.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${ATLAS_SRCDIR:?}/tests/image/lib.sh"

reqs=$work/requirements
mkdir -p "$reqs"
cp "$fixture"/requirements-* "$reqs/"
# Line 3: an operator that PEP 440 does not have.
{ sed -n 1,2p "$fixture/requirements-tier0.txt"; echo 'six=>1.16.0'; } >"$reqs/requirements-tier0.txt"

# What atlas says on the host about the same file, seen from the smoke
# stage's working directory.
expected=$(cd "$work" && "$atlas_static" req check requirements/requirements-tier0.txt 2>&1 |
	grep -E '^requirements/requirements-tier0\.txt:3:[0-9]+: error: ' | head -n 1)
[ -n "$expected" ] || fail "atlas reports no file:3:col error for the broken file on the host"

stage_context "$work/context" "$reqs" "$work/no-wheelhouse" 1
if build - "$dockerfile" "$work/context" smoke --build-arg=SMOKE_BASE_IMAGE=scratch; then
	fail "the smoke stage built with a broken requirement file"
fi
grep -F -- "$expected" "$work/build.log" >/dev/null ||
	{ cat "$work/build.log" >&2; fail "the build log lacks atlas's diagnostic: $expected"; }
note "ok: the smoke build fails with: $expected"
