// SPDX-License-Identifier: GPL-2.0
/*
 * nova-fuzz engine; see fuzz.h and Documentation/fuzzing.rst.
 *
 * Each thread draws its calls from its own PRNG stream, derived from the
 * seed and the thread's number. A call's number, encoding, argument pointer
 * and contents come from that stream, except values learned from earlier
 * results: handles, flink names, dma-buf fds and magics go into shared
 * pools that every thread draws from. With one thread a run repeats exactly;
 * with several, each thread's stream repeats but what the pools hold when a
 * thread reads them depends on how the threads interleave.
 *
 * The oracle is drm_ioctl()'s order of checks (unplugged, ioctl type, table
 * entry, kernel copy of the argument, permission flags, the handler, the
 * copy back) and, per ioctl, the errnos its handler can return on a device
 * like nova's (GEM, render node, mode setting with no display; no syncobj,
 * no atomic, no dumb buffers), from the uAPI document for nova's ioctls and
 * from the DRM core's code for the core's.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>
#include <xf86drm.h>
#include <drm/nova_drm.h>

#include "fuzz.h"

/* ---- errno sets ---- */

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

typedef unsigned __int128 eset;
#define B(e)		((eset)1 << (e))
#define MAX_ERRNO	128

static const char *errname(int e)
{
	static const char *const names[MAX_ERRNO] = {
		[0] = "0", [EPERM] = "EPERM", [ENOENT] = "ENOENT",
		[EINTR] = "EINTR", [ENXIO] = "ENXIO", [E2BIG] = "E2BIG",
		[EBADF] = "EBADF", [EAGAIN] = "EAGAIN", [ENOMEM] = "ENOMEM",
		[EACCES] = "EACCES", [EFAULT] = "EFAULT", [EBUSY] = "EBUSY",
		[EEXIST] = "EEXIST", [ENODEV] = "ENODEV", [EINVAL] = "EINVAL",
		[ENFILE] = "ENFILE", [EMFILE] = "EMFILE", [ENOTTY] = "ENOTTY",
		[ENOSPC] = "ENOSPC", [ERANGE] = "ERANGE", [EDEADLK] = "EDEADLK",
		[ENOSYS] = "ENOSYS", [EOPNOTSUPP] = "EOPNOTSUPP",
		[ETIMEDOUT] = "ETIMEDOUT", [ETIME] = "ETIME",
	};
	static __thread char buf[16];

	if (e >= 0 && e < MAX_ERRNO && names[e])
		return names[e];
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}

static void print_set(FILE *out, eset s)
{
	const char *sep = "";
	int e;

	for (e = 0; e < MAX_ERRNO; e++) {
		if (s & B(e)) {
			fprintf(out, "%s%s", sep, errname(e));
			sep = ",";
		}
	}
}

/* ---- the ioctl table ---- */

/* drm_ioctl_desc flags, as the core names them. */
#define F_RENDER	0x1	/* DRM_RENDER_ALLOW */
#define F_AUTH		0x2	/* DRM_AUTH */
#define F_MASTER	0x4	/* DRM_MASTER */
#define F_ROOT		0x8	/* DRM_ROOT_ONLY */

/* Newer than bookworm's libdrm headers: struct sizes 24 and 8. */
#ifndef DRM_IOCTL_SYNCOBJ_EVENTFD
#define DRM_IOCTL_SYNCOBJ_EVENTFD \
	_IOC(_IOC_READ | _IOC_WRITE, DRM_IOCTL_BASE, 0xcf, 24)
#endif
#ifndef DRM_IOCTL_MODE_CLOSEFB
#define DRM_IOCTL_MODE_CLOSEFB \
	_IOC(_IOC_READ | _IOC_WRITE, DRM_IOCTL_BASE, 0xd0, 8)
#endif
/* 6.14 and 6.18: struct drm_set_client_name (16), drm_gem_change_handle (8). */
#ifndef DRM_IOCTL_SET_CLIENT_NAME
#define DRM_IOCTL_SET_CLIENT_NAME \
	_IOC(_IOC_READ | _IOC_WRITE, DRM_IOCTL_BASE, 0xd1, 16)
#endif
#ifndef DRM_IOCTL_GEM_CHANGE_HANDLE
#define DRM_IOCTL_GEM_CHANGE_HANDLE \
	_IOC(_IOC_READ | _IOC_WRITE, DRM_IOCTL_BASE, 0xd2, 8)
#endif
/* The last number of the core's table, on the newest kernel known here. */
#define CORE_LAST_NR	0xd2

/* Every mode-setting handler checks for DRIVER_MODESET first. */
#define MODE	B(EOPNOTSUPP)

struct desc {
	uint32_t cmd;		/* the encoding the kernel declares */
	const char *name;
	unsigned int flags;
	eset errs;		/* what the handler itself can return */
	unsigned int since;	/* first release with it, as 100 * major + minor */
};

/*
 * The DRM core's ioctls in 6.12 (drm_ioctls[] in drm_ioctl.c), and those
 * added up to 7.3 with the release that added them, with the
 * errnos each handler can return on nova's device; why is in
 * Documentation/fuzzing.rst. EFAULT from the core's own copy of the
 * argument, EACCES from the flags and ENOMEM for an argument over 128
 * bytes are added per call.
 */
