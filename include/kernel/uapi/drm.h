/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The DRM core uAPI (drm.h), as user space sees it, for drivers that
 * include their own uAPI header (which includes "drm.h").
 *
 * The kernel's uAPI headers switch to internal kernel headers when
 * __KERNEL__ is defined; C++ reaches no internal header, so it includes
 * them the way user space does.
 */
#ifndef KERNEL_UAPI_DRM_H
#define KERNEL_UAPI_DRM_H

#pragma push_macro("__KERNEL__")
#pragma push_macro("__EXPORTED_HEADERS__")
#undef __KERNEL__
#define __EXPORTED_HEADERS__
#include <drm.h>
#pragma pop_macro("__EXPORTED_HEADERS__")
#pragma pop_macro("__KERNEL__")

#endif
