// SPDX-License-Identifier: GPL-2.0
/*
 * nova-bench: the in-guest half of `make bench` (Documentation/performance.rst).
 *
 * Calls the uAPI of nova_drm, of its C twin and of vgem through raw ioctls
 * and reports the cost of each call in guest nanoseconds. Under QEMU's
 * "-icount shift=0" a guest nanosecond is one executed instruction, so the
 * figures are instructions per call (user space's few included).
 *
 *   nova-bench [-n CALLS] [-r ROUNDS] [-s OBJECTS] [-f FILES] [-b BUCKETS]
 *              [-c] NAME=NODE...
 *
 * NAME is nova, twin (nova's uAPI on a render node) or vgem (dumb buffers
 * on a primary node, given as CARD,RENDER). Output: one record a line,
 *
 *   check <name> <name> alike|differ <what>
 *   round <figure> <name> <round> <per-call>
 *   scale <files> <name> <objects before the bucket> <per-call>
 *   free <files> <name> <objects> <per-object>
 *   mem <name> <objects> <slab bytes per object> <used bytes per object>
 *
 * Rounds are interleaved: each round measures every figure on every driver,
 * in an order that rotates from round to round, so that a drift of the
 * machine over the run spreads over all drivers alike.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <drm.h>
#include <drm_mode.h>
#include <drm/nova_drm.h>

#define MAX_DRIVERS	4
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* An ioctl the DRM core rejects before dispatching it: past the driver's table. */
#define IOCTL_REJECTED	DRM_IOWR(DRM_COMMAND_BASE + 0x5f, struct drm_nova_getparam)

struct driver {
	const char *name;
	bool vgem;		/* dumb buffers on the primary node */
	char node[64];		/* where the objects are made */
	char render[64];	/* the render node, for open + close */
	int fd;
};

static struct driver drivers[MAX_DRIVERS];
static int ndrivers;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "nova-bench: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

static uint64_t now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* The ioctl's errno, or 0; restarted as drmIoctl() does. */
static int xioctl(int fd, unsigned long req, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, req, arg);
	} while (ret == -1 && (errno == EINTR || errno == EAGAIN));
	return ret ? errno : 0;
}

static int open_node(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		die("open %s: %s", path, strerror(errno));
	return fd;
}

/* ---- the calls measured ---- */

static int gem_create(struct driver *d, int fd, uint64_t size, uint32_t *handle)
{
	int ret;

	if (d->vgem) {
		/* 32 bpp, one row of size / 4 pixels up to 4096, then rows. */
		uint64_t pixels = size / 4;
		struct drm_mode_create_dumb arg = {
			.width = pixels < 4096 ? pixels : 4096,
			.height = pixels < 4096 ? 1 : pixels / 4096,
			.bpp = 32,
		};

		ret = xioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &arg);
		*handle = arg.handle;
	} else {
		struct drm_nova_gem_create arg = { .size = size };

		ret = xioctl(fd, DRM_IOCTL_NOVA_GEM_CREATE, &arg);
		*handle = arg.handle;
	}
	return ret;
}

static int gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close arg = { .handle = handle };

	return xioctl(fd, DRM_IOCTL_GEM_CLOSE, &arg);
}

enum figure {
	GETPARAM,
	GEM_INFO,
	CREATE_CLOSE_4K,
	CREATE_CLOSE_64M,
	OPEN_CLOSE,
	DRM_FLOOR,
	SYSCALL_FLOOR,
	NFIGURES
};

static const char *const figure_names[NFIGURES] = {
	"getparam", "gem_info", "create_close_4k", "create_close_64m",
	"open_close", "drm_floor", "syscall_floor",
};

static bool applies(const struct driver *d, enum figure f)
{
	return !(d->vgem && (f == GETPARAM || f == GEM_INFO));
}

