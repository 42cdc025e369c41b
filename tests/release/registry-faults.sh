#!/bin/sh
# A release against a registry that misbehaves, through the same code
# path as 'make release-publish' (build-aux/release.sh publish) with a
# tiny image FROM scratch standing in for the variant:
#   - no credentials, then a wrong password (make login and publish):
#     a clear error, no retry, the password in no output (V=1 included);
#   - registry down: retries, then a clear failure, nothing released;
#   - registry read-only (pushes fail, reads work): the push is retried,
#     then fails, nothing released;
#   - registry back: a rerun releases, every tag reads back with the
#     digest the push reported; another rerun changes nothing;
#   - read-only again, made writable while release.sh is retrying: the
#     retried push goes through;
#   - one tag already pushed by hand: left alone, the rest pushed.
# shellcheck source=tests/release/lib.sh
. "${ATLAS_SRCDIR:?}/tests/release/lib.sh"

need_registry
record_command_lines
start_registry
repo=$registry/atlas-faults
path=atlas-faults
# Each release is another commit: sha-* tags are immutable too.
sha=4f2a9c81e0b7d3a65c1f8e9d0a2b4c6e8f013579
sha2=5a3b0d92f1c8e4b76d2f9a0e1b3c5d7f9a124680
sha3=6b4c1ea3a2d9f5c87e3a0b1f2c4d6e8a0b235791
export ATLAS_RELEASE_ATTEMPTS=3 ATLAS_RELEASE_BACKOFF=1

id=$(tiny_image "faults-$registry_port") || exit 1
test_images="$test_images $id"
stamp_for "$id" "$work/stamp" --repo="$repo" --tier=0 --version=1.2.3 --git-tag=v1.2.3 --git-sha=$sha
record=$work/tier0.release
ntags=$(wc -l <"$work/stamp.tags")

# no_leak FILE: the password is nowhere in FILE.
no_leak() {
	if grep -F -q "$registry_password" "$1"; then
		fail "the registry password appears in $1"
	fi
}

# No credentials at all: refused while reading, without retries.
if publish "$work/stamp" "$repo" 1.2.3 "$record"; then
	fail "publish succeeded with no credentials"
fi
grep -q 'asks for credentials and none are set' "$work/publish.log" ||
	{ cat "$work/publish.log" >&2; fail "no clear error without credentials"; }
! grep -q 'attempt 2' "$work/publish.log" || fail "a missing credential was retried"
[ ! -e "$record" ] || fail "a release record was written without credentials"

# A wrong password: make login says so, and so does publish.
if ATLAS_REGISTRY_USER=$registry_user ATLAS_REGISTRY_TOKEN=wrong-$registry_password \
	make -C "$builddir" V=1 login IMAGE_REPO="$repo" CONTAINER_ENGINE="$engine" >"$work/login.log" 2>&1; then
	fail "make login succeeded with a wrong password"
fi
grep -q "login to $registry as '$registry_user' failed" "$work/login.log" ||
	{ cat "$work/login.log" >&2; fail "make login does not say the login failed"; }
grep -q -i 'unauthorized' "$work/login.log" ||
	{ cat "$work/login.log" >&2; fail "make login does not pass on the registry's 401"; }
no_leak "$work/login.log"
if ATLAS_REGISTRY_USER=$registry_user ATLAS_REGISTRY_TOKEN=wrong-$registry_password \
	publish "$work/stamp" "$repo" 1.2.3 "$record"; then
	fail "publish succeeded with a wrong password"
fi
grep -q "refused the credentials of user '$registry_user'" "$work/publish.log" ||
	{ cat "$work/publish.log" >&2; fail "no clear error for a wrong password"; }
! grep -q 'attempt 2' "$work/publish.log" || fail "a wrong password was retried"
no_leak "$work/publish.log"
[ ! -e "$record" ] || fail "a release record was written with a wrong password"

# The right one, through make login with V=1: docker keeps it in the
# test's DOCKER_CONFIG, and it is printed nowhere.
with_credentials make -C "$builddir" V=1 login IMAGE_REPO="$repo" CONTAINER_ENGINE="$engine" >"$work/login.log" 2>&1 ||
	{ cat "$work/login.log" >&2; fail "make login failed"; }
no_leak "$work/login.log"
grep -q "\"$registry\"" "$DOCKER_CONFIG/config.json" || fail "make login stored no login in DOCKER_CONFIG"

# Registry down: every read is retried, then a clear failure.
stop_registry
if publish "$work/stamp" "$repo" 1.2.3 "$record"; then
	fail "publish succeeded with the registry down"
fi
grep -q "does not answer" "$work/publish.log" && grep -q 'attempt 3 of 3' "$work/publish.log" &&
	grep -q 'gave up after 3 attempts' "$work/publish.log" ||
	{ cat "$work/publish.log" >&2; fail "registry down: no retries and clear failure"; }
! grep -q '^released' "$work/publish.log" || fail "registry down, yet something was reported as released"
[ ! -e "$record" ] || fail "registry down, yet a release record was written"

# Read-only: the reads work, every push is refused and retried.
start_registry readonly
if publish "$work/stamp" "$repo" 1.2.3 "$record"; then
	fail "publish succeeded into a read-only registry"
