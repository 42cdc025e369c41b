#!/bin/sh
# bake-file-is-valid.sh - `atlas bake` (make bake) prints a bake file that
# is valid JSON with one target per tier x materials variant, each with
# its own build args, labels, registry cache and tags (atlas's tags for
# that variant, none shared); buildx accepts it when buildx is present;
# and a failure prints no half document.
set -u

: "${ATLAS:?}" "${ATLAS_SRCDIR:?}"
python=${PYTHON3:-}
[ -n "$python" ] || { echo "SKIP: no python3 to read the JSON (configure found none)"; exit 77; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*"; exit 1; }

repo=registry.invalid/team/atlas
bake() {
	"$ATLAS" bake --repo="$repo" --version-file="$ATLAS_SRCDIR/VERSION" \
		--source-date-epoch=1700000000 --context="$work/context" \
		--dockerfile="$ATLAS_SRCDIR/docker/atlas/Dockerfile" "$@"
}

bake --requirements-dir="$ATLAS_SRCDIR/requirements" >"$work/docker-bake.json" 2>"$work/bake.err" ||
	{ cat "$work/bake.err"; fail "atlas bake exited $?"; }

# atlas's own tags for every variant, one JSON object a line.
"$ATLAS" tags --all --format=json --repo="$repo" --version-file="$ATLAS_SRCDIR/VERSION" \
	>"$work/tags.jsonl" || fail "atlas tags exited $?"

"$python" - "$work/docker-bake.json" "$work/tags.jsonl" "$repo" <<'PY' || fail "the bake file is wrong (above)"
import json, sys

bake_path, tags_path, repo = sys.argv[1:4]
with open(bake_path) as f:
    doc = json.load(f)
problems = []
variants = ["tier%d%s" % (t, m) for t in (0, 1, 2) for m in ("", "-materials")]
targets = doc.get("target", {})
if sorted(targets) != sorted(variants):
    problems.append("targets %s, expected %s" % (sorted(targets), sorted(variants)))
if sorted(doc.get("group", {}).get("default", {}).get("targets", [])) != sorted(variants):
    problems.append("the default group does not list the six variants")

# Only the tags a plain atlas call gives are compared: git and nightly
# tags depend on the checkout.
expected = {}
with open(tags_path) as f:
    for line in f:
        entry = json.loads(line)
        expected.setdefault(entry["variant"], set()).add(entry["ref"])

owner = {}
for name, target in targets.items():
    tier = name[4]
    materials = "1" if name.endswith("-materials") else "0"
    args = target.get("args", {})
    for key, want in (("BUILD_TIER", tier), ("ENABLE_MATERIALS", materials),
                      ("USE_HASHED_REQUIREMENTS", "0"), ("SMOKE_BASE_IMAGE", "scratch")):
        if args.get(key) != want:
            problems.append("%s: args.%s is %r, expected %r" % (name, key, args.get(key), want))
    if not args.get("VERSION"):
        problems.append("%s: no VERSION build arg" % name)
    labels = target.get("labels", {})
    if labels.get("io.atlas.tier") != tier:
        problems.append("%s: label io.atlas.tier is %r" % (name, labels.get("io.atlas.tier")))
    if labels.get("io.atlas.materials") != ("true" if materials == "1" else "false"):
        problems.append("%s: label io.atlas.materials is %r" % (name, labels.get("io.atlas.materials")))
    tags = target.get("tags", [])
    if not expected.get(name, set()) <= set(tags):
        problems.append("%s: tags %s lack atlas's %s" % (name, tags, sorted(expected.get(name, ()))))
    for tag in tags:
        if not tag.startswith(repo + ":"):
            problems.append("%s: tag %s is not in %s" % (name, tag, repo))
        if tag in owner:
            problems.append("tag %s is shared by %s and %s" % (tag, owner[tag], name))
        owner[tag] = name
    cache = "type=registry,ref=%s:buildcache-%s" % (repo, name)
    if target.get("cache-from") != [cache]:
        problems.append("%s: cache-from is %r" % (name, target.get("cache-from")))
    if [c.split(",mode=")[0] for c in target.get("cache-to", [])] != [cache]:
        problems.append("%s: cache-to is %r" % (name, target.get("cache-to")))
    if target.get("network") != "none":
        problems.append("%s: the build has network %r, not none" % (name, target.get("network")))
    if target.get("target") != "runtime":
        problems.append("%s: builds stage %r, not runtime" % (name, target.get("target")))
for tag, name in owner.items():
    if ":buildcache-" in tag:
        problems.append("%s: tag %s collides with a build cache" % (name, tag))
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
PY

# The options reach every target: hash locks, the bases.
bake --requirements-dir="$ATLAS_SRCDIR/requirements" --locked --base-image=base.invalid/py:3 \
	--smoke-base-image=busybox >"$work/locked.json" 2>"$work/bake.err" ||
	{ cat "$work/bake.err"; fail "atlas bake --locked exited $?"; }
"$python" - "$work/locked.json" <<'PY' || fail "the options did not reach every target (above)"
import json, sys
targets = json.load(open(sys.argv[1]))["target"]
bad = [name for name, t in targets.items()
       if t["args"].get("USE_HASHED_REQUIREMENTS") != "1"
       or t["args"].get("BASE_IMAGE") != "base.invalid/py:3"
       or t["args"].get("SMOKE_BASE_IMAGE") != "busybox"
       or t["labels"].get("org.opencontainers.image.base.name") != "base.invalid/py:3"]
if len(targets) != 6 or bad:
    print("targets without the options:", bad)
    sys.exit(1)
PY

# A requirement directory that is not there: an error naming it, and
# nothing on stdout, not even a partial document.
if bake --requirements-dir="$work/no-such-dir" >"$work/broken.json" 2>"$work/broken.err"; then
	fail "atlas bake succeeded without requirement files"
fi
grep -q 'no-such-dir' "$work/broken.err" || { cat "$work/broken.err"; fail "the error does not name the directory"; }
[ ! -s "$work/broken.json" ] || fail "atlas bake printed a partial document after an error"

engine=${CONTAINER_ENGINE:-docker}
if "$engine" buildx version >/dev/null 2>&1; then
	"$engine" buildx bake --print -f "$work/docker-bake.json" >"$work/print.json" 2>"$work/print.err" ||
		{ cat "$work/print.err"; fail "buildx bake --print rejects the bake file"; }
	"$python" -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit(len(d["target"]) != 6)' \
		"$work/print.json" || fail "buildx bake --print does not show six targets"
	echo "PASS: bake file valid (buildx bake --print accepts it)"
else
	echo "PASS: bake file valid (buildx validation skipped: '$engine buildx' is not installed)"
fi
