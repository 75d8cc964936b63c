// SPDX-License-Identifier: GPL-2.0
// Driver ioctls must start at DRM_COMMAND_BASE and have no holes.
// expect: driver ioctls must be numbered contiguously from DRM_COMMAND_BASE
#include <kernel/drm.h>

struct Arg {
	ktl::u64 a, b;
};

struct D;
kernel::Result<void> handler(kernel::drm::Device<D> &, Arg &, kernel::drm::File<D> &);

using Table = kernel::drm::IoctlTable<kernel::drm::Ioctl<0xC0106440, Arg, &handler, 0>,
				      kernel::drm::Ioctl<0xC0106442, Arg, &handler, 0>>;
Table table;
