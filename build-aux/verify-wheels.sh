#!/bin/sh
# verify-wheels.sh - check that every pin of the requirement sets exists as a
# wheel the image can install: CPython 3.11 (cp311, abi3 or pure Python) on
# manylinux x86_64 up to manylinux_2_36 (Debian bookworm's glibc).
#
# Usage: sh build-aux/verify-wheels.sh [REQUIREMENTS.txt...]
# With no argument it checks requirements/requirements-*.txt of the source
# tree this script belongs to.  PYTHON3 names the Python whose pip is used
# (default python3); the package index is pip's usual one, from pip's own
# configuration.
#
# Each pin is asked of pip with `pip install --dry-run --no-deps` for the
# target interpreter and platforms, wheels only, so pip picks exactly the file
# the image would install, and installs nothing.  Where pip knows the
# fast-deps feature it reads the wheel's metadata with HTTP range requests;
# from pip 25.3 on a dry run then downloads no whole wheel (older pips
# download each wheel to a temporary directory and delete it).
#
# Exit status: 0 when every pin has a wheel, 1 when some have none, 2 on a
# usage or I/O error.
set -u

me=verify-wheels.sh
python=${PYTHON3:-python3}

usage_error() {
	echo "$me: error: $*" >&2
	exit 2
}

if [ $# -eq 0 ]; then
	srcdir=$(cd "$(dirname "$0")/.." && pwd) || usage_error "cannot find the source tree"
	set -- "$srcdir"/requirements/requirements-*.txt
fi
for file in "$@"; do
	if [ ! -f "$file" ] || [ ! -r "$file" ]; then
		usage_error "$file: no such readable file"
	fi
done
"$python" -m pip --version >/dev/null 2>&1 || usage_error "'$python -m pip' does not run (set PYTHON3 to a Python with pip)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/atlas-wheels.XXXXXX") || usage_error "cannot create a temporary directory"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# pip expands no manylinux_2_X platform to the older ones it implies, so every
# glibc level from bookworm's down to the oldest is named, with the legacy
# aliases (manylinux1 = 2_5, manylinux2010 = 2_12, manylinux2014 = 2_17).
platforms="--platform manylinux2014_x86_64 --platform manylinux2010_x86_64 --platform manylinux1_x86_64"
glibc_minor=36
while [ "$glibc_minor" -ge 5 ]; do
	platforms="$platforms --platform manylinux_2_${glibc_minor}_x86_64"
	glibc_minor=$((glibc_minor - 1))
done

fast_deps=
if "$python" -m pip install --use-feature=fast-deps --help >/dev/null 2>&1; then
	fast_deps=--use-feature=fast-deps
fi

# wheel_of PIN: print the file name of the wheel pip would install for PIN.
wheel_of() {
	rm -f "$tmp/report.json"
	# shellcheck disable=SC2086 # platforms and fast_deps are argument lists
	"$python" -m pip install --dry-run --no-deps --ignore-installed \
		--no-cache-dir --disable-pip-version-check $fast_deps \
		--only-binary=:all: --python-version 3.11 --implementation cp \
		--abi cp311 $platforms --target "$tmp/target" \
		--report "$tmp/report.json" "$1" >"$tmp/pip.log" 2>&1 || return 1
	"$python" -c '
import json, sys
report = json.load(open(sys.argv[1]))
(item,) = report["install"]
print(item["download_info"]["url"].rsplit("/", 1)[-1])
' "$tmp/report.json"
}

checked=0
missing=0
for file in "$@"; do
	line_number=0
	while IFS= read -r line || [ -n "$line" ]; do
		line_number=$((line_number + 1))
		# Strip comments and blanks; what is left must be one NAME==VERSION.
		pin=$(printf '%s\n' "$line" | sed -e 's/#.*//' -e 's/[[:space:]]//g')
		[ -n "$pin" ] || continue
		case $pin in
		*==*) ;;
		*) usage_error "$file:$line_number: not a == pin: $line" ;;
		esac
		checked=$((checked + 1))
		if wheel=$(wheel_of "$pin"); then
			case $wheel in
			*.whl) printf 'ok       %-36s %s\n' "$pin" "$wheel" ;;
			*)
				printf 'NO WHEEL %-36s pip chose %s\n' "$pin" "$wheel"
				missing=$((missing + 1))
				;;
			esac
		else
			printf 'NO WHEEL %-36s (%s:%d)\n' "$pin" "$file" "$line_number"
			grep -i 'error' "$tmp/pip.log" | sed 's/^/         /'
			missing=$((missing + 1))
		fi
	done <"$file"
done

if [ "$missing" -ne 0 ]; then
	echo "$me: $missing of $checked pins have no cp311 manylinux x86_64 or pure-Python wheel" >&2
	exit 1
fi
echo "$me: all $checked pins have a cp311 manylinux x86_64 or pure-Python wheel"
