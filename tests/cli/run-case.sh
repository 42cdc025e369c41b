#!/bin/sh
# run-case.sh CASE - run one data-driven CLI test case.
#
# A case file is a list of sections, each opened by a line "@@ NAME":
#   @@ args          the arguments of atlas, shell-quoted, on one line
#   @@ exit          the expected exit status (default 0)
#   @@ stdin         what atlas reads on its standard input
#   @@ env           NAME=VALUE lines, shell-quoted like args, exported to
#                    atlas (e.g. ATLAS_LIBCUDA="$ATLAS_BUILDDIR/...")
#   @@ file PATH     a file created, relative to the case's directory
#   @@ stdout        the exact expected standard output
#   @@ stderr        the exact expected standard error
# A section runs to the next "@@" line.  Lines before the first section,
# and lines starting with "#" outside sections, describe the case.
set -u

case_file=$1
: "${ATLAS:?ATLAS must name the atlas program}"
work=$(mktemp -d "${TMPDIR:-/tmp}/atlas-case.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT

# Split the case into files in $work/.case/: one per section.
mkdir "$work/.case" "$work/run" || exit 99
awk -v dir="$work/.case" -v run="$work/run" '
	/^@@ / {
		if (out != "") close(out)
		name = $2
		if (name == "file") {
			path = substr($0, index($0, "file ") + 5)
			n = split(path, parts, "/")
			sub_dir = run
			for (i = 1; i < n; i++) { sub_dir = sub_dir "/" parts[i]; system("mkdir -p \"" sub_dir "\"") }
			out = run "/" path
		} else {
			out = dir "/" name
		}
		printf "" > out
		next
	}
	out != "" { print > out }
' "$case_file" || exit 99

[ -f "$work/.case/args" ] || { echo "$case_file: no @@ args section" >&2; exit 99; }
expected_exit=0
[ -f "$work/.case/exit" ] && expected_exit=$(tr -d ' \n' < "$work/.case/exit")
stdin_file=/dev/null
[ -f "$work/.case/stdin" ] && stdin_file="$work/.case/stdin"

args=$(cat "$work/.case/args")
cd "$work/run" || exit 99
if [ -f "$work/.case/env" ]; then
	while IFS= read -r assignment; do
		case $assignment in ''|'#'*) continue ;; esac
		eval "export $assignment" || exit 99
	done < "$work/.case/env"
fi
eval "set -- $args"
"$ATLAS" "$@" < "$stdin_file" > "$work/stdout" 2> "$work/stderr"
actual_exit=$?

status=0
if [ "$actual_exit" != "$expected_exit" ]; then
	echo "FAIL: exit status $actual_exit, expected $expected_exit"
	status=1
fi
for stream in stdout stderr; do
	if [ -f "$work/.case/$stream" ]; then
		if ! diff -u "$work/.case/$stream" "$work/$stream"; then
			echo "FAIL: $stream differs (- expected, + actual)"
			status=1
		fi
	elif [ "$stream" = stderr ] && [ -s "$work/stderr" ] && [ "$expected_exit" = 0 ]; then
		echo "FAIL: unexpected stderr:"
		cat "$work/stderr"
		status=1
	fi
done
echo "case: $case_file"
echo "args: $args"
exit $status
