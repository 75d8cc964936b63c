// SPDX-License-Identifier: GPL-2.0
/*
 * novactl - look at and exercise a nova GPU through the Nova uAPI.
 *
 * Finds the nova DRM node (or uses the one given with -d), then runs one
 * command: info, create, roundtrip or getparam. Every failed ioctl is
 * reported in one line naming the ioctl, the likely cause and the errno.
 */

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <xf86drm.h>
#include <drm/nova_drm.h>

#define DRI_DIR		"/dev/dri"
#define NOVA_NAME	"nova"

/* Exit codes: 1 when something failed, 2 when the command line is wrong. */
#define EXIT_USAGE	2

static const char *prog = "novactl";

struct node {
	char path[PATH_MAX];
	int fd;
};

struct chip {
	char pci_dir[PATH_MAX];	/* sysfs directory of the PCI device */
	char chipset[32];
	char architecture[32];
	char revision[32];
	bool identified;	/* the attributes above were found */
};

static void print_usage(FILE *out)
{
	fprintf(out,
		"usage: %s [-d NODE] [-a] COMMAND [ARG...]\n"
		"       %s -a\n"
		"\n"
		"  -d NODE   use this DRM node (/dev/dri/renderD128, /dev/dri/card0)\n"
		"            instead of the first nova node found\n"
		"  -a        without a command: list every nova node;\n"
		"            with a command: run it on every nova GPU\n"
		"  -h        show this help\n"
		"\n"
		"commands:\n"
		"  info                  node, driver, chip, VBIOS version, VRAM\n"
		"                        size and VRAM BAR size\n"
		"  create SIZE [--keep]  create an object, print its handle and\n"
		"                        size, then close it (unless --keep)\n"
		"  roundtrip SIZE...     create, query, close and check that the\n"
		"                        handle is gone, for each SIZE\n"
		"  getparam PARAM        read a parameter: a number or vram-bar-size\n"
		"\n"
		"SIZE is a byte count, decimal or 0x hex, optionally followed by\n"
		"K, M, G or T (powers of 1024).\n",
		prog, prog);
}

/* One line on stderr, prefixed with the program name. */
#define errorf(fmt, ...) \
	fprintf(stderr, "%s: " fmt "\n", prog, ##__VA_ARGS__)

static const char *errname(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : "unknown errno";
}

/* Causes that do not depend on the ioctl: see "Errors common to all". */
static const char *common_cause(int err)
{
	switch (err) {
	case ENODEV:
		return "the GPU was unbound or unplugged";
	case EACCES:
		return "primary node opened without being DRM master or authenticated; use the render node";
	case EFAULT:
		return "bad argument pointer";
	case ENOTTY:
		return "not a DRM device";
	case ENOMEM:
		return "out of kernel memory";
	default:
		return strerror(err);
	}
}

static void ioctl_error(const char *ioctl, int err, const char *cause)
{
	errorf("%s: %s (%s)", ioctl, cause ? cause : common_cause(err),
	       errname(err));
}

/* Rounds up to the page size; false when that overflows 64 bits. */
static bool page_align(uint64_t size, uint64_t *aligned)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);

	if (size > UINT64_MAX - (page - 1))
		return false;
	*aligned = (size + page - 1) & ~(page - 1);
	return true;
}

static int getparam(int fd, uint64_t param, uint64_t *value)
{
	struct drm_nova_getparam arg = { .param = param };
	char cause[96];

	if (drmIoctl(fd, DRM_IOCTL_NOVA_GETPARAM, &arg)) {
		int err = errno;
		const char *why = NULL;

		if (err == EINVAL) {
			snprintf(cause, sizeof(cause),
				 param > UINT32_MAX ?
				 "parameter %#llx does not fit in 32 bits" :
				 "unknown parameter %llu",
				 (unsigned long long)param);
			why = cause;
		}
		ioctl_error("GETPARAM", err, why);
		return -err;
	}
	*value = arg.value;
	return 0;
}

