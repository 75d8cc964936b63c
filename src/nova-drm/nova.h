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

/* Per-open state; GEM handles are kept by the DRM core. */
struct FileData {
	explicit FileData(Device &) {}
};

/* A GEM object: shmem-backed, nothing of its own yet. */
struct ObjectData {};
using Object = kernel::gem::Object<ObjectData>;

Result<void> getparam(Device &dev, drm_nova_getparam &arg, File &file);
Result<void> gem_create(Device &dev, drm_nova_gem_create &arg, File &file);
Result<void> gem_info(Device &dev, drm_nova_gem_info &arg, File &file);

namespace kdrm = kernel::drm;

struct NovaDriver {
	static constexpr kdrm::Info INFO = { "nova", "Nvidia Graphics", "20250101", 0, 0, 0 };
	/* No display yet, but an (empty) KMS view for drm_info and friends. */
	static constexpr u32 FEATURES = kdrm::FEAT_GEM | kdrm::FEAT_RENDER | kdrm::FEAT_MODESET;
	/* As upstream: anyone may ask GETPARAM; the GEM ioctls need authentication. */
	static constexpr unsigned int QUERY = kdrm::RENDER_ALLOW;
	static constexpr unsigned int GEM = kdrm::AUTH | kdrm::RENDER_ALLOW;

	using Data = DeviceData;
	using File = FileData;
	using Ioctls = kdrm::IoctlTable<
		kdrm::Ioctl<DRM_IOCTL_NOVA_GETPARAM, drm_nova_getparam, &getparam, QUERY>,
		kdrm::Ioctl<DRM_IOCTL_NOVA_GEM_CREATE, drm_nova_gem_create, &gem_create, GEM>,
		kdrm::Ioctl<DRM_IOCTL_NOVA_GEM_INFO, drm_nova_gem_info, &gem_info, GEM>>;
};

} // namespace nova::drm

#endif /* NOVA_DRM_NOVA_H */
