#!/bin/sh
# scan.sh - the SBOM and the vulnerability scan of a built image
# ('make sbom', 'make scan').
#
# Usage:
#   scan.sh probe
#       Print the scanner that 'scan' would use (trivy, else grype).
#       Without one: print how to get one and exit 3, or exit 1 when
#       STRICT=1, so that make can skip the image build for nothing.
#   scan.sh scan ENGINE IMAGE
#       Scan IMAGE (in ENGINE's store); exit 1 on HIGH or CRITICAL
#       findings that have a fix.  Findings without a fix are reported by
#       nothing: they cannot be acted on, and would fail every build.
#   scan.sh sbom ENGINE IMAGE OUT
#       Write the CycloneDX SBOM of the Python distributions in IMAGE,
#       made by the image's own atlas, to OUT (all or nothing).
# Environment: STRICT (0|1), TRIVY, GRYPE (the programs; PATH when unset),
#              ATLAS_SCANNER (trivy|grype: use that one only).
set -eu

say() { printf 'scan: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# Checked here, not in find_scanner: a die in $(...) ends only the subshell.
case ${ATLAS_SCANNER:-} in
'') scanner_names="trivy grype" ;;
trivy | grype) scanner_names=$ATLAS_SCANNER ;;
*) die "ATLAS_SCANNER=$ATLAS_SCANNER: valid values are trivy and grype" ;;
esac

# The scanner program, by the configured name or PATH.
find_scanner() {
	for name in $scanner_names; do
		case $name in
		trivy) program=${TRIVY:-} ;;
		grype) program=${GRYPE:-} ;;
		esac
		[ -n "$program" ] || program=$(command -v "$name" 2>/dev/null) || continue
		[ -x "$program" ] || continue
		echo "$name $program"
		return 0
	done
	return 1
}

cmd_probe() {
	if found=$(find_scanner); then
		echo "${found%% *}"
		return 0
	fi
	say "skipped: no vulnerability scanner installed; install trivy (its apt repository," \
		"see https://trivy.dev) or grype (https://github.com/anchore/grype)"
	if [ "${STRICT:-0}" = 1 ]; then
		say "STRICT=1: failing, since nothing was scanned"
		return 1
	fi
	return 3
}

cmd_scan() {
	engine=$1 image=$2
	[ -n "$image" ] || die "no image built yet: run make image"
	found=$(find_scanner) || { cmd_probe >/dev/null; exit $?; }
	name=${found%% *} program=${found#* }
	engine_name=${engine##*/}
	say "$name: $image"
	case $name in
	trivy)
		set -- image --severity HIGH,CRITICAL --ignore-unfixed --exit-code 1
		case $engine_name in podman*) set -- "$@" --image-src podman ;; esac
		"$program" "$@" "$image"
		;;
	grype)
		case $engine_name in
		podman*) source=podman:$image ;;
		*) source=docker:$image ;;
		esac
		"$program" "$source" --only-fixed --fail-on high
		;;
	esac
}

cmd_sbom() {
	engine=$1 image=$2 out=$3
	[ -n "$image" ] || die "no image built yet: run make image"
	# SOURCE_DATE_EPOCH, when set, fixes the SBOM's timestamp.
	set -- run --rm --network=none
	[ -z "${SOURCE_DATE_EPOCH:-}" ] || set -- "$@" --env SOURCE_DATE_EPOCH
	"$engine" "$@" "$image" atlas sbom --python=python >"$out.tmp" ||
		{ rm -f "$out.tmp"; die "atlas sbom failed in $image"; }
	mv -f "$out.tmp" "$out"
	printf 'sbom: wrote %s\n' "$out" >&2
}

[ $# -ge 1 ] || die "usage: $0 probe | scan ENGINE IMAGE | sbom ENGINE IMAGE OUT"
command=$1
shift
case $command in
probe) [ $# -eq 0 ] || die "usage: $0 probe"; cmd_probe ;;
scan) [ $# -eq 2 ] || die "usage: $0 scan ENGINE IMAGE"; cmd_scan "$@" ;;
sbom) [ $# -eq 3 ] || die "usage: $0 sbom ENGINE IMAGE OUT"; cmd_sbom "$@" ;;
*) die "unknown command '$command': probe, scan or sbom" ;;
esac
