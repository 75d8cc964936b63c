#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (once) and cache the project's debug kernel from Debian's
# linux-source-6.12. See Documentation/debug-kernel.rst.
#
#   tools/debug-kernel/build.sh           build if needed; the last line of
#                                         stdout is the cache directory
#   tools/debug-kernel/build.sh --dir     print the cache directory if it is
#                                         complete, else exit 1 (never builds)
#   tools/debug-kernel/build.sh --clean   discard this key's directory first
#
# Cache directory:
#   ${NOVA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nova-cxx}/debug-kernel/<srcver>-<hash>/
#     bzImage         the kernel
#     build/          O= object tree, usable as KDIR for M= module builds
#     src/            the extracted source tree
#     modules/lib/modules/<kernelrelease>/   modules_install output (plain .ko)
#     kernelrelease   the release string
#     build.log       full build output
#     .done           written last; a directory without it is never used
#
# <hash> covers debug.config, the recipe section of this script and the
# compiler version, so changing any of them selects a new directory.
set -euo pipefail

# The whole script is one brace group, so bash parses all of it before
# running any of it: editing this file during a build cannot derail the build.
{

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
self=$here/$(basename "${BASH_SOURCE[0]}")
fragment=$here/debug.config
src_pkg=linux-source-6.12
tarball=/usr/src/linux-source-6.12.tar.xz
cache_root=${NOVA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nova-cxx}/debug-kernel

mode=build
clean=0
for arg in "$@"; do
	case $arg in
	--dir) mode=dir ;;
	--clean) clean=1 ;;
	-h|--help) sed -n '4,/^set /{/^set /!s/^# \{0,1\}//p}' "$self"; exit 0 ;;
	*) echo "debug-kernel: unknown argument: $arg" >&2; exit 2 ;;
	esac
done

msg() { echo "debug-kernel: $*" >&2; }
explained=0
die() { msg "error: $*"; explained=1; exit 1; }

[ -r "$fragment" ] || die "missing $fragment"
[ -r "$tarball" ] || die "missing $tarball (install $src_pkg: tools/deps.sh)"

# Source version: the Debian package version, made safe for a path.
srcver=$(dpkg-query -W -f='${Version}' "$src_pkg" 2>/dev/null || true)
[ -n "$srcver" ] || srcver=tar-$(stat -c '%s-%Y' "$tarball")
srcver=$(printf '%s' "$srcver" | tr -c 'A-Za-z0-9.+_-' '_')

# Only the recipe section is hashed, so editing comments or the CLI above
# does not force a 15-minute rebuild.
recipe() { sed -n '/^# >>> recipe/,/^# <<< recipe/p' "$self"; }
hash=$({
	cat "$fragment"
	recipe
	gcc --version 2>/dev/null | head -n1
} | sha256sum | cut -c1-12)
dir=$cache_root/$srcver-$hash

if [ "$mode" = dir ]; then
	[ -f "$dir/.done" ] || exit 1
	echo "$dir"
	exit 0
fi

if [ "$clean" = 0 ] && [ -f "$dir/.done" ]; then
	echo "$dir"
	exit 0
fi

mkdir -p "$cache_root"
# One builder per key; a second caller waits, then finds .done.
exec 9>"$cache_root/.$srcver-$hash.lock"
if ! flock -n 9; then
	msg "another build of $dir is running; waiting for it"
	flock 9
fi
if [ "$clean" = 1 ]; then
	msg "removing $dir"
	rm -rf "$dir"
elif [ -f "$dir/.done" ]; then
	echo "$dir"
	exit 0
fi

mkdir -p "$dir"
log=$dir/build.log
jobs=$(nproc)
start=$(date +%s)
: >"$log"

# On any failure from here on (set -e), show the end of the log.
# shellcheck disable=SC2317  # invoked by the trap
on_exit() {
	local rc=$?
	[ "$rc" = 0 ] || [ "$explained" = 1 ] && return
	msg "FAILED (exit $rc); last lines of $log:"
	tail -n 30 "$log" >&2 || true
}
trap on_exit EXIT

# >>> recipe (hashed: any change here selects a new cache directory)

# Run make on the O= tree, output to the log only.
kmake() {
	make -C "$dir/src" O="$dir/build" "$@" >>"$log" 2>&1
}

if [ ! -f "$dir/src/.extracted" ]; then
	msg "extracting $tarball"
	rm -rf "$dir/src"
	mkdir -p "$dir/src"
	tar -xf "$tarball" -C "$dir/src" --strip-components=1
	touch "$dir/src/.extracted"
fi

msg "configuring (x86_64_defconfig + kvm_guest.config + debug.config)"
mkdir -p "$dir/build"
kmake x86_64_defconfig
kmake kvm_guest.config
cp "$fragment" "$dir/build/debug.config"
(cd "$dir/build" && "$dir/src/scripts/kconfig/merge_config.sh" -m -O "$dir/build" \
	"$dir/build/.config" "$dir/build/debug.config") >>"$log" 2>&1
kmake olddefconfig

# Kconfig silently drops options whose dependencies are missing: check the
# result against every option the fragment names.
verify_config() {
	local cfg=$dir/build/.config section=none severity=required
	local line name want got bad=0 warn=0
	while IFS= read -r line; do
		case $line in
		'# @section '*)
			read -r section severity _ <<<"${line#'# @section '}"
			severity=${severity:-required}
			continue ;;
		CONFIG_*=*)
			name=${line%%=*} want=${line#*=} ;;
		'# CONFIG_'*' is not set')
			name=${line#'# '} name=${name%' is not set'} want=n ;;
		*) continue ;;
		esac
		got=$(grep -E "^(# )?${name}[= ]" "$cfg" | head -n1 || true)
		case $got in
		"$name="*) got=${got#*=} ;;
		*) got=n ;;
		esac
		[ "$got" = "$want" ] && continue
		if [ "$severity" = advisory ]; then
			msg "warning: [$section] $name: wanted $want, got $got"
			warn=$((warn + 1))
		else
			msg "config check: [$section] $name: wanted $want, got $got"
			bad=$((bad + 1))
		fi
	done <"$fragment"
	echo "config check: $bad required mismatches, $warn advisory" >>"$log"
	[ "$bad" = 0 ] || die "$bad required option(s) did not stick (see above)"
}
verify_config

msg "building with -j$jobs (about 15 minutes on 2 cores; log: $log)"
nice -n 10 make -C "$dir/src" O="$dir/build" -j"$jobs" all >>"$log" 2>&1
# A full build leaves build/ ready for M= modules (scripts, generated
# headers, Module.symvers); modules_prepare is a no-op check here.
kmake modules_prepare

msg "installing modules"
rm -rf "$dir/modules"
kmake INSTALL_MOD_PATH="$dir/modules" modules_install
release=$(cat "$dir/build/include/config/kernel.release")
[ -d "$dir/modules/lib/modules/$release/kernel" ] ||
	die "modules_install produced no $dir/modules/lib/modules/$release"
cp "$dir/build/arch/x86/boot/bzImage" "$dir/bzImage"
echo "$release" >"$dir/kernelrelease"

# <<< recipe

elapsed=$(($(date +%s) - start))
{
	echo "release=$release"
	echo "srcver=$srcver"
	echo "hash=$hash"
	echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "seconds=$elapsed"
} >"$dir/.done.tmp"
mv "$dir/.done.tmp" "$dir/.done"
msg "done in $((elapsed / 60))m$((elapsed % 60))s: $release"
echo "$dir"
exit 0
}
