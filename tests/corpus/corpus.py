"""Check `atlas req check --syntax-only` against pip's verdicts on a corpus.

usage: corpus.py ATLAS CORPUS_DIR

CORPUS_DIR holds MANIFEST.tsv and files/ (see its README.md): real
requirement files, each with pip's verdict and, for accepted files, the
number of requirements pip found with nested -r/-c files empty and no
environment variables set.  atlas runs the same way: --syntax-only (so
includes are not opened) in an environment stripped of everything but
what the program itself needs to start.

Asserted:
  - every file pip accepts is accepted: exit 0, no diagnostic;
  - the files pip rejects only because of the machine it ran on (an
    unset variable in a file URL, a local directory that does not
    exist) are syntactically fine, so they are accepted too;
  - the genuine syntax errors are reported as one "syntax" diagnostic
    at the line pip names;
  - where pip gave a count, atlas finds the same number of requirements
    (the "requirements" of the JSON summary line).
Python 3 standard library only.
"""

import csv
import json
import os
import subprocess
import sys

# The genuine syntax errors, from the corpus README: file -> line.
# Each line must hold the text pip quotes in its verdict, which keeps
# this table honest if the corpus changes.
GENUINE_SYNTAX_ERRORS = {
    # `sphinxcontrib-jsmath,<2`: "line 19" in the README and the verdict.
    "python__cpython__Doc__constraints.txt": 19,
    # `nvidia-modelopt[torch]~=${MODELOPT_VERSION}`: an unset variable
    # left in a version specifier.
    "NVIDIA__NeMo__requirements__requirements.txt": 7,
}

# Variables whose value a program needs to start (the libtool wrapper,
# sanitizers); none of them is upper-case-only text that a corpus file
# expands, which is checked below.
KEPT_ENVIRONMENT = ("PATH", "LD_LIBRARY_PATH", "ASAN_OPTIONS",
                    "UBSAN_OPTIONS", "LSAN_OPTIONS")


def run_atlas(atlas, path, env):
    proc = subprocess.run(
        [atlas, "req", "check", "--syntax-only", "--format=json", path],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, check=False)
    diagnostics, summary = [], None
    for line in proc.stdout.decode("utf-8").splitlines():
        obj = json.loads(line)
        if "summary" in obj:
            summary = obj["summary"]
        else:
            diagnostics.append(obj)
    return proc.returncode, diagnostics, summary, proc.stderr.decode("utf-8", "replace")


def quoted_requirement(verdict):
    """The requirement text in "Invalid requirement: '...'", or None."""
    marker = "Invalid requirement: '"
    start = verdict.find(marker)
    if start < 0:
        return None
    start += len(marker)
    end = verdict.find("'", start)
    return verdict[start:end] if end > start else None


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    atlas, corpus = sys.argv[1], sys.argv[2]
    env = {k: os.environ[k] for k in KEPT_ENVIRONMENT if k in os.environ}

    with open(os.path.join(corpus, "MANIFEST.tsv"), newline="",
              encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t",
                                   quoting=csv.QUOTE_NONE))
    failures = []
    counted = accepted = genuine_ok = 0
    seen_genuine = set()
    for row in rows:
        name, verdict = row["file"], row["pip_verdict"]
        path = os.path.join(corpus, "files", name)
        with open(path, "rb") as f:
            content = f.read().decode("utf-8", "replace")
        for var in env:
            if "${%s}" % var in content:
                failures.append("%s: expands ${%s}, which this test must keep "
                                "set; the corpus needs another variable list"
                                % (name, var))
        status, diagnostics, summary, stderr = run_atlas(atlas, path, env)
        if summary is None:
            failures.append("%s: no JSON summary line (exit %d): %s"
                            % (name, status, stderr.strip()))
            continue

        if name in GENUINE_SYNTAX_ERRORS:
            seen_genuine.add(name)
            want = GENUINE_SYNTAX_ERRORS[name]
            text = quoted_requirement(row["pip_requirements"])
            lines = content.splitlines()
            if verdict != "REJECT":
                failures.append("%s: the manifest no longer says pip rejects it" % name)
            if text is not None and (want > len(lines) or text not in lines[want - 1]):
                failures.append("%s: line %d does not hold pip's %r; update the table"
                                % (name, want, text))
            got = [(d["line"], d["code"]) for d in diagnostics]
            if status != 1 or got != [(want, "syntax")]:
                failures.append("%s: expected one syntax error at line %d (exit 1), "
                                "got exit %d and %s" % (name, want, status, got))
            else:
                genuine_ok += 1
            continue

        # Accepted by pip, or rejected for reasons of pip's machine only.
        accepted += 1
        if status != 0 or diagnostics:
            failures.append("%s: pip says %s, atlas rejects it (exit %d): %s"
                            % (name, verdict, status,
                               "; ".join("line %d: %s [%s]" % (d["line"], d["message"], d["code"])
                                         for d in diagnostics) or stderr.strip()))
            continue
        if verdict == "ACCEPT" and row["pip_requirements"].isdigit():
            counted += 1
            want = int(row["pip_requirements"])
            if summary["requirements"] != want:
                failures.append("%s: pip finds %d requirements, atlas %d"
                                % (name, want, summary["requirements"]))

    for name in sorted(set(GENUINE_SYNTAX_ERRORS) - seen_genuine):
        failures.append("%s: listed as a genuine syntax error but not in the manifest" % name)
    print("corpus: %d files; %d accepted without a diagnostic (every file pip "
          "accepts, and those it rejects only for its machine), %d with pip's "
          "requirement count; %d genuine syntax errors reported at pip's line"
          % (len(rows), accepted, counted, genuine_ok))
    for failure in failures:
        print("FAIL: " + failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
