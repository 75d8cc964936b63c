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
#   tests/hostile/run.sh [seconds] [first-seed] [max-seeds]
#
# seconds (default 150) bounds the binding; the first seed defaults to one
# derived from the time, printed first so that a failure can be repeated.
# The guest has no firmware files, so that a bind takes about a second and
# a run tries many seeds; NOVA_HOSTILE_FIRMWARE=DIR gives it some
# (tools/vm --firmware). NOVA_KUNIT_MODULES: prebuilt debug-kernel modules
# (tests/lib/debug-modules.sh).
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-150}
seed=${2:-$(( $(date +%s%N) % 4000000000 + 1 ))}
max=${3:-100000}
case "$seconds$seed$max" in
*[!0-9]*) echo "usage: tests/hostile/run.sh [seconds] [first-seed] [max-seeds]"; exit 2 ;;
esac
logdir=$TOP/build/hostile
mkdir -p "$logdir"
log=$logdir/console.log
echo "hostile: first seed $seed, $seconds s"

# shellcheck source=../lib/debug-modules.sh
. "$TOP/tests/lib/debug-modules.sh"
debug_modules hostile "$logdir" || exit 1

share=$(mktemp -d)
trap 'rm -rf "$share"' EXIT
cp "$TOP/tests/hostile/guest.sh" "$share/"
start=$(date +%s)
out=$("$TOP/tools/vm" run --kernel debug "${modules[@]}" --gpus 2 --chip ad102,tu102 \
	--hostile "$seed" --firmware "${NOVA_HOSTILE_FIRMWARE:-none}" --share "$share" --log "$log" --quiet \
	--timeout $((seconds + 900)) -- sh guest.sh "$seconds" "$max" "$seed" 2>"$logdir/vm.err")
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
fi
if [ $vm_rc -ne 0 ]; then
	echo "not ok - vm run (status $vm_rc: a kernel report, a hang or a failed command; log: $log)"
	sed 's/^/# /' "$logdir/vm.err"
	rc=1
fi
[ $rc -eq 0 ] && echo "ok - $(field seeds) hostile seeds from $seed: $(field bound) bound," \
	"$(field refused) refused with a reason, none hung, no kernel report"
exit $rc