fi
grep -q 'pushing .*attempt 3 of 3' "$work/publish.log" &&
	grep -q 'FAILED: nothing was released' "$work/publish.log" ||
	{ cat "$work/publish.log" >&2; fail "read-only registry: no push retries and clear failure"; }
! grep -q '^released' "$work/publish.log" || fail "a failed push was reported as released"
[ ! -e "$record" ] || fail "a failed push wrote a release record"
stop_registry

# Back: the rerun releases every tag, each reads back as pushed.
start_registry
publish "$work/stamp" "$repo" 1.2.3 "$record" ||
	{ cat "$work/publish.log" >&2; fail "the rerun with the registry back failed"; }
no_leak "$work/publish.log"
digest=$("$engine" image inspect --format '{{range .RepoDigests}}{{println .}}{{end}}' "$id" |
	sed -n "s|^$repo@||p")
[ -n "$digest" ] || fail "the engine has no RepoDigest of $repo after the push"
grep -q "^released $repo 1.2.3 (tier0): image $id, digest $digest" "$work/publish.log" ||
	{ cat "$work/publish.log" >&2; fail "the release does not report the image and its digest"; }
while read -r ref; do
	got=$(registry_manifest "$path" "${ref#"$repo":}")
	[ "$got" = "$digest" ] || fail "$ref reads back as '${got:-absent}', the push reported $digest"
	[ "$(registry_config_digest)" = "$id" ] || fail "$ref is not image $id in the registry"
	grep -q -x -F "$ref $digest" "$record" || fail "the release record lacks $ref"
done <"$work/stamp.tags"
[ "$(wc -l <"$record")" = "$ntags" ] || fail "the release record does not hold exactly the $ntags tags"
# The version tags go last, so a release that fails before them can be
# rerun by a fresh build.
sed -n "s|^release: pushing $repo:||p" "$work/publish.log" | tail -n 2 | sort >"$work/last-pushed"
printf '1.2.3\n1.2.3-tier0\n' | diff - "$work/last-pushed" >&2 || fail "the version tags were not pushed last"

# A rerun changes nothing: every tag is already right.
ls -R "$work/registry/data" >"$work/storage.before"
publish "$work/stamp" "$repo" 1.2.3 "$record" ||
	{ cat "$work/publish.log" >&2; fail "a rerun of a complete release failed"; }
grep -q "0 tag(s) pushed, $ntags already right" "$work/publish.log" ||
	{ cat "$work/publish.log" >&2; fail "a rerun of a complete release pushed again"; }
ls -R "$work/registry/data" >"$work/storage.after"
diff "$work/storage.before" "$work/storage.after" >&2 || fail "a rerun changed the registry's storage"

# Read-only while release.sh retries, then writable: the retry succeeds.
id2=$(tiny_image "faults2-$registry_port") || exit 1
test_images="$test_images $id2"
stamp_for "$id2" "$work/stamp2" --repo="$repo" --tier=0 --version=1.2.4 --git-tag=v1.2.4 --git-sha=$sha2
stop_registry
start_registry readonly
ATLAS_RELEASE_ATTEMPTS=8 ATLAS_RELEASE_BACKOFF=1 publish "$work/stamp2" "$repo" 1.2.4 "$work/record2" &
publisher=$!
i=0
until grep -q 'pushing .*attempt 2 of 8' "$work/publish.log" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 300 ] || { kill "$publisher"; cat "$work/publish.log" >&2; fail "release.sh never retried a push"; }
	sleep 0.1
done
stop_registry
start_registry
wait "$publisher" || { cat "$work/publish.log" >&2; fail "the push did not go through once the registry was writable"; }
grep -q '^released' "$work/publish.log" || fail "the retried release does not say it released"

# Partial: one version tag already pushed by hand is left alone.
id3=$(tiny_image "faults3-$registry_port") || exit 1
test_images="$test_images $id3"
stamp_for "$id3" "$work/stamp3" --repo="$repo" --tier=0 --version=1.2.5 --git-tag=v1.2.5 --git-sha=$sha3
"$engine" push "$repo:1.2.5-tier0" >"$work/push.log" 2>&1 || { cat "$work/push.log" >&2; fail "docker push failed"; }
publish "$work/stamp3" "$repo" 1.2.5 "$work/record3" ||
	{ cat "$work/publish.log" >&2; fail "the release after a partial push failed"; }
grep -q "unchanged *$repo:1.2.5-tier0@" "$work/publish.log" &&
	grep -q "$((ntags - 1)) tag(s) pushed, 1 already right" "$work/publish.log" ||
	{ cat "$work/publish.log" >&2; fail "the tag pushed before was not left alone"; }
# The engine and curl ran with the secrets in their environment or on
# their standard input, never as an argument.
grep -q "^${engine##*/} login --username $registry_user --password-stdin $registry" "$work/argv.log" &&
	grep -q "^${engine##*/} push .*$repo:" "$work/argv.log" && grep -q "^curl .*$registry/v2/$path/manifests/" "$work/argv.log" ||
	{ cat "$work/argv.log" >&2; fail "the engine and curl did not run through the recording wrappers"; }
if grep -F "$registry_password" "$work/argv.log" >&2; then
	fail "the registry password was an argument of a command"
fi
note "ok: no or wrong credentials, registry down, read-only, back, rerun, partial release"
