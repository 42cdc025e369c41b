#!/bin/sh
# repo-files-are-clean.sh - the project's own requirement sets and locks pass
# `atlas req check`, and the locks cover their sets.
#
# atlas does the real checking (syntax, == pins, hashes, conflicts across
# files); the shell checks here are a second, independent look at what matters
# most for the image build: every set lists something and pins it with ==,
# every lock entry carries a sha256 hash, every top-level pin is in its lock
# at the same version, and no two locks disagree on a version (the image
# installs each tier with the lower tiers' locks as constraints).
set -u

: "${ATLAS:?ATLAS must name the atlas program}"
: "${ATLAS_SRCDIR:?ATLAS_SRCDIR must name the source tree}"

reqdir=$ATLAS_SRCDIR/requirements
tiers="tier0 tier1 tier2 materials"
failures=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

work=$(mktemp -d "${TMPDIR:-/tmp}/atlas-reqs.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT

# The eight files, as the positional parameters (paths may hold spaces).
set --
for tier in $tiers; do
	for ext in txt lock; do
		file=$reqdir/requirements-$tier.$ext
		[ -r "$file" ] || { echo "ERROR: $file is missing" >&2; exit 99; }
		set -- "$@" "$file"
	done
done

# One logical line per requirement: continuation lines joined, comments and
# blank lines dropped.  Prints "NAME VERSION REST" for NAME==VERSION lines and
# "? LINE" for anything else.
requirements() {
	awk '
		{ sub(/\r$/, "") }
		/\\$/ { held = held substr($0, 1, length($0) - 1) " "; next }
		{ line = held $0; held = "" }
		{ sub(/(^|[ \t])#.*/, "", line) }
		line ~ /^[ \t]*$/ { next }
		match(line, /^[A-Za-z0-9._-]+==[^ \t;]+/) {
			pin = substr(line, 1, RLENGTH)
			split(pin, part, "==")
			print tolower(part[1]), part[2], substr(line, RLENGTH + 1)
			next
		}
		{ print "?", line }
	' "$1"
}

for tier in $tiers; do
	txt=$reqdir/requirements-$tier.txt
	lock=$reqdir/requirements-$tier.lock
	requirements "$txt" >"$work/$tier.txt.pins"
	requirements "$lock" >"$work/$tier.lock.pins"

	[ -s "$work/$tier.txt.pins" ] || fail "$txt lists no requirement"
	awk '$1 == "?"' "$work/$tier.txt.pins" | while IFS= read -r bad; do
		echo "FAIL: $txt: not a NAME==VERSION pin: ${bad#? }" >&2
	done
	if awk '$1 == "?" { found = 1 } END { exit !found }' "$work/$tier.txt.pins"; then
		fail "$txt has requirements that are not == pins"
	fi

	[ -s "$work/$tier.lock.pins" ] || fail "$lock lists no requirement"
	unhashed=$(awk '$1 == "?" || $0 !~ /--hash=sha256:[0-9a-f]+/ { printf "%s==%s ", $1, $2 }' \
		"$work/$tier.lock.pins")
	[ -z "$unhashed" ] || fail "$lock: entries without a sha256 hash: $unhashed"

	# Every top-level pin of the set is in its lock, at the same version.
	missing=$(awk 'NR == FNR { locked[$1] = $2; next }
		$1 != "?" && locked[$1] != $2 { printf "%s==%s ", $1, $2 }' \
		"$work/$tier.lock.pins" "$work/$tier.txt.pins")
	[ -z "$missing" ] || fail "$lock lacks pins of $txt: $missing"
done

# A package locked by two tiers must be locked at one version.
disagree=$(for tier in $tiers; do
	awk -v tier="$tier" '$1 != "?" { print $1, $2, tier }' "$work/$tier.lock.pins"
done | sort | awk '
	$1 == name && $2 != version { print name ": " version " (" where ") vs " $2 " (" $3 ")" }
	{ name = $1; version = $2; where = $3 }')
[ -z "$disagree" ] || fail "locks disagree on versions: $disagree"

"$ATLAS" req check "$@" >"$work/check.out" 2>&1
status=$?
case $status in
0) ;;
1) cat "$work/check.out" >&2; fail "atlas req check found problems in the requirement files" ;;
*) cat "$work/check.out" >&2; echo "ERROR: atlas req check exited $status" >&2; exit 99 ;;
esac

if [ "$failures" -ne 0 ]; then
	echo "$failures check(s) failed" >&2
	exit 1
fi
echo "requirement files: 8 files clean"
