// SPDX-License-Identifier: GPL-2.0
/*
 * Everything at once, on two GPUs, for a bounded time (NOVA_STRESS_SECONDS,
 * default 30):
 *
 * - object workers create, query and close GEM objects and ask GETPARAM:
 *   per GPU, two threads on one shared file and one thread on a file of
 *   its own (closed and opened again now and then, with objects alive);
 * - one thread unbinds and binds the second GPU through sysfs;
 * - one thread tries to unload nova_drm and nova_core (delete_module) all
 *   the time, and twice in the run asks the workers to let go of their
 *   files so that an unload can succeed, then loads both modules back;
 * - one thread opens and closes nodes of both GPUs (render and primary)
 *   and reads their fdinfo.
 *
 * Every call must succeed or fail with an errno the uAPI documents for
 * the situation (Documentation/uapi.rst):
 *
 * - ioctls: ENODEV, and only on a file whose GPU was unbound or whose
 *   modules were unloaded since the file was opened (or while such a call
 *   is in flight); GEM_INFO of a live handle of the caller is never ENOENT;
 * - open() of a node: ENOENT (the node vanished) or ENODEV (its device is
 *   going);
 * - unbind: ENODEV (not bound, e.g. after a module reload raced it) or
 *   ENOENT (nova_core is not loaded, its sysfs directory is gone); bind:
 *   EBUSY (bound meanwhile by a module load), ENODEV, ENOENT;
 * - delete_module: EAGAIN or EBUSY while a file is open or a module is
 *   still loading, ENOENT when it is not loaded.
 *
 * Anything else fails the test with the call and its result. At the end
 * both modules unload cleanly and are loaded back as the fixture found
 * them. The number of calls per operation and result is printed: a
 * figure, not an assertion, beyond every kind of call having run.
 * Kernel reports and leaks are caught by the VM runner.
 */

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nova_test.h"

#define DEFAULT_SECONDS		30
#define NGPUS			2
#define SHARED_PER_GPU		2
#define OWN_PER_GPU		1
#define NWORKERS		(NGPUS * (SHARED_PER_GPU + OWN_PER_GPU))
#define MAX_LIVE		32
#define MAX_PAGES		8
#define REOPEN_EVERY		400	/* own files: close with objects alive */
/*
 * Windows in which unloading can succeed, spread over the run: a reload
 * takes seconds on the debug kernel, and the workers wait meanwhile.
 */
#define UNLOAD_WINDOWS		2
#define UNLOAD_WINDOW_MS	2000
#define WAIT_MS			20000
#define MAX_LOGGED		16
#define FDINFO_MAX		4096

enum op {
	OP_GEM_CREATE, OP_GEM_INFO, OP_GEM_CLOSE, OP_GETPARAM, OP_OPEN,
	OP_FDINFO, OP_UNBIND, OP_BIND, OP_RMMOD_DRM, OP_RMMOD_CORE,
	OP_MODPROBE, NOPS,
};

static const char *const op_names[NOPS] = {
	"GEM_CREATE", "GEM_INFO", "GEM_CLOSE", "GETPARAM", "open",
	"fdinfo read", "unbind", "bind", "delete_module nova_drm",
	"delete_module nova_core", "modprobe",
};

/* The results counted; anything else fails the test when it happens. */
static const int results[] = { 0, ENODEV, ENOENT, EAGAIN, EBUSY };
#define NRESULTS	ARRAY_SIZE(results)

struct gpu_state {
	char bdf[32];
	atomic_int gen;		/* bumped after each unplug of this GPU */
	atomic_int leaving;	/* an unbind of it is in flight */
};

/* A nova file, the GPU it belongs to and that GPU's generation at open. */
struct nfile {
	int fd;
	int gpu;
	int gen;
	unsigned int instance;	/* new for every open */
};

/* A file several workers share; closed only under the write lock. */
struct slot {
	pthread_rwlock_t lock;
	struct nfile f;
	atomic_uint stale;	/* instance + 1 of a file that saw ENODEV */
	int want;		/* the GPU to open */
};

