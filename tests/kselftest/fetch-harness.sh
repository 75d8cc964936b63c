#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Extract the kselftest harness (kselftest_harness.h, kselftest.h, lib.mk and
# the runner scripts) from the kernel source tarball into a build directory.
# Nothing of it is committed: it is taken from the installed kernel source at
# build time.
#
# Takes the output directory OUTDIR as its only argument and prints the
# directory that holds lib.mk (OUTDIR/<source>-<version>/selftests). The
# version is the Debian package version of the tarball when dpkg knows it,
# else the tarball's size and mtime, so a new kernel source gives a new
# directory and an unchanged one is extracted only once.
#
# KSFT_SOURCE_TARBALL overrides the tarball
# (default /usr/src/linux-source-6.12.tar.xz).

set -eu

out=${1:?give the output directory}
tarball=${KSFT_SOURCE_TARBALL:-/usr/src/linux-source-6.12.tar.xz}

if [ ! -r "$tarball" ]; then
	echo "fetch-harness: $tarball not found; install linux-source-6.12" >&2
	exit 1
fi

version=$(dpkg-query -S "$tarball" 2>/dev/null | cut -d: -f1 | head -n1)
if [ -n "$version" ]; then
	version=$(dpkg-query -W -f='${Version}' "$version" 2>/dev/null || true)
fi
if [ -z "$version" ]; then
	version=$(stat -c '%s-%Y' "$tarball")
fi
# Keep the directory name free of characters make or the shell treat
# specially ('~' in Debian versions, for one).
version=$(printf '%s' "$version" | tr -c 'A-Za-z0-9.+_-' '_')

dest=$out/$(basename "$tarball" .tar.xz)-$version
sel=$dest/selftests
if [ -f "$dest/.complete" ]; then
	echo "$sel"
	exit 0
fi

# The tarball's top directory is linux-source-6.12/; find it from the first
# entry rather than assume it.
top=$(tar -tJf "$tarball" | head -n1 | cut -d/ -f1)
st=$top/tools/testing/selftests

tmp=$dest.tmp.$$
rm -rf "$tmp"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

tar -xJf "$tarball" -C "$tmp" \
	"$st/lib.mk" \
	"$st/kselftest.h" \
	"$st/kselftest_harness.h" \
	"$st/run_kselftest.sh" \
	"$st/kselftest"

rm -rf "$dest"
mkdir -p "$dest"
mv "$tmp/$st" "$sel"
echo "$tarball $version" > "$dest/.complete"
echo "$sel"
