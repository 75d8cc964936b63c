// SPDX-License-Identifier: GPL-2.0
/*
 * GEM objects behave as documented, on the render node and on the primary
 * node: sizes are rounded up to pages, GEM_CREATE writes back only the
 * handle, GEM_CLOSE frees, handles are unique and private to their file.
 */

#include <errno.h>
#include <stdint.h>

#include "nova_fixture.h"

#define NOBJECTS 256

TEST_F_TIMEOUT(nova_node, gem_info_reports_page_aligned_size,
	       NOVA_TEST_TIMEOUT)
{
	const uint64_t page = nova_page_size();
	const uint64_t sizes[] = {
		1, page - 1, page, page + 1, 3 * page, 65535,
		(1 << 20) + 1, 64ULL << 20,
	};
	uint32_t handle;
	uint64_t size;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		ASSERT_EQ(0, nova_gem_create(self->fd, sizes[i], &handle));
		size = 0;
		EXPECT_EQ(0, nova_gem_info(self->fd, handle, &size));
		EXPECT_EQ(nova_page_align(sizes[i]), size)
			TH_LOG("requested %llu", (unsigned long long)sizes[i]);
		EXPECT_EQ(0, nova_gem_close(self->fd, handle));
	}
}

TEST_F_TIMEOUT(nova_node, gem_create_writes_back_only_the_handle,
	       NOVA_TEST_TIMEOUT)
{
	const uint64_t size = nova_page_size() + 1;
	struct drm_nova_gem_create create = { .size = size };
	struct drm_nova_gem_info info = { 0 };

	ASSERT_EQ(0, nova_ioctl(self->fd, DRM_IOCTL_NOVA_GEM_CREATE, &create));
	EXPECT_NE(0, create.handle);
	EXPECT_EQ(0, create.pad);
	/* The requested size stays as it was; GEM_INFO has the real one. */
	EXPECT_EQ(size, create.size);

	info.handle = create.handle;
	ASSERT_EQ(0, nova_ioctl(self->fd, DRM_IOCTL_NOVA_GEM_INFO, &info));
	EXPECT_EQ(create.handle, info.handle);
	EXPECT_EQ(0, info.pad);
	EXPECT_EQ(nova_page_align(size), info.size);
	EXPECT_EQ(0, nova_gem_close(self->fd, create.handle));
}

TEST_F_TIMEOUT(nova_node, gem_close_then_gem_info_is_enoent, NOVA_TEST_TIMEOUT)
{
	uint32_t handle;
	uint64_t size;

	ASSERT_EQ(0, nova_gem_create(self->fd, 4096, &handle));
	ASSERT_EQ(0, nova_gem_info(self->fd, handle, &size));
	ASSERT_EQ(0, nova_gem_close(self->fd, handle));
	EXPECT_EQ(-ENOENT, nova_gem_info(self->fd, handle, &size));
	/* The DRM core refuses to close a handle twice. */
	EXPECT_EQ(-EINVAL, nova_gem_close(self->fd, handle));
}

TEST_F_TIMEOUT(nova_node, handles_are_unique_and_nonzero, NOVA_TEST_TIMEOUT)
{
	const uint64_t page = nova_page_size();
	uint32_t handles[NOBJECTS];
	uint64_t size;
	int i, j;

	for (i = 0; i < NOBJECTS; i++) {
		ASSERT_EQ(0, nova_gem_create(self->fd, (i + 1) * page,
					     &handles[i]));
		ASSERT_NE(0, handles[i]);
		for (j = 0; j < i; j++) {
			ASSERT_NE(handles[j], handles[i])
				TH_LOG("objects %d and %d", j, i);
		}
	}
	/* Each handle names its own object: sizes tell them apart. */
	for (i = 0; i < NOBJECTS; i++) {
		ASSERT_EQ(0, nova_gem_info(self->fd, handles[i], &size));
		EXPECT_EQ((i + 1) * page, size);
	}
	for (i = 0; i < NOBJECTS; i++) {
		EXPECT_EQ(0, nova_gem_close(self->fd, handles[i]))
			TH_LOG("handle %u", handles[i]);
	}
}

TEST_F_TIMEOUT(nova_node, handles_are_private_to_their_file, NOVA_TEST_TIMEOUT)
{
	const uint64_t page = nova_page_size();
	uint32_t mine, theirs;
	uint64_t size;
	int other;

	other = nova_open(self->path);
	ASSERT_LE(0, other);

	ASSERT_EQ(0, nova_gem_create(self->fd, 2 * page, &mine));
	/* The other file does not see, and cannot close, our object. */
	EXPECT_EQ(-ENOENT, nova_gem_info(other, mine, &size));
	EXPECT_EQ(-EINVAL, nova_gem_close(other, mine));
	ASSERT_EQ(0, nova_gem_info(self->fd, mine, &size));
	EXPECT_EQ(2 * page, size);

	/* Its handles are its own even where the numbers coincide. */
	ASSERT_EQ(0, nova_gem_create(other, 5 * page, &theirs));
	ASSERT_EQ(0, nova_gem_info(other, theirs, &size));
	EXPECT_EQ(5 * page, size);
	ASSERT_EQ(0, nova_gem_info(self->fd, mine, &size));
	EXPECT_EQ(2 * page, size);

	/* Closing the other file frees its objects and leaves ours. */
	close(other);
	ASSERT_EQ(0, nova_gem_info(self->fd, mine, &size));
	EXPECT_EQ(2 * page, size);
	EXPECT_EQ(0, nova_gem_close(self->fd, mine));
}

TEST_HARNESS_MAIN
