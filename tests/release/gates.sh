#!/bin/sh
# make release refuses, saying why and before anything is built, when
# VERSION is not a bare SemVer version, when HEAD is not tagged
# v$(VERSION) (no tag, or another one) and when the tree is dirty (a
# changed tracked file, or an untracked file); with the right tag on a
# clean tree the gates pass.  The sources are a git
# repository made from 'make distdir'; no engine or registry is needed.
# shellcheck source=tests/release/lib.sh
. "${ATLAS_SRCDIR:?}/tests/release/lib.sh"

[ "${ATLAS_IMAGE_TESTS:-}" != skip ] || skip "ATLAS_IMAGE_TESTS=skip"
clean_source_copy "$work/src"
version=$(tr -d ' \t\n' <"$SRC/VERSION")
mkdir "$work/build"
(cd "$work/build" && "$SRC/configure" >configure.log 2>&1) ||
	{ tail -n 20 "$work/build/configure.log" >&2; fail "configure of the copy failed"; }

# refused WHY PATTERN: make release fails, says PATTERN, built nothing.
refused() {
	why=$1 pattern=$2
	if make -C "$work/build" release >"$work/release.log" 2>&1; then
		cat "$work/release.log" >&2
		fail "make release went ahead with $why"
	fi
	grep -q -e "$pattern" "$work/release.log" ||
		{ cat "$work/release.log" >&2; fail "with $why, make release does not say '$pattern'"; }
	grep -q 'refused before building' "$work/release.log" ||
		{ cat "$work/release.log" >&2; fail "with $why, make release does not say it refused before building"; }
	# Nothing was compiled and no image step ran.
	for built in src/cli/atlas src/lib/libatlas.la image; do
		[ ! -e "$work/build/$built" ] || fail "with $why, make release built $built before refusing"
	done
	note "refused with $why: $(grep 'refused' "$work/release.log" | head -n 1)"
}

refused "no tag on HEAD" "is not tagged v$version.*tags on HEAD: none"

printf 'v%s\n' "$version" >"$SRC/VERSION"
refused "VERSION 'v$version'" "VERSION holds 'v$version', not a bare SemVer version"
git_in_src checkout -q -- VERSION

git_in_src tag -a -m 'wrong version' v9.9.9
refused "tag v9.9.9 for VERSION $version" "is not tagged v$version.*tags on HEAD: v9.9.9"
git_in_src tag -d v9.9.9 >/dev/null

git_in_src tag -a -m "release $version" "v$version"
printf '# changed after the tag\n' >>"$SRC/README.md"
refused "a changed tracked file" "1 uncommitted change"
grep -q 'README.md' "$work/release.log" || fail "the refusal does not name the changed file"
git_in_src checkout -q -- README.md

printf 'not in git\n' >"$SRC/stray-file"
refused "an untracked file" "stray-file"
rm -f "$SRC/stray-file"

# In a tag workflow, the workflow's tag must be the release tag too.
if GITHUB_REF_TYPE=tag GITHUB_REF_NAME=v9.9.9 make -C "$work/build" release-gates >"$work/gates.log" 2>&1; then
	fail "the gates passed in a workflow for tag v9.9.9"
fi
grep -q "tag 'v9.9.9'" "$work/gates.log" || { cat "$work/gates.log" >&2; fail "the workflow-tag refusal does not name the tag"; }

make -C "$work/build" release-gates >"$work/gates.log" 2>&1 ||
	{ cat "$work/gates.log" >&2; fail "the gates refuse a clean tree tagged v$version"; }
grep -q "tagged v$version and the tree is clean" "$work/gates.log" ||
	{ cat "$work/gates.log" >&2; fail "the gates do not say what passed"; }
note "ok: the gates refuse a wrong or missing tag and a dirty tree before building, and pass a clean tagged tree"
