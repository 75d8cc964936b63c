// SPDX-License-Identifier: GPL-2.0
/*
 * Concurrent clients, sharing a file or each with their own, get only the
 * documented results: no unexpected errno, sizes always consistent, and a
 * handle closed by racing threads is closed exactly once.
 */

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>

#include "nova_fixture.h"

#define NTHREADS	8
#define NSHARED		4	/* threads 0..NSHARED-1 share the fixture's file */
#define ITERATIONS	2000
#define MAX_LIVE	16
#define MAX_PAGES	16
#define ROUNDS		200
#define NRACERS		4

struct clients {
	uint64_t vram_bar;
	atomic_int failures;
	pthread_mutex_t lock;
	char first[256];	/* the first failure, for the log */
};

struct client {
	struct clients *all;
	int fd;
	bool shared;
	unsigned int seed;
};

static void failed(struct clients *all, const char *fmt, ...)
{
	va_list ap;

	atomic_fetch_add(&all->failures, 1);
	pthread_mutex_lock(&all->lock);
	if (!all->first[0]) {
		va_start(ap, fmt);
		vsnprintf(all->first, sizeof(all->first), fmt, ap);
		va_end(ap);
	}
	pthread_mutex_unlock(&all->lock);
}

static void check_closed(struct client *c, uint32_t handle)
{
	const uint64_t page = nova_page_size();
	uint64_t size = 0;
	int ret;

	ret = nova_gem_info(c->fd, handle, &size);
	if (ret == -ENOENT)
		return;
	/* On a shared file another thread may already own the number again. */
	if (c->shared && ret == 0 && size && size % page == 0 &&
	    size <= MAX_PAGES * page)
		return;
	failed(c->all, "GEM_INFO of closed handle %u: %d, size %llu", handle,
	       ret, (unsigned long long)size);
}

static void *client_run(void *arg)
{
	const uint64_t page = nova_page_size();
	struct client *c = arg;
	uint32_t live[MAX_LIVE];
	uint64_t live_size[MAX_LIVE];
	int i, k, ret, nlive = 0;
	uint64_t size, value;
	uint32_t handle;

	for (i = 0; i < ITERATIONS; i++) {
		int op = rand_r(&c->seed) % 8;

		if (op <= 2 && nlive < MAX_LIVE) {
			size = 1 + rand_r(&c->seed) % (MAX_PAGES * page);
			ret = nova_gem_create(c->fd, size, &handle);
			if (ret) {
				failed(c->all, "GEM_CREATE %llu: %d",
				       (unsigned long long)size, ret);
				continue;
			}
			live[nlive] = handle;
			live_size[nlive++] = nova_page_align(size);
		} else if (op <= 4 && nlive) {
			k = rand_r(&c->seed) % nlive;
			ret = nova_gem_info(c->fd, live[k], &size);
			if (ret || size != live_size[k])
				failed(c->all, "GEM_INFO %u: %d, size %llu, want %llu",
				       live[k], ret, (unsigned long long)size,
				       (unsigned long long)live_size[k]);
		} else if (op == 5 && nlive) {
			k = rand_r(&c->seed) % nlive;
			handle = live[k];
			live[k] = live[--nlive];
			live_size[k] = live_size[nlive];
			ret = nova_gem_close(c->fd, handle);
			if (ret)
				failed(c->all, "GEM_CLOSE %u: %d", handle, ret);
			check_closed(c, handle);
		} else if (op == 6) {
			ret = nova_getparam(c->fd, NOVA_GETPARAM_VRAM_BAR_SIZE,
					    &value);
			if (ret || value != c->all->vram_bar)
				failed(c->all, "GETPARAM: %d, value %llu", ret,
				       (unsigned long long)value);
		} else {
			ret = nova_gem_create(c->fd, 0, &handle);
			if (ret != -EINVAL)
				failed(c->all, "GEM_CREATE of size 0: %d", ret);
			ret = nova_gem_info(c->fd, 0, &size);
			if (ret != -ENOENT)
				failed(c->all, "GEM_INFO of handle 0: %d", ret);
		}
	}
	while (nlive) {
		ret = nova_gem_close(c->fd, live[--nlive]);
		if (ret)
			failed(c->all, "GEM_CLOSE %u: %d", live[nlive], ret);
	}
	return NULL;
}

