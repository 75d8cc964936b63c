// SPDX-License-Identifier: GPL-2.0
/*
 * The modules cannot be unloaded while a file of the device is open
 * (delete_module fails with EAGAIN/EBUSY instead of freeing code the file
 * still needs); once it is closed they unload, and a full unload and
 * reload cycle gives working devices again. The fixture (nova_fixture.h)
 * loads the modules back once a test has unloaded them.
 */

#include <errno.h>
#include <stdint.h>
#include <unistd.h>

#include "nova_fixture.h"

#define CYCLES	3
#define WAIT_MS	10000

static bool busy(int ret)
{
	return ret == -EAGAIN || ret == -EBUSY;
}

/* A fresh file on the first GPU's node of the variant's kind works. */
static void expect_working(struct __test_metadata *_metadata, bool render)
{
	struct nova_gpu gpu;
	uint64_t value, size;
	uint32_t handle;
	int fd;

	ASSERT_EQ(0, nova_first_gpu(&gpu));
	fd = nova_open(render ? gpu.render : gpu.card);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, nova_getparam(fd, NOVA_GETPARAM_VRAM_BAR_SIZE, &value));
	EXPECT_EQ(0, nova_gem_create(fd, 4096, &handle));
	EXPECT_EQ(0, nova_gem_info(fd, handle, &size));
	EXPECT_EQ(0, nova_gem_close(fd, handle));
	close(fd);
}

TEST_F_TIMEOUT(nova_node, unload_is_refused_while_a_file_is_open,
	       NOVA_TEST_TIMEOUT)
{
	uint64_t value;
	uint32_t handle;
	int ret;

	/* The fixture's file, on the variant's node. */
	ASSERT_EQ(0, nova_gem_create(self->fd, 4096, &handle));

	/* Were nova_drm to go, the open file would run freed code. */
	ret = nova_delete_module(NOVA_DRM);
	EXPECT_TRUE(busy(ret)) TH_LOG("delete_module(%s): %d", NOVA_DRM, ret);
	ASSERT_TRUE(nova_module_loaded(NOVA_DRM));

	ret = nova_delete_module(NOVA_CORE);
	EXPECT_TRUE(busy(ret)) TH_LOG("delete_module(%s): %d", NOVA_CORE, ret);
	if (ret == 0) {
		/* Not refused: then the device must at least be gone cleanly. */
		EXPECT_EQ(-ENODEV, nova_getparam(self->fd,
				NOVA_GETPARAM_VRAM_BAR_SIZE, &value));
	} else {
		/* Refused, not half done: the file still works. */
		EXPECT_EQ(0, nova_getparam(self->fd,
				NOVA_GETPARAM_VRAM_BAR_SIZE, &value));
		EXPECT_EQ(0, nova_gem_info(self->fd, handle, &value));
	}

	EXPECT_EQ(0, close(self->fd));
	self->fd = -1;
	EXPECT_EQ(0, nova_delete_module(NOVA_DRM));
	EXPECT_FALSE(nova_module_loaded(NOVA_DRM));
	if (nova_module_loaded(NOVA_CORE))
		EXPECT_EQ(0, nova_delete_module(NOVA_CORE));
	EXPECT_FALSE(nova_module_loaded(NOVA_CORE));
}

TEST_F_TIMEOUT(nova_node, unload_and_reload_cycles_work, NOVA_TEST_TIMEOUT)
{
	int cycle;

	/* No file open: nothing holds the modules. */
	EXPECT_EQ(0, close(self->fd));
	self->fd = -1;
	for (cycle = 0; cycle < CYCLES; cycle++) {
		ASSERT_EQ(0, nova_delete_module(NOVA_DRM));
		ASSERT_EQ(0, nova_delete_module(NOVA_CORE));
		EXPECT_FALSE(nova_module_loaded(NOVA_DRM));
		EXPECT_FALSE(nova_module_loaded(NOVA_CORE));
		EXPECT_EQ(0, nova_gpu_wait_gone(self->gpu.bdf, WAIT_MS));
		EXPECT_NE(0, access(self->path, F_OK))
			TH_LOG("%s outlived the modules", self->path);

		ASSERT_EQ(0, nova_reload()) TH_LOG("cycle %d", cycle);
		expect_working(_metadata, variant->render);
	}
}

TEST_HARNESS_MAIN
