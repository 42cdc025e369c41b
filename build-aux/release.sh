#!/bin/sh
# release.sh - the steps of 'make release', 'make login' and
# 'make release-verify' (DESIGN section 9; docs/RELEASE.md).
#
# Usage:
#   release.sh gates SRCDIR
#       Refuse unless HEAD of the git checkout SRCDIR carries the tag
#       v$(cat SRCDIR/VERSION) and the tree is clean.  Run before any build.
#   release.sh check ENGINE STAMP OPTIONS VERSION VARIANT REPO
#       The release's image tests on the built image (STAMP: image ID
#       and tags, OPTIONS: the build options atlas computed): release
#       tags, every label, non-root user, health check configured,
#       'atlas health' and 'atlas imports' inside the image.
#   release.sh login ENGINE REPO
#       docker login to REPO's registry, the token from the environment
#       through --password-stdin.
#   release.sh publish ENGINE STAMP REPO VERSION VARIANT RECORD
#       Refuse when a version tag exists in the registry with another
#       image; push every tag of STAMP with retries; read every tag back
#       through the registry's HTTP API and check its digest; on success
#       write RECORD (one "REFERENCE DIGEST" a line) and print it.
#   release.sh verify REPO RECORD
#       Read every tag of RECORD back from the registry again.
#
# Credentials: ATLAS_REGISTRY_USER and ATLAS_REGISTRY_TOKEN, else
# GITHUB_ACTOR and GITHUB_TOKEN (for ghcr.io), else what 'docker login'
# stored (DOCKER_CONFIG).  A secret never goes on a command line: docker
# gets it on standard input, curl in a configuration read from standard
# input.  This script never traces its commands.
#
# Tuning: ATLAS_RELEASE_ATTEMPTS (default 5) tries per network step,
# ATLAS_RELEASE_BACKOFF (default 2) seconds before the first retry,
# doubled after each, at most 60; ATLAS_REGISTRY_INSECURE=1 speaks plain
# HTTP to a registry that is not on the loopback interface.
set -eu

me=release
say() { printf '%s: %s\n' "$me" "$*" >&2; }
die() { say "$*"; exit 1; }

python=${PYTHON3:-python3}
attempts=${ATLAS_RELEASE_ATTEMPTS:-5}
backoff=${ATLAS_RELEASE_BACKOFF:-2}
case $attempts in '' | *[!0-9]* | 0) die "ATLAS_RELEASE_ATTEMPTS='$attempts': a positive whole number" ;; esac
case $backoff in '' | *[!0-9]*) die "ATLAS_RELEASE_BACKOFF='$backoff': a whole number of seconds" ;; esac

