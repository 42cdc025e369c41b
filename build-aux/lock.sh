#!/bin/sh
# lock.sh - regenerate the hash locks of the ATLAS requirement sets.
#
# Usage: sh build-aux/lock.sh REQUIREMENTS_DIR [UV_PROGRAM]
# (`make lock` runs it with configure's UV; when UV_PROGRAM is empty, uv is
# looked up in PATH.)
#
# For every requirements-X.txt in REQUIREMENTS_DIR it writes
# requirements-X.lock: the whole dependency closure pinned with == and a
# sha256 --hash for every file, for CPython 3.11 on manylinux_2_36 x86_64
# (the image is Debian bookworm, whose glibc is 2.36), wheels only.
#
# Each tier is resolved with the locks of the tiers below it as constraints,
# because the image installs tier N on top of tier N-1 with those locks as
# constraints: tier 1 on tier 0, tier 2 on tiers 0 and 1, and the materials
# stack on tiers 0, 1 and 2 so that it fits on top of any tier.
#
# Resolving tier 0 alone is not enough, though: it would pick the newest
# transitive dependencies, and a higher tier may need an older one (vllm pins
# lark, for instance, which jupyterlab also pulls in), and then the higher
# tier cannot be resolved against tier 0's lock at all.  So the four sets are
# first resolved together, and every tier's lock is resolved within that
# joint solution: the locks stay per tier, and they always agree.
#
# All work happens in a temporary directory; the locks in REQUIREMENTS_DIR
# are replaced only once all four have resolved, so a failure (uv missing,
# no solution, no network) leaves the old locks untouched.
set -eu

me=lock.sh
tiers="tier0 tier1 tier2 materials"

die() {
	echo "$me: error: $*" >&2
	exit 1
}

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: sh build-aux/lock.sh REQUIREMENTS_DIR [UV_PROGRAM]" >&2
	exit 2
fi
reqdir=$1
uv=${2:-}

[ -d "$reqdir" ] || die "$reqdir: no such directory"
# Absolute, since the work happens in another directory.
reqdir=$(cd "$reqdir" && pwd) || die "cannot enter $reqdir"
for tier in $tiers; do
	txt=$reqdir/requirements-$tier.txt
	[ -f "$txt" ] || die "$txt: no such file"
	grep -q '^[^#[:space:]]' "$txt" || die "$txt: lists no requirement"
done

# configure leaves UV empty when it found no uv; PATH may have one since.
if [ -z "$uv" ] || [ "$uv" = no ]; then
	uv=$(command -v uv 2>/dev/null) || uv=
fi
[ -n "$uv" ] || die "uv not found: install it (pip install uv) and run 'make lock' again"
"$uv" --version >/dev/null 2>&1 || die "$uv does not run ('$uv --version' failed)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/atlas-lock.XXXXXX") || die "cannot create a temporary directory"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# uv names the input files in its "# via" annotations as it was given them,
# so it runs in the temporary directory on copies with the final names: the
# locks then mention no path of this machine.
for tier in $tiers; do
	cp "$reqdir/requirements-$tier.txt" "$tmp/" || die "cannot copy requirements-$tier.txt"
done
cd "$tmp"

# compile WHAT OUTPUT INPUT... : resolve INPUT (requirement files and -c
# arguments) into OUTPUT; WHAT names the work in messages.
compile() {
	what=$1
	output=$2
	shift 2
	echo "$me: resolving $what"
	if ! "$uv" pip compile --quiet \
		--python-version 3.11 \
		--python-platform x86_64-manylinux_2_36 \
		--only-binary :all: \
		--custom-compile-command 'make lock' \
		--output-file "$output" "$@"; then
		die "resolving $what failed (see uv's message above); the locks in $reqdir are unchanged"
	fi
}

compile "all four sets together" joint.txt requirements-tier0.txt requirements-tier1.txt \
	requirements-tier2.txt requirements-materials.txt

constraints="-c joint.txt"
for tier in $tiers; do
	# shellcheck disable=SC2086 # constraints is a list of arguments
	compile "requirements-$tier.txt" "requirements-$tier.lock.new" --generate-hashes \
		"requirements-$tier.txt" $constraints
	# The joint solution is not committed, so uv's "# via -c joint.txt"
	# notes would point at nothing: drop them.
	sed -e '/^ *# via -c joint\.txt$/d' -e '/^ *#   -c joint\.txt$/d' \
		"requirements-$tier.lock.new" >"requirements-$tier.lock" ||
		die "cannot write requirements-$tier.lock in $tmp"
	constraints="$constraints -c requirements-$tier.lock"
done

# The locks are committed: they must name no index, no host and no path.
for tier in $tiers; do
	lock=requirements-$tier.lock
	if grep -n -E -e '--(index-url|extra-index-url|find-links|trusted-host)|://|(^|[[:space:]])/' "$lock" >&2; then
		die "$lock names an index, a URL or an absolute path (lines above); the locks in $reqdir are unchanged"
	fi
	grep -q -- '--hash=sha256:' "$lock" || die "$lock has no hashes; the locks in $reqdir are unchanged"
done

for tier in $tiers; do
	lock=requirements-$tier.lock
	# A copy beside the target, then a rename: no lock is ever half-written.
	if ! cp "$lock" "$reqdir/.$lock.tmp" || ! mv -f "$reqdir/.$lock.tmp" "$reqdir/$lock"; then
		rm -f "$reqdir/.$lock.tmp"
		die "cannot replace $reqdir/$lock"
	fi
	echo "$me: wrote $reqdir/$lock ($(grep -c '^[a-z0-9]' "$lock") packages)"
done
