#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Make (once) and cache the build root and the VM kernel of the 7.3 line:
# Debian trixie with g++-14, the compiler Debian built its 7.3 kernels
# with, and linux-headers-7.3.N+deb13-amd64 from trixie-backports; beside
# it the kernel image and its modules, extracted from Debian's packages
# (nothing is installed on the host). See Documentation/kernel-7.rst.
#
#   tools/trixie-root/build.sh          make it unless one is cached; the
#                                       last line of stdout is its directory
#   tools/trixie-root/build.sh --dir    print the newest complete directory,
#                                       else exit 1 (never makes one)
#   tools/trixie-root/build.sh --new    make the newest release's even if an
#                                       older one is cached
#
# The release is the newest 7.3.N+deb13-amd64 whose headers, kernel image
# and modules all have candidates in trixie-backports (NOVA_K73=7.3.N+deb13-amd64
# pins one). Cache directory, keyed on the release:
#   ${NOVA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nova-cxx}/trixie-root/<release>/
#     root/            the trixie tree: g++-14, make, dwarves, kmod, the headers
#                      (/usr/src/linux-headers-<release>)
#     kernel/vmlinuz   the kernel image
#     kernel/lib/modules/<release>/   its modules, with modules.dep
#     kernelrelease    the release string
#     build.log        mmdebstrap's and the extraction's output
#     seconds          how long making it took
#     .done            written last (the recipe's number); a directory
#                      without it is never used
#
# Needs root (mmdebstrap's root mode) or unprivileged user namespaces
# (its unshare mode), mmdebstrap (bookworm's package) and the network to
# Debian's archive (the mirror tools/apt-archive uses).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
cache_root=${NOVA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nova-cxx}/trixie-root
suites=('trixie main' 'trixie-backports main')
# Written into .done; a directory made by another recipe is made again.
recipe=2

msg() { echo "trixie-root: $*" >&2; }
die() { msg "error: $*"; exit 1; }

mode=build
case ${1:-} in
"") ;;
--dir) mode=dir ;;
--new) mode=new ;;
-h | --help) sed -n '4,/^set /{/^set /!s/^# \{0,1\}//p}' "$0"; exit 0 ;;
*) die "unknown argument: $1" ;;
esac

# The newest complete directory (of the pinned release, if one is pinned).
newest_done() {
	local d best=
	for d in "$cache_root"/${NOVA_K73:-7.3.*+deb13-amd64}; do
		[ "$(cat "$d/.done" 2>/dev/null)" = "$recipe" ] && best=$(printf '%s\n%s\n' "$best" "$d" | sed '/^$/d' | sort -V | tail -1)
	done
	[ -n "$best" ] && echo "$best"
}

if [ "$mode" != new ] && d=$(newest_done); then
	echo "$d"
	exit 0
fi
[ "$mode" = dir ] && exit 1

command -v mmdebstrap > /dev/null || die "no mmdebstrap (tools/deps.sh installs it)"
archive() { "$top/tools/apt-archive" trixie "${suites[@]}" -- "$@"; }

rel=${NOVA_K73:-}
if [ -z "$rel" ]; then
	names() { archive apt-cache search --names-only "^linux-$1-7\\.3\\.[0-9]+\\+deb13-amd64\$" |
		awk '{print $1}' | sed "s/^linux-$1-//" | sort; }
	rel=$(comm -12 <(names headers) <(comm -12 <(names binary) <(names modules)) | sort -V | tail -1)
	[ -n "$rel" ] || die "no 7.3 kernel with headers, image and modules in trixie-backports"
fi
dir=$cache_root/$rel
[ "$(cat "$dir/.done" 2>/dev/null)" = "$recipe" ] && { echo "$dir"; exit 0; }

msg "making $dir (a few minutes)"
t0=$SECONDS
rm -rf "$dir"
mkdir -p "$dir/kernel"
log=$dir/build.log
mirror=$("$top/tools/apt-archive" trixie "${suites[@]}" -- apt-cache policy 2>/dev/null |
	awk '$2 ~ /^[a-z]+:\/\// {print $2; exit}')
[ -n "$mirror" ] || die "cannot tell the mirror (tools/apt-archive trixie)"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

# The compiler is the one CONFIG_CC_VERSION_TEXT names (the headers depend
# on it); g++ of the same version for the C++ objects, dwarves for BTF,
# kmod for depmod on the extracted modules.
pkgs=g++-14,make,dwarves,kmod,xz-utils,zstd,linux-headers-$rel
if ! mmdebstrap --variant=apt --keyring="$keyring" --include="$pkgs" \
	--aptopt='APT::Install-Recommends "false"' trixie "$dir/root" \
	"deb $mirror trixie main" "deb $mirror trixie-backports main" >> "$log" 2>&1; then
	tail -n 20 "$log" >&2
	die "mmdebstrap failed (log: $log)"
fi

# The kernel image, its modules and their lists (modules.builtin, .order,
# in linux-base-<release>): downloaded and unpacked, not installed.
debs=$dir/debs
mkdir -p "$debs"
(cd "$debs" && archive apt-get download "linux-binary-$rel" "linux-modules-$rel" \
	"linux-base-$rel") >> "$log" 2>&1 ||
	die "cannot download linux-binary-$rel, linux-modules-$rel and linux-base-$rel (log: $log)"
for deb in "$debs"/*.deb; do
	dpkg-deb -x "$deb" "$dir/kernel"
done
rm -rf "$debs"
# The packages ship the image as /usr/lib/modules/<release>/vmlinuz (or
# /boot/vmlinuz-<release>) and the modules in /usr/lib/modules/<release>:
# put them where the VM runner looks.
img=$(find "$dir/kernel" \( -name "vmlinuz-$rel" -o -path "*/modules/$rel/vmlinuz" \) -print -quit)
[ -n "$img" ] || die "no vmlinuz-$rel in linux-binary-$rel"
mv "$img" "$dir/kernel/vmlinuz"
moddir=$(find "$dir/kernel" -type d -path "*/lib/modules/$rel" -print -quit)
[ -n "$moddir" ] || die "no lib/modules/$rel in linux-modules-$rel"
if [ "$moddir" != "$dir/kernel/lib/modules/$rel" ]; then
	mkdir -p "$dir/kernel/lib/modules"
	mv "$moddir" "$dir/kernel/lib/modules/$rel"
fi
# depmod of the kernel's own kmod (its modules' compression included).
(cd / && "$here/run" --bind "$dir/kernel" "$dir/root" depmod -b "$dir/kernel" "$rel") >> "$log" 2>&1 ||
	die "depmod of the 7.3 modules failed (log: $log)"
[ -s "$dir/kernel/lib/modules/$rel/modules.dep" ] || die "no modules.dep made"

echo "$rel" > "$dir/kernelrelease"
echo $((SECONDS - t0)) > "$dir/seconds"
echo "$recipe" > "$dir/.done"
msg "made in $((SECONDS - t0)) s"
echo "$dir"