TEST_F_TIMEOUT(nova_node, threads_on_shared_and_own_files_see_documented_results,
	       NOVA_TEST_TIMEOUT)
{
	struct client clients[NTHREADS];
	pthread_t threads[NTHREADS];
	struct clients all = { 0 };
	uint64_t size;
	uint32_t h;
	int i;

	ASSERT_EQ(0, nova_getparam(self->fd, NOVA_GETPARAM_VRAM_BAR_SIZE,
				   &all.vram_bar));
	pthread_mutex_init(&all.lock, NULL);
	for (i = 0; i < NTHREADS; i++) {
		clients[i].all = &all;
		clients[i].shared = i < NSHARED;
		clients[i].fd = clients[i].shared ? self->fd :
						    nova_open(self->path);
		clients[i].seed = 0x5eed + i;
		ASSERT_LE(0, clients[i].fd);
	}
	for (i = 0; i < NTHREADS; i++) {
		ASSERT_EQ(0, pthread_create(&threads[i], NULL, client_run,
					    &clients[i]));
	}
	for (i = 0; i < NTHREADS; i++)
		pthread_join(threads[i], NULL);
	for (i = NSHARED; i < NTHREADS; i++)
		close(clients[i].fd);

	EXPECT_EQ(0, atomic_load(&all.failures))
		TH_LOG("first unexpected result: %s", all.first);
	/* Every thread closed what it created: the shared file is empty. */
	for (h = 1; h <= NSHARED * MAX_LIVE + 1; h++) {
		EXPECT_EQ(-ENOENT, nova_gem_info(self->fd, h, &size))
			TH_LOG("handle %u survived", h);
	}
}

struct racer {
	pthread_barrier_t *start;
	int fd;
	uint32_t handle;
	bool closer;		/* closes; otherwise queries */
	int ret;
	uint64_t size;
};

static void *race_run(void *arg)
{
	struct racer *r = arg;

	pthread_barrier_wait(r->start);
	if (r->closer)
		r->ret = nova_gem_close(r->fd, r->handle);
	else
		r->ret = nova_gem_info(r->fd, r->handle, &r->size);
	return NULL;
}

TEST_F_TIMEOUT(nova_node, racing_close_of_one_handle_succeeds_once,
	       NOVA_TEST_TIMEOUT)
{
	const uint64_t page = nova_page_size();
	struct racer racers[NRACERS];
	pthread_t threads[NRACERS];
	pthread_barrier_t start;
	int round, i, closed;
	uint32_t handle;
	uint64_t size;

	for (round = 0; round < ROUNDS; round++) {
		ASSERT_EQ(0, nova_gem_create(self->fd, 3 * page, &handle));
		ASSERT_EQ(0, pthread_barrier_init(&start, NULL, NRACERS));
		for (i = 0; i < NRACERS; i++) {
			racers[i] = (struct racer) {
				.start = &start,
				.fd = self->fd,
				.handle = handle,
				.closer = i % 2 == 0,
			};
			ASSERT_EQ(0, pthread_create(&threads[i], NULL,
						    race_run, &racers[i]));
		}
		closed = 0;
		for (i = 0; i < NRACERS; i++) {
			pthread_join(threads[i], NULL);
			if (racers[i].closer && racers[i].ret == 0) {
				closed++;
			} else if (racers[i].closer) {
				/* The DRM core's answer for a closed handle. */
				EXPECT_EQ(-EINVAL, racers[i].ret);
			} else if (racers[i].ret == 0) {
				EXPECT_EQ(3 * page, racers[i].size);
			} else {
				EXPECT_EQ(-ENOENT, racers[i].ret);
			}
		}
		pthread_barrier_destroy(&start);
		ASSERT_EQ(1, closed) TH_LOG("round %d", round);
		ASSERT_EQ(-ENOENT, nova_gem_info(self->fd, handle, &size));
	}
}

TEST_HARNESS_MAIN
