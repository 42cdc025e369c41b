#!/bin/sh
# repo-is-lint-clean.sh - the source tree passes every linter that is
# installed (shellcheck, hadolint, actionlint), through the same script
# as `make lint`.  First each installed linter must catch a planted
# mistake, so that a linter wired wrongly cannot pass the tree silently.
set -u

: "${ATLAS_SRCDIR:?}"
lint="$ATLAS_SRCDIR/build-aux/lint.sh"

have() { command -v "$1" >/dev/null 2>&1; }
if ! have shellcheck && ! have hadolint && ! have actionlint; then
	echo "SKIP: no linter installed (build-aux/install-lint-tools.sh installs them)"
	exit 77
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*"; exit 1; }

# A tree with one mistake per linter.
bad="$work/bad"
mkdir -p "$bad/tests/planted" "$bad/docker/atlas" "$bad/.github/workflows"
cat >"$bad/tests/planted/unquoted.sh" <<'PLANTED'
#!/bin/sh
if [ $answer = 42 ]; then echo yes; fi
PLANTED
cat >"$bad/docker/atlas/Dockerfile" <<'PLANTED'
FROM debian:bookworm
RUN cd /tmp && apt-get install -y curl
PLANTED
cat >"$bad/.github/workflows/planted.yml" <<'PLANTED'
name: planted
on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo "${{ github.event.no_such_key.x }}"
        shell: no-such-shell
PLANTED

SHELLCHECK='' HADOLINT='' ACTIONLINT='' sh "$lint" "$bad" >"$work/bad.out" 2>&1
status=$?
[ "$status" -eq 1 ] || { cat "$work/bad.out"; fail "lint exited $status on the planted mistakes, not 1"; }
if have shellcheck; then
	grep -q 'unquoted\.sh' "$work/bad.out" || { cat "$work/bad.out"; fail "shellcheck missed the planted script"; }
fi
if have hadolint; then
	grep -q 'DL[0-9]' "$work/bad.out" || { cat "$work/bad.out"; fail "hadolint missed the planted Dockerfile"; }
fi
if have actionlint; then
	grep -q 'planted\.yml:' "$work/bad.out" || { cat "$work/bad.out"; fail "actionlint missed the planted workflow"; }
fi

# The tree itself.
if ! SHELLCHECK='' HADOLINT='' ACTIONLINT='' sh "$lint" "$ATLAS_SRCDIR" >"$work/tree.out" 2>&1; then
	cat "$work/tree.out"
	fail "the source tree has lint findings (run make lint)"
fi
cat "$work/tree.out"
echo "PASS: the source tree is clean under the installed linters"
