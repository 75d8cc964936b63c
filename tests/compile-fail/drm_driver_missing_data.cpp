// SPDX-License-Identifier: GPL-2.0
// A DRM driver without its required Data type.
// expect: drm driver: missing required type Data
#include <kernel/drm.h>

struct NoData {
	static constexpr kernel::drm::Info INFO = { "x", "x", "x", 0, 0, 0 };
	static constexpr ktl::u32 FEATURES = kernel::drm::FEAT_GEM;
};

kernel::Result<void> init()
{
	return kernel::drm::init_driver<NoData>(nullptr);
}