struct stress {
	struct gpu_state gpu[NGPUS];
	uint64_t vram_bar[NGPUS];
	struct slot shared[NGPUS];
	atomic_int unloading;	/* a delete_module is in flight */
	atomic_int quiesce;	/* workers hold no file */
	atomic_int own_files;	/* files the own-file workers hold */
	atomic_int stop;
	int seconds;
	atomic_uint instances;
	atomic_ulong count[NOPS][NRESULTS];
	atomic_int failures;
	pthread_mutex_t log_lock;
	char log[MAX_LOGGED][160];
	int nlog;
};

struct worker {
	struct stress *s;
	int gpu;
	struct slot *slot;	/* NULL: a file of its own */
	struct nfile own;
	unsigned int seed;
	unsigned int instance;	/* of the file the handles below live in */
	uint32_t handle[MAX_LIVE];
	uint64_t size[MAX_LIVE];
	int nlive;
};

static void failed(struct stress *s, const char *fmt, ...)
{
	va_list ap;

	atomic_fetch_add(&s->failures, 1);
	pthread_mutex_lock(&s->log_lock);
	if (s->nlog < MAX_LOGGED) {
		va_start(ap, fmt);
		vsnprintf(s->log[s->nlog++], sizeof(s->log[0]), fmt, ap);
		va_end(ap);
	}
	pthread_mutex_unlock(&s->log_lock);
}

/* Count @ret (0 or a negative errno) of @op; false if it is not one of @ok. */
static bool tally(struct stress *s, enum op op, int ret, const int *ok, int nok)
{
	unsigned int i;
	int j;

	for (i = 0; i < NRESULTS; i++) {
		if (results[i] != -ret)
			continue;
		for (j = 0; ret && j < nok; j++) {
			if (ok[j] == -ret)
				break;
		}
		if (ret && j == nok)
			break;
		atomic_fetch_add(&s->count[op][i], 1);
		return true;
	}
	failed(s, "%s: %s (%d)", op_names[op], strerror(-ret), ret);
	return false;
}

#define TALLY(s, op, ret, ...) ({					\
	static const int __ok[] = { 0, ##__VA_ARGS__ };			\
	tally(s, op, ret, __ok + 1, ARRAY_SIZE(__ok) - 1);		\
})

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* An ENODEV on @f is documented only once its GPU or the modules went. */
static void check_enodev(struct stress *s, const struct nfile *f, enum op op)
{
	/* Flags first: a finished unplug bumps gen before clearing its flag. */
	if (atomic_load(&s->unloading) || atomic_load(&s->gpu[f->gpu].leaving))
		return;
	if (atomic_load(&s->gpu[f->gpu].gen) != f->gen)
		return;
	failed(s, "%s: ENODEV on a file of %s, which was neither unbound nor unloaded",
	       op_names[op], s->gpu[f->gpu].bdf);
}

/* Read @fd's fdinfo; the index of the GPU it names, -1 if none of ours. */
static int fdinfo_gpu(struct stress *s, int fd)
{
	char path[64], buf[FDINFO_MAX], *p;
	ssize_t n;
	size_t used = 0;
	int in, i, ret;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		TALLY(s, OP_FDINFO, -errno);
		return -1;
	}
	while ((n = read(in, buf + used, sizeof(buf) - 1 - used)) > 0)
		used += n;
	ret = n < 0 ? -errno : 0;
	close(in);
	if (!TALLY(s, OP_FDINFO, ret))
		return -1;
	buf[used] = '\0';
	/* Without the DRM keys the device is unplugged already. */
	p = strstr(buf, "drm-driver:");
	if (p && strncmp(p + strlen("drm-driver:"), "\tnova\n", 6))
		failed(s, "fdinfo of a nova file: %.40s", p);
	p = strstr(buf, "drm-pdev:\t");
	if (!p)
		return -1;
	p += strlen("drm-pdev:\t");
	for (i = 0; i < NGPUS; i++) {
		if (!strncmp(p, s->gpu[i].bdf, strlen(s->gpu[i].bdf)))
			return i;
	}
	return -1;
}

/*
 * Open a node of GPU @want; 0 with @f filled, or a negative errno when
 * there is no such node now or it went before it could be identified.
 */
