#!/bin/sh
# req-check.sh ATLAS SRCDIR - time `atlas req check` against a checker
# written on pypa/packaging (bench/packaging_check.py) doing the same
# checks, on (a) the repository's requirement files and (b) a generated
# 100,000-line pinned file (bench/gen-large.py).  Prints a table of mean
# wall-clock times.  Uses hyperfine when installed, else a timing loop.
#
# Environment: PYTHON3 (default python3), BENCH_RUNS (default 20),
# BENCH_LINES (default 100000), BENCH_TIMER=loop (no hyperfine even when
# installed).  Run through `make bench`.
set -eu

if [ $# -ne 2 ]; then
	echo "usage: $0 ATLAS SRCDIR" >&2
	exit 2
fi
atlas=$1
srcdir=$2
python=${PYTHON3:-python3}
runs=${BENCH_RUNS:-20}
lines=${BENCH_LINES:-100000}

# In a build tree, src/cli/atlas is libtool's wrapper script, whose shell
# start-up would cost more than the check itself: time the real binary
# behind it, with the library path the wrapper would have set.
if sed -n '1,5p' "$atlas" 2>/dev/null | grep -q 'libtool'; then
	libpath=$(sed -n 's/^ *LD_LIBRARY_PATH="\([^:"]*\):.*/\1/p' "$atlas" | head -n 1)
	real=$(dirname "$atlas")/.libs/$(basename "$atlas")
	if [ -x "$real" ]; then
		echo "note: timing $real, the program behind libtool's wrapper" >&2
		atlas=$real
		if [ -n "$libpath" ]; then
			LD_LIBRARY_PATH=$libpath${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
			export LD_LIBRARY_PATH
		fi
	fi
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/atlas-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

"$python" "$srcdir/bench/gen-large.py" "$lines" >"$work/large.txt"

have_packaging=yes
if ! "$python" -c 'import packaging.requirements' 2>/dev/null; then
	have_packaging=no
	echo "note: $python cannot import packaging (pip install packaging);" \
	    "timing atlas alone" >&2
fi

use_hyperfine=no
if [ "${BENCH_TIMER:-}" != loop ] && command -v hyperfine >/dev/null 2>&1; then
	use_hyperfine=yes
fi
if [ $use_hyperfine = yes ]; then
	timer="hyperfine $(hyperfine --version | sed 's/^hyperfine //'), $runs runs after 3 warm-up runs"
else
	timer="shell loop with date +%s%N, $runs runs after 3 warm-up runs"
fi

# time_command NAME FIRST_MS COMMAND...: append "NAME mean_ms stddev_ms"
# to $work/times.  Commands are run without a shell in between.
time_command() {
	name=$1
	first_ms=$2
	shift 2
	# A command slower than two seconds a run (a regression, or a slow
	# machine) is timed three times with no warm-up, so that the whole
	# benchmark still ends in minutes.
	n_runs=$runs warmup=3
	if [ "$first_ms" -gt 2000 ]; then
		n_runs=3 warmup=0
		echo "note: $name takes ${first_ms} ms a run; timing 3 runs" >&2
	fi
	echo "$name $n_runs" >>"$work/runs"
	if [ $use_hyperfine = yes ]; then
		hyperfine -N --style none --warmup "$warmup" --runs "$n_runs" -i \
		    --export-json "$work/$name.json" -- "$*" >/dev/null
		"$python" -c '
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(sys.argv[2], "%.2f" % (r["mean"] * 1000), "%.2f" % ((r["stddev"] or 0) * 1000),
      "%.2f" % ((r["user"] + r["system"]) * 1000))
' "$work/$name.json" "$name" >>"$work/times"
		return
	fi
	i=0
	while [ $i -lt "$warmup" ]; do "$@" >/dev/null 2>&1 || :; i=$((i + 1)); done
	: >"$work/$name.ns"
	i=0
	while [ $i -lt "$n_runs" ]; do
		start=$(date +%s%N)
		"$@" >/dev/null 2>&1 || :
		end=$(date +%s%N)
		echo $((end - start)) >>"$work/$name.ns"
		i=$((i + 1))
	done
	awk -v name="$name" '
		{ sum += $1; sq += $1 * $1; n++ }
		END {
			mean = sum / n; var = sq / n - mean * mean; if (var < 0) var = 0
			printf "%s %.2f %.2f -\n", name, mean / 1e6, sqrt(var) / 1e6
		}' "$work/$name.ns" >>"$work/times"
}

# bench_input LABEL FILE...: check both agree on the verdict, then time.
bench_input() {
	label=$1
	shift
	set +e
	start=$(date +%s%N)
	"$atlas" req check "$@" >"$work/atlas.out" 2>&1
	atlas_rc=$?
	atlas_ms=$((($(date +%s%N) - start) / 1000000))
	rc_note="atlas exit $atlas_rc"
	if [ $have_packaging = yes ]; then
		start=$(date +%s%N)
		"$python" "$srcdir/bench/packaging_check.py" "$@" >"$work/packaging.out" 2>&1
		packaging_rc=$?
		packaging_ms=$((($(date +%s%N) - start) / 1000000))
		rc_note="$rc_note, packaging_check exit $packaging_rc"
	fi
	set -e
	if [ $atlas_rc -ne 0 ]; then
		echo "warning: atlas req check found problems in $label:" >&2
		head -n 5 "$work/atlas.out" >&2
	fi
	if [ $have_packaging = yes ] && [ "$packaging_rc" -ne 0 ]; then
		echo "warning: packaging_check.py found problems in $label:" >&2
		head -n 5 "$work/packaging.out" >&2
	fi
	time_command "atlas-$label" "$atlas_ms" "$atlas" req check "$@"
	if [ $have_packaging = yes ]; then
		time_command "packaging-$label" "$packaging_ms" "$python" "$srcdir/bench/packaging_check.py" "$@"
	fi
	n_lines=$(cat "$@" | wc -l)
	echo "$label $# $n_lines $rc_note" >>"$work/inputs"
}

set -- "$srcdir"/requirements/*.txt "$srcdir"/requirements/*.lock
bench_input repo "$@"
bench_input large "$work/large.txt"

echo
echo "atlas req check against bench/packaging_check.py ($timer)"
echo "times in ms: wall-clock mean ± standard deviation; cpu = user + system (hyperfine only)"
echo
printf '%-28s %5s %7s %17s %19s %8s %11s %11s %8s\n' input files lines \
    "atlas (ms)" "packaging (ms)" speed-up "atlas cpu" "pkg cpu" "cpu x"
while read -r label n_files n_lines rest; do
	read -r _ a_mean a_sd a_cpu <<-EOF
	$(grep "^atlas-$label " "$work/times")
	EOF
	p_mean=- p_sd=- p_cpu=- speedup=- cpu_speedup=-
	if grep -q "^packaging-$label " "$work/times"; then
		read -r _ p_mean p_sd p_cpu <<-EOF
		$(grep "^packaging-$label " "$work/times")
		EOF
		speedup=$(awk -v a="$a_mean" -v p="$p_mean" 'BEGIN { printf "%.1fx", p / a }')
		if [ "$a_cpu" != - ]; then
			cpu_speedup=$(awk -v a="$a_cpu" -v p="$p_cpu" 'BEGIN { printf "%.1fx", p / a }')
		fi
	fi
	case $label in
	repo) what="(a) requirements/*.txt,lock" ;;
	large) what="(b) gen-large.py $lines" ;;
	esac
	printf '%-28s %5s %7s %17s %19s %8s %11s %11s %8s\n' "$what" "$n_files" "$n_lines" \
	    "$a_mean ± $a_sd" "$p_mean ± $p_sd" "$speedup" "$a_cpu" "$p_cpu" "$cpu_speedup"
done <"$work/inputs"
echo
sed 's/^\([a-z]*\) [0-9]* [0-9]* /verdicts on \1: /' "$work/inputs"
if grep -qv " $runs\$" "$work/runs"; then
	echo "fewer runs (slow commands): $(grep -v " $runs\$" "$work/runs" | tr '\n' ' ')"
fi
