#!/usr/bin/env python3
"""differential.py - compare atlas with pypa/packaging on a generated corpus.

usage: differential.py ATLAS [--seed=N] [--show=N]

A fixed seed generates the same corpus on every run: over 50,000 cases
of versions (valid in every PEP 440 spelling, and invalid ones),
normalisation, ordering, specifier containment with each pre-release
mode, PEP 508 requirements and environment markers under several
environments.  Each case is answered by packaging (the reference) and by
atlas, which gets many inputs per invocation and prints JSON Lines in
input order.  For an invalid input only the fact of an error has to
agree, never the message.

Prints a summary per category and exits 1 when any case disagrees, 0
when all agree, 2 on a usage error.  Needs Python 3.8+ and packaging.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import warnings

import packaging
from packaging.markers import InvalidMarker, Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

SEED = 20261204

# How many inputs go into one atlas invocation: far below ARG_MAX, large
# enough that process start-up does not dominate the run.
BATCH = 1500

# ---------------------------------------------------------------------
# Deliberate differences.  Each entry excuses the cases of one category
# for which "applies" is true; such cases are counted as "excused", not
# as disagreements, and the summary says how many there were.  Add an
# entry only with a reason a reviewer can check against the PEPs.
#
# One reference choice is recorded here too, since it decides what
# "agree" means: the default pre-release mode is compared with
# SpecifierSet.contains(v) as packaging 26 and later answer it (a lone
# pre-release is admitted when the clauses admit it: PEP 440's "accept
# pre-releases when nothing else matches", with one candidate).  Older
# packaging rejected it unless a clause named a pre-release; with such a
# release installed the default mode is compared with prereleases=True,
# which is what 26 answers, and the summary says so.
# ---------------------------------------------------------------------
def _marker_string_values(marker_text):
    """The string literals of a marker (or of a requirement's marker) as
    packaging reads them."""
    try:
        marker = Marker(marker_text)
    except (InvalidMarker, ValueError):
        try:
            marker = Requirement(marker_text).marker
        except (InvalidRequirement, ValueError):
            return []
        if marker is None:
            return []
    values = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            elif isinstance(item, tuple):
                values.extend(str(node) for node in (item[0], item[2])
                              if type(node).__name__ == "Value")
    walk(marker._markers)
    return values


DELIBERATE_DIFFERENCES = [
    # (categories, description, reason, applies(raw input) -> bool)
    (("marker-eval", "req-parse"),
     "a marker string whose escape gives U+0000 ('\\0', '\\x00', ...) is an error",
     "libatlas holds strings NUL-terminated; refusing the marker is safer than "
     "silently comparing a truncated value, and no real marker contains NUL",
     lambda raw: any("\x00" in v for v in _marker_string_values(raw))),
    (("marker-eval", "req-parse"),
     "'\\N{NAME}' escapes in marker strings are an error",
     "packaging accepts them only because it reads strings with ast.literal_eval; "
     "decoding them needs the Unicode name database (over 1 MB in a static "
     "atlas) for a spelling no published marker uses",
     lambda raw: "\\N{" in raw and bool(_marker_string_values(raw))),
]

# ---------------------------------------------------------------------
# Generators
# ---------------------------------------------------------------------

PRE_SPELLINGS = ["a", "alpha", "b", "beta", "c", "rc", "pre", "preview",
                 "A", "Alpha", "B", "BETA", "C", "RC", "Pre", "PREVIEW"]
POST_SPELLINGS = ["post", "rev", "r", "POST", "Rev", "R"]
DEV_SPELLINGS = ["dev", "DEV", "Dev"]
SEPARATORS = ["", ".", "-", "_"]
LEADING = ["", "", "", "", "v", "V", " ", "\t", " v", "  "]
TRAILING = ["", "", "", "", " ", "\t", "\n", "  ", " \n"]


def gen_number(rng, big=False):
    roll = rng.random()
    if big and roll < 0.03:
        # Numbers past 64 bits: packaging has arbitrary integers.
        return str(rng.randrange(10**19, 10**24))
    if roll < 0.10:
        return "0" * rng.randint(1, 2) + str(rng.randint(0, 9))
    if roll < 0.20:
        return str(rng.randint(10, 2025))
    return str(rng.randint(0, 12))


def gen_release(rng, big=False):
    return ".".join(gen_number(rng, big) for _ in range(rng.choice([1, 1, 2, 2, 2, 3, 3, 3, 4, 5])))


def gen_segment(rng, spellings):
    """A pre, post or dev segment: separator, spelling, separator, number."""
    sep1 = rng.choice(SEPARATORS)
    sep2 = rng.choice(SEPARATORS)
    num = "" if rng.random() < 0.2 else gen_number(rng)
    if num == "":
        sep2 = ""
    return sep1 + rng.choice(spellings) + sep2 + num


def gen_pre(rng):
    return gen_segment(rng, PRE_SPELLINGS)


def gen_post(rng):
    if rng.random() < 0.25:
        return "-" + gen_number(rng)  # implicit post release, "1.0-1"
    return gen_segment(rng, POST_SPELLINGS)


def gen_dev(rng):
    return gen_segment(rng, DEV_SPELLINGS)


def gen_local(rng):
    parts = []
    for _ in range(rng.randint(1, 3)):
        if rng.random() < 0.5:
            parts.append(gen_number(rng))
        else:
            word = "".join(rng.choice("abcxyzUBUNTUdeb0123") for _ in range(rng.randint(1, 6)))
            parts.append(word)
    out = parts[0]
    for p in parts[1:]:
        out += rng.choice([".", ".", "-", "_"]) + p
    return "+" + out


def gen_version(rng, spaces=True, big=False, local=True):
    """A version spelled any way PEP 440 allows (valid, mostly)."""
    text = rng.choice(LEADING) if spaces else rng.choice(["", "", "v", "V"])
    if rng.random() < 0.12:
        text += str(rng.randint(0, 3)) + "!"
    text += gen_release(rng, big)
    if rng.random() < 0.35:
        text += gen_pre(rng)
    if rng.random() < 0.25:
        text += gen_post(rng)
    if rng.random() < 0.25:
        text += gen_dev(rng)
    if local and rng.random() < 0.15:
        text += gen_local(rng)
    if spaces:
        text += rng.choice(TRAILING)
    return text


MUTATION_CHARS = list(".-_+!vV aAbBcCrRpPdD0123456789*,;@~=<>()[]'\"xyz\t") + ["..", "++", "!!", "é"]


def mutate(rng, text):
    """A nearby string, often invalid: the reference decides which."""
    kind = rng.randrange(5)
    if not text:
        return rng.choice(MUTATION_CHARS)
    i = rng.randrange(len(text) + 1)
    if kind == 0:
        return text[:i] + rng.choice(MUTATION_CHARS) + text[i:]
    if kind == 1 and len(text) > 1:
        i = min(i, len(text) - 1)
        return text[:i] + text[i + 1:]
    if kind == 2:
        i = min(i, len(text) - 1)
        return text[:i] + rng.choice(MUTATION_CHARS) + text[i + 1:]
    if kind == 3:
        return text + rng.choice(MUTATION_CHARS) + text[: rng.randint(0, len(text))]
    j = rng.randrange(len(text) + 1)
    i, j = min(i, j), max(i, j)
    return text[:i] + text[j:] + text[i:j]


FIXED_VERSIONS = [
    "1.0", "1.0.0", "1!1.0", "v1.0", "V1.0", " 1.0 ", "1.0-1", "1.0-post1", "1.0.post",
    "1.0rev", "1.0r1", "1.0-r-1", "1.0a", "1.0alpha1", "1.0.beta.2", "1.0c1", "1.0pre",
    "1.0preview3", "1.0RC1", "1.0.dev", "1.0-dev-1", "1.0_dev_2", "1.0+abc.5", "1.0+ABC-5",
    "1.0+abc_5", "1.0+5", "1.0+05", "01.02.03", "0", "00", "1.0a1.post1.dev1+local",
    "1.0-1-1", "1.0--1", "1.0.", ".1.0", "1..0", "1.0+", "1.0+a..b", "1.0+a.", "1.0+.a",
    "1.0-", "1.0_", "1.0a1a", "1!2!3", "a1.0", "1.0 a", "", " ", "v", "1.0*", "1.*",
    "1.0+local+local", "1.0ab", "1.0a-", "1.0.post-", "1.0-post.dev", "1.0dev1post1",
    "1.0.dev1.post1", "1.0-a1", "1.0_a_1", "1.0.a.1", "1.0-a-1", "ⅷ", "１.０", "1.0\x00",
    "1.0\n", "\n1.0", "1.0\r\n", "1.0\f", "1.0\v", "1.0\x1c", "1.0\xa0", "1e3", "0x10",
    "-1", "+1", "1.0+ubuntu-1", "2012.04", "1.0.0.0.0.0.0.0", "18446744073709551616",
    "1.18446744073709551617", "99999999999999999999999999.1", "1.0a18446744073709551616",
    "1!0", "0!0", "1.0+0", "1.0+a0b1", "1.0.post0", "1.0rc0", "1.0-0",
]


def gen_invalid_version(rng):
    return mutate(rng, gen_version(rng))


# Specifiers ------------------------------------------------------------

OPERATORS = ["==", "!=", "<=", ">=", "<", ">", "~=", "==="]


def gen_clause(rng):
    op = rng.choice(OPERATORS + ["==", ">=", "<", "!="])
    version = gen_version(rng, spaces=False, local=(op in ("==", "!=", "===")))
    if op in ("==", "!=") and rng.random() < 0.25:
        version = gen_release(rng) + ".*"
    if op == "~=" and "." not in version.split("+")[0]:
        version += ".0"
    ws = lambda: rng.choice(["", "", "", " ", "  ", "\t"])
    return ws() + op + ws() + version + ws()


def gen_spec(rng):
    n = rng.choice([0, 1, 1, 1, 2, 2, 3, 4])
    return ",".join(gen_clause(rng) for _ in range(n))


FIXED_SPECS = [
    "", "==1.0", "==1.0.*", "==1.*", "!=1.0.*", "~=1.0", "~=1.0.0", "~=1", "~=1.*",
    ">=1.0.*", "<1.0.*", "==1.0+local", "!=1.0+local", ">=1.0+local", "<1.0+local",
    "===1.0", "===foobar", "=1.0", "==", ",", "==1.0,", ",==1.0", "==1.0,,>=1",
    "1.0", ">= 1.0 , < 2.0", ">=1.0;<2.0", "==1.0a1.*", "==1.0.post1.*", "== 1.0 .*",
    ">=1.0a1", "<2.0rc1", ">1.0.post1", "<1.0.dev0", "~=1.0a1", ">=1!1.0", "==1.0 1.0",
    ">=v1.0", "==V1.0", ">=1.0-1", "<=1.0_a_1",
]


# Specifiers with the versions that decide their edges: local versions,
# post- and pre-releases at the bounds, "===" against other spellings.
FIXED_SPEC_VERSIONS = [
    ("==1.0", ["1.0", "1.0.0", "1.0+local", "1.0.post1", "1.0a1", "v1.0", "1.0.0.0+x"]),
    ("==1.0+local", ["1.0", "1.0+local", "1.0+LOCAL", "1.0+local.1", "1.0+other"]),
    ("!=1.0", ["1.0", "1.0+x", "1.0.post1", "1.0a1"]),
    ("!=1.0.*", ["1.0", "1.0.5", "1.0a1", "1.0.dev0", "1.1", "1.0+x", "1.0.post1"]),
    ("==1.0.*", ["1.0", "1.0.5", "1.0a1", "1.0.dev0", "1.1", "1.0+x", "1", "1.0.post1"]),
    ("==1.*", ["1", "1.0", "1.9.9", "2.0", "1.0a1", "0.9", "1!1.0"]),
    ("<=1.0", ["1.0", "1.0+x", "1.0.post1", "1.0a1", "0.9"]),
    (">=1.0", ["1.0", "1.0+x", "1.0.post1", "1.0a1", "1.0.dev0", "1.1a1"]),
    (">1.0", ["1.0", "1.0+x", "1.0.post1", "1.0.1", "1.1a1", "1.0.1.dev0"]),
    (">1.0.post1", ["1.0.post1", "1.0.post2", "1.0.post1+x", "1.0.1"]),
    (">1.0a1", ["1.0a1", "1.0a1.post1", "1.0a2", "1.0", "1.0a1+x"]),
    ("<1.0", ["0.9", "1.0a1", "1.0.dev0", "0.9+x", "1.0", "0.9.post1"]),
    ("<1.0rc1", ["1.0a1", "1.0rc1", "1.0b9", "0.9", "1.0rc0"]),
    ("<1.0.post1", ["1.0", "1.0.post0", "1.0.post1.dev0", "1.0.post1"]),
    ("~=1.0", ["1.0", "1.5", "2.0", "1.0a1", "2.0.dev0", "0.9"]),
    ("~=1.4.5", ["1.4.5", "1.4.9", "1.5.0", "1.4.5a1", "1.4.4"]),
    ("~=1.4.5a4", ["1.4.5a4", "1.4.5", "1.4.6", "1.5.0", "1.4.5a3"]),
    ("~=1!1.0", ["1!1.0", "1.0", "1!1.5", "1!2.0"]),
    ("===1.0", ["1.0", "1.0.0", "v1.0", "1.0+x", "1.0 "]),
    ("===1.0+local", ["1.0+local", "1.0+LOCAL", "1.0"]),
    ("", ["1.0", "1.0a1", "1.0.dev0", "1!0", "0+x"]),
    (">=1.0a1", ["1.0a1", "1.0", "0.9", "2.0.dev0"]),
    (">=1.0,!=1.1a1", ["1.1a1", "1.1a2", "1.1"]),
    ("<2.0,>=1.0.dev0", ["1.0.dev0", "1.5a1", "2.0a1", "1.9"]),
    ("==1.0.0a1.*", []), ("==1.0a1.*", []),
]


def versions_near(rng, spec_text):
    """Versions worth testing against a specifier: its own versions, their
    neighbours, and their pre-, post-, dev- and local variants."""
    anchors = []
    for clause in spec_text.split(","):
        stripped = clause.strip().lstrip("=!<>~").strip().replace(".*", "")
        try:
            anchors.append(Version(stripped))
        except InvalidVersion:
            pass
    if not anchors:
        anchors.append(Version(gen_version(rng, spaces=False)))
    out = []
    for _ in range(14):
        base = rng.choice(anchors)
        release = list(base.release)
        roll = rng.random()
        if roll < 0.2:
            text = str(base)
        elif roll < 0.45:
            i = rng.randrange(len(release))
            release[i] = max(0, release[i] + rng.choice([-1, 1, 1]))
            text = ".".join(map(str, release))
        elif roll < 0.55:
            text = ".".join(map(str, release + [0] * rng.randint(1, 2)))
        elif roll < 0.65:
            text = ".".join(map(str, release[: max(1, len(release) - 1)]))
        else:
            text = base.public if rng.random() < 0.5 else ".".join(map(str, release))
            if base.epoch:
                text = text if "!" in text else "%d!%s" % (base.epoch, text)
        suffix_roll = rng.random()
        if suffix_roll < 0.2:
            text += rng.choice(["a1", "b2", "rc1", "a0", "c3"])
        elif suffix_roll < 0.3:
            text += rng.choice([".post1", ".post0", "-1"])
        elif suffix_roll < 0.4:
            text += rng.choice([".dev0", ".dev1", "a1.dev0"])
        elif suffix_roll < 0.5:
            text += rng.choice(["+local", "+1", "+abc.2"])
        if rng.random() < 0.1:
            text = gen_version(rng, spaces=False)
        try:
            Version(text)
        except InvalidVersion:
            continue
        out.append(text)
    return out


PACKAGING_MAJOR = int(packaging.__version__.split(".")[0])


def reference_contains(spec_set, version, mode):
    if mode == "yes":
        return spec_set.contains(version, prereleases=True)
    if mode == "no":
        return spec_set.contains(version, prereleases=False)
    if PACKAGING_MAJOR < 26:
        return spec_set.contains(version, prereleases=True)
    return spec_set.contains(version)


# Names and requirements ------------------------------------------------

NAME_WORDS = ["numpy", "scipy", "pandas", "torch", "scikit", "learn", "zope", "Flask",
              "typing", "extensions", "ruamel", "yaml", "jaraco", "Backports", "py", "a",
              "x1", "Z", "pyMatGen", "nvidia", "cuda", "runtime", "cu12"]


def gen_name(rng):
    words = [rng.choice(NAME_WORDS) for _ in range(rng.randint(1, 3))]
    out = words[0]
    for w in words[1:]:
        out += rng.choice(["-", "_", ".", "", "--", "-_", "."]) + w
    if rng.random() < 0.2:
        out = out.upper() if rng.random() < 0.5 else out.swapcase()
    return out


def gen_extras(rng):
    extras = [rng.choice(["test", "dev", "Doc_s", "cuda", "all", "s3.fs", "Foo-Bar", "x"])
              for _ in range(rng.randint(0, 3))]
    sep = lambda: rng.choice([",", ", ", " , "])
    inner = ""
    for i, e in enumerate(extras):
        inner += (sep() if i else rng.choice(["", " "])) + e
    return "[" + inner + rng.choice(["", " "]) + "]"


URLS = [
    "https://example.com/pkg-1.0.tar.gz", "git+https://github.com/org/repo.git@v1.0#egg=pkg",
    "file:///srv/pkg.whl", "http://host:8080/a/b?c=d&e=f", "https://h/p.whl#sha256=abc",
    "file:relative/path", "git+ssh://git@host/repo.git", "https://h/%20space.tar.gz",
]

MARKER_VARIABLES = ["os_name", "sys_platform", "platform_machine",
                    "platform_python_implementation", "platform_release", "platform_system",
                    "platform_version", "python_version", "python_full_version",
                    "implementation_name", "implementation_version", "extra"]
VERSION_VARIABLES = ["python_version", "python_full_version", "implementation_version",
                     "platform_release"]

STRING_VALUES = {
    "os_name": ["posix", "nt", "java", "POSIX"],
    "sys_platform": ["linux", "win32", "darwin", "cygwin", "lin"],
    "platform_machine": ["x86_64", "AMD64", "arm64", "aarch64", "i386", "x86"],
    "platform_python_implementation": ["CPython", "PyPy", "cpython", "Jython"],
    "platform_system": ["Linux", "Windows", "Darwin", "Java", "inux"],
    "platform_version": ["#1 SMP", "10.0.19045", "Darwin Kernel", "1"],
    "implementation_name": ["cpython", "pypy", "CPython", "graalpy"],
    "extra": ["test", "Test", "doc_s", "doc-s", "DOC.S", "cuda", "", "foo-bar", "Foo_Bar"],
}
VERSION_VALUES = ["2.7", "3", "3.8", "3.10", "3.11", "3.11.7", "3.12", "3.12.1", "3.13",
                  "3.13.0rc1", "3.13.0", "3.*", "3.1*", "5.15", "6.1.0", "3.11.*", "3.11.7.*",
                  "1!3.0", "3.11+local", "3.11.post1"]


def gen_marker_atom(rng):
    var = rng.choice(MARKER_VARIABLES)
    quote = rng.choice(["'", '"'])
    ws = lambda: rng.choice(["", " ", " ", "  ", "\t"])
    if var in VERSION_VARIABLES:
        value = rng.choice(VERSION_VALUES)
        op = rng.choice(["==", "!=", "<", "<=", ">", ">=", "~=", "===", "in", "not in"])
        if op in ("~=",) and "." not in value:
            value += ".0"
        if op in ("in", "not in"):
            # Avoid ordering packaging releases disagree on: "in" of a
            # version variable is a substring test in every release.
            value = rng.choice(["3.1", "3", "3.11", "6.1", "x"])
    else:
        value = rng.choice(STRING_VALUES[var])
        op = rng.choice(["==", "!=", "in", "not in", "==", "!="])
    op_text = ws() + op + ws() if op.isalpha() or " " in op else ws() + op + ws()
    if op in ("in", "not in") and op_text.strip() == op and not op_text.startswith(" "):
        op_text = " " + op + " "
    literal = quote + value + quote
    if rng.random() < 0.25:
        return literal + (op_text if op not in ("in", "not in") else " " + op + " ") + var
    return var + op_text + literal


def gen_marker(rng, depth=0):
    roll = rng.random()
    if depth < 2 and roll < 0.15:
        return "(" + rng.choice(["", " "]) + gen_marker(rng, depth + 1) + rng.choice(["", " "]) + ")"
    if depth < 3 and roll < 0.45:
        return gen_marker(rng, depth + 1) + rng.choice([" and ", " or ", "  and\t", " or  "]) + gen_marker(rng, depth + 1)
    return gen_marker_atom(rng)


FIXED_MARKERS = [
    "python_version >= '3.8'", "python_version < \"3\"", "extra == 'test'", "extra == 'TEST'",
    "'test' == extra", "extra == 'foo_bar'", "extra == 'Foo.Bar'", "os_name == 'posix' and sys_platform == 'linux'",
    "os_name == 'posix' or sys_platform == 'win32' and platform_machine == 'x86'",
    "(os_name == 'posix' or sys_platform == 'win32') and platform_machine == 'x86'",
    "python_full_version >= '3.13'", "python_full_version >= '3.13.0rc1'",
    "python_version == '3.*'", "python_version != '3.11.*'", "python_version ~= '3.8'",
    "python_version === '3.11'", "'linux' in sys_platform", "'lin' in sys_platform",
    "sys_platform not in 'linux'", "os_name ~= 'posix'", "os_name < 'posix'",
    "", "python_version", "python_version >=", "python_version >= 3.8", "unknown == 'x'",
    "python_version >= '3.8' and", "(python_version >= '3.8'", "python_version >= '3.8')",
    "python_version >= '3.8' && os_name == 'posix'", "python_version >= '3.8' AND os_name == 'posix'",
    "os.name == 'posix'", "sys.platform == 'linux'", "platform.version == '1'",
    "python_implementation == 'CPython'", "platform.python_implementation == 'CPython'",
    "'x' == 'x'", "'x' == \"x\"", "python_version == 'it''s'", "python_version == \"it's\"",
    "python_version <> '3'", "python_version => '3'", "python_version = '3'",
    "extras == 'x'", "'x' in extras", "'g' in dependency_groups", "python_version>='3.8'and os_name=='posix'",
    "python_version>='3.8'andos_name=='posix'", "python_version\t>=\t'3.8'", "  python_version >= '3.8'  ",
    "python_version >= '3.8' ; os_name == 'posix'", "python_version >= 'abc'.upper()",
    "extra == ''", "extra != 'test'", "extra == 'te st'", "implementation_version >= '3.11'",
    "platform_release >= '6'", "python_version >= '3.8' and (os_name == 'nt' or (extra == 'cuda'))",
    # packaging reads a string with a backslash or an unprintable
    # character as a Python literal (ast.literal_eval): escapes count.
    r"os_name == '\x70osix'", r"os_name == 'pos\u0069x'", r"os_name == 'pos\U00000069x'",
    r"os_name == '\160osix'", r"os_name == 'posix\\'", r"os_name == 'posix\'",
    r"os_name == 'pos\N{LATIN SMALL LETTER I}x'", r"os_name == 'pos\N{NO SUCH NAME}x'",
    r"os_name == 'pos\qix'", r"os_name == 'posix\x'", r"os_name == 'posix\x4'",
    r"os_name == 'posix\u12'", "os_name == 'pos\\\nix'", r"extra == 'te\x73t'",
    r"extra == 'Te\u0053T'", r"python_version >= '3\x2e8'", r"os_name == '\t'",
    r"os_name == '\a\b\f\v\0'", r'os_name == "\""', r"os_name == '\''",
    r"os_name == 'pos\ud800ix'", r"os_name == '\777'", "os_name == 'pos\x01ix'",
    "os_name == 'pos\tix'", "os_name == 'pos\x7fix'", "os_name == 'pos\u00a0ix'",
    "os_name == 'pos\u200bix'", "os_name == 'posé'", "os_name == 'pos\u2028ix'",
]

FIXED_REQS = [
    "numpy", "numpy==1.26.4", "numpy == 1.26.4", "NumPy>=1.0,<2", "numpy (>=1.0,<2)",
    "numpy>=1.0 ; python_version >= '3.8'", "numpy>=1.0; python_version >= '3.8'",
    "requests[security,socks]>=2.8.1", "requests [ security , socks ] >= 2.8.1",
    "requests[]", "requests[ ]", "requests[a,a]", "requests[A,a]", "name@https://x/y.whl",
    "name @ https://x/y.whl", "name @ https://x/y.whl ; python_version >= '3'",
    "name @ https://x/y.whl; python_version >= '3'", "name @ https://x/y.whl;python_version>='3'",
    "name @ file:///srv/x.whl", "name @ ", "name @", "@ https://x", "name[extra] @ https://x/y",
    "name>=1.0 @ https://x", "-name", "name-", "na me", "name==", "name==1.0 extra",
    "name[", "name[a", "name[a,]", "name[,a]", "name[a b]", "name (", "name (>=1.0",
    "name (>=1.0))", "name >=1.0 (", "name; ", "name;", "name ; os_name == 'nt'", "name;os_name=='nt'",
    "name==1.0;", "", " ", "name==1.0.*", "name===foo", "name~=1", "name~=1.0", "name!=1.0,!=1.1",
    "name>=1.0,", "name,>=1.0", "name>=1.0 ,<2", "a", "A.B-C_D", "a..b", "a-_b", "1", "1a", "_a",
    "a_", "a.", ".a", "name == 1.0+local", "name >= 1.0+local", "name==v1.0", "name==1.0-1",
    "name>=1.0;python_version<'3.8' or os_name=='nt'", "name # comment", "name==1.0 # c",
    "zope.interface", "ruamel.yaml>=0.17", "nvidia-cuda-runtime-cu12==12.1.105", "name\t==\t1.0",
    "name==1.0\n", "name[extra]==1.0; extra == 'x'", "name[ex-tra,ex.tra,ex_tra]",
    "name @ git+https://github.com/a/b.git@v1#egg=b", "name @ https://x/y z", "name\x00",
    "naïve", "name[é]", "name==1.0 and os_name == 'nt'", "name==1.0,;os_name=='nt'",
    r"name; os_name == '\x70osix'", r"name; os_name == 'pos\N{LATIN SMALL LETTER I}x'",
    r"name; os_name == 'a\0'", r"name; os_name == 'a\\'", r"name; os_name == '\'",
    r"name; os_name == 'a\tb'", "name; os_name == 'a\tb'", r"name; extra == 'T\x45st'",
]


def gen_requirement(rng):
    text = gen_name(rng)
    if rng.random() < 0.3:
        text += rng.choice(["", " "]) + gen_extras(rng)
    roll = rng.random()
    if roll < 0.12:
        text += rng.choice([" @ ", " @", "@", " @  "]) + rng.choice(URLS)
        if rng.random() < 0.4:
            text += rng.choice([" ; ", "; ", " ;"]) + gen_marker(rng)
        return text
    if roll < 0.75:
        spec = gen_spec(rng)
        if rng.random() < 0.15 and spec:
            text += rng.choice(["", " "]) + "(" + spec + ")"
        else:
            text += rng.choice(["", " "]) + spec
    if rng.random() < 0.3:
        text += rng.choice([" ; ", "; ", ";", " ;"]) + gen_marker(rng)
    return text


# Environments ----------------------------------------------------------

def env_full(**values):
    base = {
        "implementation_name": "cpython", "implementation_version": "3.11.7",
        "os_name": "posix", "platform_machine": "x86_64", "platform_release": "6.1.0",
        "platform_system": "Linux", "platform_version": "#1 SMP", "python_full_version": "3.11.7",
        "platform_python_implementation": "CPython", "python_version": "3.11",
        "sys_platform": "linux", "extra": "",
    }
    base.update(values)
    return base


ENVIRONMENTS = {
    "linux-cp311": env_full(),
    "win-cp38-test": env_full(
        implementation_version="3.8.10", os_name="nt", platform_machine="AMD64",
        platform_release="10", platform_system="Windows", platform_version="10.0.19045",
        python_full_version="3.8.10", python_version="3.8", sys_platform="win32", extra="test"),
    "darwin-pypy312-Foo_Bar": env_full(
        implementation_name="pypy", implementation_version="7.3.15", platform_machine="arm64",
        platform_release="23.1.0", platform_system="Darwin", platform_version="Darwin Kernel",
        python_full_version="3.12.1", python_version="3.12", sys_platform="darwin",
        platform_python_implementation="PyPy", extra="Foo_Bar"),
    "linux-cp313rc-cuda": env_full(
        implementation_version="3.13.0rc1", python_full_version="3.13.0rc1",
        python_version="3.13", platform_machine="aarch64", platform_release="5.15.0", extra="CUDA"),
}


# An environment without some variables: atlas's --env file replaces
# the default environment whole, which packaging's evaluate_prepared
# (26.4 and later) does too; evaluate() would fill the gaps from the
# running interpreter.  Only used where evaluate_prepared exists.
PARTIAL_ENVIRONMENT = {
    key: value for key, value in env_full(extra="Test").items()
    if key not in ("platform_release", "implementation_version")
}


def reference_marker(marker_text, env, prepared=False):
    """("value", bool) or ("error", None)."""
    try:
        marker = Marker(marker_text)
    except InvalidMarker:
        return ("error", None)
    try:
        if prepared:
            env = dict(env, extra=canonicalize_name(env["extra"]))
            return ("value", bool(marker.evaluate_prepared(env)))
        return ("value", bool(marker.evaluate(env)))
    except Exception:  # UndefinedComparison, UndefinedEnvironmentName, ...
        return ("error", None)


# ---------------------------------------------------------------------
# Running atlas
# ---------------------------------------------------------------------

class AtlasFailure(Exception):
    pass


def resolve_libtool_wrapper(atlas):
    """In a build tree atlas is libtool's wrapper script, a bash start-up
    per run that would make the thousands of runs here slow: use the
    program behind it, with the library path the wrapper sets."""
    try:
        with open(atlas, "rb") as f:
            head = f.read(4096).decode("utf-8", "replace")
    except OSError:
        return atlas
    if "libtool" not in head:
        return atlas
    real = os.path.join(os.path.dirname(atlas), ".libs", os.path.basename(atlas))
    if not os.access(real, os.X_OK):
        return atlas
    with open(atlas, "rb") as f:
        script = f.read().decode("utf-8", "replace")
    for line in script.splitlines():
        line = line.strip()
        if line.startswith('LD_LIBRARY_PATH="') and ":$LD_LIBRARY_PATH" in line:
            libdir = line[len('LD_LIBRARY_PATH="'):line.index(":$LD_LIBRARY_PATH")]
            old = os.environ.get("LD_LIBRARY_PATH")
            os.environ["LD_LIBRARY_PATH"] = libdir + (":" + old if old else "")
            break
    return real


def run_atlas(atlas, args, stdin=None):
    proc = subprocess.run([atlas] + args, input=stdin, capture_output=True)
    if proc.returncode not in (0, 1):
        raise AtlasFailure("atlas %s exited %d: %s" % (
            " ".join(args[:3]), proc.returncode,
            proc.stderr.decode("utf-8", "replace").strip()[:300]))
    return proc


def json_lines(atlas, args, inputs):
    """Run atlas ARGS -- INPUT... in batches; one JSON object per input."""
    out = []
    for start in range(0, len(inputs), BATCH):
        chunk = inputs[start:start + BATCH]
        proc = run_atlas(atlas, args + ["--"] + chunk)
        lines = proc.stdout.decode("utf-8", "replace").splitlines()
        if len(lines) != len(chunk):
            raise AtlasFailure("atlas %s printed %d lines for %d inputs (exit %d): %s" % (
                " ".join(args), len(lines), len(chunk), proc.returncode,
                proc.stderr.decode("utf-8", "replace").strip()[:300]))
        out.extend(json.loads(line) for line in lines)
    return out


# ---------------------------------------------------------------------
# Bookkeeping
# ---------------------------------------------------------------------

# How many cases each deliberate difference excused in this run.
EXCUSED = {}


class Category:
    def __init__(self, name):
        self.name = name
        self.cases = 0
        self.agree = 0
        self.excused = 0
        self.disagreements = []
        self.failure = None
        self.seconds = 0.0

    def record(self, case, expected, got, raw=None):
        self.cases += 1
        if expected == got:
            self.agree += 1
            return
        for entry in DELIBERATE_DIFFERENCES:
            if self.name in entry[0] and entry[3](case if raw is None else raw):
                self.excused += 1
                EXCUSED[entry[1]] = EXCUSED.get(entry[1], 0) + 1
                return
        self.disagreements.append((case, expected, got))


def show(value):
    return json.dumps(value, ensure_ascii=False)


def error_free(answer):
    """An atlas answer with the error message dropped: only its fact counts."""
    return "error" if "error" in answer else answer


# ---------------------------------------------------------------------
# The categories
# ---------------------------------------------------------------------

def check_versions(atlas, rng, cat):
    inputs = list(FIXED_VERSIONS)
    inputs += [gen_version(rng, big=True) for _ in range(4500)]
    inputs += [gen_invalid_version(rng) for _ in range(2500)]
    inputs = [s for s in inputs if "\x00" not in s]  # argv cannot hold NUL
    answers = json_lines(atlas, ["version", "normalize", "--format=json"], inputs)
    for text, answer in zip(inputs, answers):
        try:
            expected = {"input": text, "normalized": str(Version(text))}
        except InvalidVersion:
            expected = "error"
        cat.record(text, expected, error_free(answer))


def check_sort(atlas, rng, cat):
    pool_plain = []
    for _ in range(40):
        # Clusters of spellings of nearby versions make ties and near-ties
        # likely, which is where an ordering goes wrong.
        stem = gen_release(rng)
        for _ in range(rng.randint(3, 8)):
            text = rng.choice(["", "v", "0!"]) + stem + rng.choice(["", ".0", ".0.0"])
            for part in (gen_pre, gen_post, gen_dev, gen_local):
                if rng.random() < 0.3:
                    text += part(rng)
            pool_plain.append(text)
    for round_no in range(30):
        versions = [gen_version(rng, spaces=False, big=True) for _ in range(160)]
        versions += rng.sample(pool_plain, 60)
        versions = [v for v in versions if _valid(v)]
        rng.shuffle(versions)
        expected = sorted(versions, key=Version)
        proc = run_atlas(atlas, ["version", "sort"], ("\n".join(versions) + "\n").encode())
        got = proc.stdout.decode("utf-8", "replace").splitlines()
        if got == expected:
            cat.cases += len(versions)
            cat.agree += len(versions)
            continue
        # Count each position as a case; report the first few that differ.
        for i, want in enumerate(expected):
            have = got[i] if i < len(got) else None
            cat.record("list %d, position %d (around %s)" % (round_no, i, show(expected[max(0, i - 1):i + 2])),
                       want, have)


def _valid(text):
    try:
        Version(text)
        return True
    except InvalidVersion:
        return False


COMPARE_PAIRS = [
    ("1.0", "1.0.0"), ("1.0", "1.0+local"), ("1.0+abc", "1.0+ABC"), ("1.0+1", "1.0+01"),
    ("1.0+abc.1", "1.0+abc.2"), ("1.0+1", "1.0+abc"), ("1.0+abc", "1.0+abc.0"),
    ("1.0a1", "1.0"), ("1.0.dev1", "1.0a1"), ("1.0a1.dev1", "1.0a1"), ("1.0.post1.dev1", "1.0.post1"),
    ("1.0.post1.dev1", "1.0"), ("1!0.1", "2.0"), ("1.0rc1", "1.0c1"), ("1.0-1", "1.0.post1"),
    ("1.0a", "1.0a0"), ("v1.0", "1.0"), ("1.0.post", "1.0.post0"), ("1.0", "1.0.post0.dev0"),
    ("18446744073709551616", "18446744073709551615"), ("1.0+1.a", "1.0+1.1"),
    ("1.0+ubuntu-1", "1.0+ubuntu.1"), ("1.0+a_b", "1.0+a.b"), ("0!1.0", "1.0"),
]


def check_compare(atlas, rng, cat):
    pairs = list(COMPARE_PAIRS)
    for _ in range(300):
        a = gen_version(rng, spaces=False)
        b = mutate(rng, a) if rng.random() < 0.5 else gen_version(rng, spaces=False)
        if _valid(a) and _valid(b):
            pairs.append((a, b))
    for a, b in pairs:
        va, vb = Version(a), Version(b)
        expected = "<" if va < vb else ">" if va > vb else "="
        # No "--": version compare takes exactly two arguments, and a
        # valid version never starts with "-".
        proc = run_atlas(atlas, ["version", "compare", a, b])
        cat.record("%s vs %s" % (show(a), show(b)), expected, proc.stdout.decode().strip())


def check_specs(atlas, rng, cat_match, cat_parse):
    fixed_versions = dict(FIXED_SPEC_VERSIONS)
    specs = [spec for spec, _ in FIXED_SPEC_VERSIONS] + list(FIXED_SPECS)
    specs += [gen_spec(rng) for _ in range(420)]
    specs += [mutate(rng, gen_spec(rng)) for _ in range(160)]
    for spec_text in specs:
        try:
            spec_set = SpecifierSet(spec_text)
        except InvalidSpecifier:
            spec_set = None
        if spec_set is None:
            proc = run_atlas(atlas, ["spec", "match", "--format=json", "--", spec_text])
            lines = proc.stdout.decode("utf-8", "replace").splitlines()
            got = "error" if lines and "error" in json.loads(lines[0]) else "accepted"
            cat_parse.record(spec_text, "error", got)
            continue
        if spec_text in fixed_versions:
            versions = fixed_versions.pop(spec_text)
        else:
            versions = versions_near(rng, spec_text)
            if any(c.operator == "===" for c in spec_set):
                versions = versions[:4]
        if not versions:
            continue
        for mode in ("default", "yes", "no"):
            args = ["spec", "match", "--format=json"]
            if mode != "default":
                args.append("--prereleases=" + mode)
            proc = run_atlas(atlas, args + ["--", spec_text] + versions)
            lines = proc.stdout.decode("utf-8", "replace").splitlines()
            answers = [json.loads(line) for line in lines]
            refused = len(answers) == 1 and "input" in answers[0] and "error" in answers[0]
            if mode == "default":
                cat_parse.record(spec_text, "accepted", "error" if refused else "accepted")
            if refused:
                break
            if len(answers) != len(versions):
                raise AtlasFailure("spec match %r printed %d lines for %d versions" % (
                    spec_text, len(answers), len(versions)))
            for version, answer in zip(versions, answers):
                expected = reference_contains(spec_set, version, mode)
                got = answer.get("match", "error")
                cat_match.record("%s contains %s (prereleases=%s)" % (show(spec_text), show(version), mode),
                                 expected, got)


def reference_requirement(text):
    try:
        req = Requirement(text)
    except InvalidRequirement:
        return "error"
    return {
        "input": text,
        "name": req.name,
        "canonical_name": canonicalize_name(req.name),
        "extras": sorted(req.extras),
        "specifier": str(req.specifier),
        "url": req.url or None,
        "marker": str(req.marker) if req.marker is not None else None,
    }


def check_requirements(atlas, rng, cat, cat_format):
    inputs = list(FIXED_REQS)
    inputs += [gen_requirement(rng) for _ in range(4000)]
    inputs += [mutate(rng, gen_requirement(rng)) for _ in range(1500)]
    inputs = [s for s in inputs if "\x00" not in s]
    answers = json_lines(atlas, ["req", "parse", "--format=json"], inputs)
    both_accept = []
    for text, answer in zip(inputs, answers):
        expected = reference_requirement(text)
        if expected != "error" and "error" not in answer:
            both_accept.append(text)
        cat.record(show(text), expected, error_free(answer), raw=text)
    # The text form is atlas_req_format, which must be str(Requirement).
    # Only inputs both sides accept: a refusal is counted above already.
    for start in range(0, len(both_accept), BATCH):
        chunk = both_accept[start:start + BATCH]
        proc = run_atlas(atlas, ["req", "parse", "--"] + chunk)
        lines = proc.stdout.decode("utf-8", "replace").split("\n")[:-1]
        if len(lines) != len(chunk):
            raise AtlasFailure("req parse printed %d lines for %d requirements" % (
                len(lines), len(chunk)))
        for text, line in zip(chunk, lines):
            cat_format.record(text, str(Requirement(text)), line)


def gen_marker_26(rng):
    """Comparisons whose answer changed in packaging 26: ordering of
    strings that are not versions (now false for "<" and ">", equality for
    "<=" and ">="), and version operators on a value that is no version."""
    var = rng.choice(MARKER_VARIABLES)
    op = rng.choice(["<", "<=", ">", ">=", "~=", "==="])
    if var in VERSION_VARIABLES:
        value = rng.choice(["abc", "3.11-x", "", "3.*.1", "linux", "3..11"])
    else:
        value = rng.choice(STRING_VALUES[var])
    marker = "%s %s '%s'" % (var, op, value)
    if rng.random() < 0.3:
        marker = "'%s' %s %s" % (value, op, var)
    if rng.random() < 0.3:
        marker += rng.choice([" and ", " or "]) + gen_marker_atom(rng)
    return marker


def check_markers(atlas, rng, cat, workdir):
    markers = list(FIXED_MARKERS)
    markers += [gen_marker(rng) for _ in range(1600)]
    markers += [mutate(rng, gen_marker(rng)) for _ in range(300)]
    if PACKAGING_MAJOR >= 26:
        # A generator of its own, so the rest of the corpus is the same
        # with every packaging release.
        rng26 = random.Random(rng.random())
        markers += [gen_marker_26(rng26) for _ in range(300)]
    markers = [m for m in markers if "\x00" not in m]
    environments = [(name, env, False) for name, env in ENVIRONMENTS.items()]
    if hasattr(Marker, "evaluate_prepared"):
        environments.append(("partial", PARTIAL_ENVIRONMENT, True))
    for env_name, env, prepared in environments:
        path = os.path.join(workdir, env_name + ".json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(env, f)
        answers = json_lines(atlas, ["marker", "eval", "--format=json", "--env=" + path], markers)
        for text, answer in zip(markers, answers):
            kind, value = reference_marker(text, env, prepared)
            expected = value if kind == "value" else "error"
            got = answer["value"] if "value" in answer else "error"
            cat.record("%s in %s" % (show(text), env_name), expected, got, raw=text)


# ---------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("atlas", help="the atlas program")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--show", type=int, default=5, help="examples shown per category")
    args = parser.parse_args()

    # packaging's ast.literal_eval of "\q" and the like warns; the
    # answer, not the warning, is what is compared.
    warnings.simplefilter("ignore")
    started = time.monotonic()
    args.atlas = resolve_libtool_wrapper(args.atlas)
    rng = random.Random(args.seed)
    names = ["version-normalize", "version-sort", "version-compare", "spec-parse",
             "spec-match", "req-parse", "req-format", "marker-eval"]
    cats = {name: Category(name) for name in names}
    with tempfile.TemporaryDirectory(prefix="atlas-diff.") as workdir:
        steps = [
            (["version-normalize"], lambda: check_versions(args.atlas, rng, cats["version-normalize"])),
            (["version-sort"], lambda: check_sort(args.atlas, rng, cats["version-sort"])),
            (["version-compare"], lambda: check_compare(args.atlas, rng, cats["version-compare"])),
            (["spec-match", "spec-parse"], lambda: check_specs(args.atlas, rng, cats["spec-match"], cats["spec-parse"])),
            (["req-parse", "req-format"], lambda: check_requirements(args.atlas, rng, cats["req-parse"], cats["req-format"])),
            (["marker-eval"], lambda: check_markers(args.atlas, rng, cats["marker-eval"], workdir)),
        ]
        for owned, step in steps:
            step_started = time.monotonic()
            try:
                step()
            except (AtlasFailure, OSError, ValueError) as e:
                # One broken command must not hide the others' results.
                for name in owned:
                    cats[name].failure = str(e)
            cats[owned[0]].seconds = time.monotonic() - step_started

    total_cases = total_bad = 0
    failed = False
    print("%-18s %8s %8s %8s %8s %7s" % ("category", "cases", "agree", "differ", "excused", "secs"))
    for cat in cats.values():
        differ = len(cat.disagreements)
        total_cases += cat.cases
        total_bad += differ
        print("%-18s %8d %8d %8d %8d %7s%s" % (
            cat.name, cat.cases, cat.agree, differ, cat.excused,
            "%.1f" % cat.seconds if cat.seconds else "", "   ABORTED" if cat.failure else ""))
    for description, count in EXCUSED.items():
        print("excused %d case(s): %s" % (count, description))
    for cat in cats.values():
        if cat.failure:
            failed = True
            print("\n%s: aborted: %s" % (cat.name, cat.failure))
        if not cat.disagreements:
            continue
        failed = True
        print("\n%s: %d disagreement(s); first %d:" % (cat.name, len(cat.disagreements),
                                                      min(args.show, len(cat.disagreements))))
        for case, expected, got in cat.disagreements[:args.show]:
            print("  input:     %s" % show(case))
            print("  packaging: %s" % show(expected))
            print("  atlas:     %s" % show(got))
    print("\n%d cases, %d disagreements, seed %d, packaging %s, %.1f s" % (
        total_cases, total_bad, args.seed, packaging.__version__, time.monotonic() - started))
    if PACKAGING_MAJOR < 26:
        print("note: packaging < 26: the default pre-release mode was compared with"
              " prereleases=True (packaging 26's answer)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