static const struct desc core[256] = {
#define D(n, f, e) [DRM_IOCTL_NR(DRM_IOCTL_##n)] = { DRM_IOCTL_##n, #n, f, e, 0 }
#define D_SINCE(n, f, e, v) [DRM_IOCTL_NR(DRM_IOCTL_##n)] = { DRM_IOCTL_##n, #n, f, e, v }
	D(VERSION, F_RENDER, B(EFAULT)),
	D(GET_UNIQUE, 0, B(EFAULT)),
	D(GET_MAGIC, 0, B(ENOMEM) | B(ENOSPC)),
	D(GET_CLIENT, 0, B(EINVAL)),
	D(GET_STATS, 0, 0),
	D(GET_CAP, F_RENDER, B(EINVAL) | B(EOPNOTSUPP)),
	D(SET_CLIENT_CAP, 0, B(EINVAL) | B(EOPNOTSUPP)),
	D(SET_VERSION, F_MASTER, B(EINVAL) | B(ENOMEM) | B(EBUSY)),
	D(SET_UNIQUE, F_AUTH | F_MASTER | F_ROOT, B(EINVAL)),
	D(BLOCK, F_AUTH | F_MASTER | F_ROOT, 0),
	D(UNBLOCK, F_AUTH | F_MASTER | F_ROOT, 0),
	D(AUTH_MAGIC, F_MASTER, B(EINVAL)),
	D(SET_MASTER, 0, B(EACCES) | B(EBUSY) | B(EINVAL) | B(ENOMEM)),
	D(DROP_MASTER, 0, B(EACCES) | B(EINVAL)),
	D(ADD_DRAW, F_AUTH | F_MASTER | F_ROOT, 0),
	D(RM_DRAW, F_AUTH | F_MASTER | F_ROOT, 0),
	D(FINISH, F_AUTH, 0),
	D(WAIT_VBLANK, 0, B(EOPNOTSUPP) | B(EINVAL)),
	D(UPDATE_DRAW, F_AUTH | F_MASTER | F_ROOT, 0),
	D(GEM_CLOSE, F_RENDER, B(EINVAL)),
	D(GEM_FLINK, F_AUTH, B(ENOENT) | B(ENOMEM) | B(ENOSPC)),
	D(GEM_OPEN, F_AUTH, B(ENOENT) | B(ENOMEM) | B(ENOSPC)),
	D(PRIME_HANDLE_TO_FD, F_RENDER,
	  B(EINVAL) | B(ENOENT) | B(EMFILE) | B(ENOMEM) | B(ENOSYS)),
	D(PRIME_FD_TO_HANDLE, F_RENDER,
	  B(EBADF) | B(EINVAL) | B(ENOMEM) | B(ENOSPC) | B(ENOSYS)),
	D(CRTC_GET_SEQUENCE, 0, MODE | B(ENOENT)),
	D(CRTC_QUEUE_SEQUENCE, 0, MODE | B(ENOENT) | B(EINVAL)),
	D(MODE_GETRESOURCES, 0, MODE | B(EFAULT)),
	D(MODE_GETCRTC, 0, MODE | B(ENOENT)),
	D(MODE_SETCRTC, F_MASTER, MODE | B(ENOENT) | B(EINVAL) | B(ERANGE)),
	D(MODE_CURSOR, F_MASTER, MODE | B(ENOENT) | B(EINVAL)),
	D(MODE_GETGAMMA, 0, MODE | B(ENOENT)),
	D(MODE_SETGAMMA, F_MASTER, MODE | B(ENOENT)),
	D(MODE_GETENCODER, 0, MODE | B(ENOENT)),
	D(MODE_GETCONNECTOR, 0, MODE | B(ENOENT)),
	D(MODE_ATTACHMODE, F_MASTER, 0),
	D(MODE_DETACHMODE, F_MASTER, 0),
	D(MODE_GETPROPERTY, 0, MODE | B(ENOENT) | B(EFAULT)),
	D(MODE_SETPROPERTY, F_MASTER, MODE | B(ENOENT) | B(EINVAL)),
	D(MODE_GETPROPBLOB, 0, MODE | B(ENOENT) | B(EFAULT)),
	D(MODE_GETFB, 0, MODE | B(ENOENT)),
	D(MODE_ADDFB, 0, MODE | B(EINVAL)),
	D(MODE_RMFB, 0, MODE | B(ENOENT)),
	D(MODE_PAGE_FLIP, F_MASTER, MODE | B(ENOENT) | B(EINVAL)),
	D(MODE_DIRTYFB, F_MASTER, MODE | B(ENOENT)),
	D(MODE_CREATE_DUMB, 0, B(ENOSYS) | B(EINVAL)),
	D(MODE_MAP_DUMB, 0, B(ENOSYS) | B(EINVAL)),
	D(MODE_DESTROY_DUMB, 0, B(ENOSYS) | B(EINVAL)),
	D(MODE_GETPLANERESOURCES, 0, MODE | B(EFAULT)),
	D(MODE_GETPLANE, 0, MODE | B(ENOENT)),
	D(MODE_SETPLANE, F_MASTER, MODE | B(ENOENT) | B(EINVAL)),
	D(MODE_ADDFB2, 0, MODE | B(EINVAL)),
	D(MODE_OBJ_GETPROPERTIES, 0, MODE | B(ENOENT) | B(EINVAL) | B(EFAULT)),
	D(MODE_OBJ_SETPROPERTY, F_MASTER, MODE | B(ENOENT) | B(EINVAL)),
	D(MODE_CURSOR2, F_MASTER, MODE | B(ENOENT) | B(EINVAL)),
	D(MODE_ATOMIC, F_MASTER, MODE),
	D(MODE_CREATEPROPBLOB, 0, MODE | B(EINVAL) | B(EFAULT) | B(ENOMEM)),
	D(MODE_DESTROYPROPBLOB, 0, MODE | B(ENOENT) | B(EPERM)),
	D(SYNCOBJ_CREATE, F_RENDER, B(EOPNOTSUPP)),
	D(SYNCOBJ_DESTROY, F_RENDER, B(EOPNOTSUPP)),
	D(SYNCOBJ_HANDLE_TO_FD, F_RENDER, B(EOPNOTSUPP)),
	D(SYNCOBJ_FD_TO_HANDLE, F_RENDER, B(EOPNOTSUPP)),
	D(SYNCOBJ_TRANSFER, F_RENDER, B(EOPNOTSUPP)),
	D(SYNCOBJ_WAIT, F_RENDER, B(EOPNOTSUPP)),
	D(SYNCOBJ_TIMELINE_WAIT, F_RENDER, B(EOPNOTSUPP)),
	D_SINCE(SYNCOBJ_EVENTFD, F_RENDER, B(EOPNOTSUPP), 606),
	D(SYNCOBJ_RESET, F_RENDER, B(EOPNOTSUPP)),
	D(SYNCOBJ_SIGNAL, F_RENDER, B(EOPNOTSUPP)),
	D(SYNCOBJ_TIMELINE_SIGNAL, F_RENDER, B(EOPNOTSUPP)),
	D(SYNCOBJ_QUERY, F_RENDER, B(EOPNOTSUPP)),
	D(MODE_CREATE_LEASE, F_MASTER, MODE | B(EINVAL) | B(ENOENT) |
	  B(ENOMEM) | B(EFAULT) | B(EBUSY) | B(ENOSPC) | B(EMFILE)),
	D(MODE_LIST_LESSEES, F_MASTER, MODE | B(EINVAL) | B(EFAULT)),
	D(MODE_GET_LEASE, F_MASTER, MODE | B(EINVAL) | B(EFAULT)),
	D(MODE_REVOKE_LEASE, F_MASTER, MODE | B(ENOENT) | B(EACCES)),
	D(MODE_GETFB2, 0, MODE | B(ENOENT) | B(EINVAL)),
	D_SINCE(MODE_CLOSEFB, 0, MODE | B(ENOENT) | B(EINVAL), 608),
	D_SINCE(SET_CLIENT_NAME, F_RENDER, B(EINVAL) | B(EFAULT) | B(ENOMEM), 614),
	/* EINVAL also where the core turned the handler off (drm_invalid_op). */
	D_SINCE(GEM_CHANGE_HANDLE, F_RENDER, B(EINVAL) | B(ENOENT) | B(ENOSPC) | B(ENOMEM),
		618),
#undef D_SINCE
#undef D
};

/* nova's ioctls, indexed from DRM_COMMAND_BASE; errnos of uapi.rst. */
static const struct desc nova[] = {
	{ DRM_IOCTL_NOVA_GETPARAM, "NOVA_GETPARAM", F_RENDER, B(EINVAL), 0 },
	{ DRM_IOCTL_NOVA_GEM_CREATE, "NOVA_GEM_CREATE", F_RENDER | F_AUTH,
	  B(EINVAL) | B(ENOMEM) | B(ENOSPC), 0 },
	{ DRM_IOCTL_NOVA_GEM_INFO, "NOVA_GEM_INFO", F_RENDER | F_AUTH,
	  B(EINVAL) | B(ENOENT), 0 },
};

/* The running kernel's release as 100 * major + minor, from uname(). */
static unsigned int kver = 9999;

/*
 * Before 6.8 the core's table still had the legacy (DRI1) ioctls. Built
 * without CONFIG_DRM_LEGACY, as Debian's 6.1 is, they keep their
 * permission flags and declared size but their handler is
 * drm_invalid_op(); MODESET_CTL (0x08) has a handler that answers 0 on a
 * modesetting driver. Where 6.12 has no entry they can fail with EACCES or
 * EFAULT before their EINVAL.
 */
static bool legacy_nr(unsigned int nr)
{
	return kver < 608 &&
	       (nr == 0x03 || nr == 0x04 || nr == 0x08 ||
		(nr >= 0x14 && nr <= 0x1d) || (nr >= 0x20 && nr <= 0x26) ||
		(nr >= 0x29 && nr <= 0x2b) || (nr >= 0x30 && nr <= 0x39));
}

