#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Make (once) and cache the QEMU that runs the test VMs: Debian's QEMU from
# trixie-backports, the first Debian build with the vfio-user client
# (-device vfio-user-pci) that attaches the GPU model (tools/gpu-model).
# Bookworm's QEMU 7.2 has no vfio-user. Nothing is installed on the host:
# the packages go into a trixie tree of their own, and tools/qemu-root/qemu
# starts its QEMU through the tree's own loader and libraries.
#
#   tools/qemu-root/build.sh          make it unless one is cached; the last
#                                     line of stdout is its directory
#   tools/qemu-root/build.sh --dir    print the newest complete directory,
#                                     else exit 1 (never makes one)
#
# Cache directory, keyed on the QEMU version:
#   ${NOVA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nova-cxx}/qemu-root/<version>/
#     root/        the trixie tree with qemu-system-x86 and its firmware
#     version      the qemu-system-x86 package version
#     build.log    mmdebstrap's output
#     .done        written last (the recipe's number)
#
# Needs root (mmdebstrap's root mode) or unprivileged user namespaces, and
# Debian's archive through the system's mirror (tools/apt-archive).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
cache_root=${NOVA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nova-cxx}/qemu-root
suites=('trixie main' 'trixie-backports main')
recipe=1

msg() { echo "qemu-root: $*" >&2; }
die() { msg "error: $*"; exit 1; }

mode=build
case ${1:-} in
"") ;;
--dir) mode=dir ;;
-h | --help) sed -n '4,/^set /{/^set /!s/^# \{0,1\}//p}' "$0"; exit 0 ;;
*) die "unknown argument: $1" ;;
esac

newest_done() {
	local d best=
	for d in "$cache_root"/*; do
		[ "$(cat "$d/.done" 2>/dev/null)" = "$recipe" ] &&
			best=$(printf '%s\n%s\n' "$best" "$d" | sed '/^$/d' | sort -V | tail -1)
	done
	[ -n "$best" ] && echo "$best"
}

if d=$(newest_done); then
	echo "$d"
	exit 0
fi
[ "$mode" = dir ] && exit 1

command -v mmdebstrap > /dev/null || die "no mmdebstrap (tools/deps.sh installs it)"
archive() { "$top/tools/apt-archive" trixie "${suites[@]}" -- "$@"; }

# The backports build, which must be 11.1 or later (vfio-user-pci).
version=$(archive apt-cache policy qemu-system-x86 2>/dev/null |
	awk '/^ +[0-9*]/ && !/^ +[0-9]+ / {v = $1 == "***" ? $2 : $1; print v}' |
	sort -V | tail -1)
[ -n "$version" ] || die "no qemu-system-x86 in trixie-backports (tools/apt-archive trixie)"
case $version in
[0-9]:1[1-9].* | 1[1-9].* | [0-9]:[2-9][0-9].*) ;;
*) die "the newest qemu-system-x86 is $version; vfio-user-pci needs 11.1 or later" ;;
esac
dir=$cache_root/${version//:/_}
mirror=$("$top/tools/apt-archive" trixie "${suites[@]}" -- apt-cache policy 2>/dev/null |
	awk '$2 ~ /^[a-z]+:\/\// {print $2; exit}')
[ -n "$mirror" ] || die "cannot tell the mirror (tools/apt-archive trixie)"

msg "making $dir (about a minute)"
t0=$SECONDS
rm -rf "$dir"
mkdir -p "$dir"
log=$dir/build.log
# All four QEMU packages from backports, named with their version: apt
# would otherwise mix backports' qemu-system-x86 with trixie's data.
pkgs=qemu-system-x86=$version,qemu-system-common=$version,qemu-system-data=$version
pkgs=$pkgs,seabios/trixie-backports,ipxe-qemu
if ! mmdebstrap --variant=apt --keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
	--include="$pkgs" --aptopt='APT::Install-Recommends "false"' \
	--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
	trixie "$dir/root" "deb $mirror trixie main" "deb $mirror trixie-backports main" \
	>> "$log" 2>&1; then
	tail -n 20 "$log" >&2
	die "mmdebstrap failed (log: $log)"
fi
echo "$version" > "$dir/version"
"$here/qemu" --root "$dir/root" --version >> "$log" 2>&1 ||
	die "the QEMU of $dir does not start (log: $log)"
echo "$recipe" > "$dir/.done"
msg "made in $((SECONDS - t0)) s"
echo "$dir"
