// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the nova kselftests; see nova_test.h.
 */

#include <dirent.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>
#include <xf86drm.h>

#include "nova_test.h"

#define PCI_DEVICES_DIR		"/sys/bus/pci/devices"
#define PCI_COMMAND		0x04
#define PCI_COMMAND_MEMORY	0x2
#define IORESOURCE_MEM		0x00000200
#define WAIT_STEP_MS		20
#define MODULE_WAIT_MS		10000

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

int nova_read_file(const char *path, char *buf, size_t len)
{
	size_t used = 0;
	ssize_t n = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (used < len - 1 && (n = read(fd, buf + used, len - 1 - used)) > 0)
		used += n;
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	while (used > 0 && (buf[used - 1] == '\n' || buf[used - 1] == ' '))
		used--;
	buf[used] = '\0';
	return 0;
}

ssize_t nova_slurp(const char *path, uint8_t **buf, size_t max)
{
	size_t cap = 1 << 16, len = 0, want;
	uint8_t *p = malloc(cap), *q;
	ssize_t n = 0;
	int fd;

	*buf = NULL;
	if (!p)
		return -ENOMEM;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(p);
		return -errno;
	}
	while (!max || len < max) {
		/* Room for one more byte than is read: the NUL. */
		if (len + 1 >= cap) {
			q = realloc(p, cap * 2);
			if (!q) {
				n = -ENOMEM;
				break;
			}
			p = q;
			cap *= 2;
		}
		want = cap - 1 - len;
		if (max && max - len < want)
			want = max - len;
		n = read(fd, p + len, want);
		if (n <= 0) {
			if (n < 0)
				n = -errno;
			break;
		}
		len += n;
	}
	close(fd);
	if (n < 0) {
		free(p);
		return n;
	}
	p[len] = '\0';
	*buf = p;
	return len;
}

int nova_data_dir(const char *env, const char *name, char *dir, size_t len)
{
	const char *from = env ? getenv(env) : NULL;
	char exe[PATH_MAX], *slash;
	ssize_t n;

	if (from) {
		snprintf(dir, len, "%s", from);
	} else {
		n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		if (n < 0)
			return -errno;
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		snprintf(dir, len, "%s/%s", exe, name);
	}
	return access(dir, R_OK) ? -errno : 0;
}

/* One write(2) of @str, as sysfs wants; the write's errno on failure. */
int nova_write_file(const char *path, const char *str)
{
	size_t len = strlen(str);
	ssize_t n;
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, str, len);
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != len)
		ret = -EIO;
	close(fd);
	return ret;
}

/* Copy a name that must fit; false (and "" in @dst) when it does not. */
static bool copy_name(char *dst, size_t len, const char *src)
{
	size_t n = strlen(src);

	if (n >= len) {
		dst[0] = '\0';
		return false;
	}
	memcpy(dst, src, n + 1);
	return true;
}

/* ---- processes ---- */

int nova_run(const char *const argv[])
{
	static const char *const dirs[] = { "/sbin/", "/usr/sbin/", "/bin/",
					    "/usr/bin/" };
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		char path[256];
		size_t i;
		int null = open("/dev/null", O_WRONLY);

		/* Quiet: the caller logs failures in TAP comment form. */
		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
		}
		execvp(argv[0], (char *const *)argv);
		/* The test runner's PATH may lack the sbin directories. */
		for (i = 0; i < ARRAY_SIZE(dirs); i++) {
			snprintf(path, sizeof(path), "%s%s", dirs[i], argv[0]);
			execv(path, (char *const *)argv);
		}
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -errno;
	if (!WIFEXITED(status))
		return -EINTR;
	return WEXITSTATUS(status);
}

int nova_drop_sys_admin(void)
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
	if (syscall(SYS_capset, &hdr, data))
		return -errno;
	return 0;
}

/* ---- driver and modules ---- */

const char *nova_drm_module(void)
{
	const char *name = getenv("NOVA_DRM_MODULE");

	return name && *name ? name : "nova_drm";
}

bool nova_module_loaded(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/module/%s/initstate", name);
	return access(path, F_OK) == 0;
}

