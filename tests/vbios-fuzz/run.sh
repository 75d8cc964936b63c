#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The seeded VBIOS fuzzer on the debug kernel. Loading nova_vbios_fuzz.ko
# runs it; its result line must show every image parsed or refused
# cleanly, none hung, none insane, and the VM no kernel report
# (tests/lib/fuzz-in-vm.sh does the work).
#
#   tests/vbios-fuzz/run.sh [count] [seed]
#
# count defaults to 10000; seed to one derived from the time, printed
# first. NOVA_FUZZ_HANG_MS, NOVA_KUNIT_MODULES: see tests/lib/fuzz-in-vm.sh
# and Documentation/testing-kunit.rst.
exec "$(dirname "$0")/../lib/fuzz-in-vm.sh" vbios-fuzz nova_vbios_fuzz images "$@"