static int gem_create(int fd, uint64_t size, uint32_t *handle)
{
	struct drm_nova_gem_create arg = { .size = size };
	char cause[96];
	uint64_t aligned;

	if (drmIoctl(fd, DRM_IOCTL_NOVA_GEM_CREATE, &arg)) {
		int err = errno;
		const char *why = NULL;

		if (err == EINVAL && size == 0) {
			why = "size 0 is invalid";
		} else if (err == EINVAL && !page_align(size, &aligned)) {
			snprintf(cause, sizeof(cause),
				 "size %llu overflows when rounded up to the page size",
				 (unsigned long long)size);
			why = cause;
		} else if (err == ENOMEM) {
			snprintf(cause, sizeof(cause),
				 "not enough memory for a %llu-byte object",
				 (unsigned long long)size);
			why = cause;
		}
		ioctl_error("GEM_CREATE", err, why);
		return -err;
	}
	*handle = arg.handle;
	return 0;
}

/* @quiet_enoent: ENOENT is the expected answer, do not report it. */
static int gem_info(int fd, uint32_t handle, uint64_t *size, bool quiet_enoent)
{
	struct drm_nova_gem_info arg = { .handle = handle };
	char cause[64];

	if (drmIoctl(fd, DRM_IOCTL_NOVA_GEM_INFO, &arg)) {
		int err = errno;
		const char *why = NULL;

		if (err == ENOENT && quiet_enoent)
			return -err;
		if (err == ENOENT) {
			snprintf(cause, sizeof(cause), "no object with handle %u",
				 handle);
			why = cause;
		}
		ioctl_error("GEM_INFO", err, why);
		return -err;
	}
	*size = arg.size;
	return 0;
}

static int gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close arg = { .handle = handle };
	char cause[64];

	if (drmIoctl(fd, DRM_IOCTL_GEM_CLOSE, &arg)) {
		int err = errno;
		const char *why = NULL;

		/* The DRM core answers EINVAL for a handle it does not know. */
		if (err == EINVAL) {
			snprintf(cause, sizeof(cause), "no object with handle %u",
				 handle);
			why = cause;
		}
		ioctl_error("GEM_CLOSE", err, why);
		return -err;
	}
	return 0;
}

/* "4096 (4 KiB)"; the unit part only when the size is an exact multiple. */
static const char *format_size(uint64_t size, char *buf, size_t len)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB" };
	int unit = -1;
	uint64_t v = size;

	while (unit < 3 && v >= 1024 && v % 1024 == 0) {
		v /= 1024;
		unit++;
	}
	if (unit < 0)
		snprintf(buf, len, "%llu", (unsigned long long)size);
	else
		snprintf(buf, len, "%llu (%llu %s)", (unsigned long long)size,
			 (unsigned long long)v, units[unit]);
	return buf;
}

static bool parse_u64(const char *s, uint64_t *out, char **end)
{
	unsigned long long v;

	if (*s == '\0' || *s == '-' || *s == '+' || *s == ' ')
		return false;
	errno = 0;
	v = strtoull(s, end, 0);
	if (errno || *end == s)
		return false;
	*out = v;
	return true;
}

static bool parse_size(const char *s, uint64_t *size)
{
	static const char suffixes[] = "KMGT";
	const char *p;
	char *end;
	uint64_t v;
	int shift;

	if (!parse_u64(s, &v, &end))
		return false;
	if (*end == '\0') {
		*size = v;
		return true;
	}
	p = *end ? strchr(suffixes, toupper((unsigned char)*end)) : NULL;
	if (!p || (end[1] != '\0' && strcmp(end + 1, "iB")))
		return false;
	shift = 10 * (int)(p - suffixes + 1);
	if (v > UINT64_MAX >> shift)
		return false;
	*size = v << shift;
	return true;
}

static bool parse_param(const char *s, uint64_t *param)
{
	char *end;

	if (!strcmp(s, "vram-bar-size") || !strcmp(s, "vram_bar_size")) {
		*param = NOVA_GETPARAM_VRAM_BAR_SIZE;
		return true;
	}
	return parse_u64(s, param, &end) && *end == '\0';
}

