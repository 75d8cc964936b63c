/* SPDX-License-Identifier: MIT */
/*
 * Userspace interface of the nova DRM driver.
 *
 * Binary compatible with the upstream Linux uAPI header of the same name:
 * the ioctl numbers, structure sizes and field offsets are identical, so a
 * program built against either header runs against either driver. Like
 * upstream's, this interface exists to exercise the driver while it is being
 * developed; it is not yet a stable uAPI.
 *
 * This project is stricter than upstream in the places marked "stricter"
 * below: it rejects what upstream silently ignores or truncates.
 */

#ifndef __NOVA_DRM_H__
#define __NOVA_DRM_H__

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/**
 * DOC: Node permissions
 *
 * Each nova device has a primary node (/dev/dri/cardN) and a render node
 * (/dev/dri/renderDN). All three nova ioctls are allowed on both:
 *
 * - render node: every opener may use them; there is no master and no
 *   authentication on render nodes;
 * - primary node: the caller must be the DRM master (the first opener of the
 *   node becomes master while no other master exists), or have been
 *   authenticated by the master (DRM_IOCTL_GET_MAGIC, then the master's
 *   DRM_IOCTL_AUTH_MAGIC), or have had CAP_SYS_ADMIN when it opened the node.
 *   Anyone else gets EACCES.
 */

/**
 * DOC: Errors common to all nova ioctls
 *
 * Besides the errors listed for each ioctl, every nova ioctl can fail with:
 *
 * - ENODEV: the GPU behind the file was unbound or unplugged. Every ioctl on
 *   a file of that device fails this way from then on; close() still works
 *   and frees the file's objects. A GPU that is bound again gets a new DRM
 *   device, whose nodes must be opened anew.
 * - EACCES: the file is a primary node whose opener is neither the DRM
 *   master nor authenticated (see "Node permissions").
 * - EFAULT: the argument pointer does not point to readable and writable
 *   memory of the caller.
 */

/**
 * define NOVA_GETPARAM_VRAM_BAR_SIZE - size of the VRAM aperture BAR
 *
 * Parameter for DRM_IOCTL_NOVA_GETPARAM: the length in bytes of the PCI BAR
 * through which the CPU sees VRAM. That is BAR1 on NVIDIA GPUs, whose BAR0 is
 * a 32-bit BAR; BAR2 when BAR0 is a 64-bit BAR (it then takes slot 1 too),
 * and BAR2 on the emulated GPU.
 */
#define NOVA_GETPARAM_VRAM_BAR_SIZE	0x1

/**
 * struct drm_nova_getparam - argument of DRM_IOCTL_NOVA_GETPARAM
 *
 * Size 16 bytes.
 */
struct drm_nova_getparam {
	/**
	 * @param: In: which parameter to read, one of the NOVA_GETPARAM_*
	 * values. The field is 64 bits wide but parameter numbers fit in 32
	 * bits; values above 0xffffffff are rejected (stricter than upstream,
	 * which truncates them).
	 */
	__u64 param;

	/**
	 * @value: Out: the value of the parameter. Only written on success.
	 */
	__u64 value;
};

/**
 * struct drm_nova_gem_create - argument of DRM_IOCTL_NOVA_GEM_CREATE
 *
 * Size 16 bytes.
 */
struct drm_nova_gem_create {
	/**
	 * @handle: Out: the handle of the new object, unique within the file
	 * that created it and never 0.
	 */
	__u32 handle;

	/**
	 * @pad: In: must be 0 (stricter than upstream, which ignores it).
	 */
	__u32 pad;

	/**
	 * @size: In: the requested size in bytes, not 0. The kernel rounds it
	 * up to a multiple of the page size; the field is not updated, use
	 * DRM_IOCTL_NOVA_GEM_INFO to read the size the object has.
	 */
	__u64 size;
};

/**
 * struct drm_nova_gem_info - argument of DRM_IOCTL_NOVA_GEM_INFO
 *
 * Size 16 bytes.
 */
struct drm_nova_gem_info {
	/**
	 * @handle: In: the handle of the object to describe.
	 */
	__u32 handle;

	/**
	 * @pad: In: must be 0 (stricter than upstream, which ignores it).
	 */
	__u32 pad;

	/**
	 * @size: Out: the size of the object in bytes, a multiple of the page
	 * size.
	 */
	__u64 size;
};

/* Driver ioctl numbers, relative to DRM_COMMAND_BASE. */
#define DRM_NOVA_GETPARAM		0x00
#define DRM_NOVA_GEM_CREATE		0x01
#define DRM_NOVA_GEM_INFO		0x02

/**
 * DOC: DRM_IOCTL_NOVA_GETPARAM
 *
 * Reads the device parameter named by &drm_nova_getparam.param into
 * &drm_nova_getparam.value. The value of the ioctl number is 0xc0106440.
 *
 * Errors:
 *
 * - EINVAL: &drm_nova_getparam.param is not a known NOVA_GETPARAM_* value,
 *   or is greater than 0xffffffff.
 * - ENODEV, EACCES, EFAULT: see "Errors common to all nova ioctls".
 */
#define DRM_IOCTL_NOVA_GETPARAM \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_NOVA_GETPARAM, struct drm_nova_getparam)

/**
 * DOC: DRM_IOCTL_NOVA_GEM_CREATE
 *
 * Creates a GEM object of at least &drm_nova_gem_create.size bytes, backed
 * by shared memory that is allocated on first use, not at creation: a large
 * object costs no memory until its pages are touched. Writes the new handle
 * to &drm_nova_gem_create.handle and nothing else. The ioctl number is
 * 0xc0106441.
 *
 * The handle is the only reference to the object: DRM_IOCTL_GEM_CLOSE on the
 * handle, or closing the file, frees it.
 *
 * Errors:
 *
 * - EINVAL: &drm_nova_gem_create.size is 0; or rounding it up to a multiple
 *   of the page size overflows 64 bits; or &drm_nova_gem_create.pad is not 0.
 * - ENOMEM: the kernel could not allocate the object or its handle.
 * - ENODEV, EACCES, EFAULT: see "Errors common to all nova ioctls".
 */
#define DRM_IOCTL_NOVA_GEM_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_NOVA_GEM_CREATE, struct drm_nova_gem_create)

/**
 * DOC: DRM_IOCTL_NOVA_GEM_INFO
 *
 * Writes the size of the object named by &drm_nova_gem_info.handle, in
 * bytes and rounded up to a multiple of the page size, to
 * &drm_nova_gem_info.size. Handles are private to the file that created
 * them. The ioctl number is 0xc0106442.
 *
 * Errors:
 *
 * - EINVAL: &drm_nova_gem_info.pad is not 0.
 * - ENOENT: no object has this handle in this file: the handle is 0, was
 *   never returned by DRM_IOCTL_NOVA_GEM_CREATE on this file, or has been
 *   closed with DRM_IOCTL_GEM_CLOSE.
 * - ENODEV, EACCES, EFAULT: see "Errors common to all nova ioctls".
 */
#define DRM_IOCTL_NOVA_GEM_INFO \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_NOVA_GEM_INFO, struct drm_nova_gem_info)

#if defined(__cplusplus)
}
#endif

#endif /* __NOVA_DRM_H__ */
