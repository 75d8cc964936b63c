// SPDX-License-Identifier: GPL-2.0
/*
 * kcxx_kunit.ko: KUnit suites for every part of the C++ kernel library.
 *
 * KUnit's suites and cases are C structures; the cases' bodies are C++
 * (tests/kunit/<part>_test.cpp), named by the lists in cases.h. Loading
 * the module runs every suite; results go to the console as KTAP and to
 * /sys/kernel/debug/kunit/kcxx_<part>/results.
 */
#include <kunit/test.h>
#include <linux/module.h>

#include "cases.h"
#include "glue.h"

static bool known_bugs;
module_param(known_bugs, bool, 0444);
MODULE_PARM_DESC(known_bugs, "Also run the cases of known, unfixed library bugs (they skip otherwise)");

bool kcxx_kunit_known_bugs(void)
{
	return known_bugs;
}

static bool probe_faults;
module_param(probe_faults, bool, 0444);
MODULE_PARM_DESC(probe_faults,
		 "Inject allocation failures into DRM probe (only once failslab passes over drm_sysfs_minor_alloc(); run.sh does both)");

bool kcxx_kunit_probe_faults(void)
{
	return probe_faults;
}

#define KCXX_KUNIT_DECLARE(s, c) \
	void kcxx_test_##s##_##c(struct kunit *test);
#define KCXX_KUNIT_CASE(s, c) \
	{ .run_case = kcxx_test_##s##_##c, .name = #c, .module_name = KBUILD_MODNAME },

KCXX_KUNIT_ALL_CASES(KCXX_KUNIT_DECLARE)

static int kcxx_kunit_drm_init(struct kunit_suite *suite)
{
	return kcxx_kunit_drm_suite_init();
}

#define KCXX_KUNIT_SUITE(part, PART, init)				\
	static struct kunit_case kcxx_##part##_cases[] = {		\
		KCXX_KUNIT_##PART##_CASES(KCXX_KUNIT_CASE)		\
		{}							\
	};								\
	static struct kunit_suite kcxx_##part##_suite = {		\
		.name = "kcxx_" #part,					\
		.suite_init = init,					\
		.test_cases = kcxx_##part##_cases,			\
	}

KCXX_KUNIT_SUITE(error, ERROR, NULL);
KCXX_KUNIT_SUITE(alloc, ALLOC, NULL);
KCXX_KUNIT_SUITE(aref, AREF, NULL);
KCXX_KUNIT_SUITE(sync, SYNC, NULL);
KCXX_KUNIT_SUITE(io, IO, NULL);
KCXX_KUNIT_SUITE(bytes, BYTES, NULL);
KCXX_KUNIT_SUITE(time, TIME, NULL);
KCXX_KUNIT_SUITE(debugfs, DEBUGFS, NULL);
KCXX_KUNIT_SUITE(auxiliary, AUXILIARY, NULL);
KCXX_KUNIT_SUITE(drm, DRM, kcxx_kunit_drm_init);
KCXX_KUNIT_SUITE(vbios, VBIOS, NULL);
KCXX_KUNIT_SUITE(fb_layout, FB_LAYOUT, NULL);
KCXX_KUNIT_SUITE(fwsec, FWSEC, NULL);
KCXX_KUNIT_SUITE(firmware, FIRMWARE, NULL);
KCXX_KUNIT_SUITE(gpu, GPU, NULL);
KCXX_KUNIT_SUITE(falcon, FALCON, NULL);
KCXX_KUNIT_SUITE(gsp_msgq, GSP_MSGQ, NULL);
KCXX_KUNIT_SUITE(gsp_rm, GSP_RM, NULL);
KCXX_KUNIT_SUITE(fsp, FSP, NULL);

kunit_test_suites(&kcxx_error_suite, &kcxx_alloc_suite, &kcxx_aref_suite,
		  &kcxx_sync_suite, &kcxx_io_suite, &kcxx_bytes_suite,
		  &kcxx_time_suite, &kcxx_debugfs_suite, &kcxx_auxiliary_suite,
		  &kcxx_drm_suite, &kcxx_vbios_suite, &kcxx_fb_layout_suite,
		  &kcxx_fwsec_suite, &kcxx_firmware_suite, &kcxx_gpu_suite,
		  &kcxx_falcon_suite, &kcxx_gsp_msgq_suite, &kcxx_gsp_rm_suite,
		  &kcxx_fsp_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit suites of the nova-cxx C++ kernel library");
MODULE_AUTHOR("The nova-cxx authors");
