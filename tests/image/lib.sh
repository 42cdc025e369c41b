# lib.sh - shared by the image tests (sourced, not run).
# shellcheck shell=sh
#
# Every image test needs a container engine that answers and the two
# atlas builds that go into images; without them it skips (exit 77) and
# says why.  The local base and the fixture's wheels are cached in the
# build tree, under a lock, so the tests of one run build them once.

fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
skip() { printf 'SKIP: %s\n' "$*" >&2; exit 77; }
note() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }

# CI's second run (distcheck) asks for this: the image tests ran already.
[ "${ATLAS_IMAGE_TESTS:-}" != skip ] || skip "ATLAS_IMAGE_TESTS=skip: asked not to run the image tests"
[ -n "${CONTAINER_ENGINE:-}" ] || skip "no container engine (CONTAINER_ENGINE is empty; configure found neither docker nor podman)"
"$CONTAINER_ENGINE" info >/dev/null 2>&1 || skip "the container engine does not answer ('$CONTAINER_ENGINE info' fails)"
: "${ATLAS_SRCDIR:?}" "${ATLAS_BUILDDIR:?}"

# Used by the tests that source this file.
# shellcheck disable=SC2034
engine=$CONTAINER_ENGINE
srcdir=$ATLAS_SRCDIR
builddir=$ATLAS_BUILDDIR
aux=$srcdir/build-aux
# shellcheck disable=SC2034
fixture=$srcdir/tests/fixtures/image
# shellcheck disable=SC2034
dockerfile=$srcdir/docker/atlas/Dockerfile
atlas_static=$builddir/src/cli/atlas-static
atlas_runtime=$builddir/src/cli/atlas-image
[ -x "$atlas_static" ] && [ -x "$atlas_runtime" ] ||
	skip "the image builds of atlas are not built (configure found no static jansson, nettle or libc)"
case ${engine##*/} in
podman*) ;;
*) "$engine" buildx version >/dev/null 2>&1 ||
	skip "'$engine buildx' is missing (BuildKit); run build-aux/install-image-tools.sh" ;;
esac

cache=$builddir/tests/image/cache
work=$builddir/tests/image/work/${0##*/}
rm -rf "$work"
mkdir -p "$cache" "$work"

# Serialise the builders of shared things across parallel tests.
locked() {
	(
		flock 9
		"$@"
	) 9>"$cache/lock"
}

# The local base, shared with 'make image' of the same build tree.
local_base=atlas-base:bookworm-local
ensure_local_base() {
	mkdir -p "$builddir/image"
	locked sh "$aux/base-image.sh" "$engine" "$local_base" "$builddir/image/local-base.stamp" ||
		fail "the local base image cannot be built"
}

# stage_context CONTEXT REQ_DIR WHEELHOUSE HASHED
stage_context() {
	sh "$aux/image-context.sh" "$1" "$srcdir" "$atlas_static" "$atlas_runtime" "$2" "$3" "$4" ||
		fail "cannot stage the build context"
}

# build STAMP CONTEXT TARGET [OPTION...]: the build log goes to $work/build.log.
build() {
	sh "$aux/image-build.sh" build "$engine" none "$@" >"$work/build.log" 2>&1
}

image_id() { "$engine" image inspect --format '{{.Id}}' "$1" 2>/dev/null; }