tmp=
cleanup() { [ -z "$tmp" ] || rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
make_tmp() {
	[ -n "$tmp" ] && return 0
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/atlas-release.XXXXXX") || die "cannot create a temporary directory"
	chmod 700 "$tmp"
}

### Gates ##################################################################

cmd_gates() {
	srcdir=$1
	[ -f "$srcdir/VERSION" ] || die "$srcdir/VERSION: no such file"
	version=$(tr -d ' \t\r\n' <"$srcdir/VERSION")
	# SemVer, bare: the 'v' belongs to the git tag only.  (atlas, which
	# checks it fully, is not built yet at this point.)
	printf '%s\n' "$version" | grep -q -E '^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$' ||
		die "refused before building: $srcdir/VERSION holds '$version', not a bare SemVer version such as 1.2.3 or 1.2.3-rc.1"
	want=v$version
	command -v git >/dev/null 2>&1 || die "refused: git is not installed, so the release tag cannot be checked"
	git -C "$srcdir" rev-parse --verify -q 'HEAD^{commit}' >/dev/null 2>&1 ||
		die "refused: the sources are not a git checkout with a commit; a release is built from the commit tagged $want"
	head=$(git -C "$srcdir" rev-parse --short=12 HEAD)
	tags=$(git -C "$srcdir" tag --points-at HEAD | tr '\n' ' ' | sed 's/ $//')
	if ! git -C "$srcdir" tag --points-at HEAD | grep -q -x -F "$want"; then
		die "refused before building: HEAD ($head) is not tagged $want (VERSION is $version; tags on HEAD: ${tags:-none}); tag the release commit 'git tag -a $want' or fix VERSION"
	fi
	# In a tag workflow, the tag that triggered it must be this one too.
	if [ "${GITHUB_REF_TYPE:-}" = tag ] && [ "${GITHUB_REF_NAME:-}" != "$want" ]; then
		die "refused before building: the workflow runs for tag '${GITHUB_REF_NAME:-}', VERSION says $want"
	fi
	# Untracked files count: they can end up in a build context.
	dirty=$(git -C "$srcdir" status --porcelain --untracked-files=normal) ||
		die "refused: 'git status' fails in $srcdir"
	if [ -n "$dirty" ]; then
		count=$(printf '%s\n' "$dirty" | wc -l)
		say "refused before building: the tree has $count uncommitted change(s); a release is built from the tagged commit alone:"
		printf '%s\n' "$dirty" | head -n 10 | sed 's/^/    /' >&2
		[ "$count" -le 10 ] || say "    ... and $((count - 10)) more"
		exit 1
	fi
	say "gates passed: HEAD ($head) is tagged $want and the tree is clean"
}

### Image checks ###########################################################

inspect() { "$engine" image inspect --format "$1" "$id"; }

cmd_check() {
	engine=$1 stamp=$2 options=$3 version=$4 variant=$5 repo=$6
	[ -f "$stamp" ] || die "$stamp: no image built (run make image)"
	[ -f "$options" ] || die "$options: no build options (run make image)"
	id=$(head -n 1 "$stamp")
	[ "$("$engine" image inspect --format '{{.Id}}' "$id" 2>/dev/null)" = "$id" ] ||
		die "the built image $id is gone from the engine; run make image"
	make_tmp
	failed=0
	bad() { say "image check failed: $*"; failed=1; }
	ok() { say "ok: $*"; }

	# The tags: those atlas computed, all on this image, and release tags.
	sed -n 's/^--tag=//p' "$options" | sort >"$tmp/tags.expected"
	tail -n +2 "$stamp" | sort >"$tmp/tags.built"
	if cmp -s "$tmp/tags.expected" "$tmp/tags.built"; then
		ok "the image carries the $(wc -l <"$tmp/tags.built") tags atlas computed"
	else
		bad "the image's tags are not the ones atlas computes now (rebuild with make image):"
		diff "$tmp/tags.expected" "$tmp/tags.built" | sed -n 's/^[<>]/    &/p' >&2 || true
	fi
	while read -r ref; do
		[ "$("$engine" image inspect --format '{{.Id}}' "$ref" 2>/dev/null)" = "$id" ] ||
			bad "$ref does not name the built image $id"
	done <"$tmp/tags.built"
	grep -q -x -F "$repo:$version-$variant" "$tmp/tags.built" ||
		bad "no tag $repo:$version-$variant: this is not a release build of $version (was the image built before the tag was made?)"

	# Every label with the value atlas computed.
	# One shell word a line, single-quoted when needed (image-meta.sh).
	n=0
	grep '^--label=' "$options" >"$tmp/labels" || true
	while IFS= read -r word; do
		eval "set -- $word"
		label=${1#--label=}
		key=${label%%=*} value=${label#*=}
		got=$(inspect "{{index .Config.Labels \"$key\"}}")
		if [ "$got" != "$value" ]; then
			bad "label $key is '$got', atlas says '$value'"
		fi
		n=$((n + 1))
	done <"$tmp/labels"
	[ "$n" -gt 0 ] || bad "atlas computed no label"
	got=$(inspect '{{index .Config.Labels "org.opencontainers.image.version"}}')
	[ "$got" = "$version" ] || bad "label org.opencontainers.image.version is '$got', not $version"
	[ "$failed" = 1 ] || ok "the image carries the $n labels atlas computed (version $version)"

	user=$(inspect '{{.Config.User}}')
	case $user in
	'' | root | 0 | 0:* | root:*) bad "the image runs as root (USER '$user')" ;;
	*) ok "the image runs as '$user'" ;;
	esac
	health=$(inspect '{{if .Config.Healthcheck}}{{join .Config.Healthcheck.Test " "}}{{end}}')
	case $health in
	*'atlas health'*) ok "HEALTHCHECK: $health" ;;
	*) bad "the image's HEALTHCHECK is '$health', not atlas health" ;;
	esac

	# Inside the image, offline, as the default user.  Import validation
	# as the image tests run it: the requested distributions (the
	# requirement files the image keeps), with the reviewed exclusions.
	# shellcheck disable=SC2016 # expanded by the container's shell
	imports='set --
