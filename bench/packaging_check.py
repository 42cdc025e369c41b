#!/usr/bin/env python3
"""packaging_check.py - the reference checker `atlas req check` is timed against.

usage: packaging_check.py FILE...

The same checks as atlas, written the obvious way on pypa/packaging:
read each pip requirement file (UTF-8 with an optional BOM, CRLF,
backslash continuations, comments, "-r"/"-c" includes followed
relative to the including file, other options and "--hash" skipped),
parse every requirement with packaging.requirements.Requirement, check
that each is pinned with exactly one "==" clause without a wildcard,
and report a name listed twice in one file (for the same marker) or
pinned to different versions in two files.  Prints one diagnostic a
line, "FILE:LINE: error: MESSAGE", and exits 1 when there are any, 2
when a file cannot be read, 0 otherwise.
"""

import os
import re
import sys

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

# pip's own definitions (pip/_internal/req/req_file.py).
COMMENT_RE = re.compile(r"(^|\s+)#.*$")
INCLUDE_OPTIONS = ("-r", "--requirement", "-c", "--constraint")


def logical_lines(text):
    """(first physical line number, logical line) after pip's join_lines
    and ignore_comments."""
    joined = []
    start = None
    for number, line in enumerate(text.splitlines(), 1):
        if start is None:
            start = number
        if not line.endswith("\\") or COMMENT_RE.match(line):
            if COMMENT_RE.match(line):
                # A comment ends a continued line, as in pip.
                line = " " + line
            joined.append(line)
            yield start, "".join(joined)
            joined, start = [], None
        else:
            joined.append(line[:-1])
    if joined:
        yield start, "".join(joined)


def requirement_part(line):
    """The requirement before the first option, as pip's break_args_options."""
    tokens = line.split(" ")
    for i, token in enumerate(tokens):
        if token.startswith("-"):
            return " ".join(tokens[:i])
    return line


class Checker:
    def __init__(self):
        self.problems = []
        self.io_error = False
        self.pins = {}      # canonical name -> (version, file, line)
        self.seen_files = set()

    def report(self, path, line, message):
        self.problems.append("%s:%d: error: %s" % (path, line, message))

    def check_file(self, path, stack=()):
        real = os.path.realpath(path)
        if real in stack:
            self.report(path, 0, "include cycle")
            return
        if real in self.seen_files:
            return
        self.seen_files.add(real)
        try:
            with open(path, "rb") as f:
                text = f.read().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as e:
            self.problems.append("%s: error: %s" % (path, e))
            self.io_error = True
            return
        in_file = {}
        for number, raw in logical_lines(text):
            line = COMMENT_RE.sub("", raw).strip()
            if not line:
                continue
            if line.startswith("-"):
                option, _, value = line.replace("=", " ", 1).partition(" ")
                if option in INCLUDE_OPTIONS and value.strip():
                    include = os.path.join(os.path.dirname(path), value.strip())
                    self.check_file(include, stack + (real,))
                continue
            req_text = requirement_part(line).strip()
            try:
                req = Requirement(req_text)
            except InvalidRequirement as e:
                self.report(path, number, "invalid requirement: %s" % e)
                continue
            specs = list(req.specifier)
            if (req.url or len(specs) != 1 or specs[0].operator != "=="
                    or specs[0].version.endswith(".*")):
                self.report(path, number, "%s is not pinned with ==" % req.name)
                continue
            name = canonicalize_name(req.name)
            key = (name, str(req.marker))
            if key in in_file:
                self.report(path, number, "%s is listed twice (first on line %d)"
                            % (req.name, in_file[key]))
                continue
            in_file[key] = number
            version = specs[0].version
            earlier = self.pins.get(name)
            if earlier is None:
                self.pins[name] = (version, path, number)
            elif earlier[0] != version and req.marker is None:
                self.report(path, number, "%s==%s conflicts with %s==%s at %s:%d"
                            % (req.name, version, name, earlier[0], earlier[1], earlier[2]))


def main(argv):
    if not argv:
        print(__doc__.split("\n\n")[1].strip(), file=sys.stderr)
        return 2
    checker = Checker()
    for path in argv:
        checker.check_file(path)
    for problem in checker.problems:
        print(problem)
    if checker.io_error:
        return 2
    return 1 if checker.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
