#!/bin/sh
# imports-vs-python.sh IMAGE - time `atlas imports` against one
# `python -c "import X"` per module, run one after another, inside IMAGE,
# on the same module list.
#
# atlas is called as the image tests and build-aux/release.sh call it:
# every requirement file the image keeps and the reviewed exclusions.
# The module list of the loop is what atlas imported ("ok" lines), so
# both sides import exactly the same modules.  Everything runs in one
# container (no network, the image's own user), so container start-up is
# not timed; each side runs BENCH_RUNS times (default 3) and every run's
# wall time is printed.  atlas runs with its default --jobs (the number of
# CPUs) and with --jobs=1.
#
# Environment: CONTAINER_ENGINE (default docker), BENCH_RUNS.
set -eu

if [ $# -ne 1 ]; then
	echo "usage: $0 IMAGE" >&2
	exit 2
fi
engine=${CONTAINER_ENGINE:-docker}
runs=${BENCH_RUNS:-3}

# shellcheck disable=SC2016 # expanded in the container
"$engine" run --rm -i --network=none -e BENCH_RUNS="$runs" "$1" sh -s <<'EOF'
set -eu
set --
for f in /opt/atlas/requirements/requirements-*.txt; do
	[ -f "$f" ] && set -- "$@" --requirements="$f"
done
x=/usr/local/share/atlas/import-exclusions.txt
[ -f "$x" ] && set -- "$@" --exclude="$x"
d=$(mktemp -d)
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

echo "nproc: $(nproc); atlas imports $*"
atlas imports "$@" >"$d/imports.txt" || { tail -n 20 "$d/imports.txt"; exit 1; }
sed -n 's/^ok  *import \([^ ]*\) .*/\1/p' "$d/imports.txt" >"$d/modules"
echo "modules imported: $(wc -l <"$d/modules"); skipped: $(grep -c '^skipped' "$d/imports.txt" || true)"
tail -n 1 "$d/imports.txt"

i=0
while [ "$i" -lt "$BENCH_RUNS" ]; do
	i=$((i + 1))
	t=$(now); atlas imports "$@" >/dev/null; a=$(since "$t")
	t=$(now); atlas imports --jobs=1 "$@" >/dev/null; a1=$(since "$t")
	t=$(now)
	while read -r m; do
		python -c "import $m" >/dev/null 2>&1 || echo "python -c 'import $m' failed" >&2
	done <"$d/modules"
	p=$(since "$t")
	t=$(now)
	while read -r m; do
		python -B -c "import $m" >/dev/null 2>&1 || true
	done <"$d/modules"
	pb=$(since "$t")
	echo "run $i: atlas imports ${a} s, atlas imports --jobs=1 ${a1} s, python -c loop ${p} s, python -B -c loop ${pb} s"
done
EOF
