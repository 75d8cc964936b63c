#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What the seeded fuzzers' run.sh have in common (tests/vbios-fuzz,
# tests/fw-fuzz): build the modules for the debug kernel, boot it
# (tools/vm), load the fuzzer module with the seed and the count (loading
# runs it), and assert its result line: every input parsed or refused
# cleanly, none hung, none insane, no allocation failure. tools/vm fails
# the run on any KASAN, UBSAN, lockdep, WARN or oops report.
#
#   tests/lib/fuzz-in-vm.sh NAME MODULE UNIT [count] [seed]
#
# NAME names the log directory (build/NAME) and the messages, MODULE the
# module, UNIT the result line's count field ("images", "files"). count
# defaults to 10000; seed to one derived from the time, printed first so
# that a failing run can be repeated exactly. NOVA_FUZZ_HANG_MS sets the
# bound over which one parse counts as hung (default 5000).
# NOVA_KUNIT_MODULES: a directory of prebuilt debug-kernel modules (skips
# the build). See Documentation/testing-kunit.rst.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
name=${1:?name}
module=${2:?module}
unit=${3:?unit}
shift 3
count=${1:-10000}
seed=${2:-$(( $(date +%s%N) % 4294967296 ))}
hang_ms=${NOVA_FUZZ_HANG_MS:-5000}
case "$count$seed$hang_ms" in
*[!0-9]*) echo "usage: tests/$name/run.sh [count] [seed] (decimal numbers)"; exit 2 ;;
esac
logdir=$TOP/build/$name
mkdir -p "$logdir"
log=$logdir/console.log
echo "$name: seed $seed count $count hang_ms $hang_ms"

# shellcheck source=../lib/debug-modules.sh
. "$TOP/tests/lib/debug-modules.sh"
if ! debug_modules "$name" "$logdir"; then
	exit 1
fi

guest="modprobe $module seed=$seed count=$count hang_ms=$hang_ms; \
dmesg | grep '$module: seed' | sed 's/^.*$module: /@fuzz@ /'; \
rmmod $module 2>/dev/null; true"

# TCG with KASAN: about a millisecond an input; the VM's own limit grows with count.
timeout=$(( 900 + count / 50 ))
start=$(date +%s)
out=$("$TOP/tools/vm" run --kernel debug "${modules[@]}" --log "$log" --quiet \
	--timeout "$timeout" -- "$guest" 2>"$logdir/vm.err")
vm_rc=$?
elapsed=$(( $(date +%s) - start ))

line=$(printf '%s\n' "$out" | grep '^@fuzz@ ' | tail -n 1 | sed 's/^@fuzz@ //')
echo "$name: ${line:-no result line} (${elapsed}s with boot)"
rc=0
if [ -z "$line" ]; then
	echo "not ok - the fuzzer printed no result (log: $log)"
	rc=1
else
	field() { printf '%s\n' "$line" | sed -n "s/.* $1 \([0-9]*\).*/\1/p"; }
	done_count=$(field "$unit")
	if [ "$(printf '%s\n' "$line" | sed -n 's/^seed \([0-9]*\) .*/\1/p')" != "$seed" ] ||
	   [ "$done_count" != "$count" ]; then
		echo "not ok - the run did not complete: $done_count of $count $unit"
		rc=1
	fi
	for bad in hung insane nomem; do
		if [ "$(field $bad)" != 0 ]; then
			echo "not ok - $(field $bad) of the $unit $bad (seed $seed)"
			rc=1
		fi
	done
fi
if [ $vm_rc -ne 0 ]; then
	echo "not ok - vm run (status $vm_rc: a kernel report or a failed command; log: $log)"
	sed 's/^/# /' "$logdir/vm.err"
	rc=1
fi
[ $rc -eq 0 ] && echo "ok - $count $unit from seed $seed: none hung, no kernel report"
exit $rc