static void read_kver(void)
{
	struct utsname u;
	unsigned int major, minor;

	if (!uname(&u) && sscanf(u.release, "%u.%u", &major, &minor) == 2)
		kver = major * 100 + minor;
}

static const struct desc *lookup(unsigned int nr)
{
	if (nr >= DRM_COMMAND_BASE && nr < DRM_COMMAND_END) {
		nr -= DRM_COMMAND_BASE;
		return nr < ARRAY_SIZE(nova) ? &nova[nr] : NULL;
	}
	return core[nr].name && kver >= core[nr].since ? &core[nr] : NULL;
}

/* ---- PRNG: splitmix64, one stream per thread ---- */

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* ---- shared state ---- */

#define NSLOTS_PER_GPU	4	/* render, render, card, card without CAP_SYS_ADMIN */
#define MAX_SLOTS	(NSLOTS_PER_GPU * NOVA_FUZZ_MAX_GPUS)
#define POOL		64
#define ARG_MAX		16384	/* _IOC_SIZE is 14 bits */
#define SINK_SIZE	(256 << 10)
#define SWEEP_EVERY	512	/* calls per thread between fd sweeps */
#define BLOB_MAX	4096

enum node { RENDER, CARD };

struct slot {
	pthread_rwlock_t lock;	/* read: a call on fd; write: reopen */
	int fd;
	int gpu;
	enum node node;
	bool unprivileged;	/* opened without CAP_SYS_ADMIN */
	const char *path;
	pthread_mutex_t pool_lock;
	uint32_t handles[POOL];	/* handles this file returned */
	bool closed[POOL];	/* ... and later closed */
	unsigned int nhandles;
};

struct counts {
	uint64_t c[257][MAX_ERRNO + 1];	/* [nr or 256: foreign type][errno] */
};

struct fuzz {
	const struct nova_fuzz_opts *o;
	FILE *out;
	struct slot slots[MAX_SLOTS];
	int nslots;
	pthread_rwlock_t world;	/* read: a call; write: the fd sweep */
	pthread_mutex_t out_lock;
	pthread_mutex_t pool_lock;
	uint32_t names[POOL];	/* flink names */
	unsigned int nnames;
	uint32_t magics[POOL];	/* GET_MAGIC results */
	unsigned int nmagics;
	int dmabufs[POOL];	/* exported dma-buf fds, closed by the sweep */
	unsigned int ndmabufs;
	bool base_fd[4096];	/* fds open before the run */
	uint8_t *unmapped;	/* a page that is not mapped */
	uint8_t *rdonly;	/* PROT_READ pages, then an unmapped page */
	uint64_t vram_bar;	/* GETPARAM's answer before the run */
	struct timespec start;
	uint64_t deadline_ns;
	bool stop;		/* __atomic: set by any thread */
	uint64_t unexpected;
	uint64_t reported;
	uint64_t setup_errors;
	uint64_t calls;
	struct counts total;
};

struct thread {
	struct fuzz *f;
	pthread_t tid;
	unsigned int id;
	uint64_t rng;
	uint64_t calls;		/* this thread's share */
	uint64_t done;
	bool has_cap;
	uint8_t *arg;		/* ARG_MAX + guard page */
	uint8_t *sink;		/* where nested pointers point */
	struct counts *counts;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static uint64_t rnd(struct thread *t)
{
	return splitmix(&t->rng);
}

/* Uniform in [0, n). */
static uint64_t below(struct thread *t, uint64_t n)
{
	return n ? rnd(t) % n : 0;
}

static bool chance(struct thread *t, unsigned int percent)
{
	return below(t, 100) < percent;
}

/* Drop CAP_SYS_ADMIN from the calling thread only (raw capset). */
static int drop_sys_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	uint32_t bit = 1u << (CAP_SYS_ADMIN % 32);
	int word = CAP_SYS_ADMIN / 32;

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	data[word].effective &= ~bit;
	data[word].permitted &= ~bit;
	data[word].inheritable &= ~bit;
	return syscall(SYS_capset, &hdr, data) ? -errno : 0;
}

struct open_req {
	const char *path;
	int fd;
};

static void *open_unprivileged(void *arg)
{
	struct open_req *req = arg;

	if (drop_sys_admin()) {
		req->fd = -EPERM;
		return NULL;
	}
	req->fd = open(req->path, O_RDWR | O_CLOEXEC);
	if (req->fd < 0)
		req->fd = -errno;
	return NULL;
}

/* Open a slot's node; an unprivileged slot from a thread that dropped the cap. */
static int slot_open(struct slot *s)
{
	struct open_req req = { s->path, -1 };
	pthread_t tid;
	int fd;

	if (!s->unprivileged) {
		fd = open(s->path, O_RDWR | O_CLOEXEC);
		return fd < 0 ? -errno : fd;
	}
	if (pthread_create(&tid, NULL, open_unprivileged, &req))
		return -EAGAIN;
	pthread_join(tid, NULL);
	return req.fd;
}

/* ---- pools ---- */

static void pool_add_handle(struct slot *s, uint32_t h)
{
	unsigned int i;

	pthread_mutex_lock(&s->pool_lock);
	i = s->nhandles++ % POOL;
	s->handles[i] = h;
	s->closed[i] = false;
	pthread_mutex_unlock(&s->pool_lock);
}

static void pool_mark_closed(struct slot *s, uint32_t h)
{
	unsigned int i, n;

	pthread_mutex_lock(&s->pool_lock);
	n = s->nhandles < POOL ? s->nhandles : POOL;
	for (i = 0; i < n; i++)
		if (s->handles[i] == h)
			s->closed[i] = true;
	pthread_mutex_unlock(&s->pool_lock);
}

/* A handle from @s's pool: open (@want_closed false) or closed, 0 if none. */
static uint32_t pool_pick_handle(struct thread *t, struct slot *s, bool want_closed)
{
	unsigned int n, i, tries;
	uint32_t h = 0;

	pthread_mutex_lock(&s->pool_lock);
	n = s->nhandles < POOL ? s->nhandles : POOL;
	for (tries = 0; n && tries < 8; tries++) {
		i = below(t, n);
		if (s->closed[i] == want_closed) {
			h = s->handles[i];
			break;
		}
	}
	pthread_mutex_unlock(&s->pool_lock);
	return h;
}

static void pool_add(struct fuzz *f, uint32_t *pool, unsigned int *n, uint32_t v)
{
	pthread_mutex_lock(&f->pool_lock);
	pool[(*n)++ % POOL] = v;
	pthread_mutex_unlock(&f->pool_lock);
}

static uint32_t pool_pick(struct thread *t, uint32_t *pool, unsigned int *n)
{
	struct fuzz *f = t->f;
	unsigned int k;
	uint32_t v = 0;

	pthread_mutex_lock(&f->pool_lock);
	k = *n < POOL ? *n : POOL;
	if (k)
		v = pool[below(t, k)];
	pthread_mutex_unlock(&f->pool_lock);
	return v;
}

/* A handle: open, closed, another file's, never created, or small. */
static uint32_t pick_handle(struct thread *t, struct slot *s)
{
	struct fuzz *f = t->f;
	uint64_t r = below(t, 100);
	uint32_t h;

	if (r < 50)
		h = pool_pick_handle(t, s, false);
	else if (r < 65)
		h = pool_pick_handle(t, s, true);
	else if (r < 75)
		h = pool_pick_handle(t, &f->slots[below(t, f->nslots)], false);
	else if (r < 85)
		h = 0x7fff0000u + below(t, 0x10000);	/* never handed out */
	else if (r < 90)
		h = r & 1 ? 0 : UINT32_MAX;
	else
		h = 1 + below(t, 8);
	return h;
}

