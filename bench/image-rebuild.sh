#!/bin/sh
# image-rebuild.sh ATLAS SRCDIR BUILDDIR - time a cold tier-2 image build
# against a rebuild after a change to the tier-2 requirement files only,
# and show which steps the rebuild took from the cache and which layers
# the two images share.
#
# The requirement set is the image tests' fixture (tests/fixtures/image),
# copied: the repository's tier 2 (vllm) is several GB of wheels.  The
# change adds one package (BENCH_ADD, default six==1.17.0) to tier 2 and
# regenerates tier 2's lock with build-aux/lock.sh; the other locks are
# kept as they are.
#
# Cold means no cache for any stage, without pruning the engine's build
# cache (other builds use it): the base is the local base plus one small
# layer unique to this run (a file holding the run's key).  A new image ID
# alone is not enough: BuildKit also keys its cache on the base's layer
# content, so a base that differs only in a label hits the old cache.  The images are built untagged; the base's tag is removed
# at the end.  Logs and layer lists stay in BUILDDIR/bench/image-rebuild.
#
# Environment: CONTAINER_ENGINE (default docker), PYTHON3 (default
# python3), UV (default: uv in PATH), BENCH_ADD, BENCH_DOCKERFILE (default
# SRCDIR/docker/atlas/Dockerfile), BENCH_LOCAL_BASE (default
# atlas-base:bookworm-local, built by 'make base-image').
set -eu

if [ $# -ne 3 ]; then
	echo "usage: $0 ATLAS SRCDIR BUILDDIR" >&2
	exit 2
fi
atlas=$1 srcdir=$2 builddir=$3
engine=${CONTAINER_ENGINE:-docker}
python=${PYTHON3:-python3}
add=${BENCH_ADD:-six==1.17.0}
dockerfile=${BENCH_DOCKERFILE:-$srcdir/docker/atlas/Dockerfile}
local_base=${BENCH_LOCAL_BASE:-atlas-base:bookworm-local}
aux=$srcdir/build-aux

die() { printf 'image-rebuild: %s\n' "$*" >&2; exit 1; }
say() { printf 'image-rebuild: %s\n' "$*" >&2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

"$engine" image inspect "$local_base" >/dev/null 2>&1 ||
	die "$local_base is not in the engine (run make base-image)"
work=$builddir/bench/image-rebuild
# The wheelhouse stays from run to run (wheelhouse.sh fetches a set again
# only when its lock changed); everything else starts afresh.
mkdir -p "$work"
find "$work" -mindepth 1 -maxdepth 1 ! -name wheelhouse -exec rm -rf {} +
cp -R "$srcdir/tests/fixtures/image" "$work/requirements"
chmod -R u+w "$work/requirements"

key=$(date +%s)-$$
base=atlas-bench-base:$key
trap '"$engine" rmi "$base" >/dev/null 2>&1 || true' EXIT
printf 'FROM %s\nRUN echo %s >/etc/atlas-bench-run\n' "$local_base" "$key" |
	"$engine" build -q --network=none -t "$base" - >/dev/null || die "cannot make the run's base"
say "base for this run: $base ($("$engine" image inspect --format '{{.Id}}' "$base"))"

# build NAME: fetch, stage, compute the options, build tier 2's runtime.
build() {
	name=$1
	sh "$aux/wheelhouse.sh" "$python" "$work/requirements" "$work/wheelhouse" 1 \
		tier0 tier1 tier2 >"$work/wheelhouse-$name.log" 2>&1 ||
		die "fetching the wheels failed (see $work/wheelhouse-$name.log)"
	sh "$aux/image-context.sh" "$work/context" "$srcdir" "$builddir/src/cli/atlas-static" \
		"$builddir/src/cli/atlas-image" "$work/requirements" "$work/wheelhouse" 1 ||
		die "cannot stage the context"
	SOURCE_DATE_EPOCH=1700000000 sh "$aux/image-meta.sh" "$atlas" "$srcdir" \
		localhost/atlas-bench 2 0 "$work/requirements" 1 "$base" "$work/$name.options.all" ||
		die "image-meta failed"
	grep -v '^--tag=' "$work/$name.options.all" >"$work/$name.options"
	start=$(now)
	sh "$aux/image-build.sh" build "$engine" none "$work/$name.stamp" "$dockerfile" \
		"$work/context" runtime @"$work/$name.options" >"$work/build-$name.log" 2>&1 ||
		{ tail -n 30 "$work/build-$name.log" >&2; die "the $name build failed"; }
	end=$(now)
	elapsed "$start" "$end" >"$work/$name.seconds"
	"$engine" image inspect --format '{{range .RootFS.Layers}}{{println .}}{{end}}' \
		"$(head -n 1 "$work/$name.stamp")" | sed '/^$/d' >"$work/layers-$name"
}

# steps LOG: one line per build step of a stage ("tier0 1/1"), then
# CACHED or its time.
steps() {
	awk '
	/^#[0-9]+ \[(venv|tier[0-9]|runtime|materials-[01]) [0-9]+\/[0-9]+\]/ {
		n = $1; s = $2 "_" $3; sub(/^\[/, "", s); sub(/\]$/, "", s)
		if (!(n in name)) { name[n] = s; order[++k] = n }
	}
	/^#[0-9]+ CACHED$/ { st[$1] = "CACHED" }
	/^#[0-9]+ DONE [0-9.]+s$/ { if (st[$1] != "CACHED") st[$1] = $3 }
	END { for (i = 1; i <= k; i++) print name[order[i]], (st[order[i]] == "" ? "?" : st[order[i]]) }
	' "$1"
}

build cold
say "cold build: $(cat "$work/cold.seconds") s"

# Only tier 2 changes: its .txt, and its .lock regenerated the way
# 'make lock' does (on a copy; only tier 2's lock is taken).
printf '%s\n' "$add" >>"$work/requirements/requirements-tier2.txt"
mkdir -p "$work/lock"
cp "$work/requirements"/*.txt "$work/lock/"
sh "$aux/lock.sh" "$work/lock" "${UV:-}" >"$work/lock.log" 2>&1 ||
	{ cat "$work/lock.log" >&2; die "regenerating the locks failed"; }
cp "$work/lock/requirements-tier2.lock" "$work/requirements/requirements-tier2.lock"
for f in "$srcdir"/tests/fixtures/image/*; do
	cmp -s "$f" "$work/requirements/${f##*/}" || say "changed: ${f##*/}"
done

build rebuild
say "rebuild after the tier-2 change: $(cat "$work/rebuild.seconds") s"

echo "| step | cold | rebuild |"
echo "| --- | --- | --- |"
steps "$work/build-cold.log" >"$work/steps-cold"
steps "$work/build-rebuild.log" >"$work/steps-rebuild"
paste -d ' ' "$work/steps-cold" "$work/steps-rebuild" |
	awk '{ sub(/_/, " ", $1); printf "| %s | %s | %s |\n", $1, $2, $4 }'
printf '| total wall time | %s s | %s s |\n' "$(cat "$work/cold.seconds")" "$(cat "$work/rebuild.seconds")"
echo
echo "layers (cold image, rebuilt image):"
paste -d ' ' "$work/layers-cold" "$work/layers-rebuild" | awk '
	{ printf "  %d  %s  %s  %s\n", NR, substr($1, 8, 12), substr($2, 8, 12), ($1 == $2 ? "same" : "differs") }'
