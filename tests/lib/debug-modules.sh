# SPDX-License-Identifier: GPL-2.0
#
# Sourced by the scripts that boot the debug kernel with the project's
# modules (tests/kunit/run.sh, tests/lib/fuzz-in-vm.sh):
#
#   debug_modules NAME LOGDIR
#
# sets the array modules to tools/vm's arguments for them: --modules
# $NOVA_KUNIT_MODULES when that names prebuilt ones, else none, after
# building them for the debug kernel (log: LOGDIR/build.log). A failed
# build prints the log's tail and one "NAME: ..." line, and returns 1.
debug_modules() {
	local name=$1 logdir=$2
	modules=()
	if [ -n "${NOVA_KUNIT_MODULES:-}" ]; then
		modules=(--modules "$NOVA_KUNIT_MODULES")
	elif ! make -C "$TOP" KVER=debug modules > "$logdir/build.log" 2>&1; then
		tail -n 30 "$logdir/build.log"
		echo "$name: the debug-kernel build failed (log: $logdir/build.log)"
		return 1
	fi
}