/* ---- argument values ---- */

static uint64_t interesting64(struct thread *t)
{
	static const uint64_t v[] = {
		0, 1, 2, 4095, 4096, 4097, 65536, 1ULL << 20, 1ULL << 31,
		1ULL << 32, (1ULL << 32) + 1, 16ULL << 30, 1ULL << 62,
		(1ULL << 63) - 1, 1ULL << 63, UINT64_MAX - 4095,
		UINT64_MAX - 1, UINT64_MAX, 0x7fffffff, 0x80000000,
		0xffffffff,
	};

	return v[below(t, ARRAY_SIZE(v))];
}

/* A pointer for a nested field: the sink, NULL, unmapped, read-only, kernel. */
static uint64_t pick_ptr(struct thread *t)
{
	struct fuzz *f = t->f;
	uint64_t r = below(t, 100);

	if (r < 50)
		return (uintptr_t)t->sink;
	if (r < 60)
		return 0;
	if (r < 75)
		return (uintptr_t)f->unmapped;
	if (r < 90)
		return (uintptr_t)f->rdonly;
	if (r < 95)
		return 0xffffffff81000000ULL;	/* kernel space */
	return (uintptr_t)t->sink + SINK_SIZE - 8;
}

/* Fill @len bytes with values biased toward the interesting. */
static void fill_args(struct thread *t, struct slot *s, uint8_t *p, size_t len)
{
	struct fuzz *f = t->f;
	size_t off = 0, fill = len < 256 ? len : 256;
	uint64_t v;
	uint32_t w;

	memset(p, 0, len);
	while (off + 4 <= fill) {
		uint64_t r = below(t, 100);

		if (r < 35) {
			w = 0;
		} else if (r < 45) {
			w = below(t, 17);
		} else if (r < 60) {
			w = pick_handle(t, s);
		} else if (r < 65) {
			w = pool_pick(t, f->names, &f->nnames);
		} else if (r < 75 && !(off & 7) && off + 8 <= fill) {
			v = interesting64(t);
			memcpy(p + off, &v, 8);
			off += 8;
			continue;
		} else if (r < 85 && !(off & 7) && off + 8 <= fill) {
			v = pick_ptr(t);
			memcpy(p + off, &v, 8);
			off += 8;
			continue;
		} else if (r < 92) {
			w = interesting64(t);
		} else {
			w = rnd(t);
		}
		memcpy(p + off, &w, 4);
		off += 4;
	}
	while (off < fill)
		p[off++] = rnd(t);
}

/* ---- calls ---- */

enum ptr_kind { P_VALID, P_STRADDLE, P_MISALIGNED, P_NULL, P_UNMAPPED,
		P_RDONLY, P_KERNEL };
static const char *const ptr_names[] = { "valid", "straddling", "misaligned",
	"NULL", "unmapped", "read-only", "kernel" };

struct call {
	struct slot *slot;
	uint32_t cmd;
	enum ptr_kind pk;
	uint8_t *arg;		/* what is passed */
	size_t shown;		/* bytes of arguments to print */
	uint8_t before[64];	/* the arguments as passed */
	const char *what;	/* the generator */
};

static enum ptr_kind pick_ptr_kind(struct thread *t)
{
	uint64_t r = below(t, 100);

	if (r < 75)
		return P_VALID;
	if (r < 80)
		return P_STRADDLE;
	if (r < 83)
		return P_MISALIGNED;
	if (r < 88)
		return P_NULL;
	if (r < 93)
		return P_UNMAPPED;
	if (r < 98)
		return P_RDONLY;
	return P_KERNEL;
}

/* Where the argument lives for @pk; the valid kinds are filled by the caller. */
static uint8_t *arg_ptr(struct thread *t, enum ptr_kind pk, size_t size)
{
	struct fuzz *f = t->f;

	switch (pk) {
	case P_VALID:
		return t->arg;
	case P_STRADDLE:	/* half readable, half in the guard page */
		return t->arg + ARG_MAX - (size / 2 ? size / 2 : 1);
	case P_MISALIGNED:
		return t->arg + 1;
	case P_NULL:
		return NULL;
	case P_UNMAPPED:
		return f->unmapped;
	case P_RDONLY:
		return f->rdonly;
	case P_KERNEL:
	default:
		return (uint8_t *)0xffffffff81000000ULL;
	}
}

static bool writable_kind(enum ptr_kind pk)
{
	return pk == P_VALID || pk == P_STRADDLE || pk == P_MISALIGNED;
}

/* Bytes writable at @p: the rest of the argument buffer, 0 elsewhere. */
static size_t room(struct thread *t, const uint8_t *p, enum ptr_kind pk)
{
	return writable_kind(pk) ? (size_t)(t->arg + ARG_MAX - p) : 0;
}

/* Lay out a structured argument at c->arg, as much of it as is writable. */
static void put_args(struct thread *t, struct call *c, const void *src, size_t len)
{
	size_t n = room(t, c->arg, c->pk);

	memcpy(c->arg, src, len < n ? len : n);
}

/*
 * The set of results the documents allow for @c on @s by a thread with or
 * without CAP_SYS_ADMIN; 0 is allowed where the set includes B(0).
 */
static eset allowed(const struct call *c, bool has_cap)
{
	const struct desc *d;
	unsigned int size = _IOC_SIZE(c->cmd), in, out, ksize, dsize;
	bool render = c->slot->node == RENDER;
	eset a = 0;

	if (_IOC_TYPE(c->cmd) != DRM_IOCTL_BASE)
		return B(ENOTTY);
	d = lookup(_IOC_NR(c->cmd));
	if (!d && legacy_nr(_IOC_NR(c->cmd)))
		return B(EINVAL) | B(EACCES) | B(EFAULT) | B(ENOMEM) |
		       (_IOC_NR(c->cmd) == 0x08 ? B(0) : 0);
	if (!d)
		return B(EINVAL);

	dsize = _IOC_SIZE(d->cmd);
	in = (c->cmd & d->cmd & IOC_IN) ? size : 0;
	out = (c->cmd & d->cmd & IOC_OUT) ? size : 0;
	ksize = in > out ? in : out;
	ksize = ksize > dsize ? ksize : dsize;
	if (ksize > 128)
		a |= B(ENOMEM);
	if (in || out)
		a |= B(EFAULT);

	/* drm_ioctl_permit(): certain refusals, then possible ones. */
	if ((d->flags & F_ROOT) && !has_cap)
		return a | B(EACCES);
	if (render && !(d->flags & F_RENDER))
		return a | B(EACCES);
	if (!render && (d->flags & F_MASTER))
		a |= B(EACCES);		/* master comes and goes */
	if (!render && (d->flags & F_AUTH) && c->slot->unprivileged)
		a |= B(EACCES);		/* authenticated only while master */

	return a | B(0) | d->errs;
}

/* Invariants of successful nova calls made with the exact encoding. */
static const char *check_success(struct fuzz *f, const struct call *c)
{
	if (c->pk != P_VALID)
		return NULL;
	if (c->cmd == DRM_IOCTL_NOVA_GEM_CREATE) {
		struct drm_nova_gem_create *a = (void *)c->arg;

		if (!a->handle)
			return "GEM_CREATE returned handle 0";
		if (memcmp(&a->size, c->before + 8, 8))
			return "GEM_CREATE wrote size back";
	} else if (c->cmd == DRM_IOCTL_NOVA_GEM_INFO) {
		struct drm_nova_gem_info *a = (void *)c->arg;

		if (!a->size || a->size % getpagesize())
			return "GEM_INFO size is 0 or not page-aligned";
	} else if (c->cmd == DRM_IOCTL_NOVA_GETPARAM) {
		struct drm_nova_getparam *a = (void *)c->arg;

		if (a->param != NOVA_GETPARAM_VRAM_BAR_SIZE)
			return "GETPARAM accepted an unknown parameter";
		if (a->value != f->vram_bar)
			return "GETPARAM VRAM_BAR_SIZE changed";
	}
	return NULL;
}

