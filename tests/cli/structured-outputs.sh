#!/bin/sh
# structured-outputs.sh - the machine-readable outputs of atlas sbom,
# atlas imports and atlas health, read back by real parsers (Python's
# json and xml.etree) since their timings and versions keep them from
# being compared byte for byte in a case file.
#
# Checks: the SBOM is CycloneDX 1.5 with the expected components, is
# reproducible (same bytes twice, serial number from the content,
# timestamp from SOURCE_DATE_EPOCH), --output writes the same document;
# the JUnit XML of atlas imports is well-formed even when an import's
# message holds markup and control characters; the JSON of atlas imports
# and atlas health has the documented shape.
set -u

: "${ATLAS:?ATLAS must name the atlas program}"
: "${ATLAS_SRCDIR:?}"
if [ -z "${PYTHON3:-}" ]; then
	echo "SKIP: no python3 found by configure"
	exit 77
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/atlas-structured.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
good="$ATLAS_SRCDIR/tests/fixtures/site-packages/good"
status=0
fail() {
	echo "FAIL: $*"
	status=1
}

# --- SBOM -----------------------------------------------------------------
export SOURCE_DATE_EPOCH=1700000000
"$ATLAS" sbom --site-packages="$good" > "$work/sbom1.json" || fail "sbom exited $?"
"$ATLAS" sbom --site-packages="$good" > "$work/sbom2.json" || fail "sbom exited $?"
cmp -s "$work/sbom1.json" "$work/sbom2.json" || fail "two SBOMs of one tree differ"
"$ATLAS" sbom --site-packages="$good" --output="$work/sbom3.json" > "$work/stdout" \
	|| fail "sbom --output exited $?"
