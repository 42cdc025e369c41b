#!/bin/sh
# matches-cyclonedx-py.sh - `atlas sbom` lists the same Python
# distributions, by name and version, as CycloneDX's own generator
# (`cyclonedx-py environment`) on one real virtual environment, and its
# document passes CycloneDX's strict JSON schema.
#
# The environment gets a few small wheels from the package index (pip and
# setuptools, as venv installs them, stay in: both tools must list them,
# so nothing is excluded).  The names include '_' and '.' so that neither
# tool's name handling can hide behind simple names.  Skips (77) when
# python3 or its venv module is missing or the index cannot be reached;
# SBOM_TEST_WHEELS=DIR installs from that directory instead, offline.
set -u

: "${ATLAS:?}"
python=${PYTHON3:-}
[ -n "$python" ] || { echo "SKIP: no python3 (configure found none)"; exit 77; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }

"$python" -m venv "$work/tools" >"$work/venv.log" 2>&1 ||
	{ cat "$work/venv.log"; skip "$python cannot make a venv (apt-get install python3-venv)"; }
"$python" -m venv "$work/target" >>"$work/venv.log" 2>&1 ||
	{ cat "$work/venv.log"; skip "$python cannot make a venv (apt-get install python3-venv)"; }

pip_opts="--quiet --disable-pip-version-check --timeout 30 --retries 1"
if [ -n "${SBOM_TEST_WHEELS:-}" ]; then
	pip_opts="$pip_opts --no-index --find-links $SBOM_TEST_WHEELS"
fi
# shellcheck disable=SC2086 # an option list
"$work/tools/bin/python" -m pip install $pip_opts 'cyclonedx-bom==7.5.0' >"$work/pip.log" 2>&1 ||
	{ tail -n 5 "$work/pip.log"; skip "cannot install cyclonedx-bom (is the package index reachable?)"; }
# shellcheck disable=SC2086 # an option list
"$work/target/bin/python" -m pip install $pip_opts --only-binary=:all: \
	six idna typing_extensions python-dateutil jaraco.functools >"$work/pip.log" 2>&1 ||
	{ tail -n 5 "$work/pip.log"; skip "cannot install the test wheels (is the package index reachable?)"; }

site_packages=$("$work/target/bin/python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))') ||
	fail "the venv's python does not name its site-packages"

"$ATLAS" sbom --site-packages="$site_packages" --output="$work/atlas.json" ||
	fail "atlas sbom exited $?"
"$work/tools/bin/cyclonedx-py" environment --output-format JSON --output-file "$work/cyclonedx.json" \
	"$work/target/bin/python" >"$work/cyclonedx.log" 2>&1 ||
	{ cat "$work/cyclonedx.log"; fail "cyclonedx-py exited $?"; }

# atlas's document is valid under the strict schema of the CycloneDX
# version it declares, as CycloneDX's own library checks it.
"$work/tools/bin/python" - "$work/atlas.json" <<'PY' || fail "atlas sbom's output does not validate (above)"
import json, sys
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

with open(sys.argv[1]) as f:
    text = f.read()
spec = json.loads(text).get("specVersion", "")
try:
    version = SchemaVersion.from_version(spec)
except Exception:
    sys.exit("specVersion %r is not a CycloneDX version" % spec)
problem = JsonStrictValidator(version).validate_str(text)
if problem is not None:
    sys.exit("not valid CycloneDX %s: %s" % (spec, problem))
PY

"$python" - "$work/atlas.json" "$work/cyclonedx.json" <<'PY'
import json, sys

def components(path):
    with open(path) as f:
        doc = json.load(f)
    if doc.get("bomFormat") != "CycloneDX":
        sys.exit("FAIL: %s is not a CycloneDX document" % path)
    found = set()
    def walk(items):
        for c in items:
            found.add((c["name"], c.get("version")))
            walk(c.get("components", []))
    walk(doc.get("components", []))
    return found

atlas, cyclonedx = components(sys.argv[1]), components(sys.argv[2])
for name, version in sorted(cyclonedx - atlas):
    print("only cyclonedx-py lists %s %s" % (name, version))
for name, version in sorted(atlas - cyclonedx):
    print("only atlas lists %s %s" % (name, version))
if atlas != cyclonedx:
    sys.exit("FAIL: the two SBOMs list different distributions")
# A sanity floor: the planted wheels are there, so an empty pair of SBOMs
# cannot pass.
names = {name.lower().replace("_", "-").replace(".", "-") for name, _ in atlas}
missing = {"six", "idna", "typing-extensions", "python-dateutil", "jaraco-functools", "pip"} - names
if missing:
    sys.exit("FAIL: both SBOMs lack %s" % ", ".join(sorted(missing)))
print("PASS: %d distributions, the same in both SBOMs" % len(atlas))
PY
