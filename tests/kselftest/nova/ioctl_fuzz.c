// SPDX-License-Identifier: GPL-2.0
/*
 * A bounded run of the ioctl fuzzer (tools/nova-fuzz) on every nova GPU:
 * random ioctl numbers, encodings, arguments and pointers on card and
 * render nodes from several threads, each result checked against the
 * errnos the uAPI documents (Documentation/fuzzing.rst). Kernel reports
 * are the VM runner's to catch.
 *
 * Parameters from the environment (tools/vm --env, or run-in-vm.sh passes
 * them through): NOVA_FUZZ_SEED (default: fresh, printed first),
 * NOVA_FUZZ_CALLS (20000), NOVA_FUZZ_SECONDS (60), NOVA_FUZZ_THREADS (4).
 * The run stops at the call count or the time cap, whichever comes first;
 * longer runs belong to the nova-fuzz command (tools/nova-fuzz/run-in-vm.sh).
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "nova_test.h"
#include "fuzz.h"

/* The time cap is bounded by this, with room for setup and the summary. */
#define FUZZ_MAX_SECONDS	1500

FIXTURE(fuzz) {
	struct nova_env env;
	bool env_up;
};

FIXTURE_SETUP(fuzz)
{
	char why[128];

	self->env_up = false;
	ASSERT_EQ(0, nova_env_up(&self->env, why, sizeof(why))) TH_LOG("%s", why);
	self->env_up = true;
}

FIXTURE_TEARDOWN(fuzz)
{
	if (self->env_up)
		nova_env_down(&self->env);
}

static uint64_t env_u64(const char *name, uint64_t def, bool *bad)
{
	const char *s = getenv(name);
	char *end;
	uint64_t v;

	if (!s || !*s)
		return def;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end) {
		nova_log("%s=%s is not a number", name, s);
		*bad = true;
	}
	return v;
}

TEST_F_TIMEOUT(fuzz, documented_results_only, FUZZ_MAX_SECONDS + 300)
{
	struct nova_fuzz_opts o = { .max_report = 20 };
	struct nova_fuzz_result res;
	bool bad = false;
	int ret;

	o.seed = env_u64("NOVA_FUZZ_SEED", 0, &bad);
	if (!getenv("NOVA_FUZZ_SEED"))
		o.seed = nova_fuzz_fresh_seed();
	o.calls = env_u64("NOVA_FUZZ_CALLS", 20000, &bad);
	o.seconds = env_u64("NOVA_FUZZ_SECONDS", 60, &bad);
	o.threads = env_u64("NOVA_FUZZ_THREADS", 4, &bad);
	ASSERT_FALSE(bad);
	ASSERT_LE(o.seconds, FUZZ_MAX_SECONDS);

	ASSERT_LT(0, nova_fuzz_find_nodes(&o)) TH_LOG("no nova node in /dev/dri");
	/* Comment lines for TAP: the fuzzer's output goes to stderr. */
	ret = nova_fuzz_run(&o, &res, stderr);
	ASSERT_LE(0, ret) TH_LOG("the fuzzer could not start: %s", strerror(-ret));
	EXPECT_EQ(0, res.setup_errors);
	EXPECT_EQ(0, res.unexpected) TH_LOG("reproduce: NOVA_FUZZ_SEED=%llu "
					    "NOVA_FUZZ_CALLS=%llu NOVA_FUZZ_THREADS=%u",
					    (unsigned long long)o.seed,
					    (unsigned long long)o.calls, o.threads);
	EXPECT_LT(0, res.calls);
}

TEST_HARNESS_MAIN
