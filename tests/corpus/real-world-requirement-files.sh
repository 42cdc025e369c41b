#!/bin/sh
# real-world-requirement-files.sh - atlas req check --syntax-only against
# pip's verdicts on 100 published requirement files (see corpus.py).
#
# The corpus is data kept beside the project, not in it: it is found in
# $ATLAS_CORPUS_DIR, or else in shared/corpus/requirements next to the
# source tree.  Without it, or without python3, the test is skipped.
set -u

: "${ATLAS:?ATLAS must name the atlas program}"
: "${ATLAS_SRCDIR:?ATLAS_SRCDIR must name the source tree}"

corpus=${ATLAS_CORPUS_DIR:-$ATLAS_SRCDIR/../shared/corpus/requirements}
if [ ! -f "$corpus/MANIFEST.tsv" ] || [ ! -d "$corpus/files" ]; then
	echo "SKIP: no requirement corpus at '$corpus' (set ATLAS_CORPUS_DIR to a folder with MANIFEST.tsv and files/)"
	exit 77
fi
python=${PYTHON3:-}
if [ -z "$python" ]; then
	python=$(command -v python3 2>/dev/null) || python=
fi
if [ -z "$python" ]; then
	echo "SKIP: python3 is needed to read the corpus manifest and was not found"
	exit 77
fi
exec "$python" "$ATLAS_SRCDIR/tests/corpus/corpus.py" "$ATLAS" "$corpus"
