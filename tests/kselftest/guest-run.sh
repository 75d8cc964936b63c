#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the VM, from the packaged kselftest tree (build/kselftest/,
# shared read-only): loads the driver once, so that tests do not load and
# unload it around each case, then runs every nova kselftest through the
# kernel's own runner. Arguments go to run_kselftest.sh.
#
# Exits non-zero when a test failed or no test ran, and ends with the line
# "kselftest-nova: N passed, N failed, N skipped" over the test cases.

here=$(cd "$(dirname "$0")" && pwd)
log=/tmp/kselftest-nova.log

# The runner writes to /dev/stdout, which only udev or mdev's rules create;
# without the link the output would land in a regular file of that name.
for fd in 0:stdin 1:stdout 2:stderr; do
	[ -e "/dev/${fd#*:}" ] || ln -s "/proc/self/fd/${fd%%:*}" "/dev/${fd#*:}"
done
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd

# The runner calls "/usr/bin/timeout --foreground", which busybox's timeout
# does not know; the package carries coreutils' timeout for that.
if ! /usr/bin/timeout --foreground 5 true 2>/dev/null &&
   [ -x "$here/bin/timeout" ]; then
	rm -f /usr/bin/timeout
	cp "$here/bin/timeout" /usr/bin/timeout
fi

# NOVA_DRM_MODULE=nova_twin runs the tests against nova-drm's C twin: loaded
# first, it binds each GPU's nova-drm device as nova_core registers it,
# before hotplug has loaded nova_drm (which then finds nothing to bind).
drm=${NOVA_DRM_MODULE:-nova_drm}
if [ "$drm" != nova_drm ] && ! modprobe "$drm"; then
	echo "kselftest-nova: cannot load $drm" >&2
	exit 1
fi
# nova_core binds the model GPUs (tools/gpu-model) by its PCI table.
if ! modprobe nova_core; then
	echo "kselftest-nova: cannot load nova_core" >&2
	exit 1
fi
if [ "$drm" = nova_drm ]; then
	modprobe nova_drm || echo "kselftest-nova: cannot load nova_drm" >&2
fi

# How many of the given paths exist (an unmatched glob stays literal).
count() {
	n=0
	for f in "$@"; do
		[ -e "$f" ] && n=$((n + 1))
	done
	echo "$n"
}

# One render node per bound GPU, or give up after 10 s.
gpus=$(count /sys/bus/pci/drivers/nova_core/*:*)
i=0
while [ "$(count /dev/dri/renderD*)" -lt "$gpus" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
echo "kselftest-nova: $gpus GPU(s) bound to nova_core, their DRM devices to" \
	"$(ls /sys/bus/auxiliary/drivers/$drm | grep -c nova-drm) x $drm;" /dev/dri/*

cd "$here" || exit 1
./run_kselftest.sh "$@" 2>&1 | tee "$log"

# The runner prefixes each program's own TAP with "# ".
passed=$(grep -c -E '^# ok [0-9]+ ' "$log")
skipped=$(grep -c -E '^# ok [0-9]+ .*# SKIP' "$log")
failed=$(grep -c -E '^# not ok [0-9]+ ' "$log")
programs_failed=$(grep -c -E '^not ok [0-9]+ selftests: ' "$log")
passed=$((passed - skipped))
# Every NVIDIA GPU of the test VM is a model: a case that skipped because
# its GPU has no test port hides a broken model, and counts as failed.
notmodel=$(grep -c -E '^# ok [0-9]+ .*# SKIP .*not a model GPU' "$log")
if [ "$notmodel" -gt 0 ]; then
	echo "kselftest-nova: $notmodel case(s) found no test port on a GPU" \
		"of the VM (PORT_ID, Documentation/gpu-model.rst)" >&2
	skipped=$((skipped - notmodel))
	failed=$((failed + notmodel))
fi
echo "kselftest-nova: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$programs_failed" -eq 0 ] &&
	[ $((passed + skipped)) -gt 0 ]
