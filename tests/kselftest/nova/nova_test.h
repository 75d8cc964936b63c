/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the nova kselftests: loading the driver, finding GPUs
 * and their DRM nodes in sysfs, binding and unbinding, the nova ioctls, and
 * programming a model GPU's registers and PROM through its test port.
 *
 * Helpers return 0 or a negative errno and never use the harness, so that
 * they can run in forked children and threads. Whatever a helper changes in
 * the system has a helper that puts it back.
 */

#ifndef NOVA_TEST_H
#define NOVA_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <drm/nova_drm.h>

#define NOVA_CORE		"nova_core"
/*
 * The DRM driver under test: nova_drm, or the module NOVA_DRM_MODULE names
 * (nova_twin, nova-drm's C twin, for the uAPI conformance subset).
 */
#define NOVA_DRM		nova_drm_module()
#define NOVA_AUX_PREFIX		"nova_core.nova-drm."
#define NOVA_CORE_DRIVER_DIR	"/sys/bus/pci/drivers/nova_core"

/*
 * A model GPU (tools/gpu-model, Documentation/gpu-model.rst) is what the test
 * VM's GPUs are: to the guest, a PCI device of NVIDIA's vendor id and a
 * display controller's class, VGA (0x0300xx) or 3D (0x0302xx), as nova-core's
 * PCI table matches them. Every such device of the test VM is a model; on
 * other machines it may be a real card, which the register helpers below
 * refuse (it has no test port).
 */
#define NOVA_PCI_VENDOR_NVIDIA	0x10de
#define NOVA_PCI_CLASS_VGA	0x0300	/* the class register's upper 16 bits */
#define NOVA_PCI_CLASS_3D	0x0302

/* Register offsets in BAR0. */
#define NV_PMC_BOOT_0		0x0
#define NV_PMC_BOOT_42		0xa00

/* The DRM identity every nova device reports. */
#define NOVA_DRV_NAME		"nova"
#define NOVA_DRV_DESC		"Nvidia Graphics"

/* Generous per-test timeout: the tests run under TCG, often on a debug kernel. */
#define NOVA_TEST_TIMEOUT	300

#define NOVA_MAX_GPUS		16

struct nova_gpu {
	char bdf[32];		/* PCI address, e.g. 0000:00:03.0 */
	char aux[64];		/* auxiliary device name, "" when none */
	int aux_id;		/* its id, -1 when none */
	char card[32];		/* /dev/dri/cardN, "" when none */
	char render[32];	/* /dev/dri/renderDN, "" when none */
	int naux;		/* how many of each sysfs shows: 1 when right */
	int ncard;
	int nrender;
};

/* What nova_env_up() changed, so that nova_env_down() undoes exactly that. */
struct nova_env {
	bool loaded_core;
	bool loaded_drm;
};

/* Diagnostics on stderr in TAP comment form; usable anywhere. */
#define nova_log(fmt, ...) fprintf(stderr, "# " fmt "\n", ##__VA_ARGS__)

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* ---- driver and modules ---- */

const char *nova_drm_module(void);
bool nova_module_loaded(const char *name);
int nova_modprobe(const char *name, const char *param);
int nova_delete_module(const char *name);

/*
 * Load nova_core and nova_drm unless loaded (a plain modprobe: nova_core
 * binds the GPUs by its PCI table), and wait until every GPU bound to
 * nova_core has its DRM nodes. On failure nothing is left changed and @why
 * says what is missing, for a SKIP.
 */
int nova_env_up(struct nova_env *env, char *why, size_t len);
/*
 * Put the modules back as nova_env_up() found them: unload what it loaded,
 * load again what was loaded before and is not any more.
 */
void nova_env_down(struct nova_env *env);

/* Load both modules again after a test unloaded them; waits for the GPUs. */
int nova_reload(void);

/*
 * Wait until no modprobe runs any more. Hotplug (udev, or mdev in the test
 * VM) loads nova_drm by alias when nova_core registers its devices, a little
 * later; a test that unloads modules must not race with that.
 */
void nova_settle(void);

/* ---- GPUs in sysfs ---- */

/* PCI addresses of the devices bound to nova_core, sorted. */
int nova_bound_bdfs(char bdfs[][32], int max);
/*
 * A model GPU by its PCI identity in sysfs: vendor 0x10de, class 0x0300xx or
 * 0x0302xx. Whether it has the test port, only nova_regs_map() can tell.
 */
