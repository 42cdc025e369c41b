# shellcheck shell=sh
# lib.sh - shared by the release tests (sourced, not run).
#
# The release tests talk to a real registry: Debian's docker-registry
# (the CNCF distribution registry), started by the test on a free
# loopback port with htpasswd authentication and its storage in the
# test's own temporary directory, and stopped by the test's trap.  The
# engine treats 127.0.0.0/8 registries as insecure-allowed, so plain
# HTTP works for push.  docker keeps its login in a temporary
# DOCKER_CONFIG, never in the user's.
#
# need_engine and need_registry skip (exit 77, with the reason) when
# ATLAS_IMAGE_TESTS=skip, when no engine answers, or when docker-registry,
# htpasswd or curl is missing.

fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
skip() { printf 'SKIP: %s\n' "$*" >&2; exit 77; }
note() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }

: "${ATLAS_SRCDIR:?}" "${ATLAS_BUILDDIR:?}" "${ATLAS:?}"
srcdir=$ATLAS_SRCDIR
builddir=$ATLAS_BUILDDIR
release_sh=$srcdir/build-aux/release.sh
python=${PYTHON3:-python3}
# The tests run make themselves: nothing of the outer make may leak in.
unset MAKEFLAGS MFLAGS MAKELEVEL

work=$(mktemp -d "${TMPDIR:-/tmp}/atlas-release-test.XXXXXX") || fail "cannot create a temporary directory"
registry_pid=
test_images=
cleanup() {
	stop_registry
	if [ -n "${token_pid:-}" ]; then
		kill "$token_pid" 2>/dev/null || true
		wait "$token_pid" 2>/dev/null || true
	fi
	for ref in $test_images; do
		"$engine" rmi "$ref" >/dev/null 2>&1 || true
	done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

engine=${CONTAINER_ENGINE:-}
need_engine() {
	[ "${ATLAS_IMAGE_TESTS:-}" != skip ] || skip "ATLAS_IMAGE_TESTS=skip"
	[ -n "$engine" ] || skip "no container engine (configure found neither docker nor podman)"
	"$engine" info >/dev/null 2>&1 || skip "the container engine does not answer ('$engine info' fails)"
	# docker login and push must not touch the user's configuration.
	DOCKER_CONFIG=$work/docker-config
	export DOCKER_CONFIG
	mkdir -p "$DOCKER_CONFIG"
}

need_registry() {
	need_engine
	command -v docker-registry >/dev/null 2>&1 ||
		skip "docker-registry is not installed (apt-get install docker-registry)"
	command -v htpasswd >/dev/null 2>&1 || skip "htpasswd is not installed (apt-get install apache2-utils)"
	command -v curl >/dev/null 2>&1 || skip "curl is not installed"
	registry_user=atlas-release
	# A fresh secret per test, so a leak is a string no one else prints.
	registry_password=pw-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
	mkdir -p "$work/registry"
	printf '%s\n' "$registry_password" |
		htpasswd -i -B -n "$registry_user" >"$work/registry/htpasswd" 2>/dev/null ||
		fail "htpasswd cannot write the password file"
	registry_port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])') ||
		fail "no free port"
	registry=127.0.0.1:$registry_port
}

# start_token_service: a Bearer token service (tests/release/token-server.py)
# for the registry's token authentication, as ghcr.io and Docker Hub do
# it; sets token_realm.  Skips when openssl is missing.
token_pid=
start_token_service() {
	command -v openssl >/dev/null 2>&1 || skip "openssl is not installed (the test's token service signs with it)"
	openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=atlas-test-token \
		-keyout "$work/registry/token.key" -out "$work/registry/token.crt" >/dev/null 2>&1 ||
		fail "openssl cannot make the token service's certificate"
	(umask 077 && printf '%s\n' "$registry_password" >"$work/registry/password")
	"$python" "$srcdir/tests/release/token-server.py" "$work/registry/token.key" "$work/registry/token.crt" \
		"$registry_user" "$work/registry/password" "$work/registry/token.port" 2>>"$work/registry/log" &
	token_pid=$!
	i=0
	until [ -s "$work/registry/token.port" ]; do
		kill -0 "$token_pid" 2>/dev/null || { tail -n 5 "$work/registry/log" >&2; fail "the token service did not start"; }
		i=$((i + 1))
		[ $i -lt 100 ] || fail "the token service does not start"
		sleep 0.1
	done
	token_realm=http://127.0.0.1:$(cat "$work/registry/token.port")/token
}

# start_registry [readonly|token]: start (again) on the same port and
# storage; token: with the token service's authentication, not htpasswd.
start_registry() {
	readonly_mode=false
	[ "${1:-}" != readonly ] || readonly_mode=true
	if [ "${1:-}" = token ]; then
		auth="  token:
    realm: $token_realm
    service: atlas-test-registry
    issuer: atlas-test-issuer
    rootcertbundle: $work/registry/token.crt"
	else
		auth="  htpasswd:
    realm: atlas-release-test
    path: $work/registry/htpasswd"
	fi
	cat >"$work/registry/config.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $work/registry/data
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
    readonly:
      enabled: $readonly_mode
http:
  addr: $registry
  secret: atlas-release-test
auth:
$auth
EOF
	docker-registry serve "$work/registry/config.yml" >>"$work/registry/log" 2>&1 &
	registry_pid=$!
	i=0
	until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://$registry/v2/")" = 401 ]; do
		kill -0 "$registry_pid" 2>/dev/null || { tail -n 5 "$work/registry/log" >&2; fail "docker-registry did not start"; }
		i=$((i + 1))
		[ $i -lt 100 ] || fail "docker-registry does not answer on $registry"
		sleep 0.1
	done
}