static bool is_nova(int fd)
{
	drmVersionPtr ver = drmGetVersion(fd);
	bool nova;

	if (!ver)
		return false;
	nova = ver->name && !strcmp(ver->name, NOVA_NAME);
	drmFreeVersion(ver);
	return nova;
}

/* Sorts renderD128 before renderD129 before renderD1000. */
static int node_order(const struct dirent **a, const struct dirent **b)
{
	size_t la = strlen((*a)->d_name), lb = strlen((*b)->d_name);

	if (la != lb)
		return la < lb ? -1 : 1;
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_render(const struct dirent *d)
{
	return !strncmp(d->d_name, "renderD", 7);
}

static int is_card(const struct dirent *d)
{
	return !strncmp(d->d_name, "card", 4);
}

struct scan {
	struct node *nodes;
	int count;
	int unopenable;		/* nodes we could not open, e.g. EACCES */
};

static void scan_kind(struct scan *sc, int (*filter)(const struct dirent *))
{
	struct dirent **names;
	int i, n;

	n = scandir(DRI_DIR, &names, filter, node_order);
	for (i = 0; i < n; i++) {
		struct node *nodes;
		char path[PATH_MAX];
		int fd;

		snprintf(path, sizeof(path), DRI_DIR "/%s", names[i]->d_name);
		free(names[i]);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			sc->unopenable++;
			continue;
		}
		if (!is_nova(fd)) {
			close(fd);
			continue;
		}
		nodes = realloc(sc->nodes, (sc->count + 1) * sizeof(*nodes));
		if (!nodes) {
			close(fd);
			continue;
		}
		sc->nodes = nodes;
		snprintf(nodes[sc->count].path, PATH_MAX, "%s", path);
		nodes[sc->count].fd = fd;
		sc->count++;
	}
	if (n > 0)
		free(names);
}

/* All nova nodes: render nodes first, then primary nodes. */
static void scan_nodes(struct scan *sc)
{
	scan_kind(sc, is_render);
	scan_kind(sc, is_card);
}

static void report_none(const struct scan *sc)
{
	if (sc->unopenable)
		errorf("no nova device found (%d DRM node%s could not be opened; try as root)",
		       sc->unopenable, sc->unopenable == 1 ? "" : "s");
	else
		errorf("no nova device found");
}

static int open_node(const char *path, struct node *node)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);
	drmVersionPtr ver;

	if (fd < 0) {
		errorf("cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	ver = drmGetVersion(fd);
	if (!ver) {
		errorf("%s: not a DRM device", path);
		close(fd);
		return -1;
	}
	if (!ver->name || strcmp(ver->name, NOVA_NAME)) {
		errorf("%s: not a nova device (driver \"%s\")", path,
		       ver->name ? ver->name : "");
		drmFreeVersion(ver);
		close(fd);
		return -1;
	}
	drmFreeVersion(ver);
	snprintf(node->path, sizeof(node->path), "%s", path);
	node->fd = fd;
	return 0;
}

static bool read_attr(const char *dir, const char *name, char *buf, size_t len)
{
	char path[PATH_MAX + 64];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "re");
	if (!f)
		return false;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	return true;
}

static bool is_bdf(const char *name)
{
	unsigned int dom, bus, dev, fn;
	char end;

	return sscanf(name, "%x:%x:%x.%x%c", &dom, &bus, &dev, &fn, &end) == 4;
}

/*
 * The node's sysfs device is either the PCI device itself or the auxiliary
 * device nova_core created under it; the PCI device is the first ancestor
 * carrying the "chipset" attribute. Without one (a nova_core that does not
 * publish it), the first ancestor named like a PCI address stands in, and
 * the chip fields read "?".
 */
