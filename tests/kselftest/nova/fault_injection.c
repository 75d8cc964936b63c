// SPDX-License-Identifier: GPL-2.0
/*
 * Every allocation a user can make nova do, failed one at a time.
 *
 * For each operation (the nova ioctls, the DRM core's GEM_CLOSE, GEM_FLINK
 * and GEM_OPEN, open and close of both nodes, the fdinfo read, and binding
 * the GPU through sysfs) the test fails the n-th allocation of that one
 * call, for n = 1, 2, ... until the call runs with no failure injected:
 * /proc/thread-self/fail-nth with failslab and fail_page_alloc, which
 * count every allocation that may fail, sleeping ones included. After each
 * injected failure:
 *
 * - the call returned success (the failure was absorbed), ENOMEM, or the
 *   errno the uAPI document gives for it (GEM_CREATE: ENOSPC when shmem
 *   cannot allocate the object's inode; bind: EBUSY when the kernel cannot
 *   allocate the resource that claims a BAR);
 * - a failed call changed nothing a later call can see: the files' fdinfo
 *   usage lines are as before, and no handle appeared;
 * - the device works afterwards.
 *
 * Leaks and kernel reports are caught by the VM runner (kmemleak scan, and
 * any KASAN, lockdep or WARN line fails the run). The number of injection
 * points of each operation is printed, as a figure: it is what the kernel
 * allocates, not something to assert.
 *
 * Needs a kernel with CONFIG_FAULT_INJECTION, FAILSLAB and FAIL_PAGE_ALLOC
 * (the debug kernel); skips elsewhere.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <xf86drm.h>

#include "kselftest_harness.h"
#include "nova_test.h"

/* More injection points than any single call here can have. */
#define MAX_POINTS	2000
#define FDINFO_MAX	4096
#define WAIT_MS		20000

/* A fault-injection knob in debugfs, and what it held before. */
struct knob {
	const char *path;
	const char *value;
	char saved[64];
	bool set;
};

FIXTURE(faults) {
	struct nova_env env;
	struct nova_gpu gpu;
	int nth;		/* /proc/thread-self/fail-nth, opened once */
	int render;		/* a file on each node: the "other files" */
	int card;		/* the primary node's master */
	struct knob knobs[12];
	int nknobs;
	bool env_up;
};

static int knob_set(struct knob *k)
{
	int ret = nova_read_file(k->path, k->saved, sizeof(k->saved));

	if (ret)
		return ret;
	ret = nova_write_file(k->path, k->value);
	k->set = !ret;
	return ret;
}

/*
 * The DRM core of 6.12 oopses when drm_sysfs_minor_alloc() fails (it puts
 * an error pointer); no failure is injected with that function on the
 * stack. The range is the function's, from kallsyms.
 */
static int drm_bug_range(char *start, char *end, size_t len)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	unsigned long long addr, lo = 0, hi = ~0ULL;
	char type, name[256];

	if (!f)
		return -errno;
	while (fscanf(f, "%llx %c %255s%*[^\n]", &addr, &type, name) == 3) {
		if (!strcmp(name, "drm_sysfs_minor_alloc"))
			lo = addr;
	}
	rewind(f);
	while (lo && fscanf(f, "%llx %c %255s%*[^\n]", &addr, &type, name) == 3)
		if (addr > lo && addr < hi)
			hi = addr;
	fclose(f);
	if (!lo || hi == ~0ULL)
		return -ENOENT;
	snprintf(start, len, "0x%llx", lo);
	snprintf(end, len, "0x%llx", hi);
	return 0;
}

static void knobs_restore(FIXTURE_DATA(faults) *self)
{
	while (self->nknobs > 0) {
		struct knob *k = &self->knobs[--self->nknobs];

		if (k->set)
			nova_write_file(k->path, k->saved);
	}
}