/* Average guest ns (instructions) per call of figure @f over @n calls. */
static double measure(struct driver *d, enum figure f, long n)
{
	struct drm_nova_getparam gp = { .param = NOVA_GETPARAM_VRAM_BAR_SIZE };
	struct drm_nova_gem_info info = { 0 };
	/* Answered for every driver, before the core asks for modesetting. */
	struct drm_get_cap cap = { .capability = DRM_CAP_TIMESTAMP_MONOTONIC };
	uint64_t size = f == CREATE_CLOSE_64M ? 64ull << 20 : 4096;
	uint32_t handle = 0;
	uint64_t t0, t1;
	int fd = d->fd;
	long i;

	if (f == GEM_INFO) {
		if (gem_create(d, fd, 4096, &handle))
			die("%s: GEM_CREATE failed", d->name);
		info.handle = handle;
	}
	t0 = now();
	switch (f) {
	case GETPARAM:
		for (i = 0; i < n; i++)
			if (xioctl(fd, DRM_IOCTL_NOVA_GETPARAM, &gp))
				die("%s: GETPARAM: %s", d->name, strerror(errno));
		break;
	case GEM_INFO:
		for (i = 0; i < n; i++)
			if (xioctl(fd, DRM_IOCTL_NOVA_GEM_INFO, &info))
				die("%s: GEM_INFO: %s", d->name, strerror(errno));
		break;
	case CREATE_CLOSE_4K:
	case CREATE_CLOSE_64M:
		for (i = 0; i < n; i++) {
			if (gem_create(d, fd, size, &handle))
				die("%s: create: %s", d->name, strerror(errno));
			if (gem_close(fd, handle))
				die("%s: GEM_CLOSE: %s", d->name, strerror(errno));
		}
		break;
	case OPEN_CLOSE:
		for (i = 0; i < n; i++)
			close(open_node(d->render));
		break;
	case DRM_FLOOR:
		for (i = 0; i < n; i++)
			if (xioctl(fd, DRM_IOCTL_GET_CAP, &cap))
				die("%s: GET_CAP: %s", d->name, strerror(errno));
		break;
	case SYSCALL_FLOOR:
		for (i = 0; i < n; i++)
			if (xioctl(fd, IOCTL_REJECTED, &gp) != EINVAL)
				die("%s: the rejected ioctl was not refused", d->name);
		break;
	default:
		break;
	}
	t1 = now();
	if (f == GEM_INFO)
		gem_close(fd, handle);
	return (double)(t1 - t0) / n;
}

/* ---- the twin answers as nova does ---- */

/* The outcome of a fixed sequence of calls, good and bad, as one string. */
static void answers(struct driver *d, char *out, size_t len)
{
	static const uint64_t params[] = { NOVA_GETPARAM_VRAM_BAR_SIZE, 0, 2,
					   1ull << 32 | NOVA_GETPARAM_VRAM_BAR_SIZE,
					   UINT64_MAX };
	static const uint64_t sizes[] = { 0, 1, 4096, 4097, 64ull << 20,
					  UINT64_MAX, UINT64_MAX - 4094 };
	int fd = open_node(d->render);
	size_t pos = 0;
	unsigned int i;

#define ADD(...) (pos += snprintf(out + pos, pos < len ? len - pos : 0, __VA_ARGS__))
	for (i = 0; i < ARRAY_SIZE(params); i++) {
		struct drm_nova_getparam arg = { .param = params[i] };
		int ret = xioctl(fd, DRM_IOCTL_NOVA_GETPARAM, &arg);

		ADD("getparam(%#llx)=%d:%llu ", (unsigned long long)params[i], ret,
		    ret ? 0ull : (unsigned long long)arg.value);
	}
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct drm_nova_gem_create arg = { .size = sizes[i] };
		struct drm_nova_gem_info info = { 0 };
		int ret = xioctl(fd, DRM_IOCTL_NOVA_GEM_CREATE, &arg);

		ADD("create(%#llx)=%d:%u ", (unsigned long long)sizes[i], ret,
		    ret ? 0 : arg.handle);
		if (ret)
			continue;
		info.handle = arg.handle;
		ret = xioctl(fd, DRM_IOCTL_NOVA_GEM_INFO, &info);
		ADD("info=%d:%llu ", ret, (unsigned long long)info.size);
		info.pad = 1;
		ADD("info(pad)=%d ", xioctl(fd, DRM_IOCTL_NOVA_GEM_INFO, &info));
		info.pad = 0;
		info.handle = arg.handle + 100;
		ADD("info(other)=%d ", xioctl(fd, DRM_IOCTL_NOVA_GEM_INFO, &info));
		ADD("close=%d ", gem_close(fd, arg.handle));
		info.handle = arg.handle;
		ADD("info(closed)=%d ", xioctl(fd, DRM_IOCTL_NOVA_GEM_INFO, &info));
		ADD("close(closed)=%d ", gem_close(fd, arg.handle));
	}
	{
		struct drm_nova_gem_create arg = { .size = 4096, .pad = 1 };

		ADD("create(pad)=%d ", xioctl(fd, DRM_IOCTL_NOVA_GEM_CREATE, &arg));
	}
	{
		struct drm_nova_getparam arg = { .param = 1 };

		ADD("rejected=%d", xioctl(fd, IOCTL_REJECTED, &arg));
	}
