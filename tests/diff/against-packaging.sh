#!/bin/sh
# against-packaging.sh - differential test of atlas against pypa/packaging.
#
# Runs tests/diff/differential.py, which generates a fixed corpus of
# versions, specifiers, requirements and markers and checks that atlas
# answers every case as packaging does.  Skips (77) when python3 or
# packaging is missing, saying which.
set -u

: "${ATLAS:?ATLAS must name the atlas program}"
: "${ATLAS_SRCDIR:?ATLAS_SRCDIR must name the source tree}"
python=${PYTHON3:-}

if [ -z "$python" ]; then
	echo "SKIP: no python3 was found by configure"
	exit 77
fi
if ! "$python" -c 'import packaging.requirements, packaging.markers' 2>/dev/null; then
	echo "SKIP: the Python module 'packaging' is not importable by $python" \
	    "(pip install packaging)"
	exit 77
fi
"$python" -c 'import packaging; print("packaging", packaging.__version__)'
exec "$python" "$ATLAS_SRCDIR/tests/diff/differential.py" "$ATLAS"
