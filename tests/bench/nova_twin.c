// SPDX-License-Identifier: GPL-2.0
/*
 * nova_twin: nova-drm written as a plain C auxiliary driver, to measure the
 * C++ driver against (tests/bench/, Documentation/performance.rst). Never
 * installed, never loaded by alias: it has no MODULE_DEVICE_TABLE, so it
 * binds a GPU's nova-drm auxiliary device only when it is loaded while the
 * device is unbound, or through /sys/bus/auxiliary/drivers/nova_twin/bind.
 *
 * It does what nova_drm does through the C++ library, with the same
 * guarantees: the DRM device hangs under the PCI function and belongs to
 * the auxiliary device's binding; it has the same name, features, empty
 * mode configuration, ioctl flags, validation and errno; every ioctl runs
 * inside drm_dev_enter()/drm_dev_exit(); an open file pins the module of
 * the PCI function's driver (nova_core); GEM objects are shmem-backed
 * through drm_gem_object_init() and report their residency where the DRM
 * core asks (6.5+). It keeps no per-file state of its own beyond the module
 * it pinned.
 */
#include <linux/auxiliary_bus.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/version.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_managed.h>
#include <drm/drm_mode_config.h>
#include <drm/drm.h>

#include "nova_drm.h"

/*
 * Built for Debian's 6.1 and 6.12 alike: the version tests below mark
 * where their DRM cores differ (fdinfo's residency hooks came in 6.5,
 * drm_gem_private_object_fini() in 6.3).
 */

struct twin_device {
	struct drm_device drm;
	u64 vram_bar_size;
};

struct twin_object {
	struct drm_gem_object base;
};

static struct twin_device *to_twin(struct drm_device *drm)
{
	return container_of(drm, struct twin_device, drm);
}

/* ---- GEM objects ---- */

