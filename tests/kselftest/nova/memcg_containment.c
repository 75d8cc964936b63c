// SPDX-License-Identifier: GPL-2.0
/*
 * A render-node client in a memory cgroup pays for the kernel memory its
 * GEM objects cost, not the machine.
 *
 * A nova object allocates no pages until used (there is no mmap ioctl), but
 * each one costs kernel memory: nova's GEM object, the shmem inode, dentry
 * and file behind it, the handle. The kernel charges its own shares of
 * that to the caller's memory cgroup (the inode, dentry and file caches
 * are accounted); nova allocates its object and per-open data with
 * __GFP_ACCOUNT, so they are charged too. What the DRM core allocates for
 * a handle (an idr slot, a drm_vma_offset_file) is not.
 *
 * - charge_per_object: memory.current of the client's cgroup grows by
 *   about what the kernel's slab grows by per object created (the figures
 *   are printed), and by at least nova's object plus the kernel's shares;
 * - client_pays_at_its_limit: with memory.max = 64M and memory.swap.max =
 *   0, the client creates 4 KiB objects until a create fails. It is
 *   killed by the cgroup's OOM killer, or its creates fail with ENOMEM
 *   (ENOSPC when shmem cannot allocate the inode); meanwhile and after,
 *   a process outside the cgroup creates and queries objects and reads
 *   /proc/meminfo. Once the client is gone the cgroup's charge drops to
 *   almost nothing and the slab is back near where it was.
 *
 * Needs cgroup v2 with the memory controller (CONFIG_MEMCG); mounts
 * cgroup2 on /sys/fs/cgroup when nothing is mounted there, and skips
 * without it.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nova_test.h"

#define CGROUP_MOUNT		"/sys/fs/cgroup"
#define LIMIT			(64ULL << 20)
#define MEASURE_OBJECTS		4096
#define WARMUP_OBJECTS		256
/* 64 MiB buys some tens of thousands of objects; far more means no limit. */
#define MAX_OBJECTS		2000000
#define CLIENT_SECONDS		300
/* What the outside process does while the client is at its limit. */
#define OUTSIDE_OBJECTS		256
/*
 * What an emptied cgroup may still be charged for: per-CPU charge caches
 * and kernel memory freed late (seen: 0.3 to 2.9 MB after the client),
 * a sixteenth of the limit, whereas the client's objects held all of it.
 */
#define EMPTY_SLACK		(LIMIT / 16)
#define SLAB_SLACK_KB		(8 * 1024)
/* Tries 250 ms apart (30 s at most) for that and the slab to settle. */
#define SETTLE_TRIES		120

/* What the client and the test share: anonymous memory touched before fork. */
struct shared {
	atomic_long created;
	atomic_int error;	/* the create that failed: its positive errno */
	atomic_int done;	/* the client stopped creating */
};

FIXTURE(memcg) {
	struct nova_env env;
	struct nova_gpu gpu;
	char root[256];
	char cg[320];
	bool env_up;
	bool mounted;
	bool enabled_memory;
	bool made_cg;
	pid_t client;
	int to_client;		/* the test's end of the pipe: closing it ends the client */
	struct shared *sh;
};

static int cg_path(FIXTURE_DATA(memcg) *self, const char *file, char *out,
		   size_t len)
{
	return snprintf(out, len, "%s/%s", self->cg, file) >= (int)len ? -ENAMETOOLONG : 0;
}

static int cg_write(FIXTURE_DATA(memcg) *self, const char *file, const char *str)
{
	char path[384];

	return cg_path(self, file, path, sizeof(path)) ?: nova_write_file(path, str);
}

/* A number file of the cgroup (memory.current, memory.peak); -1 on error. */
static long long cg_read(FIXTURE_DATA(memcg) *self, const char *file)
{
	char path[384], buf[64];

	if (cg_path(self, file, path, sizeof(path)) ||
	    nova_read_file(path, buf, sizeof(buf)))
		return -1;
	return strtoll(buf, NULL, 10);
}

/* A key of a flat keyed file (memory.events, memory.stat); -1 if absent. */
static long long cg_key(FIXTURE_DATA(memcg) *self, const char *file,
			const char *key)
{
	char path[384], buf[8192], *p;
	size_t len = strlen(key);

	if (cg_path(self, file, path, sizeof(path)) ||
	    nova_read_file(path, buf, sizeof(buf)))
		return -1;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (!strncmp(p, key, len) && p[len] == ' ')
			return strtoll(p + len + 1, NULL, 10);
	}
	return -1;
}

