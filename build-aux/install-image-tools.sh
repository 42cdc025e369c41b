#!/bin/sh
# install-image-tools.sh - install what the image pipeline needs on a
# Debian bookworm host: debootstrap (the local base image) and the
# docker-buildx CLI plugin (BuildKit; RUN --mount needs it).
#
# Bookworm has no docker-buildx package, so this one package, and only
# it, is taken from trixie: its Packages index is verified through the
# signed InRelease file against the host's Debian archive keyring, the
# .deb against the index, and then it is installed with dpkg -i.  The
# system is never upgraded and no trixie apt source is added.
#
# Usage: build-aux/install-image-tools.sh        (as root)
# Environment: DEBIAN_MIRROR (default: the host's first apt mirror),
#              BUILDX_SUITE (default: trixie).
set -eu

suite=${BUILDX_SUITE:-trixie}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

say() { printf 'install-image-tools: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (apt-get and dpkg -i)"

# The mirror the host already uses: it is known to be reachable.
host_mirror() {
	{
		cat /etc/apt/sources.list.d/*.sources 2>/dev/null | sed -n 's/^URIs:[[:space:]]*//p'
		cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		    sed -n 's/^deb[[:space:]]\{1,\}\(\[[^]]*\][[:space:]]*\)\{0,1\}\([^[:space:]]*\).*/\2/p'
	} | tr ' ' '\n' | grep -v -e security -e '^$' | head -n 1
}

need_apt=
command -v debootstrap >/dev/null 2>&1 || need_apt="$need_apt debootstrap"
command -v gpgv >/dev/null 2>&1 || need_apt="$need_apt gpgv"
command -v xz >/dev/null 2>&1 || need_apt="$need_apt xz-utils"
command -v curl >/dev/null 2>&1 || need_apt="$need_apt curl"
if [ -n "$need_apt" ]; then
	say "apt-get install$need_apt"
	apt-get update -qq
	# shellcheck disable=SC2086 # a list of package names
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need_apt
fi

if docker buildx version >/dev/null 2>&1; then
	say "docker buildx is already installed: $(docker buildx version)"
	exit 0
fi

mirror=${DEBIAN_MIRROR:-$(host_mirror)}
[ -n "$mirror" ] || die "no Debian mirror found in the apt sources; set DEBIAN_MIRROR"
mirror=${mirror%/}
arch=$(dpkg --print-architecture)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

say "fetching docker-buildx from $suite ($mirror)"
curl -fsSL "$mirror/dists/$suite/InRelease" -o "$work/InRelease"
gpgv --keyring "$keyring" --output "$work/Release" "$work/InRelease" 2>"$work/gpgv.log" ||
	{ cat "$work/gpgv.log" >&2; die "the $suite InRelease signature does not verify"; }

index=main/binary-$arch/Packages.xz
index_sum=$(awk -v f="$index" '/^SHA256:/{s=1; next} /^[^ ]/{s=0} s && $3 == f {print $1}' "$work/Release")
[ -n "$index_sum" ] || die "$index is not listed in the $suite Release file"
curl -fsSL "$mirror/dists/$suite/$index" -o "$work/Packages.xz"
echo "$index_sum  $work/Packages.xz" | sha256sum -c --quiet - || die "$index: checksum mismatch"

xz -dc "$work/Packages.xz" | awk '/^Package: docker-buildx$/{p=1} p && /^$/{exit} p' >"$work/stanza"
deb_path=$(sed -n 's/^Filename: //p' "$work/stanza")
deb_sum=$(sed -n 's/^SHA256: //p' "$work/stanza")
[ -n "$deb_path" ] && [ -n "$deb_sum" ] || die "docker-buildx is not in $suite for $arch"

curl -fsSL "$mirror/$deb_path" -o "$work/docker-buildx.deb"
echo "$deb_sum  $work/docker-buildx.deb" | sha256sum -c --quiet - || die "$deb_path: checksum mismatch"
dpkg -i "$work/docker-buildx.deb"

# A docker CLI installed outside dpkg may not look in /usr/libexec.
if ! docker buildx version >/dev/null 2>&1; then
	mkdir -p /usr/local/lib/docker/cli-plugins
	ln -sf /usr/libexec/docker/cli-plugins/docker-buildx /usr/local/lib/docker/cli-plugins/docker-buildx
fi
docker buildx version >/dev/null 2>&1 || die "docker-buildx is installed but 'docker buildx' does not work"
say "installed: $(docker buildx version)"
