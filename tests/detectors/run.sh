#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The debug kernel's detectors are live: a planted use-after-free in a C++
# module must make the VM run fail with a KASAN report.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
make -C "$TOP" KVER=debug KCXX_PLANT_BUGS=1 modules || exit 1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$TOP/tools/vm" run --kernel debug --log "$log" --quiet -- 'modprobe kcxx_uaf; true'
rc=$?
make -s -C "$TOP" KVER=debug forget-test-modules
if [ $rc -eq 0 ]; then
	echo "FAIL: the run passed; the use-after-free went unnoticed"
	exit 1
fi
if ! grep -q 'BUG: KASAN: .*use-after-free' "$log"; then
	echo "FAIL: the run failed, but without a KASAN use-after-free report"
	exit 1
fi
grep -m1 'BUG: KASAN' "$log"
echo "PASS: KASAN caught the planted use-after-free"