/* The cgroup2 mount point, mounting it on /sys/fs/cgroup if none is. */
static int cgroup2_root(FIXTURE_DATA(memcg) *self)
{
	char dev[64], dir[256], type[64];
	FILE *f = fopen("/proc/mounts", "re");

	if (!f)
		return -errno;
	while (fscanf(f, "%63s %255s %63s %*[^\n]", dev, dir, type) == 3) {
		if (!strcmp(type, "cgroup2")) {
			memcpy(self->root, dir, sizeof(dir));
			fclose(f);
			return 0;
		}
	}
	fclose(f);
	mkdir(CGROUP_MOUNT, 0755);
	if (mount("cgroup2", CGROUP_MOUNT, "cgroup2", 0, NULL))
		return -errno;
	self->mounted = true;
	snprintf(self->root, sizeof(self->root), "%s", CGROUP_MOUNT);
	return 0;
}

/* Is @word one of the space-separated words of @list? */
static bool has_word(const char *list, const char *word)
{
	size_t len = strlen(word);
	const char *p;

	for (p = strstr(list, word); p; p = strstr(p + 1, word)) {
		if ((p == list || p[-1] == ' ') &&
		    (p[len] == ' ' || p[len] == '\n' || !p[len]))
			return true;
	}
	return false;
}

FIXTURE_SETUP(memcg)
{
	char path[300], buf[256], why[128];

	self->env_up = self->mounted = self->enabled_memory = self->made_cg = false;
	self->client = -1;
	self->to_client = -1;
	self->sh = MAP_FAILED;
	if (nova_env_up(&self->env, why, sizeof(why)))
		SKIP(return, "%s", why);
	self->env_up = true;
	ASSERT_EQ(0, nova_first_gpu(&self->gpu));

	if (cgroup2_root(self))
		SKIP(return, "no cgroup v2 here");
	snprintf(path, sizeof(path), "%s/cgroup.controllers", self->root);
	if (nova_read_file(path, buf, sizeof(buf)) || !has_word(buf, "memory"))
		SKIP(return, "no memory controller (CONFIG_MEMCG)");
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", self->root);
	ASSERT_EQ(0, nova_read_file(path, buf, sizeof(buf)));
	if (!has_word(buf, "memory")) {
		ASSERT_EQ(0, nova_write_file(path, "+memory"));
		self->enabled_memory = true;
	}
	snprintf(self->cg, sizeof(self->cg), "%s/nova-memcg.%d", self->root, getpid());
	ASSERT_EQ(0, mkdir(self->cg, 0755)) TH_LOG("mkdir %s: %s", self->cg, strerror(errno));
	self->made_cg = true;

	self->sh = mmap(NULL, sizeof(*self->sh), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->sh);
	memset(self->sh, 0, sizeof(*self->sh));
}

static void stop_client(FIXTURE_DATA(memcg) *self, int *status)
{
	int st = 0;

	if (self->to_client >= 0)
		close(self->to_client);
	self->to_client = -1;
	if (self->client > 0 && waitpid(self->client, &st, 0) == self->client && status)
		*status = st;
	self->client = -1;
}

FIXTURE_TEARDOWN(memcg)
{
	char path[300];
	int i;

	if (self->client > 0)
		kill(self->client, SIGKILL);
	stop_client(self, NULL);
	if (self->sh != MAP_FAILED)
		munmap(self->sh, sizeof(*self->sh));
	/* A killed client's cgroup empties once the task is fully gone. */
	for (i = 0; self->made_cg && rmdir(self->cg) && i < 100; i++)
		usleep(50 * 1000);
	if (self->enabled_memory) {
		snprintf(path, sizeof(path), "%s/cgroup.subtree_control", self->root);
		nova_write_file(path, "-memory");
	}
	if (self->mounted)
		umount(CGROUP_MOUNT);
	if (self->env_up)
		nova_env_down(&self->env);
}

/*
 * Fork the client: it joins the cgroup, opens the render node and runs
 * @body, then waits until the test closes its end of the pipe, holding
 * whatever it made. Returns 0 in the test.
 */