static int knobs_set(FIXTURE_DATA(faults) *self)
{
	static char start[32], end[32];
	static const char *const attrs[] = { "failslab", "fail_page_alloc" };
	static char paths[2][5][96];
	unsigned int i;
	int ret;

	ret = drm_bug_range(start, end, sizeof(start));
	for (i = 0; i < ARRAY_SIZE(attrs); i++) {
		const char *const names[] = { "ignore-gfp-wait", "verbose",
					      "reject-start", "reject-end",
					      "min-order" };
		const char *const values[] = { "N", "0", start, end, "0" };
		unsigned int j;

		for (j = 0; j < ARRAY_SIZE(names); j++) {
			struct knob *k;

			if (ret && j >= 2 && j <= 3)
				continue; /* no DRM core function to keep out */
			snprintf(paths[i][j], sizeof(paths[i][j]),
				 "/sys/kernel/debug/%s/%s", attrs[i], names[j]);
			if (j == 4 && access(paths[i][j], F_OK))
				continue; /* failslab has no min-order */
			k = &self->knobs[self->nknobs++];
			k->path = paths[i][j];
			k->value = values[j];
			k->set = false;
			if (knob_set(k))
				return -errno;
		}
	}
	return 0;
}

FIXTURE_SETUP(faults)
{
	char why[128];

	self->nth = self->render = self->card = -1;
	self->nknobs = 0;
	self->env_up = false;
	self->nth = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (self->nth < 0 || access("/sys/kernel/debug/failslab", F_OK) ||
	    access("/sys/kernel/debug/fail_page_alloc", F_OK))
		SKIP(return, "no fail-nth, failslab or fail_page_alloc here");
	ASSERT_EQ(0, knobs_set(self));
	ASSERT_EQ(0, nova_env_up(&self->env, why, sizeof(why))) TH_LOG("%s", why);
	self->env_up = true;
	ASSERT_EQ(0, nova_first_gpu(&self->gpu));
	self->card = nova_open(self->gpu.card);
	ASSERT_LE(0, self->card);
	self->render = nova_open(self->gpu.render);
	ASSERT_LE(0, self->render);
}

FIXTURE_TEARDOWN(faults)
{
	if (self->render >= 0)
		close(self->render);
	if (self->card >= 0)
		close(self->card);
	knobs_restore(self);
	if (self->nth >= 0)
		close(self->nth);
	if (self->env_up)
		nova_env_down(&self->env);
}

/* Arm fail-nth: the @n-th fault point of this thread fails. */
static int arm(int nth, int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%d", n);

	return pwrite(nth, buf, len, 0) == len ? 0 : -errno;
}

/* Disarm; true if the armed failure was injected. */
static bool disarm(int nth)
{
	char buf[16] = "";
	bool injected;

	if (pread(nth, buf, sizeof(buf) - 1, 0) <= 0)
		return false;
	injected = atoi(buf) == 0;
	if (!injected)
		pwrite(nth, "0", 1, 0);
	return injected;
}

/* The usage lines ("drm-...") of @fd's fdinfo, in order. */
static int fdinfo_usage(int fd, char *out, size_t len)
{
	char path[64], buf[FDINFO_MAX], *line, *save = NULL;
	size_t used = 0;
	int ret;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	ret = nova_read_file(path, buf, sizeof(buf));
	if (ret)
		return ret;
	out[0] = '\0';
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "drm-", 4))
			continue;
		used += snprintf(out + used, len - used, "%s\n", line);
		if (used >= len)
			return -ENOSPC;
	}
	return 0;
}

/* What one operation works on; filled by its prepare step. */
struct op_ctx {
	FIXTURE_DATA(faults) *self;
	int fd;			/* the file the call goes to */
	int other;		/* a second file, for GEM_OPEN */
	uint32_t handle;	/* a prepared object in @fd */
	uint32_t name;		/* its global name */
	uint32_t free_handle;	/* the handle a new object would get */
	uint32_t made;		/* what a successful call created */
	int sysfs;		/* an open bind or unbind file */
	char bdf[32];
};

struct op {
	const char *name;
	int (*prepare)(struct op_ctx *c);	/* outside injection */
	int (*call)(struct op_ctx *c);		/* 0 or a negative errno */
	void (*undo)(struct op_ctx *c);		/* after a successful call */
	/* After a failed call: 0 if nothing the call would make is there. */
	int (*unchanged)(struct op_ctx *c);
	void (*cleanup)(struct op_ctx *c);	/* after every attempt */
	int also;				/* a documented errno besides ENOMEM */
};

static int new_object(int fd, uint32_t *handle)
{
	return nova_gem_create(fd, 4096, handle);
}

/* The handle the next object of @fd gets: the lowest free one. */
static int lowest_free_handle(int fd, uint32_t *handle)
{
	int ret = new_object(fd, handle);

	return ret ? ret : nova_gem_close(fd, *handle);
}

