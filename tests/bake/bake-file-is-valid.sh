#!/bin/sh
# bake-file-is-valid.sh - build-aux/bake.py (make bake) writes a bake file
# that is valid JSON with one target per tier x materials variant, each
# with its own build args, labels, registry cache and tags (atlas's tags
# for that variant, none shared); buildx accepts it when buildx is
# present; and bad input leaves no file behind.
set -u

: "${ATLAS:?}" "${ATLAS_SRCDIR:?}"
python=${PYTHON3:-}
[ -n "$python" ] || { echo "SKIP: no python3 (configure found none)"; exit 77; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*"; exit 1; }

repo=registry.invalid/team/atlas
bake() {
	"$python" "$ATLAS_SRCDIR/build-aux/bake.py" --atlas="$1" --srcdir="$ATLAS_SRCDIR" \
		--repo="$repo" --version-file="$ATLAS_SRCDIR/VERSION" \
		--requirements-dir="$ATLAS_SRCDIR/requirements" --hashed=0 --base-image=auto \
		--smoke-base-image=scratch --context="$work/context" \
		--dockerfile="$ATLAS_SRCDIR/docker/atlas/Dockerfile" --output="$2"
}

bake "$ATLAS" "$work/docker-bake.json" >"$work/bake.out" 2>&1 ||
	{ cat "$work/bake.out"; fail "bake.py exited $?"; }

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

# A failing atlas: an error, and no bake file, not even a partial one.
printf '#!/bin/sh\necho "broken atlas" >&2\nexit 2\n' >"$work/broken-atlas"
chmod +x "$work/broken-atlas"
if bake "$work/broken-atlas" "$work/broken.json" >"$work/broken.out" 2>&1; then
	fail "bake.py succeeded with an atlas that fails"
fi
grep -q 'broken atlas' "$work/broken.out" || { cat "$work/broken.out"; fail "the error does not carry atlas's message"; }
[ ! -e "$work/broken.json" ] || fail "a bake file was left behind after an error"
for leftover in "$work"/.bake-*; do
	[ ! -e "$leftover" ] || fail "a temporary file was left behind after an error: $leftover"
done

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
