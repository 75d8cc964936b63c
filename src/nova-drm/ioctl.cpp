// SPDX-License-Identifier: GPL-2.0
/*
 * The nova uAPI. Every field is validated before anything changes; the
 * errors are those documented in uapi/drm/nova_drm.h.
 */
#include <kernel/print.h>

#include "nova.h"

namespace nova::drm {

using namespace kernel;

Result<void> getparam(Device &dev, drm_nova_getparam &arg, File &)
{
	switch (arg.param) {
	case NOVA_GETPARAM_VRAM_BAR_SIZE:
		arg.value = dev->vram_bar_size;
		return ok();
	default:
		/* Also catches values above 32 bits: they are not truncated. */
		return err::EINVAL;
	}
}

Result<void> gem_create(Device &dev, drm_nova_gem_create &arg, File &file)
{
	u64 requested = arg.size;
	u64 size;

	if (arg.pad || !requested)
		return err::EINVAL;
	if (!page_align(requested, &size))
		return err::EINVAL;

	auto obj = TRY(Object::create(dev, size));
	/* The handle takes its own reference; ours goes with obj. */
	arg.handle = TRY(obj->create_handle(file));
	return ok();
}

Result<void> gem_info(Device &, drm_nova_gem_info &arg, File &file)
{
	if (arg.pad)
		return err::EINVAL;
	auto obj = TRY(Object::lookup(file, arg.handle));
	arg.size = obj->size();
	return ok();
}

} // namespace nova::drm
