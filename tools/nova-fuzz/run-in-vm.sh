#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the modules and nova-fuzz on the host, boot a VM with GPU models
# (tools/vm, tools/gpu-model), load the driver as the kselftests do
# (modprobe nova_core, then nova_drm) and run nova-fuzz there. tools/vm
# fails the run on any kernel report.
#
# Arguments: [KERNEL] [-- NOVA_FUZZ_ARGS...]; KERNEL is 6.12 (default), 6.1
# or debug. Environment: NOVA_FUZZ_GPUS (default 2), NOVA_FUZZ_TIMEOUT
# (seconds for the whole guest run, default 3600), NOVA_FUZZ_MODULES (a
# directory of prebuilt modules).
#
#   tools/nova-fuzz/run-in-vm.sh debug -- -n 1000000 -t 36000 -j 4
set -euo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
kernel=6.12
if [ $# -gt 0 ] && [ "$1" != "--" ]; then
	kernel=$1
	shift
fi
[ "${1:-}" = "--" ] && shift

modules=()
if [ -n "${NOVA_FUZZ_MODULES:-}" ]; then
	modules=(--modules "$NOVA_FUZZ_MODULES")
else
	make -s -C "$TOP" KVER="$kernel" modules
fi
make -s -C "$TOP/tools/nova-fuzz"

# The guest's command: load the driver, wait for every GPU's render node.
cmd='modprobe nova_core && modprobe nova_drm || exit 1
n=$(ls -d /sys/bus/pci/drivers/nova_core/*:* | wc -l); i=0
while [ "$(ls /dev/dri/renderD* 2>/dev/null | wc -l)" -lt "$n" ] && [ $i -lt 100 ]; do
	sleep 0.1; i=$((i + 1))
done
exec ./nova-fuzz'
for a in "$@"; do
	cmd+=" $(printf '%q' "$a")"
done

exec "$TOP/tools/vm" run --kernel "$kernel" --gpus "${NOVA_FUZZ_GPUS:-2}" \
	"${modules[@]}" --share "$TOP/build/nova-fuzz" \
	--timeout "${NOVA_FUZZ_TIMEOUT:-3600}" \
	--log "$TOP/build/nova-fuzz-vm-$kernel.log" --quiet -- "$cmd"
