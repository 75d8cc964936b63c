// SPDX-License-Identifier: GPL-2.0
/*
 * With several GPUs each gets its own auxiliary device, with a distinct id,
 * and its own DRM device; an id freed by unbinding is reused when a GPU is
 * bound again. Skipped when fewer GPUs than the variant needs are bound.
 */

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nova_test.h"

#define WAIT_MS	10000

FIXTURE(gpus) {
	struct nova_env env;
	char bdfs[NOVA_MAX_GPUS][32];
	int n;
};

FIXTURE_VARIANT(gpus) {
	int need;
};

FIXTURE_VARIANT_ADD(gpus, two) {
	.need = 2,
};

FIXTURE_VARIANT_ADD(gpus, four) {
	.need = 4,
};

FIXTURE_SETUP(gpus)
{
	char why[128];

	if (nova_env_up(&self->env, why, sizeof(why)))
		SKIP(return, "%s", why);
	self->n = nova_bound_bdfs(self->bdfs, NOVA_MAX_GPUS);
	if (self->n < variant->need) {
		nova_env_down(&self->env);
		SKIP(return, "%d GPU(s) bound to %s, the test needs %d",
		     self->n, NOVA_CORE, variant->need);
	}
}

FIXTURE_TEARDOWN(gpus)
{
	nova_rebind_all(self->bdfs, self->n);
	nova_env_down(&self->env);
}

/* Look up every GPU, each must have exactly one of everything. */
static void lookup_all(struct __test_metadata *_metadata, char bdfs[][32],
		       int n, struct nova_gpu *gpus)
{
	int i, j;

	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, nova_gpu_wait(bdfs[i], &gpus[i], WAIT_MS))
			TH_LOG("%s has no DRM device", bdfs[i]);
		EXPECT_EQ(1, gpus[i].naux) TH_LOG("%s", bdfs[i]);
		EXPECT_EQ(1, gpus[i].ncard) TH_LOG("%s", bdfs[i]);
		EXPECT_EQ(1, gpus[i].nrender) TH_LOG("%s", bdfs[i]);
		EXPECT_LE(0, gpus[i].aux_id);
		for (j = 0; j < i; j++) {
			EXPECT_NE(gpus[j].aux_id, gpus[i].aux_id)
				TH_LOG("%s and %s", gpus[j].aux, gpus[i].aux);
			EXPECT_NE(0, strcmp(gpus[j].card, gpus[i].card));
			EXPECT_NE(0, strcmp(gpus[j].render, gpus[i].render));
		}
	}
}

static int count_nova_render_nodes(void)
{
	char path[300];
	struct dirent *d;
	int fd, n = 0;
	DIR *dp;

	dp = opendir("/dev/dri");
	if (!dp)
		return 0;
	while ((d = readdir(dp))) {
		if (strncmp(d->d_name, "renderD", 7))
			continue;
		snprintf(path, sizeof(path), "/dev/dri/%s", d->d_name);
		fd = nova_open(path);
		if (fd < 0)
			continue;
		n += nova_is_nova_fd(fd);
		close(fd);
	}
	closedir(dp);
	return n;
}

TEST_F_TIMEOUT(gpus, each_gpu_has_its_own_aux_id_and_drm_device,
	       NOVA_TEST_TIMEOUT)
{
	struct nova_gpu gpus[NOVA_MAX_GPUS];
	uint64_t value, size;
	uint32_t handle;
	int i, fd;

	lookup_all(_metadata, self->bdfs, self->n, gpus);
	EXPECT_EQ(self->n, count_nova_render_nodes());

	for (i = 0; i < self->n; i++) {
		fd = nova_open(gpus[i].render);
		ASSERT_LE(0, fd);
		EXPECT_EQ(0, nova_getparam(fd, NOVA_GETPARAM_VRAM_BAR_SIZE,
					   &value));
		EXPECT_EQ(0, nova_gem_create(fd, 4096, &handle));
		EXPECT_EQ(0, nova_gem_info(fd, handle, &size));
		EXPECT_EQ(0, nova_gem_close(fd, handle));
		close(fd);
	}
}

TEST_F_TIMEOUT(gpus, aux_id_is_reused_after_unbind_and_bind,
	       NOVA_TEST_TIMEOUT)
{
	struct nova_gpu before[NOVA_MAX_GPUS], after[NOVA_MAX_GPUS];
	const int k = variant->need / 2;
	int i;

	lookup_all(_metadata, self->bdfs, self->n, before);

	ASSERT_EQ(0, nova_unbind(self->bdfs[k]));
	ASSERT_EQ(0, nova_gpu_wait_gone(self->bdfs[k], WAIT_MS));
	/* The others keep their ids and nodes. */
	for (i = 0; i < self->n; i++) {
		if (i == k)
			continue;
		nova_gpu_lookup(self->bdfs[i], &after[i]);
		EXPECT_EQ(before[i].aux_id, after[i].aux_id);
		EXPECT_STREQ(before[i].render, after[i].render);
	}

	ASSERT_EQ(0, nova_bind(self->bdfs[k]));
	ASSERT_EQ(0, nova_gpu_wait(self->bdfs[k], &after[k], WAIT_MS));
	EXPECT_EQ(before[k].aux_id, after[k].aux_id)
		TH_LOG("%s came back as %s", before[k].aux, after[k].aux);
	lookup_all(_metadata, self->bdfs, self->n, after);
}

/*
 * With every GPU unbound no id is taken, so binding them all again hands out
 * 0 .. n-1, whatever ids they had before.
 */
TEST_F_TIMEOUT(gpus, ids_are_compact_after_rebinding_all, NOVA_TEST_TIMEOUT)
{
	struct nova_gpu gpus[NOVA_MAX_GPUS];
	int i, j, found;

	lookup_all(_metadata, self->bdfs, self->n, gpus);
	/* Harness macros in a loop need braces: they expand to two statements. */
	for (i = 0; i < self->n; i++) {
		ASSERT_EQ(0, nova_unbind(self->bdfs[i]))
			TH_LOG("unbind %s", self->bdfs[i]);
	}
	for (i = 0; i < self->n; i++) {
		ASSERT_EQ(0, nova_gpu_wait_gone(self->bdfs[i], WAIT_MS))
			TH_LOG("%s is still there", self->bdfs[i]);
	}
	/* Bind in reverse, so that ids may well move between GPUs. */
	for (i = self->n - 1; i >= 0; i--) {
		ASSERT_EQ(0, nova_bind(self->bdfs[i]))
			TH_LOG("bind %s", self->bdfs[i]);
	}
	lookup_all(_metadata, self->bdfs, self->n, gpus);

	for (i = 0; i < self->n; i++) {
		found = 0;
		for (j = 0; j < self->n; j++)
			found += gpus[j].aux_id == i;
		EXPECT_EQ(1, found) TH_LOG("id %d", i);
	}
}

TEST_HARNESS_MAIN
