/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A GEM object as the bindings create it: the kernel's object followed by
 * the free callback of the C++ type that embeds it. C only.
 */
#ifndef KCXX_GEM_OBJECT_H
#define KCXX_GEM_OBJECT_H

#include <drm/drm_gem.h>

struct kcxx_gem_object {
	struct drm_gem_object base;
	void (*free)(struct drm_gem_object *obj);
};

#endif