bool nova_is_model(const char *bdf);
/* PCI addresses of all model GPUs, bound or not, sorted. */
int nova_model_bdfs(char bdfs[][32], int max);
/* The first model GPU bound to nova_core; -ENODEV if none is. */
int nova_first_model_bound(char bdf[32]);
/*
 * nova_env_up(), then the first model GPU bound to nova_core into @bdf.
 * On failure nothing is left changed and @why says what is missing.
 */
int nova_env_up_model(struct nova_env *env, char bdf[32], char *why, size_t len);
bool nova_is_bound(const char *bdf);

/* The name of the driver bound to auxiliary device @aux, "" when none. */
int nova_aux_driver(const char *aux, char *buf, size_t len);
/* Fill @gpu from sysfs: auxiliary device and DRM nodes, as present now. */
void nova_gpu_lookup(const char *bdf, struct nova_gpu *gpu);
/* Wait until @bdf has an auxiliary device and both DRM nodes in /dev. */
int nova_gpu_wait(const char *bdf, struct nova_gpu *gpu, int timeout_ms);
/* Wait until @bdf has neither auxiliary device nor DRM node. */
int nova_gpu_wait_gone(const char *bdf, int timeout_ms);
/* The first GPU bound to nova_core, with its nodes. */
int nova_first_gpu(struct nova_gpu *gpu);

int nova_unbind(const char *bdf);
int nova_bind(const char *bdf);
/* Bind every GPU in @bdfs that is not bound; waits for the nodes. */
void nova_rebind_all(char bdfs[][32], int n);

/* Read a sysfs attribute of the PCI device, without the trailing newline. */
int nova_pci_attr(const char *bdf, const char *attr, char *buf, size_t len);

struct nova_pci_addr {
	unsigned int domain, bus, dev, func;
};

/* "DDDD:BB:DD.F" into its parts; -EINVAL if @bdf is not one. */
int nova_parse_bdf(const char *bdf, struct nova_pci_addr *addr);

/* What sysfs says about a bound GPU: what libdrm and tools are checked against. */
struct nova_gpu_ref {
	struct nova_gpu gpu;
	struct nova_pci_addr addr;
	unsigned long vendor, device, subvendor, subdevice, revision;
};

/* Fill @ref for @bdf, waiting up to @timeout_ms for its DRM nodes. */
int nova_gpu_ref_lookup(const char *bdf, struct nova_gpu_ref *ref,
			int timeout_ms);
/*
 * Length of the VRAM aperture BAR as sysfs describes it: the first memory BAR
 * after BAR0, BAR1 of a model GPU (resource1), what VRAM_BAR_SIZE must read.
 */
int nova_expected_vram_bar(const char *bdf, uint64_t *len);

/* ---- files and ioctls ---- */

int nova_open(const char *path);
bool nova_is_nova_fd(int fd);
int nova_ioctl(int fd, unsigned long request, void *arg);
int nova_getparam(int fd, uint64_t param, uint64_t *value);
int nova_gem_create(int fd, uint64_t size, uint32_t *handle);
int nova_gem_info(int fd, uint32_t handle, uint64_t *size);
int nova_gem_close(int fd, uint32_t handle);
uint64_t nova_page_size(void);
uint64_t nova_page_align(uint64_t size);

/* ---- system state ---- */

/* A field of /proc/meminfo in kB, or -1. */
long nova_meminfo_kb(const char *field);
/* Write to /proc/sys/vm/drop_caches so that slab counts settle. */
void nova_drop_caches(void);

/* ---- a model GPU's registers, through its test port ---- */

/* The register window nova-core maps: BAR0 (resource0), 16 MiB. */
#define NOVA_REGS_SIZE		0x1000000
/* The PROM window in BAR0: memory in the guest, read and written directly. */
#define NOVA_PROM_OFFSET	0x300000
#define NOVA_PROM_SIZE		0x100000

/*
 * The model's test port, the top page of BAR0 (Documentation/gpu-model.rst):
 * no NVIDIA register lies there and the driver never touches it.
 */