for f in /opt/atlas/requirements/requirements-*.txt; do [ -f "$f" ] && set -- "$@" --requirements="$f"; done
x=/usr/local/share/atlas/import-exclusions.txt
[ -f "$x" ] && set -- "$@" --exclude="$x"
exec atlas imports "$@"'
	for what in health imports; do
		if [ "$what" = health ]; then
			set -- atlas health
		else
			set -- sh -c "$imports"
		fi
		if "$engine" run --rm --network=none "$id" "$@" >"$tmp/$what.log" 2>&1; then
			ok "atlas $what passes inside the image ($(tail -n 1 "$tmp/$what.log"))"
		else
			bad "atlas $what fails inside the image:"
			grep -v '^ok ' "$tmp/$what.log" | tail -n 20 | sed 's/^/    /' >&2
		fi
	done
	[ "$failed" = 0 ] || die "refused: the image tests of $variant failed; nothing was pushed"
	say "image tests of $variant passed"
}

### Registry access ########################################################

# parse_repo REPO: set host (the registry as docker names it), api (its
# HTTP API root) and path (the repository within it).
parse_repo() {
	first=${1%%/*}
	case $1 in
	*/*)
		case $first in
		*.* | *:* | localhost) host=$first path=${1#*/} ;;
		*) host=docker.io path=$1 ;;
		esac
		;;
	*) host=docker.io path=library/$1 ;;
	esac
	case $path in
	*:* | *@*) die "'$1': a repository, without a tag or digest" ;;
	esac
	api_host=$host
	[ "$host" != docker.io ] || api_host=registry-1.docker.io
	case $host in
	localhost | localhost:* | 127.* | '[::1]' | '[::1]:'*) scheme=http ;;
	*) if [ "${ATLAS_REGISTRY_INSECURE:-0}" = 1 ]; then scheme=http; else scheme=https; fi ;;
	esac
	api=$scheme://$api_host/v2
}

# curl_quote VALUE: VALUE as a double-quoted string of a curl config.
curl_quote() { printf '"%s"' "$(printf '%s' "$1" | sed 's/[\\"]/\\&/g')"; }

# The credentials for curl, looked up once: user and secret, or nothing.
creds_user='' creds_secret='' creds_looked_up='' creds_from=''
lookup_credentials() {
	[ -z "$creds_looked_up" ] || return 0
	creds_looked_up=1
	if [ -n "${ATLAS_REGISTRY_TOKEN:-}" ]; then
		creds_user=${ATLAS_REGISTRY_USER:-${GITHUB_ACTOR:-}}
		creds_secret=$ATLAS_REGISTRY_TOKEN
		creds_from="ATLAS_REGISTRY_TOKEN"
	elif [ "$host" = ghcr.io ] && [ -n "${GITHUB_TOKEN:-}" ]; then
		creds_user=${GITHUB_ACTOR:-}
		creds_secret=$GITHUB_TOKEN
		creds_from="GITHUB_TOKEN"
	else
		# What docker login stored: a credential helper or the auths map.
		pair=$("$python" - "$host" <<'PY'
import base64, json, os, subprocess, sys
host = sys.argv[1]
names = [host, "https://" + host, "http://" + host, "https://" + host + "/v1/"]
if host == "docker.io":
    names += ["https://index.docker.io/v1/", "index.docker.io"]
path = os.path.join(os.environ.get("DOCKER_CONFIG") or os.path.expanduser("~/.docker"), "config.json")
try:
    with open(path) as f:
        config = json.load(f)
except (OSError, ValueError):
    sys.exit(0)
helper = None
for name in names:
    helper = (config.get("credHelpers") or {}).get(name)
    if helper:
        break
helper = helper or config.get("credsStore")
if helper:
    for name in names:
        try:
            out = subprocess.run(["docker-credential-" + helper, "get"], input=name.encode(),
                                 capture_output=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            break
        if out.returncode == 0:
            entry = json.loads(out.stdout)
            print(entry.get("Username", "") + ":" + entry.get("Secret", ""))
            sys.exit(0)
for name in names:
    auth = ((config.get("auths") or {}).get(name) or {}).get("auth")
    if auth:
        print(base64.b64decode(auth).decode())
        sys.exit(0)
PY
) || pair=
		if [ -n "$pair" ]; then
			creds_user=${pair%%:*}
			creds_secret=${pair#*:}
			creds_from="the docker login of $host"
		fi
	fi
}

# auth_config: the curl configuration lines of the current authorization.
auth_mode=none bearer_token=
auth_config() {
	case $auth_mode in
	basic) echo "user = $(curl_quote "$creds_user:$creds_secret")" ;;
	bearer) echo "header = $(curl_quote "Authorization: Bearer $bearer_token")" ;;
	esac
}

