#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs in the VM (tests/hostile/run.sh): binds nova_core to hostile GPU
# models, one seed after another, for SECONDS or MAX seeds:
#
#   guest.sh SECONDS MAX FIRST_SEED [registers|engines]
#
# Before each bind the model is set back to its power-on state and
# reseeded through its test port (Documentation/gpu-model.rst). Each bind
# must end bound, or refused with a line of nova_core's saying why; a bind
# that hangs is caught by the VM's timeout and the hung-task detector,
# and every kernel report by tools/vm. At the end each GPU is sane again
# and must bind, with its DRM nodes. Prints "@hostile@ seeds N bound B
# refused R silent S slowest MS" and the refusals' reasons, counted.
#
# engines: each seed also sets one of the model's engine faults (seed % 27,
# 0 none; 11 to 20 are GSP-RM's, 21 to 26 the FSP's and the FMC's, which
# only a Hopper or Blackwell GPU has) and lies only one time in four
# ((seed / 27) % 4 == 0). A bound GPU's nova/gsp must read "running, wpr2
# ..." or, behind the FSP, "running, booted by the FSP" (with the GPU's
# name in nova/gpu_name), "failed:
# STEP (EERRNO)" or "not run: ...", and a seed with neither fault nor lies
# must run the GSP; the line adds "running R gspfailed F badstate B
# clean C cleanfailed X".
seconds=$1
max=$2
seed=$3
mode=${4:-registers}
drv=/sys/bus/pci/drivers/nova_core

modprobe nova_core || { echo "hostile: cannot load nova_core"; exit 1; }
modprobe nova_drm || { echo "hostile: cannot load nova_drm"; exit 1; }

gpus=
for d in /sys/bus/pci/devices/*; do
	[ "$(cat $d/vendor)" = 0x10de ] && gpus="$gpus $(basename $d)"
done
[ -n "$gpus" ] || { echo "hostile: no GPU"; exit 1; }

gsp_state() { # BDF FAULT LIES: nova/gsp of a bound GPU, classified
	state=$(cat /sys/bus/pci/devices/$1/nova/gsp)
	case "$state" in
	"running, wpr2 0x"* | "running, booted by the FSP")
		running=$((running + 1))
		# Running means GSP-RM answered up to its static information.
		name=$(cat /sys/bus/pci/devices/$1/nova/gpu_name)
		case "$name" in
		"NVIDIA "*) ;;
		*)
			badstate=$((badstate + 1))
			echo "hostile: seed $seed on $1: running, nova/gpu_name reads \"$name\""
			;;
		esac
		;;
	"failed: "*" (E"[A-Z]*")") gspfailed=$((gspfailed + 1)) ;;
	"not run: "*) ;;
	*)
		badstate=$((badstate + 1))
		echo "hostile: seed $seed on $1: nova/gsp reads \"$state\""
		;;
	esac
	echo "fault $2: $state" | sed 's/0x[0-9a-f]*/0x.../g' >>/tmp/states
	if [ $2 = 0 ] && [ $3 = 0 ]; then
		clean=$((clean + 1))
		case "$state" in
		"running, wpr2 0x"* | "running, booted by the FSP") ;;
		*)
			cleanfailed=$((cleanfailed + 1))
			echo "hostile: seed $seed on $1, no fault, no lies: nova/gsp reads \"$state\""
			;;
		esac
	fi
}

port() { # BDF OFFSET VALUE: a write to the model's test port
	bar0=$(sed -n 1p /sys/bus/pci/devices/$1/resource | cut -d' ' -f1)
	devmem $((bar0 + $2)) 32 $3
}

n=0 bound=0 refused=0 silent=0 slowest=0
running=0 gspfailed=0 badstate=0 clean=0 cleanfailed=0
: >/tmp/reasons
: >/tmp/states
end=$(($(date +%s) + seconds))
while [ "$(date +%s)" -lt $end ] && [ $n -lt "$max" ]; do
	for bdf in $gpus; do
		[ -e $drv/$bdf ] && echo $bdf >$drv/unbind
		port $bdf 0xfff00c 1
		fault=0 lies=$seed
		if [ $mode = engines ]; then
			fault=$((seed % 27))
			[ $(((seed / 27) % 4)) = 0 ] || lies=0
			port $bdf 0xfff040 $fault
		fi
		port $bdf 0xfff010 $lies
		dmesg -c >/dev/null
		t0=$(cut -d' ' -f1 /proc/uptime)
		echo $bdf >$drv/bind 2>/dev/null
		t1=$(cut -d' ' -f1 /proc/uptime)
		ms=$(echo "$t0 $t1" | awk '{printf "%d", ($2 - $1) * 1000}')
		[ $ms -gt $slowest ] && slowest=$ms
		if [ -e $drv/$bdf ]; then
			bound=$((bound + 1))
			[ $mode = engines ] && gsp_state $bdf $fault $lies
		else
			refused=$((refused + 1))
			# nova_core's own line, not the driver core's "probe ... failed".
			why=$(dmesg | grep "nova_core $bdf: " | grep -v "probe with driver" |
				tail -n 1 | sed 's/^.*nova_core [^ ]* //')
			if [ -z "$why" ]; then
				silent=$((silent + 1))
				echo "hostile: seed $seed on $bdf: refused without a line"
			fi
			echo "$why" | sed 's/0x[0-9a-f]*/0x.../g; s/[0-9][0-9]* ms/N ms/' >>/tmp/reasons
		fi
		seed=$((seed + 1))
		n=$((n + 1))
	done
done

# Sane again: every GPU binds and nova_drm serves it.
for bdf in $gpus; do
	[ -e $drv/$bdf ] && echo $bdf >$drv/unbind
	port $bdf 0xfff00c 1
	port $bdf 0xfff010 0
	echo $bdf >$drv/bind || { echo "hostile: $bdf does not bind when sane"; exit 1; }
	if [ $mode = engines ]; then
		state=$(cat /sys/bus/pci/devices/$bdf/nova/gsp)
		case "$state" in
		"running, wpr2 0x"* | "running, booted by the FSP") ;;
		*) echo "hostile: $bdf sane again: nova/gsp reads \"$state\""; exit 1 ;;
		esac
	fi
done
nodes=0
for i in $(seq 100); do
	nodes=$(ls /dev/dri/renderD* 2>/dev/null | wc -l)
	[ $nodes -ge $(echo $gpus | wc -w) ] && break
	sleep 0.1
done
[ $nodes -ge $(echo $gpus | wc -w) ] || { echo "hostile: $nodes render nodes after the sane binds"; exit 1; }
echo "hostile: refusals by reason:"
sort /tmp/reasons | uniq -c | sort -rn | head -n 20
if [ $mode = engines ]; then
	echo "hostile: GSP states by engine fault:"
	sort /tmp/states | uniq -c | sort -k2 | head -n 40
	# Unbinding the sane GPUs unloads their GSPs cleanly (what the last
	# seeds' unbinds said, a fault 10 among them, is not theirs).
	dmesg -c >/dev/null
	for bdf in $gpus; do echo $bdf >$drv/unbind; done
	if dmesg | grep -q 'GSP unload failed'; then
		echo "hostile: an unload of a sane GPU failed"
		badstate=$((badstate + 1))
	fi
fi
echo "@hostile@ seeds $n bound $bound refused $refused silent $silent slowest $slowest" \
	"running $running gspfailed $gspfailed badstate $badstate clean $clean cleanfailed $cleanfailed"
