#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Checks of novactl that need no GPU: command-line validation (done before
# any device is opened) and the answers when no nova device is usable.
#
#   run with the path of the novactl binary as the only argument

set -u
NOVACTL=${1:?give the path of the novactl binary}
pass=0
fail=0

# expect RC STDERR-SUBSTRING ARGS...
expect() {
	want_rc=$1
	want_msg=$2
	shift 2
	err=$("$NOVACTL" "$@" 2>&1 >/dev/null)
	rc=$?
	case "$err" in
	*"$want_msg"*) msg_ok=1 ;;
	*) msg_ok=0 ;;
	esac
	if [ "$rc" -eq "$want_rc" ] && [ "$msg_ok" -eq 1 ]; then
		pass=$((pass + 1))
		echo "ok - novactl $*"
	else
		fail=$((fail + 1))
		echo "not ok - novactl $*: exit $rc, stderr '$err'" \
			"(want exit $want_rc, '$want_msg')"
	fi
}

# Usage errors: exit 2, whether or not a device exists.
expect 2 "usage:"
expect 2 "unknown command \"bogus\"" bogus
expect 2 "info takes no argument" info extra
expect 2 "create needs a SIZE" create
expect 2 "create needs a SIZE" create --keep
expect 2 "create takes one SIZE" create 1 2
expect 2 "invalid size \"12Q\"" create 12Q
expect 2 "invalid size \"-5\"" create -5
expect 2 "invalid size \"5KB\"" create 5KB
expect 2 "invalid size \"99999999999999999999\"" create 99999999999999999999
expect 2 "invalid size \"16777216T\"" create 16777216T
expect 2 "roundtrip needs at least one SIZE" roundtrip
expect 2 "invalid size \"x\"" roundtrip 4K x
expect 2 "getparam needs exactly one PARAM" getparam
expect 2 "invalid parameter \"foo\"" getparam foo
expect 2 "-d and -a exclude each other" -a -d /dev/null info
expect 2 "invalid option" -x info

# Nodes that are not nova devices.
expect 1 "cannot open /nonexistent" -d /nonexistent info
expect 1 "/dev/null: not a DRM device" -d /dev/null info

# Without a nova device, every command that needs one says so.
if "$NOVACTL" -a >/dev/null 2>&1; then
	echo "# a nova device is present: skipping the no-device checks"
else
	for cmd in "info" "create 4K" "create 1G --keep" "roundtrip 1 4097" \
		   "getparam 1" "getparam vram-bar-size"; do
		# shellcheck disable=SC2086 # split the command into words
		expect 1 "no nova device found" $cmd
	done
	expect 1 "no nova device found" -a
fi

echo "novactl: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
