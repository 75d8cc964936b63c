/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nova-drm: the DRM driver of nova GPUs, bound to the auxiliary device
 * nova-core registers for each GPU.
 */
#ifndef NOVA_DRM_NOVA_H
#define NOVA_DRM_NOVA_H

#include <kernel/drm.h>
#include <kernel/gem.h>
#include <kernel/pci.h>

#include <kernel/uapi/drm.h>
#include <uapi/drm/nova_drm.h>

namespace nova::drm {

using kernel::Result;
using ktl::u32;
using ktl::u64;

struct NovaDriver;
using Device = kernel::drm::Device<NovaDriver>;
using File = kernel::drm::File<NovaDriver>;

/* Per-device state: what the ioctls need to know about the GPU. */
struct DeviceData {
	u64 vram_bar_size;
};

/* A GEM object: shmem-backed, nothing of its own yet. */
struct ObjectData {};
using Object = kernel::gem::Object<ObjectData>;

} // namespace nova::drm

#endif /* NOVA_DRM_NOVA_H */
