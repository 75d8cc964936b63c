// SPDX-License-Identifier: GPL-2.0
/*
 * Bindings: DRM devices, files, ioctls and GEM objects.
 *
 * A C++ drm::Driver keeps its struct drm_driver, file_operations and ioctl
 * array in static storage of the generated sizes; kcxx_drm_driver_init()
 * fills them from a flat description once, at module init.
 */
#include <linux/module.h>
#include <linux/version.h>
#include <linux/dma-resv.h>
#include <drm/drm_drv.h>
#include <drm/drm_device.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_managed.h>
#include <kcxx/bindings.h>
#include <kcxx/gem_object.h>

static u32 kcxx_drm_features(u32 f)
{
	return (f & KCXX_DRIVER_GEM ? DRIVER_GEM : 0) |
	       (f & KCXX_DRIVER_RENDER ? DRIVER_RENDER : 0);
}

static enum drm_ioctl_flags kcxx_drm_ioctl_flags(u32 f)
{
	return (f & KCXX_DRM_AUTH ? DRM_AUTH : 0) |
	       (f & KCXX_DRM_MASTER ? DRM_MASTER : 0) |
	       (f & KCXX_DRM_ROOT_ONLY ? DRM_ROOT_ONLY : 0) |
	       (f & KCXX_DRM_RENDER_ALLOW ? DRM_RENDER_ALLOW : 0);
}

int kcxx_drm_driver_init(void *drv_storage, void *fops_storage, void *ioctl_storage,
			 const struct kcxx_drm_driver_desc *desc, struct module *owner)
{
	struct drm_driver *drv = drv_storage;
	struct file_operations *fops = fops_storage;
	struct drm_ioctl_desc *ioctls = ioctl_storage;
	int i;

	*fops = (struct file_operations) {
		.owner = owner,
		DRM_GEM_FOPS,
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
	*drv = (struct drm_driver) {
		.driver_features = kcxx_drm_features(desc->features),
		.open = desc->open,
		.postclose = desc->postclose,
		.ioctls = ioctls,
		.num_ioctls = desc->num_ioctls,
		.fops = fops,
		.name = (char *)desc->name,
		.desc = (char *)desc->desc,
		.date = (char *)desc->date,
		.major = desc->major,
		.minor = desc->minor,
		.patchlevel = desc->patchlevel,
	};
	return 0;
}
EXPORT_SYMBOL_GPL(kcxx_drm_driver_init);

struct drm_device *kcxx_drm_dev_alloc(struct device *parent, const void *drv,
				      size_t size, size_t offset, int *err)
{
	void *p = __devm_drm_dev_alloc(parent, drv, size, offset);

	if (IS_ERR(p)) {
		*err = PTR_ERR(p);
		return NULL;
	}
	*err = 0;
	return (struct drm_device *)((char *)p + offset);
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

int kcxx_drm_dev_enter(struct drm_device *dev, int *idx)
{
	return drm_dev_enter(dev, idx);
}
EXPORT_SYMBOL_GPL(kcxx_drm_dev_enter);

void kcxx_drm_dev_exit(int idx)
{
	drm_dev_exit(idx);
}
EXPORT_SYMBOL_GPL(kcxx_drm_dev_exit);

struct device *kcxx_drm_dev_parent(struct drm_device *dev)
{
	return dev->dev;
}
EXPORT_SYMBOL_GPL(kcxx_drm_dev_parent);

void *kcxx_drm_file_priv(struct drm_file *file)
{
	return file->driver_priv;
}
EXPORT_SYMBOL_GPL(kcxx_drm_file_priv);

void kcxx_drm_file_set_priv(struct drm_file *file, void *priv)
{
	file->driver_priv = priv;
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

static const struct drm_gem_object_funcs kcxx_gem_funcs = {
	.free = kcxx_gem_free,
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
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
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

int kcxx_drm_gem_handle_create(struct drm_file *file, struct drm_gem_object *obj, u32 *handle)
{
	return drm_gem_handle_create(file, obj, handle);
}
EXPORT_SYMBOL_GPL(kcxx_drm_gem_handle_create);

struct drm_gem_object *kcxx_drm_gem_object_lookup(struct drm_file *file, u32 handle)
{
	return drm_gem_object_lookup(file, handle);
}
EXPORT_SYMBOL_GPL(kcxx_drm_gem_object_lookup);

size_t kcxx_drm_gem_object_size(const struct drm_gem_object *obj)
{
	return obj->size;
}
EXPORT_SYMBOL_GPL(kcxx_drm_gem_object_size);

struct drm_device *kcxx_drm_gem_object_dev(const struct drm_gem_object *obj)
{
	return obj->dev;
}
EXPORT_SYMBOL_GPL(kcxx_drm_gem_object_dev);
