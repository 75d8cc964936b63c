// SPDX-License-Identifier: GPL-2.0
// An ioctl whose argument type is not the size its number encodes.
// expect: ioctl argument type size does not match the size encoded in the ioctl number
#include <kernel/drm.h>

struct Small {
	ktl::u32 v;
};

struct D;
kernel::Result<void> handler(kernel::drm::Device<D> &, Small &, kernel::drm::File<D> &);

/* 0xC0106440: _IOWR('d', 0x40, 16 bytes). */
using Bad = kernel::drm::Ioctl<0xC0106440, Small, &handler, 0>;
Bad bad;