static int start_client(FIXTURE_DATA(memcg) *self,
			void (*body)(FIXTURE_DATA(memcg) *self, int fd))
{
	int pipefd[2], fd;
	char c;

	if (pipe2(pipefd, O_CLOEXEC))
		return -errno;
	self->client = fork();
	if (self->client < 0)
		return -errno;
	if (self->client == 0) {
		close(pipefd[1]);
		if (cg_write(self, "cgroup.procs", "0"))
			_exit(2);
		fd = nova_open(self->gpu.render);
		if (fd < 0)
			_exit(3);
		body(self, fd);
		atomic_store(&self->sh->done, 1);
		/* Hold everything until the test is done looking. */
		while (read(pipefd[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(pipefd[0]);
	self->to_client = pipefd[1];
	return 0;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* ---- the charge per object ---- */

static void create_n(FIXTURE_DATA(memcg) *self, int fd, long n)
{
	uint32_t handle;
	long i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = nova_gem_create(fd, 4096, &handle);
		if (ret) {
			atomic_store(&self->sh->error, -ret);
			return;
		}
		atomic_fetch_add(&self->sh->created, 1);
	}
}

/* Warm up the caches, wait for the go (created reset to 0), measure. */
static void measure_body(FIXTURE_DATA(memcg) *self, int fd)
{
	create_n(self, fd, WARMUP_OBJECTS);
	atomic_store(&self->sh->done, 2);
	while (atomic_load(&self->sh->done) != 3)
		sleep_ms(1);
	create_n(self, fd, MEASURE_OBJECTS);
}

static long long settled(FIXTURE_DATA(memcg) *self, const char *file)
{
	nova_drop_caches();
	return cg_read(self, file);
}

TEST_F_TIMEOUT(memcg, charge_per_object, NOVA_TEST_TIMEOUT)
{
	long long c0, c1, s0, s1;
	long g0, g1;
	int status = 0;

	ASSERT_EQ(0, start_client(self, measure_body));
	while (atomic_load(&self->sh->done) != 2 && !atomic_load(&self->sh->error))
		sleep_ms(5);
	ASSERT_EQ(0, atomic_load(&self->sh->error));

	c0 = settled(self, "memory.current");
	s0 = cg_key(self, "memory.stat", "slab");
	g0 = nova_meminfo_kb("Slab");
	atomic_store(&self->sh->done, 3);
	while (atomic_load(&self->sh->done) != 1 && !atomic_load(&self->sh->error))
		sleep_ms(5);
	ASSERT_EQ(0, atomic_load(&self->sh->error))
		TH_LOG("GEM_CREATE failed: %s", strerror(atomic_load(&self->sh->error)));
	c1 = settled(self, "memory.current");
	s1 = cg_key(self, "memory.stat", "slab");
	g1 = nova_meminfo_kb("Slab");
	stop_client(self, &status);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	ASSERT_LT(0, c0);
	ASSERT_LT(0, g0);
	nova_log("memcg: %d objects: memory.current +%lld bytes (%lld per object), "
		 "its slab +%lld (%lld per object); the kernel's Slab +%ld kB (%ld bytes per object)",
		 MEASURE_OBJECTS, c1 - c0, (c1 - c0) / MEASURE_OBJECTS, s1 - s0,
		 (s1 - s0) / MEASURE_OBJECTS, g1 - g0, (g1 - g0) * 1024 / MEASURE_OBJECTS);
	/* The kernel's shares and nova's object (512 bytes at least) each. */
	EXPECT_LE(1024LL * MEASURE_OBJECTS, c1 - c0);
	/* Nearly all of the slab an object costs is charged to its creator. */
	EXPECT_LE((g1 - g0) * 1024 * 85 / 100, c1 - c0);
}

/* ---- at the limit ---- */

static void fill_body(FIXTURE_DATA(memcg) *self, int fd)
{
	time_t end = time(NULL) + CLIENT_SECONDS;
	long i;

	for (i = 0; i < MAX_OBJECTS / 1000 && time(NULL) < end; i++) {
		create_n(self, fd, 1000);
		if (atomic_load(&self->sh->error))
			return;
	}
}

/* A process outside the cgroup still has the whole device and the machine. */
static void outside_works(struct __test_metadata *_metadata,
			  FIXTURE_DATA(memcg) *self)
{
	uint32_t handles[OUTSIDE_OBJECTS];
	uint64_t size;
	int fd, i;

	EXPECT_LT(0, nova_meminfo_kb("MemAvailable"));
	fd = nova_open(self->gpu.render);
	ASSERT_LE(0, fd);
	for (i = 0; i < OUTSIDE_OBJECTS; i++)
		ASSERT_EQ(0, nova_gem_create(fd, 1 << 20, &handles[i]));
	for (i = 0; i < OUTSIDE_OBJECTS; i++) {
		EXPECT_EQ(0, nova_gem_info(fd, handles[i], &size));
		EXPECT_EQ(1 << 20, size);
		EXPECT_EQ(0, nova_gem_close(fd, handles[i]));
	}
	close(fd);
}

TEST_F_TIMEOUT(memcg, client_pays_at_its_limit, NOVA_TEST_TIMEOUT + 300)
{
	char limit[32], path[384];
	long long current = -1, file = -1, peak, oom_kills, max_events;
	long slab0, slab1 = -1;
	bool seen_full = false;
	int status = 0, err, i;
	pid_t pid;

	snprintf(limit, sizeof(limit), "%llu", LIMIT);
	ASSERT_EQ(0, cg_write(self, "memory.max", limit));
	/* No swap to spill into (the file exists only with swap accounting). */
	ASSERT_EQ(0, cg_path(self, "memory.swap.max", path, sizeof(path)));
	if (!access(path, F_OK))
		ASSERT_EQ(0, nova_write_file(path, "0"));
	nova_drop_caches();
	slab0 = nova_meminfo_kb("Slab");
	ASSERT_LT(0, slab0);

	ASSERT_EQ(0, start_client(self, fill_body));
	pid = self->client;
	/* Until the client stops: killed, or refused and waiting. */
	for (i = 0; i < (CLIENT_SECONDS + 60) * 100; i++) {
		if (!seen_full && cg_read(self, "memory.current") >= (long long)LIMIT * 3 / 4) {
			/* At the limit, the rest of the guest goes on. */
			outside_works(_metadata, self);
			seen_full = true;
		}
		if (atomic_load(&self->sh->done) || waitpid(pid, &status, WNOHANG) == pid)
			break;
		sleep_ms(10);
	}
	if (atomic_load(&self->sh->done)) {
		peak = cg_read(self, "memory.peak");
		stop_client(self, &status);
	} else {
		peak = cg_read(self, "memory.peak");
		self->client = -1;	/* reaped above, or killed in the teardown */
		if (!WIFSIGNALED(status) && !WIFEXITED(status)) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			ASSERT_TRUE(false) TH_LOG("the client was neither stopped nor killed");
		}
	}
	err = atomic_load(&self->sh->error);
	oom_kills = cg_key(self, "memory.events", "oom_kill");
	max_events = cg_key(self, "memory.events", "max");
	nova_log("memcg: the client made %ld objects, then %s; memory.peak %lld, "
		 "events: max %lld, oom_kill %lld",
		 atomic_load(&self->sh->created),
		 WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) :
		 err ? strerror(err) : "nothing failed",
		 peak, max_events, oom_kills);

	/* The client paid: killed by its cgroup's OOM killer, or refused. */
	if (WIFSIGNALED(status)) {
		EXPECT_EQ(SIGKILL, WTERMSIG(status));
		EXPECT_LE(1, oom_kills);
	} else {
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		EXPECT_TRUE(err == ENOMEM || err == ENOSPC)
			TH_LOG("the client's create failed with %s", strerror(err));
	}
	EXPECT_LE(1, max_events);
	EXPECT_TRUE(seen_full) TH_LOG("the cgroup never came near its limit");
	outside_works(_metadata, self);

	/*
	 * Gone with the client: its charge, and the slab it grew. Page cache
	 * the client read first (the pages of the test program and of libc
	 * that only it ran) stays charged to the cgroup while this process
	 * maps the same files, as memcg charges page cache; that is not the
	 * client's objects, so it is reported and left out.
	 */
	for (i = 0; i < SETTLE_TRIES; i++) {
		current = settled(self, "memory.current");
		file = cg_key(self, "memory.stat", "file");
		slab1 = nova_meminfo_kb("Slab");
		if (current >= 0 && file >= 0 && current - file < (long long)EMPTY_SLACK &&
		    slab1 - slab0 < SLAB_SLACK_KB)
			break;
		sleep_ms(250);
	}
	nova_log("memcg: after the client: memory.current %lld bytes (file %lld, anon %lld, "
		 "kernel %lld, slab %lld); Slab %ld kB, %ld kB before",
		 current, file, cg_key(self, "memory.stat", "anon"),
		 cg_key(self, "memory.stat", "kernel"), cg_key(self, "memory.stat", "slab"),
		 slab1, slab0);
	ASSERT_LE(0, file);
	EXPECT_GT((long long)EMPTY_SLACK, current - file);
	EXPECT_GT(SLAB_SLACK_KB, slab1 - slab0);
}

TEST_HARNESS_MAIN