#undef ADD
	close(fd);
}

static int check_alike(void)
{
	char ref[4096], got[4096];
	struct driver *first = NULL;
	int i, bad = 0;

	for (i = 0; i < ndrivers; i++) {
		struct driver *d = &drivers[i];

		if (d->vgem)
			continue;
		if (!first) {
			first = d;
			answers(d, ref, sizeof(ref));
			continue;
		}
		answers(d, got, sizeof(got));
		if (strcmp(ref, got)) {
			printf("check %s %s differ\n# %s: %s\n# %s: %s\n", first->name,
			       d->name, first->name, ref, d->name, got);
			bad = 1;
		} else {
			printf("check %s %s alike %s\n", first->name, d->name, ref);
		}
	}
	return bad;
}

/* ---- scale ---- */

static long meminfo_kb(const char *field)
{
	char line[256];
	size_t n = strlen(field);
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, field, n) && line[n] == ':') {
			kb = strtol(line + n + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return kb;
}

static void drop_caches(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);

	sync();
	if (fd >= 0) {
		if (write(fd, "3", 1) != 1)
			fprintf(stderr, "nova-bench: drop_caches: %s\n", strerror(errno));
		close(fd);
	}
}

/*
 * Let what earlier objects left to free after RCU grace periods go, then
 * drop the caches, so that a memory baseline is not lowered later by
 * frees of objects that are not the ones being counted. Sleeping is cheap:
 * an idle guest's clock jumps to its next timer under -icount sleep=off.
 */
static void settle(void)
{
	drop_caches();
	sleep(1);
	drop_caches();
}

/*
 * @objects 4 KiB objects spread round-robin over @nfiles files, created in
 * @buckets equal steps, each timed; then every file closed, which frees
 * them. With one file, the memory the objects take is measured too.
 */
static void scale(struct driver *d, long objects, int nfiles, int buckets)
{
	long per_bucket = objects / buckets, made = 0;
	long slab0, free0, slab1, free1;
	uint64_t t0, t1;
	int *fds, b, i;

	fds = calloc(nfiles, sizeof(*fds));
	if (!fds)
		die("out of memory");
	for (i = 0; i < nfiles; i++)
		fds[i] = open_node(d->node);
	settle();
	slab0 = meminfo_kb("Slab");
	free0 = meminfo_kb("MemFree");
	for (b = 0; b < buckets; b++) {
		t0 = now();
		for (i = 0; i < per_bucket; i++, made++) {
			uint32_t handle;

			if (gem_create(d, fds[made % nfiles], 4096, &handle))
				die("%s: object %ld: %s", d->name, made, strerror(errno));
		}
		t1 = now();
		printf("scale %d %s %ld %.1f\n", nfiles, d->name, made - per_bucket,
		       (double)(t1 - t0) / per_bucket);
		fflush(stdout);
	}
	slab1 = meminfo_kb("Slab");
	free1 = meminfo_kb("MemFree");
	if (nfiles == 1)
		printf("mem %s %ld %.1f %.1f\n", d->name, made,
		       (slab1 - slab0) * 1024.0 / made, (free0 - free1) * 1024.0 / made);
	t0 = now();
	for (i = 0; i < nfiles; i++)
		close(fds[i]);
	t1 = now();
	printf("free %d %s %ld %.1f\n", nfiles, d->name, made, (double)(t1 - t0) / made);
	fflush(stdout);
	free(fds);
}