stop_registry() {
	[ -n "$registry_pid" ] || return 0
	kill "$registry_pid" 2>/dev/null || true
	wait "$registry_pid" 2>/dev/null || true
	registry_pid=
}

# record_command_lines: from now on the engine and curl are wrappers
# that append their arguments to $work/argv.log, so a test can check
# that no secret ever is an argument (visible in ps to every user).
record_command_lines() {
	mkdir -p "$work/bin"
	for real in "$(command -v "$engine")" "$(command -v curl)"; do
		cat >"$work/bin/${real##*/}" <<EOF
#!/bin/sh
printf '%s\n' "${real##*/} \$*" >>"$work/argv.log"
exec "$real" "\$@"
EOF
		chmod +x "$work/bin/${real##*/}"
	done
	engine=$work/bin/${engine##*/}
	PATH=$work/bin:$PATH
	export PATH
}

# registry_manifest REPO_PATH TAG: the Docker-Content-Digest of TAG, or
# nothing when the tag is absent; the manifest goes to $work/manifest.
# Plain curl with Basic authentication: independent of release.sh.
registry_manifest() {
	rm -f "$work/manifest" "$work/manifest.headers"
	printf 'user = "%s:%s"\n' "$registry_user" "$registry_password" |
		curl -sS -K - -o "$work/manifest" -D "$work/manifest.headers" -w '%{http_code}' \
			-H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
			-H 'Accept: application/vnd.oci.image.manifest.v1+json' \
			"http://$registry/v2/$1/manifests/$2" >"$work/manifest.status" ||
		fail "cannot ask the registry for $1:$2"
	case $(cat "$work/manifest.status") in
	200) tr -d '\r' <"$work/manifest.headers" | sed -n 's/^[Dd]ocker-[Cc]ontent-[Dd]igest: //p' ;;
	404) ;;
	*) fail "the registry answered HTTP $(cat "$work/manifest.status") for $1:$2" ;;
	esac
}

# registry_config_digest: the config digest (image ID) of $work/manifest.
registry_config_digest() {
	"$python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["config"]["digest"])' "$work/manifest"
}

# with_credentials COMMAND...: COMMAND with the registry's credentials
# in the environment, as make login and make release take them.
with_credentials() {
	ATLAS_REGISTRY_USER=$registry_user ATLAS_REGISTRY_TOKEN=$registry_password "$@"
}

# tiny_image NONCE: a small image FROM scratch (one file layer), for the
# fault cases; prints its ID.
tiny_image() {
	mkdir -p "$work/tiny-$1"
	printf 'atlas release test %s\n' "$1" >"$work/tiny-$1/payload"
	printf 'FROM scratch\nCOPY payload /payload\nLABEL io.atlas.test=%s\n' "$1" >"$work/tiny-$1/Dockerfile"
	"$engine" build -q "$work/tiny-$1" 2>"$work/tiny-$1/build.log" ||
		{ cat "$work/tiny-$1/build.log" >&2; fail "cannot build a tiny image"; }
}

# stamp_for ID STAMP ATLAS_TAGS_OPTION...: tag ID with every tag atlas
# computes and write a stamp as 'make image' does (image ID, then tags).
stamp_for() {
	stamp_id=$1 stamp_file=$2
	shift 2
	"$ATLAS" tags --format=text "$@" >"$stamp_file.tags" || fail "atlas tags $* failed"
	{
		echo "$stamp_id"
		cat "$stamp_file.tags"
	} >"$stamp_file"
	while read -r ref; do
		"$engine" tag "$stamp_id" "$ref" || fail "cannot tag $ref"
		test_images="$test_images $ref"
	done <"$stamp_file.tags"
}

# publish STAMP REPO VERSION RECORD: release.sh publish, as make
# release-publish runs it, for variant tier0; output in $work/publish.log.
publish() {
	PYTHON3=$python sh "$release_sh" publish "$engine" "$1" "$2" "$3" tier0 "$4" >"$work/publish.log" 2>&1
}

# clean_source_copy DIR: the distributed sources (make distdir) in DIR,
# made a git repository with one commit; sets SRC.
clean_source_copy() {
	command -v git >/dev/null 2>&1 || skip "git is not installed"
	make -s -C "$builddir" distdir distdir="$1" >"$work/distdir.log" 2>&1 ||
		{ tail -n 20 "$work/distdir.log" >&2; fail "make distdir failed"; }
	chmod -R u+w "$1"
	SRC=$1
	git_in_src init -q
	git_in_src add -A
	git_in_src commit -q -m 'release test'
}

# git_in_src ARGS...: git in $SRC, with no user or system configuration.
git_in_src() {
	HOME=$work GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null \
		GIT_AUTHOR_NAME=atlas GIT_AUTHOR_EMAIL=atlas@example.invalid \
		GIT_COMMITTER_NAME=atlas GIT_COMMITTER_EMAIL=atlas@example.invalid \
		git -C "$SRC" -c init.defaultBranch=main -c commit.gpgsign=false -c tag.gpgsign=false "$@"
}