[ -s "$work/stdout" ] && fail "sbom --output also wrote to stdout"
cmp -s "$work/sbom1.json" "$work/sbom3.json" || fail "--output differs from stdout"
for leftover in "$work"/*.tmp.*; do
	[ ! -e "$leftover" ] || fail "sbom --output left a temporary file: $leftover"
done

# The same tree with one version changed gives another serial number.
cp -R "$good" "$work/changed"
sed 's/^Version: 2.1$/Version: 2.2/' "$good/beta-2.1.dist-info/METADATA" \
	> "$work/changed/beta-2.1.dist-info/METADATA"
"$ATLAS" sbom --site-packages="$work/changed" > "$work/sbom-changed.json" \
	|| fail "sbom of the changed tree exited $?"

atlas_version=$("$ATLAS" --version | sed 's/^atlas //')
"$PYTHON3" - "$work/sbom1.json" "$work/sbom-changed.json" "$atlas_version" <<'EOF' || fail "SBOM content"
import json, re, sys
doc = json.load(open(sys.argv[1]))
changed = json.load(open(sys.argv[2]))
assert doc["bomFormat"] == "CycloneDX", doc["bomFormat"]
assert doc["specVersion"] == "1.5"
assert doc["version"] == 1
# The pattern CycloneDX 1.5's JSON schema gives for serialNumber.
uuid = r"^urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$"
assert re.match(uuid, doc["serialNumber"]), doc["serialNumber"]
assert re.match(uuid, changed["serialNumber"]), changed["serialNumber"]
assert doc["serialNumber"] != changed["serialNumber"], "serial ignores the content"
assert doc["metadata"]["timestamp"] == "2023-11-14T22:13:20Z", doc["metadata"]["timestamp"]
tool = doc["metadata"]["tools"]["components"][0]
assert (tool["name"], tool["version"]) == ("atlas", sys.argv[3]), tool
want = [
    ("Alpha_Pkg", "1.0", "pkg:pypi/alpha-pkg@1.0", [{"expression": "MIT"}]),
    ("beta", "2.1", "pkg:pypi/beta@2.1", [{"license": {"name": "BSD 3-Clause"}}]),
    ("gamma", "0.5", "pkg:pypi/gamma@0.5", [{"license": {"name": "Copyright (c) The Gamma Authors"}}]),
]
got = [(c["name"], c["version"], c["purl"], c.get("licenses")) for c in doc["components"]]
assert got == want, got
for c in doc["components"]:
    assert c["type"] == "library" and c["bom-ref"] == c["purl"], c
assert [c["version"] for c in changed["components"]] == ["1.0", "2.2", "0.5"]
EOF
unset SOURCE_DATE_EPOCH

# --- atlas imports: JUnit XML and JSON ------------------------------------
site="$work/site"
mkdir -p "$site/fine-1.0.dist-info" "$site/hostile-1.0.dist-info" "$site/skipme-1.0.dist-info"
for d in fine hostile skipme; do
	printf 'Name: %s\nVersion: 1.0\n' "$d" > "$site/$d-1.0.dist-info/METADATA"
	printf '%s.py,,\n' "$d" > "$site/$d-1.0.dist-info/RECORD"
done
: > "$site/fine.py"
printf 'raise ImportError("a <tag> & \\"quotes\\" \\x01 and \\u00e9")\n' > "$site/hostile.py"
printf 'raise SystemExit(3)\n' > "$site/skipme.py"
printf 'skipme  # a reason with <markup> & "quotes"\n' > "$work/exclusions.txt"

"$ATLAS" imports --site-packages="$site" --python="$PYTHON3" --exclude="$work/exclusions.txt" \
	--format=junit > "$work/junit.xml"
[ $? = 1 ] || fail "imports with a failing module did not exit 1"
"$ATLAS" imports --site-packages="$site" --python="$PYTHON3" --exclude="$work/exclusions.txt" \
	--format=json > "$work/imports.json"
[ $? = 1 ] || fail "imports --format=json did not exit 1"

"$PYTHON3" - "$work/junit.xml" "$work/imports.json" <<'EOF' || fail "imports JUnit/JSON content"
import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites", root.tag
assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("3", "1", "1"), root.attrib
suite = [s for s in root if s.get("name") == "imports"][0]
cases = {c.get("name"): c for c in suite.findall("testcase")}
assert sorted(cases) == ["fine", "hostile", "skipme"], sorted(cases)
assert len(cases["fine"]) == 0
failure = cases["hostile"].find("failure")
assert failure.get("message") == 'ImportError: a <tag> & "quotes" \ufffd and \u00e9', failure.get("message")
assert "Traceback" in failure.text
assert cases["skipme"].find("skipped").get("message") == 'a reason with <markup> & "quotes"'
assert cases["hostile"].get("classname") == "imports.hostile"
float(cases["fine"].get("time"))

doc = json.load(open(sys.argv[2]))
status = {m["module"]: m["status"] for m in doc["imports"]}
assert status == {"fine": "ok", "hostile": "failed", "skipme": "excluded"}, status
assert doc["ok"] is False and doc["summary"]["failed"] == 1 and doc["summary"]["excluded"] == 1
assert doc["imports"][1]["error"] == 'ImportError: a <tag> & "quotes" \x01 and \u00e9', doc["imports"][1]
EOF

# --- atlas health: JSON -----------------------------------------------------
mkdir "$work/health"
for m in numpy scipy pandas sklearn matplotlib transformers; do
	mkdir "$work/health/$m" && : > "$work/health/$m/__init__.py"
done
mkdir "$work/health/torch"
printf 'class cuda:\n    is_available = staticmethod(lambda: True)\n' > "$work/health/torch/__init__.py"
(cd "$work/health" && ATLAS_LIBCUDA=/nonexistent/libcuda.so.1 ATLAS_LIBNVML=/nonexistent/libnvidia-ml.so.1 \
	ATLAS_REQUIRE_GPU=1 "$ATLAS" health --tier=1 --python="$PYTHON3" --format=json) > "$work/health.json" \
	|| fail "health exited $?"
"$PYTHON3" - "$work/health.json" <<'EOF' || fail "health JSON content"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["python"]["ok"] is True and doc["python"]["version"].count(".") == 2, doc["python"]
assert doc["tier"] == 1
assert [i["module"] for i in doc["imports"]] == ["numpy", "scipy", "pandas", "sklearn",
    "matplotlib", "torch", "transformers"], doc["imports"]
assert all(i["ok"] and i["error"] is None and i["seconds"] >= 0 for i in doc["imports"])
# torch says CUDA works, so a required GPU is there although no driver
# library was found: torch is what users of the image will use.
assert doc["cuda"] == {"available": True, "source": "torch"}, doc["cuda"]
assert doc["gpu"]["driver"] == "none" and doc["gpu"]["devices"] == []
assert doc["require_gpu"] is True and doc["healthy"] is True
EOF

exit $status