static int open_gpu(struct stress *s, int want, bool render, struct nfile *f)
{
	struct nova_gpu g;
	int gens[NGPUS], i, fd;

	/* Before the open: an unplug after it must count as later. */
	for (i = 0; i < NGPUS; i++)
		gens[i] = atomic_load(&s->gpu[i].gen);
	nova_gpu_lookup(s->gpu[want].bdf, &g);
	if (!(render ? g.render[0] : g.card[0]))
		return -ENOENT;
	fd = nova_open(render ? g.render : g.card);
	if (!TALLY(s, OP_OPEN, fd < 0 ? fd : 0, ENOENT, ENODEV) || fd < 0)
		return fd < 0 ? fd : -EIO;
	/* A node number may belong to another device by now: ask the file. */
	i = fdinfo_gpu(s, fd);
	if (i < 0) {
		close(fd);
		return -ENODEV;
	}
	f->fd = fd;
	f->gpu = i;
	f->gen = gens[i];
	f->instance = atomic_fetch_add(&s->instances, 1);
	return 0;
}

/* ---- object workers ---- */

/* One ioctl on @f; true when the file saw ENODEV and must be replaced. */
static bool object_op(struct worker *w, const struct nfile *f)
{
	const uint64_t page = nova_page_size();
	struct stress *s = w->s;
	int pick = rand_r(&w->seed) % 10, k, ret;
	uint64_t size, value;
	uint32_t handle;
	enum op op;

	if (w->instance != f->instance) {
		/* The objects went with the previous file. */
		w->instance = f->instance;
		w->nlive = 0;
	}
	if (pick < 3 && w->nlive < MAX_LIVE) {
		op = OP_GEM_CREATE;
		size = 1 + rand_r(&w->seed) % (MAX_PAGES * page);
		ret = nova_gem_create(f->fd, size, &handle);
		if (!ret) {
			w->handle[w->nlive] = handle;
			w->size[w->nlive++] = nova_page_align(size);
		}
	} else if (pick < 6 && w->nlive) {
		op = OP_GEM_INFO;
		k = rand_r(&w->seed) % w->nlive;
		ret = nova_gem_info(f->fd, w->handle[k], &size);
		if (!ret && size != w->size[k])
			failed(s, "GEM_INFO %u: size %llu, want %llu", w->handle[k],
			       (unsigned long long)size, (unsigned long long)w->size[k]);
	} else if (pick < 8 && w->nlive) {
		op = OP_GEM_CLOSE;
		k = rand_r(&w->seed) % w->nlive;
		handle = w->handle[k];
		w->handle[k] = w->handle[--w->nlive];
		w->size[k] = w->size[w->nlive];
		ret = nova_gem_close(f->fd, handle);
	} else {
		op = OP_GETPARAM;
		ret = nova_getparam(f->fd, NOVA_GETPARAM_VRAM_BAR_SIZE, &value);
		if (!ret && value != s->vram_bar[f->gpu])
			failed(s, "GETPARAM: %llu, want %llu", (unsigned long long)value,
			       (unsigned long long)s->vram_bar[f->gpu]);
	}
	TALLY(s, op, ret, ENODEV);
	if (ret == -ENODEV)
		check_enodev(s, f, op);
	return ret == -ENODEV;
}

static void own_close(struct worker *w)
{
	if (w->own.fd < 0)
		return;
	close(w->own.fd);
	w->own.fd = -1;
	atomic_fetch_sub(&w->s->own_files, 1);
}

static void own_step(struct worker *w, int i)
{
	if (w->own.fd >= 0 && i % REOPEN_EVERY == 0)
		own_close(w);
	if (w->own.fd < 0) {
		if (open_gpu(w->s, w->gpu, true, &w->own)) {
			sleep_ms(5);
			return;
		}
		atomic_fetch_add(&w->s->own_files, 1);
	}
	if (object_op(w, &w->own))
		own_close(w);
}

/* Close the slot's file if it is the stale one or @force; under the lock. */
static void slot_close_locked(struct slot *sl, bool force)
{
	if (sl->f.fd >= 0 && (force || atomic_load(&sl->stale) == sl->f.instance + 1)) {
		close(sl->f.fd);
		sl->f.fd = -1;
	}
}

