#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the modules and the nova kselftests on the host, then run the
# kselftests in a VM (tools/vm) whose GPUs are models (tools/gpu-model,
# Documentation/gpu-model.rst).
#
# Arguments: [KERNEL] [-- RUN_KSELFTEST_ARGS...]. KERNEL is 6.12 (default),
# 6.12-rt, 6.1, 7.3 or debug, as for tools/vm. Environment:
# NOVA_KSFT_GPUS (default 4) model GPUs, NOVA_KSFT_CHIP (default ad102),
# NOVA_KSFT_TIMEOUT seconds for the whole guest run, NOVA_KSFT_MODULES a
# directory of prebuilt modules (skips the module build),
# NOVA_STRESS_SECONDS the stress test's duration, and NOVA_FUZZ_SEED,
# NOVA_FUZZ_CALLS, NOVA_FUZZ_SECONDS and NOVA_FUZZ_THREADS for the
# ioctl_fuzz test (passed to the guest); NOVA_GSP_FAULTS=0 skips gsp_boot's
# engine-fault cases, NOVA_GSP_REBINDS=first rebinds only its first GPU ten
# times, the others once, and NOVA_GSP_REBINDS=once every GPU once (both
# passed to the guest).
# NOVA_KSFT_FIRMWARE: the guest's /lib/firmware (tools/vm --firmware; default
# the copy tools/fw-fetch caches, fetched first; none leaves it out).
# NOVA_KSFT_DRIVER nova_twin to test nova-drm's C twin (tests/bench/)
# instead of nova_drm: only the uAPI conformance subset is meant to pass
# against it.
#
# For one test program only, pass "6.12 -- -t nova:ioctl_errors".
set -euo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
kernel=6.12
if [ $# -gt 0 ] && [ "$1" != "--" ]; then
	kernel=$1
	shift
fi
[ "${1:-}" = "--" ] && shift

gpus=${NOVA_KSFT_GPUS:-4}
chip=${NOVA_KSFT_CHIP:-ad102}
if [ "$kernel" = debug ]; then
	timeout=${NOVA_KSFT_TIMEOUT:-4800}
else
	timeout=${NOVA_KSFT_TIMEOUT:-1800}
fi

# The tests' own settings, passed on to the guest when set.
guest_env=()
for v in NOVA_STRESS_SECONDS NOVA_FUZZ_SEED NOVA_FUZZ_CALLS NOVA_FUZZ_SECONDS \
	NOVA_FUZZ_THREADS NOVA_GSP_FAULTS NOVA_GSP_REBINDS; do
	if [ -n "${!v:-}" ]; then
		guest_env+=(--env "$v=${!v}")
	fi
done

modules=()
driver=${NOVA_KSFT_DRIVER:-nova_drm}
if [ -n "${NOVA_KSFT_MODULES:-}" ]; then
	modules=(--modules "$NOVA_KSFT_MODULES")
elif [ "$driver" = nova_twin ]; then
	# The project's modules and the twin, which lives apart from them.
	make -s -C "$TOP" KVER="$kernel" bench-modules
	rel=$(make -s --no-print-directory -C "$TOP" KVER="$kernel" print-kver)
	twin_modules=$(mktemp -d)
	trap 'rm -rf "$twin_modules"' EXIT
	cp "$TOP/build/$rel"/*.ko "$TOP/build/$rel/bench/nova_twin.ko" "$twin_modules/"
	modules=(--modules "$twin_modules")
else
	make -s -C "$TOP" KVER="$kernel" modules
fi
# NVIDIA's firmware files (fetched once into the cache): the firmware
# test's expectations are built from them with the package, and tools/vm
# serves them as the guest's /lib/firmware unless NOVA_KSFT_FIRMWARE says
# otherwise.
cached=$("$TOP/tools/fw-fetch")
firmware=${NOVA_KSFT_FIRMWARE:-$cached}
make -s -C "$TOP/tests/kselftest/nova" package
pkg=$TOP/build/kselftest

# Debian's drm_info (drm-info) and drmdevice (libdrm-tests) for the
# standard_tools test, which looks for them in ../bin next to itself;
# tools/vm copies the shared libraries of every program in the share into
# the guest. tools/deps.sh installs both: a missing one is an error here,
# not a skipped test.
for tool in drm_info drmdevice; do
	if ! path=$(command -v "$tool"); then
		echo "run-in-vm: $tool is not installed (tools/deps.sh)" >&2
		exit 1
	fi
	cp "$path" "$pkg/bin/"
done

log=$TOP/build/kselftest-vm-$kernel${NOVA_KSFT_DRIVER:+-$driver}${NOVA_KSFT_FIRMWARE:+-fw-$(basename "$NOVA_KSFT_FIRMWARE")}.log
errlog=$(mktemp)
trap 'rm -f "$errlog"; rm -rf "${twin_modules:-}"' EXIT
rc=0
"$TOP/tools/vm" run --kernel "$kernel" --gpus "$gpus" --chip "$chip" \
	"${modules[@]}" "${guest_env[@]}" --share "$pkg" --timeout "$timeout" --log "$log" \
	--firmware "$firmware" --env NOVA_DRM_MODULE="$driver" --quiet -- sh ./guest-run.sh "$@" \
	2>"$errlog" || rc=$?
cat "$errlog" >&2
# The GPU models' summaries (Documentation/gpu-model.rst): nova-core never
# writes a register the hardware keeps read-only (BOOT_0, the fuses, the
# PROM window...); the tests' own writes go through the models' test port
# and are not counted there.
if grep -E 'gpu-model .*: summary .* readonly_writes=[1-9]' "$errlog"; then
	echo "run-in-vm: the driver wrote read-only registers of a GPU (the summaries above)" >&2
	rc=1
fi
# Every check a model made of what nova-core gave its engines passed
# (Documentation/gpu-model.rst, "Verdicts"): the model classifies each of
# its verdicts as ok, note or fail, and only a fail fails the run (a
# hostile fault the test port asked for is a note).
bad=$(grep -E 'gpu-model [^ ]+: verdict fail ' "$errlog" || true)
if [ -n "$bad" ]; then
	echo "run-in-vm: a GPU model found something wrong in what nova-core gave it:" >&2
	echo "$bad" >&2
	rc=1
fi
exit $rc
