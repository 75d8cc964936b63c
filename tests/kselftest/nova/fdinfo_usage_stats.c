// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/<pid>/fdinfo/<fd> of a nova file shows the DRM client usage stats
 * (the kernel's Documentation/gpu/drm-usage-stats.rst), as gputop, nvtop
 * and other tools read them:
 *
 *   drm-driver:          nova
 *   drm-client-id:       <n>, distinct for every open file
 *   drm-pdev:            the GPU's PCI address, e.g. 0000:00:02.0
 *   drm-total-memory:    <n> [KiB|MiB]: the file's GEM objects, page-aligned
 *   drm-shared-memory:   the part shared with other files (another file
 *                        opened the object by its name)
 *   drm-resident-memory: the part backed by memory now; printed, as the
 *                        DRM core does, once the file has an object
 *
 * Sizes are printed in the largest unit (none, KiB, MiB) that divides them
 * exactly, as 6.12's drm_print_memory_stats() does; every unit the document
 * allows is parsed. The same keys on 6.1 and 6.12, on render and primary
 * nodes.
 */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nova_fixture.h"

#define WAIT_MS		10000
#define KiB		1024ULL
#define MiB		(1024ULL * 1024)

/* What the fdinfo of one file says; a key seen more than once is an error. */
struct usage {
	char driver[64];
	char pdev[32];
	unsigned long long client_id;
	uint64_t total, shared, resident;
	int ndriver, nclient, npdev, ntotal, nshared, nresident;
	char bad[160];		/* first unparsable line, "" when none */
};

/* "<n>", "<n> KiB", "<n> MiB", "<n> GiB" (drm-usage-stats.rst) in bytes. */
static int parse_size(const char *val, uint64_t *bytes)
{
	static const struct {
		const char *unit;
		uint64_t mult;
	} units[] = {
		{ "", 1 }, { "KiB", KiB }, { "MiB", MiB }, { "GiB", 1024 * MiB },
	};
	unsigned long long n;
	char *end;
	size_t i;

	if (!isdigit((unsigned char)*val))
		return -EINVAL;
	errno = 0;
	n = strtoull(val, &end, 10);
	if (errno)
		return -errno;
	while (*end == ' ' || *end == '\t')
		end++;
	for (i = 0; i < ARRAY_SIZE(units); i++) {
		if (strcmp(end, units[i].unit))
			continue;
		if (n > UINT64_MAX / units[i].mult)
			return -ERANGE;
		*bytes = n * units[i].mult;
		return 0;
	}
	return -EINVAL;
}

static void note_bad(struct usage *u, const char *key, const char *val)
{
	if (!u->bad[0])
		snprintf(u->bad, sizeof(u->bad), "%s: %s", key, val);
}

static void parse_line(struct usage *u, char *line)
{
	char *key = line, *val, *end;
	uint64_t size;

	val = strchr(line, ':');
	if (!val)
		return;
	*val++ = '\0';
	while (*val == ' ' || *val == '\t')
		val++;
	end = val + strlen(val);
	while (end > val && isspace((unsigned char)end[-1]))
		*--end = '\0';

	if (!strcmp(key, "drm-driver")) {
		u->ndriver++;
		snprintf(u->driver, sizeof(u->driver), "%s", val);
	} else if (!strcmp(key, "drm-pdev")) {
		u->npdev++;
		snprintf(u->pdev, sizeof(u->pdev), "%s", val);
	} else if (!strcmp(key, "drm-client-id")) {
		u->nclient++;
		errno = 0;
		u->client_id = strtoull(val, &end, 10);
		if (!isdigit((unsigned char)*val) || *end || errno)
			note_bad(u, key, val);
	} else if (!strncmp(key, "drm-", 4) && strstr(key, "-memory")) {
		/* Every memory key, of any region, is a size in a known unit. */
		if (parse_size(val, &size)) {
			note_bad(u, key, val);
			return;
		}
		if (!strcmp(key, "drm-total-memory")) {
			u->ntotal++;
			u->total = size;
		} else if (!strcmp(key, "drm-shared-memory")) {
			u->nshared++;
			u->shared = size;
		} else if (!strcmp(key, "drm-resident-memory")) {
			u->nresident++;
			u->resident = size;
		}
	}
}

/* Read and parse /proc/self/fdinfo/@fd; 0 or a negative errno. */
static int read_usage(int fd, struct usage *u)
{
	char path[64], line[256];
	FILE *f;

	memset(u, 0, sizeof(*u));
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		parse_line(u, line);
	fclose(f);
	return 0;
}

/*
 * Every key present exactly once and well-formed. drm-resident-memory, as
 * the DRM core prints it, appears once the file has an object that can say
 * whether it is resident: it may be missing while the file has none.
 */
static void check_keys(struct __test_metadata *_metadata, const struct usage *u,
		       const char *what)
{
	EXPECT_STREQ("", u->bad) TH_LOG("%s: malformed fdinfo line", what);
	EXPECT_EQ(1, u->ndriver) TH_LOG("%s: drm-driver lines", what);
	EXPECT_EQ(1, u->nclient) TH_LOG("%s: drm-client-id lines", what);
	EXPECT_EQ(1, u->npdev) TH_LOG("%s: drm-pdev lines", what);
	EXPECT_EQ(1, u->ntotal) TH_LOG("%s: drm-total-memory lines", what);
	EXPECT_EQ(1, u->nshared) TH_LOG("%s: drm-shared-memory lines", what);
	if (u->total) {
		EXPECT_EQ(1, u->nresident)
			TH_LOG("%s: drm-resident-memory lines with objects",
			       what);
	} else {
		EXPECT_GE(1, u->nresident)
			TH_LOG("%s: drm-resident-memory lines", what);
	}
	EXPECT_STREQ(NOVA_DRV_NAME, u->driver) TH_LOG("%s", what);
}

/* @fd's total and shared memory, its keys checked, or fail. */
static void sharing_of(struct __test_metadata *_metadata, int fd,
		       const char *what, uint64_t *total, uint64_t *shared)
{
	struct usage u;

	ASSERT_EQ(0, read_usage(fd, &u)) TH_LOG("%s: fdinfo", what);
	check_keys(_metadata, &u, what);
	ASSERT_EQ(1, u.ntotal) TH_LOG("%s: no drm-total-memory", what);
	/* What is resident is part of the total. */
	EXPECT_LE(u.resident, u.total) TH_LOG("%s", what);
	*total = u.total;
	*shared = u.shared;
}

/* @fd's total, where nothing is shared, or fail. */
static uint64_t total_of(struct __test_metadata *_metadata, int fd,
			 const char *what)
{
	uint64_t total, shared;

	sharing_of(_metadata, fd, what, &total, &shared);
	EXPECT_EQ(0, shared) TH_LOG("%s", what);
	return total;
}

/* ---- one file on the first GPU, render and primary node ---- */

TEST_F_TIMEOUT(nova_node, fresh_file_shows_driver_pdev_and_client_id,
	       NOVA_TEST_TIMEOUT)
{
	struct usage u;

	ASSERT_EQ(0, read_usage(self->fd, &u));
	check_keys(_metadata, &u, self->path);
	EXPECT_STREQ(self->gpu.bdf, u.pdev);
}

TEST_F_TIMEOUT(nova_node, fresh_file_counts_no_memory, NOVA_TEST_TIMEOUT)
{
	struct usage u;

	ASSERT_EQ(0, read_usage(self->fd, &u));
	check_keys(_metadata, &u, self->path);
	EXPECT_EQ(0, u.total);
	EXPECT_EQ(0, u.shared);
	EXPECT_EQ(0, u.resident);
}

TEST_F_TIMEOUT(nova_node, each_open_file_has_its_own_client_id,
	       NOVA_TEST_TIMEOUT)
{
	struct usage a, b, c, dup_a;
	int fd_b, fd_c, fd_dup;

	fd_b = nova_open(self->path);
	ASSERT_LE(0, fd_b);
	fd_c = nova_open(self->path);
	ASSERT_LE(0, fd_c);
	fd_dup = dup(self->fd);
	ASSERT_LE(0, fd_dup);

	ASSERT_EQ(0, read_usage(self->fd, &a));
	ASSERT_EQ(0, read_usage(fd_b, &b));
	ASSERT_EQ(0, read_usage(fd_c, &c));
	ASSERT_EQ(0, read_usage(fd_dup, &dup_a));
	check_keys(_metadata, &a, "first file");
	check_keys(_metadata, &b, "second file");
	check_keys(_metadata, &c, "third file");
	check_keys(_metadata, &dup_a, "duplicated descriptor");

	EXPECT_NE(a.client_id, b.client_id);
	EXPECT_NE(a.client_id, c.client_id);
	EXPECT_NE(b.client_id, c.client_id);
	/* A duplicated descriptor is the same open file, the same client. */
	EXPECT_EQ(a.client_id, dup_a.client_id);

	close(fd_dup);
	close(fd_c);
	close(fd_b);
}

TEST_F_TIMEOUT(nova_node, objects_move_total_memory_by_their_aligned_size,
	       NOVA_TEST_TIMEOUT)
{
	const uint64_t sizes[] = { 4096, 5000, MiB };
	uint32_t handles[ARRAY_SIZE(sizes)];
	uint64_t before, now, expect;
	size_t i;

	before = total_of(_metadata, self->fd, self->path);
	ASSERT_EQ(0, before);

	expect = before;
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		ASSERT_EQ(0, nova_gem_create(self->fd, sizes[i], &handles[i]));
		expect += nova_page_align(sizes[i]);
		now = total_of(_metadata, self->fd, self->path);
		EXPECT_EQ(expect, now)
			TH_LOG("after creating %llu bytes",
			       (unsigned long long)sizes[i]);
	}

	/* Closing the 5000-byte object gives back exactly its 8 KiB. */
	ASSERT_EQ(0, nova_gem_close(self->fd, handles[1]));
	expect -= nova_page_align(sizes[1]);
	EXPECT_EQ(expect, total_of(_metadata, self->fd, self->path));

	ASSERT_EQ(0, nova_gem_close(self->fd, handles[2]));
	expect -= nova_page_align(sizes[2]);
	EXPECT_EQ(expect, total_of(_metadata, self->fd, self->path));

	ASSERT_EQ(0, nova_gem_close(self->fd, handles[0]));
	EXPECT_EQ(before, total_of(_metadata, self->fd, self->path));
}

