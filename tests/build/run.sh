#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build-system test: building tests/build/<case>.cpp into a module must fail
# with a message naming that file.
#
#   tests/build/run.sh static_ctor|unresolved [KVER]
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
case=$1
kver=${2:-6.12}
declare -A expect=(
	[static_ctor]='tests/build/static_ctor.cpp: error: static constructor'
	[unresolved]='tests/build/unresolved.cpp: error: unresolved symbols'
)
[ -n "${expect[$case]:-}" ] || { echo "unknown case $case"; exit 2; }

out=$(make -C "$TOP" KVER="$kver" KCXX_BUILD_TEST="$case" modules 2>&1)
rc=$?
# Leave the normal build as it was: no test module behind.
rel=$(make -s --no-print-directory -C "$TOP" KVER="$kver" print-kver)
rm -f "$TOP/build/$rel"/kcxx_buildtest.* "$TOP/build/$rel"/tests/build/*.o
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
