#!/bin/sh
# wheelhouse.sh - fetch the wheels of requirement sets on the host, for
# the image's install steps (which have no network).
#
# Usage: wheelhouse.sh PYTHON REQ_DIR WHEELHOUSE USE_HASHED SET...
#   SET is tier0, tier1, tier2 or materials, lowest first; each set's
#   wheels go to WHEELHOUSE/SET.  With USE_HASHED=1 the set's .lock is
#   fetched with --require-hashes (every file is checked against the
#   lock); otherwise its .txt, constrained by the .txt of the sets
#   before it.
#
# Wheels are for the image, not the host: CPython 3.11, manylinux
# x86_64 up to glibc 2.36 (Debian bookworm), binary only.  A set whose
# inputs are unchanged since its last fetch is not fetched again, so one
# wheelhouse serves every build and variant of a build tree.
set -eu

[ $# -ge 5 ] || { echo "usage: $0 PYTHON REQ_DIR WHEELHOUSE USE_HASHED SET..." >&2; exit 2; }
python=$1 req_dir=$2 wheelhouse=$3 use_hashed=$4
shift 4

say() { printf 'wheelhouse: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

"$python" -m pip --version >/dev/null 2>&1 || die "$python has no pip"

# Newest first: pip prefers the earlier of two supported platform tags.
platforms=
glibc_minor=36
while [ "$glibc_minor" -ge 17 ]; do
	platforms="$platforms --platform manylinux_2_${glibc_minor}_x86_64"
	glibc_minor=$((glibc_minor - 1))
done
platforms="$platforms --platform manylinux2014_x86_64 --platform manylinux2010_x86_64 --platform manylinux1_x86_64"
target="--python-version 3.11 --implementation cp --abi cp311 --abi abi3 --abi none $platforms"

mkdir -p "$wheelhouse"
lower=
for set_name in "$@"; do
	case $set_name in
	tier0|tier1|tier2|materials) ;;
	*) die "unknown requirement set '$set_name'" ;;
	esac
	if [ "$use_hashed" = 1 ]; then
		main=$req_dir/requirements-$set_name.lock
		mode="--require-hashes --no-deps"
		constraints=
	else
		main=$req_dir/requirements-$set_name.txt
		mode=
		constraints=
		for l in $lower; do
			constraints="$constraints -c $req_dir/requirements-$l.txt"
		done
	fi
	[ -f "$main" ] || die "$main: no such file"
	dir=$wheelhouse/$set_name
	# The stamp is the checksum of everything that decides the wheels.
	# shellcheck disable=SC2086 # word lists
	key=$({ echo "$target $mode"; cat "$main"; for l in $lower; do
		[ "$use_hashed" = 1 ] || cat "$req_dir/requirements-$l.txt"; done; } | sha256sum | cut -d' ' -f1)
	if [ -f "$dir/.stamp" ] && [ "$(cat "$dir/.stamp")" = "$key" ]; then
		say "$set_name: up to date ($(find "$dir" -name '*.whl' | wc -l) wheels)"
		lower="$lower $set_name"
		continue
	fi
	say "$set_name: fetching from ${main##*/}"
	rm -rf "$dir.part"
	mkdir -p "$dir.part"
	# shellcheck disable=SC2086 # option lists
	"$python" -m pip download --disable-pip-version-check --no-input --progress-bar off \
		--only-binary=:all: $target $mode -d "$dir.part" -r "$main" $constraints >&2 ||
		{ rm -rf "$dir.part"; die "$set_name: pip download failed"; }
	echo "$key" >"$dir.part/.stamp"
	rm -rf "$dir"
	mv "$dir.part" "$dir"
	say "$set_name: $(find "$dir" -name '*.whl' | wc -l) wheels, $(du -sh "$dir" | cut -f1)"
	lower="$lower $set_name"
done