static int flink(int fd, uint32_t handle, uint32_t *name)
{
	struct drm_gem_flink arg = { .handle = handle };
	int ret = nova_ioctl(fd, DRM_IOCTL_GEM_FLINK, &arg);

	*name = arg.name;
	return ret;
}

static int gem_open(int fd, uint32_t name, uint32_t *handle)
{
	struct drm_gem_open arg = { .name = name };
	int ret = nova_ioctl(fd, DRM_IOCTL_GEM_OPEN, &arg);

	*handle = arg.handle;
	return ret;
}

static int no_handle(int fd, uint32_t handle)
{
	uint64_t size;

	return nova_gem_info(fd, handle, &size) == -ENOENT ? 0 : -EEXIST;
}

/* GETPARAM */
static int prep_render(struct op_ctx *c)
{
	c->fd = c->self->render;
	return 0;
}

static int call_getparam(struct op_ctx *c)
{
	uint64_t value;

	return nova_getparam(c->fd, NOVA_GETPARAM_VRAM_BAR_SIZE, &value);
}

/* GEM_CREATE */
static int prep_create(struct op_ctx *c)
{
	c->fd = c->self->render;
	return lowest_free_handle(c->fd, &c->free_handle);
}

static int call_create(struct op_ctx *c)
{
	return new_object(c->fd, &c->made);
}

static void undo_made(struct op_ctx *c)
{
	nova_gem_close(c->fd, c->made);
}

static int create_unchanged(struct op_ctx *c)
{
	return no_handle(c->fd, c->free_handle);
}

/* GEM_INFO, GEM_CLOSE: on a prepared object */
static int prep_object(struct op_ctx *c)
{
	c->fd = c->self->render;
	c->handle = 0;
	return new_object(c->fd, &c->handle);
}

static int call_info(struct op_ctx *c)
{
	uint64_t size;

	return nova_gem_info(c->fd, c->handle, &size);
}

static int call_close(struct op_ctx *c)
{
	int ret = nova_gem_close(c->fd, c->handle);

	if (!ret)
		c->handle = 0;
	return ret;
}

static void cleanup_object(struct op_ctx *c)
{
	if (c->handle)
		nova_gem_close(c->fd, c->handle);
}

/* GEM_FLINK and GEM_OPEN: on the primary node, between two files */
static int prep_card_object(struct op_ctx *c)
{
	c->fd = c->self->card;
	c->handle = 0;
	c->other = nova_open(c->self->gpu.card);
	if (c->other < 0)
		return c->other;
	return new_object(c->fd, &c->handle);
}

static void cleanup_card_object(struct op_ctx *c)
{
	cleanup_object(c);
	if (c->other >= 0)
		close(c->other);
}

static int call_flink(struct op_ctx *c)
{
	return flink(c->fd, c->handle, &c->name);
}

/* A failed FLINK leaves the object unnamed: another file cannot open it. */
static int flink_unchanged(struct op_ctx *c)
{
	uint32_t name, handle;
	int ret;

	ret = flink(c->fd, c->handle, &name);
	if (ret)
		return ret;
	/* The name is new unless the failed call kept one. */
	ret = gem_open(c->other, name, &handle);
	if (ret)
		return ret;
	return nova_gem_close(c->other, handle);
}

static int prep_named(struct op_ctx *c)
{
	int ret = prep_card_object(c);

	if (!ret)
		ret = flink(c->fd, c->handle, &c->name);
	if (!ret)
		ret = lowest_free_handle(c->other, &c->free_handle);
	return ret;
}

static int call_open_name(struct op_ctx *c)
{
	return gem_open(c->other, c->name, &c->made);
}

static void undo_opened(struct op_ctx *c)
{
	nova_gem_close(c->other, c->made);
}

static int open_unchanged(struct op_ctx *c)
{
	return no_handle(c->other, c->free_handle);
}

