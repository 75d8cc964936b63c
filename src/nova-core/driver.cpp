// SPDX-License-Identifier: GPL-2.0
/*
 * nova-core: the PCI driver of NVIDIA GPUs. It maps BAR0, identifies the
 * chip, reads its VRAM size and registers the auxiliary device nova-drm
 * binds to, carrying the GPU's facts (include/nova/gpu_facts.h).
 *
 * With emulate=1 it also binds ivshmem devices (1af4:1110) whose BAR2
 * holds a register image: the development and test stand-in for a GPU.
 */
#include <kernel/auxiliary.h>
#include <kernel/module.h>
#include <kernel/pci.h>
#include <kernel/print.h>
#include <nova/gpu_facts.h>

#include "fb.h"
#include "gpu.h"

using namespace kernel;

namespace nova::core {

namespace {

constexpr u32 NVIDIA_VENDOR = 0x10de;
constexpr u32 CLASS_DISPLAY_VGA = 0x030000;
constexpr u32 CLASS_DISPLAY_3D = 0x030200;
constexpr u32 IVSHMEM_VENDOR = 0x1af4;
constexpr u32 IVSHMEM_DEVICE = 0x1110;

/* driver_data of the ids this driver binds. */
enum : unsigned long { REAL_GPU = 0, EMULATED_GPU = 1 };

/* The register window: BAR0 of a GPU (16 MiB); the image in BAR2 of an emulated one. */
using RegisterBar = pci::Bar<0x1000000>;

KERNEL_MODULE_PARAM_BOOL(emulate, false, 0444,
			 "Also bind ivshmem devices holding a GPU register image (testing only)");

class NovaCore {
public:
	static constexpr const char *NAME = "nova_core";
	static constexpr pci::DeviceId ID_TABLE[] = {
		pci::vendor_class(NVIDIA_VENDOR, CLASS_DISPLAY_VGA, REAL_GPU),
		pci::vendor_class(NVIDIA_VENDOR, CLASS_DISPLAY_3D, REAL_GPU),
		{},
	};
	/* The PCI device has a "revision" of its own: ours go in nova/. */
	static constexpr const char *ATTRIBUTE_GROUP = "nova";
	static const Attribute ATTRIBUTES[4];

	static Result<KBox<NovaCore>> probe(pci::Device &pdev, const pci::DeviceId &id);

	NovaCore(pci::EnabledDevice enabled, RegisterBar bar, Spec spec,
		 auxiliary::DataRegistration<GpuFacts> drm)
		: enabled_(ktl::move(enabled)), bar_(ktl::move(bar)), spec_(spec),
		  drm_(ktl::move(drm))
	{}

	long show_chipset(char *buf) const { return sysfs_emit(buf, "%s\n", spec_.chipset_name()); }
	long show_architecture(char *buf) const
	{
		return sysfs_emit(buf, "%s\n", spec_.architecture_name());
	}
	long show_revision(char *buf) const
	{
		return sysfs_emit(buf, "%x.%x\n", spec_.revision.major, spec_.revision.minor);
	}
	long show_vram_size(char *buf) const
	{
		unsigned long long bytes = facts().vram_size;
		if (!bytes)
			return sysfs_emit(buf, "unavailable\n");
		return sysfs_emit(buf, "%llu\n", bytes);
	}

private:
	const GpuFacts &facts() const { return drm_.data(); }

