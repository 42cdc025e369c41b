#!/bin/sh
# image-context.sh - stage the build context of docker/atlas/Dockerfile.
#
# Usage: image-context.sh CONTEXT SRCDIR ATLAS_STATIC ATLAS_IMAGE REQ_DIR WHEELHOUSE USE_HASHED
#
# Files are replaced only when their content changed, so the engine's
# cache keys (and make's time stamps) stay put across no-op rebuilds.
# The wheelhouse is hard-linked in (copied across file systems): the
# engine does not follow symbolic links out of a context.
set -eu

[ $# -eq 7 ] || { echo "usage: $0 CONTEXT SRCDIR ATLAS_STATIC ATLAS_IMAGE REQ_DIR WHEELHOUSE USE_HASHED" >&2; exit 2; }
context=$1 srcdir=$2 atlas_static=$3 atlas_image=$4 req_dir=$5 wheelhouse=$6 use_hashed=$7

die() { printf 'image-context: %s\n' "$*" >&2; exit 1; }

# install SRC DEST: copy when DEST differs, keeping SRC's mode.
install_file() {
	if ! cmp -s "$1" "$2" 2>/dev/null; then
		cp "$1" "$2.tmp" && mv -f "$2.tmp" "$2"
	fi
}

mkdir -p "$context/requirements" "$context/wheelhouse" "$context/runtime"
for f in "$atlas_static" "$atlas_image"; do
	[ -x "$f" ] || die "$f: not built (run make first)"
done
install_file "$atlas_static" "$context/atlas-static"
install_file "$atlas_image" "$context/runtime/atlas"
install_file "$srcdir/docker/atlas/import-exclusions.txt" "$context/runtime/import-exclusions.txt"
install_file "$srcdir/build-aux/image-pip-install.sh" "$context/install.sh"
install_file "$srcdir/docker/atlas/.dockerignore" "$context/.dockerignore"

# The smoke stage checks all eight files by name.  Without hash locks a
# missing .lock is a placeholder that says why; with them it is an error.
for set_name in tier0 tier1 tier2 materials; do
	txt=$req_dir/requirements-$set_name.txt
	lock=$req_dir/requirements-$set_name.lock
	[ -f "$txt" ] || die "$txt: no such file"
	install_file "$txt" "$context/requirements/requirements-$set_name.txt"
	if [ -f "$lock" ]; then
		install_file "$lock" "$context/requirements/requirements-$set_name.lock"
	elif [ "$use_hashed" = 1 ]; then
		die "$lock: no such file (hashed requirements are enabled)"
	else
		printf '# No lock: hashed requirements are disabled for this build.\n' \
			>"$context/requirements/requirements-$set_name.lock.tmp"
		install_file "$context/requirements/requirements-$set_name.lock.tmp" \
			"$context/requirements/requirements-$set_name.lock"
		rm -f "$context/requirements/requirements-$set_name.lock.tmp"
	fi
done

for set_name in tier0 tier1 tier2 materials; do
	src=$wheelhouse/$set_name
	dest=$context/wheelhouse/$set_name
	if [ ! -d "$src" ]; then
		[ -d "$dest" ] && [ ! -f "$dest/.stamp" ] || { rm -rf "$dest"; mkdir -p "$dest"; }
		continue
	fi
	# Same stamp, same wheels: nothing to do.
	if [ -f "$dest/.stamp" ] && cmp -s "$src/.stamp" "$dest/.stamp"; then
		continue
	fi
	rm -rf "$dest"
	cp -al "$src" "$dest" 2>/dev/null || { rm -rf "$dest"; cp -a "$src" "$dest"; }
done
