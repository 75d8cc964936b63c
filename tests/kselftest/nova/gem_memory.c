// SPDX-License-Identifier: GPL-2.0
/*
 * GEM objects cost memory only when used, and creating and closing them
 * leaks nothing.
 */

#include <errno.h>
#include <stdint.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nova_test.h"

#define GIB			(1ULL << 30)
#define HUGE_SIZE		(16 * GIB)
/* The guest has 1 GiB; a 16 GiB object that allocated would not fit. */
#define HUGE_SLACK_KB		(32 * 1024)

#define WARMUP_CYCLES		2000
#define CYCLES			100000
/* A leak of 64 bytes a cycle would show as 6 MiB. */
#define SLAB_SLACK_KB		(4 * 1024)
#define SLAB_SETTLE_TRIES	20

FIXTURE(gem_memory) {
	struct nova_env env;
	struct nova_gpu gpu;
	int fd;
};

FIXTURE_SETUP(gem_memory)
{
	char why[128];
	int ret;

	self->fd = -1;
	if (nova_env_up(&self->env, why, sizeof(why)))
		SKIP(return, "%s", why);
	ret = nova_first_gpu(&self->gpu);
	if (!ret)
		self->fd = nova_open(self->gpu.render);
	if (ret || self->fd < 0)
		nova_env_down(&self->env);
	ASSERT_EQ(0, ret);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(gem_memory)
{
	if (self->fd >= 0)
		close(self->fd);
	nova_env_down(&self->env);
}

TEST_F_TIMEOUT(gem_memory, huge_object_takes_no_memory, NOVA_TEST_TIMEOUT)
{
	long before, after;
	uint32_t handle;
	uint64_t size;

	nova_drop_caches();
	before = nova_meminfo_kb("MemAvailable");
	ASSERT_LT(0, before);

	ASSERT_EQ(0, nova_gem_create(self->fd, HUGE_SIZE, &handle));
	ASSERT_EQ(0, nova_gem_info(self->fd, handle, &size));
	EXPECT_EQ(HUGE_SIZE, size);

	after = nova_meminfo_kb("MemAvailable");
	TH_LOG("MemAvailable %ld kB before, %ld kB with a 16 GiB object",
	       before, after);
	EXPECT_GT(HUGE_SLACK_KB, before - after);
	EXPECT_EQ(0, nova_gem_close(self->fd, handle));
}

static int cycle(int fd, int n)
{
	uint32_t handle;
	int i, ret;

	for (i = 0; i < n; i++) {
		ret = nova_gem_create(fd, 4096, &handle);
		if (ret)
			return ret;
		ret = nova_gem_close(fd, handle);
		if (ret)
			return ret;
	}
	return 0;
}

/* Slab after reclaim; freed objects may reach the slab after an RCU delay. */
static long settled_slab_kb(long baseline)
{
	long slab = -1;
	int i;

	for (i = 0; i < SLAB_SETTLE_TRIES; i++) {
		nova_drop_caches();
		slab = nova_meminfo_kb("Slab");
		if (baseline < 0 || slab - baseline < SLAB_SLACK_KB)
			break;
		usleep(250 * 1000);
	}
	return slab;
}

TEST_F_TIMEOUT(gem_memory, create_close_cycles_leave_slab_unchanged, 1500)
{
	long before, after;

	/* Let caches and per-cpu slabs reach their steady size first. */
	ASSERT_EQ(0, cycle(self->fd, WARMUP_CYCLES));
	before = settled_slab_kb(-1);
	ASSERT_LT(0, before);

	ASSERT_EQ(0, cycle(self->fd, CYCLES));
	after = settled_slab_kb(before);
	TH_LOG("Slab %ld kB before, %ld kB after %d create/close cycles",
	       before, after, CYCLES);
	EXPECT_GT(SLAB_SLACK_KB, after - before);
}

TEST_HARNESS_MAIN