static bool find_chip(int fd, struct chip *chip)
{
	char link[64], dir[PATH_MAX], attr[PATH_MAX + 16];
	struct stat st;
	char *slash;

	memset(chip, 0, sizeof(*chip));
	snprintf(chip->chipset, sizeof(chip->chipset), "?");
	snprintf(chip->architecture, sizeof(chip->architecture), "?");
	snprintf(chip->revision, sizeof(chip->revision), "?");
	if (fstat(fd, &st) || !S_ISCHR(st.st_mode))
		return false;
	snprintf(link, sizeof(link), "/sys/dev/char/%u:%u/device",
		 major(st.st_rdev), minor(st.st_rdev));
	if (!realpath(link, dir))
		return false;
	while (strcmp(dir, "/sys/devices") && strcmp(dir, "/")) {
		snprintf(attr, sizeof(attr), "%s/nova/chipset", dir);
		if (!access(attr, R_OK)) {
			snprintf(chip->pci_dir, sizeof(chip->pci_dir), "%s", dir);
			chip->identified = true;
			read_attr(dir, "nova/chipset", chip->chipset,
				  sizeof(chip->chipset));
			read_attr(dir, "nova/architecture", chip->architecture,
				  sizeof(chip->architecture));
			read_attr(dir, "nova/revision", chip->revision,
				  sizeof(chip->revision));
			return true;
		}
		slash = strrchr(dir, '/');
		if (!slash || slash == dir)
			break;
		if (!chip->pci_dir[0] && is_bdf(slash + 1))
			snprintf(chip->pci_dir, sizeof(chip->pci_dir), "%s", dir);
		*slash = '\0';
	}
	return chip->pci_dir[0] != '\0';
}

static const char *basename_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/*
 * One line about a GPU attribute that older modules do not have: its value
 * ("unavailable" too, printed as the driver says it), or a note that the
 * attribute is absent. A vram_size value that is a byte count is shown
 * with its unit as well.
 */
static void print_gpu_attr(const char *label, const struct chip *chip,
			   const char *name, bool size)
{
	char value[80], buf[64], *end; /* a GPU name takes up to 63 bytes */
	unsigned long long bytes;

	if (!read_attr(chip->pci_dir, name, value, sizeof(value))) {
		printf("%-14s ? (nova_core publishes no %s attribute)\n", label,
		       basename_of(name));
		return;
	}
	errno = 0;
	bytes = strtoull(value, &end, 10);
	if (size && isdigit((unsigned char)value[0]) && !*end && !errno)
		printf("%-14s %s\n", label, format_size(bytes, buf, sizeof(buf)));
	else
		printf("%-14s %s\n", label, value);
}

static void list_node(const struct node *node)
{
	struct chip chip;

	if (find_chip(node->fd, &chip))
		printf("%-22s %s  %s %s %s\n", node->path,
		       basename_of(chip.pci_dir), chip.chipset,
		       chip.architecture, chip.revision);
	else
		printf("%-22s (PCI device not found in sysfs)\n", node->path);
}

static int cmd_info(const struct node *node)
{
	drmVersionPtr ver = drmGetVersion(node->fd);
	struct chip chip;
	uint64_t vram = 0;
	char buf[64];

	printf("node:          %s\n", node->path);
	if (!ver) {
		errorf("%s: DRM_IOCTL_VERSION failed: %s (%s)", node->path,
		       common_cause(errno), errname(errno));
		return 1;
	}
	printf("driver:        %s %d.%d.%d (%s)\n", ver->name,
	       ver->version_major, ver->version_minor,
	       ver->version_patchlevel, ver->desc);
	drmFreeVersion(ver);

	if (find_chip(node->fd, &chip)) {
		char vendor[16], device[16];

		/* The PCI ids as lspci shows them: 10de:2684 for an AD102 board. */
		if (read_attr(chip.pci_dir, "vendor", vendor, sizeof(vendor)) &&
		    read_attr(chip.pci_dir, "device", device, sizeof(device)))
			printf("pci device:    %s (%s:%s)\n", basename_of(chip.pci_dir),
			       vendor + (strncmp(vendor, "0x", 2) ? 0 : 2),
			       device + (strncmp(device, "0x", 2) ? 0 : 2));
		else
			printf("pci device:    %s\n", basename_of(chip.pci_dir));
		if (!chip.identified)
			printf("chipset:       ? (nova_core publishes no chipset attribute)\n");
		else
			printf("chipset:       %s\n", chip.chipset);
		printf("architecture:  %s\n", chip.architecture);
		printf("revision:      %s\n", chip.revision);
		/* GSP-RM's name of the GPU, "unavailable" without a running GSP. */
		print_gpu_attr("gpu name:", &chip, "nova/gpu_name", false);
		print_gpu_attr("vbios:", &chip, "nova/vbios_version", false);
		print_gpu_attr("vram:", &chip, "nova/vram_size", true);
	} else {
		printf("pci device:    not found in sysfs\n");
	}

	if (getparam(node->fd, NOVA_GETPARAM_VRAM_BAR_SIZE, &vram))
		return 1;
	printf("vram bar size: %s\n", format_size(vram, buf, sizeof(buf)));
	return 0;
}

