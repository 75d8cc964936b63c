// SPDX-License-Identifier: GPL-2.0
/*
 * Every invalid input of the nova uAPI gets the documented errno, on the
 * render node and on the primary node, and a failed call creates nothing.
 */

#include <errno.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "nova_fixture.h"

/* No handle exists in the file: nothing was created behind our back. */
static bool no_handles(int fd)
{
	uint64_t size;
	uint32_t h;

	for (h = 1; h <= 8; h++) {
		if (nova_gem_info(fd, h, &size) != -ENOENT)
			return false;
	}
	return true;
}

TEST_F_TIMEOUT(nova_node, getparam_unknown_param_is_einval, NOVA_TEST_TIMEOUT)
{
	static const uint64_t params[] = { 0, 2, 3, 0x100, 0x7fffffff,
					   0xffffffff };
	uint64_t value;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(params); i++) {
		EXPECT_EQ(-EINVAL, nova_getparam(self->fd, params[i], &value))
			TH_LOG("param %#llx", (unsigned long long)params[i]);
	}
}

TEST_F_TIMEOUT(nova_node, getparam_param_above_32_bits_is_einval,
	       NOVA_TEST_TIMEOUT)
{
	/* Truncated to 32 bits, the first two would read VRAM_BAR_SIZE. */
	static const uint64_t params[] = {
		1ULL << 32 | NOVA_GETPARAM_VRAM_BAR_SIZE,
		0xffffffff00000001ULL,
		1ULL << 32,
		1ULL << 63,
		UINT64_MAX,
	};
	uint64_t value;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(params); i++) {
		EXPECT_EQ(-EINVAL, nova_getparam(self->fd, params[i], &value))
			TH_LOG("param %#llx", (unsigned long long)params[i]);
	}
}

TEST_F_TIMEOUT(nova_node, getparam_vram_bar_size_is_aperture_length,
	       NOVA_TEST_TIMEOUT)
{
	uint64_t want, got = 0;

	ASSERT_EQ(0, nova_expected_vram_bar(self->gpu.bdf, &want));
	ASSERT_EQ(0, nova_getparam(self->fd, NOVA_GETPARAM_VRAM_BAR_SIZE, &got));
	EXPECT_EQ(want, got);
}

TEST_F_TIMEOUT(nova_node, gem_create_size_zero_is_einval, NOVA_TEST_TIMEOUT)
{
	uint32_t handle;

	EXPECT_EQ(-EINVAL, nova_gem_create(self->fd, 0, &handle));
	EXPECT_TRUE(no_handles(self->fd));
}

TEST_F_TIMEOUT(nova_node, gem_create_size_overflowing_page_alignment_is_einval,
	       NOVA_TEST_TIMEOUT)
{
	const uint64_t page = nova_page_size();
	const uint64_t sizes[] = {
		UINT64_MAX,
		UINT64_MAX - 100,
		UINT64_MAX - page + 2,	/* the smallest that overflows */
	};
	uint32_t handle;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		EXPECT_EQ(-EINVAL, nova_gem_create(self->fd, sizes[i], &handle))
			TH_LOG("size %#llx", (unsigned long long)sizes[i]);
	}
	EXPECT_TRUE(no_handles(self->fd));
}

TEST_F_TIMEOUT(nova_node, gem_create_nonzero_pad_is_einval, NOVA_TEST_TIMEOUT)
{
	static const uint32_t pads[] = { 1, 0x80000000, 0xffffffff };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(pads); i++) {
		struct drm_nova_gem_create arg = {
			.size = 4096,
			.pad = pads[i],
		};

		EXPECT_EQ(-EINVAL, nova_ioctl(self->fd,
					      DRM_IOCTL_NOVA_GEM_CREATE, &arg))
			TH_LOG("pad %#x", pads[i]);
	}
	EXPECT_TRUE(no_handles(self->fd));
}

