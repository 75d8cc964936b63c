// SPDX-License-Identifier: GPL-2.0
/*
 * nova_foreign_aux: registers an auxiliary device named nova_core.nova-drm
 * the way any other nova-core does (the kernel's own, CONFIG_NOVA_CORE,
 * registers one by that name), with none of the GPU facts this project's
 * nova-core attaches to it. nova-drm must refuse it: its probe fails with
 * ENODEV, nothing is registered, and both modules unload afterwards
 * (tests/kselftest/nova/foreign_device.c). Test-only.
 */
#include <linux/auxiliary_bus.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/slab.h>

/* Far from the ids nova-core hands out, which start at 0. */
#define FOREIGN_AUX_ID 4096

static struct device *foreign_parent;
static struct auxiliary_device *foreign_adev;

static void foreign_release(struct device *dev)
{
	kfree(container_of(dev, struct auxiliary_device, dev));
}

static int __init foreign_init(void)
{
	int ret;

	foreign_parent = root_device_register("nova_foreign_aux");
	if (IS_ERR(foreign_parent))
		return PTR_ERR(foreign_parent);
	foreign_adev = kzalloc(sizeof(*foreign_adev), GFP_KERNEL);
	if (!foreign_adev) {
		ret = -ENOMEM;
		goto err_parent;
	}
	foreign_adev->name = "nova-drm";
	foreign_adev->id = FOREIGN_AUX_ID;
	foreign_adev->dev.parent = foreign_parent;
	foreign_adev->dev.release = foreign_release;
	ret = auxiliary_device_init(foreign_adev);
	if (ret) {
		kfree(foreign_adev);
		goto err_parent;
	}
	/* The name a module called nova_core gives it. */
	ret = __auxiliary_device_add(foreign_adev, "nova_core");
	if (ret) {
		auxiliary_device_uninit(foreign_adev);
		goto err_parent;
	}
	return 0;

err_parent:
	root_device_unregister(foreign_parent);
	return ret;
}

static void __exit foreign_exit(void)
{
	auxiliary_device_delete(foreign_adev);
	auxiliary_device_uninit(foreign_adev);
	root_device_unregister(foreign_parent);
}

module_init(foreign_init);
module_exit(foreign_exit);
MODULE_DESCRIPTION("Test: a nova_core.nova-drm auxiliary device without nova-core's GPU facts");
MODULE_LICENSE("GPL");