static void slot_renew(struct stress *s, struct slot *sl)
{
	pthread_rwlock_wrlock(&sl->lock);
	slot_close_locked(sl, false);
	if (sl->f.fd < 0 && !atomic_load(&s->quiesce) &&
	    open_gpu(s, sl->want, true, &sl->f))
		sl->f.fd = -1;
	pthread_rwlock_unlock(&sl->lock);
}

static void shared_step(struct worker *w)
{
	struct slot *sl = w->slot;
	bool renew;

	pthread_rwlock_rdlock(&sl->lock);
	renew = sl->f.fd < 0 || atomic_load(&sl->stale) == sl->f.instance + 1;
	if (!renew && object_op(w, &sl->f)) {
		atomic_store(&sl->stale, sl->f.instance + 1);
		renew = true;
	}
	pthread_rwlock_unlock(&sl->lock);
	if (renew) {
		slot_renew(w->s, sl);
		if (sl->f.fd < 0)
			sleep_ms(5);
	}
}

static void *worker_run(void *arg)
{
	struct worker *w = arg;
	int i;

	for (i = 1; !atomic_load(&w->s->stop); i++) {
		if (atomic_load(&w->s->quiesce)) {
			own_close(w);
			sleep_ms(5);
			continue;
		}
		if (w->slot)
			shared_step(w);
		else
			own_step(w, i);
	}
	own_close(w);
	return NULL;
}

/* ---- binding, unloading, opening ---- */

static void *binder_run(void *arg)
{
	struct stress *s = arg;
	struct gpu_state *g = &s->gpu[NGPUS - 1];
	unsigned int seed = 0xb1d;
	bool unbind = true;
	int ret;

	while (!atomic_load(&s->stop)) {
		sleep_ms(100 + rand_r(&seed) % 300);
		if (unbind) {
			atomic_store(&g->leaving, 1);
			ret = nova_unbind(g->bdf);
			if (!ret)
				atomic_fetch_add(&g->gen, 1);
			atomic_store(&g->leaving, 0);
			TALLY(s, OP_UNBIND, ret, ENODEV, ENOENT);
		} else {
			ret = nova_bind(g->bdf);
			TALLY(s, OP_BIND, ret, EBUSY, ENODEV, ENOENT);
		}
		unbind = !unbind;
	}
	return NULL;
}

/* One delete_module; a success unplugs every GPU. */
static int try_unload(struct stress *s, const char *name, enum op op)
{
	int ret, i;

	atomic_store(&s->unloading, 1);
	ret = nova_delete_module(name);
	if (!ret) {
		for (i = 0; i < NGPUS; i++)
			atomic_fetch_add(&s->gpu[i].gen, 1);
	}
	atomic_store(&s->unloading, 0);
	TALLY(s, op, ret, EAGAIN, EBUSY, ENOENT);
	return ret;
}

/* Load back whatever is missing, as a user would, and wait for the GPU. */
static void load_back(struct stress *s)
{
	struct nova_gpu g;
	int ret;

	if (!nova_module_loaded(NOVA_CORE)) {
		ret = nova_modprobe(NOVA_CORE, NULL);
		TALLY(s, OP_MODPROBE, ret);
	}
	if (!nova_module_loaded(NOVA_DRM)) {
		ret = nova_modprobe(NOVA_DRM, NULL);
		TALLY(s, OP_MODPROBE, ret);
	}
	if (nova_gpu_wait(s->gpu[0].bdf, &g, WAIT_MS))
		failed(s, "%s has no DRM device after loading the modules",
		       s->gpu[0].bdf);
}