	/* Destroyed in reverse order: nova-drm's device goes first, then the facts. */
	pci::EnabledDevice enabled_;
	RegisterBar bar_;
	Spec spec_;
	auxiliary::DataRegistration<GpuFacts> drm_;
};

/* sysfs files of a bound GPU: /sys/bus/pci/devices/<BDF>/nova/. */
constexpr Attribute NovaCore::ATTRIBUTES[4] = {
	attribute<&NovaCore::show_chipset>("chipset"),
	attribute<&NovaCore::show_architecture>("architecture"),
	attribute<&NovaCore::show_revision>("revision"),
	attribute<&NovaCore::show_vram_size>("vram_size"),
};

/*
 * The BAR through which the CPU sees VRAM: BAR1 normally, but BAR2 when
 * BAR0 is 64-bit (it then uses two BAR slots). An emulated GPU's register
 * image and "VRAM" are both its BAR2.
 */
int vram_bar(const pci::Device &pdev, bool emulated)
{
	return emulated || pdev.resource_is_mem64(0) ? 2 : 1;
}

/* The probe's lines about memory, after the chip line. */
void report_memory(const pci::Device &pdev, const FbSize &fb)
{
	if (!fb.available()) {
		dev_warn(pdev, "VRAM size unavailable (%s reads %#010x)\n", fb.register_name(),
			 fb.raw);
		return;
	}
	unsigned long long mib = fb.bytes >> 20;
	dev_info(pdev, "VRAM %llu MiB\n", mib);
}

Result<KBox<NovaCore>> NovaCore::probe(pci::Device &pdev, const pci::DeviceId &id)
{
	bool emulated = id.driver_data == EMULATED_GPU || pdev.vendor() == IVSHMEM_VENDOR;

	if (emulated && !emulate) {
		dev_info(pdev, "not an NVIDIA GPU; emulation is off (nova_core.emulate=0)\n");
		return err::ENODEV;
	}

	auto enabled = TRY(pci::EnabledDevice::enable_mem(pdev));
	auto bar = TRY(RegisterBar::map(pdev, emulated ? 2 : 0, "nova-core/bar0"));

	auto boot0 = Boot0::read(bar);
	auto boot42 = Boot42::read(bar);
	auto spec = identify(boot0, boot42);
	if (!spec) {
		dev_err(pdev, "unsupported GPU (BOOT0 %#010x, BOOT42 %#010x)\n", boot0.raw(),
			boot42.raw());
		return spec.error();
	}
	dev_info(pdev, "NVIDIA (Chipset: %s, Architecture: %s, Revision: %x.%x)%s\n",
		 spec->chipset_name(), spec->architecture_name(), spec->revision.major,
		 spec->revision.minor, emulated ? " [emulated]" : "");

	FbSize fb = read_fb_size(bar, *spec->chipset);
	report_memory(pdev, fb);

	int aperture = vram_bar(pdev, emulated);
	GpuFacts facts {
		.chipset = spec->chipset->id,
		.emulated = emulated,
		.vram_bar = aperture,
		.vram_bar_size = pdev.resource_len(aperture),
		.vram_size = fb.bytes,
	};
	auto drm = TRY(auxiliary::DataRegistration<GpuFacts>::create(
		pdev.as_device(), KBUILD_MODNAME, "nova-drm", facts));
	return KBox<NovaCore>::create(gfp::KERNEL, ktl::move(enabled), ktl::move(bar), spec.take(),
				      ktl::move(drm));
}

class Module {
public:
	static Result<KBox<Module>> init()
	{
		auto reg = TRY(pci::DriverRegistration<NovaCore>::register_driver(this_module(),
										  KBUILD_MODNAME));
		if (emulate)
			TRY(reg.add_dynamic_id(IVSHMEM_VENDOR, IVSHMEM_DEVICE, EMULATED_GPU));
		return KBox<Module>::create(gfp::KERNEL, ktl::move(reg));
	}

	explicit Module(pci::DriverRegistration<NovaCore> reg) : reg_(ktl::move(reg)) {}

private:
	pci::DriverRegistration<NovaCore> reg_;
};

} // namespace

} // namespace nova::core

PCI_DEVICE_TABLE(nova::core::NovaCore, nova_core_ids);
KERNEL_MODULE(nova::core::Module);
KERNEL_MODULE_LICENSE("GPL");
KERNEL_MODULE_DESCRIPTION("Nova core driver for NVIDIA GPUs (C++)");
KERNEL_MODULE_AUTHOR("The nova-cxx authors");
