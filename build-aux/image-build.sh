#!/bin/sh
# image-build.sh - the engine side of 'make base-image', 'make image',
# 'make smoke' and 'make tag'.
#
# Usage:
#   image-build.sh base ENGINE BASE_IMAGE IMAGE_DIR SRCDIR
#       Resolve the runtime base and write its name to IMAGE_DIR/base-name
#       (rewritten only when it changes).  BASE_IMAGE is auto (the
#       upstream image when present or pullable, else the local one),
#       local (built from Debian packages), or an image name.
#   image-build.sh build ENGINE BUILDER STAMP DOCKERFILE CONTEXT TARGET [@OPTFILE] [OPTION...]
#       Build TARGET with no network; with STAMP not '-', write the image
#       ID and the tags (the '-t'/'--tag' options) to STAMP.  OPTFILE holds
#       more options, one shell word a line.
#   image-build.sh verify ENGINE STAMP
#       Exit 0 when every tag in STAMP names the image ID in STAMP.
#   image-build.sh tag ENGINE STAMP TAG...
#       Point every TAG at the image of STAMP.
#   image-build.sh summary ENGINE STAMP BASE_NAME
#       Print the tags, the image ID, the size and the base used.
set -eu

upstream_base=python:3.11-slim-bookworm
local_base=atlas-base:bookworm-local

say() { printf 'image: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

image_id() { "$1" image inspect --format '{{.Id}}' "$2" 2>/dev/null; }

# write_if_changed FILE TEXT: keep FILE's time stamp when TEXT is the same.
write_if_changed() {
	if [ ! -f "$1" ] || [ "$(cat "$1")" != "$2" ]; then
		printf '%s\n' "$2" >"$1.tmp" && mv -f "$1.tmp" "$1"
	fi
}

# The build command: BuildKit is needed for RUN --mount.
build_command() {
	engine=$1 builder=$2
	case ${engine##*/} in
	podman*)
		echo "$engine build"
		return
		;;
	esac
	"$engine" buildx version >/dev/null 2>&1 ||
		die "'$engine buildx' is missing: the image needs BuildKit (RUN --mount); run build-aux/install-image-tools.sh as root"
	if [ "$builder" = none ] || [ -z "$builder" ]; then
		echo "$engine buildx build --progress=plain"
	else
		# A non-default builder keeps its result to itself unless loaded.
		echo "$engine buildx build --progress=plain --builder $builder --load"
	fi
}

cmd_base() {
	engine=$1 base=$2 image_dir=$3 srcdir=$4
	mkdir -p "$image_dir"
	case $base in
	auto)
		if image_id "$engine" "$upstream_base" >/dev/null; then
			chosen=$upstream_base
		elif [ -f "$image_dir/upstream-base-unavailable" ]; then
			chosen=local
		elif "$engine" pull "$upstream_base" >/dev/null 2>"$image_dir/pull.log"; then
			chosen=$upstream_base
		else
			# Remember the failure: one failed pull per build tree,
			# not one per 'make image'.  'make clean' forgets it.
			say "$upstream_base cannot be pulled ($(tail -n 1 "$image_dir/pull.log")); using the local base"
			: >"$image_dir/upstream-base-unavailable"
			chosen=local
		fi
		;;
	*) chosen=$base ;;
	esac
	if [ "$chosen" = local ]; then
		sh "$srcdir/build-aux/base-image.sh" "$engine" "$local_base" "$image_dir/local-base.stamp"
		chosen=$local_base
	elif ! image_id "$engine" "$chosen" >/dev/null; then
		"$engine" pull "$chosen" >&2 || die "base image $chosen is neither present nor pullable"
	fi
	base_id=$(image_id "$engine" "$chosen")
	write_if_changed "$image_dir/base-name" "$chosen"
	# A rebuilt or re-pulled base rebuilds the image.
	write_if_changed "$image_dir/base-id" "$base_id"
	say "base image: $chosen ($base_id)"
}

cmd_build() {
	engine=$1 builder=$2 stamp=$3 dockerfile=$4 context=$5 target=$6
	shift 6
	# @FILE: the options in FILE, one shell word a line (image-meta.sh).
	if [ $# -ge 1 ] && [ "${1#@}" != "$1" ]; then
		optfile=${1#@}
		shift
		[ -f "$optfile" ] || die "$optfile: no such file"
		eval "set -- $(tr '\n' ' ' <"$optfile") \"\$@\""
	fi
	build=$(build_command "$engine" "$builder")
	iidfile=$(mktemp)
	trap 'rm -f "$iidfile"' EXIT
	say "building target '$target' with: $build"
	# shellcheck disable=SC2086 # the build command is a word list
	$build --network=none --file "$dockerfile" --target "$target" \
		--iidfile "$iidfile" "$@" "$context" ||
		die "the build of target '$target' failed"
	[ "$stamp" = - ] && return 0
	id=$(cat "$iidfile")
	{
		echo "$id"
		while [ $# -gt 0 ]; do
			case $1 in
			-t|--tag) echo "$2"; shift ;;
			-t*) echo "${1#-t}" ;;
			--tag=*) echo "${1#--tag=}" ;;
			esac
			shift
		done
	} >"$stamp.tmp"
	mv -f "$stamp.tmp" "$stamp"
}

cmd_verify() {
	engine=$1 stamp=$2
	[ -f "$stamp" ] || return 1
	id=$(head -n 1 "$stamp")
	[ -n "$id" ] || return 1
	[ "$(image_id "$engine" "$id")" = "$id" ] || { say "image $id is gone: rebuilding"; return 1; }
	for tag in $(tail -n +2 "$stamp"); do
		if [ "$(image_id "$engine" "$tag")" != "$id" ]; then
			say "$tag no longer names $id: rebuilding"
			return 1
		fi
	done
}

cmd_tag() {
	engine=$1 stamp=$2
	shift 2
	[ -f "$stamp" ] || die "no image built yet: run make image"
	id=$(head -n 1 "$stamp")
	for tag in "$@"; do
		"$engine" tag "$id" "$tag"
		say "tagged $tag"
	done
}

cmd_summary() {
	engine=$1 stamp=$2 base=$3
	id=$(head -n 1 "$stamp")
	size=$("$engine" image inspect --format '{{.Size}}' "$id")
	base_size=$("$engine" image inspect --format '{{.Size}}' "$base" 2>/dev/null || echo 0)
	echo "base:     $base"
	echo "image:    $id"
	for tag in $(tail -n +2 "$stamp"); do
		echo "tag:      $tag"
	done
	echo "size:     $((size / 1000000)) MB (the base: $((base_size / 1000000)) MB)"
}

[ $# -ge 1 ] || die "usage: $0 base|build|verify|tag|summary ARGS..."
command=$1
shift
case $command in
base) [ $# -eq 4 ] || die "usage: $0 base ENGINE BASE_IMAGE IMAGE_DIR SRCDIR"; cmd_base "$@" ;;
build) [ $# -ge 6 ] || die "usage: $0 build ENGINE BUILDER STAMP DOCKERFILE CONTEXT TARGET [OPTION...]"; cmd_build "$@" ;;
verify) [ $# -eq 2 ] || die "usage: $0 verify ENGINE STAMP"; cmd_verify "$@" ;;
tag) [ $# -ge 2 ] || die "usage: $0 tag ENGINE STAMP TAG..."; cmd_tag "$@" ;;
summary) [ $# -eq 3 ] || die "usage: $0 summary ENGINE STAMP BASE_NAME"; cmd_summary "$@" ;;
*) die "unknown command '$command'" ;;
esac
