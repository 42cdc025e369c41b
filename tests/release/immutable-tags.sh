#!/bin/sh
# Version tags are immutable: a release whose version tag already names
# another image in the registry is refused before anything is pushed,
# and nothing in the registry changes.  Moving tags (latest, X-V, X.Y-V,
# V) do move with the next release, while the old version tags stay, and
# a nightly build moves the sha and nightly tags of its commit.
# Through build-aux/release.sh publish, as make release-publish runs it,
# with tiny images FROM scratch standing in for the variant.
# shellcheck source=tests/release/lib.sh
. "${ATLAS_SRCDIR:?}/tests/release/lib.sh"

need_registry
start_registry
repo=$registry/atlas-immutable
path=atlas-immutable
with_credentials sh "$release_sh" login "$engine" "$repo" >"$work/login.log" 2>&1 ||
	{ cat "$work/login.log" >&2; fail "login failed"; }
export ATLAS_RELEASE_ATTEMPTS=2 ATLAS_RELEASE_BACKOFF=1
sha=4f2a9c81e0b7d3a65c1f8e9d0a2b4c6e8f013579

# snapshot FILE: every tag of the first release and its digest now.
snapshot() {
	while read -r ref; do
		echo "$ref $(registry_manifest "$path" "${ref#"$repo":}")"
	done <"$work/a.tags" >"$1"
}

# Release 1.2.3 of image A.
a=$(tiny_image "a-$registry_port") || exit 1
test_images="$test_images $a"
stamp_for "$a" "$work/a" --repo="$repo" --tier=0 --version=1.2.3 --git-tag=v1.2.3 --git-sha=$sha
publish "$work/a" "$repo" 1.2.3 "$work/a.release" ||
	{ cat "$work/publish.log" >&2; fail "the first release failed"; }
digest_a=$(registry_manifest "$path" 1.2.3-tier0)
[ -n "$digest_a" ] || fail "1.2.3-tier0 is not in the registry"
snapshot "$work/before"

# Image B built for the same version (and commit): refused, both
# version tags named, nothing pushed, not even the moving tags.
b=$(tiny_image "b-$registry_port") || exit 1
test_images="$test_images $b"
stamp_for "$b" "$work/b" --repo="$repo" --tier=0 --version=1.2.3 --git-tag=v1.2.3 --git-sha=$sha
if publish "$work/b" "$repo" 1.2.3 "$work/b.release"; then
	cat "$work/publish.log" >&2
	fail "another image was released under existing version tags"
fi
for tag in 1.2.3-tier0 1.2.3; do
	grep -q "refused: version tag $repo:$tag already exists as $digest_a (image $a), this build is image $b" "$work/publish.log" ||
		{ cat "$work/publish.log" >&2; fail "the refusal does not name version tag $tag and both images"; }
done
grep -q 'refused: version tags are immutable; 2 already name another image; nothing was pushed' "$work/publish.log" ||
	{ cat "$work/publish.log" >&2; fail "the refusal does not sum up"; }
! grep -q '^release: pushing' "$work/publish.log" || fail "something was pushed before the refusal"
[ ! -e "$work/b.release" ] || fail "a refused release wrote a release record"
snapshot "$work/after"
diff "$work/before" "$work/after" >&2 || fail "a refused release changed tags in the registry"

# The next version, image C: the moving tags move to it; the version
# tags of 1.2.3 stay on A.
c=$(tiny_image "c-$registry_port") || exit 1
test_images="$test_images $c"
stamp_for "$c" "$work/c" --repo="$repo" --tier=0 --version=1.3.0 --git-tag=v1.3.0 \
	--git-sha=7c5d2fb4b3e0a6d98f4b1c2a3d5e7f9b1c346802
publish "$work/c" "$repo" 1.3.0 "$work/c.release" ||
	{ cat "$work/publish.log" >&2; fail "the next version's release failed"; }
digest_c=$(registry_manifest "$path" 1.3.0-tier0)
[ -n "$digest_c" ] && [ "$digest_c" != "$digest_a" ] || fail "1.3.0-tier0 is not a new digest"
for tag in latest tier0 1-tier0; do
	[ "$(registry_manifest "$path" "$tag")" = "$digest_c" ] || fail "moving tag $tag did not move to 1.3.0"
done
for tag in 1.2.3-tier0 1.2.3 1.2-tier0 sha-4f2a9c8-tier0; do
	[ "$(registry_manifest "$path" "$tag")" = "$digest_a" ] || fail "tag $tag of 1.2.3 changed with the 1.3.0 release"
done
# Two nightly builds of that commit on one day: no tag of theirs
# carries the version, so each build moves them all (sha-*, nightly-*).
for n in 1 2; do
	d=$(tiny_image "nightly$n-$registry_port") || exit 1
	test_images="$test_images $d"
	stamp_for "$d" "$work/n$n" --repo="$repo" --tier=0 --version=1.3.0 \
		--git-sha=7c5d2fb4b3e0a6d98f4b1c2a3d5e7f9b1c346802 --nightly=20261204
	publish "$work/n$n" "$repo" 1.3.0 "$work/n$n.release" ||
		{ cat "$work/publish.log" >&2; fail "nightly build $n was not pushed"; }
	digest_n=$(registry_manifest "$path" nightly-20261204-tier0)
	[ "$(registry_config_digest)" = "$d" ] || fail "nightly-20261204-tier0 is not nightly build $n"
	for tag in nightly-tier0 sha-7c5d2fb-tier0; do
		[ "$(registry_manifest "$path" "$tag")" = "$digest_n" ] || fail "$tag did not move to nightly build $n"
	done
done
[ "$(registry_manifest "$path" 1.3.0-tier0)" = "$digest_c" ] || fail "a nightly build moved the version tag 1.3.0-tier0"
note "ok: an existing version tag with another image is refused and nothing moves; moving tags move"
