#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The guest's half of `make bench` (tools/bench), run from the share: two
# GPU models (tools/gpu-model), nova_drm bound to one and its C twin
# (nova_twin) to the other, and vgem. Runs nova-bench twice with the GPUs'
# drivers swapped in between, so that neither driver keeps the GPU that was
# bound first, and the scale figures once at the end.
#
#   guest.sh CALLS ROUNDS OBJECTS FILES BUCKETS
set -u
calls=$1 rounds=$2 objects=$3 files=$4 buckets=$5
aux=/sys/bus/auxiliary

fail() {
	echo "bench-guest: $*" >&2
	exit 1
}

# Up to 10 s for a condition to hold.
wait_for() {
	i=0
	while ! eval "$1"; do
		i=$((i + 1))
		[ $i -gt 100 ] && return 1
		sleep 0.1
	done
}


# nova_drm first: nova_core's devices then bind to it, not to the twin,
# whichever module hotplug loads when.
modprobe nova_drm || fail "modprobe nova_drm"
modprobe nova_twin || fail "modprobe nova_twin"
modprobe nova_core || fail "modprobe nova_core"
modprobe vgem || fail "modprobe vgem"
wait_for '[ $(ls -d $aux/drivers/nova_drm/nova_core.nova-drm.* 2>/dev/null | wc -l) -eq 2 ]' ||
	fail "nova_drm did not bind both GPUs"

set -- $(cd $aux/devices && ls -d nova_core.nova-drm.* | sort)
dev_a=$1 dev_b=$2

# The render node of the GPU an auxiliary device belongs to.
render_of() {
	pci=$(readlink -f $aux/devices/$1/..)
	wait_for "ls $pci/drm 2>/dev/null | grep -q renderD" || fail "no render node for $1"
	echo /dev/dri/$(ls $pci/drm | grep renderD)
}

# Move auxiliary device $1 from driver $2 to driver $3.
rebind() {
	echo "$1" > $aux/drivers/$2/unbind || fail "unbind $1 from $2"
	echo "$1" > $aux/drivers/$3/bind || fail "bind $1 to $3"
	wait_for "[ -e $aux/drivers/$3/$1 ]" || fail "$1 not bound to $3"
}

vgem_node() {
	for n in /sys/class/drm/$1*; do
		case "$(readlink -f $n/device)" in
		*/vgem) echo /dev/dri/$(basename $n); return ;;
		esac
	done
	fail "no vgem $1 node"
}
vgem=vgem=$(vgem_node card),$(vgem_node renderD)

echo "bench-guest: kernel $(uname -r)"
half=$(((rounds + 1) / 2))

rebind $dev_b nova_drm nova_twin
echo "bench-guest: nova_drm on $dev_a, nova_twin on $dev_b"
./nova-bench -n "$calls" -r "$half" \
	nova=$(render_of $dev_a) twin=$(render_of $dev_b) $vgem || exit 1

rebind $dev_a nova_drm nova_twin
rebind $dev_b nova_twin nova_drm
echo "bench-guest: nova_drm on $dev_b, nova_twin on $dev_a"
./nova-bench -n "$calls" -r $((rounds - half)) -s "$objects" -f "$files" -b "$buckets" \
	nova=$(render_of $dev_b) twin=$(render_of $dev_a) $vgem || exit 1
echo "bench-guest: done"
