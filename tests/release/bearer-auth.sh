#!/bin/sh
# The registry's token authentication, as ghcr.io and Docker Hub do it:
# docker-registry answers 401 with a Bearer challenge naming a token
# service (tests/release/token-server.py), which hands out signed tokens
# for HTTP Basic credentials.  make login and a release (release.sh
# publish, as make release-publish runs it, with a tiny image FROM
# scratch) go through it: every tag read back with the pushed digest.
# A wrong token is a clear error naming the token service, not retried.
# shellcheck source=tests/release/lib.sh
. "${ATLAS_SRCDIR:?}/tests/release/lib.sh"

need_registry
start_token_service
start_registry token
repo=$registry/atlas-bearer
path=atlas-bearer
export ATLAS_RELEASE_ATTEMPTS=2 ATLAS_RELEASE_BACKOFF=1

id=$(tiny_image "bearer-$registry_port") || exit 1
test_images="$test_images $id"
stamp_for "$id" "$work/stamp" --repo="$repo" --tier=0 --version=2.0.0 --git-tag=v2.0.0 \
	--git-sha=8d6e3a05c4f1b7e09a5c2d3b4e6f8a0c2d457913

# A wrong token: the token service refuses it, release.sh says so.
if ATLAS_REGISTRY_USER=$registry_user ATLAS_REGISTRY_TOKEN=wrong-$registry_password \
	publish "$work/stamp" "$repo" 2.0.0 "$work/record"; then
	fail "publish succeeded with a wrong token"
fi
grep -q "the token service $token_realm refused the credentials of user '$registry_user'" "$work/publish.log" ||
	{ cat "$work/publish.log" >&2; fail "no clear error for a wrong token"; }
! grep -q 'attempt 2' "$work/publish.log" || fail "a wrong token was retried"
[ ! -e "$work/record" ] || fail "a release record was written with a wrong token"

with_credentials make -C "$builddir" login IMAGE_REPO="$repo" >"$work/login.log" 2>&1 ||
	{ cat "$work/login.log" "$work/registry/log" >&2; fail "make login through the token service failed"; }
# With the login docker stored (no token in the environment).
publish "$work/stamp" "$repo" 2.0.0 "$work/record" ||
	{ cat "$work/publish.log" >&2; fail "the release through the token service failed"; }
if grep -F -q "$registry_password" "$work/publish.log" "$work/login.log"; then
	fail "the password appears in the output"
fi

# Read back independently: a pull token from the service, then the API.
digest=$("$engine" image inspect --format '{{range .RepoDigests}}{{println .}}{{end}}' "$id" | sed -n "s|^$repo@||p")
[ -n "$digest" ] || fail "the engine has no RepoDigest of $repo"
printf 'user = "%s:%s"\n' "$registry_user" "$registry_password" |
	curl -sS -K - -G --data-urlencode service=atlas-test-registry \
		--data-urlencode "scope=repository:$path:pull" "$token_realm" >"$work/token.json" ||
	fail "cannot get a token"
token=$("$python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["token"])' "$work/token.json") ||
	fail "the token service sent no token"
while read -r ref; do
	printf 'header = "Authorization: Bearer %s"\n' "$token" |
		curl -sS -K - -o /dev/null -D "$work/headers" \
			-H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
			"http://$registry/v2/$path/manifests/${ref#"$repo":}" || fail "cannot read $ref"
	got=$(tr -d '\r' <"$work/headers" | sed -n 's/^[Dd]ocker-[Cc]ontent-[Dd]igest: //p')
	[ "$got" = "$digest" ] || fail "$ref reads back as '${got:-absent}', not $digest"
done <"$work/stamp.tags"
grep -q "^released $repo 2.0.0 (tier0): image $id, digest $digest" "$work/publish.log" ||
	{ cat "$work/publish.log" >&2; fail "the release does not report its digest"; }
note "ok: login, release and read-back through a Bearer token service; a wrong token refused"
