// SPDX-License-Identifier: GPL-2.0
/*
 * Bindings: DRM devices, files, ioctls and GEM objects.
 *
 * A C++ drm::Driver keeps its struct drm_driver, file_operations and ioctl
 * array in static storage of the generated sizes; kcxx_drm_driver_init()
 * fills them from a flat description once, at module init.
 */
#include <linux/module.h>
#include <kcxx/conftest.h>
#include <linux/dma-resv.h>
#include <drm/drm_drv.h>
#include <drm/drm_device.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_managed.h>
#include <drm/drm_mode_config.h>
#include <kcxx/bindings.h>
#include <kcxx/gem_object.h>
#include <kcxx/drm_driver.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <drm/drm_print.h>

static u32 kcxx_drm_features(u32 f)
{
	return (f & KCXX_DRIVER_GEM ? DRIVER_GEM : 0) |
	       (f & KCXX_DRIVER_RENDER ? DRIVER_RENDER : 0) |
	       (f & KCXX_DRIVER_MODESET ? DRIVER_MODESET : 0);
}

/*
 * A mode configuration without a display pipeline: no CRTC, encoder,
 * connector or plane is ever added, and the framebuffer size range is
 * empty (nor are modifiers offered), so the DRM core refuses every
 * framebuffer (ADDFB/ADDFB2: EINVAL) before it would call fb_create.
 * fb_create refuses too, should a core ever get that far.
 */
static struct drm_framebuffer *kcxx_fb_create_refused(struct drm_device *dev,
						      struct drm_file *file,
#ifdef KCXX_HAVE_FB_CREATE_FORMAT_INFO
						      const struct drm_format_info *info,
#endif
						      const struct drm_mode_fb_cmd2 *cmd)
{
	return ERR_PTR(-EINVAL);
}

static const struct drm_mode_config_funcs kcxx_mode_config_empty_funcs = {
	.fb_create = kcxx_fb_create_refused,
};

/* Torn down by the DRM core (drmm) when the device is released. */
static int kcxx_drm_mode_config_init_empty(struct drm_device *dev)
{
	int ret = drmm_mode_config_init(dev);

	if (ret)
		return ret;
	dev->mode_config.funcs = &kcxx_mode_config_empty_funcs;
	dev->mode_config.min_width = 0;
	dev->mode_config.max_width = 0;
	dev->mode_config.min_height = 0;
	dev->mode_config.max_height = 0;
	dev->mode_config.fb_modifiers_not_supported = true;
	return 0;
}

static enum drm_ioctl_flags kcxx_drm_ioctl_flags(u32 f)
{
	return (f & KCXX_DRM_AUTH ? DRM_AUTH : 0) |
	       (f & KCXX_DRM_MASTER ? DRM_MASTER : 0) |
	       (f & KCXX_DRM_ROOT_ONLY ? DRM_ROOT_ONLY : 0) |
	       (f & KCXX_DRM_RENDER_ALLOW ? DRM_RENDER_ALLOW : 0);
}

/* Monotonic ids of open files, for kernels whose DRM core has none. */
static atomic64_t kcxx_drm_client_ids = ATOMIC64_INIT(0);

static struct kcxx_drm_driver *kcxx_drm_driver_of(struct drm_device *dev)
{
	return container_of(dev->driver, struct kcxx_drm_driver, drv);
}

/*
 * An open file pins the module of the driver bound to the DRM device's
 * parent: when that parent is not the device whose driver owns the DRM
 * device (nova-drm's device hangs under the PCI function nova-core drives),
 * unloading the parent's driver while a file is open is refused, as it is
 * for the DRM driver's own module through fops.owner.
 *
 * Runs inside drm_dev_enter(): unplugging waits for it, so the parent's
 * driver cannot finish unbinding (and its module cannot go) meanwhile.
 */
