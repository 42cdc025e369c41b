#!/bin/sh
# scan-policy.sh - what `make scan` does (build-aux/scan.sh), with
# stand-in scanners on a PATH of their own: without a scanner it says so
# and skips, or fails under STRICT=1; trivy is preferred and asked for
# fixable HIGH and CRITICAL findings only; grype likewise; a scanner's
# failure is the scan's failure.
set -u

: "${ATLAS_SRCDIR:?}"
scan="$ATLAS_SRCDIR/build-aux/scan.sh"
shell=$(command -v sh)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*"; exit 1; }

# run PATHDIR [NAME=VALUE...] ARGS...: scan.sh with only PATHDIR on PATH
# (scan.sh needs no other program), output in $work/out, status in $status.
run() {
	dir=$1
	shift
	env -u TRIVY -u GRYPE -u ATLAS_SCANNER PATH="$dir" "$@" >"$work/out" 2>&1
	status=$?
}

# A stand-in scanner: records its arguments, exits with $2.
stand_in() {
	mkdir -p "$1"
	# shellcheck disable=SC2016 # $0 and $* belong to the stand-in
	printf '#!%s\necho "$0 $*" >>"%s/calls"\nexit %s\n' "$shell" "$work" "$3" >"$1/$2"
	chmod +x "$1/$2"
}

mkdir -p "$work/none"
run "$work/none" "$shell" "$scan" probe
[ "$status" -eq 3 ] || { cat "$work/out"; fail "probe without a scanner exited $status, not 3 (skip)"; }
grep -q 'skipped: no vulnerability scanner installed' "$work/out" ||
	{ cat "$work/out"; fail "probe without a scanner does not say that it skips"; }

run "$work/none" STRICT=1 "$shell" "$scan" probe
[ "$status" -eq 1 ] || { cat "$work/out"; fail "STRICT=1 probe without a scanner exited $status, not 1"; }

# Both installed: trivy is used, with the severity policy.
stand_in "$work/both" trivy 0
stand_in "$work/both" grype 0
run "$work/both" "$shell" "$scan" probe
[ "$status" -eq 0 ] && [ "$(cat "$work/out")" = trivy ] ||
	{ cat "$work/out"; fail "probe with trivy and grype did not choose trivy"; }
: >"$work/calls"
run "$work/both" "$shell" "$scan" scan docker example/atlas:dev-tier0
[ "$status" -eq 0 ] || { cat "$work/out"; fail "a clean scan exited $status"; }
expected="$work/both/trivy image --severity HIGH,CRITICAL --ignore-unfixed --exit-code 1 example/atlas:dev-tier0"
[ "$(cat "$work/calls")" = "$expected" ] ||
	fail "trivy was called as '$(cat "$work/calls")', expected '$expected'"

# grype alone, or chosen; its findings fail the scan.
stand_in "$work/grype" grype 1
: >"$work/calls"
run "$work/grype" "$shell" "$scan" scan docker example/atlas:dev-tier0
[ "$status" -ne 0 ] || fail "a scan whose scanner found something succeeded"
expected="$work/grype/grype docker:example/atlas:dev-tier0 --only-fixed --fail-on high"
[ "$(cat "$work/calls")" = "$expected" ] ||
	fail "grype was called as '$(cat "$work/calls")', expected '$expected'"
: >"$work/calls"
run "$work/both" ATLAS_SCANNER=grype "$shell" "$scan" scan podman example/atlas:dev-tier0
expected="$work/both/grype podman:example/atlas:dev-tier0 --only-fixed --fail-on high"
[ "$(cat "$work/calls")" = "$expected" ] ||
	fail "ATLAS_SCANNER=grype with podman called '$(cat "$work/calls")', expected '$expected'"

run "$work/both" ATLAS_SCANNER=clamav "$shell" "$scan" probe
[ "$status" -eq 1 ] && grep -q 'ATLAS_SCANNER=clamav' "$work/out" ||
	{ cat "$work/out"; fail "an unknown ATLAS_SCANNER is not refused by name"; }

run "$work/both" "$shell" "$scan" scan docker ''
[ "$status" -eq 1 ] && grep -q 'run make image' "$work/out" ||
	{ cat "$work/out"; fail "scanning without a built image does not say to run make image"; }

echo "PASS: scan skips, fails under STRICT=1, and asks trivy and grype for fixable HIGH/CRITICAL"
