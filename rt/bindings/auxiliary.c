// SPDX-License-Identifier: GPL-2.0
/*
 * Bindings: auxiliary drivers and devices.
 *
 * Devices created here get an id from one allocator shared by every user of
 * the library, so two parents never create the same "<modname>.<name>.<id>";
 * the id is freed by the device's release, once nothing can refer to it.
 *
 * A device may carry data its parent's driver shares with the child's
 * driver: a pointer, the name of its C++ type and its size. The child gets
 * the pointer back only by naming the same type, so a mismatch is an error
 * instead of a misread; the parent's registration owns the data and clears
 * the pointer once the device is deleted (its driver unbound).
 */
#include <linux/module.h>
#include <linux/auxiliary_bus.h>
#include <linux/idr.h>
#include <linux/slab.h>
#include <kcxx/bindings.h>

static DEFINE_IDA(kcxx_auxiliary_ids);

struct kcxx_auxiliary_device {
	struct auxiliary_device adev;
	const void *data;	/* NULL: the device carries no data */
	const char *data_type;
	size_t data_size;
};

static struct kcxx_auxiliary_device *to_kcxx_auxiliary(struct auxiliary_device *adev)
{
	return container_of(adev, struct kcxx_auxiliary_device, adev);
}

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
	kfree(to_kcxx_auxiliary(adev));
}

struct auxiliary_device *kcxx_auxiliary_device_create(struct device *parent,
						       const char *modname,
						       const char *name,
						       const void *data,
						       const char *data_type,
						       size_t data_size, int *err)
{
	struct kcxx_auxiliary_device *kadev;
	struct auxiliary_device *adev;
	int ret;

	kadev = kzalloc(sizeof(*kadev), GFP_KERNEL);
	if (!kadev) {
		*err = -ENOMEM;
		return NULL;
	}
	/* Set before the device is added: the child may probe during the add. */
	kadev->data = data;
	kadev->data_type = data_type;
	kadev->data_size = data_size;
	adev = &kadev->adev;
	ret = ida_alloc(&kcxx_auxiliary_ids, GFP_KERNEL);
	if (ret < 0) {
		kfree(kadev);
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
		kfree(kadev);
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
	/* Unbound now; the data goes with the registration, the device may stay. */
	to_kcxx_auxiliary(adev)->data = NULL;
	auxiliary_device_uninit(adev);
}
EXPORT_SYMBOL_GPL(kcxx_auxiliary_device_destroy);

const void *kcxx_auxiliary_device_data(struct auxiliary_device *adev, const char *data_type,
				       size_t data_size, int *err)
{
	struct kcxx_auxiliary_device *kadev;

	/* Only devices made above have the container; others carry nothing. */
	if (adev->dev.release != kcxx_auxiliary_release) {
		*err = -ENODEV;
		return NULL;
	}
	kadev = to_kcxx_auxiliary(adev);
	if (!kadev->data) {
		*err = -ENODEV;
		return NULL;
	}
	if (kadev->data_size != data_size || strcmp(kadev->data_type, data_type)) {
		*err = -EINVAL;
		return NULL;
	}
	*err = 0;
	return kadev->data;
}
EXPORT_SYMBOL_GPL(kcxx_auxiliary_device_data);

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
