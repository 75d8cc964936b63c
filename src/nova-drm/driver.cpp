// SPDX-License-Identifier: GPL-2.0
/*
 * nova-drm: binds the nova-drm auxiliary device of a GPU and registers a
 * DRM device (card and render node) for it. What it knows of the GPU comes
 * from nova-core with the device (nova::GpuFacts). Unbinding unplugs the
 * DRM device: open files stay closable, ioctls fail with ENODEV.
 *
 * The ioctl handlers are in this file, where the driver's description is
 * instantiated: each is then compiled into the library's entry point of
 * its ioctl, which costs no call of its own (Documentation/performance.rst).
 */
#include <kernel/auxiliary.h>
#include <kernel/module.h>
#include <kernel/print.h>
#include <nova/gpu_facts.h>

#include "nova.h"

using namespace kernel;

namespace nova::drm {

namespace {

Result<void> getparam(Device &dev, drm_nova_getparam &arg, File &file);
Result<void> gem_create(Device &dev, drm_nova_gem_create &arg, File &file);
Result<void> gem_info(Device &dev, drm_nova_gem_info &arg, File &file);

} // namespace

namespace kdrm = kernel::drm;

struct NovaDriver {
	static constexpr kdrm::Info INFO = { "nova", "Nvidia Graphics", "20250101", 0, 0, 0 };
	/* No display yet, but an (empty) KMS view for drm_info and friends. */
	static constexpr u32 FEATURES = kdrm::FEAT_GEM | kdrm::FEAT_RENDER | kdrm::FEAT_MODESET;
	/* As upstream: anyone may ask GETPARAM; the GEM ioctls need authentication. */
	static constexpr unsigned int QUERY = kdrm::RENDER_ALLOW;
	static constexpr unsigned int GEM = kdrm::AUTH | kdrm::RENDER_ALLOW;

	using Data = DeviceData;
	/* No File: no per-open state (GEM handles are the DRM core's), no allocation. */
	using Ioctls = kdrm::IoctlTable<
		kdrm::Ioctl<DRM_IOCTL_NOVA_GETPARAM, drm_nova_getparam, &getparam, QUERY>,
		kdrm::Ioctl<DRM_IOCTL_NOVA_GEM_CREATE, drm_nova_gem_create, &gem_create, GEM>,
		kdrm::Ioctl<DRM_IOCTL_NOVA_GEM_INFO, drm_nova_gem_info, &gem_info, GEM>>;
};

namespace {

/*
 * The nova uAPI. Every field is validated before anything changes; the
 * errors are those documented in uapi/drm/nova_drm.h.
 */

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

class NovaDrm {
public:
	static constexpr const char *NAME = nullptr;
	static constexpr auxiliary::DeviceId ID_TABLE[] = {
		auxiliary::id("nova_core.nova-drm"),
		{},
	};

	static Result<KBox<NovaDrm>> probe(auxiliary::Device &adev, const auxiliary::DeviceId &);

	explicit NovaDrm(KBox<kernel::drm::Registration<NovaDriver>> reg) : reg_(ktl::move(reg)) {}

private:
	KBox<kernel::drm::Registration<NovaDriver>> reg_;
};

Result<KBox<NovaDrm>> NovaDrm::probe(auxiliary::Device &adev, const auxiliary::DeviceId &)
{
	/* nova-core's facts about the GPU; ours to read while bound, so copied. */
	auto facts = adev.registration_data<GpuFacts>();
	if (!facts) {
		dev_err(adev, "no GPU facts from the parent's driver (%d)\n", facts.to_errno());
		return facts.error();
	}
	const GpuFacts &gpu = facts.value();
	kernel::Device *parent = adev.parent();
	pci::Device *pdev = parent ? pci::Device::from_device(*parent) : nullptr;
	if (!pdev) {
		dev_err(adev, "parent is not a PCI device\n");
		return err::ENODEV;
	}

	DeviceData data { gpu.vram_bar_size };
	/* Under the PCI function, where libdrm looks for a GPU's bus; owned by us. */
	auto dev = TRY(Device::create_under(adev.as_device(), pdev->as_device(), data));
	auto reg = TRY(kernel::drm::Registration<NovaDriver>::create(ktl::move(dev)));
	return KBox<NovaDrm>::create(gfp::KERNEL, ktl::move(reg));
}

class Module {
public:
	static Result<KBox<Module>> init()
	{
		TRY(kernel::drm::init_driver<NovaDriver>(this_module()));
		auto reg = TRY(auxiliary::DriverRegistration<NovaDrm>::register_driver(
			this_module(), KBUILD_MODNAME));
		return KBox<Module>::create(gfp::KERNEL, ktl::move(reg));
	}

	explicit Module(auxiliary::DriverRegistration<NovaDrm> reg) : reg_(ktl::move(reg)) {}

private:
	auxiliary::DriverRegistration<NovaDrm> reg_;
};

} // namespace

} // namespace nova::drm

AUXILIARY_DEVICE_TABLE(nova::drm::NovaDrm, nova_drm_ids);
KERNEL_MODULE(nova::drm::Module);
KERNEL_MODULE_LICENSE("GPL");
KERNEL_MODULE_DESCRIPTION("Nova DRM driver for NVIDIA GPUs (C++)");
KERNEL_MODULE_AUTHOR("The nova-cxx authors");