/* open + close of a node */
static int open_close(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static int call_open_card(struct op_ctx *c)
{
	return open_close(c->self->gpu.card);
}

static int call_open_render(struct op_ctx *c)
{
	return open_close(c->self->gpu.render);
}

/* The fdinfo of a nova file: open, read to the end, close. */
static int call_fdinfo(struct op_ctx *c)
{
	char path[64], buf[FDINFO_MAX];

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", c->fd);
	return nova_read_file(path, buf, sizeof(buf));
}

/* Binding and unbinding the last GPU through sysfs (not the fixture's). */
static int last_gpu(char *bdf, size_t len)
{
	char bdfs[NOVA_MAX_GPUS][32];
	int n = nova_model_bdfs(bdfs, NOVA_MAX_GPUS);

	if (n < 2)
		return -ENODEV;
	snprintf(bdf, len, "%s", bdfs[n - 1]);
	return 0;
}

static int open_sysfs(struct op_ctx *c, const char *what)
{
	char path[128];

	snprintf(path, sizeof(path), NOVA_CORE_DRIVER_DIR "/%s", what);
	c->sysfs = open(path, O_WRONLY | O_CLOEXEC);
	return c->sysfs < 0 ? -errno : 0;
}

static int prep_unbound(struct op_ctx *c)
{
	int ret = last_gpu(c->bdf, sizeof(c->bdf));

	if (ret)
		return ret;
	if (nova_is_bound(c->bdf)) {
		ret = nova_unbind(c->bdf);
		if (!ret)
			ret = nova_gpu_wait_gone(c->bdf, WAIT_MS);
	}
	return ret ? ret : open_sysfs(c, "bind");
}

static int prep_bound(struct op_ctx *c)
{
	struct nova_gpu gpu;
	int ret = last_gpu(c->bdf, sizeof(c->bdf));

	if (ret)
		return ret;
	if (!nova_is_bound(c->bdf))
		ret = nova_bind(c->bdf);
	if (!ret)
		ret = nova_gpu_wait(c->bdf, &gpu, WAIT_MS);
	return ret ? ret : open_sysfs(c, "unbind");
}

static int call_sysfs(struct op_ctx *c)
{
	size_t len = strlen(c->bdf);

	return write(c->sysfs, c->bdf, len) == (ssize_t)len ? 0 : -errno;
}

/* A failed bind leaves the GPU unbound, with no auxiliary device. */
static int bind_unchanged(struct op_ctx *c)
{
	struct nova_gpu gpu;

	if (nova_is_bound(c->bdf))
		return -EEXIST;
	nova_gpu_lookup(c->bdf, &gpu);
	return gpu.naux ? -EEXIST : 0;
}

static void cleanup_sysfs(struct op_ctx *c)
{
	close(c->sysfs);
}

/*
 * Run @op once per injection point, failing the n-th allocation; returns
 * how many points the call has, or -1 after a failed check.
 */
static int inject_each(struct __test_metadata *_metadata,
		       FIXTURE_DATA(faults) *self, const struct op *op)
{
	static char before[2][FDINFO_MAX], after[2][FDINFO_MAX];
	int n, ret, fds[2] = { self->render, self->card }, i;

	for (n = 1; n <= MAX_POINTS; n++) {
		struct op_ctx c = { .self = self, .other = -1, .sysfs = -1 };
		bool injected;

		if (op->prepare) {
			ret = op->prepare(&c);
			EXPECT_EQ(0, ret) TH_LOG("%s: preparing: %s", op->name,
						 strerror(-ret));
			if (ret)
				return -1;
		}
		for (i = 0; i < 2; i++)
			EXPECT_EQ(0, fdinfo_usage(fds[i], before[i], FDINFO_MAX));
		EXPECT_EQ(0, arm(self->nth, n));
		ret = op->call(&c);
		injected = disarm(self->nth);

		if (ret) {
			EXPECT_TRUE(injected) TH_LOG("%s failed with nothing injected: %s",
						     op->name, strerror(-ret));
			if (ret != -ENOMEM && (!op->also || ret != -op->also))
				EXPECT_EQ(-ENOMEM, ret) TH_LOG("%s, allocation %d failed: %s",
							       op->name, n, strerror(-ret));
			for (i = 0; i < 2; i++) {
				EXPECT_EQ(0, fdinfo_usage(fds[i], after[i], FDINFO_MAX));
				EXPECT_STREQ(before[i], after[i])
					TH_LOG("%s, allocation %d failed: usage changed",
					       op->name, n);
			}
			if (op->unchanged)
				EXPECT_EQ(0, op->unchanged(&c))
					TH_LOG("%s, allocation %d failed: left something",
					       op->name, n);
		} else if (op->undo) {
			op->undo(&c);
		}
		if (op->cleanup)
			op->cleanup(&c);
		if (_metadata->exit_code != KSFT_PASS)
			return -1;
		if (!injected) {
			nova_log("fault-injection: %s: %d injection points", op->name,
				 n - 1);
			return n - 1;
		}
	}
	TH_LOG("%s: still failing after %d injected failures", op->name, MAX_POINTS);
	_metadata->exit_code = KSFT_FAIL;
	return -1;
}

/* The device still serves every ioctl, on both nodes. */
static void device_works(struct __test_metadata *_metadata,
			 FIXTURE_DATA(faults) *self)
{
	uint64_t value, size;
	uint32_t handle;

	EXPECT_EQ(0, nova_getparam(self->render, NOVA_GETPARAM_VRAM_BAR_SIZE, &value));
	ASSERT_EQ(0, nova_gem_create(self->render, 8192, &handle));
	EXPECT_EQ(0, nova_gem_info(self->render, handle, &size));
	EXPECT_EQ(8192, size);
	EXPECT_EQ(0, nova_gem_close(self->render, handle));
	ASSERT_EQ(0, nova_gem_create(self->card, 4096, &handle));
	EXPECT_EQ(0, nova_gem_close(self->card, handle));
}

#define OP(n, ...) { .name = n, __VA_ARGS__ }

static const struct op ioctl_ops[] = {
	OP("GETPARAM", .prepare = prep_render, .call = call_getparam),
	OP("GEM_CREATE", .prepare = prep_create, .call = call_create, .undo = undo_made,
	   .unchanged = create_unchanged, .also = ENOSPC),
	OP("GEM_INFO", .prepare = prep_object, .call = call_info, .cleanup = cleanup_object),
	OP("GEM_CLOSE", .prepare = prep_object, .call = call_close, .cleanup = cleanup_object),
	OP("GEM_FLINK", .prepare = prep_card_object, .call = call_flink,
	   .unchanged = flink_unchanged, .cleanup = cleanup_card_object),
	OP("GEM_OPEN", .prepare = prep_named, .call = call_open_name, .undo = undo_opened,
	   .unchanged = open_unchanged, .cleanup = cleanup_card_object),
};

static const struct op file_ops[] = {
	OP("open+close card", .call = call_open_card),
	OP("open+close render", .call = call_open_render),
	OP("fdinfo read", .prepare = prep_render, .call = call_fdinfo),
};

static const struct op sysfs_ops[] = {
	OP("bind", .prepare = prep_unbound, .call = call_sysfs, .unchanged = bind_unchanged,
	   .cleanup = cleanup_sysfs, .also = EBUSY),
	OP("unbind", .prepare = prep_bound, .call = call_sysfs, .cleanup = cleanup_sysfs),
};

TEST_F_TIMEOUT(faults, each_ioctl_allocation_fails_cleanly, NOVA_TEST_TIMEOUT)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ioctl_ops); i++)
		ASSERT_LE(0, inject_each(_metadata, self, &ioctl_ops[i]));
	device_works(_metadata, self);
}

