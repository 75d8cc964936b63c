// SPDX-License-Identifier: GPL-2.0
/*
 * Layout facts and constants of the kernel being built against, for the C++
 * library: compiled to assembly and scraped into generated/kcxx/layout.h by
 * rt/cxx.mk, as the kernel does for asm-offsets.h. Never copy a size by hand.
 */
#define COMPILE_OFFSETS
#include <linux/kbuild.h>
#include <linux/mod_devicetable.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/idr.h>
#include <linux/lockdep.h>
#include <linux/gfp.h>
#include <linux/errno.h>
#include <linux/pci.h>
#include <linux/auxiliary_bus.h>
#include <linux/ioport.h>
#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_ioctl.h>
/* DRM_COMMAND_BASE; not every kernel's drm_ioctl.h pulls it in. */
#include <uapi/drm/drm.h>
#include <linux/fs.h>
#include <linux/moduleparam.h>
#include <kcxx/gem_object.h>
#include <kcxx/drm_driver.h>

#define LAYOUT(name, type)				\
	DEFINE(KCXX_##name##_SIZE, sizeof(type));	\
	DEFINE(KCXX_##name##_ALIGN, __alignof__(type))

int main(void);
int main(void)
{
	LAYOUT(MUTEX, struct mutex);
	LAYOUT(SPINLOCK, spinlock_t);
	LAYOUT(LOCK_CLASS_KEY, struct lock_class_key);
	LAYOUT(IDA, struct ida);
	LAYOUT(PCI_DRIVER, struct pci_driver);
	LAYOUT(AUXILIARY_DRIVER, struct auxiliary_driver);
	LAYOUT(DRM_DEVICE, struct drm_device);
	LAYOUT(DRM_DRIVER, struct kcxx_drm_driver);
	LAYOUT(DRM_IOCTL_DESC, struct drm_ioctl_desc);
	LAYOUT(GEM_OBJECT, struct kcxx_gem_object);
	/* Read inline by gem::Object::size(): no call for a field. */
	OFFSET(KCXX_GEM_OBJECT_SIZE_OFFSET, drm_gem_object, size);
	BLANK();
	LAYOUT(PCI_DEVICE_ID, struct pci_device_id);
	OFFSET(KCXX_PCI_DEVICE_ID_VENDOR, pci_device_id, vendor);
	OFFSET(KCXX_PCI_DEVICE_ID_DEVICE, pci_device_id, device);
	OFFSET(KCXX_PCI_DEVICE_ID_SUBVENDOR, pci_device_id, subvendor);
	OFFSET(KCXX_PCI_DEVICE_ID_SUBDEVICE, pci_device_id, subdevice);
	OFFSET(KCXX_PCI_DEVICE_ID_CLASS, pci_device_id, class);
	OFFSET(KCXX_PCI_DEVICE_ID_CLASS_MASK, pci_device_id, class_mask);
	OFFSET(KCXX_PCI_DEVICE_ID_DRIVER_DATA, pci_device_id, driver_data);
	LAYOUT(AUXILIARY_DEVICE_ID, struct auxiliary_device_id);
	OFFSET(KCXX_AUXILIARY_DEVICE_ID_NAME, auxiliary_device_id, name);
	OFFSET(KCXX_AUXILIARY_DEVICE_ID_DRIVER_DATA, auxiliary_device_id, driver_data);
	DEFINE(KCXX_AUXILIARY_NAME_SIZE, AUXILIARY_NAME_SIZE);
	LAYOUT(KERNEL_PARAM, struct kernel_param);
	OFFSET(KCXX_KERNEL_PARAM_NAME, kernel_param, name);
	OFFSET(KCXX_KERNEL_PARAM_MOD, kernel_param, mod);
	OFFSET(KCXX_KERNEL_PARAM_OPS, kernel_param, ops);
	OFFSET(KCXX_KERNEL_PARAM_PERM, kernel_param, perm);
	OFFSET(KCXX_KERNEL_PARAM_LEVEL, kernel_param, level);
	OFFSET(KCXX_KERNEL_PARAM_FLAGS, kernel_param, flags);
	OFFSET(KCXX_KERNEL_PARAM_ARG, kernel_param, arg);
	BLANK();
	DEFINE(KCXX_GFP_KERNEL, GFP_KERNEL);
	DEFINE(KCXX_GFP_KERNEL_ACCOUNT, GFP_KERNEL_ACCOUNT);
	DEFINE(KCXX_GFP_ATOMIC, GFP_ATOMIC);
	DEFINE(KCXX_GFP_NOWAIT, GFP_NOWAIT);
	DEFINE(KCXX_GFP_ZERO, __GFP_ZERO);
	DEFINE(KCXX_GFP_NOWARN, __GFP_NOWARN);
	DEFINE(KCXX_ARCH_KMALLOC_MINALIGN, ARCH_KMALLOC_MINALIGN);
	DEFINE(KCXX_PAGE_SIZE, PAGE_SIZE);
	DEFINE(KCXX_PAGE_SHIFT, PAGE_SHIFT);
	DEFINE(KCXX_IORESOURCE_MEM, IORESOURCE_MEM);
	DEFINE(KCXX_IORESOURCE_MEM_64, IORESOURCE_MEM_64);
	DEFINE(KCXX_IORESOURCE_PREFETCH, IORESOURCE_PREFETCH);
	DEFINE(KCXX_DRM_COMMAND_BASE, DRM_COMMAND_BASE);
	DEFINE(KCXX_MAX_ERRNO, MAX_ERRNO);
	DEFINE(KCXX_HAVE_LOCKDEP, IS_ENABLED(CONFIG_LOCKDEP));
	BLANK();
	DEFINE(KCXX_EPERM, EPERM);
	DEFINE(KCXX_ENOENT, ENOENT);
	DEFINE(KCXX_EIO, EIO);
	DEFINE(KCXX_ENXIO, ENXIO);
	DEFINE(KCXX_E2BIG, E2BIG);
	DEFINE(KCXX_ENOEXEC, ENOEXEC);
	DEFINE(KCXX_EBADF, EBADF);
	DEFINE(KCXX_EAGAIN, EAGAIN);
	DEFINE(KCXX_ENOMEM, ENOMEM);
	DEFINE(KCXX_EACCES, EACCES);
	DEFINE(KCXX_EFAULT, EFAULT);
	DEFINE(KCXX_EBUSY, EBUSY);
	DEFINE(KCXX_EEXIST, EEXIST);
	DEFINE(KCXX_ENODEV, ENODEV);
	DEFINE(KCXX_EINVAL, EINVAL);
	DEFINE(KCXX_ENOSPC, ENOSPC);
	DEFINE(KCXX_ENOTTY, ENOTTY);
	DEFINE(KCXX_ERANGE, ERANGE);
	DEFINE(KCXX_EOVERFLOW, EOVERFLOW);
	DEFINE(KCXX_EOPNOTSUPP, EOPNOTSUPP);
	DEFINE(KCXX_ETIMEDOUT, ETIMEDOUT);
	DEFINE(KCXX_EPROBE_DEFER, EPROBE_DEFER);
	DEFINE(KCXX_ENOSYS, ENOSYS);
	DEFINE(KCXX_EMSGSIZE, EMSGSIZE);
	DEFINE(KCXX_EPROTO, EPROTO);
	return 0;
}