/* ---- main ---- */

static void add_driver(const char *spec)
{
	const char *eq = strchr(spec, '=');
	struct driver *d;
	const char *comma;

	if (!eq || ndrivers == MAX_DRIVERS)
		die("bad driver '%s' (NAME=NODE)", spec);
	d = &drivers[ndrivers++];
	d->name = strndup(spec, eq - spec);
	d->vgem = !strcmp(d->name, "vgem");
	comma = strchr(eq + 1, ',');
	if (d->vgem && !comma)
		die("vgem=CARD,RENDER");
	if (comma) {
		snprintf(d->node, sizeof(d->node), "%.*s", (int)(comma - eq - 1), eq + 1);
		snprintf(d->render, sizeof(d->render), "%s", comma + 1);
	} else {
		snprintf(d->node, sizeof(d->node), "%s", eq + 1);
		snprintf(d->render, sizeof(d->render), "%s", eq + 1);
	}
}

int main(int argc, char **argv)
{
	long calls = 2000, objects = 0;
	int rounds = 7, nfiles = 1000, buckets = 50, check_only = 0;
	int opt, r, f, k, i;

	while ((opt = getopt(argc, argv, "n:r:s:f:b:c")) != -1) {
		switch (opt) {
		case 'n':
			calls = atol(optarg);
			break;
		case 'r':
			rounds = atoi(optarg);
			break;
		case 's':
			objects = atol(optarg);
			break;
		case 'f':
			nfiles = atoi(optarg);
			break;
		case 'b':
			buckets = atoi(optarg);
			break;
		case 'c':
			check_only = 1;
			break;
		default:
			die("usage: nova-bench [-n CALLS] [-r ROUNDS] [-s OBJECTS] "
			    "[-f FILES] [-b BUCKETS] [-c] NAME=NODE...");
		}
	}
	for (i = optind; i < argc; i++)
		add_driver(argv[i]);
	if (!ndrivers || calls < 1 || rounds < 1 || buckets < 1 || nfiles < 1)
		die("nothing to do");
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (check_alike())
		return 1;
	if (check_only)
		return 0;

	for (i = 0; i < ndrivers; i++)
		drivers[i].fd = open_node(drivers[i].node);

	/* Round 0 warms caches and slabs up and is not reported. */
	for (r = 0; r <= rounds; r++) {
		for (f = 0; f < NFIGURES; f++) {
			for (k = 0; k < ndrivers; k++) {
				struct driver *d = &drivers[(k + r) % ndrivers];
				double v;

				if (!applies(d, f))
					continue;
				/*
				 * What the last measurement left to RCU (the
				 * inodes of closed objects) is freed now, while
				 * the guest idles, not in this measurement.
				 */
				usleep(50000);
				v = measure(d, f, r ? calls : calls / 4 + 1);
				if (r)
					printf("round %s %s %d %.1f\n", figure_names[f],
					       d->name, r, v);
			}
		}
	}
	for (i = 0; i < ndrivers; i++)
		close(drivers[i].fd);

	if (objects > 0) {
		struct rlimit rl = { nfiles + 64, nfiles + 64 };

		if (setrlimit(RLIMIT_NOFILE, &rl))
			die("RLIMIT_NOFILE %d: %s", nfiles + 64, strerror(errno));
		for (i = 0; i < ndrivers; i++)
			scale(&drivers[i], objects, 1, buckets);
		for (i = 0; i < ndrivers; i++)
			scale(&drivers[i], objects, nfiles, buckets);
	}
	return 0;
}
