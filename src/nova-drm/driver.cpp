// SPDX-License-Identifier: GPL-2.0
/*
 * nova-drm: binds the nova-drm auxiliary device of a GPU and registers a
 * DRM device (card and render node) for it. What it knows of the GPU comes
 * from nova-core with the device (nova::GpuFacts). Unbinding unplugs the
 * DRM device: open files stay closable, ioctls fail with ENODEV.
 */
#include <kernel/auxiliary.h>
#include <kernel/module.h>
#include <kernel/print.h>
#include <nova/gpu_facts.h>

#include "nova.h"

using namespace kernel;

namespace nova::drm {

namespace {

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