TEST_F_TIMEOUT(nova_node, gem_info_nonzero_pad_is_einval, NOVA_TEST_TIMEOUT)
{
	static const uint32_t pads[] = { 1, 0x80000000, 0xffffffff };
	uint32_t handle;
	uint64_t size;
	size_t i;

	ASSERT_EQ(0, nova_gem_create(self->fd, 4096, &handle));
	for (i = 0; i < ARRAY_SIZE(pads); i++) {
		struct drm_nova_gem_info arg = {
			.handle = handle,
			.pad = pads[i],
		};

		EXPECT_EQ(-EINVAL, nova_ioctl(self->fd,
					      DRM_IOCTL_NOVA_GEM_INFO, &arg))
			TH_LOG("pad %#x", pads[i]);
	}
	/* The same query with pad 0 is fine: only the pad was wrong. */
	EXPECT_EQ(0, nova_gem_info(self->fd, handle, &size));
	EXPECT_EQ(0, nova_gem_close(self->fd, handle));
}

TEST_F_TIMEOUT(nova_node, gem_info_unknown_handle_is_enoent, NOVA_TEST_TIMEOUT)
{
	uint32_t handle;
	uint64_t size;

	EXPECT_EQ(-ENOENT, nova_gem_info(self->fd, 0, &size));
	EXPECT_EQ(-ENOENT, nova_gem_info(self->fd, 1, &size));
	EXPECT_EQ(-ENOENT, nova_gem_info(self->fd, 0xffffffff, &size));

	ASSERT_EQ(0, nova_gem_create(self->fd, 4096, &handle));
	EXPECT_EQ(-ENOENT, nova_gem_info(self->fd, 0, &size));
	EXPECT_EQ(-ENOENT, nova_gem_info(self->fd, handle + 1, &size));
	EXPECT_EQ(0, nova_gem_close(self->fd, handle));
}

TEST_F_TIMEOUT(nova_node, gem_info_closed_handle_is_enoent, NOVA_TEST_TIMEOUT)
{
	uint32_t handle;
	uint64_t size;

	ASSERT_EQ(0, nova_gem_create(self->fd, 4096, &handle));
	ASSERT_EQ(0, nova_gem_close(self->fd, handle));
	EXPECT_EQ(-ENOENT, nova_gem_info(self->fd, handle, &size));
}

TEST_F_TIMEOUT(nova_node, unknown_nova_ioctl_is_einval, NOVA_TEST_TIMEOUT)
{
	struct drm_nova_getparam arg = { .param = NOVA_GETPARAM_VRAM_BAR_SIZE };

	/* Numbers past the driver's table are refused by the DRM core. */
	EXPECT_EQ(-EINVAL, nova_ioctl(self->fd,
			DRM_IOWR(DRM_COMMAND_BASE + 3, struct drm_nova_getparam),
			&arg));
	EXPECT_EQ(-EINVAL, nova_ioctl(self->fd,
			DRM_IOWR(DRM_COMMAND_BASE + 0x5f, struct drm_nova_getparam),
			&arg));
}

TEST_F_TIMEOUT(nova_node, bad_user_pointer_is_efault, NOVA_TEST_TIMEOUT)
{
	static const unsigned long requests[] = {
		DRM_IOCTL_NOVA_GETPARAM,
		DRM_IOCTL_NOVA_GEM_CREATE,
		DRM_IOCTL_NOVA_GEM_INFO,
	};
	void *guard;
	size_t i;

	/* A page the kernel can neither read nor write through. */
	guard = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, guard);
	for (i = 0; i < ARRAY_SIZE(requests); i++) {
		errno = 0;
		EXPECT_EQ(-1, ioctl(self->fd, requests[i], guard));
		EXPECT_EQ(EFAULT, errno) TH_LOG("ioctl %#lx", requests[i]);
	}
	munmap(guard, 4096);
	EXPECT_TRUE(no_handles(self->fd));
}

TEST_HARNESS_MAIN
