#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the initramfs built by tools/vm. Runs the command in /etc/vm/cmd,
# reports its status with a marker line the host looks for, then powers off.
# Settings come from /etc/vm/env, written by the host.

export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tmpfs tmpfs /tmp

. /etc/vm/env

# Neither Debian kernel has CONFIG_UEVENT_HELPER, so /proc/sys/kernel/hotplug
# does not exist: listen on the uevent netlink socket instead. The rule in
# /etc/mdev.conf loads the driver for every new device's MODALIAS, which is
# how an auxiliary device registered by one module pulls in its driver.
mdev -d

if [ -n "$VM_SHARE" ]; then
	# On 6.1 virtio-pci is a module and nothing has probed the 9p device yet.
	modprobe -q virtio_pci
	modprobe 9pnet_virtio && modprobe 9p &&
		mkdir -p /mnt/share &&
		mount -t 9p -o "trans=virtio,version=9p2000.L,msize=262144,$VM_SHARE" \
			share /mnt/share ||
		echo "vm-init: cannot mount the 9p share" >&2
fi

if [ "$VM_FIRMWARE" = 1 ]; then
	# The host's firmware directory (tools/vm --firmware), where the
	# kernel's firmware loader looks first. It does not change while the
	# VM runs, so the guest's page cache may keep what it read
	# (cache=loose): a bind reads the 64 MB GSP ELF from memory, not over
	# 9p again.
	modprobe -q virtio_pci
	modprobe 9pnet_virtio && modprobe 9p &&
		mkdir -p /lib/firmware &&
		mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,ro,cache=loose \
			firmware /lib/firmware ||
		echo "vm-init: cannot mount the firmware share" >&2
fi

kmemleak=/sys/kernel/debug/kmemleak
if [ "$VM_KMEMLEAK" = 1 ] && [ -w $kmemleak ]; then
	# Only leaks from the command should count: forget what boot left behind.
	echo scan=off >$kmemleak
	echo scan >$kmemleak
	echo clear >$kmemleak
fi

if [ -d /mnt/share ]; then cd /mnt/share; else cd /tmp; fi

echo "@@VM-CMD-BEGIN@@"
if [ "$VM_INTERACTIVE" = 1 ]; then
	# A controlling tty makes ^C and job control work.
	setsid cttyhack sh -c "$(cat /etc/vm/cmd)"
else
	sh -c "$(cat /etc/vm/cmd)" </dev/null
fi
status=$?
# The host finds the marker anywhere in a line: output without a final
# newline stays as it was.
echo "@@VM-EXIT@@ $status"

if [ "$VM_KMEMLEAK" = 1 ]; then
	if [ -w $kmemleak ]; then
		# Objects younger than kmemleak's minimum age (5 s) are not
		# reported, and a second scan confirms the first.
		sleep 5
		echo scan >$kmemleak
		sleep 1
		echo scan >$kmemleak
		echo "@@VM-KMEMLEAK-BEGIN@@"
		cat $kmemleak
		echo "@@VM-KMEMLEAK-END@@"
	else
		echo "vm-init: kmemleak not available in this kernel"
	fi
fi

cd /
umount /mnt/share 2>/dev/null
sync
poweroff -f
