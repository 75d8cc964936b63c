/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The raw bindings: flat C functions over the kernel's static inlines, macros
 * and structures, exported by kcxx.ko. Seen by the C bindings (which include
 * kernel headers) and by the C++ library in include/ (which does not).
 * Drivers never include this file; they use the library.
 *
 * Kernel structures are opaque here. Where the library embeds one, its size
 * and alignment come from the generated <kcxx/layout.h>.
 */
#ifndef KCXX_BINDINGS_H
#define KCXX_BINDINGS_H

#ifdef __cplusplus
extern "C" {
#define KCXX_NOEXCEPT noexcept
#else
#define KCXX_NOEXCEPT
#endif

#ifndef __KERNEL__
#error "kcxx bindings are for kernel code"
#endif

typedef __SIZE_TYPE__ kcxx_size_t;
typedef unsigned int kcxx_gfp_t;
typedef unsigned long long kcxx_u64;
typedef unsigned int kcxx_u32;
typedef unsigned short kcxx_u16;
typedef unsigned char kcxx_u8;

struct device;
struct module;
struct pci_dev;
struct auxiliary_device;
struct drm_device;
struct drm_file;
struct drm_gem_object;
struct mutex;
struct lock_class_key;
struct pci_device_id;
struct auxiliary_device_id;
struct seq_file;
struct kcxx_debugfs_dir;
struct firmware;
struct sg_table;
struct scatterlist;

#define KCXX_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* core */
void kcxx_printk(const char *fmt, ...) KCXX_NOEXCEPT KCXX_PRINTF(1, 2);
void kcxx_warn(const char *file, int line, const char *what) KCXX_NOEXCEPT;
void *kcxx_kmalloc(kcxx_size_t size, kcxx_gfp_t gfp) KCXX_NOEXCEPT;
void *kcxx_krealloc(void *p, kcxx_size_t size, kcxx_gfp_t gfp) KCXX_NOEXCEPT;
void kcxx_kfree(const void *p) KCXX_NOEXCEPT;
void *kcxx_kvmalloc(kcxx_size_t size, kcxx_gfp_t gfp) KCXX_NOEXCEPT;
void kcxx_kvfree(const void *p) KCXX_NOEXCEPT;
void *kcxx_memset(void *p, int c, kcxx_size_t n) KCXX_NOEXCEPT;
void *kcxx_memcpy(void *d, const void *s, kcxx_size_t n) KCXX_NOEXCEPT;
kcxx_size_t kcxx_strlen(const char *s) KCXX_NOEXCEPT;
int kcxx_snprintf(char *buf, kcxx_size_t size, const char *fmt, ...)
	KCXX_NOEXCEPT KCXX_PRINTF(3, 4);
int kcxx_sysfs_emit(char *buf, const char *fmt, ...) KCXX_NOEXCEPT KCXX_PRINTF(2, 3);
void kcxx_might_sleep(void) KCXX_NOEXCEPT;

/* sync */
void kcxx_mutex_init(struct mutex *m, const char *name, struct lock_class_key *key) KCXX_NOEXCEPT;
void kcxx_mutex_destroy(struct mutex *m) KCXX_NOEXCEPT;
void kcxx_mutex_lock(struct mutex *m) KCXX_NOEXCEPT;
int kcxx_mutex_lock_interruptible(struct mutex *m) KCXX_NOEXCEPT;
int kcxx_mutex_trylock(struct mutex *m) KCXX_NOEXCEPT;
void kcxx_mutex_unlock(struct mutex *m) KCXX_NOEXCEPT;
int kcxx_mutex_is_locked(struct mutex *m) KCXX_NOEXCEPT;
void kcxx_spin_lock_init(void *l, const char *name, struct lock_class_key *key) KCXX_NOEXCEPT;
void kcxx_spin_lock(void *l) KCXX_NOEXCEPT;
void kcxx_spin_unlock(void *l) KCXX_NOEXCEPT;
unsigned long kcxx_spin_lock_irqsave(void *l) KCXX_NOEXCEPT;
void kcxx_spin_unlock_irqrestore(void *l, unsigned long flags) KCXX_NOEXCEPT;
int kcxx_ida_alloc(void *ida, kcxx_gfp_t gfp) KCXX_NOEXCEPT;
void kcxx_ida_free(void *ida, unsigned int id) KCXX_NOEXCEPT;
void kcxx_ida_init(void *ida) KCXX_NOEXCEPT;
void kcxx_ida_destroy(void *ida) KCXX_NOEXCEPT;

/* device */
struct device *kcxx_get_device(struct device *dev) KCXX_NOEXCEPT;
void kcxx_put_device(struct device *dev) KCXX_NOEXCEPT;
void *kcxx_dev_get_drvdata(const struct device *dev) KCXX_NOEXCEPT;
void kcxx_dev_set_drvdata(struct device *dev, void *data) KCXX_NOEXCEPT;
const char *kcxx_dev_name(const struct device *dev) KCXX_NOEXCEPT;
struct device *kcxx_dev_parent(const struct device *dev) KCXX_NOEXCEPT;
void kcxx_dev_printk(const char *level, const struct device *dev,
		     const char *fmt, ...) KCXX_NOEXCEPT KCXX_PRINTF(3, 4);
int kcxx_dev_is_pci(const struct device *dev) KCXX_NOEXCEPT;

/* sysfs attributes: a C++ driver describes them, the bindings build the group */
typedef long (*kcxx_attr_show_t)(struct device *dev, char *buf);
struct kcxx_attr_desc {
	const char *name;
	kcxx_attr_show_t show;
};

/* pci */
struct kcxx_pci_driver_desc {
	const char *name;
	const void *id_table; /* struct pci_device_id[], zero-terminated */
	int (*probe)(struct pci_dev *pdev, const struct pci_device_id *id);
	void (*remove)(struct pci_dev *pdev);
	const char *attr_group; /* directory of the attributes; NULL: none */
	const void *attrs; /* struct kcxx_attr_desc[nr_attrs] */
	unsigned int nr_attrs;
};
int kcxx_pci_register_driver(void *storage, const struct kcxx_pci_driver_desc *desc,
			     struct module *owner, const char *modname) KCXX_NOEXCEPT;
void kcxx_pci_unregister_driver(void *storage) KCXX_NOEXCEPT;
int kcxx_pci_add_dynid(void *storage, kcxx_u32 vendor, kcxx_u32 device,
		       kcxx_u32 class_, kcxx_u32 class_mask, unsigned long data) KCXX_NOEXCEPT;
struct device *kcxx_pci_dev_device(struct pci_dev *pdev) KCXX_NOEXCEPT;
struct pci_dev *kcxx_to_pci_dev(struct device *dev) KCXX_NOEXCEPT;
kcxx_u16 kcxx_pci_vendor(const struct pci_dev *pdev) KCXX_NOEXCEPT;
kcxx_u16 kcxx_pci_device_id(const struct pci_dev *pdev) KCXX_NOEXCEPT;
kcxx_u32 kcxx_pci_class(const struct pci_dev *pdev) KCXX_NOEXCEPT;
kcxx_u16 kcxx_pci_subsystem_vendor(const struct pci_dev *pdev) KCXX_NOEXCEPT;
kcxx_u16 kcxx_pci_subsystem_device(const struct pci_dev *pdev) KCXX_NOEXCEPT;
kcxx_u8 kcxx_pci_revision(const struct pci_dev *pdev) KCXX_NOEXCEPT;
kcxx_u16 kcxx_pci_dev_id(const struct pci_dev *pdev) KCXX_NOEXCEPT;
int kcxx_pci_enable_device_mem(struct pci_dev *pdev) KCXX_NOEXCEPT;
void kcxx_pci_disable_device(struct pci_dev *pdev) KCXX_NOEXCEPT;
void kcxx_pci_set_master(struct pci_dev *pdev) KCXX_NOEXCEPT;
kcxx_u64 kcxx_pci_resource_start(struct pci_dev *pdev, int bar) KCXX_NOEXCEPT;
kcxx_u64 kcxx_pci_resource_len(struct pci_dev *pdev, int bar) KCXX_NOEXCEPT;
unsigned long kcxx_pci_resource_flags(struct pci_dev *pdev, int bar) KCXX_NOEXCEPT;
int kcxx_pci_request_region(struct pci_dev *pdev, int bar, const char *name) KCXX_NOEXCEPT;
void kcxx_pci_release_region(struct pci_dev *pdev, int bar) KCXX_NOEXCEPT;
void *kcxx_pci_iomap(struct pci_dev *pdev, int bar, unsigned long maxlen) KCXX_NOEXCEPT;
void kcxx_pci_iounmap(struct pci_dev *pdev, void *addr) KCXX_NOEXCEPT;
kcxx_u8 kcxx_readb(const void *addr) KCXX_NOEXCEPT;
kcxx_u16 kcxx_readw(const void *addr) KCXX_NOEXCEPT;
kcxx_u32 kcxx_readl(const void *addr) KCXX_NOEXCEPT;
void kcxx_writeb(kcxx_u8 v, void *addr) KCXX_NOEXCEPT;
void kcxx_writew(kcxx_u16 v, void *addr) KCXX_NOEXCEPT;
void kcxx_writel(kcxx_u32 v, void *addr) KCXX_NOEXCEPT;
void kcxx_read_block32(const void *addr, void *dst, kcxx_size_t count) KCXX_NOEXCEPT;

/* time */
kcxx_u64 kcxx_ktime_get_ns(void) KCXX_NOEXCEPT;
void kcxx_fsleep(unsigned long usecs) KCXX_NOEXCEPT;
void kcxx_cpu_relax(void) KCXX_NOEXCEPT;

/* debugfs: NULL directories are inert (see rt/bindings/debugfs.c) */
struct kcxx_debugfs_dir *kcxx_debugfs_create_dir(const char *name,
						 struct kcxx_debugfs_dir *parent) KCXX_NOEXCEPT;
struct kcxx_debugfs_dir *kcxx_debugfs_create_root(const char *name,
						  struct kcxx_debugfs_dir **slot) KCXX_NOEXCEPT;
struct kcxx_debugfs_dir *kcxx_debugfs_create_in_root(const char *name,
						     struct kcxx_debugfs_dir **slot) KCXX_NOEXCEPT;
void kcxx_debugfs_release(struct kcxx_debugfs_dir *dir) KCXX_NOEXCEPT;
struct kcxx_debugfs_dir *kcxx_debugfs_share(struct kcxx_debugfs_dir *dir) KCXX_NOEXCEPT;
int kcxx_debugfs_create_blob(struct kcxx_debugfs_dir *dir, const char *name,
			     const void *data, kcxx_size_t len) KCXX_NOEXCEPT;
int kcxx_debugfs_create_seq(struct kcxx_debugfs_dir *dir, const char *name,
			    int (*show)(struct seq_file *m, const void *obj),
			    const void *obj) KCXX_NOEXCEPT;
void kcxx_seq_vprintf(struct seq_file *m, const char *fmt, __builtin_va_list args)
	KCXX_NOEXCEPT KCXX_PRINTF(2, 0);
void kcxx_seq_write(struct seq_file *m, const void *data, kcxx_size_t len) KCXX_NOEXCEPT;

/* auxiliary */
struct kcxx_auxiliary_driver_desc {
	const char *name; /* may be NULL: the module name */
	const void *id_table; /* struct auxiliary_device_id[], zero-terminated */
	int (*probe)(struct auxiliary_device *adev, const struct auxiliary_device_id *id);
	void (*remove)(struct auxiliary_device *adev);
};
int kcxx_auxiliary_register_driver(void *storage, const struct kcxx_auxiliary_driver_desc *desc,
				   struct module *owner, const char *modname) KCXX_NOEXCEPT;
void kcxx_auxiliary_unregister_driver(void *storage) KCXX_NOEXCEPT;
struct auxiliary_device *kcxx_auxiliary_device_create(struct device *parent,
						       const char *modname,
						       const char *name,
						       const void *data,
						       const char *data_type,
						       kcxx_size_t data_size,
						       int *err) KCXX_NOEXCEPT;
void kcxx_auxiliary_device_destroy(struct auxiliary_device *adev) KCXX_NOEXCEPT;
/* The data @adev carries if it is a @data_type of @data_size bytes; else NULL, *err set. */
const void *kcxx_auxiliary_device_data(struct auxiliary_device *adev, const char *data_type,
				       kcxx_size_t data_size, int *err) KCXX_NOEXCEPT;
struct device *kcxx_auxiliary_dev_device(struct auxiliary_device *adev) KCXX_NOEXCEPT;
unsigned int kcxx_auxiliary_dev_id(const struct auxiliary_device *adev) KCXX_NOEXCEPT;

/* drm */
struct kcxx_drm_ioctl_desc {
	unsigned int cmd;
	unsigned int flags;
	int (*func)(struct drm_device *dev, void *data, struct drm_file *file);
	const char *name;
};
struct kcxx_drm_driver_desc {
	const char *name;
	const char *desc;
	const char *date;
	int major, minor, patchlevel;
	kcxx_u32 features; /* KCXX_DRIVER_* */
	int (*open)(struct drm_device *dev, struct drm_file *file);
	void (*postclose)(struct drm_device *dev, struct drm_file *file);
	const struct kcxx_drm_ioctl_desc *ioctls;
	int num_ioctls;
};
#define KCXX_DRIVER_GEM		(1u << 0)
#define KCXX_DRIVER_RENDER	(1u << 1)
#define KCXX_DRIVER_MODESET	(1u << 2)
#define KCXX_DRM_AUTH		(1u << 0)
#define KCXX_DRM_MASTER		(1u << 1)
#define KCXX_DRM_ROOT_ONLY	(1u << 2)
#define KCXX_DRM_RENDER_ALLOW	(1u << 3)

int kcxx_drm_driver_init(void *drv_storage, void *ioctl_storage,
			 const struct kcxx_drm_driver_desc *desc, struct module *owner) KCXX_NOEXCEPT;
struct drm_device *kcxx_drm_dev_alloc(struct device *owner, struct device *parent,
				      const void *drv, kcxx_size_t size, kcxx_size_t offset,
				      int *err) KCXX_NOEXCEPT;
int kcxx_drmm_add_action(struct drm_device *dev, void (*action)(struct drm_device *, void *),
			 void *data) KCXX_NOEXCEPT;
void kcxx_drm_dev_get(struct drm_device *dev) KCXX_NOEXCEPT;
void kcxx_drm_dev_put(struct drm_device *dev) KCXX_NOEXCEPT;
int kcxx_drm_dev_register(struct drm_device *dev) KCXX_NOEXCEPT;
void kcxx_drm_dev_unplug(struct drm_device *dev) KCXX_NOEXCEPT;
struct device *kcxx_drm_dev_parent(struct drm_device *dev) KCXX_NOEXCEPT;
void *kcxx_drm_file_priv(struct drm_file *file) KCXX_NOEXCEPT;
void kcxx_drm_file_set_priv(struct drm_file *file, void *priv) KCXX_NOEXCEPT;
int kcxx_drm_file_minor_index(struct drm_file *file) KCXX_NOEXCEPT;

/* gem */
int kcxx_drm_gem_object_init(struct drm_device *dev, struct drm_gem_object *obj,
			     kcxx_size_t size, void (*free)(struct drm_gem_object *)) KCXX_NOEXCEPT;
void kcxx_drm_gem_object_release(struct drm_gem_object *obj) KCXX_NOEXCEPT;
void kcxx_drm_gem_object_get(struct drm_gem_object *obj) KCXX_NOEXCEPT;
void kcxx_drm_gem_object_put(struct drm_gem_object *obj) KCXX_NOEXCEPT;
struct drm_device *kcxx_drm_gem_object_dev(const struct drm_gem_object *obj) KCXX_NOEXCEPT;

/* dma */
int kcxx_dma_set_mask_and_coherent(struct device *dev, unsigned int bits) KCXX_NOEXCEPT;
void *kcxx_dma_alloc_coherent(struct device *dev, kcxx_size_t size, kcxx_u64 *handle,
			      kcxx_gfp_t gfp) KCXX_NOEXCEPT;
void kcxx_dma_free_coherent(struct device *dev, kcxx_size_t size, void *cpu,
			    kcxx_u64 handle) KCXX_NOEXCEPT;
void *kcxx_vzalloc(kcxx_size_t size) KCXX_NOEXCEPT;
void kcxx_vfree(const void *p) KCXX_NOEXCEPT;
struct sg_table *kcxx_sgt_map_vmalloc(struct device *dev, void *buf,
				      kcxx_size_t size) KCXX_NOEXCEPT;
void kcxx_sgt_unmap_free(struct device *dev, struct sg_table *sgt) KCXX_NOEXCEPT;
struct scatterlist *kcxx_sgt_dma_first(struct sg_table *sgt, unsigned int *left) KCXX_NOEXCEPT;
struct scatterlist *kcxx_sg_dma_next(struct scatterlist *sg, unsigned int *left) KCXX_NOEXCEPT;
void kcxx_sg_dma_segment(struct scatterlist *sg, kcxx_u64 *addr, kcxx_u64 *len) KCXX_NOEXCEPT;
unsigned int kcxx_sgt_dma_segments(struct sg_table *sgt) KCXX_NOEXCEPT;
void kcxx_mb(void) KCXX_NOEXCEPT;

/* firmware */
int kcxx_firmware_request(const struct firmware **fw, const char *name,
			  struct device *dev) KCXX_NOEXCEPT;
void kcxx_firmware_release(const struct firmware *fw) KCXX_NOEXCEPT;
const kcxx_u8 *kcxx_firmware_data(const struct firmware *fw) KCXX_NOEXCEPT;
kcxx_size_t kcxx_firmware_size(const struct firmware *fw) KCXX_NOEXCEPT;
int kcxx_vsnprintf(char *buf, kcxx_size_t size, const char *fmt,
		   __builtin_va_list args) KCXX_NOEXCEPT;

/*
 * Functions of the DRM core that every ioctl calls, called directly rather
 * than through a kcxx_ function: a wrapper costs a call on the hottest path
 * (Documentation/performance.rst). The prototypes are the kernel's; the C
 * bindings see them beside the kernel's headers, so the compiler checks
 * that both agree.
 */
#ifdef __cplusplus
#define KCXX_BOOL bool
#else
#define KCXX_BOOL _Bool
#endif
KCXX_BOOL drm_dev_enter(struct drm_device *dev, int *idx) KCXX_NOEXCEPT;
void drm_dev_exit(int idx) KCXX_NOEXCEPT;
int drm_gem_handle_create(struct drm_file *file_priv, struct drm_gem_object *obj,
			  kcxx_u32 *handlep) KCXX_NOEXCEPT;
struct drm_gem_object *drm_gem_object_lookup(struct drm_file *filp,
					     kcxx_u32 handle) KCXX_NOEXCEPT;

#ifdef __cplusplus
}
#endif

#endif /* KCXX_BINDINGS_H */
