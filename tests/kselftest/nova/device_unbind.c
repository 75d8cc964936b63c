// SPDX-License-Identifier: GPL-2.0
/*
 * Unbinding the GPU while files are open and objects alive: every ioctl on
 * those files (the mode-setting queries of the primary node too) fails with
 * ENODEV, closing them works, the nodes go away, and
 * binding the GPU again gives a new DRM device that works.
 */

#include <errno.h>
#include <stdint.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nova_test.h"

#define NOBJECTS	64
#define WAIT_MS		10000

FIXTURE(unbind) {
	struct nova_env env;
	struct nova_gpu gpu;
	int render;
	int card;
};

FIXTURE_SETUP(unbind)
{
	char why[128];
	int ret;

	self->render = -1;
	self->card = -1;
	if (nova_env_up(&self->env, why, sizeof(why)))
		SKIP(return, "%s", why);
	ret = nova_first_gpu(&self->gpu);
	if (ret)
		nova_env_down(&self->env);
	ASSERT_EQ(0, ret);
}

FIXTURE_TEARDOWN(unbind)
{
	struct nova_gpu gpu;

	if (self->render >= 0)
		close(self->render);
	if (self->card >= 0)
		close(self->card);
	if (!nova_is_bound(self->gpu.bdf)) {
		if (nova_bind(self->gpu.bdf) ||
		    nova_gpu_wait(self->gpu.bdf, &gpu, WAIT_MS))
			TH_LOG("cannot bind %s again", self->gpu.bdf);
	}
	nova_env_down(&self->env);
}

/* All four ioctls on a file of an unbound device. */
static void expect_enodev(struct __test_metadata *_metadata, int fd,
			  uint32_t handle)
{
	uint64_t value;
	uint32_t h;

	EXPECT_EQ(-ENODEV, nova_getparam(fd, NOVA_GETPARAM_VRAM_BAR_SIZE,
					 &value));
	EXPECT_EQ(-ENODEV, nova_gem_create(fd, 4096, &h));
	EXPECT_EQ(-ENODEV, nova_gem_info(fd, handle, &value));
	/* The DRM core refuses its own ioctls on an unplugged device too. */
	EXPECT_EQ(-ENODEV, nova_gem_close(fd, handle));
}

/* The mode-setting queries of a primary node, once the device is gone. */
static void expect_no_modeset(struct __test_metadata *_metadata, int card)
{
	struct drm_mode_card_res res = { 0 };
	struct drm_mode_get_plane_res planes = { 0 };

	EXPECT_EQ(-ENODEV, nova_ioctl(card, DRM_IOCTL_MODE_GETRESOURCES, &res));
	EXPECT_EQ(-ENODEV, nova_ioctl(card, DRM_IOCTL_MODE_GETPLANERESOURCES,
				      &planes));
}

static void open_both(struct __test_metadata *_metadata,
		      const struct nova_gpu *gpu, int *render, int *card)
{
	*render = nova_open(gpu->render);
	ASSERT_LE(0, *render);
	*card = nova_open(gpu->card);
	ASSERT_LE(0, *card);
}

static void unbind_gpu(struct __test_metadata *_metadata,
		       const struct nova_gpu *gpu)
{
	ASSERT_EQ(0, nova_unbind(gpu->bdf));
	EXPECT_FALSE(nova_is_bound(gpu->bdf));
	EXPECT_EQ(0, nova_gpu_wait_gone(gpu->bdf, WAIT_MS));
}

TEST_F_TIMEOUT(unbind, ioctls_after_unbind_are_enodev_and_close_works,
	       NOVA_TEST_TIMEOUT)
{
	uint32_t on_render[NOBJECTS], on_card[NOBJECTS];
	int i;

	open_both(_metadata, &self->gpu, &self->render, &self->card);
	for (i = 0; i < NOBJECTS; i++) {
		ASSERT_EQ(0, nova_gem_create(self->render, 4096, &on_render[i]));
		ASSERT_EQ(0, nova_gem_create(self->card, 8192, &on_card[i]));
	}

	unbind_gpu(_metadata, &self->gpu);
	expect_enodev(_metadata, self->render, on_render[0]);
	expect_enodev(_metadata, self->card, on_card[0]);
	expect_no_modeset(_metadata, self->card);

	/* Closing frees the objects of the gone device. */
	EXPECT_EQ(0, close(self->render));
	EXPECT_EQ(0, close(self->card));
	self->render = -1;
	self->card = -1;
}

TEST_F_TIMEOUT(unbind, nodes_of_unbound_device_cannot_be_opened,
	       NOVA_TEST_TIMEOUT)
{
	int fd;

	unbind_gpu(_metadata, &self->gpu);
	fd = nova_open(self->gpu.render);
	EXPECT_TRUE(fd == -ENOENT || fd == -ENODEV) TH_LOG("open: %d", fd);
	if (fd >= 0)
		close(fd);
	fd = nova_open(self->gpu.card);
	EXPECT_TRUE(fd == -ENOENT || fd == -ENODEV) TH_LOG("open: %d", fd);
	if (fd >= 0)
		close(fd);
}

TEST_F_TIMEOUT(unbind, binding_again_gives_a_new_working_device,
	       NOVA_TEST_TIMEOUT)
{
	uint64_t want, value, size;
	struct nova_gpu again;
	uint32_t old, handle;
	int fd;

	ASSERT_EQ(0, nova_expected_vram_bar(self->gpu.bdf, &want));
	open_both(_metadata, &self->gpu, &self->render, &self->card);
	ASSERT_EQ(0, nova_gem_create(self->render, 4096, &old));
	unbind_gpu(_metadata, &self->gpu);

	/* Bind while the old device's files are still open. */
	ASSERT_EQ(0, nova_bind(self->gpu.bdf));
	ASSERT_EQ(0, nova_gpu_wait(self->gpu.bdf, &again, WAIT_MS));
	EXPECT_EQ(1, again.naux);
	EXPECT_EQ(1, again.nrender);
	EXPECT_EQ(1, again.ncard);

	fd = nova_open(again.render);
	ASSERT_LE(0, fd);
	EXPECT_TRUE(nova_is_nova_fd(fd));
	EXPECT_EQ(0, nova_getparam(fd, NOVA_GETPARAM_VRAM_BAR_SIZE, &value));
	EXPECT_EQ(want, value);
	ASSERT_EQ(0, nova_gem_create(fd, 4096, &handle));
	EXPECT_EQ(0, nova_gem_info(fd, handle, &size));
	EXPECT_EQ(4096, size);
	EXPECT_EQ(0, nova_gem_close(fd, handle));
	close(fd);

	fd = nova_open(again.card);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, nova_getparam(fd, NOVA_GETPARAM_VRAM_BAR_SIZE, &value));
	close(fd);

	/* The old files still belong to the gone device. */
	expect_enodev(_metadata, self->render, old);
	expect_enodev(_metadata, self->card, old);
}

TEST_HARNESS_MAIN
