#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A hostile GPU on the debug kernel: two GPU models whose BAR0 reads lie
# (all-ones as after a surprise removal, 0xbadf.... priv errors, flipped
# bits, a drifting BOOT_0, a PROM whose bytes change between reads; the
# model's --hostile mode, Documentation/gpu-model.rst), bound seed after
# seed in one boot (tests/hostile/guest.sh). Every bind must end bound or
# refused with one line of nova_core's saying why, none may hang, and the
# VM must show no kernel report and no leak (kmemleak).
#
#   tests/hostile/run.sh [--engines] [seconds] [first-seed] [max-seeds]
#
# seconds (default 150) bounds the binding; the first seed defaults to one
# derived from the time, printed first so that a failure can be repeated.
# The guest has no firmware files, so that a bind takes about a second and
# a run tries many seeds; NOVA_HOSTILE_FIRMWARE=DIR gives it some
# (tools/vm --firmware). NOVA_KUNIT_MODULES: prebuilt debug-kernel modules
# (tests/lib/debug-modules.sh).
#
# --engines: the hostile-engine run. The guest has NVIDIA's firmware files
# (tools/fw-fetch's copy) and two GPUs, an AD102 (FWSEC-FRTS and Booter)
# and a GH100 (the FSP), so every bind boots the GSP; each seed also
# chooses one of the model's engine faults (0 to 26; 11 to 20 GSP-RM's, 21
# to 26 the FSP's and the FMC's) for the bind, and one seed in four its lying
# registers besides. Every bind must end bound or refused with a reason,
# nova/gsp must read a documented state (running, failed at a named step
# with an errno, not run), and a seed without fault or lies must boot the
# GSP; each unbind unloads it (tests/hostile/guest.sh).
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
mode=registers
if [ "${1:-}" = --engines ]; then
	mode=engines
	shift
fi
seconds=${1:-150}
seed=${2:-$(( $(date +%s%N) % 4000000000 + 1 ))}
max=${3:-100000}
case "$seconds$seed$max" in
*[!0-9]*) echo "usage: tests/hostile/run.sh [--engines] [seconds] [first-seed] [max-seeds]"; exit 2 ;;
esac
chips=ad102,tu102
firmware=${NOVA_HOSTILE_FIRMWARE:-none}
logdir=$TOP/build/hostile
if [ $mode = engines ]; then
	chips=ad102,gh100
	firmware=${NOVA_HOSTILE_FIRMWARE:-$("$TOP/tools/fw-fetch")} || exit 1
	logdir=$TOP/build/hostile-engines
fi
mkdir -p "$logdir"
log=$logdir/console.log
echo "hostile: $mode, first seed $seed, $seconds s"

# shellcheck source=../lib/debug-modules.sh
. "$TOP/tests/lib/debug-modules.sh"
debug_modules hostile "$logdir" || exit 1

share=$(mktemp -d)
trap 'rm -rf "$share"' EXIT
cp "$TOP/tests/hostile/guest.sh" "$share/"
start=$(date +%s)
out=$("$TOP/tools/vm" run --kernel debug "${modules[@]}" --gpus 2 --chip $chips \
	--hostile "$seed" --firmware "$firmware" --share "$share" --log "$log" --quiet \
	--timeout $((seconds + 900)) -- sh guest.sh "$seconds" "$max" "$seed" $mode 2>"$logdir/vm.err")
vm_rc=$?
elapsed=$(( $(date +%s) - start ))
printf '%s\n' "$out" | grep -v '^@hostile@'
line=$(printf '%s\n' "$out" | grep '^@hostile@ ' | tail -n 1 | sed 's/^@hostile@ //')
echo "hostile: ${line:-no result line} (${elapsed}s with boot)"
rc=0
field() { printf '%s\n' "$line" | sed -n "s/.*$1 \([0-9]*\).*/\1/p"; }
if [ -z "$line" ]; then
	echo "not ok - no result line (log: $log)"
	rc=1
elif [ "$(field seeds)" -lt 1 ] || [ "$(field silent)" != 0 ]; then
	echo "not ok - $(field silent) refusals without a reason of $(field seeds) seeds"
	rc=1
elif [ $mode = engines ] && { [ "$(field badstate)" != 0 ] || [ "$(field cleanfailed)" != 0 ]; }; then
	echo "not ok - $(field badstate) undocumented nova/gsp states, $(field cleanfailed) clean seeds" \
		"without a running GSP"
	rc=1
fi
if [ $vm_rc -ne 0 ]; then
	echo "not ok - vm run (status $vm_rc: a kernel report, a hang or a failed command; log: $log)"
	sed 's/^/# /' "$logdir/vm.err"
	rc=1
fi
[ $rc -eq 0 ] && [ $mode = registers ] && echo "ok - $(field seeds) hostile seeds from $seed:" \
	"$(field bound) bound, $(field refused) refused with a reason, none hung, no kernel report"
[ $rc -eq 0 ] && [ $mode = engines ] && echo "ok - $(field seeds) hostile-engine seeds from $seed:" \
	"$(field bound) bound ($(field running) with the GSP running, $(field gspfailed) with a" \
	"named failed step), $(field refused) refused with a reason, none hung, no kernel report"
exit $rc
