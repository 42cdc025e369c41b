#!/usr/bin/env python3
"""bake.py - write a docker buildx bake file (JSON) for the tier x
materials matrix ('make bake').

One target per variant (tier0 ... tier2-materials), each with its build
arguments, its tags from `atlas tags --all --format=json`, its labels
from `atlas labels --format=json`, and a registry build cache of its own
(REPO:buildcache-VARIANT).  Tags and labels are computed by atlas, as
for `make image`, so the two never disagree; this script only arranges
them.  The file is written whole or not at all.

Git is asked in SRCDIR for the commit and an exact v* tag;
ATLAS_NIGHTLY_DATE makes nightly tags; the labels' `created` is
SOURCE_DATE_EPOCH, else the commit time, else the time of VERSION.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

TIERS = (0, 1, 2)
# The Dockerfile's default runtime base, used when configure chose
# auto or local: a remote builder cannot see a locally built base.
DEFAULT_BASE_IMAGE = "python:3.11-slim-bookworm"


class BakeError(Exception):
    pass


def variant_name(tier, materials):
    return "tier%d%s" % (tier, "-materials" if materials else "")


def run_atlas(atlas, args):
    proc = subprocess.run([atlas] + args, capture_output=True, text=True)
    if proc.returncode != 0:
        raise BakeError("atlas %s failed (exit %d): %s"
                        % (" ".join(args[:1]), proc.returncode, proc.stderr.strip()))
    return proc.stdout


def git(srcdir, *args):
    try:
        proc = subprocess.run(["git", "-C", srcdir] + list(args),
                              capture_output=True, text=True)
    except OSError:
        return ""
    return proc.stdout.strip() if proc.returncode == 0 else ""


def source_facts(srcdir, version_file):
    """The commit, the exact release tag and the creation time."""
    sha = git(srcdir, "rev-parse", "--verify", "-q", "HEAD^{commit}")
    tag = ""
    created = os.environ.get("SOURCE_DATE_EPOCH", "")
    if sha:
        tag = git(srcdir, "describe", "--exact-match", "--tags", "--match", "v[0-9]*", "HEAD")
        if not created:
            created = git(srcdir, "log", "-1", "--format=%ct")
    if not created:
        # A tarball: the time of VERSION is fixed in it, the clock is not.
        created = str(int(os.stat(version_file).st_mtime))
    return sha, tag, created


def tags_by_variant(opts, sha, tag):
    args = ["tags", "--all", "--format=json", "--repo=" + opts.repo,
            "--version-file=" + opts.version_file]
    if sha:
        args.append("--git-sha=" + sha)
    if tag:
        args.append("--git-tag=" + tag)
    nightly = os.environ.get("ATLAS_NIGHTLY_DATE", "")
    if nightly:
        args.append("--nightly=" + nightly)
    tags = {variant_name(t, m): [] for t in TIERS for m in (False, True)}
    for line in run_atlas(opts.atlas, args).splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        if entry["variant"] not in tags:
            raise BakeError("atlas tags named an unknown variant %r" % entry["variant"])
        tags[entry["variant"]].append(entry["ref"])
    return tags


def labels_of(opts, tier, materials, sha, created, base):
    args = ["labels", "--format=json", "--tier=%d" % tier,
            "--version-file=" + opts.version_file,
            "--source-date-epoch=" + created,
            "--requirements-dir=" + opts.requirements_dir,
            "--base-name=" + base]
    if materials:
        args.append("--materials")
    if sha:
        args.append("--git-sha=" + sha)
    if opts.hashed == "1":
        args.append("--locked")
    return json.loads(run_atlas(opts.atlas, args))


def bake_document(opts):
    with open(opts.version_file, encoding="utf-8") as f:
        version = f.read().strip()
    sha, tag, created = source_facts(opts.srcdir, opts.version_file)
    tags = tags_by_variant(opts, sha, tag)
    base = opts.base_image if opts.base_image not in ("auto", "local") else DEFAULT_BASE_IMAGE

    targets = {}
    for tier in TIERS:
        for materials in (False, True):
            name = variant_name(tier, materials)
            if not tags[name]:
                raise BakeError("atlas tags gave no tag for %s" % name)
            cache = "type=registry,ref=%s:buildcache-%s" % (opts.repo, name)
            targets[name] = {
                "context": opts.context,
                "dockerfile": opts.dockerfile,
                "target": "runtime",
                # As in make image: the installs take the wheelhouse only.
                "network": "none",
                "args": {
                    "VERSION": version,
                    "BUILD_TIER": str(tier),
                    "ENABLE_MATERIALS": "1" if materials else "0",
                    "SMOKE_BASE_IMAGE": opts.smoke_base_image,
                    "USE_HASHED_REQUIREMENTS": opts.hashed,
                    "BASE_IMAGE": base,
                },
                "tags": tags[name],
                "labels": labels_of(opts, tier, materials, sha, created, base),
                "cache-from": [cache],
                "cache-to": [cache + ",mode=max"],
            }
    return {
        "group": {"default": {"targets": list(targets)}},
        "target": targets,
    }


def write_whole(path, text):
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".bake-", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--atlas", required=True, help="the atlas program")
    parser.add_argument("--srcdir", required=True)
    parser.add_argument("--repo", required=True, help="image repository")
    parser.add_argument("--version-file", required=True)
    parser.add_argument("--requirements-dir", required=True)
    parser.add_argument("--hashed", choices=("0", "1"), required=True,
                        help="USE_HASHED_REQUIREMENTS")
    parser.add_argument("--base-image", required=True,
                        help="runtime base (auto and local mean the upstream default)")
    parser.add_argument("--smoke-base-image", required=True)
    parser.add_argument("--context", required=True, help="the build context directory")
    parser.add_argument("--dockerfile", required=True)
    parser.add_argument("--output", required=True)
    opts = parser.parse_args()
    try:
        document = bake_document(opts)
        write_whole(opts.output, json.dumps(document, indent=2, sort_keys=False) + "\n")
    except (BakeError, OSError, ValueError, KeyError) as e:
        print("bake: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