# http_get URL [HEADER...]: GET URL into $tmp/body and $tmp/headers; set
# status (the HTTP status, or 000 with $tmp/curl.err when none came).
http_get() {
	url=$1
	shift
	{
		auth_config
		for h in "$@"; do echo "header = $(curl_quote "$h")"; done
	} | curl -sS --max-time 60 --connect-timeout 10 -K - -o "$tmp/body" -D "$tmp/headers" \
		-w '%{http_code}' "$url" >"$tmp/status" 2>"$tmp/curl.err" || true
	status=$(cat "$tmp/status")
	[ -n "$status" ] || status=000
}

header_value() {
	tr -d '\r' <"$tmp/headers" | sed -n "s/^$1:[[:space:]]*//Ip" | tail -n 1
}

# challenge_param NAME: a parameter of the WWW-Authenticate challenge.
# (A scope may hold commas: "repository:a/b:pull,push".)
challenge_param() {
	printf ' %s\n' "$challenge" | sed -n "s/.*[[:space:],]$1=\"\([^\"]*\)\".*/\1/Ip" | head -n 1
}

# fetch_bearer_token: answer a Bearer challenge (ghcr.io, Docker Hub).
fetch_bearer_token() {
	realm=$(challenge_param realm) service=$(challenge_param service) scope=$(challenge_param scope)
	[ -n "$realm" ] || { reason="the registry's Bearer challenge names no realm"; return 1; }
	[ -n "$scope" ] || scope="repository:$path:pull"
	lookup_credentials
	{
		[ -z "$creds_secret" ] || echo "user = $(curl_quote "$creds_user:$creds_secret")"
	} | curl -sS --max-time 60 --connect-timeout 10 -K - -G -o "$tmp/token.json" -w '%{http_code}' \
		--data-urlencode "service=$service" --data-urlencode "scope=$scope" "$realm" \
		>"$tmp/status" 2>"$tmp/curl.err" || true
	token_status=$(cat "$tmp/status")
	# shellcheck disable=SC2016 # quotes inside a message
	case $token_status in
	200) ;;
	401 | 403) reason="the token service $realm refused the credentials${creds_user:+ of user '$creds_user'} (HTTP $token_status)"; return 1 ;;
	000 | 5* | 429) reason="the token service $realm does not answer ($(tail -n 1 "$tmp/curl.err")HTTP $token_status)"; return 75 ;;
	*) reason="the token service $realm answered HTTP $token_status"; return 1 ;;
	esac
	bearer_token=$("$python" -c 'import json, sys; d = json.load(open(sys.argv[1])); print(d.get("token") or d.get("access_token") or "")' "$tmp/token.json" 2>/dev/null) || bearer_token=
	[ -n "$bearer_token" ] || { reason="the token service $realm sent no token"; return 1; }
	auth_mode=bearer
}

# registry_get URL [HEADER...]: http_get with the registry's
# authentication.  Returns 0 with status 200 or 404; 75 for a transient
# failure (no answer, 5xx, 429); 1 otherwise, with reason set.
registry_get() {
	http_get "$@"
	if [ "$status" = 401 ]; then
		challenge=$(header_value 'www-authenticate')
		case $challenge in
		[Bb]asic*)
			lookup_credentials
			if [ -z "$creds_secret" ]; then
				reason="$host asks for credentials and none are set: run make login, or set ATLAS_REGISTRY_USER and ATLAS_REGISTRY_TOKEN"
				return 1
			fi
			auth_mode=basic
			;;
		[Bb]earer*)
			fetch_bearer_token || return $?
			;;
		*)
			reason="$host answered 401 with an unknown challenge '$challenge'"
			return 1
			;;
		esac
		http_get "$@"
	fi
	case $status in
	200 | 404) return 0 ;;
	401 | 403)
		# shellcheck disable=SC2016 # quotes inside a message
		reason="$host refused the credentials${creds_user:+ of user '$creds_user'}${creds_from:+ (from $creds_from)} (HTTP $status): check the token, or run make login again"
		return 1
		;;
	000)
		reason="$host does not answer: $(tail -n 1 "$tmp/curl.err")"
		return 75
		;;
	5* | 429)
		reason="$host answered HTTP $status"
		return 75
		;;
	*)
		reason="$host answered HTTP $status to GET $1: $(head -c 300 "$tmp/body" | tr '\n' ' ')"
		return 1
		;;
	esac
}