static void report(struct thread *t, uint64_t index, const struct call *c,
		   int ret, const char *why, eset a)
{
	struct fuzz *f = t->f;
	const struct desc *d = lookup(_IOC_NR(c->cmd));
	size_t i;

	pthread_mutex_lock(&f->out_lock);
	f->unexpected++;
	if (f->reported++ < f->o->max_report) {
		fprintf(f->out,
			"nova-fuzz: UNEXPECTED seed=%" PRIu64 " threads=%u thread=%u call=%" PRIu64
			" %s fd=%d (%s%s, %s) cap=%d cmd=0x%08x (%s nr=0x%02x dir=%u size=%u type=0x%02x)"
			" ptr=%s arg=%p result=%s%s%s allowed=",
			f->o->seed, f->o->threads, t->id, index, c->what, c->slot->fd,
			c->slot->node == RENDER ? "render" : "card",
			c->slot->unprivileged ? " unprivileged" : "", c->slot->path,
			t->has_cap, c->cmd, d && _IOC_TYPE(c->cmd) == DRM_IOCTL_BASE ? d->name : "-",
			_IOC_NR(c->cmd), _IOC_DIR(c->cmd), _IOC_SIZE(c->cmd),
			_IOC_TYPE(c->cmd), ptr_names[c->pk], (void *)c->arg,
			errname(ret), why ? ": " : "", why ? why : "");
		print_set(f->out, a);
		fprintf(f->out, " args=");
		for (i = 0; i < c->shown; i++)
			fprintf(f->out, "%02x", c->before[i]);
		fprintf(f->out, "\n");
		fflush(f->out);
	}
	pthread_mutex_unlock(&f->out_lock);
}

/* Make the call, count it, judge it; the errno, 0 on success. */
static int do_call(struct thread *t, struct call *c)
{
	struct fuzz *f = t->f;
	uint64_t index = t->done;
	const char *why = NULL;
	int ret, fd = c->slot->fd;
	unsigned int row;
	eset a;

	c->shown = 0;
	if (writable_kind(c->pk) || c->pk == P_RDONLY) {
		c->shown = _IOC_SIZE(c->cmd);
		if (c->shown > sizeof(c->before))
			c->shown = sizeof(c->before);
		if (c->pk != P_RDONLY && c->shown > room(t, c->arg, c->pk))
			c->shown = room(t, c->arg, c->pk);
		memcpy(c->before, c->arg, c->shown);
	}
	if (f->o->verbose) {
		pthread_mutex_lock(&f->out_lock);
		fprintf(f->out, "# t%u #%" PRIu64 " %s fd=%d cmd=0x%08x ptr=%s\n", t->id,
			index, c->what, fd, c->cmd, ptr_names[c->pk]);
		fflush(f->out);
		pthread_mutex_unlock(&f->out_lock);
	}

	/*
	 * A second known DRM core bug (6.12), also left alone unless -B: a
	 * lease created while another thread drops the lessor's master leaks
	 * the drm_master the lease file's open made (kmemleak, backtrace
	 * drm_mode_create_lease_ioctl -> drm_open -> drm_master_create).
	 */
	if (!f->o->core_bugs && _IOC_TYPE(c->cmd) == DRM_IOCTL_BASE &&
	    _IOC_NR(c->cmd) == DRM_IOCTL_NR(DRM_IOCTL_MODE_CREATE_LEASE))
		return EPERM;

	ret = ioctl(fd, c->cmd, c->arg) ? errno : 0;
	t->done++;

	row = _IOC_TYPE(c->cmd) == DRM_IOCTL_BASE ? _IOC_NR(c->cmd) : 256;
	t->counts->c[row][ret < MAX_ERRNO ? ret : MAX_ERRNO]++;

	a = allowed(c, t->has_cap);
	if (ret >= MAX_ERRNO || !(a & B(ret)))
		why = "errno not documented for this ioctl";
	else if (!ret && !(a & B(0)))
		why = "succeeded where the core must refuse";
	else if (!ret)
		why = check_success(f, c);
	if (why)
		report(t, index, c, ret, why, a);
	return ret;
}

static struct slot *pick_slot(struct thread *t, int node)
{
	struct fuzz *f = t->f;
	int i;

	for (i = 0; i < 16; i++) {
		struct slot *s = &f->slots[below(t, f->nslots)];

		if (node < 0 || (int)s->node == node)
			return s;
	}
	return &f->slots[0];
}

/* ---- generators: each makes one call on a read-locked slot ---- */

static void gen_nova(struct thread *t, struct slot *s)
{
	static const uint32_t cmds[] = { DRM_IOCTL_NOVA_GETPARAM,
		DRM_IOCTL_NOVA_GEM_CREATE, DRM_IOCTL_NOVA_GEM_INFO };
	struct call c = { .slot = s, .cmd = cmds[below(t, 3)], .what = "nova" };
	uint64_t v[2] = { 0, 0 };
	int ret;

	c.pk = chance(t, 85) ? P_VALID : pick_ptr_kind(t);
	c.arg = arg_ptr(t, c.pk, 16);
	if (c.cmd == DRM_IOCTL_NOVA_GETPARAM) {
		v[0] = chance(t, 60) ? NOVA_GETPARAM_VRAM_BAR_SIZE : interesting64(t);
		v[1] = rnd(t);
	} else if (c.cmd == DRM_IOCTL_NOVA_GEM_CREATE) {
		uint64_t r = below(t, 100);

		/* handle: ignored on input; pad: 0 but now and then */
		v[0] = (uint32_t)rnd(t) | (chance(t, 90) ? 0 : rnd(t) << 32);
		v[1] = r < 40 ? 1 + below(t, 1 << 20) :
		       r < 50 ? 0 : r < 60 ? (uint64_t)getpagesize() * (1 + below(t, 4)) :
		       r < 85 ? interesting64(t) : rnd(t);
	} else {
		v[0] = pick_handle(t, s) | (chance(t, 90) ? 0 : rnd(t) << 32);
		v[1] = rnd(t);
	}
	put_args(t, &c, v, 16);
	ret = do_call(t, &c);
	if (!ret && c.cmd == DRM_IOCTL_NOVA_GEM_CREATE && c.pk == P_VALID)
		pool_add_handle(s, ((struct drm_nova_gem_create *)c.arg)->handle);
}