TEST_F_TIMEOUT(nova_node, objects_of_another_file_do_not_count,
	       NOVA_TEST_TIMEOUT)
{
	uint32_t h1, h2, mine;
	int other;

	other = nova_open(self->path);
	ASSERT_LE(0, other);

	/* 1 MiB + 4 KiB: printed as 1028 KiB. */
	ASSERT_EQ(0, nova_gem_create(other, MiB, &h1));
	ASSERT_EQ(0, nova_gem_create(other, 4096, &h2));
	EXPECT_EQ(0, total_of(_metadata, self->fd, "this file"));
	EXPECT_EQ(MiB + 4096, total_of(_metadata, other, "other file"));

	ASSERT_EQ(0, nova_gem_create(self->fd, 3 * 4096, &mine));
	EXPECT_EQ(3 * 4096, total_of(_metadata, self->fd, "this file"));
	EXPECT_EQ(MiB + 4096, total_of(_metadata, other, "other file"));

	/* Closing the other file frees its objects, not ours. */
	close(other);
	EXPECT_EQ(3 * 4096, total_of(_metadata, self->fd, "this file"));
	EXPECT_EQ(0, nova_gem_close(self->fd, mine));
	EXPECT_EQ(0, total_of(_metadata, self->fd, "this file"));
}

