// SPDX-License-Identifier: GPL-2.0
/*
 * Bindings: auxiliary drivers and devices.
 *
 * Devices created here get an id from one allocator shared by every user of
 * the library, so two parents never create the same "<modname>.<name>.<id>";
 * the id is freed by the device's release, once nothing can refer to it.
 */
#include <linux/module.h>
#include <linux/auxiliary_bus.h>
#include <linux/idr.h>
#include <linux/slab.h>
#include <kcxx/bindings.h>

static DEFINE_IDA(kcxx_auxiliary_ids);

int kcxx_auxiliary_register_driver(void *storage, const struct kcxx_auxiliary_driver_desc *desc,
				   struct module *owner, const char *modname)
{
	struct auxiliary_driver *drv = storage;

	memset(drv, 0, sizeof(*drv));
	drv->name = desc->name;
	drv->id_table = desc->id_table;
	drv->probe = desc->probe;
	drv->remove = desc->remove;
	return __auxiliary_driver_register(drv, owner, modname);
}
EXPORT_SYMBOL_GPL(kcxx_auxiliary_register_driver);

void kcxx_auxiliary_unregister_driver(void *storage)
{
	auxiliary_driver_unregister(storage);
}
EXPORT_SYMBOL_GPL(kcxx_auxiliary_unregister_driver);

static void kcxx_auxiliary_release(struct device *dev)
{
	struct auxiliary_device *adev = to_auxiliary_dev(dev);

	ida_free(&kcxx_auxiliary_ids, adev->id);
	kfree(adev);
}

struct auxiliary_device *kcxx_auxiliary_device_create(struct device *parent,
						       const char *modname,
						       const char *name, int *err)
{
	struct auxiliary_device *adev;
	int ret;

	adev = kzalloc(sizeof(*adev), GFP_KERNEL);
	if (!adev) {
		*err = -ENOMEM;
		return NULL;
	}
	ret = ida_alloc(&kcxx_auxiliary_ids, GFP_KERNEL);
	if (ret < 0) {
		kfree(adev);
		*err = ret;
		return NULL;
	}
	adev->id = ret;
	adev->name = name;
	adev->dev.parent = parent;
	adev->dev.release = kcxx_auxiliary_release;

	ret = auxiliary_device_init(adev);
	if (ret) {
		ida_free(&kcxx_auxiliary_ids, adev->id);
		kfree(adev);
		*err = ret;
		return NULL;
	}
	/* From here on, the release callback owns adev and its id. */
	ret = __auxiliary_device_add(adev, modname);
	if (ret) {
		auxiliary_device_uninit(adev);
		*err = ret;
		return NULL;
	}
	*err = 0;
	return adev;
}
EXPORT_SYMBOL_GPL(kcxx_auxiliary_device_create);

void kcxx_auxiliary_device_destroy(struct auxiliary_device *adev)
{
	auxiliary_device_delete(adev);
	auxiliary_device_uninit(adev);
}
EXPORT_SYMBOL_GPL(kcxx_auxiliary_device_destroy);

struct device *kcxx_auxiliary_dev_device(struct auxiliary_device *adev)
{
	return &adev->dev;
}
EXPORT_SYMBOL_GPL(kcxx_auxiliary_dev_device);

unsigned int kcxx_auxiliary_dev_id(const struct auxiliary_device *adev)
{
	return adev->id;
}
EXPORT_SYMBOL_GPL(kcxx_auxiliary_dev_id);
