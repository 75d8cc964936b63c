// SPDX-License-Identifier: GPL-2.0
/*
 * The uAPI header must also compile as C++ (the driver is C++) and give C
 * linkage to its declarations; this translation unit only has to build.
 */

#include <cstddef>

#include <drm/nova_drm.h>

static_assert(sizeof(drm_nova_getparam) == 16, "getparam size");
static_assert(sizeof(drm_nova_gem_create) == 16, "gem_create size");
static_assert(sizeof(drm_nova_gem_info) == 16, "gem_info size");
static_assert(offsetof(drm_nova_gem_create, size) == 8, "gem_create.size");
static_assert(offsetof(drm_nova_gem_info, size) == 8, "gem_info.size");
static_assert(DRM_IOCTL_NOVA_GETPARAM == 0xc0106440u, "GETPARAM number");
static_assert(DRM_IOCTL_NOVA_GEM_CREATE == 0xc0106441u, "GEM_CREATE number");
static_assert(DRM_IOCTL_NOVA_GEM_INFO == 0xc0106442u, "GEM_INFO number");