static void twin_gem_free(struct drm_gem_object *obj)
{
	drm_gem_object_release(obj);
	kfree(container_of(obj, struct twin_object, base));
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
/* Pages the object's shmem file holds: what is resident. */
static size_t twin_gem_resident(struct drm_gem_object *obj)
{
	return obj->filp ? obj->filp->f_mapping->nrpages << PAGE_SHIFT : 0;
}

static enum drm_gem_object_status twin_gem_status(struct drm_gem_object *obj)
{
	return twin_gem_resident(obj) ? DRM_GEM_OBJECT_RESIDENT : 0;
}

static size_t twin_gem_rss(struct drm_gem_object *obj)
{
	return twin_gem_resident(obj);
}
#endif

static const struct drm_gem_object_funcs twin_gem_funcs = {
	.free = twin_gem_free,
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	.status = twin_gem_status,
	.rss = twin_gem_rss,
#endif
};

/* ---- ioctls ---- */

static int twin_getparam(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct drm_nova_getparam *arg = data;
	int idx, ret = 0;

	if (!drm_dev_enter(drm, &idx))
		return -ENODEV;
	switch (arg->param) {
	case NOVA_GETPARAM_VRAM_BAR_SIZE:
		arg->value = to_twin(drm)->vram_bar_size;
		break;
	default:
		/* Also catches values above 32 bits: they are not truncated. */
		ret = -EINVAL;
	}
	drm_dev_exit(idx);
	return ret;
}

static int twin_gem_create(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct drm_nova_gem_create *arg = data;
	struct twin_object *obj;
	u32 handle;
	u64 size;
	int idx, ret;

	if (!drm_dev_enter(drm, &idx))
		return -ENODEV;
	if (arg->pad || !arg->size || arg->size > U64_MAX - (PAGE_SIZE - 1)) {
		ret = -EINVAL;
		goto out;
	}
	size = PAGE_ALIGN(arg->size);

	/* Charged to the caller's memory cgroup, as nova-drm's objects are. */
	obj = kzalloc(sizeof(*obj), GFP_KERNEL_ACCOUNT);
	if (!obj) {
		ret = -ENOMEM;
		goto out;
	}
	obj->base.funcs = &twin_gem_funcs;
	ret = drm_gem_object_init(drm, &obj->base, size);
	if (ret) {
		/* drm_gem_object_init() leaves its private init to undo. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
		drm_gem_private_object_fini(&obj->base);
#else
		dma_resv_fini(&obj->base._resv);
#endif
		kfree(obj);
		goto out;
	}
	/* The handle takes its own reference; ours goes. */
	ret = drm_gem_handle_create(file, &obj->base, &handle);
	drm_gem_object_put(&obj->base);
	if (!ret)
		arg->handle = handle;
out:
	drm_dev_exit(idx);
	return ret;
}

static int twin_gem_info(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct drm_nova_gem_info *arg = data;
	struct drm_gem_object *obj;
	int idx, ret = 0;

	if (!drm_dev_enter(drm, &idx))
		return -ENODEV;
	if (arg->pad) {
		ret = -EINVAL;
		goto out;
	}
	obj = drm_gem_object_lookup(file, arg->handle);
	if (!obj) {
		ret = -ENOENT;
		goto out;
	}
	arg->size = obj->size;
	drm_gem_object_put(obj);
out:
	drm_dev_exit(idx);
	return ret;
}

static const struct drm_ioctl_desc twin_ioctls[] = {
	DRM_IOCTL_DEF_DRV(NOVA_GETPARAM, twin_getparam, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(NOVA_GEM_CREATE, twin_gem_create, DRM_AUTH | DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(NOVA_GEM_INFO, twin_gem_info, DRM_AUTH | DRM_RENDER_ALLOW),
};

/* ---- files ---- */

/*
 * An open file pins the module of the PCI function's driver, as nova_drm's
 * files do: the DRM device hangs under a device this module does not drive.
 */
static int twin_open(struct drm_device *drm, struct drm_file *file)
{
	struct device_driver *parent_drv;
	int idx, ret = 0;

	if (!drm_dev_enter(drm, &idx))
		return -ENODEV;
	parent_drv = READ_ONCE(drm->dev->driver);
	if (parent_drv && parent_drv->owner != THIS_MODULE) {
		if (try_module_get(parent_drv->owner))
			file->driver_priv = parent_drv->owner;
		else
			ret = -ENODEV;
	}
	drm_dev_exit(idx);
	return ret;
}

static void twin_postclose(struct drm_device *drm, struct drm_file *file)
{
	module_put(file->driver_priv);
}

static const struct file_operations twin_fops = {
	.owner = THIS_MODULE,
	DRM_GEM_FOPS,
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	.show_fdinfo = drm_show_fdinfo,
#endif
};

static const struct drm_driver twin_driver = {
	.driver_features = DRIVER_GEM | DRIVER_RENDER | DRIVER_MODESET,
	.open = twin_open,
	.postclose = twin_postclose,
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	.show_fdinfo = drm_show_memory_stats,
#endif
	.ioctls = twin_ioctls,
	.num_ioctls = ARRAY_SIZE(twin_ioctls),
	.fops = &twin_fops,
	.name = "nova",
	.desc = "Nvidia Graphics",
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 14, 0)
	.date = "20250101",
#endif
};

/* ---- the empty mode configuration ---- */

static struct drm_framebuffer *twin_fb_create(struct drm_device *drm, struct drm_file *file,
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 17, 0)
					      const struct drm_format_info *info,
#endif
					      const struct drm_mode_fb_cmd2 *cmd)
{
	return ERR_PTR(-EINVAL);
}

static const struct drm_mode_config_funcs twin_mode_config_funcs = {
	.fb_create = twin_fb_create,
};

static int twin_mode_config_init(struct drm_device *drm)
{
	int ret = drmm_mode_config_init(drm);

	if (ret)
		return ret;
	drm->mode_config.funcs = &twin_mode_config_funcs;
	drm->mode_config.min_width = 0;
	drm->mode_config.max_width = 0;
	drm->mode_config.min_height = 0;
	drm->mode_config.max_height = 0;
	drm->mode_config.fb_modifiers_not_supported = true;
	return 0;
}

/* ---- the auxiliary driver ---- */

/* BAR1 maps VRAM, or BAR2 when BAR0 is 64-bit, as nova-core chooses it. */
static int twin_vram_bar(struct pci_dev *pdev)
{
	if (pci_resource_flags(pdev, 0) & IORESOURCE_MEM_64)
		return 2;
	return 1;
}

static int twin_probe(struct auxiliary_device *adev, const struct auxiliary_device_id *id)
{
	struct device *parent = adev->dev.parent;
	struct twin_device *twin;
	struct pci_dev *pdev;
	int ret;

	if (!parent || !dev_is_pci(parent)) {
		dev_err(&adev->dev, "parent is not a PCI device\n");
		return -ENODEV;
	}
	pdev = to_pci_dev(parent);

	twin = devm_drm_dev_alloc(&adev->dev, &twin_driver, struct twin_device, drm);
	if (IS_ERR(twin))
		return PTR_ERR(twin);
	twin->vram_bar_size = pci_resource_len(pdev, twin_vram_bar(pdev));

	/*
	 * Under the PCI function, where libdrm looks for a GPU's bus, while
	 * the auxiliary device's binding owns it. The minors join sysfs only
	 * at registration, so re-parenting them now is safe.
	 */
	put_device(twin->drm.dev);
	twin->drm.dev = get_device(parent);
	if (twin->drm.primary)
		twin->drm.primary->kdev->parent = parent;
	if (twin->drm.render)
		twin->drm.render->kdev->parent = parent;

	ret = twin_mode_config_init(&twin->drm);
	if (ret)
		return ret;
	ret = drm_dev_register(&twin->drm, 0);
	if (ret)
		return ret;
	auxiliary_set_drvdata(adev, twin);
	return 0;
}

static void twin_remove(struct auxiliary_device *adev)
{
	struct twin_device *twin = auxiliary_get_drvdata(adev);

	drm_dev_unplug(&twin->drm);
}

static const struct auxiliary_device_id twin_ids[] = {
	{ .name = "nova_core.nova-drm" },
	{ .name = "NovaCore.nova-drm" },
	{ .name = "nova-core.nova-drm" },
	{}
};

/* Unnamed: the driver is "nova_twin" in sysfs, as nova_drm is "nova_drm". */
static struct auxiliary_driver twin_aux_driver = {
	.probe = twin_probe,
	.remove = twin_remove,
	.id_table = twin_ids,
};
module_auxiliary_driver(twin_aux_driver);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("nova-drm's C twin, for measurements only");
MODULE_AUTHOR("The nova-cxx authors");