static int cmd_create(const struct node *node, uint64_t size, bool keep)
{
	uint32_t handle = 0;
	uint64_t got = 0;
	char buf[64];

	if (gem_create(node->fd, size, &handle))
		return 1;
	if (gem_info(node->fd, handle, &got, false))
		return 1;
	printf("handle %u, size %s\n", handle, format_size(got, buf, sizeof(buf)));
	if (keep) {
		printf("kept: the object lives until novactl exits\n");
		return 0;
	}
	return gem_close(node->fd, handle) ? 1 : 0;
}

static int roundtrip_one(const struct node *node, const char *arg,
			 uint64_t size)
{
	uint64_t want = 0, got = 0;
	uint32_t handle = 0;
	char buf[64];
	int ret;

	if (gem_create(node->fd, size, &handle))
		return 1;
	if (gem_info(node->fd, handle, &got, false))
		return 1;
	if (!page_align(size, &want) || got != want) {
		errorf("roundtrip %s: GEM_INFO reports %llu bytes, expected %llu",
		       arg, (unsigned long long)got, (unsigned long long)want);
		gem_close(node->fd, handle);
		return 1;
	}
	if (gem_close(node->fd, handle))
		return 1;
	ret = gem_info(node->fd, handle, &got, true);
	if (ret == 0) {
		errorf("roundtrip %s: handle %u still answers GEM_INFO after GEM_CLOSE",
		       arg, handle);
		return 1;
	}
	if (ret != -ENOENT)
		return 1;
	printf("%s: handle %u, size %s, closed, gone: ok\n", arg, handle,
	       format_size(want, buf, sizeof(buf)));
	return 0;
}

static int cmd_getparam(const struct node *node, uint64_t param)
{
	uint64_t value = 0;

	if (getparam(node->fd, param, &value))
		return 1;
	if (param == NOVA_GETPARAM_VRAM_BAR_SIZE)
		printf("vram-bar-size = %llu\n", (unsigned long long)value);
	else
		printf("param %llu = %llu\n", (unsigned long long)param,
		       (unsigned long long)value);
	return 0;
}

enum command { CMD_NONE, CMD_INFO, CMD_CREATE, CMD_ROUNDTRIP, CMD_GETPARAM };

struct request {
	enum command cmd;
	bool keep;
	uint64_t param;
	uint64_t size;		/* create */
	char **sizes;		/* roundtrip, validated */
	int nsizes;
};

/* Validates the command line completely before any device is touched. */
static int parse_command(int argc, char **argv, struct request *req)
{
	const char *name;
	int i;

	if (argc == 0)
		return 0;
	name = argv[0];
	if (!strcmp(name, "info")) {
		req->cmd = CMD_INFO;
		if (argc != 1) {
			errorf("info takes no argument");
			return -1;
		}
	} else if (!strcmp(name, "create")) {
		const char *size = NULL;

		req->cmd = CMD_CREATE;
		for (i = 1; i < argc; i++) {
			if (!strcmp(argv[i], "--keep")) {
				req->keep = true;
			} else if (!size) {
				size = argv[i];
			} else {
				errorf("create takes one SIZE");
				return -1;
			}
		}
		if (!size) {
			errorf("create needs a SIZE");
			return -1;
		}
		if (!parse_size(size, &req->size)) {
			errorf("invalid size \"%s\"", size);
			return -1;
		}
	} else if (!strcmp(name, "roundtrip")) {
		uint64_t size;

		req->cmd = CMD_ROUNDTRIP;
		if (argc < 2) {
			errorf("roundtrip needs at least one SIZE");
			return -1;
		}
		for (i = 1; i < argc; i++) {
			if (!parse_size(argv[i], &size)) {
				errorf("invalid size \"%s\"", argv[i]);
				return -1;
			}
		}
		req->sizes = argv + 1;
		req->nsizes = argc - 1;
	} else if (!strcmp(name, "getparam")) {
		req->cmd = CMD_GETPARAM;
		if (argc != 2) {
			errorf("getparam needs exactly one PARAM");
			return -1;
		}
		if (!parse_param(argv[1], &req->param)) {
			errorf("invalid parameter \"%s\"", argv[1]);
			return -1;
		}
	} else {
		errorf("unknown command \"%s\"", name);
		return -1;
	}
	return 0;
}

