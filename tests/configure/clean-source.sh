# clean-source.sh - sourced by the configure tests.
# shellcheck shell=sh
#
# configure refuses a build in another directory while the sources are
# configured in place, so each test configures a clean copy of the
# distributed sources, made by 'make distdir' in the build directory.
# That also checks that the tarball holds everything configure needs.

# clean_source_copy DIR: put a clean source tree in DIR/src; set SRC.
clean_source_copy() {
	: "${ATLAS_BUILDDIR:?}"
	if ! make -s -C "$ATLAS_BUILDDIR" distdir distdir="$1/src" >"$1/distdir.log" 2>&1; then
		echo "FAIL: make distdir failed"; tail -20 "$1/distdir.log"; exit 1
	fi
	chmod -R u+w "$1/src"
	# shellcheck disable=SC2034 # the result, read by the sourcing test
	SRC=$1/src
}
