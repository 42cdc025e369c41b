#!/bin/sh
# image-meta.sh - the build options of the image variant: its tags and
# labels as computed by atlas (DESIGN section 8), and the build args.
#
# Usage: image-meta.sh ATLAS SRCDIR REPO TIER MATERIALS REQ_DIR HASHED BASE OUT
#
# OUT gets one shell word a line (--tag=..., --label=..., --build-arg=...)
# and is rewritten only when its content changes, so make rebuilds the
# image when a tag, a label or an argument changes and not otherwise.
# Git is asked in SRCDIR (a VPATH build runs elsewhere); ATLAS_NIGHTLY_DATE
# makes a nightly build; 'created' is SOURCE_DATE_EPOCH or the commit time;
# ATLAS_REQUIREMENTS_SHA256 overrides the requirement-set digest label.
set -eu

[ $# -eq 9 ] || { echo "usage: $0 ATLAS SRCDIR REPO TIER MATERIALS REQ_DIR HASHED BASE OUT" >&2; exit 2; }
atlas=$1 srcdir=$2 repo=$3 tier=$4 materials=$5 req_dir=$6 hashed=$7 base=$8 out=$9

die() { printf 'image-meta: %s\n' "$*" >&2; exit 1; }

git_sha='' git_tag='' created=${SOURCE_DATE_EPOCH:-}
if command -v git >/dev/null 2>&1 && git -C "$srcdir" rev-parse --verify -q 'HEAD^{commit}' >/dev/null 2>&1; then
	git_sha=$(git -C "$srcdir" rev-parse HEAD)
	git_tag=$(git -C "$srcdir" describe --exact-match --tags --match 'v[0-9]*' HEAD 2>/dev/null || true)
	[ -n "$created" ] || created=$(git -C "$srcdir" log -1 --format=%ct)
fi
# A tarball build without SOURCE_DATE_EPOCH: the time of VERSION, which
# is fixed in the tarball, never the clock.
[ -n "$created" ] || created=$(date -r "$srcdir/VERSION" +%s)

set -- --repo="$repo" --version-file="$srcdir/VERSION" --tier="$tier"
[ "$materials" != 1 ] || set -- "$@" --materials
[ -z "$git_sha" ] || set -- "$@" --git-sha="$git_sha"
tag_opts='' label_opts=''
[ -z "$git_tag" ] || tag_opts="--git-tag=$git_tag"
[ -z "${ATLAS_NIGHTLY_DATE:-}" ] || tag_opts="$tag_opts --nightly=$ATLAS_NIGHTLY_DATE"
[ "$hashed" != 1 ] || label_opts=--locked
# A digest computed elsewhere (atlas computes it from REQ_DIR otherwise).
[ -z "${ATLAS_REQUIREMENTS_SHA256:-}" ] ||
	label_opts="$label_opts --requirements-sha256=$ATLAS_REQUIREMENTS_SHA256"

tmp=$out.tmp
{
	# shellcheck disable=SC2086 # option lists
	"$atlas" tags --format=args "$@" $tag_opts ||
		die "atlas tags failed"
	shift # labels take no --repo
	# shellcheck disable=SC2086 # option lists
	"$atlas" labels --format=args "$@" --source-date-epoch="$created" \
		--requirements-dir="$req_dir" --base-name="$base" $label_opts ||
		die "atlas labels failed"
	echo "--build-arg=VERSION=$(tr -d ' \t\n' <"$srcdir/VERSION")"
	echo "--build-arg=BUILD_TIER=$tier"
	echo "--build-arg=ENABLE_MATERIALS=$materials"
	echo "--build-arg=USE_HASHED_REQUIREMENTS=$hashed"
	echo "--build-arg=BASE_IMAGE=$base"
} >"$tmp" || { rm -f "$tmp"; exit 1; }
if cmp -s "$tmp" "$out"; then
	rm -f "$tmp"
else
	mv -f "$tmp" "$out"
fi