static int run(const struct request *req, const struct node *node)
{
	uint64_t size;
	int i, failed = 0;

	switch (req->cmd) {
	case CMD_INFO:
		return cmd_info(node);
	case CMD_CREATE:
		return cmd_create(node, req->size, req->keep);
	case CMD_ROUNDTRIP:
		for (i = 0; i < req->nsizes; i++) {
			parse_size(req->sizes[i], &size);
			failed |= roundtrip_one(node, req->sizes[i], size);
		}
		return failed;
	case CMD_GETPARAM:
		return cmd_getparam(node, req->param);
	case CMD_NONE:
		break;
	}
	return 0;
}

/* Whether an earlier node in the scan belongs to the same PCI device. */
static bool seen_before(const struct scan *sc, int i)
{
	struct chip chip, other;
	int j;

	if (!find_chip(sc->nodes[i].fd, &chip))
		return false;
	for (j = 0; j < i; j++)
		if (find_chip(sc->nodes[j].fd, &other) &&
		    !strcmp(chip.pci_dir, other.pci_dir))
			return true;
	return false;
}

/* -a with a command: once per GPU, on its first node (the render node). */
static int run_all(const struct request *req, const struct scan *sc)
{
	int i, ret = 0;
	bool first = true;

	for (i = 0; i < sc->count; i++) {
		if (seen_before(sc, i))
			continue;
		if (!first)
			printf("\n");
		first = false;
		/* info names its node itself. */
		if (req->cmd != CMD_INFO)
			printf("%s:\n", sc->nodes[i].path);
		ret |= run(req, &sc->nodes[i]);
	}
	return ret;
}

int main(int argc, char **argv)
{
	struct request req = { .cmd = CMD_NONE };
	const char *path = NULL;
	struct scan sc = { 0 };
	bool all = false;
	struct node node;
	int opt, ret, i;

	prog = basename_of(argv[0]);
	while ((opt = getopt(argc, argv, "+d:ah")) != -1) {
		switch (opt) {
		case 'd':
			path = optarg;
			break;
		case 'a':
			all = true;
			break;
		case 'h':
			print_usage(stdout);
			return 0;
		default:
			print_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (path && all) {
		errorf("-d and -a exclude each other");
		return EXIT_USAGE;
	}
	if (parse_command(argc - optind, argv + optind, &req))
		return EXIT_USAGE;
	if (req.cmd == CMD_NONE && !all) {
		print_usage(stderr);
		return EXIT_USAGE;
	}

	if (path) {
		if (open_node(path, &node))
			return 1;
		ret = run(&req, &node);
		close(node.fd);
		return ret;
	}

	scan_nodes(&sc);
	if (!sc.count) {
		report_none(&sc);
		return 1;
	}
	if (!all)
		ret = run(&req, &sc.nodes[0]);
	else if (req.cmd == CMD_NONE)
		for (i = 0, ret = 0; i < sc.count; i++)
			list_node(&sc.nodes[i]);
	else
		ret = run_all(&req, &sc);
	for (i = 0; i < sc.count; i++)
		close(sc.nodes[i].fd);
	free(sc.nodes);
	return ret;
}
