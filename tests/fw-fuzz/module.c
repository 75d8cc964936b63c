// SPDX-License-Identifier: GPL-2.0
/*
 * nova_fw_fuzz.ko: loading it runs the seeded firmware fuzzer (fuzz.cpp)
 * and prints one result line; the load fails if a parse hung, returned
 * something its bytes contradict or failed without a clean error.
 * tests/fw-fuzz/run.sh drives it.
 */
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/sched.h>

#include "fuzz.h"

static unsigned long long seed = 1;
module_param(seed, ullong, 0444);
MODULE_PARM_DESC(seed, "Seed of the file generator: the same seed gives the same files");

static unsigned int count = 1000;
module_param(count, uint, 0444);
MODULE_PARM_DESC(count, "How many files to build, mutate and parse");

static unsigned int hang_ms = 5000;
module_param(hang_ms, uint, 0444);
MODULE_PARM_DESC(hang_ms, "A parse taking longer than this counts as hung");

static unsigned long long fuzz_now_ns(void)
{
	return ktime_get_ns();
}

static void fuzz_relax(void)
{
	cond_resched();
}

static int __init nova_fw_fuzz_init(void)
{
	static const struct nova_fw_fuzz_ops ops = {
		.now_ns = fuzz_now_ns,
		.relax = fuzz_relax,
	};
	struct nova_fw_fuzz_result r = {};
	u64 start = ktime_get_ns();
	u64 ms;

	nova_fw_fuzz_run(seed, count, (u64)hang_ms * NSEC_PER_MSEC, &ops, &r);
	ms = div_u64(ktime_get_ns() - start, NSEC_PER_MSEC);
	pr_info("nova_fw_fuzz: seed %llu files %llu parsed %llu refused %llu hung %llu insane %llu nomem %llu slowest_us %llu ms %llu\n",
		seed, r.files, r.parsed, r.refused, r.hung, r.insane, r.nomem,
		div_u64(r.slowest_ns, NSEC_PER_USEC), ms);
	if (r.hung || r.insane)
		return -EINVAL;
	return 0;
}

static void __exit nova_fw_fuzz_exit(void)
{
}

module_init(nova_fw_fuzz_init);
module_exit(nova_fw_fuzz_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Seeded fuzzer of nova-core's firmware parsers (test only)");
MODULE_AUTHOR("The nova-cxx authors");