/* @name has finished its init: "live" in its initstate. */
static bool module_live(const char *name)
{
	char path[128], state[16];

	snprintf(path, sizeof(path), "/sys/module/%s/initstate", name);
	return !nova_read_file(path, state, sizeof(state)) && !strcmp(state, "live");
}

int nova_modprobe(const char *name, const char *param)
{
	const char *const argv[] = { "modprobe", name, param, NULL };
	int ret = nova_run(argv), waited;

	/*
	 * A failure is only one if the module does not come up: the hotplug
	 * helper may be loading it by alias at the same time, and then
	 * modprobe (busybox's) returns at once, seeing the module listed,
	 * while the other load is still in the module's init or before it.
	 */
	for (waited = 0; !module_live(name) && waited < MODULE_WAIT_MS;
	     waited += WAIT_STEP_MS)
		sleep_ms(WAIT_STEP_MS);
	if (!module_live(name)) {
		nova_log("modprobe %s%s%s failed (%d)", name,
			 param ? " " : "", param ? param : "", ret);
		return ret < 0 ? ret : -ENOENT;
	}
	return 0;
}

int nova_delete_module(const char *name)
{
	if (syscall(SYS_delete_module, name, O_NONBLOCK))
		return -errno;
	return 0;
}

static bool modprobe_running(void)
{
	char path[64], comm[32];
	struct dirent *d;
	bool found = false;
	DIR *dp;

	dp = opendir("/proc");
	if (!dp)
		return false;
	while (!found && (d = readdir(dp))) {
		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%.16s/comm", d->d_name);
		found = !nova_read_file(path, comm, sizeof(comm)) &&
			!strcmp(comm, "modprobe");
	}
	closedir(dp);
	return found;
}

void nova_settle(void)
{
	int quiet = 0, waited;

	/* Quiet for 300 ms in a row, or 10 s at most. */
	for (waited = 0; quiet < 300 && waited < MODULE_WAIT_MS;
	     waited += WAIT_STEP_MS) {
		quiet = modprobe_running() ? 0 : quiet + WAIT_STEP_MS;
		sleep_ms(WAIT_STEP_MS);
	}
}

static int wait_all_bound(void)
{
	char bdfs[NOVA_MAX_GPUS][32];
	struct nova_gpu gpu;
	int i, n, ret = 0;

	n = nova_bound_bdfs(bdfs, NOVA_MAX_GPUS);
	for (i = 0; i < n; i++) {
		if (nova_gpu_wait(bdfs[i], &gpu, MODULE_WAIT_MS)) {
			nova_log("GPU %s got no DRM device", bdfs[i]);
			ret = -ETIMEDOUT;
		}
	}
	return ret;
}

int nova_env_up(struct nova_env *env, char *why, size_t len)
{
	char bdf[1][32];
	bool had_drm;

	env->loaded_core = false;
	env->loaded_drm = false;
	if (geteuid() != 0) {
		snprintf(why, len, "needs root");
		return -EPERM;
	}
	/* Hotplug may load nova_drm for us; it is ours to unload all the same. */
	had_drm = nova_module_loaded(NOVA_DRM);
	env->loaded_drm = !had_drm;
	if (!nova_module_loaded(NOVA_CORE)) {
		if (nova_modprobe(NOVA_CORE, NULL)) {
			snprintf(why, len, "cannot load %s", NOVA_CORE);
			return -ENOENT;
		}
		env->loaded_core = true;
	}
	if (!nova_module_loaded(NOVA_DRM) && nova_modprobe(NOVA_DRM, NULL)) {
		nova_env_down(env);
		snprintf(why, len, "cannot load %s", NOVA_DRM);
		return -ENOENT;
	}
	if (env->loaded_core || env->loaded_drm)
		nova_settle();
	if (nova_bound_bdfs(bdf, 1) < 1) {
		nova_env_down(env);
		snprintf(why, len, "no GPU is bound to %s", NOVA_CORE);
		return -ENODEV;
	}
	/* A GPU without DRM nodes is a failure for the test to report. */
	wait_all_bound();
	return 0;
}

