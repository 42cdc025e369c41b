#!/bin/sh
# The real thing, end to end: a git repository of the distributed
# sources, tagged v$(VERSION), configured in a build directory apart;
# 'make login' with the token in the environment, then 'make release
# V=1' of the image pipeline's fixture variant (tests/fixtures/image,
# tier 0, hash-locked) to a real registry.  Every tag atlas computes is
# read back from the registry with the digest the push reported; the
# password is in no output.  A second 'make release' rebuilds and pushes
# nothing, and 'make release-verify' reads the tags back again.
# shellcheck source=tests/release/lib.sh
. "${ATLAS_SRCDIR:?}/tests/release/lib.sh"

need_registry
case ${engine##*/} in
podman*) engine_name=podman ;;
*)
	engine_name=docker
	"$engine" buildx version >/dev/null 2>&1 || skip "'$engine buildx' is missing (BuildKit)"
	;;
esac
[ -x "$builddir/src/cli/atlas-image" ] ||
	skip "the image builds of atlas are not built (configure found no static jansson, nettle or libc)"
start_registry
repo=$registry/atlas-release
path=atlas-release

clean_source_copy "$work/src"
version=$(tr -d ' \t\n' <"$SRC/VERSION")
git_in_src tag -a -m "release $version" "v$version"
mkdir "$work/build"
build=$work/build
(cd "$build" && "$SRC/configure" --with-base-image=local --with-container-engine=$engine_name \
	--with-image-repo="$repo" >configure.log 2>&1) ||
	{ tail -n 20 "$build/configure.log" >&2; fail "configure of the tagged copy failed"; }
make -C "$build" -j2 >"$build/make.log" 2>&1 || { tail -n 30 "$build/make.log" >&2; fail "make failed"; }

# The local base and the fixture's wheels, shared with the image tests
# of this build tree under their lock.
cache=$builddir/tests/image/cache
wheelhouse=$cache/wheelhouse
mkdir -p "$cache" "$build/image"
(
	flock 9
	sh "$SRC/build-aux/base-image.sh" "$engine" atlas-base:bookworm-local "$build/image/local-base.stamp" &&
		sh "$SRC/build-aux/wheelhouse.sh" "$python" "$SRC/tests/fixtures/image" "$wheelhouse" 1 tier0
) 9>"$cache/lock" >"$work/prepare.log" 2>&1 || { tail -n 20 "$work/prepare.log" >&2; fail "cannot prepare the base and the wheels"; }

# release: make release of the fixture variant, output in $work/release.log.
release() {
	make -C "$build" V=1 release IMAGE_REQUIREMENTS="$SRC/tests/fixtures/image" \
		WHEELHOUSE="$wheelhouse" >"$work/release.log" 2>&1
}

# The tags atlas computes for this release; removed from the engine at
# the end, whatever happens.
"$ATLAS" tags --format=text --repo="$repo" --version-file="$SRC/VERSION" --tier=0 \
	--git-tag="v$version" --git-sha="$(git_in_src rev-parse HEAD)" | sort >"$work/tags.expected"
[ -s "$work/tags.expected" ] || fail "atlas computed no tag"
while read -r ref; do test_images="$test_images $ref"; done <"$work/tags.expected"

with_credentials make -C "$build" V=1 login >"$work/login.log" 2>&1 ||
	{ cat "$work/login.log" >&2; fail "make login failed"; }
# The release reads the registry with the login docker stored.
release || { tail -n 60 "$work/release.log" >&2; fail "make release of the fixture variant failed"; }
cat "$work/login.log" "$work/release.log" >"$work/all.log"
if grep -F -q "$registry_password" "$work/all.log"; then
	fail "the registry password appears in the output of make login / make release V=1"
fi
for step in "gates passed: HEAD" "image tests of tier0 passed" "released $repo $version (tier0)"; do
	grep -q "$step" "$work/release.log" || { tail -n 40 "$work/release.log" >&2; fail "make release did not say '$step'"; }
done

stamp=$build/image/tier0.stamp
id=$(head -n 1 "$stamp")
tail -n +2 "$stamp" | sort >"$work/tags.built"
diff -u "$work/tags.expected" "$work/tags.built" >&2 || fail "the released tags are not the release tags atlas computes"
grep -q -x -F "$repo:$version-tier0" "$work/tags.built" || fail "no $version-tier0 tag"

digest=$("$engine" image inspect --format '{{range .RepoDigests}}{{println .}}{{end}}' "$id" | sed -n "s|^$repo@||p")
[ -n "$digest" ] || fail "the engine records no digest of $repo for $id"
grep -q "pushed $repo:$version-tier0: digest $digest" "$work/release.log" || fail "the push did not report $digest"
while read -r ref; do
	got=$(registry_manifest "$path" "${ref#"$repo":}")
	[ "$got" = "$digest" ] || fail "$ref reads back from the registry as '${got:-absent}', not $digest"
	[ "$(registry_config_digest)" = "$id" ] || fail "$ref in the registry is not image $id"
	grep -q -x -F "$ref $digest" "$build/image/tier0.release" || fail "the release record lacks $ref"
done <"$work/tags.built"
# Nor in the image: its configuration and history (the login came after
# the build, which had no network and no secret).
{
	"$engine" image inspect "$id"
	"$engine" history --no-trunc --format '{{.CreatedBy}}' "$id"
} >"$work/image.txt" || fail "cannot inspect $id"
if grep -F -q "$registry_password" "$work/image.txt"; then
	fail "the registry password is in the image's configuration or history"
fi
note "released $(wc -l <"$work/tags.built") tags of $id as $digest:"
grep -E '^(release: |released |  [0-9]+ tag|  (pushed|unchanged) )' "$work/release.log" >&2

# Again: nothing to build, nothing to push, everything read back.
release || { tail -n 40 "$work/release.log" >&2; fail "the second make release failed"; }
[ "$(head -n 1 "$stamp")" = "$id" ] || fail "the second make release rebuilt the image"
grep -q "0 tag(s) pushed, $(wc -l <"$work/tags.built") already right" "$work/release.log" ||
	{ tail -n 20 "$work/release.log" >&2; fail "the second make release pushed again"; }
make -C "$build" release-verify >"$work/verify.log" 2>&1 ||
	{ cat "$work/verify.log" >&2; fail "make release-verify failed"; }
grep -q "every one resolves to $digest" "$work/verify.log" || { cat "$work/verify.log" >&2; fail "make release-verify did not check the digest"; }
note "ok: the fixture variant released, read back, released again without change"