TEST_F_TIMEOUT(faults, each_open_close_and_fdinfo_allocation_fails_cleanly,
	       NOVA_TEST_TIMEOUT)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(file_ops); i++)
		ASSERT_LE(0, inject_each(_metadata, self, &file_ops[i]));
	device_works(_metadata, self);
}

TEST_F_TIMEOUT(faults, each_bind_and_unbind_allocation_fails_cleanly,
	       NOVA_TEST_TIMEOUT)
{
	struct nova_gpu gpu;
	char bdf[32];
	uint64_t value;
	unsigned int i;
	int fd;

	if (last_gpu(bdf, sizeof(bdf)))
		SKIP(return, "needs two model GPUs");
	for (i = 0; i < ARRAY_SIZE(sysfs_ops); i++)
		EXPECT_LE(0, inject_each(_metadata, self, &sysfs_ops[i]));

	/* Bound again with nothing injected, the GPU works. */
	if (!nova_is_bound(bdf))
		ASSERT_EQ(0, nova_bind(bdf));
	ASSERT_EQ(0, nova_gpu_wait(bdf, &gpu, WAIT_MS));
	fd = nova_open(gpu.render);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, nova_getparam(fd, NOVA_GETPARAM_VRAM_BAR_SIZE, &value));
	close(fd);
	device_works(_metadata, self);
}

TEST_HARNESS_MAIN