static void gen_gem(struct thread *t, struct slot *s)
{
	struct fuzz *f = t->f;
	struct call c = { .slot = s, .what = "gem" };
	uint64_t r = below(t, 100);
	uint32_t h = pick_handle(t, s);
	int ret;

	c.pk = chance(t, 90) ? P_VALID : pick_ptr_kind(t);
	if (r < 40) {
		struct drm_gem_close a = { .handle = h, .pad = chance(t, 90) ? 0 : rnd(t) };

		c.cmd = DRM_IOCTL_GEM_CLOSE;
		c.arg = arg_ptr(t, c.pk, sizeof(a));
		put_args(t, &c, &a, sizeof(a));
		if (!do_call(t, &c) && c.pk == P_VALID)
			pool_mark_closed(s, h);
	} else if (r < 65) {
		struct drm_gem_flink a = { .handle = h };

		c.cmd = DRM_IOCTL_GEM_FLINK;
		c.arg = arg_ptr(t, c.pk, sizeof(a));
		put_args(t, &c, &a, sizeof(a));
		ret = do_call(t, &c);
		if (!ret && c.pk == P_VALID)
			pool_add(f, f->names, &f->nnames,
				 ((struct drm_gem_flink *)c.arg)->name);
	} else if (r < 90) {
		struct drm_gem_open a = {
			.name = chance(t, 80) ? pool_pick(t, f->names, &f->nnames)
					      : (uint32_t)below(t, 1000),
			.handle = rnd(t), .size = rnd(t),
		};

		c.cmd = DRM_IOCTL_GEM_OPEN;
		c.arg = arg_ptr(t, c.pk, sizeof(a));
		put_args(t, &c, &a, sizeof(a));
		ret = do_call(t, &c);
		if (!ret && c.pk == P_VALID)
			pool_add_handle(s, ((struct drm_gem_open *)c.arg)->handle);
	} else if (r < 95) {
		struct drm_prime_handle a = {
			.handle = h,
			.flags = chance(t, 80) ? DRM_CLOEXEC | (chance(t, 50) ? DRM_RDWR : 0)
					       : (uint32_t)rnd(t),
			.fd = rnd(t),
		};

		c.cmd = DRM_IOCTL_PRIME_HANDLE_TO_FD;
		c.arg = arg_ptr(t, c.pk, sizeof(a));
		put_args(t, &c, &a, sizeof(a));
		ret = do_call(t, &c);
		if (!ret && c.pk == P_VALID)
			pool_add(f, (uint32_t *)f->dmabufs, &f->ndmabufs,
				 ((struct drm_prime_handle *)c.arg)->fd);
	} else {
		int fds[] = { -1, 0, 1000, s->fd,
			      (int)pool_pick(t, (uint32_t *)f->dmabufs, &f->ndmabufs) };
		struct drm_prime_handle a = {
			.handle = rnd(t), .flags = chance(t, 90) ? 0 : rnd(t),
			.fd = fds[below(t, 5)],
		};

		if (chance(t, 60))
			a.fd = fds[4];
		c.cmd = DRM_IOCTL_PRIME_FD_TO_HANDLE;
		c.arg = arg_ptr(t, c.pk, sizeof(a));
		put_args(t, &c, &a, sizeof(a));
		ret = do_call(t, &c);
		if (!ret && c.pk == P_VALID)
			pool_add_handle(s, ((struct drm_prime_handle *)c.arg)->handle);
	}
}

/*
 * A call that reaches a known DRM core bug (6.12 and earlier), which the
 * fuzzer does not make unless asked to (-B): a file's magic lives in the
 * map of the master the file had when it called GET_MAGIC, but
 * drm_master_release() removes it from the map of the master the file
 * has when it is closed. SET_MASTER by a caller with CAP_SYS_ADMIN on a
 * file that is not master gives that file a new master; once it is closed,
 * the old master's map still points at the freed drm_file, and AUTH_MAGIC
 * of that magic writes to it (KASAN: slab-use-after-free in drm_authmagic).
 * So GET_MAGIC is made only on the unprivileged primary file, and
 * SET_MASTER on that file only by threads without CAP_SYS_ADMIN (which the
 * core lets through only for a file that is master already).
 */
static bool core_bug_call(struct thread *t, struct slot *s, uint32_t cmd)
{
	unsigned int nr = _IOC_NR(cmd);

	if (t->f->o->core_bugs || _IOC_TYPE(cmd) != DRM_IOCTL_BASE || s->node != CARD)
		return false;
	if (nr == DRM_IOCTL_NR(DRM_IOCTL_GET_MAGIC))
		return !s->unprivileged;
	if (nr == DRM_IOCTL_NR(DRM_IOCTL_SET_MASTER))
		return s->unprivileged && t->has_cap;
	return false;
}

/* SET_MASTER, DROP_MASTER, GET_MAGIC and AUTH_MAGIC on the card nodes. */
static void gen_master(struct thread *t, struct slot *s)
{
	struct fuzz *f = t->f;
	struct call c = { .slot = s, .what = "master" };
	uint64_t r = below(t, 100);
	int ret;

	c.pk = P_VALID;
	c.arg = t->arg;
	if ((r < 30 && core_bug_call(t, s, DRM_IOCTL_SET_MASTER)) ||
	    (r >= 60 && r < 80 && core_bug_call(t, s, DRM_IOCTL_GET_MAGIC)))
		r = 30;		/* DROP_MASTER instead */
	if (r < 30) {
		c.cmd = DRM_IOCTL_SET_MASTER;
		do_call(t, &c);
	} else if (r < 60) {
		c.cmd = DRM_IOCTL_DROP_MASTER;
		do_call(t, &c);
	} else if (r < 80) {
		c.cmd = DRM_IOCTL_GET_MAGIC;
		memset(c.arg, 0, sizeof(struct drm_auth));
		ret = do_call(t, &c);
		if (!ret)
			pool_add(f, f->magics, &f->nmagics,
				 ((struct drm_auth *)c.arg)->magic);
	} else {
		struct drm_auth a = {
			.magic = chance(t, 80) ? pool_pick(t, f->magics, &f->nmagics)
					       : (uint32_t)rnd(t),
		};

		c.cmd = DRM_IOCTL_AUTH_MAGIC;
		memcpy(c.arg, &a, sizeof(a));
		do_call(t, &c);
	}
}

/* Types the VFS answers itself for every file (FIOCLEX, FIFREEZE, ...). */
static bool vfs_type(unsigned int type)
{
	return type == 'T' || type == 'X' || type == 'f' || type == 0 ||
	       type == 0x94 || type == 0x15;
}

/*
 * A number in the DRM core's range (0x00..CORE_LAST_NR) or nova's and around
 * it (0x40..0x4f mostly, the rest of the driver range, past the core's
 * table up to 0xff), with the
 * declared encoding or a random direction and size, sometimes another type.
 */
static uint32_t pick_cmd(struct thread *t, bool driver)
{
	static const unsigned int sizes[] = { 0, 1, 4, 7, 8, 12, 15, 16, 17, 24,
		31, 32, 64, 127, 128, 129, 256, 4096, 16383 };
	unsigned int nr, dir, size, type = DRM_IOCTL_BASE;
	const struct desc *d;

	if (driver) {
		uint64_t r = below(t, 100);

		nr = r < 70 ? 0x40 + below(t, 0x10) : r < 85 ? 0x40 + below(t, 0x60)
						       : CORE_LAST_NR + 1 +
							 below(t, 0xff - CORE_LAST_NR);
	} else {
		nr = below(t, CORE_LAST_NR + 1);
	}
	d = lookup(nr);
	if (d && chance(t, 60)) {
		dir = _IOC_DIR(d->cmd);
		size = _IOC_SIZE(d->cmd);
	} else {
		dir = below(t, 4);
		size = chance(t, 70) ? sizes[below(t, ARRAY_SIZE(sizes))]
				     : below(t, 1 << 14);
		if (d && chance(t, 30))
			size = _IOC_SIZE(d->cmd) + below(t, 17) - 8;
		size &= (1 << 14) - 1;
	}
	if (chance(t, 3)) {
		do {
			type = below(t, 256);
		} while (type == DRM_IOCTL_BASE || vfs_type(type));
	}
	return _IOC(dir, type, nr, size);
}

/*
 * Keep the calls that could take the guest down bounded: a property blob
 * the core would allocate for the caller is at most BLOB_MAX bytes.
 */
