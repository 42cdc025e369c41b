#!/bin/sh
# base-image.sh - build the local runtime base from Debian bookworm
# packages, the stand-in for python:3.11-slim-bookworm when that image
# cannot be had (no registry, or --with-base-image=local).
#
# Usage: base-image.sh ENGINE IMAGE STAMP
#
# A minbase debootstrap with python3, python3-venv, ca-certificates and
# passwd (useradd), trimmed of apt lists, caches, docs and man pages,
# then imported as IMAGE.  STAMP records the image ID: when the stamp
# and the engine agree, nothing is done, so the base is built once per
# build tree and survives between test runs.  Needs root (debootstrap).
# Environment: DEBIAN_MIRROR (default: the host's first apt mirror),
#              BASE_SUITE (default: bookworm).
set -eu

[ $# -eq 3 ] || { echo "usage: $0 ENGINE IMAGE STAMP" >&2; exit 2; }
engine=$1 image=$2 stamp=$3
suite=${BASE_SUITE:-bookworm}

say() { printf 'base-image: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

packages=python3,python3-venv,ca-certificates,passwd
# What the base is made of: this script, the suite and the packages.  An
# image with the same recipe is adopted, so build trees (and distcheck)
# share one base instead of each building and retagging its own.
recipe=$({ cat "$0"; echo "$suite $packages"; } | sha256sum | cut -c1-16)

current_id=$("$engine" image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
if [ -n "$current_id" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$current_id" ]; then
	say "$image is up to date ($current_id)"
	exit 0
fi
if [ -n "$current_id" ] &&
    [ "$("$engine" image inspect --format '{{index .Config.Labels "io.atlas.base.recipe"}}' "$image")" = "$recipe" ]; then
	mkdir -p "$(dirname "$stamp")"
	echo "$current_id" >"$stamp"
	say "$image is up to date ($current_id, same recipe)"
	exit 0
fi

[ "$(id -u)" -eq 0 ] || die "debootstrap needs root; run 'make base-image' as root, or use --with-base-image=IMAGE"
command -v debootstrap >/dev/null 2>&1 ||
	die "debootstrap is not installed; run build-aux/install-image-tools.sh (or apt-get install debootstrap)"

# The mirror the host already uses: it is known to be reachable.
host_mirror() {
	{
		cat /etc/apt/sources.list.d/*.sources 2>/dev/null | sed -n 's/^URIs:[[:space:]]*//p'
		cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		    sed -n 's/^deb[[:space:]]\{1,\}\(\[[^]]*\][[:space:]]*\)\{0,1\}\([^[:space:]]*\).*/\2/p'
	} | tr ' ' '\n' | grep -v -e security -e '^$' | head -n 1
}
mirror=${DEBIAN_MIRROR:-$(host_mirror)}

work=$(mktemp -d "${TMPDIR:-/tmp}/atlas-base.XXXXXX")
cleanup() {
	# debootstrap may leave proc/sys mounted after a failure.
	for m in proc sys dev/pts dev; do
		umount "$work/root/$m" 2>/dev/null || true
	done
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

say "debootstrap --variant=minbase $suite ${mirror:-(the default mirror of debootstrap)}"
start=$(date +%s)
# shellcheck disable=SC2086 # the mirror is one word or none
debootstrap --variant=minbase \
	--include="$packages" \
	"$suite" "$work/root" $mirror >"$work/debootstrap.log" 2>&1 ||
	{ tail -n 20 "$work/debootstrap.log" >&2; die "debootstrap failed"; }

# What a container never needs: apt's lists and caches, documentation,
# logs, and python bytecode caches that are rebuilt on demand.
root=$work/root
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* \
	"$root"/var/cache/debconf/*-old "$root"/var/lib/dpkg/*-old \
	"$root"/var/log/* "$root"/tmp/* "$root"/root/.cache \
	"$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* \
	"$root"/usr/share/lintian "$root"/usr/share/linda
find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'locale.alias' -exec rm -rf {} +
find "$root/usr/lib/python3" "$root/usr/lib/python3.11" -name __pycache__ -type d -prune -exec rm -rf {} + 2>/dev/null || true
# Keep docs out of later apt installs too, as the slim images do.
mkdir -p "$root/etc/dpkg/dpkg.cfg.d"
printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-exclude /usr/share/man/*' \
	'path-exclude /usr/share/info/*' >"$root/etc/dpkg/dpkg.cfg.d/docker-slim"
# A container's resolv.conf and hostname come from the engine.
: >"$root/etc/resolv.conf"
: >"$root/etc/hostname"

python_version=$(chroot "$root" python3 -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')

tar --numeric-owner --xattrs -C "$root" -c . |
	"$engine" import \
	--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
	--change 'ENV LANG=C.UTF-8' \
	--change 'CMD ["python3"]' \
	--change "LABEL org.opencontainers.image.base.name=debian:$suite-minbase" \
	--change "LABEL io.atlas.base.python=$python_version" \
	--change "LABEL io.atlas.base.recipe=$recipe" \
	--message "atlas local base: debootstrap --variant=minbase $suite + python3 $python_version" \
	- "$image" >/dev/null

new_id=$("$engine" image inspect --format '{{.Id}}' "$image")
mkdir -p "$(dirname "$stamp")"
echo "$new_id" >"$stamp"
size=$("$engine" image inspect --format '{{.Size}}' "$image")
say "built $image ($new_id), python $python_version, $((size / 1000000)) MB, $(($(date +%s) - start)) s"