# retry WHAT COMMAND...: run COMMAND until it succeeds, fails for good
# (status other than 75) or runs out of attempts, waiting longer each time.
retry() {
	what=$1
	shift
	n=1 delay=$backoff
	while :; do
		rc=0
		"$@" || rc=$?
		[ "$rc" = 75 ] || return "$rc"
		if [ "$n" -ge "$attempts" ]; then
			reason="$reason (gave up after $attempts attempts)"
			return 1
		fi
		say "$what: $reason; attempt $((n + 1)) of $attempts in $delay s"
		sleep "$delay"
		n=$((n + 1))
		delay=$((delay * 2))
		[ "$delay" -le 60 ] || delay=60
	done
}

manifest_accept="application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json"

# remote_manifest TAG: set remote_digest and remote_config ('' when the
# tag is absent).  The digest is Docker-Content-Digest, checked against
# the content; the config digest is the image ID of a single image.
remote_manifest() {
	registry_get "$api/$path/manifests/$1" "Accept: $manifest_accept" || return $?
	remote_digest='' remote_config=''
	[ "$status" = 200 ] || return 0
	remote_digest=$(header_value 'docker-content-digest')
	content_digest=sha256:$(sha256sum "$tmp/body" | cut -d' ' -f1)
	if [ -z "$remote_digest" ]; then
		remote_digest=$content_digest
	elif [ "$remote_digest" != "$content_digest" ]; then
		reason="$host sent a manifest for tag $1 whose content ($content_digest) is not its Docker-Content-Digest ($remote_digest)"
		return 1
	fi
	remote_config=$("$python" -c '
import json, sys
m = json.load(open(sys.argv[1]))
print((m.get("config") or {}).get("digest", ""))' "$tmp/body" 2>/dev/null) || remote_config=
}

# is_version_tag TAG: the tags that carry the version (X.Y.Z-V, and
# X.Y.Z for the default variant) are immutable.  Every other tag moves:
# latest, X-V, X.Y-V and V follow the newest release; sha-*-V and
# nightly-*-V name a commit or a day, and a commit is built again by
# every nightly until the next one (the build is not bit-reproducible).
is_version_tag() {
	[ "$1" = "$version" ] || [ "$1" = "$version-$variant" ]
}

### Login ##################################################################

cmd_login() {
	engine=$1
	parse_repo "$2"
	user=${ATLAS_REGISTRY_USER:-} secret=${ATLAS_REGISTRY_TOKEN:-} from=ATLAS_REGISTRY_TOKEN
	if [ -z "$secret" ] && [ -n "${GITHUB_TOKEN:-}" ]; then
		user=${ATLAS_REGISTRY_USER:-${GITHUB_ACTOR:-}} secret=$GITHUB_TOKEN from=GITHUB_TOKEN
	fi
	[ -n "$secret" ] || die "no token: set ATLAS_REGISTRY_USER and ATLAS_REGISTRY_TOKEN (or, in GitHub Actions, GITHUB_ACTOR and GITHUB_TOKEN)"
	[ -n "$user" ] || die "no user name for the token in $from: set ATLAS_REGISTRY_USER (or GITHUB_ACTOR)"
	make_tmp
	# The secret goes through a pipe from a shell builtin: never argv.
	if printf '%s\n' "$secret" | "$engine" login --username "$user" --password-stdin "$host" \
		>"$tmp/login.log" 2>&1; then
		say "logged in to $host as $user (token from $from; stored in ${DOCKER_CONFIG:-~/.docker}/config.json)"
	else
		sed 's/^/    /' "$tmp/login.log" | grep -v -i 'WARNING\|credential-store\|credential helper' >&2 || true
		die "login to $host as '$user' failed (token from $from)"
	fi
}

### Publish ################################################################

# push_once REF: one docker push; sets pushed_digest, or reason and 75
# (worth retrying) or 1.
push_once() {
	rm -f "$tmp/digest"
	# podman prints no digest; it writes it to a file when asked.
	case ${engine##*/} in
	podman*) set -- --digestfile "$tmp/digest" "$1" ;;
	esac
	if "$engine" push "$@" </dev/null >"$tmp/push.log" 2>&1; then
		if [ -s "$tmp/digest" ]; then
			pushed_digest=$(cat "$tmp/digest")
		else
			pushed_digest=$(sed -n 's/.*digest: \(sha256:[0-9a-f]\{64\}\).*/\1/p' "$tmp/push.log" | tail -n 1)
		fi
		[ -n "$pushed_digest" ] && return 0
		reason="docker push $1 reported no digest"
		return 1
	fi
	reason=$(grep -v '^[0-9a-f]\{12\}: \|^The push refers\|^Waiting\|^Preparing' "$tmp/push.log" | tail -n 1)
	case $reason in
	*unauthorized* | *'authentication required'* | *denied* | *'no basic auth credentials'* | *forbidden*)
		reason="the registry refused the push of $1: $reason (run make login, check the token's write access)"
		return 1
		;;
	*'tag invalid'* | *'manifest invalid'* | *'name invalid'* | *'invalid reference'*)
		reason="the registry rejected $1: $reason"
		return 1
		;;
	esac
	reason="docker push $1 failed: ${reason:-no message}"
	return 75
}