static void sanitize(struct call *c)
{
	struct drm_mode_create_blob *b = (void *)c->arg;

	if (_IOC_TYPE(c->cmd) != DRM_IOCTL_BASE || !writable_kind(c->pk))
		return;
	if (_IOC_NR(c->cmd) == DRM_IOCTL_NR(DRM_IOCTL_MODE_CREATEPROPBLOB) &&
	    _IOC_SIZE(c->cmd) >= 12 && c->pk != P_STRADDLE && b->length > BLOB_MAX)
		b->length %= BLOB_MAX + 1;
}

static void gen_random(struct thread *t, struct slot *s, bool driver)
{
	struct call c = { .slot = s, .what = driver ? "driver-range" : "core-range" };
	size_t size, n;

	do {
		c.cmd = pick_cmd(t, driver);
	} while (core_bug_call(t, s, c.cmd));
	size = _IOC_SIZE(c.cmd);
	c.pk = pick_ptr_kind(t);
	c.arg = arg_ptr(t, c.pk, size);
	n = room(t, c.arg, c.pk);
	fill_args(t, s, c.arg, size < n ? size : n);
	sanitize(&c);
	do_call(t, &c);
}

/* Close a file and open its node again: its handles go, blobs and all. */
static void reopen(struct thread *t, struct slot *s)
{
	struct fuzz *f = t->f;
	int fd;

	pthread_rwlock_wrlock(&s->lock);
	close(s->fd);
	fd = slot_open(s);
	if (fd < 0) {
		pthread_mutex_lock(&f->out_lock);
		f->setup_errors++;
		fprintf(f->out, "nova-fuzz: thread %u: reopening %s: %s\n", t->id,
			s->path, strerror(-fd));
		pthread_mutex_unlock(&f->out_lock);
		__atomic_store_n(&f->stop, true, __ATOMIC_RELAXED);
		fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	}
	s->fd = fd;
	pthread_rwlock_unlock(&s->lock);
}

/*
 * Close every fd the calls left behind (exported dma-bufs, lease files, fds
 * whose number the kernel could not copy back) while no call runs.
 */
static void sweep(struct fuzz *f)
{
	bool keep[4096];
	struct dirent *d;
	DIR *dir;
	int i, fd, dfd;

	pthread_rwlock_wrlock(&f->world);
	memcpy(keep, f->base_fd, sizeof(keep));
	for (i = 0; i < f->nslots; i++)
		if (f->slots[i].fd >= 0 && f->slots[i].fd < 4096)
			keep[f->slots[i].fd] = true;
	dir = opendir("/proc/self/fd");
	if (dir) {
		dfd = dirfd(dir);
		while ((d = readdir(dir))) {
			fd = atoi(d->d_name);
			if (d->d_name[0] == '.' || fd == dfd || fd < 0 || fd >= 4096 || keep[fd])
				continue;
			close(fd);
		}
		closedir(dir);
	}
	f->ndmabufs = 0;
	pthread_rwlock_unlock(&f->world);
}

static void *worker(void *arg)
{
	struct thread *t = arg;
	struct fuzz *f = t->f;

	/* Odd threads work without CAP_SYS_ADMIN: ROOT_ONLY and master rules. */
	if (t->id & 1)
		t->has_cap = drop_sys_admin() != 0;

	while (t->done < t->calls && !__atomic_load_n(&f->stop, __ATOMIC_RELAXED)) {
		uint64_t r = below(t, 1000);
		struct slot *s;

		if (now_ns() >= f->deadline_ns) {
			__atomic_store_n(&f->stop, true, __ATOMIC_RELAXED);
			break;
		}
		if (t->done && t->done % SWEEP_EVERY == 0 && t->id == 0)
			sweep(f);

		pthread_rwlock_rdlock(&f->world);
		if (r < 2 && t->has_cap) {
			s = pick_slot(t, -1);
			reopen(t, s);
			pthread_rwlock_unlock(&f->world);
			continue;
		}
		s = r < 60 ? pick_slot(t, CARD) : pick_slot(t, -1);
		pthread_rwlock_rdlock(&s->lock);
		if (r < 60)
			gen_master(t, s);
		else if (r < 360)
			gen_nova(t, s);
		else if (r < 560)
			gen_gem(t, s);
		else if (r < 800)
			gen_random(t, s, false);
		else
			gen_random(t, s, true);
		pthread_rwlock_unlock(&s->lock);
		pthread_rwlock_unlock(&f->world);
	}
	return NULL;
}

/* ---- setup ---- */

uint64_t nova_fuzz_fresh_seed(void)
{
	uint64_t seed = now_ns() ^ ((uint64_t)getpid() << 32);
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		uint64_t r;

		if (read(fd, &r, sizeof(r)) == sizeof(r))
			seed ^= r;
		close(fd);
	}
	return seed;
}

static bool is_nova(int fd)
{
	drmVersionPtr v = drmGetVersion(fd);
	bool ok = v && v->name && !strcmp(v->name, "nova");

	drmFreeVersion(v);
	return ok;
}

