#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build-system test: building tests/build/<case>.cpp into a module must fail
# with a message naming that file.
#
#   tests/build/run.sh static_ctor|unresolved [KVER]
#   tests/build/run.sh one_line_driver [KVER]     (must build, with its alias)
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
case=$1
kver=${2:-6.12}
declare -A expect=(
	[static_ctor]='tests/build/static_ctor.cpp: error: static constructor'
	[unresolved]='tests/build/unresolved.cpp: error: unresolved symbols'
)
if [ "$case" = one_line_driver ]; then
	make -C "$TOP" KVER="$kver" KCXX_BUILD_TEST="$case" modules > /dev/null 2>&1
	rc=$?
	rel=$(make -s --no-print-directory -C "$TOP" KVER="$kver" print-kver)
	info=$(modinfo "$TOP/build/$rel/kcxx_buildtest.ko" 2>&1)
	make -s -C "$TOP" KVER="$kver" forget-test-modules
	echo "$info" | grep -E 'alias|depends|license'
	if [ $rc -ne 0 ] || ! echo "$info" | grep -q 'alias: *pci:v00001234d0000ABCDsv\*sd\*bc\*sc\*i\*'; then
		echo "FAIL: the one-line driver did not build with its modalias"
		exit 1
	fi
	echo "PASS: one-line PCI driver module builds with its modalias"
	exit 0
fi
[ -n "${expect[$case]:-}" ] || { echo "unknown case $case"; exit 2; }

out=$(make -C "$TOP" KVER="$kver" KCXX_BUILD_TEST="$case" modules 2>&1)
rc=$?
# Leave the normal build as it was: no test module behind.
make -s -C "$TOP" KVER="$kver" forget-test-modules
echo "$out" | grep -E 'error' | head -20
if [ $rc -eq 0 ]; then
	echo "FAIL: the build of $case succeeded"
	exit 1
fi
if ! echo "$out" | grep -q -F "${expect[$case]}"; then
	echo "FAIL: the build failed without naming the file: expected '${expect[$case]}'"
	exit 1
fi
echo "PASS: $case refused: ${expect[$case]}"
