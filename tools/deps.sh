#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages this project needs. Idempotent: when every
# package is present it only runs dpkg-query and returns.
#
#   tools/deps.sh            install what is missing (root)
#   tools/deps.sh --print    list the packages, install nothing
set -euo pipefail

# The newest 6.12 kernel of the bookworm-security line that has both an image
# and headers; overridable so a pinned version can be used.
K612=${NOVA_K612:-}

base_pkgs=(
	build-essential g++-12 gcc-12 make bc flex bison kmod cpio xz-utils zstd
	libelf-dev libssl-dev dwarves python3 rsync clang-format
	qemu-system-x86 busybox-static
	libdrm-dev libdrm-tests drm-info pkg-config gnuplot-nox
	dkms linux-source-6.12
	linux-image-amd64 linux-headers-amd64
)

have_all() {
	local missing
	missing=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "$@" 2>/dev/null |
		awk '$1 != "ii" {print $2}')
	local n
	n=$(dpkg-query -W -f='${Package}\n' "$@" 2>/dev/null | wc -l)
	[ -z "$missing" ] && [ "$n" -eq "$#" ]
}

installed_612() {
	dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' 'linux-headers-6.12.*+deb12-amd64' 2>/dev/null |
		awk '$1 == "ii" {print $2}' | sed 's/^linux-headers-//' | sort -V | tail -1
}

if [ "${1:-}" = "--print" ]; then
	printf '%s\n' "${base_pkgs[@]}" "linux-image-6.12.N+deb12-amd64" "linux-headers-6.12.N+deb12-amd64"
	exit 0
fi

if [ -z "$K612" ] && have_all "${base_pkgs[@]}" && [ -n "$(installed_612)" ]; then
	exit 0
fi
if [ -n "$K612" ] && have_all "${base_pkgs[@]}" "linux-image-$K612" "linux-headers-$K612"; then
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages; run as root:" >&2
	echo "  sudo $0" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
if [ -z "$K612" ]; then
	K612=$(apt-cache search --names-only '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' |
		awk '{print $1}' | sed 's/^linux-headers-//' | sort -V | tail -1)
	[ -n "$K612" ] || { echo "deps: no 6.12 kernel found in the archive" >&2; exit 1; }
fi
apt-get install -y -q --no-install-recommends "${base_pkgs[@]}" \
	"linux-image-$K612" "linux-headers-$K612"