void nova_env_down(struct nova_env *env)
{
	int ret;

	if (env->loaded_drm || env->loaded_core)
		nova_settle();
	if (env->loaded_drm && nova_module_loaded(NOVA_DRM)) {
		ret = nova_delete_module(NOVA_DRM);
		if (ret)
			nova_log("cannot unload %s: %s", NOVA_DRM, strerror(-ret));
	}
	if (env->loaded_core && nova_module_loaded(NOVA_CORE)) {
		ret = nova_delete_module(NOVA_CORE);
		if (ret)
			nova_log("cannot unload %s: %s", NOVA_CORE, strerror(-ret));
	}
	/* A test that unloaded modules it found loaded gets them back. */
	if ((!env->loaded_core && !nova_module_loaded(NOVA_CORE)) ||
	    (!env->loaded_drm && !nova_module_loaded(NOVA_DRM))) {
		ret = nova_reload();
		if (ret)
			nova_log("cannot load the nova modules again: %s",
				 strerror(-ret));
	}
	env->loaded_drm = false;
	env->loaded_core = false;
}

int nova_reload(void)
{
	int ret;

	if (!nova_module_loaded(NOVA_CORE)) {
		ret = nova_modprobe(NOVA_CORE, NULL);
		if (ret)
			return ret;
	}
	if (!nova_module_loaded(NOVA_DRM)) {
		ret = nova_modprobe(NOVA_DRM, NULL);
		if (ret)
			return ret;
	}
	ret = wait_all_bound();
	nova_settle();
	return ret;
}

/* ---- GPUs in sysfs ---- */

int nova_parse_bdf(const char *bdf, struct nova_pci_addr *addr)
{
	char end;

	if (sscanf(bdf, "%x:%x:%x.%x%c", &addr->domain, &addr->bus,
		   &addr->dev, &addr->func, &end) != 4)
		return -EINVAL;
	return 0;
}

static bool is_bdf(const char *name)
{
	struct nova_pci_addr addr;

	return !nova_parse_bdf(name, &addr);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* PCI addresses in @dir, filtered by @keep, sorted. */
static int list_bdfs(const char *dir, bool (*keep)(const char *bdf),
		     char bdfs[][32], int max)
{
	struct dirent *d;
	DIR *dp;
	int n = 0;

	dp = opendir(dir);
	if (!dp)
		return 0;
	while ((d = readdir(dp)) && n < max) {
		if (!is_bdf(d->d_name) || (keep && !keep(d->d_name)))
			continue;
		if (copy_name(bdfs[n], 32, d->d_name))
			n++;
	}
	closedir(dp);
	qsort(bdfs, n, 32, cmp_str);
	return n;
}

int nova_bound_bdfs(char bdfs[][32], int max)
{
	return list_bdfs(NOVA_CORE_DRIVER_DIR, NULL, bdfs, max);
}

bool nova_is_model(const char *bdf)
{
	char path[128], vendor[16], class[16];
	unsigned long cls;

	snprintf(path, sizeof(path), PCI_DEVICES_DIR "/%s/vendor", bdf);
	if (nova_read_file(path, vendor, sizeof(vendor)))
		return false;
	snprintf(path, sizeof(path), PCI_DEVICES_DIR "/%s/class", bdf);
	if (nova_read_file(path, class, sizeof(class)))
		return false;
	cls = strtoul(class, NULL, 16) >> 8;
	return strtoul(vendor, NULL, 16) == NOVA_PCI_VENDOR_NVIDIA &&
	       (cls == NOVA_PCI_CLASS_VGA || cls == NOVA_PCI_CLASS_3D);
}

int nova_model_bdfs(char bdfs[][32], int max)
{
	return list_bdfs(PCI_DEVICES_DIR, nova_is_model, bdfs, max);
}

bool nova_is_bound(const char *bdf)
{
	char path[128], target[256];
	const char *name;
	ssize_t n;

	snprintf(path, sizeof(path), PCI_DEVICES_DIR "/%s/driver", bdf);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return false;
	target[n] = '\0';
	name = strrchr(target, '/');
	return name && !strcmp(name + 1, NOVA_CORE);
}

int nova_env_up_model(struct nova_env *env, char bdf[32], char *why, size_t len)
{
	if (nova_env_up(env, why, len))
		return -ENODEV;
	if (nova_first_model_bound(bdf)) {
		nova_env_down(env);
		snprintf(why, len, "no model GPU (PCI vendor %04x, class %04xxx "
			 "or %04xxx) is bound to %s", NOVA_PCI_VENDOR_NVIDIA,
			 NOVA_PCI_CLASS_VGA, NOVA_PCI_CLASS_3D, NOVA_CORE);
		return -ENODEV;
	}
	return 0;
}

int nova_first_model_bound(char bdf[32])
{
	char bdfs[NOVA_MAX_GPUS][32];
	int i, n;

	n = nova_model_bdfs(bdfs, NOVA_MAX_GPUS);
	for (i = 0; i < n; i++) {
		if (nova_is_bound(bdfs[i])) {
			memcpy(bdf, bdfs[i], 32);
			return 0;
		}
	}
	return -ENODEV;
}

/* DRM nodes listed in a sysfs "drm" directory. */
static void lookup_nodes(const char *drm_dir, struct nova_gpu *gpu)
{
	struct dirent *d;
	unsigned int n;
	char end;
	DIR *dp;

	dp = opendir(drm_dir);
	if (!dp)
		return;
	while ((d = readdir(dp))) {
		if (sscanf(d->d_name, "card%u%c", &n, &end) == 1) {
			snprintf(gpu->card, sizeof(gpu->card), "/dev/dri/card%u", n);
			gpu->ncard++;
		} else if (sscanf(d->d_name, "renderD%u%c", &n, &end) == 1) {
			snprintf(gpu->render, sizeof(gpu->render),
				 "/dev/dri/renderD%u", n);
			gpu->nrender++;
		}
	}
	closedir(dp);
}

int nova_aux_driver(const char *aux, char *buf, size_t len)
{
	char path[192], target[256];
	const char *name;
	ssize_t n;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "/sys/bus/auxiliary/devices/%s/driver", aux);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	name = strrchr(target, '/');
	return copy_name(buf, len, name ? name + 1 : target) ? 0 : -ENAMETOOLONG;
}