static int kcxx_drm_open(struct drm_device *dev, struct drm_file *file)
{
	const struct kcxx_drm_driver_desc *desc = kcxx_drm_driver_of(dev)->desc;
	struct device_driver *parent_drv;
	struct kcxx_drm_file *kf;
	int idx, ret;

	/* Lives as long as the file: charged to the opener's memory cgroup. */
	kf = kzalloc(sizeof(*kf), GFP_KERNEL_ACCOUNT);
	if (!kf)
		return -ENOMEM;
	kf->client_id = atomic64_inc_return(&kcxx_drm_client_ids);
	file->driver_priv = kf;

	if (!drm_dev_enter(dev, &idx)) {
		ret = -ENODEV;
		goto err_free;
	}
	parent_drv = READ_ONCE(dev->dev->driver);
	if (parent_drv && parent_drv->owner != dev->driver->fops->owner) {
		if (!try_module_get(parent_drv->owner)) {
			ret = -ENODEV;
			goto err_exit;
		}
		kf->pinned = parent_drv->owner;
	}
	ret = desc->open ? desc->open(dev, file) : 0;
	if (ret)
		goto err_put;
	drm_dev_exit(idx);
	return 0;

err_put:
	module_put(kf->pinned);
err_exit:
	drm_dev_exit(idx);
err_free:
	file->driver_priv = NULL;
	kfree(kf);
	return ret;
}

static void kcxx_drm_postclose(struct drm_device *dev, struct drm_file *file)
{
	const struct kcxx_drm_driver_desc *desc = kcxx_drm_driver_of(dev)->desc;
	struct kcxx_drm_file *kf = file->driver_priv;

	if (desc->postclose)
		desc->postclose(dev, file);
	module_put(kf->pinned);
	kfree(kf);
}

/* Pages the object's shmem file holds: what is resident. */
static u64 kcxx_gem_resident(struct drm_gem_object *obj)
{
	return obj->filp ? (u64)obj->filp->f_mapping->nrpages << PAGE_SHIFT : 0;
}

#ifndef KCXX_HAVE_DRM_SHOW_FDINFO
/* Sizes in the unit of DRM's usage stats: the largest of B, KiB, MiB that divides. */
static void kcxx_print_size(struct seq_file *m, const char *stat, u64 sz)
{
	static const char *const units[] = { "", " KiB", " MiB" };
	unsigned int u;

	for (u = 0; u < ARRAY_SIZE(units) - 1; u++) {
		if (sz == 0 || !IS_ALIGNED(sz, SZ_1K))
			break;
		sz >>= 10;
	}
	seq_printf(m, "drm-%s-memory:\t%llu%s\n", stat, sz, units[u]);
}

/*
 * The DRM client usage stats (Documentation/gpu/drm-usage-stats.rst) for
 * kernels whose DRM core does not print them: the same keys and units as
 * drm_show_fdinfo() with drm_show_memory_stats() on newer kernels.
 */
static void kcxx_drm_show_fdinfo(struct seq_file *m, struct file *f)
{
	struct drm_file *file = f->private_data;
	struct drm_device *dev = file->minor->dev;
	struct kcxx_drm_file *kf = file->driver_priv;
	u64 shared = 0, private = 0, resident = 0;
	struct drm_gem_object *obj;
	bool any = false;
	int idx, id;

	if (!drm_dev_enter(dev, &idx))
		return;
	seq_printf(m, "drm-driver:\t%s\n", dev->driver->name);
	seq_printf(m, "drm-client-id:\t%llu\n", kf ? kf->client_id : 0);
	if (dev_is_pci(dev->dev)) {
		struct pci_dev *pdev = to_pci_dev(dev->dev);

		seq_printf(m, "drm-pdev:\t%04x:%02x:%02x.%d\n", pci_domain_nr(pdev->bus),
			   pdev->bus->number, PCI_SLOT(pdev->devfn), PCI_FUNC(pdev->devfn));
	}
	spin_lock(&file->table_lock);
	idr_for_each_entry(&file->object_idr, obj, id) {
		if (obj->handle_count > 1 || obj->dma_buf)
			shared += obj->size;
		else
			private += obj->size;
		resident += kcxx_gem_resident(obj);
		any = true;
	}
	spin_unlock(&file->table_lock);
	kcxx_print_size(m, "total", private + shared);
	kcxx_print_size(m, "shared", shared);
	kcxx_print_size(m, "active", 0);
	/* As the DRM core: these only once an object can report them. */
	if (any) {
		kcxx_print_size(m, "resident", resident);
		kcxx_print_size(m, "purgeable", 0);
	}
	drm_dev_exit(idx);
}
#endif

#ifdef KCXX_HAVE_DRM_SHOW_MEMORY_STATS
static void kcxx_drm_show_memory(struct drm_printer *p, struct drm_file *file)
{
	drm_show_memory_stats(p, file);
}
#endif

