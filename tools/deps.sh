#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages this project needs. Idempotent: when every
# package is present it only runs dpkg-query and returns.
#
#   tools/deps.sh            install what is missing (root)
#   tools/deps.sh --print    list the packages, install nothing
#
# Then (as root, and as long as everything installed) the 7.3 kernel's
# trixie build root, once: tools/trixie-root/build.sh.
set -euo pipefail

# The newest 6.12 kernel of the bookworm-security line that has both an image
# and headers, in the standard and in the PREEMPT_RT flavour of the same
# 6.12.N (6.12.N+deb12-amd64 and 6.12.N+deb12-rt-amd64); overridable so a
# pinned version can be used (NOVA_K612=6.12.N+deb12-amd64: the RT kernel
# is the same N's).
K612=${NOVA_K612:-}

# The PREEMPT_RT release of a standard 6.12 release.
rt_of() {
	echo "${1%-amd64}-rt-amd64"
}

base_pkgs=(
	build-essential g++-12 gcc-12 make bc flex bison kmod cpio xz-utils zstd
	libelf-dev libssl-dev dwarves python3 rsync clang-format
	qemu-system-x86 busybox-static
	libdrm-dev libdrm-tests drm-info pkg-config gnuplot-nox
	dkms linux-source-6.12 mmdebstrap
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

# The kernel packages of one standard 6.12 release and of its RT twin.
kernel_pkgs() {
	local rt
	rt=$(rt_of "$1")
	echo "linux-image-$1 linux-headers-$1 linux-image-$rt linux-headers-$rt"
}

if [ "${1:-}" = "--print" ]; then
	printf '%s\n' "${base_pkgs[@]}" \
		"linux-image-6.12.N+deb12-amd64" "linux-headers-6.12.N+deb12-amd64" \
		"linux-image-6.12.N+deb12-rt-amd64" "linux-headers-6.12.N+deb12-rt-amd64"
	exit 0
fi

# Then, as root, the 7.3 kernel's trixie build root and VM kernel, made
# once and cached (tools/trixie-root/build.sh; NOVA_TRIXIE_ROOT=0 skips it).
# Only KVER=7.3 and what runs it (make check, make bench KVER=7.3) need it,
# and `make KVER=7.3` makes it itself when missing: a failure here is
# reported, not fatal to the other kernels' builds.
trixie_root() {
	[ "${NOVA_TRIXIE_ROOT:-1}" != 0 ] && [ "$(id -u)" -eq 0 ] || return 0
	"$(dirname "$0")/trixie-root/build.sh" > /dev/null ||
		echo "deps: the 7.3 build root could not be made; KVER=7.3 and make check need it" >&2
}
trap 'if [ $? -eq 0 ]; then trixie_root; fi' EXIT

if [ -z "$K612" ]; then
	have=$(installed_612)
	# shellcheck disable=SC2046 # one word per package
	if [ -n "$have" ] && have_all "${base_pkgs[@]}" $(kernel_pkgs "$have"); then
		exit 0
	fi
else
	# shellcheck disable=SC2046
	if have_all "${base_pkgs[@]}" $(kernel_pkgs "$K612"); then
		exit 0
	fi
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages; run as root:" >&2
	echo "  sudo $0" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
if [ -z "$K612" ]; then
	# The newest 6.12.N whose standard and RT headers are both in the
	# archive (the RT build of a new N can lag behind the standard one).
	K612=$(comm -12 \
		<(apt-cache search --names-only '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' |
			awk '{print $1}' | sed 's/^linux-headers-//' | sort) \
		<(apt-cache search --names-only '^linux-headers-6\.12\.[0-9]+\+deb12-rt-amd64$' |
			awk '{print $1}' | sed 's/^linux-headers-//; s/-rt-amd64$/-amd64/' | sort) |
		sort -V | tail -1)
	[ -n "$K612" ] || { echo "deps: no 6.12 kernel found in the archive" >&2; exit 1; }
fi
# shellcheck disable=SC2046
apt-get install -y -q --no-install-recommends "${base_pkgs[@]}" $(kernel_pkgs "$K612")