static void *unloader_run(void *arg)
{
	struct stress *s = arg;
	long start = now_ms(), step = s->seconds * 1000L / (UNLOAD_WINDOWS + 1), end;
	long next_window = start + step;
	unsigned int seed = 0x7e7;
	int i, windows = 0;

	while (!atomic_load(&s->stop)) {
		sleep_ms(20 + rand_r(&seed) % 60);
		/* With the workers' files open, refused (or not loaded). */
		if (!try_unload(s, NOVA_DRM, OP_RMMOD_DRM) |
		    !try_unload(s, NOVA_CORE, OP_RMMOD_CORE))
			load_back(s);
		if (windows == UNLOAD_WINDOWS || now_ms() < next_window)
			continue;

		/* The workers let go; the opener and the binder go on. */
		atomic_store(&s->quiesce, 1);
		for (i = 0; i < NGPUS; i++) {
			pthread_rwlock_wrlock(&s->shared[i].lock);
			slot_close_locked(&s->shared[i], true);
			pthread_rwlock_unlock(&s->shared[i].lock);
		}
		end = now_ms() + UNLOAD_WINDOW_MS;
		while (atomic_load(&s->own_files) && now_ms() < end)
			sleep_ms(5);
		while (now_ms() < end && (nova_module_loaded(NOVA_DRM) ||
					  nova_module_loaded(NOVA_CORE))) {
			if (nova_module_loaded(NOVA_DRM))
				try_unload(s, NOVA_DRM, OP_RMMOD_DRM);
			if (nova_module_loaded(NOVA_CORE))
				try_unload(s, NOVA_CORE, OP_RMMOD_CORE);
			sleep_ms(5);
		}
		load_back(s);
		atomic_store(&s->quiesce, 0);
		windows++;
		next_window = start + (windows + 1) * step;
	}
	return NULL;
}

static void *opener_run(void *arg)
{
	struct stress *s = arg;
	unsigned int seed = 0x0be;
	struct nfile f;
	uint32_t handle;
	int ret;

	while (!atomic_load(&s->stop)) {
		int want = rand_r(&seed) % NGPUS;
		bool render = rand_r(&seed) % 2;

		if (open_gpu(s, want, render, &f)) {
			sleep_ms(2);
			continue;
		}
		/* An object makes the fdinfo show a size; then close it all. */
		ret = nova_gem_create(f.fd, 4096, &handle);
		TALLY(s, OP_GEM_CREATE, ret, ENODEV);
		if (ret == -ENODEV)
			check_enodev(s, &f, OP_GEM_CREATE);
		fdinfo_gpu(s, f.fd);
		close(f.fd);
	}
	return NULL;
}

/* ---- the test ---- */

FIXTURE(stress) {
	struct nova_env env;
	char bound[NOVA_MAX_GPUS][32];
	int nbound;
	struct stress *s;
	bool env_up;
};

FIXTURE_SETUP(stress)
{
	struct nova_gpu g;
	char why[128];
	int i, fd;

	self->s = NULL;
	self->env_up = false;
	if (nova_env_up(&self->env, why, sizeof(why)))
		SKIP(return, "%s", why);
	self->env_up = true;
	self->nbound = nova_bound_bdfs(self->bound, NOVA_MAX_GPUS);
	if (self->nbound < NGPUS)
		SKIP(return, "%d GPU(s) bound to %s, the test needs %d", self->nbound,
		     NOVA_CORE, NGPUS);
	self->s = calloc(1, sizeof(*self->s));
	ASSERT_NE(NULL, self->s);
	pthread_mutex_init(&self->s->log_lock, NULL);
	for (i = 0; i < NGPUS; i++) {
		snprintf(self->s->gpu[i].bdf, sizeof(self->s->gpu[i].bdf), "%s",
			 self->bound[i]);
		ASSERT_EQ(0, nova_gpu_wait(self->bound[i], &g, WAIT_MS));
		fd = nova_open(g.render);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, nova_getparam(fd, NOVA_GETPARAM_VRAM_BAR_SIZE,
					   &self->s->vram_bar[i]));
		close(fd);
		pthread_rwlock_init(&self->s->shared[i].lock, NULL);
		self->s->shared[i].f.fd = -1;
		self->s->shared[i].want = i;
	}
}

FIXTURE_TEARDOWN(stress)
{
	int i;

	if (self->s) {
		for (i = 0; i < NGPUS; i++) {
			if (self->s->shared[i].f.fd >= 0)
				close(self->s->shared[i].f.fd);
		}
		free(self->s);
	}
	if (!self->env_up)
		return;
	nova_reload();
	nova_rebind_all(self->bound, self->nbound);
	nova_env_down(&self->env);
}