/* The card node of the device whose render node is @render. */
static int card_of(const char *render, char *card, size_t len)
{
	struct stat st;
	char dir[128];
	struct dirent *d;
	DIR *dp;
	int found = -ENOENT;

	if (stat(render, &st))
		return -errno;
	snprintf(dir, sizeof(dir), "/sys/dev/char/%u:%u/device/drm", major(st.st_rdev),
		 minor(st.st_rdev));
	dp = opendir(dir);
	if (!dp)
		return -errno;
	while ((d = readdir(dp)))
		if (!strncmp(d->d_name, "card", 4)) {
			snprintf(card, len, "/dev/dri/%.32s", d->d_name);
			found = 0;
		}
	closedir(dp);
	return found;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int nova_fuzz_find_nodes(struct nova_fuzz_opts *o)
{
	char *names[64];
	struct dirent *d;
	int n = 0, i, fd;
	DIR *dp;

	o->ngpus = 0;
	dp = opendir("/dev/dri");
	if (!dp)
		return 0;
	while ((d = readdir(dp)) && n < 64)
		if (!strncmp(d->d_name, "renderD", 7))
			names[n++] = strdup(d->d_name);
	closedir(dp);
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (i = 0; i < n; i++) {
		char path[64];

		snprintf(path, sizeof(path), "/dev/dri/%s", names[i]);
		free(names[i]);
		if (o->ngpus >= NOVA_FUZZ_MAX_GPUS)
			continue;
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (is_nova(fd) && !card_of(path, o->card[o->ngpus], sizeof(o->card[0]))) {
			snprintf(o->render[o->ngpus], sizeof(o->render[0]), "%s", path);
			o->ngpus++;
		}
		close(fd);
	}
	return o->ngpus;
}

static int setup(struct fuzz *f)
{
	static const uint32_t small[] = { 0, 1, 8, 0xffffffff };
	const struct nova_fuzz_opts *o = f->o;
	struct drm_nova_getparam gp = { .param = NOVA_GETPARAM_VRAM_BAR_SIZE };
	long page = getpagesize();
	pthread_rwlockattr_t attr;
	struct dirent *d;
	DIR *dir;
	int g, k, fd;

	read_kver();

	/* Writers (reopen, sweep) must not starve behind a stream of calls. */
	pthread_rwlockattr_init(&attr);
	pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&f->world, &attr);
	pthread_mutex_init(&f->out_lock, NULL);
	pthread_mutex_init(&f->pool_lock, NULL);

	dir = opendir("/proc/self/fd");
	if (!dir)
		return -errno;
	while ((d = readdir(dir))) {
		fd = atoi(d->d_name);
		if (d->d_name[0] != '.' && fd >= 0 && fd < 4096)
			f->base_fd[fd] = true;
	}
	closedir(dir);

	/* An unmapped page, and read-only pages followed by an unmapped one. */
	f->unmapped = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	f->rdonly = mmap(NULL, ARG_MAX + page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (f->unmapped == MAP_FAILED || f->rdonly == MAP_FAILED)
		return -ENOMEM;
	munmap(f->unmapped, page);
	/* Small words: a read-only argument must not make the kernel allocate much. */
	for (k = 0; k < ARG_MAX / 4; k++)
		((uint32_t *)f->rdonly)[k] = small[(o->seed >> (k % 63)) & 3];
	mprotect(f->rdonly, ARG_MAX, PROT_READ);
	munmap(f->rdonly + ARG_MAX, page);

	for (g = 0; g < o->ngpus; g++) {
		for (k = 0; k < NSLOTS_PER_GPU; k++) {
			struct slot *s = &f->slots[f->nslots];

			pthread_rwlock_init(&s->lock, &attr);
			pthread_mutex_init(&s->pool_lock, NULL);
			s->gpu = g;
			s->node = k < 2 ? RENDER : CARD;
			s->unprivileged = k == 3;
			s->path = s->node == RENDER ? o->render[g] : o->card[g];
			s->fd = slot_open(s);
			if (s->fd < 0) {
				fprintf(f->out, "nova-fuzz: cannot open %s: %s\n", s->path,
					strerror(-s->fd));
				return s->fd;
			}
			f->nslots++;
		}
	}
	pthread_rwlockattr_destroy(&attr);

	if (ioctl(f->slots[0].fd, DRM_IOCTL_NOVA_GETPARAM, &gp)) {
		fprintf(f->out, "nova-fuzz: GETPARAM on %s: %s\n", f->slots[0].path,
			strerror(errno));
		return -errno;
	}
	f->vram_bar = gp.value;
	return 0;
}

static void teardown(struct fuzz *f)
{
	int i;

	for (i = 0; i < f->nslots; i++)
		if (f->slots[i].fd >= 0)
			close(f->slots[i].fd);
	f->nslots = 0;
	sweep(f);
}

/* The rows of numbers with no handler, summed per range. */
static const struct {
	unsigned int lo, hi;
	const char *name;
} gaps[] = {
	{ 0x00, 0x3f, "(core: none, or legacy)" },
	{ 0x43, 0x9f, "(driver, past nova's)" },
	{ 0xa0, CORE_LAST_NR, "(core, no entry)" },
	{ CORE_LAST_NR + 1, 0xff, "(past the core table)" },
};

static void print_row(FILE *out, const char *label, const char *name,
		      const uint64_t *c)
{
	uint64_t n = 0;
	unsigned int e;

	for (e = 0; e <= MAX_ERRNO; e++)
		n += c[e];
	if (!n)
		return;
	fprintf(out, "  %-9s %-26s", label, name);
	for (e = 0; e <= MAX_ERRNO; e++)
		if (c[e])
			fprintf(out, " %s=%" PRIu64, e < MAX_ERRNO ? errname(e) : "other",
				c[e]);
	fprintf(out, "\n");
}

static void summary(struct fuzz *f, struct nova_fuzz_result *res)
{
	uint64_t gap[ARRAY_SIZE(gaps)][MAX_ERRNO + 1] = { { 0 } };
	FILE *out = f->out;
	unsigned int row, e, g;
	char label[16];

	fprintf(out, "nova-fuzz: results per ioctl number (result=count)\n");
	for (row = 0; row < 256; row++) {
		const struct desc *d = lookup(row);

		if (d) {
			snprintf(label, sizeof(label), "0x%02x", row);
			print_row(out, label, d->name, f->total.c[row]);
			continue;
		}
		for (g = 0; g < ARRAY_SIZE(gaps); g++)
			if (row >= gaps[g].lo && row <= gaps[g].hi)
				for (e = 0; e <= MAX_ERRNO; e++)
					gap[g][e] += f->total.c[row][e];
	}
	for (g = 0; g < ARRAY_SIZE(gaps); g++) {
		snprintf(label, sizeof(label), "0x%02x-%02x", gaps[g].lo, gaps[g].hi);
		print_row(out, label, gaps[g].name, gap[g]);
	}
	print_row(out, "any", "(type not 'd')", f->total.c[256]);
	fprintf(out,
		"nova-fuzz: seed=%" PRIu64 " threads=%u calls=%" PRIu64 " time=%.1fs%s "
		"unexpected=%" PRIu64 " setup-errors=%" PRIu64 ": %s\n",
		f->o->seed, f->o->threads, res->calls, res->seconds,
		res->timed_out ? " (time cap)" : "", res->unexpected, res->setup_errors,
		res->unexpected || res->setup_errors ? "FAIL" : "PASS");
	fflush(out);
}

int nova_fuzz_run(const struct nova_fuzz_opts *o, struct nova_fuzz_result *res,
		  FILE *out)
{
	struct thread *threads;
	struct fuzz *f;
	unsigned int i, j, e;
	uint64_t start;
	int ret;

	memset(res, 0, sizeof(*res));
	fprintf(out, "nova-fuzz: seed=%" PRIu64 " calls=%" PRIu64 " seconds=%u threads=%u gpus=%d\n",
		o->seed, o->calls, o->seconds, o->threads, o->ngpus);
	fflush(out);
	if (!o->threads || o->threads > NOVA_FUZZ_MAX_THREADS || o->ngpus < 1)
		return -EINVAL;

	f = calloc(1, sizeof(*f));
	threads = calloc(o->threads, sizeof(*threads));
	if (!f || !threads) {
		free(f);
		free(threads);
		return -ENOMEM;
	}
	f->o = o;
	f->out = out;
	ret = setup(f);
	if (ret) {
		teardown(f);
		free(threads);
		free(f);
		return ret;
	}

	start = now_ns();
	f->deadline_ns = start + (uint64_t)o->seconds * 1000000000ULL;
	for (i = 0; i < o->threads; i++) {
		struct thread *t = &threads[i];
		uint64_t s = o->seed ^ (0xa0761d6478bd642fULL * (i + 1));

		t->f = f;
		t->id = i;
		t->rng = splitmix(&s);
		t->calls = o->calls / o->threads + (i < o->calls % o->threads);
		t->has_cap = true;
		t->counts = calloc(1, sizeof(*t->counts));
		t->arg = mmap(NULL, ARG_MAX + getpagesize(), PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		t->sink = malloc(SINK_SIZE);
		if (!t->counts || t->arg == MAP_FAILED || !t->sink) {
			ret = -ENOMEM;
			break;
		}
		/* A guard page after the argument buffer, for straddling arguments. */
		munmap(t->arg + ARG_MAX, getpagesize());
	}
	for (j = 0; !ret && j < o->threads; j++)
		if (pthread_create(&threads[j].tid, NULL, worker, &threads[j]))
			break;
	for (i = 0; i < j; i++)
		pthread_join(threads[i].tid, NULL);
	if (!ret && j < o->threads)
		ret = -EAGAIN;

	res->seconds = (now_ns() - start) / 1e9;
	for (i = 0; i < o->threads; i++) {
		struct thread *t = &threads[i];
		unsigned int row;

		res->calls += t->done;
		for (row = 0; t->counts && row <= 256; row++)
			for (e = 0; e <= MAX_ERRNO; e++)
				f->total.c[row][e] += t->counts->c[row][e];
		free(t->counts);
		free(t->sink);
		if (t->arg && t->arg != MAP_FAILED)
			munmap(t->arg, ARG_MAX);
	}
	res->timed_out = res->calls < o->calls && f->stop && !f->setup_errors;
	res->unexpected = f->unexpected;
	res->setup_errors = f->setup_errors;
	teardown(f);
	summary(f, res);
	free(threads);
	free(f);
	if (ret)
		return ret;
	return res->unexpected || res->setup_errors ? 1 : 0;
}