cmd_publish() {
	engine=$1 stamp=$2 repo=$3 version=$4 variant=$5 record=$6
	parse_repo "$repo"
	make_tmp
	rm -f "$record"
	[ -f "$stamp" ] || die "$stamp: no image built (run make image)"
	id=$(head -n 1 "$stamp")
	[ "$("$engine" image inspect --format '{{.Id}}' "$id" 2>/dev/null)" = "$id" ] ||
		die "the built image $id is gone from the engine; run make image"
	tail -n +2 "$stamp" >"$tmp/refs"
	[ -s "$tmp/refs" ] || die "$stamp lists no tag"
	: >"$tmp/tags"
	while read -r ref; do
		case $ref in
		"$repo":*) ;;
		*) die "$ref is not in $repo (configure --with-image-repo, or make IMAGE_REPO=...)" ;;
		esac
		[ "$("$engine" image inspect --format '{{.Id}}' "$ref" 2>/dev/null)" = "$id" ] ||
			die "$ref no longer names the built image $id; run make image"
		echo "${ref#"$repo":}" >>"$tmp/tags"
	done <"$tmp/refs"

	# The digest of an earlier push of this image to this repository.
	built_digest=$("$engine" image inspect --format '{{range .RepoDigests}}{{println .}}{{end}}' "$id" |
		sed -n "s|^$repo@||p" | head -n 1)

	# Before any push: what the registry holds under each tag.
	say "reading the tags of $repo from $api"
	conflicts=0
	: >"$tmp/state"
	while read -r tag; do
		retry "reading $repo:$tag" remote_manifest "$tag" ||
			die "$reason; nothing was pushed"
		kind=moving
		! is_version_tag "$tag" || kind=version
		echo "$tag $kind ${remote_digest:--} ${remote_config:--}" >>"$tmp/state"
		[ "$kind" = version ] && [ -n "$remote_digest" ] || continue
		if [ "$remote_config" != "$id" ]; then
			say "refused: version tag $repo:$tag already exists as $remote_digest (image ${remote_config:-unknown}), this build is image $id"
			conflicts=$((conflicts + 1))
		elif [ -n "$built_digest" ] && [ "$remote_digest" != "$built_digest" ]; then
			say "refused: version tag $repo:$tag already exists as $remote_digest, this build pushes as $built_digest"
			conflicts=$((conflicts + 1))
		else
			# The same image is there: its digest is the release's.
			[ -n "$built_digest" ] || built_digest=$remote_digest
		fi
	done <"$tmp/tags"
	[ "$conflicts" = 0 ] ||
		die "refused: version tags are immutable; $conflicts already name another image; nothing was pushed (see docs/RELEASE.md: bump VERSION, or delete the tag from the registry on purpose)"

	# Push what is not already right; a version tag already present is
	# never pushed again (it can only be the same image, checked above).
	# The version tags go last: until they are in, a failed release can
	# be rerun by a fresh build (a CI rerun) without being refused.
	pushed=0 unchanged=0
	: >"$tmp/done"
	{ grep ' moving ' "$tmp/state" || true; grep ' version ' "$tmp/state" || true; } >"$tmp/order"
	while read -r tag kind remote _; do
		ref=$repo:$tag
		if [ "$remote" != - ] && { [ "$kind" = version ] || [ "$remote" = "$built_digest" ]; }; then
			echo "$ref $remote unchanged" >>"$tmp/done"
			unchanged=$((unchanged + 1))
			continue
		fi
		say "pushing $ref"
		if ! retry "pushing $ref" push_once "$ref"; then
			say "$reason"
			if [ -s "$tmp/done" ]; then
				say "before the failure:"
				sed 's/^/    /' "$tmp/done" >&2
			fi
			die "FAILED: nothing was released; once the registry answers, run make release again: tags already right are left alone"
		fi
		if [ -z "$built_digest" ]; then
			built_digest=$pushed_digest
		elif [ "$pushed_digest" != "$built_digest" ]; then
			die "FAILED: $ref was pushed as $pushed_digest, the release's digest is $built_digest; nothing was released"
		fi
		say "pushed $ref: digest $pushed_digest"
		echo "$ref $pushed_digest pushed" >>"$tmp/done"
		pushed=$((pushed + 1))
	done <"$tmp/order"
	[ -n "$built_digest" ] || die "no digest: nothing was pushed and the registry holds no version tag"

	# docker's own record of the push, when it pushed (podman records
	# the digest of its local copy, which need not be the pushed one).
	engine_records_push=yes
	case ${engine##*/} in podman*) engine_records_push=no ;; esac
	if [ "$engine_records_push" = yes ] && [ "$pushed" -gt 0 ] && ! "$engine" image inspect --format '{{range .RepoDigests}}{{println .}}{{end}}' "$id" |
		grep -q -x -F "$repo@$built_digest"; then
		die "FAILED: the engine's RepoDigests of $id lack $repo@$built_digest; nothing was released"
	fi

	verify_tags "$tmp/tags" "$built_digest" || die "FAILED: $reason; nothing was released"

	{
		while read -r ref digest _; do echo "$ref $digest"; done <"$tmp/done"
	} >"$record.tmp"
	mv -f "$record.tmp" "$record"
	echo "released $repo $version ($variant): image $id, digest $built_digest"
	echo "  $pushed tag(s) pushed, $unchanged already right and left alone; every tag read back from $host:"
	while read -r ref digest how; do
		printf '  %-9s %s@%s\n' "$how" "$ref" "$digest"
	done <"$tmp/done"
}

