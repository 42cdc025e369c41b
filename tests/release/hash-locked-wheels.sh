#!/bin/sh
# Hash-locked builds: with hashed requirements the image installs the
# .lock files with --require-hashes, so a wheel swapped in the
# wheelhouse after it was fetched (same file name, other content: here
# a wheel of the fixture's tier 0 with one module edited) stops the
# build, with a message naming the package, the hash the lock expects
# and the hash of the file found.  Built as the image tests build the
# fixture variant (tests/image/lib.sh), from the same local base and
# wheelhouse cache.
[ "${ATLAS_IMAGE_TESTS:-}" != skip ] || { echo "SKIP: ATLAS_IMAGE_TESTS=skip" >&2; exit 77; }
# shellcheck source=tests/image/lib.sh
. "${ATLAS_SRCDIR:?}/tests/image/lib.sh"

python=${PYTHON3:-python3}
ensure_local_base
locked sh "$aux/wheelhouse.sh" "$python" "$fixture" "$cache/wheelhouse" 1 tier0 tier1 ||
	fail "cannot fetch the fixture's wheels"

# A private copy of the tier-0 wheels (copied, never hard-linked: the
# shared cache must stay intact).
mkdir -p "$work/wheelhouse"
cp -R "$cache/wheelhouse/tier0" "$work/wheelhouse/tier0"
# The smallest pure-Python wheel (wheel names are plain).
# shellcheck disable=SC2012
victim=$(cd "$work/wheelhouse/tier0" && ls -S -- *-py3-none-any.whl | tail -n 1)
[ -n "$victim" ] || fail "the fixture's tier 0 has no pure-Python wheel to tamper with"
# Wheel file names spell '-' as '_'.
package=$(printf '%s' "${victim%%-*}" | tr _ -)
pin=$(sed -n "s/^\($package==[^ ]*\).*/\1/Ip" "$fixture/requirements-tier0.lock" | head -n 1)
[ -n "$pin" ] || fail "$package is not pinned in the fixture's tier-0 lock"
expected=$(sha256sum "$work/wheelhouse/tier0/$victim" | cut -d' ' -f1)
grep -q "sha256:$expected" "$fixture/requirements-tier0.lock" ||
	fail "the fetched $victim is not the one the lock names; the wheelhouse is stale"

# The same name, a valid wheel, one line added to its first module.
"$python" - "$work/wheelhouse/tier0/$victim" <<'PY' || fail "cannot rewrite $victim"
import sys, zipfile
path = sys.argv[1]
with zipfile.ZipFile(path) as z:
    entries = [(info, z.read(info)) for info in z.infolist()]
edited = False
with zipfile.ZipFile(path + ".new", "w", zipfile.ZIP_DEFLATED) as z:
    for info, data in entries:
        if not edited and info.filename.endswith(".py"):
            data += b"\nimport os  # not what was locked\n"
            edited = True
        z.writestr(info, data)
if not edited:
    sys.exit("no module to edit")
PY
mv -f "$work/wheelhouse/tier0/$victim.new" "$work/wheelhouse/tier0/$victim"
got=$(sha256sum "$work/wheelhouse/tier0/$victim" | cut -d' ' -f1)
[ "$got" != "$expected" ] || fail "the rewritten wheel has the same hash"

stage_context "$work/context" "$fixture" "$work/wheelhouse" 1
if build - "$dockerfile" "$work/context" runtime \
	--build-arg=BASE_IMAGE="$local_base" --build-arg=BUILD_TIER=0 \
	--build-arg=ENABLE_MATERIALS=0 --build-arg=USE_HASHED_REQUIREMENTS=1; then
	fail "the image built from a wheelhouse with a swapped $victim"
fi
for what in "requirements-tier0.lock" "DO NOT MATCH THE HASHES" "$pin" "Expected sha256 $expected" "Got *$got"; do
	grep -q -e "$what" "$work/build.log" ||
		{ tail -n 40 "$work/build.log" >&2; fail "the failed build does not say '$what'"; }
done
note "ok: a swapped $victim stops the build: $pin, expected sha256 $expected, got $got"
