#!/bin/sh
# The smoke stage validates the requirement files inside the engine from
# scratch: no base image is loaded or pulled, and no network is used.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${ATLAS_SRCDIR:?}/tests/image/lib.sh"

stage_context "$work/context" "$fixture" "$work/no-wheelhouse" 1
build - "$dockerfile" "$work/context" smoke --build-arg=SMOKE_BASE_IMAGE=scratch ||
	{ cat "$work/build.log" >&2; fail "the smoke stage does not build"; }
# BuildKit logs 'load metadata for IMAGE' for every image it resolves.
if grep -i 'load metadata for' "$work/build.log" >&2; then
	fail "the smoke stage resolved a base image; it must need none"
fi
grep -q 'atlas req check\|atlas", "req", "check"' "$work/build.log" ||
	{ cat "$work/build.log" >&2; fail "the smoke build did not run atlas req check"; }
note "ok: smoke stage built from scratch with --network=none"