static int stress_seconds(void)
{
	const char *v = getenv("NOVA_STRESS_SECONDS");
	int n = v ? atoi(v) : 0;

	return n > 0 ? n : DEFAULT_SECONDS;
}

static void print_counts(struct stress *s)
{
	char line[256];
	unsigned int op, r;
	int len;

	nova_log("stress: calls per operation and result:");
	for (op = 0; op < NOPS; op++) {
		len = snprintf(line, sizeof(line), "%-24s", op_names[op]);
		for (r = 0; r < NRESULTS; r++) {
			unsigned long n = atomic_load(&s->count[op][r]);

			if (n)
				len += snprintf(line + len, sizeof(line) - len, " %s %lu",
						results[r] ? strerrorname_np(results[r]) : "ok",
						n);
		}
		nova_log("stress:   %s", line);
	}
}

/* Unload both modules now that nothing is open; a loading module is EBUSY. */
static int unload_cleanly(const char *name)
{
	int ret = -EBUSY, waited;

	for (waited = 0; waited < WAIT_MS && nova_module_loaded(name); waited += 20) {
		ret = nova_delete_module(name);
		if (ret != -EBUSY && ret != -EAGAIN)
			break;
		sleep_ms(20);
	}
	return nova_module_loaded(name) ? ret : 0;
}

TEST_F_TIMEOUT(stress, everything_at_once_on_two_gpus, NOVA_TEST_TIMEOUT + 600)
{
	pthread_t workers[NWORKERS], binder, unloader, opener;
	struct worker w[NWORKERS];
	struct stress *s = self->s;
	int seconds = stress_seconds(), i, op, r;
	unsigned long total;

	if (seconds > 600)
		seconds = 600;
	s->seconds = seconds;
	for (i = 0; i < NWORKERS; i++) {
		int per_gpu = SHARED_PER_GPU + OWN_PER_GPU, k = i % per_gpu;

		memset(&w[i], 0, sizeof(w[i]));
		w[i].s = s;
		w[i].gpu = i / per_gpu;
		w[i].slot = k < SHARED_PER_GPU ? &s->shared[w[i].gpu] : NULL;
		w[i].own.fd = -1;
		w[i].seed = 0x5eed + i;
		w[i].instance = ~0u;
		ASSERT_EQ(0, pthread_create(&workers[i], NULL, worker_run, &w[i]));
	}
	ASSERT_EQ(0, pthread_create(&binder, NULL, binder_run, s));
	ASSERT_EQ(0, pthread_create(&unloader, NULL, unloader_run, s));
	ASSERT_EQ(0, pthread_create(&opener, NULL, opener_run, s));

	sleep(seconds);
	atomic_store(&s->stop, 1);
	for (i = 0; i < NWORKERS; i++)
		pthread_join(workers[i], NULL);
	pthread_join(binder, NULL);
	pthread_join(unloader, NULL);
	pthread_join(opener, NULL);
	for (i = 0; i < NGPUS; i++) {
		if (s->shared[i].f.fd >= 0)
			close(s->shared[i].f.fd);
		s->shared[i].f.fd = -1;
	}

	print_counts(s);
	for (i = 0; i < s->nlog; i++)
		TH_LOG("unexpected: %s", s->log[i]);
	EXPECT_EQ(0, atomic_load(&s->failures));
	for (op = 0; op < NOPS; op++) {
		for (total = 0, r = 0; r < (int)NRESULTS; r++)
			total += atomic_load(&s->count[op][r]);
		EXPECT_LT(0, total) TH_LOG("%s never ran", op_names[op]);
	}

	/* Everything back as it was, then both modules unload cleanly. */
	EXPECT_EQ(0, nova_reload());
	nova_rebind_all(self->bound, self->nbound);
	nova_settle();
	EXPECT_EQ(0, unload_cleanly(NOVA_DRM));
	EXPECT_EQ(0, unload_cleanly(NOVA_CORE));
}

TEST_HARNESS_MAIN
