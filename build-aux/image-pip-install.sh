#!/bin/sh
# image-pip-install.sh - run inside an image build step: install one
# requirement set into the venv from the read-only wheelhouse mount.
#
# Usage: image-pip-install.sh SET [LOWER_SET...]
#   SET        tier0, tier1, tier2 or materials
#   LOWER_SET  the sets already installed below it; their pins (or
#              locks) constrain this install, so a lower tier's package
#              is never up- or downgraded by a higher one.
# Environment: USE_HASHED_REQUIREMENTS (1: install SET's .lock with
#   --require-hashes), ATLAS_REQ_DIR (the requirement files),
#   ATLAS_WHEELS (the wheels of SET).
#
# The step runs with no network and --no-index: a wheel missing from the
# wheelhouse is an error here, never a download.  No pip cache is
# written and the wheels are never copied, so no layer holds either.
set -eu

[ $# -ge 1 ] || { echo "usage: $0 SET [LOWER_SET...]" >&2; exit 2; }
set_name=$1
shift
req_dir=${ATLAS_REQ_DIR:?}
wheels=${ATLAS_WHEELS:?}

if [ "${USE_HASHED_REQUIREMENTS:-0}" = 1 ]; then
	ext=lock
	hashes=--require-hashes
else
	ext=txt
	hashes=
fi
main=$req_dir/requirements-$set_name.$ext
[ -f "$main" ] || { echo "image-pip-install: $main: no such file" >&2; exit 1; }

constraints=
for lower in "$@"; do
	# A lock with hashes cannot be a constraints file in hash-checking
	# mode, and it need not be: its packages are installed already and
	# an upgrade would need a hash the lock of SET does not have.
	if [ "$ext" = txt ]; then
		constraints="$constraints -c $req_dir/requirements-$lower.txt"
	fi
done

echo "image-pip-install: $set_name from requirements-$set_name.$ext${1:+, constrained by $*}"
# shellcheck disable=SC2086 # option lists
PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 \
	python -m pip install --no-index --find-links "$wheels" --only-binary=:all: \
	$hashes -r "$main" $constraints
PIP_DISABLE_PIP_VERSION_CHECK=1 python -m pip check
# The image says what it was asked to hold: 'atlas imports' validates
# against these files, and an SBOM can name them.
mkdir -p /opt/atlas/requirements
cp "$req_dir/requirements-$set_name.txt" /opt/atlas/requirements/
[ "$ext" = txt ] || cp "$main" /opt/atlas/requirements/
# Nothing of the install may stay behind outside the venv.
rm -rf /root/.cache /tmp/pip-* 2>/dev/null || true
