#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The seeded firmware fuzzer on the debug kernel: build nova_fw_fuzz.ko,
# boot the debug kernel (tools/vm), load the module with the seed and the
# count (loading runs the fuzzer), and assert its result line: every file
# parsed or refused cleanly, none hung, none insane. tools/vm fails the run
# on any KASAN, UBSAN, lockdep, WARN or oops report.
#
#   tests/fw-fuzz/run.sh [count] [seed]
#
# count defaults to 10000; seed to one derived from the time, printed
# first so that a failing run can be repeated exactly. NOVA_FUZZ_HANG_MS
# sets the bound over which one parse counts as hung (default 5000).
# Environment: NOVA_KUNIT_MODULES, a directory of prebuilt debug-kernel
# modules (skips the build). See Documentation/testing-kunit.rst.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
count=${1:-10000}
seed=${2:-$(( $(date +%s%N) % 4294967296 ))}
hang_ms=${NOVA_FUZZ_HANG_MS:-5000}
case "$count$seed$hang_ms" in
*[!0-9]*) echo "usage: $0 [count] [seed] (decimal numbers)"; exit 2 ;;
esac
logdir=$TOP/build/fw-fuzz
mkdir -p "$logdir"
log=$logdir/console.log
echo "fw-fuzz: seed $seed count $count hang_ms $hang_ms"

modules=()
if [ -n "${NOVA_KUNIT_MODULES:-}" ]; then
	modules=(--modules "$NOVA_KUNIT_MODULES")
elif ! make -C "$TOP" KVER=debug modules > "$logdir/build.log" 2>&1; then
	tail -n 30 "$logdir/build.log"
	echo "fw-fuzz: the debug-kernel build failed (log: $logdir/build.log)"
	exit 1
fi

guest="modprobe nova_fw_fuzz seed=$seed count=$count hang_ms=$hang_ms; \
dmesg | grep 'nova_fw_fuzz: seed' | sed 's/^.*nova_fw_fuzz: /@fuzz@ /'; \
rmmod nova_fw_fuzz 2>/dev/null; true"

# TCG with KASAN: about a millisecond a file; the VM's own limit grows with count.
timeout=$(( 900 + count / 50 ))
start=$(date +%s)
out=$("$TOP/tools/vm" run --kernel debug "${modules[@]}" --log "$log" --quiet \
	--timeout "$timeout" -- "$guest" 2>"$logdir/vm.err")
vm_rc=$?
elapsed=$(( $(date +%s) - start ))

line=$(printf '%s\n' "$out" | grep '^@fuzz@ ' | tail -n 1 | sed 's/^@fuzz@ //')
echo "fw-fuzz: ${line:-no result line} (${elapsed}s with boot)"
rc=0
if [ -z "$line" ]; then
	echo "not ok - the fuzzer printed no result (log: $log)"
	rc=1
else
	field() { printf '%s\n' "$line" | sed -n "s/.* $1 \([0-9]*\).*/\1/p"; }
	files=$(field files)
	if [ "$(printf '%s\n' "$line" | sed -n 's/^seed \([0-9]*\) .*/\1/p')" != "$seed" ] ||
	   [ "$files" != "$count" ]; then
		echo "not ok - the run did not complete: $files of $count files"
		rc=1
	fi
	for bad in hung insane nomem; do
		if [ "$(field $bad)" != 0 ]; then
			echo "not ok - $(field $bad) file(s) $bad (seed $seed)"
			rc=1
		fi
	done
fi
if [ $vm_rc -ne 0 ]; then
	echo "not ok - vm run (status $vm_rc: a kernel report or a failed command; log: $log)"
	sed 's/^/# /' "$logdir/vm.err"
	rc=1
fi
[ $rc -eq 0 ] && echo "ok - $count files from seed $seed: none hung, no kernel report"
exit $rc