# verify_tags TAGFILE DIGEST: every tag resolves to DIGEST in the registry.
verify_tags() {
	while read -r tag; do
		retry "reading back $repo:$tag" remote_manifest "$tag" || return 1
		if [ -z "$remote_digest" ]; then
			reason="$repo:$tag is not in the registry after the push"
			return 1
		fi
		if [ "$remote_digest" != "$2" ]; then
			reason="$repo:$tag resolves to $remote_digest, the release's digest is $2"
			return 1
		fi
	done <"$1"
	say "read back $(wc -l <"$1") tag(s) from $host: every one resolves to $2"
}

cmd_verify() {
	repo=$1 record=$2
	parse_repo "$repo"
	[ -f "$record" ] || die "$record: no release record (run make release)"
	make_tmp
	digest=$(head -n 1 "$record" | cut -d' ' -f2)
	while read -r ref d; do
		[ "$d" = "$digest" ] || die "$record names two digests"
		echo "${ref#"$repo":}"
	done <"$record" >"$tmp/tags"
	verify_tags "$tmp/tags" "$digest" || die "$reason"
}

[ $# -ge 1 ] || die "usage: $0 gates|check|login|publish|verify ARGS..."
command=$1
shift
case $command in
gates) [ $# -eq 1 ] || die "usage: $0 gates SRCDIR"; cmd_gates "$@" ;;
check) [ $# -eq 6 ] || die "usage: $0 check ENGINE STAMP OPTIONS VERSION VARIANT REPO"; cmd_check "$@" ;;
login) [ $# -eq 2 ] || die "usage: $0 login ENGINE REPO"; cmd_login "$@" ;;
publish) [ $# -eq 6 ] || die "usage: $0 publish ENGINE STAMP REPO VERSION VARIANT RECORD"; cmd_publish "$@" ;;
verify) [ $# -eq 2 ] || die "usage: $0 verify REPO RECORD"; cmd_verify "$@" ;;
*) die "unknown command '$command'" ;;
esac