void nova_gpu_lookup(const char *bdf, struct nova_gpu *gpu)
{
	char dir[128], sub[256];
	struct dirent *d;
	DIR *dp;

	memset(gpu, 0, sizeof(*gpu));
	gpu->aux_id = -1;
	snprintf(gpu->bdf, sizeof(gpu->bdf), "%s", bdf);
	snprintf(dir, sizeof(dir), PCI_DEVICES_DIR "/%s", bdf);

	dp = opendir(dir);
	if (!dp)
		return;
	while ((d = readdir(dp))) {
		if (strncmp(d->d_name, NOVA_AUX_PREFIX, strlen(NOVA_AUX_PREFIX)))
			continue;
		gpu->naux++;
		if (gpu->aux[0])
			continue;
		if (!copy_name(gpu->aux, sizeof(gpu->aux), d->d_name))
			continue;
		gpu->aux_id = atoi(d->d_name + strlen(NOVA_AUX_PREFIX));
	}
	closedir(dp);

	/* The DRM device hangs off the auxiliary device, or the PCI device. */
	if (gpu->aux[0]) {
		snprintf(sub, sizeof(sub), "%s/%s/drm", dir, gpu->aux);
		lookup_nodes(sub, gpu);
	}
	snprintf(sub, sizeof(sub), "%s/drm", dir);
	lookup_nodes(sub, gpu);
}

static bool gpu_ready(const struct nova_gpu *gpu)
{
	return gpu->aux[0] && gpu->card[0] && gpu->render[0] &&
	       !access(gpu->card, F_OK) && !access(gpu->render, F_OK);
}

int nova_gpu_wait(const char *bdf, struct nova_gpu *gpu, int timeout_ms)
{
	int waited;

	for (waited = 0;; waited += WAIT_STEP_MS) {
		nova_gpu_lookup(bdf, gpu);
		if (gpu_ready(gpu))
			return 0;
		if (waited >= timeout_ms)
			return -ETIMEDOUT;
		sleep_ms(WAIT_STEP_MS);
	}
}

