/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the DRM bindings keep for a C++ driver and for each open file. C only;
 * the C++ library sees the driver record's size through the generated
 * layout and the file record not at all.
 */
#ifndef KCXX_DRM_DRIVER_H
#define KCXX_DRM_DRIVER_H

#include <linux/fs.h>
#include <drm/drm_drv.h>
#include <kcxx/bindings.h>

struct kcxx_drm_driver {
	struct drm_driver drv;
	struct file_operations fops;
	const struct kcxx_drm_driver_desc *desc;
};

/* drm_file.driver_priv of every file of a C++ driver. */
struct kcxx_drm_file {
	void *priv;			/* the C++ driver's per-file data */
	struct module *pinned;		/* module of the parent device's driver */
	u64 client_id;			/* for fdinfo where the DRM core has none */
};

#endif