/*
 * An object another file also has a handle to (by its global name:
 * GEM_FLINK, then GEM_OPEN in the other file) counts as shared in both
 * files, and as private again once the other handle is closed. Naming
 * needs the primary node: on the render node GEM_FLINK is refused and
 * nothing becomes shared.
 */
TEST_F_TIMEOUT(nova_node, object_opened_by_another_file_counts_as_shared,
	       NOVA_TEST_TIMEOUT)
{
	struct drm_gem_flink flink = { 0 };
	struct drm_gem_open open_arg = { 0 };
	uint64_t total, shared;
	uint32_t handle;
	int other;

	ASSERT_EQ(0, nova_gem_create(self->fd, MiB, &handle));
	flink.handle = handle;
	if (variant->render) {
		EXPECT_EQ(-EACCES, nova_ioctl(self->fd, DRM_IOCTL_GEM_FLINK,
					      &flink));
		sharing_of(_metadata, self->fd, self->path, &total, &shared);
		EXPECT_EQ(MiB, total);
		EXPECT_EQ(0, shared);
		return;
	}
	ASSERT_EQ(0, nova_ioctl(self->fd, DRM_IOCTL_GEM_FLINK, &flink));
	ASSERT_NE(0, flink.name);

	/* Opened by root: authenticated, as the DRM core treats CAP_SYS_ADMIN. */
	other = nova_open(self->path);
	ASSERT_LE(0, other);
	open_arg.name = flink.name;
	ASSERT_EQ(0, nova_ioctl(other, DRM_IOCTL_GEM_OPEN, &open_arg));
	EXPECT_EQ(MiB, open_arg.size);

	sharing_of(_metadata, self->fd, "creator", &total, &shared);
	EXPECT_EQ(MiB, total);
	EXPECT_EQ(MiB, shared);
	sharing_of(_metadata, other, "opener", &total, &shared);
	EXPECT_EQ(MiB, total);
	EXPECT_EQ(MiB, shared);

	/* The opener lets go: the creator's object is its own again. */
	EXPECT_EQ(0, nova_gem_close(other, open_arg.handle));
	sharing_of(_metadata, other, "opener", &total, &shared);
	EXPECT_EQ(0, total);
	EXPECT_EQ(0, shared);
	sharing_of(_metadata, self->fd, "creator", &total, &shared);
	EXPECT_EQ(MiB, total);
	EXPECT_EQ(0, shared);
	close(other);
}

/* ---- every GPU ---- */