int nova_gpu_wait_gone(const char *bdf, int timeout_ms)
{
	struct nova_gpu gpu;
	int waited;

	for (waited = 0;; waited += WAIT_STEP_MS) {
		nova_gpu_lookup(bdf, &gpu);
		if (!gpu.naux && !gpu.ncard && !gpu.nrender)
			return 0;
		if (waited >= timeout_ms)
			return -ETIMEDOUT;
		sleep_ms(WAIT_STEP_MS);
	}
}

int nova_first_gpu(struct nova_gpu *gpu)
{
	char bdf[1][32];

	if (nova_bound_bdfs(bdf, 1) < 1)
		return -ENODEV;
	return nova_gpu_wait(bdf[0], gpu, MODULE_WAIT_MS);
}

int nova_unbind(const char *bdf)
{
	return nova_write_file(NOVA_CORE_DRIVER_DIR "/unbind", bdf);
}

int nova_bind(const char *bdf)
{
	return nova_write_file(NOVA_CORE_DRIVER_DIR "/bind", bdf);
}

void nova_rebind_all(char bdfs[][32], int n)
{
	struct nova_gpu gpu;
	int i, ret;

	for (i = 0; i < n; i++) {
		if (nova_is_bound(bdfs[i]))
			continue;
		ret = nova_bind(bdfs[i]);
		if (ret)
			nova_log("cannot bind %s again: %s", bdfs[i],
				 strerror(-ret));
		else if (nova_gpu_wait(bdfs[i], &gpu, MODULE_WAIT_MS))
			nova_log("%s got no DRM device after binding", bdfs[i]);
	}
}

int nova_pci_attr(const char *bdf, const char *attr, char *buf, size_t len)
{
	char path[192];

	snprintf(path, sizeof(path), PCI_DEVICES_DIR "/%s/%s", bdf, attr);
	return nova_read_file(path, buf, len);
}

static int pci_hex_attr(const char *bdf, const char *attr, unsigned long *val)
{
	char buf[32], *end;
	int ret;

	ret = nova_pci_attr(bdf, attr, buf, sizeof(buf));
	if (ret)
		return ret;
	*val = strtoul(buf, &end, 16);
	return end == buf ? -EINVAL : 0;
}

int nova_gpu_ref_lookup(const char *bdf, struct nova_gpu_ref *ref,
			int timeout_ms)
{
	int ret;

	ret = nova_gpu_wait(bdf, &ref->gpu, timeout_ms);
	if (!ret)
		ret = nova_parse_bdf(bdf, &ref->addr);
	if (!ret)
		ret = pci_hex_attr(bdf, "vendor", &ref->vendor);
	if (!ret)
		ret = pci_hex_attr(bdf, "device", &ref->device);
	if (!ret)
		ret = pci_hex_attr(bdf, "subsystem_vendor", &ref->subvendor);
	if (!ret)
		ret = pci_hex_attr(bdf, "subsystem_device", &ref->subdevice);
	if (!ret)
		ret = pci_hex_attr(bdf, "revision", &ref->revision);
	return ret;
}

int nova_expected_vram_bar(const char *bdf, uint64_t *len)
{
	unsigned long long start, end, flags;
	char path[128];
	FILE *f;
	int bar;

	snprintf(path, sizeof(path), PCI_DEVICES_DIR "/%s/resource", bdf);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	/* The aperture is the first memory BAR after BAR0's register space. */
	for (bar = 0; bar < 6; bar++) {
		if (fscanf(f, "%llx %llx %llx", &start, &end, &flags) != 3)
			break;
		if (bar == 0 || !(flags & IORESOURCE_MEM) || end <= start)
			continue;
		*len = end - start + 1;
		fclose(f);
		return 0;
	}
	fclose(f);
	return -ENOENT;
}

/* ---- files and ioctls ---- */