int kcxx_drm_driver_init(void *drv_storage, void *ioctl_storage,
			 const struct kcxx_drm_driver_desc *desc, struct module *owner)
{
	struct kcxx_drm_driver *k = drv_storage;
	struct drm_ioctl_desc *ioctls = ioctl_storage;
	int i;

	k->fops = (struct file_operations) {
		.owner = owner,
		DRM_GEM_FOPS,
#ifndef KCXX_HAVE_DRM_SHOW_FDINFO
		.show_fdinfo = kcxx_drm_show_fdinfo,
#else
		.show_fdinfo = drm_show_fdinfo,
#endif
	};
	for (i = 0; i < desc->num_ioctls; i++) {
		const struct kcxx_drm_ioctl_desc *d = &desc->ioctls[i];

		if (DRM_IOCTL_NR(d->cmd) != DRM_COMMAND_BASE + i)
			return -EINVAL;
		ioctls[i] = (struct drm_ioctl_desc) {
			.cmd = d->cmd,
			.flags = kcxx_drm_ioctl_flags(d->flags),
			.func = d->func,
			.name = d->name,
		};
	}
	k->desc = desc;
	k->drv = (struct drm_driver) {
		.driver_features = kcxx_drm_features(desc->features),
		.open = kcxx_drm_open,
		.postclose = kcxx_drm_postclose,
#ifdef KCXX_HAVE_DRM_SHOW_MEMORY_STATS
		.show_fdinfo = kcxx_drm_show_memory,
#endif
		.ioctls = ioctls,
		.num_ioctls = desc->num_ioctls,
		.fops = &k->fops,
		.name = (char *)desc->name,
		.desc = (char *)desc->desc,
#ifdef KCXX_HAVE_DRM_DRIVER_DATE
		.date = (char *)desc->date,
#endif
		.major = desc->major,
		.minor = desc->minor,
		.patchlevel = desc->patchlevel,
	};
	return 0;
}
EXPORT_SYMBOL_GPL(kcxx_drm_driver_init);

/*
 * @owner's binding owns the device (the DRM core drops its reference when
 * @owner's driver unbinds); @parent is where it appears in sysfs, which is
 * how user space (libdrm) finds its bus. They differ for a DRM device
 * created by an auxiliary driver for the PCI function underneath. A
 * driver with DRIVER_MODESET gets its (empty) mode configuration here,
 * before anything can register or open the device.
 */
struct drm_device *kcxx_drm_dev_alloc(struct device *owner, struct device *parent,
				      const void *drv, size_t size, size_t offset, int *err)
{
	struct drm_device *dev;
	void *p = __devm_drm_dev_alloc(owner, drv, size, offset);

	if (IS_ERR(p)) {
		*err = PTR_ERR(p);
		return NULL;
	}
	dev = (struct drm_device *)((char *)p + offset);
	if (parent != owner) {
		/* The DRM core puts dev->dev when the device is released. */
		put_device(dev->dev);
		dev->dev = get_device(parent);
		/*
		 * The minors' class devices were set up with the old parent;
		 * they are added to sysfs (taking their parent reference)
		 * only at registration, so pointing them elsewhere is safe.
		 */
		if (dev->primary)
			dev->primary->kdev->parent = parent;
		if (dev->render)
			dev->render->kdev->parent = parent;
	}
	/* On failure the device goes with @owner's devres, as on any probe error. */
	if (drm_core_check_feature(dev, DRIVER_MODESET)) {
		*err = kcxx_drm_mode_config_init_empty(dev);
		if (*err)
			return NULL;
	}
	*err = 0;
	return dev;
}
EXPORT_SYMBOL_GPL(kcxx_drm_dev_alloc);

int kcxx_drmm_add_action(struct drm_device *dev, void (*action)(struct drm_device *, void *),
			 void *data)
{
	return __drmm_add_action_or_reset(dev, action, data, "kcxx_drm_data");
}
EXPORT_SYMBOL_GPL(kcxx_drmm_add_action);

void kcxx_drm_dev_get(struct drm_device *dev)
{
	drm_dev_get(dev);
}
EXPORT_SYMBOL_GPL(kcxx_drm_dev_get);

void kcxx_drm_dev_put(struct drm_device *dev)
{
	drm_dev_put(dev);
}
EXPORT_SYMBOL_GPL(kcxx_drm_dev_put);

