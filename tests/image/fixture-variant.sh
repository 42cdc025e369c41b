#!/bin/sh
# A small variant (tests/fixtures/image: numpy and the other modules of
# tier 0's health check,
# locked with hashes) built end to end, as 'make image' builds the real
# one: the local base from Debian packages, a host-side wheelhouse
# fetched from the locks, install steps with no network.  Then the
# image is checked: tags and labels exactly as atlas computes them, the
# non-root user, the command and the health check, import validation,
# no wheel, pip cache or credential in any layer or in the history, and
# tier 1 and the materials stack built on top of every layer of tier 0.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "${ATLAS_SRCDIR:?}/tests/image/lib.sh"

python=${PYTHON3:-python3}
# One repository per build tree: test runs in two trees at once must not
# move each other's tags.
repo=localhost/atlas-image-test-$(printf '%s' "$builddir" | cksum | cut -d' ' -f1)
containers=
cleanup() {
	for c in $containers; do
		"$engine" rm -f "$c" >/dev/null 2>&1 || true
	done
	# The tags go; the layers stay in the engine's build cache.
	for stamp in "$work"/*.stamp; do
		[ -f "$stamp" ] || continue
		tail -n +2 "$stamp" | xargs -r "$engine" rmi >/dev/null 2>&1 || true
	done
}
trap cleanup EXIT INT TERM

ensure_local_base
wheelhouse=$cache/wheelhouse
locked sh "$aux/wheelhouse.sh" "$python" "$fixture" "$wheelhouse" 1 tier0 tier1 materials ||
	fail "cannot fetch the fixture's wheels"
stage_context "$work/context" "$fixture" "$wheelhouse" 1

# build_tier TIER [MATERIALS]: options from atlas, then the runtime target.
build_tier() {
	v=tier$1${2:+-materials}
	SOURCE_DATE_EPOCH=1700000000 sh "$aux/image-meta.sh" "$ATLAS" "$srcdir" "$repo" "$1" "${2:-0}" \
		"$fixture" 1 "$local_base" "$work/$v.options" ||
		fail "atlas cannot compute the tags and labels of $v"
	build "$work/$v.stamp" "$dockerfile" "$work/context" runtime @"$work/$v.options" ||
		{ tail -n 40 "$work/build.log" >&2; fail "the $v fixture image does not build"; }
	cp "$work/build.log" "$work/build-$v.log"
	head -n 1 "$work/$v.stamp"
}
# layers IMAGE: its layer digests, one a line.
layers() {
	"$engine" image inspect --format '{{range .RootFS.Layers}}{{println .}}{{end}}' "$1" | sed '/^$/d'
}
t0=$(build_tier 0) || exit 1
note "tier 0: $t0"

# Tags: exactly the references atlas computes, no more, no fewer.
git_sha=$(git -C "$srcdir" rev-parse HEAD 2>/dev/null || true)
"$ATLAS" tags --format=text --repo="$repo" --version-file="$srcdir/VERSION" --tier=0 \
	${git_sha:+--git-sha="$git_sha"} | sort >"$work/tags.expected"
"$engine" image inspect --format '{{range .RepoTags}}{{println .}}{{end}}' "$t0" |
	sed '/^$/d' | sort >"$work/tags.actual"
[ -s "$work/tags.expected" ] || fail "atlas computed no tag"
diff -u "$work/tags.expected" "$work/tags.actual" >&2 || fail "the image's tags are not atlas's"

# Labels: every label atlas computes, with its exact value.
"$ATLAS" labels --format=json --version-file="$srcdir/VERSION" --tier=0 \
	${git_sha:+--git-sha="$git_sha"} --source-date-epoch=1700000000 \
	--requirements-dir="$fixture" --locked --base-name="$local_base" >"$work/labels.expected" ||
	fail "atlas labels failed"
"$engine" image inspect --format '{{json .Config.Labels}}' "$t0" >"$work/labels.actual"
"$python" - "$work/labels.expected" "$work/labels.actual" <<'PY' || fail "the image's labels are not atlas's"
import json, sys
expected = json.load(open(sys.argv[1]))
actual = json.load(open(sys.argv[2])) or {}
bad = {k: (v, actual.get(k)) for k, v in expected.items() if actual.get(k) != v}
for k, (want, got) in sorted(bad.items()):
    print(f"label {k}: atlas says {want!r}, the image has {got!r}", file=sys.stderr)
sys.exit(1 if bad or not expected else 0)
PY

# Configuration: non-root user, python by default, atlas health.
user=$("$engine" image inspect --format '{{.Config.User}}' "$t0")
case $user in
'' | 0 | 0:* | root | root:*) fail "the default user is root ('$user')" ;;
esac
# shellcheck disable=SC2016 # expanded in the container
who=$("$engine" run --rm --network=none "$t0" sh -c 'echo "$(id -u) $(id -un)"') || fail "cannot run the image"
[ "$who" = "1000 atlas" ] || fail "the default user is '$who', not '1000 atlas'"
[ "$("$engine" image inspect --format '{{json .Config.Cmd}}' "$t0")" = '["python"]' ] ||
	fail "the default command is not [\"python\"]"
health=$("$engine" image inspect --format '{{json .Config.Healthcheck.Test}}' "$t0")
[ "$health" = '["CMD","atlas","health"]' ] || fail "the health check is $health, not atlas health"
# In nanoseconds in the JSON form; import torch needs minutes, not seconds.
start=$("$engine" image inspect --format '{{json .Config.Healthcheck}}' "$t0" |
	"$python" -c 'import json, sys; print(json.load(sys.stdin).get("StartPeriod", 0) // 10**9)')
[ "$start" -ge 120 ] || fail "the health check's start period (${start} s) is too short for import torch"

# The installed packages import, from the venv, offline.
"$engine" run --rm --network=none "$t0" python -c 'import numpy, pandas; assert numpy.__file__.startswith("/opt/atlas/venv/")' ||
	fail "numpy does not import from the venv"

# No wheel and no pip cache in any layer this Dockerfile adds (the
# base's own layers are Debian's: python3-venv ships pip's wheel for
# ensurepip); of the build mounts only the empty mount points remain.
n_base=$("$engine" image inspect --format '{{len .RootFS.Layers}}' "$local_base")
"$engine" save -o "$work/tier0.tar" "$t0" || fail "cannot save the image"
"$python" - "$work/tier0.tar" "$n_base" <<'PY' || fail "a layer holds a wheel, the pip cache or a build mount's file"
import json, sys, tarfile
image = tarfile.open(sys.argv[1])
layers = json.load(image.extractfile("manifest.json"))[0]["Layers"][int(sys.argv[2]):]
bad = []
for path in layers:
    for entry in tarfile.open(fileobj=image.extractfile(path)):
        name = entry.name.lstrip("./")
        if (name.endswith(".whl") or "/.cache/pip" in "/" + name
                or (name.startswith("run/atlas/") and not entry.isdir())):
            bad.append(path[:12] + ": " + name)
for b in bad:
    print("in a layer:", b, file=sys.stderr)
sys.exit(1 if bad or not layers else 0)
PY
rm -f "$work/tier0.tar"
"$engine" history --no-trunc --format '{{.CreatedBy}}' "$t0" >"$work/history"
if grep -n -i -E '\.whl|\.cache/pip|pip cache|password|passwd=|token|secret|authorization|BEGIN [A-Z ]*PRIVATE KEY|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{20}' "$work/history" >&2; then
	fail "the history shows a wheel, a pip cache or a credential"
fi

# The stamp notices a moved tag.
sh "$aux/image-build.sh" verify "$engine" "$work/tier0.stamp" || fail "a fresh stamp does not verify"
first_tag=$(sed -n 2p "$work/tier0.stamp")
"$engine" tag "$local_base" "$first_tag"
if sh "$aux/image-build.sh" verify "$engine" "$work/tier0.stamp" 2>/dev/null; then
	fail "the stamp still verifies after its tag moved"
fi
"$engine" tag "$t0" "$first_tag"

# Tier 1 on top of tier 0: it starts with every layer of the tier-0
# stage (base, venv, tier-0 install), and that install came from the
# cache.  The runtime layer on top (atlas) is the same file content in
# both images, but BuildKit 0.8 does not always give it the same digest,
# so it is reported, not required.
t1=$(build_tier 1) || exit 1
note "tier 1: $t1"
grep -v '^--tag=' "$work/tier0.options" >"$work/stage0.options"
build "$work/stage0.stamp" "$dockerfile" "$work/context" tier0 @"$work/stage0.options" ||
	{ tail -n 20 "$work/build.log" >&2; fail "the tier0 stage does not build"; }
layers "$(head -n 1 "$work/stage0.stamp")" >"$work/layers-stage0"
layers "$t0" >"$work/layers0"
layers "$t1" >"$work/layers1"
n=$(wc -l <"$work/layers-stage0")
head -n "$n" "$work/layers1" | cmp -s - "$work/layers-stage0" ||
	{ diff "$work/layers-stage0" "$work/layers1" >&2; fail "tier 1 does not start with the layers of the tier-0 stage"; }
head -n "$n" "$work/layers0" | cmp -s - "$work/layers-stage0" ||
	fail "the tier-0 image does not start with the layers of its own stage"
grep -q 'CACHED' "$work/build-tier1.log" || fail "building tier 1 reused nothing from tier 0"
if missing=$(grep -v -x -F -f "$work/layers1" "$work/layers0"); then
	note "note: the runtime layer's digest differs between tier 0 and tier 1: $missing"
else
	note "tier 1 holds all $(wc -l <"$work/layers0") layers of the tier-0 image"
fi
"$engine" run --rm --network=none "$t1" python -c 'import seaborn, numpy' ||
	fail "tier 1's packages do not import"

# The materials stack on top of tier 0, the same way.
t0m=$(build_tier 0 1) || exit 1
note "tier 0 + materials: $t0m"
layers "$t0m" >"$work/layers0m"
head -n "$n" "$work/layers0m" | cmp -s - "$work/layers-stage0" ||
	fail "tier 0 + materials does not start with the layers of the tier-0 stage"
"$engine" run --rm --network=none "$t0m" python -c 'import certifi, numpy' ||
	fail "the materials packages do not import"

# What needs the rest of atlas: health and import validation.
if ! "$ATLAS" imports --help >/dev/null 2>&1 || ! "$ATLAS" health --help >/dev/null 2>&1; then
	skip "atlas imports / atlas health are not implemented yet; everything else passed"
fi
"$engine" run --rm --network=none "$t0" atlas imports \
	--requirements=/opt/atlas/requirements/requirements-tier0.txt \
	--exclude=/usr/local/share/atlas/import-exclusions.txt ||
	fail "atlas imports fails inside the tier-0 image"
# The image's own check, polled faster than its 30 s interval.
c=$("$engine" run -d --network=none --health-interval=2s --health-start-period=60s \
	"$t0" python -c 'import time; time.sleep(600)') || fail "cannot start a container"
containers="$containers $c"
status=starting
i=0
while [ "$status" = starting ] && [ $i -lt 60 ]; do
	sleep 2
	i=$((i + 1))
	status=$("$engine" inspect --format '{{.State.Health.Status}}' "$c")
done
[ "$status" = healthy ] || {
	"$engine" inspect --format '{{json .State.Health}}' "$c" >&2
	fail "the container's health is '$status', not healthy"
}
note "ok: tier 0 and tier 1 fixture images"