int nova_open(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

bool nova_is_nova_fd(int fd)
{
	drmVersionPtr ver = drmGetVersion(fd);
	bool ok;

	if (!ver)
		return false;
	ok = ver->name && !strcmp(ver->name, NOVA_DRV_NAME);
	drmFreeVersion(ver);
	return ok;
}

int nova_ioctl(int fd, unsigned long request, void *arg)
{
	return drmIoctl(fd, request, arg) ? -errno : 0;
}

int nova_getparam(int fd, uint64_t param, uint64_t *value)
{
	struct drm_nova_getparam arg = { .param = param };
	int ret = nova_ioctl(fd, DRM_IOCTL_NOVA_GETPARAM, &arg);

	if (!ret)
		*value = arg.value;
	return ret;
}

int nova_gem_create(int fd, uint64_t size, uint32_t *handle)
{
	struct drm_nova_gem_create arg = { .size = size };
	int ret = nova_ioctl(fd, DRM_IOCTL_NOVA_GEM_CREATE, &arg);

	if (!ret)
		*handle = arg.handle;
	return ret;
}

int nova_gem_info(int fd, uint32_t handle, uint64_t *size)
{
	struct drm_nova_gem_info arg = { .handle = handle };
	int ret = nova_ioctl(fd, DRM_IOCTL_NOVA_GEM_INFO, &arg);

	if (!ret)
		*size = arg.size;
	return ret;
}

int nova_gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close arg = { .handle = handle };

	return nova_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &arg);
}

uint64_t nova_page_size(void)
{
	return (uint64_t)sysconf(_SC_PAGESIZE);
}

uint64_t nova_page_align(uint64_t size)
{
	uint64_t page = nova_page_size();

	return (size + page - 1) & ~(page - 1);
}

/* ---- system state ---- */

long nova_meminfo_kb(const char *field)
{
	size_t len = strlen(field);
	char line[256];
	long kb = -1;
	FILE *f;

	f = fopen("/proc/meminfo", "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, field, len) && line[len] == ':') {
			kb = strtol(line + len + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return kb;
}

void nova_drop_caches(void)
{
	sync();
	nova_write_file("/proc/sys/vm/drop_caches", "3");
}

/* ---- a model GPU's registers, through its test port ---- */

static int pci_command(const char *bdf, uint16_t *cmd, bool write)
{
	char path[128];
	uint8_t b[2];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), PCI_DEVICES_DIR "/%s/config", bdf);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write) {
		b[0] = *cmd & 0xff;
		b[1] = *cmd >> 8;
		n = pwrite(fd, b, 2, PCI_COMMAND);
	} else {
		n = pread(fd, b, 2, PCI_COMMAND);
		*cmd = b[0] | b[1] << 8;
	}
	close(fd);
	return n == 2 ? 0 : -EIO;
}

/*
 * Plain 32-bit loads and stores of BAR0, in program order: volatile, so the
 * compiler neither elides, merges nor reorders them (PORT_ADDR must be
 * written before PORT_DATA is accessed), and the uncached mapping keeps
 * that order on the bus. The register window is little-endian.
 */
static uint32_t bar_read(struct nova_regs *regs, uint32_t offset)
{
	return le32toh(regs->base[offset / 4]);
}

static void bar_write(struct nova_regs *regs, uint32_t offset, uint32_t value)
{
	regs->base[offset / 4] = htole32(value);
}

int nova_regs_map(const char *bdf, struct nova_regs *regs)
{
	char path[128];
	uint32_t id;
	uint16_t cmd;
	void *base;
	int ret;

	memset(regs, 0, sizeof(*regs));
	regs->fd = -1;
	snprintf(regs->bdf, sizeof(regs->bdf), "%s", bdf);

	/* An unbound device may not decode memory; reads would be all ones. */
	ret = pci_command(bdf, &cmd, false);
	if (ret)
		return ret;
	if (!(cmd & PCI_COMMAND_MEMORY)) {
		cmd |= PCI_COMMAND_MEMORY;
		ret = pci_command(bdf, &cmd, true);
		if (ret)
			return ret;
		regs->enabled_decode = true;
	}

	snprintf(path, sizeof(path), PCI_DEVICES_DIR "/%s/resource0", bdf);
	regs->fd = open(path, O_RDWR | O_SYNC | O_CLOEXEC);
	if (regs->fd < 0) {
		ret = -errno;
		nova_regs_unmap(regs);
		return ret;
	}
	base = mmap(NULL, NOVA_REGS_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		    regs->fd, 0);
	if (base == MAP_FAILED) {
		ret = -errno;
		nova_regs_unmap(regs);
		return ret;
	}
	regs->base = base;

	/* Nothing is written before the port has said it is one. */
	id = bar_read(regs, MODEL_PORT_ID);
	if (id != MODEL_PORT_ID_VALUE) {
		nova_log("%s is not a model GPU: PORT_ID (0x%x) reads 0x%08x, "
			 "not 0x%08x (no test port)", bdf, MODEL_PORT_ID, id,
			 MODEL_PORT_ID_VALUE);
		nova_regs_unmap(regs);
		return -ENODEV;
	}
	return 0;
}