#define MODEL_PORT_ID		0xfff000	/* R: MODEL_PORT_ID_VALUE */
#define MODEL_PORT_ID_VALUE	0x4e4f5641	/* "AVON" in memory order */
#define MODEL_PORT_ADDR		0xfff004	/* RW: a BAR0 offset */
#define MODEL_PORT_DATA		0xfff008	/* RW: the register at ADDR; ADDR += 4 */
#define MODEL_PORT_CTRL		0xfff00c	/* W: MODEL_PORT_CTRL_RESET, ... */
#define MODEL_PORT_CTRL_RESET	1		/* back to the power-on state */
#define MODEL_PORT_CTRL_PROM_CLEAR	2	/* the PROM window all zeros */
#define MODEL_PORT_CTRL_PROM_RESTORE	3	/* the model's own ROM back in it */
#define MODEL_PORT_HOSTILE	0xfff010	/* RW: the hostile seed, 0: sane */
#define MODEL_PORT_DMA_SRC_LO	0xfff020
#define MODEL_PORT_DMA_SRC_HI	0xfff024
#define MODEL_PORT_DMA_DST_LO	0xfff028
#define MODEL_PORT_DMA_DST_HI	0xfff02c
#define MODEL_PORT_DMA_LEN	0xfff030
#define MODEL_PORT_DMA_GO	0xfff034
#define MODEL_PORT_ENGINE_FAULT	0xfff040	/* RW: an engine fault, 1 to 20; 0: none */
#define MODEL_FAULT_UNLOAD_KEEPS_WPR2	10	/* booter_unload leaves WPR2 set */
#define MODEL_PORT_PAGE		0xfff000	/* offsets from here on: the port */

struct nova_regs {
	int fd;
	volatile uint32_t *base;	/* BAR0; every access a real one */
	bool enabled_decode;	/* we set PCI_COMMAND_MEMORY, clear it again */
	char bdf[32];
};

/*
 * Map BAR0 of an unbound model GPU (enabling its memory decode if it was
 * off) and check the test port: -ENODEV (logged) when PORT_ID does not
 * read MODEL_PORT_ID_VALUE, i.e. the GPU is not a model (a real card), and
 * nothing is left mapped or changed. Unmap before binding the GPU again.
 */
int nova_regs_map(const char *bdf, struct nova_regs *regs);
/*
 * One 32-bit register. Registers go through the port (PORT_ADDR, then
 * PORT_DATA): a read gives the value as stored, without side effects, and a
 * write stores it, read-only (identification, fuse) registers included.
 * Offsets in the PROM window and in the port's page are accessed directly.
 * Each port access costs two round trips to the model: for ROMs use
 * nova_prom_write() and nova_prom_restore().
 */
uint32_t nova_regs_read(struct nova_regs *regs, uint32_t offset);
void nova_regs_write(struct nova_regs *regs, uint32_t offset, uint32_t value);
/*
 * The whole PROM window: @len bytes of @buf (a ROM, byte for byte) from its
 * start, zeros after them up to its end; -EINVAL if @len is too large.
 */
int nova_prom_write(struct nova_regs *regs, const void *buf, size_t len);
/* The PROM window as the model started with it (its ROM), in one access. */
void nova_prom_restore(struct nova_regs *regs);
void nova_regs_unmap(struct nova_regs *regs);

/* Register encodings (design brief section 4). */
uint32_t nova_boot0(uint32_t arch, uint32_t impl, uint32_t major,
		    uint32_t minor);
uint32_t nova_boot42(uint32_t arch, uint32_t impl, uint32_t major,
		     uint32_t minor);

/* ---- files ---- */

/* A small file's contents (all of them), without trailing newlines and spaces. */
int nova_read_file(const char *path, char *buf, size_t len);
/* One write(2) of @str, as sysfs wants; the write's errno on failure. */
int nova_write_file(const char *path, const char *str);
/*
 * A whole file read to EOF (debugfs files report size 0), or its first
 * @max bytes (0: all): its length, or a negative errno. *@buf is malloc'd,
 * with a NUL after the last byte read, so text can be searched as a string.
 */
ssize_t nova_slurp(const char *path, uint8_t **buf, size_t max);

/* /dev/kmsg opened at its end: the records the kernel logs from now on. -errno. */
int nova_kmsg_open(void);
/*
 * The next record of @fd ("LEVEL,SEQ,TIME,-;TEXT"), NUL-terminated, into
 * @rec: its length, 0 when none is left. Records overwritten before they
 * were read are skipped.
 */
ssize_t nova_kmsg_next(int fd, char *rec, size_t size);
/*
 * Where a test's data lies: $@env if set, else the directory @name next to
 * the test program. 0 if it is readable, else a negative errno.
 */
int nova_data_dir(const char *env, const char *name, char *dir, size_t len);

/* ---- processes ---- */

/* Run a program quietly; its exit status, or a negative errno. */
int nova_run(const char *const argv[]);
/* Drop CAP_SYS_ADMIN from all capability sets of the calling process. */
int nova_drop_sys_admin(void);

#endif /* NOVA_TEST_H */
