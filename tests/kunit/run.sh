#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The library's KUnit suites on the debug kernel: build kcxx_kunit.ko,
# boot the debug kernel (tools/vm), load the module (which runs the
# suites), read every suite's KTAP results from debugfs, unload it, and
# let tools/vm fail the run on any KASAN, lockdep, UBSAN or kmemleak
# report. Prints one line per case and ends with "N passed, M failed";
# exits non-zero if anything failed or nothing ran.
#
#   tests/kunit/run.sh              every suite
#   tests/kunit/run.sh 'kcxx_sync'  a KUnit filter glob: one suite,
#   tests/kunit/run.sh 'kcxx_drm.gem_*'   or some cases of one
#
# Environment: NOVA_KUNIT_MODULES, a directory of prebuilt debug-kernel
# modules (skips the build); NOVA_KUNIT_KNOWN_BUGS=1 also runs the cases
# of known library bugs, which otherwise skip without failing the run.
# See Documentation/testing-kunit.rst.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
filter=${1:-}
logdir=$TOP/build/kunit
mkdir -p "$logdir"
log=$logdir/console.log

# shellcheck source=../lib/debug-modules.sh
. "$TOP/tests/lib/debug-modules.sh"
if ! debug_modules kunit "$logdir"; then
	echo "0 passed, 1 failed"
	exit 1
fi

# In the guest. failslab: allocations that may sleep become injectable
# (only where a case asks for it, with /proc/self/fail-nth's mechanism; the
# probability stays 0), and injected failures print nothing, since a stack
# dump would read as a kernel report. Result lines are tagged so they can
# be told from console messages.
guest=$(cat <<'EOF'
fs=/sys/kernel/debug/failslab
echo N > $fs/ignore-gfp-wait && echo 0 > $fs/verbose ||
	echo "kunit: cannot configure failslab; its cases will skip"
if [ -n "$KUNIT_FILTER" ]; then
	# No newline: the parameter keeps it, and the glob would not match.
	printf %s "$KUNIT_FILTER" > /sys/module/kunit/parameters/filter_glob || exit 1
fi
# A DRM core bug: drm_minor_alloc() oopses when drm_sysfs_minor_alloc()
# fails. Failures are not injected under that function (its address range),
# and only then does the DRM probe fault-injection case run.
probe_faults=0
modprobe drm
start=$(sort /proc/kallsyms | awk '$3 == "drm_sysfs_minor_alloc" { print $1; exit }')
if [ -n "$start" ]; then
	end=$(sort /proc/kallsyms | awk -v s="$start" '$1 > s { print $1; exit }')
	echo 0x$start > $fs/reject-start && echo 0x$end > $fs/reject-end && probe_faults=1
fi
modprobe kcxx_kunit known_bugs=$KUNIT_KNOWN_BUGS probe_faults=$probe_faults ||
	echo "kunit: modprobe kcxx_kunit failed"
for r in /sys/kernel/debug/kunit/kcxx_*/results; do
	[ -e "$r" ] && sed "s/^/@kunit@ /" "$r"
done
rmmod kcxx_kunit || echo "kunit: rmmod kcxx_kunit failed"
echo Y > $fs/ignore-gfp-wait
echo 0 > $fs/reject-start
echo 0 > $fs/reject-end
true
EOF
)

out=$("$TOP/tools/vm" run --kernel debug "${modules[@]}" --log "$log" --quiet \
	--env "KUNIT_FILTER=$filter" --env "KUNIT_KNOWN_BUGS=${NOVA_KUNIT_KNOWN_BUGS:-0}" \
	-- "$guest" 2>"$logdir/vm.err")
vm_rc=$?

# Suites the module defines, to notice one that reported nothing.
expected=""
if [ -z "$filter" ]; then
	expected=$(sed -n 's/^KCXX_KUNIT_SUITE(\([a-z_]*\),.*/kcxx_\1/p' "$TOP/tests/kunit/suites.c")
fi

printf '%s\n' "$out" | grep '^@kunit@ ' | sed 's/^@kunit@ //' > "$logdir/results.ktap"
awk -v expected="$expected" -v vm_rc="$vm_rc" -v logfile="$log" '
function flush_diag() { ndiag = 0 }
BEGIN { pass = 0; fail = 0; skip = 0; known = 0; ndiag = 0 }
/^    # Subtest: / { suite = $3; seen[suite] = 1; flush_diag(); next }
/^    (not )?ok [0-9]+ / {
	line = substr($0, 5)
	bad = (line ~ /^not ok/)
	sub(/^(not )?ok [0-9]+ /, "", line)
	name = line
	reason = ""
	if (line ~ / # SKIP/) {
		name = substr(line, 1, index(line, " # SKIP") - 1)
		reason = substr(line, index(line, " # SKIP") + 7)
		sub(/^ /, "", reason)
		printf "skip - %s.%s (%s)\n", suite, name, reason
		if (reason ~ /^known bug/)
			known++
		else
			skip++
	} else if (bad) {
		printf "not ok - %s.%s\n", suite, name
		for (i = 0; i < ndiag; i++)
			printf "#   %s\n", diag[i]
		fail++
	} else {
		printf "ok - %s.%s\n", suite, name
		pass++
	}
	cases[suite]++
	flush_diag()
	next
}
/^    (KTAP version|1\.\.|# module:)/ { next }
/^    / { d = $0; sub(/^ +/, "", d); diag[ndiag++] = d; next }
/^not ok [0-9]+ / {
	s = $4
	if (!cases[s]) {
		printf "not ok - %s (suite failed without running a case)\n", s
		fail++
	}
	next
}
END {
	n = split(expected, want, "\n")
	for (i = 1; i <= n; i++) {
		if (want[i] != "" && !seen[want[i]]) {
			printf "not ok - %s (no results: the module did not load or run it)\n", want[i]
			fail++
		}
	}
	if (vm_rc != 0) {
		printf "not ok - vm run (status %d: a kernel report or a failed command; log: %s)\n", vm_rc, logfile
		fail++
	}
	if (known)
		printf "# %d case(s) of known library bugs skipped (NOVA_KUNIT_KNOWN_BUGS=1 runs them)\n", known
	if (skip)
		printf "# %d skipped, counted as failed: run.sh sets up everything a case needs\n", skip
	printf "%d passed, %d failed\n", pass, fail + skip
	if (fail + skip > 0 || pass == 0)
		exit 1
	exit 0
}' "$logdir/results.ktap"
rc=$?
if [ $vm_rc -ne 0 ]; then
	sed 's/^/# /' "$logdir/vm.err"
fi
exit $rc