int kcxx_drm_dev_register(struct drm_device *dev)
{
	return drm_dev_register(dev, 0);
}
EXPORT_SYMBOL_GPL(kcxx_drm_dev_register);

void kcxx_drm_dev_unplug(struct drm_device *dev)
{
	drm_dev_unplug(dev);
}
EXPORT_SYMBOL_GPL(kcxx_drm_dev_unplug);

struct device *kcxx_drm_dev_parent(struct drm_device *dev)
{
	return dev->dev;
}
EXPORT_SYMBOL_GPL(kcxx_drm_dev_parent);

void *kcxx_drm_file_priv(struct drm_file *file)
{
	struct kcxx_drm_file *kf = file->driver_priv;

	return kf ? kf->priv : NULL;
}
EXPORT_SYMBOL_GPL(kcxx_drm_file_priv);

void kcxx_drm_file_set_priv(struct drm_file *file, void *priv)
{
	struct kcxx_drm_file *kf = file->driver_priv;

	kf->priv = priv;
}
EXPORT_SYMBOL_GPL(kcxx_drm_file_set_priv);

int kcxx_drm_file_minor_index(struct drm_file *file)
{
	return file->minor->index;
}
EXPORT_SYMBOL_GPL(kcxx_drm_file_minor_index);

static void kcxx_gem_free(struct drm_gem_object *obj)
{
	container_of(obj, struct kcxx_gem_object, base)->free(obj);
}

#ifdef KCXX_HAVE_GEM_OBJECT_RSS
static size_t kcxx_gem_rss(struct drm_gem_object *obj)
{
	return kcxx_gem_resident(obj);
}
#endif

#ifdef KCXX_HAVE_GEM_OBJECT_STATUS
/*
 * Where .rss says how much of an object is resident, every object counts
 * as resident with that size (none of it, while no page is touched): a
 * DRM core that prints drm-resident-memory only once some object reports
 * DRM_GEM_OBJECT_RESIDENT (7.x) then prints it, as older ones
 * do for any object with a .status, with the same figure.
 */
static enum drm_gem_object_status kcxx_gem_status(struct drm_gem_object *obj)
{
#ifdef KCXX_HAVE_GEM_OBJECT_RSS
	return DRM_GEM_OBJECT_RESIDENT;
#else
	return kcxx_gem_resident(obj) ? DRM_GEM_OBJECT_RESIDENT : 0;
#endif
}
#endif

static const struct drm_gem_object_funcs kcxx_gem_funcs = {
	.free = kcxx_gem_free,
#ifdef KCXX_HAVE_GEM_OBJECT_STATUS
	.status = kcxx_gem_status,
#endif
#ifdef KCXX_HAVE_GEM_OBJECT_RSS
	.rss = kcxx_gem_rss,
#endif
};

int kcxx_drm_gem_object_init(struct drm_device *dev, struct drm_gem_object *obj,
			     size_t size, void (*free)(struct drm_gem_object *))
{
	int ret;

	container_of(obj, struct kcxx_gem_object, base)->free = free;
	obj->funcs = &kcxx_gem_funcs;
	ret = drm_gem_object_init(dev, obj, size);
	if (ret) {
		/* Undo what the private init did; the caller frees the memory. */
#ifdef KCXX_HAVE_DRM_GEM_PRIVATE_OBJECT_FINI
		drm_gem_private_object_fini(obj);
#else
		dma_resv_fini(&obj->_resv);
#endif
	}
	return ret;
}
EXPORT_SYMBOL_GPL(kcxx_drm_gem_object_init);

void kcxx_drm_gem_object_release(struct drm_gem_object *obj)
{
	drm_gem_object_release(obj);
}
EXPORT_SYMBOL_GPL(kcxx_drm_gem_object_release);

void kcxx_drm_gem_object_get(struct drm_gem_object *obj)
{
	drm_gem_object_get(obj);
}
EXPORT_SYMBOL_GPL(kcxx_drm_gem_object_get);

void kcxx_drm_gem_object_put(struct drm_gem_object *obj)
{
	drm_gem_object_put(obj);
}
EXPORT_SYMBOL_GPL(kcxx_drm_gem_object_put);

struct drm_device *kcxx_drm_gem_object_dev(const struct drm_gem_object *obj)
{
	return obj->dev;
}
EXPORT_SYMBOL_GPL(kcxx_drm_gem_object_dev);