/* Offsets accessed directly rather than through the port. */
static bool direct_offset(uint32_t offset)
{
	return (offset >= NOVA_PROM_OFFSET &&
		offset < NOVA_PROM_OFFSET + NOVA_PROM_SIZE) ||
	       offset >= MODEL_PORT_PAGE;
}

uint32_t nova_regs_read(struct nova_regs *regs, uint32_t offset)
{
	if (direct_offset(offset))
		return bar_read(regs, offset);
	bar_write(regs, MODEL_PORT_ADDR, offset);
	return bar_read(regs, MODEL_PORT_DATA);
}

void nova_regs_write(struct nova_regs *regs, uint32_t offset, uint32_t value)
{
	if (direct_offset(offset)) {
		bar_write(regs, offset, value);
		return;
	}
	bar_write(regs, MODEL_PORT_ADDR, offset);
	bar_write(regs, MODEL_PORT_DATA, value);
}

/*
 * The PROM window holds bytes in memory order: words are copied as they
 * lie, 32 bits at a time, without swapping.
 */
int nova_prom_write(struct nova_regs *regs, const void *buf, size_t len)
{
	const uint8_t *src = buf;
	size_t i;
	uint32_t w;

	if (len > NOVA_PROM_SIZE)
		return -EINVAL;
	/*
	 * The model clears the window in one access: a word written by the
	 * guest costs a trip through QEMU's slow path, and the window is 1 MiB.
	 */
	regs->base[MODEL_PORT_CTRL / 4] = MODEL_PORT_CTRL_PROM_CLEAR;
	for (i = 0; i < len; i += 4) {
		w = 0;
		memcpy(&w, src + i, len - i < 4 ? len - i : 4);
		regs->base[(NOVA_PROM_OFFSET + i) / 4] = w;
	}
	return 0;
}

void nova_prom_restore(struct nova_regs *regs)
{
	regs->base[MODEL_PORT_CTRL / 4] = MODEL_PORT_CTRL_PROM_RESTORE;
}

void nova_regs_unmap(struct nova_regs *regs)
{
	uint16_t cmd;

	if (regs->base)
		munmap((void *)regs->base, NOVA_REGS_SIZE);
	if (regs->fd >= 0)
		close(regs->fd);
	if (regs->enabled_decode && !pci_command(regs->bdf, &cmd, false)) {
		cmd &= ~PCI_COMMAND_MEMORY;
		pci_command(regs->bdf, &cmd, true);
	}
	regs->base = NULL;
	regs->fd = -1;
	regs->enabled_decode = false;
}

uint32_t nova_boot0(uint32_t arch, uint32_t impl, uint32_t major,
		    uint32_t minor)
{
	return (arch & 0x1f) << 24 | (impl & 0xf) << 20 |
	       ((arch >> 5) & 1) << 8 | (major & 0xf) << 4 | (minor & 0xf);
}

uint32_t nova_boot42(uint32_t arch, uint32_t impl, uint32_t major,
		     uint32_t minor)
{
	return (arch & 0x3f) << 24 | (impl & 0xf) << 20 |
	       (major & 0xf) << 16 | (minor & 0xf) << 12;
}

int nova_kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	lseek(fd, 0, SEEK_END);
	return fd;
}

ssize_t nova_kmsg_next(int fd, char *rec, size_t size)
{
	ssize_t r;

	do
		r = read(fd, rec, size - 1);
	while (r < 0 && errno == EPIPE);
	if (r <= 0)
		return 0;
	rec[r] = '\0';
	return r;
}