FIXTURE(gpus) {
	struct nova_env env;
	char bdfs[NOVA_MAX_GPUS][32];
	struct nova_gpu gpu[NOVA_MAX_GPUS];
	int fd[NOVA_MAX_GPUS];
	int n;
};

FIXTURE_SETUP(gpus)
{
	char why[128];
	int i, ret = 0;

	for (i = 0; i < NOVA_MAX_GPUS; i++)
		self->fd[i] = -1;
	if (nova_env_up(&self->env, why, sizeof(why)))
		SKIP(return, "%s", why);
	self->n = nova_bound_bdfs(self->bdfs, NOVA_MAX_GPUS);
	for (i = 0; i < self->n && !ret; i++) {
		ret = nova_gpu_wait(self->bdfs[i], &self->gpu[i], WAIT_MS);
		if (ret) {
			nova_log("%s has no DRM nodes", self->bdfs[i]);
			break;
		}
		self->fd[i] = nova_open(self->gpu[i].render);
		if (self->fd[i] < 0) {
			ret = self->fd[i];
			nova_log("open %s: %s", self->gpu[i].render,
				 strerror(-ret));
		}
	}
	if (ret) {
		for (i = 0; i < self->n; i++) {
			if (self->fd[i] >= 0)
				close(self->fd[i]);
		}
		nova_env_down(&self->env);
	}
	ASSERT_EQ(0, ret);
}

FIXTURE_TEARDOWN(gpus)
{
	int i;

	for (i = 0; i < self->n; i++) {
		if (self->fd[i] >= 0)
			close(self->fd[i]);
	}
	nova_rebind_all(self->bdfs, self->n);
	nova_env_down(&self->env);
}

/*
 * Each GPU's file names that GPU's PCI address. Client ids may repeat
 * across devices only where drm-pdev tells them apart (the document allows
 * ids unique per device), so (drm-pdev, drm-client-id) is unique.
 */
TEST_F_TIMEOUT(gpus, each_gpu_file_shows_its_own_pdev, NOVA_TEST_TIMEOUT)
{
	struct usage u[NOVA_MAX_GPUS];
	int i, j;

	for (i = 0; i < self->n; i++) {
		ASSERT_EQ(0, read_usage(self->fd[i], &u[i]));
		check_keys(_metadata, &u[i], self->gpu[i].render);
		EXPECT_STREQ(self->bdfs[i], u[i].pdev);
		for (j = 0; j < i; j++) {
			EXPECT_FALSE(!strcmp(u[i].pdev, u[j].pdev) &&
				     u[i].client_id == u[j].client_id)
				TH_LOG("%s and %s are both client %llu of %s",
				       self->gpu[j].render, self->gpu[i].render,
				       u[i].client_id, u[i].pdev);
		}
	}
}

/* Objects on one GPU count in that GPU's file only. Needs two GPUs. */
TEST_F_TIMEOUT(gpus, objects_on_another_gpu_do_not_count, NOVA_TEST_TIMEOUT)
{
	uint32_t handle;
	int i;

	if (self->n < 2)
		SKIP(return, "%d GPU(s) bound to %s, the test needs 2",
		     self->n, NOVA_CORE);

	ASSERT_EQ(0, nova_gem_create(self->fd[0], MiB, &handle));
	EXPECT_EQ(MiB, total_of(_metadata, self->fd[0], self->gpu[0].render));
	for (i = 1; i < self->n; i++) {
		EXPECT_EQ(0, total_of(_metadata, self->fd[i],
				      self->gpu[i].render));
	}
	EXPECT_EQ(0, nova_gem_close(self->fd[0], handle));
}

/*
 * Once the GPU is unbound its files stay open; reading their fdinfo works
 * and shows nothing wrong (6.12's DRM core shows no DRM keys at all then).
 */
TEST_F_TIMEOUT(gpus, fdinfo_of_an_unbound_gpu_stays_readable,
	       NOVA_TEST_TIMEOUT)
{
	const int k = self->n - 1;
	uint32_t handle;
	struct usage u;

	ASSERT_EQ(0, nova_gem_create(self->fd[k], MiB, &handle));
	ASSERT_EQ(0, nova_unbind(self->bdfs[k]));
	ASSERT_EQ(0, nova_gpu_wait_gone(self->bdfs[k], WAIT_MS));

	ASSERT_EQ(0, read_usage(self->fd[k], &u));
	EXPECT_STREQ("", u.bad);
	if (u.ndriver) {
		EXPECT_STREQ(NOVA_DRV_NAME, u.driver);
	}
	if (u.npdev) {
		EXPECT_STREQ(self->bdfs[k], u.pdev);
	}
	if (u.ntotal) {
		EXPECT_EQ(MiB, u.total);
	}
	close(self->fd[k]);
	self->fd[k] = -1;
}

TEST_HARNESS_MAIN
