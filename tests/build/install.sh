#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make install` installs the modules where modprobe finds them, with their
# aliases (staged under a temporary root), ahead of a kernel's own nova
# modules of the same names, and DKMS builds and installs them
# from dkms.conf (for the newest 6.12 kernel; removed again afterwards).
#
#   tests/build/install.sh [--no-dkms]
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
rel=$(make -s --no-print-directory -C "$TOP" KVER=6.12 print-kver)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
fail=0

# A kernel's own nova as modules of our names (CONFIG_NOVA_CORE=m,
# CONFIG_DRM_NOVA=m), staged where the kernel's packages put them: another
# module's file under each name stands in for them.
intree=$stage/lib/modules/$rel/kernel/drivers/gpu
mkdir -p "$intree/nova-core" "$intree/drm/nova"
vgem=$(find "/lib/modules/$rel/kernel" -name 'vgem.ko*' | head -n1)
ext=${vgem##*/vgem.ko}
cp "$vgem" "$intree/nova-core/nova_core.ko$ext"
cp "$vgem" "$intree/drm/nova/nova_drm.ko$ext"
make -C "$TOP" KVER=6.12 INSTALL_MOD_PATH="$stage" install > "$stage/log" 2>&1 ||
	{ tail -20 "$stage/log"; exit 1; }
# Ours are under updates/, which depmod ranks before the kernel's own: the
# name resolves to them, for modprobe and for the aliases.
for m in nova_core nova_drm; do
	path=$(modinfo -b "$stage" -k "$rel" -n "$m" 2>/dev/null)
	if [ "${path#"$stage"/lib/modules/"$rel"/updates/}" != "$path" ] &&
		modinfo -b "$stage" -k "$rel" -F description "$m" | grep -q '(C++)$'; then
		echo "ok - make install: $m resolves to ours (updates/) beside the kernel's $m"
	else
		echo "not ok - make install: $m resolves to $path, not to updates/"
		fail=1
	fi
done
for m in kcxx nova_core nova_drm; do
	if ! find "$stage/lib/modules/$rel" -name "$m.ko*" | grep -q .; then
		echo "not ok - make install: $m.ko not installed"
		fail=1
	fi
done
for m in kcxx_smoke nova_foreign_aux; do
	if find "$stage/lib/modules/$rel" -name "$m.ko*" | grep -q .; then
		echo "not ok - make install: the test module $m.ko is installed"
		fail=1
	else
		echo "ok - make install: the test module $m.ko is not installed"
	fi
done
aliases=$stage/lib/modules/$rel/modules.alias
if grep -q 'alias pci:v000010DEd\*sv\*sd\*bc03sc00i00\* nova_core' "$aliases" &&
	grep -q 'alias auxiliary:nova_core.nova-drm nova_drm' "$aliases"; then
	echo "ok - make install: modules and their aliases (modprobe autoloads them)"
else
	echo "not ok - make install: aliases missing from modules.alias"
	fail=1
fi

# A kernel with the kernel's nova built in: its modules always win, so
# nothing is built for it (a kernel dir of 6.12's files, but its .config).
hdr=$(make -s --no-print-directory -C "$TOP" KVER=6.12 print-kdir)
fake=$stage/builtin-kdir
mkdir -p "$fake"
for e in "$hdr"/* "$hdr"/.[!.]*; do
	[ "${e##*/}" = .config ] || ln -s "$e" "$fake/${e##*/}"
done
{ grep -v '^CONFIG_NOVA_CORE=' "$hdr/.config"; echo CONFIG_NOVA_CORE=y; } > "$fake/.config"
if ! make -C "$TOP" KVER="$rel" KDIR="$fake" modules > "$stage/builtin" 2>&1 &&
	grep -q "has the kernel's nova built in (CONFIG_NOVA_CORE=y)" "$stage/builtin"; then
	echo "ok - a kernel with nova built in: no build, and why"
else
	tail -5 "$stage/builtin"
	echo "not ok - a kernel with nova built in was built for"
	fail=1
fi

[ "${1:-}" = "--no-dkms" ] && exit $fail
command -v dkms > /dev/null || { echo "not ok - dkms not installed"; exit 1; }
if [ "$(id -u)" -ne 0 ]; then
	echo "ok - dkms skipped: not root"
	exit $fail
fi
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$TOP/dkms.conf")
src=/usr/src/nova-cxx-$ver
dkms remove -m nova-cxx -v "$ver" --all > /dev/null 2>&1
rm -rf "$src"
# A copy, as a release tarball would give; the build tree is not part of it.
rsync -a --exclude build --exclude .git "$TOP"/ "$src"/
if dkms add -m nova-cxx -v "$ver" > "$stage/dkms" 2>&1 &&
	dkms build -m nova-cxx -v "$ver" -k "$rel" >> "$stage/dkms" 2>&1 &&
	dkms install -m nova-cxx -v "$ver" -k "$rel" >> "$stage/dkms" 2>&1 &&
	modinfo -k "$rel" nova_drm | grep -q 'alias: *auxiliary:nova_core.nova-drm'; then
	echo "ok - dkms add/build/install: modprobe finds nova_drm for $rel"
else
	tail -30 "$stage/dkms"
	echo "not ok - dkms add/build/install"
	fail=1
fi
dkms remove -m nova-cxx -v "$ver" --all > /dev/null 2>&1
rm -rf "$src"
depmod -a "$rel"
exit $fail
