// SPDX-License-Identifier: GPL-2.0
/*
 * nova-core: the PCI driver of NVIDIA GPUs. It maps BAR0, identifies the
 * chip, waits for the GPU's firmware to finish booting, reads the VBIOS and
 * the VRAM size and registers the auxiliary device nova-drm binds to,
 * carrying the GPU's facts (include/nova/gpu_facts.h).
 *
 * It binds by its PCI table alone: NVIDIA's display controllers of class
 * VGA or 3D. The test GPU is tools/gpu-model, which QEMU attaches as such a
 * device (Documentation/gpu-model.rst): there is one probe, the real one.
 *
 * A GPU that misbehaves is refused in one error line: one that does not
 * answer (all-ones reads), answers with a priv error, or whose BOOT0 or
 * BOOT42 changes between reads, at identification or by the end of probe
 * (Documentation/hardware.rst, "A GPU that misbehaves").
 *
 * A VBIOS that is missing or does not parse is reported in one warning and
 * leaves its sysfs files "unavailable": the GPU still binds. So does a
 * framebuffer layout or a FWSEC-FRTS preparation that fails
 * (Documentation/fb-layout.rst): their debugfs files read "unavailable".
 *
 * On the TU102 and GA102 falcon HALs it then boots the GSP
 * (Documentation/falcon.rst): FWSEC-FRTS on the GSP falcon creates WPR2,
 * Booter on SEC2 loads GSP-RM into it and starts the GSP's RISC-V core;
 * then GSP-RM is driven over its queues (gsp/rm.h) until it has said
 * INIT_DONE and the GPU's name. A failure is one warning and nova/gsp
 * says which step failed; the GPU still binds. Unbinding unloads the GSP
 * (UNLOADING_GUEST_DRIVER, FWSEC-SB, booter_unload), so that the GPU can
 * be bound again.
 */
#include <kernel/auxiliary.h>
#include <kernel/debugfs.h>
#include <kernel/module.h>
#include <kernel/pci.h>
#include <kernel/print.h>
#include <kernel/time.h>
#include <nova/gpu_facts.h>

#include "fb/vram.h"
#include "falcon/hal.h"
#include "fb/layout.h"
#include "firmware/fwsec.h"
#include "firmware/set.h"
#include "gfw.h"
#include "gpu.h"
#include "vbios/vbios.h"
#include "gsp/boot.h"
#include "gsp/rm.h"
#include "gsp/wpr_meta.h"

using namespace kernel;

namespace nova::core {

namespace {

constexpr u32 NVIDIA_VENDOR = 0x10de;
constexpr u32 CLASS_DISPLAY_VGA = 0x030000;
constexpr u32 CLASS_DISPLAY_3D = 0x030200;

/* The register window: BAR0 (16 MiB). */
using RegisterBar = pci::Bar<0x1000000>;

/* What the probe's GSP boot did (sysfs's nova/gsp), and what a running GSP keeps. */
struct GspBootState {
	enum class Kind : u8 { NotRun, Running, Failed };
	Kind kind = Kind::NotRun;
	const char *why = "no FWSEC-FRTS prepared"; /* NotRun */
	FbRegion wpr2; /* Running */
	/* Running: GSP-RM, what it was handed, its queues and debugfs files */
	KBox<gsp::Rm> rm;
	/* FWSEC-SB for the unload and its descriptor: the boot plan's and the VBIOS's. */
	const FwsecFrts *fwsec_sb = nullptr;
	const FalconUcodeDesc *fwsec_desc = nullptr;
	gsp::BootStep step = gsp::BootStep::Plan; /* Failed */
	Error error = err::EINVAL; /* Failed */
};

void stop_gsp(const pci::Device &pdev, const RegisterBar &bar, const Chipset &chip,
	      const fw::FirmwareSet *firmware, GspBootState &state);

class NovaCore {
public:
	static constexpr const char *NAME = "nova_core";
	static constexpr pci::DeviceId ID_TABLE[] = {
		pci::vendor_class(NVIDIA_VENDOR, CLASS_DISPLAY_VGA),
		pci::vendor_class(NVIDIA_VENDOR, CLASS_DISPLAY_3D),
		{},
	};
	/* The PCI device has a "revision" of its own: ours go in nova/. */
	static constexpr const char *ATTRIBUTE_GROUP = "nova";
	static const Attribute ATTRIBUTES[8];

	static Result<KBox<NovaCore>> probe(pci::Device &pdev, const pci::DeviceId &id);

	NovaCore(pci::Device &pdev, pci::EnabledDevice enabled, RegisterBar bar, Spec spec,
		 KBox<Vbios> vbios, KBox<fw::FirmwareSet> firmware, BootPlan boot, GspBootState gsp,
		 auxiliary::DataRegistration<GpuFacts> drm)
		: pdev_(pdev), enabled_(ktl::move(enabled)), bar_(ktl::move(bar)), spec_(spec),
		  vbios_(ktl::move(vbios)), firmware_(ktl::move(firmware)), boot_(ktl::move(boot)),
		  gsp_(ktl::move(gsp)),
		  debugfs_(debugfs::Dir::in_module_root(pdev.as_device().name())),
		  drm_(ktl::move(drm))
	{
		/*
		 * nova_core/<BDF>/firmware and gsp_radix3: the firmware files
		 * and the GSP image's page tables, or "unavailable".
		 */
		debugfs_.text<&NovaCore::show_firmware>("firmware", *this);
		debugfs_.text<&NovaCore::show_gsp_radix3>("gsp_radix3", *this);
		/* The boot plan: the layout, the WPR metadata, FWSEC-FRTS. */
		debugfs_.text<&NovaCore::show_fb_layout>("fb_layout", *this);
		debugfs_.text<&NovaCore::show_wpr_meta>("wpr_meta", *this);
		if (boot_.fwsec_frts)
			debugfs_.blob("fwsec_frts", boot_.fwsec_frts->dmem());
		else
			debugfs_.text<&NovaCore::show_fwsec_frts>("fwsec_frts", *this);
		/* loginit, logintr, logrm, gsp_queues: GSP-RM's, gone with it. */
		if (gsp_.rm)
			gsp_.rm->publish(debugfs_);
		/* nova_core/<BDF>/: the ROM as read and what it holds. */
		if (!vbios_)
			return;
		debugfs_.blob("vbios", vbios_->bytes());
		debugfs_.text<&NovaCore::show_vbios_images>("vbios_images", *this);
		debugfs_.text<&NovaCore::show_bit_tokens>("bit_tokens", *this);
	}

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
	long show_vbios_version(char *buf) const
	{
		if (!vbios_)
			return sysfs_emit(buf, "unavailable\n");
		char version[VbiosVersion::STR_SIZE];
		vbios_->version().format(version);
		return sysfs_emit(buf, "%s\n", version);
	}
	long show_fwsec(char *buf) const
	{
		const Fwsec *fwsec = vbios_ ? vbios_->fwsec() : nullptr;
		if (!fwsec)
			return sysfs_emit(buf, "unavailable\n");
		return sysfs_emit(buf, "%s v%u imem 0x%x dmem 0x%x stored 0x%x\n",
				  fwsec_app_name(fwsec->app), fwsec->desc.version(),
				  fwsec->desc.imem_load_size(), fwsec->desc.dmem_load_size(),
				  fwsec->desc.stored_size());
	}

	/*
	 * "running, wpr2 0x<start>-0x<end>" ("running, booted by the FSP"
	 * on Hopper and Blackwell when no WPR2 shows in the registers),
	 * "failed: <step> (<errno>)" or "not run: <why>".
	 */
	long show_gsp(char *buf) const
	{
		switch (gsp_.kind) {
		case GspBootState::Kind::Running:
			/* Behind the FSP the driver knows WPR2 only if the registers show it. */
			if (boots_through_fsp(*spec_.chipset) && !gsp_.wpr2.size())
				return sysfs_emit(buf, "running, booted by the FSP\n");
			return sysfs_emit(buf, "running, wpr2 0x%llx-0x%llx\n",
					  static_cast<unsigned long long>(gsp_.wpr2.start),
					  static_cast<unsigned long long>(gsp_.wpr2.end));
		case GspBootState::Kind::Failed:
			return sysfs_emit(buf, "failed: %s (%s)\n", gsp::boot_step_name(gsp_.step),
					  gsp::errno_name(gsp_.error));
		case GspBootState::Kind::NotRun:
			break;
		}
		return sysfs_emit(buf, "not run: %s\n", gsp_.why);
	}

	/* GSP-RM's name of the GPU; "unavailable" unless the GSP runs. */
	long show_gpu_name(char *buf) const
	{
		if (gsp_.kind != GspBootState::Kind::Running || !gsp_.rm)
			return sysfs_emit(buf, "unavailable\n");
		return sysfs_emit(buf, "%s\n", gsp_.rm->name());
	}

	void show_vbios_images(debugfs::SeqFile &m) const
	{
		for (const VbiosImage &image : vbios_->images()) {
			m.print("offset 0x%zx type ", image.offset);
			if (const char *type = image_type_name(image.code_type))
				m.print("%s", type);
			else
				m.print("0x%02x", image.code_type);
			m.print(" length 0x%zx signature 0x%04x\n", image.length, image.signature);
		}
	}
	/* "unavailable", or "not needed: ..." for an empty FRTS region. */
	void show_fwsec_frts(debugfs::SeqFile &m) const { m.print("%s", boot_.fwsec_frts_text()); }
	void show_fb_layout(debugfs::SeqFile &m) const
	{
		if (const FbSizes *s = boot_.sizes.get()) {
			show_fb_sizes(m, *s);
			return;
		}
		const FbLayout *l = boot_.layout.get();
		if (!l) {
			m.print("unavailable\n");
			return;
		}
		const struct {
			const char *name;
			const FbRegion &r;
			bool firmware;
		} regions[] = {
			{ "fb", l->fb, false },	    { "vga_workspace", l->vga_workspace, false },
			{ "frts", l->frts, false }, { "boot", l->boot, true },
			{ "elf", l->elf, true },    { "wpr2_heap", l->wpr2_heap, true },
			{ "wpr2", l->wpr2, true },  { "heap", l->heap, true },
		};
		for (const auto &r : regions) {
			if (r.firmware && !l->has_firmware)
				m.print("%s unavailable\n", r.name);
			else
				m.print("%s 0x%llx 0x%llx 0x%llx\n", r.name,
					static_cast<unsigned long long>(r.r.start),
					static_cast<unsigned long long>(r.r.end),
					static_cast<unsigned long long>(r.r.size()));
		}
	}
	/*
	 * Hopper and Blackwell: the firmware chooses the offsets; the driver
	 * knows VRAM and the sizes it gives (Documentation/fb-layout.rst).
	 */
	static void show_fb_sizes(debugfs::SeqFile &m, const FbSizes &s)
	{
		const struct {
			const char *name;
			u64 size;
		} sizes[] = {
			{ "non_wpr_heap", s.non_wpr_heap },
			{ "wpr2_heap", s.wpr2_heap },
			{ "frts", s.frts },
			{ "vga_workspace", s.vga_workspace },
			{ "pmu_reserved", s.pmu_reserved },
		};
		m.print("fb 0x0 0x%llx 0x%llx\n", static_cast<unsigned long long>(s.fb),
			static_cast<unsigned long long>(s.fb));
		for (const auto &r : sizes)
			m.print("%s size 0x%llx\n", r.name,
				static_cast<unsigned long long>(r.size));
		m.print("frts_vidmem_offset 0x%llx\n",
			static_cast<unsigned long long>(s.frts_vidmem_offset()));
		m.print("offsets chosen by the firmware\n");
	}
	void show_wpr_meta(debugfs::SeqFile &m) const
	{
		if (!boot_.wpr_meta) {
			m.print("unavailable\n");
			return;
		}
		print_wpr_meta(m, *boot_.wpr_meta);
	}
	void show_firmware(debugfs::SeqFile &m) const
	{
		if (firmware_)
			firmware_->show(m);
		else
			fw::show_unavailable(m);
	}
	void show_gsp_radix3(debugfs::SeqFile &m) const
	{
		if (firmware_)
			firmware_->show_gsp_image(m);
		else
			fw::show_unavailable(m);
	}
	void show_bit_tokens(debugfs::SeqFile &m) const
	{
		for (const BitToken &token : vbios_->bit_tokens())
			m.print("id 0x%02x version %u length 0x%x pointer 0x%x\n", token.id,
				token.version, token.data_size, token.data_pointer);
	}

	/* Unbinding: the GSP is unloaded before its memory and the BAR go. */
	~NovaCore() { stop_gsp(pdev_, bar_, *spec_.chipset, firmware_.get(), gsp_); }

private:
	const GpuFacts &facts() const { return drm_.data(); }

	/*
	 * Destroyed in reverse order: nova-drm's device goes first, then the
	 * facts, then the debugfs files, before the VBIOS they show.
	 */
	const pci::Device &pdev_;
	pci::EnabledDevice enabled_;
	RegisterBar bar_;
	Spec spec_;
	KBox<Vbios> vbios_; /* empty: unavailable */
	KBox<fw::FirmwareSet> firmware_; /* empty: unavailable */
	BootPlan boot_;
	GspBootState gsp_;
	debugfs::Dir debugfs_;
	auxiliary::DataRegistration<GpuFacts> drm_;
};

/* sysfs files of a bound GPU: /sys/bus/pci/devices/<BDF>/nova/. */
constexpr Attribute NovaCore::ATTRIBUTES[8] = {
	attribute<&NovaCore::show_chipset>("chipset"),
	attribute<&NovaCore::show_architecture>("architecture"),
	attribute<&NovaCore::show_revision>("revision"),
	attribute<&NovaCore::show_vram_size>("vram_size"),
	attribute<&NovaCore::show_vbios_version>("vbios_version"),
	attribute<&NovaCore::show_fwsec>("fwsec"),
	attribute<&NovaCore::show_gsp>("gsp"),
	attribute<&NovaCore::show_gpu_name>("gpu_name"),
};

/*
 * The BAR through which the CPU sees VRAM: BAR1 normally, but BAR2 when
 * BAR0 is 64-bit (it then uses two BAR slots).
 */
int vram_bar(const pci::Device &pdev)
{
	return pdev.resource_is_mem64(0) ? 2 : 1;
}

/*
 * Reads identification register R twice. A GPU that does not answer,
 * answers with a priv error or answers differently is refused here, in
 * one line, before anything trusts what it said.
 */
template <typename R>
Result<R> read_id_register(const pci::Device &pdev, const RegisterBar &bar, const char *name)
{
	u32 first = R::read(bar).raw();
	u32 second = R::read(bar).raw();
	ReadFault fault = check_reads(first, second);

	switch (fault) {
	case ReadFault::None:
		return R(first);
	case ReadFault::NotResponding:
		dev_err(pdev, "not responding (%s reads 0xffffffff): fell off the bus?\n", name);
		break;
	case ReadFault::PrivError:
		dev_err(pdev, "priv error reading %s (%#010x)\n", name,
			is_priv_error(first) ? first : second);
		break;
	case ReadFault::Unstable:
		dev_err(pdev, "%s changed between two reads (%#010x, then %#010x)\n", name, first,
			second);
		break;
	}
	return to_result(fault).error();
}

/*
 * BOOT0 once more at the end of probe, before nova-drm's device exists:
 * a GPU that fell off the bus or changed while nova-core read it is
 * refused, and what probe built is dropped with it.
 */
Result<void> check_still_there(const pci::Device &pdev, const RegisterBar &bar, Boot0 boot0)
{
	u32 now = Boot0::read(bar).raw();
	ReadFault fault = check_reads(boot0.raw(), now);

	switch (fault) {
	case ReadFault::None:
		return ok();
	case ReadFault::NotResponding:
		dev_err(pdev,
			"not responding (BOOT0 reads 0xffffffff): fell off the bus during probe\n");
		break;
	case ReadFault::PrivError:
		dev_err(pdev, "priv error reading BOOT0 (%#010x) at the end of probe\n", now);
		break;
	case ReadFault::Unstable:
		dev_err(pdev, "BOOT0 changed during probe (%#010x, now %#010x)\n", boot0.raw(),
			now);
		break;
	}
	return to_result(fault);
}

/*
 * The VBIOS from the PROM window. Only an allocation failure fails the
 * probe; a ROM that is missing or malformed is reported and left out.
 */
Result<KBox<Vbios>> read_vbios(const pci::Device &pdev, const RegisterBar &bar)
{
	VbiosError why {};
	auto vbios = Vbios::read(PromWindow(bar), gfp::KERNEL, &why);
	if (!vbios) {
		if (vbios.error() == err::ENOMEM)
			return err::ENOMEM;
		dev_warn(pdev, "VBIOS unavailable: %s at %#zx: %s (%d)\n", why.structure,
			 why.offset, why.problem, why.error.to_errno());
		return KBox<Vbios>();
	}
	if (!vbios->fwsec()) {
		const VbiosError &f = vbios->fwsec_error();
		dev_warn(pdev, "FWSEC unavailable: %s at %#zx: %s (%d)\n", f.structure, f.offset,
			 f.problem, f.error.to_errno());
	}
	return KBox<Vbios>::create(gfp::KERNEL, vbios.take());
}

/*
 * The framebuffer layout and FWSEC-FRTS. Until the GSP firmware files are
 * loaded their sizes are unknown: the layout then has only the regions
 * that need none, and there is no WPR metadata. Only an allocation
 * failure fails the probe; what was already warned about (no VRAM size,
 * no FWSEC) is not warned about again. A chip that boots through FSP
 * (Hopper, Blackwell) has no such layout: the driver gives its firmware
 * sizes (FbSizes) and a WPR metadata of sizes, and prepares no FWSEC-FRTS.
 * GA100's FRTS region is empty: it needs no FWSEC-FRTS, and its
 * fwsec_frts says so.
 */
Result<BootPlan> plan_boot(const pci::Device &pdev, const RegisterBar &bar, const Chipset &chip,
			   const Vbios *vbios, const FbSize &fb, const fw::FirmwareSet *firmware)
{
	BootPlan plan;
	/* The boot and ELF regions are the firmware's: without it, unavailable. */
	GspLayoutSizes sizes {};
	const GspLayoutSizes *gsp = nullptr;
	if (firmware) {
		sizes = { firmware->sizes().bootloader, firmware->sizes().fw_image };
		gsp = &sizes;
	}

	/* Hopper and Blackwell: sizes only; the firmware places the regions. */
	if (boots_through_fsp(chip)) {
		auto sizes = FbSizes::compute(chip, fb.bytes);
		if (!sizes)
			return plan;
		plan.sizes = TRY(KBox<FbSizes>::create(gfp::KERNEL, *sizes));
		if (gsp)
			plan.wpr_meta = TRY(KBox<GspFwWprMeta>::create(
				gfp::KERNEL,
				make_wpr_meta_from_sizes(*sizes, *gsp, firmware->boot_image())));
		return plan;
	}

	auto layout = FbLayout::compute(chip, read_fb_inputs(bar, chip, fb.bytes), gsp);
	if (!layout) {
		if (fb.available() && layout.error() != err::EOPNOTSUPP)
			dev_warn(pdev, "framebuffer layout unavailable (%d)\n",
				 layout.error().to_errno());
		return plan;
	}
	plan.layout = TRY(KBox<FbLayout>::create(gfp::KERNEL, layout.take()));
	if (gsp)
		plan.wpr_meta = TRY(KBox<GspFwWprMeta>::create(
			gfp::KERNEL,
			TRY(make_wpr_meta(*plan.layout, *gsp, firmware->boot_image()))));

	/* An empty FRTS region (GA100) needs none: no warning, it is no failure. */
	VbiosError why {};
	auto frts = plan.prepare_fwsec_frts(vbios, RegisterReaderOf(bar), gfp::KERNEL, &why);
	if (!frts) {
		if (frts.error() == err::ENOMEM)
			return err::ENOMEM;
		dev_warn(pdev, "FWSEC-FRTS unavailable: %s at %#zx: %s (%d)\n", why.structure,
			 why.offset, why.problem, why.error.to_errno());
	}
	return plan;
}

/*
 * What GSP_SET_SYSTEM_INFO tells GSP-RM: BAR0, the VRAM aperture and the
 * instance aperture after it (BAR3 on a GPU whose BAR1 is 64-bit), the
 * PCI identity, and where @chip mirrors its PCI configuration in BAR0.
 */
gsp::SystemInfoInput system_info(const pci::Device &pdev, const Chipset &chip)
{
	const int fb = vram_bar(pdev);
	const int inst = fb + (pdev.resource_is_mem64(fb) ? 2 : 1);
	return gsp::SystemInfoInput {
		.bar0 = pdev.resource_start(0),
		.fb = pdev.resource_start(fb),
		.inst = pdev.resource_start(inst),
		.bus_devfn = pdev.bus_devfn(),
		.vendor = pdev.vendor(),
		.device = pdev.device_id(),
		.subsystem_vendor = pdev.subsystem_vendor(),
		.subsystem_device = pdev.subsystem_device(),
		.revision = pdev.revision(),
		.config_mirror = boots_through_fsp(chip) ? gsp::PCI_CONFIG_MIRROR_BASE_GH100
							 : gsp::PCI_CONFIG_MIRROR_BASE,
	};
}

/* The probe's line about the GSP boot: the firmware's version and the WPR2 size. */
void report_boot(const pci::Device &pdev, const fw::FirmwareSet *firmware, const BootPlan &plan)
{
	const char *version = firmware ? firmware->version() : "unavailable";
	const FbLayout *l = plan.layout.get();
	if (l && l->has_firmware)
		dev_info(pdev, "GSP firmware %s, WPR2 size 0x%llx (%llu MiB)\n", version,
			 static_cast<unsigned long long>(l->wpr2.size()),
			 static_cast<unsigned long long>(l->wpr2.size() >> 20));
	else
		dev_info(pdev, "GSP firmware %s, WPR2 size unavailable\n", version);
}

/*
 * Unloads what a GSP boot did and frees what the GSP was handed: GSP-RM
 * told first (UNLOADING_GUEST_DRIVER, once it said INIT_DONE; if it does
 * not answer, a warning and the engines are unloaded all the same), then
 * FWSEC-SB and booter_unload when WPR2 exists, or behind the FSP the wait
 * for the GSP's halt. If the unload fails, the GSP falcon is reset first
 * (not behind the FSP), so that its core no longer reads or writes that
 * memory; WPR2 then stays until the GPU is reset, and a later bind says
 * so. The debugfs files of GSP-RM go with it, before its memory.
 */
Result<void> take_down(const pci::Device &pdev, const RegisterBar &bar, const Chipset &chip,
		       const fw::FirmwareSet &firmware, GspBootState &state)
{
	if (state.rm && state.rm->initialized()) {
		auto hal = falcon::falcon_hal(chip);
		auto told = hal ? state.rm->unload_guest(bar, *hal) : Result<void>(hal.error());
		if (!told)
			dev_warn(pdev, "GSP-RM did not acknowledge the unload (%s); unloading on\n",
				 gsp::errno_name(told.error()));
	}
	auto r = gsp::unload(pdev, bar, chip, firmware, state.fwsec_sb, state.fwsec_desc);
	if (!r) {
		dev_warn(pdev,
			 "GSP unload failed (%s): the GPU needs a reset before it boots "
			 "a GSP again\n",
			 gsp::errno_name(r.error()));
		/* Behind the FSP the GSP falcon is not the driver's to reset. */
		auto hal = falcon::falcon_hal(chip);
		if (hal && !boots_through_fsp(chip))
			(void)falcon::Falcon<falcon::Gsp>(pdev, bar, *hal).reset();
	}
	state.rm = KBox<gsp::Rm>();
	return r;
}

/* Unbinding, or a probe that fails after the boot: a running GSP is unloaded. */
void stop_gsp(const pci::Device &pdev, const RegisterBar &bar, const Chipset &chip,
	      const fw::FirmwareSet *firmware, GspBootState &state)
{
	if (state.kind != GspBootState::Kind::Running || !firmware)
		return;
	if (take_down(pdev, bar, chip, *firmware, state))
		dev_info(pdev, "GSP unloaded\n");
	state.kind = GspBootState::Kind::NotRun;
	state.why = "unloaded";
}

/*
 * A GSP boot that failed at @step with @e: one warning naming the step,
 * the errno and, for a refused message, @detail; nova/gsp says it. Only
 * ENOMEM fails the probe.
 */
Result<GspBootState> boot_failed(const pci::Device &pdev, GspBootState state, gsp::BootStep step,
				 Error e, const char *detail)
{
	if (e == err::ENOMEM)
		return err::ENOMEM;
	if (detail)
		dev_warn(pdev, "GSP boot failed at %s: %s (%d): %s\n", gsp::boot_step_name(step),
			 gsp::errno_name(e), e.to_errno(), detail);
	else
		dev_warn(pdev, "GSP boot failed at %s: %s (%d)\n", gsp::boot_step_name(step),
			 gsp::errno_name(e), e.to_errno());
	state.kind = GspBootState::Kind::Failed;
	state.step = step;
	state.error = e;
	return state;
}

/*
 * GSP-RM over its queues, once its RISC-V core runs: up to INIT_DONE and
 * the GPU's name. Once GSP-RM runs from WPR2 the copies it was loaded
 * from go.
 */
Result<void> init_rm(const pci::Device &pdev, const RegisterBar &bar, const Chipset &chip,
		     fw::FirmwareSet &firmware, gsp::Rm &rm, gsp::BootStep *step,
		     const char **detail)
{
	const gsp::SystemInfoInput sys = system_info(pdev, chip);
	const fw::FileInfo *bootloader = firmware.find(fw::File::Bootloader);
	auto hal = falcon::falcon_hal(chip);
	if (!bootloader || !hal)
		return err::EINVAL;
	auto initialized =
		rm.init(bar, sys, *hal, bootloader->riscv.desc.app_version, step, detail);
	if (rm.initialized()) {
		const size_t freed = firmware.release_boot_copies();
		dev_dbg(pdev, "GSP image copies released (%zu KiB); what the unload needs kept\n",
			freed >> 10);
	}
	return initialized;
}

/* WPR2 as the GPU reports it now; empty when there is none. */
FbRegion read_wpr2(const RegisterBar &bar)
{
	const gsp::Wpr2AddrLo lo = gsp::Wpr2AddrLo::read(bar);
	const gsp::Wpr2AddrHi hi = gsp::Wpr2AddrHi::read(bar);
	return hi.exists() ? FbRegion { lo.addr(), hi.addr() } : FbRegion {};
}

/*
 * The GSP boot on Hopper and Blackwell (Documentation/falcon.rst, "The
 * FSP"): no FWSEC-FRTS, no Booter; the FSP checks fmc and starts GSP-FMC
 * on the GSP with the WPR metadata of sizes, GSP-FMC loads GSP-RM, whose
 * RISC-V core then runs; GSP-RM as on the other chips, without a CPU
 * sequencer. A failure in the FSP's steps has already awaited the GSP's
 * halt; one after them unloads the GSP as an unbind does.
 */
Result<GspBootState> boot_through_fsp(const pci::Device &pdev, const RegisterBar &bar,
				      const Chipset &chip, fw::FirmwareSet &firmware,
				      const BootPlan &plan)
{
	GspBootState state;
	if (!plan.sizes || !plan.wpr_meta) {
		state.why = "no VRAM size";
		return state;
	}

	const time::Instant start = time::Instant::now();
	gsp::BootStep step = gsp::BootStep::GspMemory;
	const char *detail = nullptr;
	bool gsp_runs = false;
	auto failed = [&](Error e) -> Result<GspBootState> {
		if (gsp_runs)
			(void)take_down(pdev, bar, chip, firmware, state);
		state.rm = KBox<gsp::Rm>();
		return boot_failed(pdev, ktl::move(state), step, e, detail);
	};

	auto booted = [&]() -> Result<void> {
		auto libos = TRY(gsp::LibosMemory::create(pdev));
		state.rm = TRY(KBox<gsp::Rm>::create(gfp::KERNEL, pdev, ktl::move(libos)));
		auto meta = TRY(dma::CoherentObject<GspFwWprMeta>::create(pdev, *plan.wpr_meta));
		bool cot_sent = false;
		return gsp::run_fsp(pdev, bar, chip, firmware, *plan.sizes, state.rm->memory(),
				    meta.handle(), &step, &detail, &cot_sent);
	}();
	if (!booted)
		return failed(booted.error());
	gsp_runs = true;
	const time::Instant rm_start = time::Instant::now();

	if (auto r = init_rm(pdev, bar, chip, firmware, *state.rm, &step, &detail); !r)
		return failed(r.error());
	const time::Instant done = time::Instant::now();

	state.kind = GspBootState::Kind::Running;
	state.wpr2 = read_wpr2(bar);
	if (state.wpr2.size())
		dev_info(pdev,
			 "GSP started in %lld ms (FSP %lld ms, GSP-RM init %lld ms), WPR2 "
			 "0x%llx-0x%llx\n",
			 static_cast<long long>((done - start).as_ms()),
			 static_cast<long long>((rm_start - start).as_ms()),
			 static_cast<long long>((done - rm_start).as_ms()),
			 static_cast<unsigned long long>(state.wpr2.start),
			 static_cast<unsigned long long>(state.wpr2.end));
	else
		dev_info(pdev, "GSP started in %lld ms (FSP %lld ms, GSP-RM init %lld ms)\n",
			 static_cast<long long>((done - start).as_ms()),
			 static_cast<long long>((rm_start - start).as_ms()),
			 static_cast<long long>((done - rm_start).as_ms()));
	dev_info(pdev, "GPU name: %s\n", state.rm->name());
	return state;
}

/*
 * The GSP boot (Documentation/falcon.rst). On Hopper and Blackwell through
 * the FSP (boot_through_fsp). On Turing to Ada when FWSEC-FRTS was
 * prepared (none is needed on GA100): FWSEC-FRTS, then Booter and the
 * GSP's RISC-V core, then GSP-RM. Only ENOMEM fails the probe; any other
 * failure is one warning naming the step and the errno, the GPU still
 * binds, and a failure after FWSEC-FRTS unloads what it did
 * (booter_unload) so that WPR2 is gone.
 */
Result<GspBootState> run_gsp_boot(const pci::Device &pdev, const RegisterBar &bar,
				  const Chipset &chip, const Vbios *vbios,
				  fw::FirmwareSet *firmware, const BootPlan &plan)
{
	GspBootState state;
	/*
	 * WPR2 is carved for what Booter then puts there: without the GSP
	 * firmware files there is nothing to boot, and FWSEC-FRTS would only
	 * lock the region until the GPU is reset.
	 */
	if (!firmware) {
		state.why = "no GSP firmware";
		return state;
	}
	if (!falcon::falcon_hal(chip)) {
		state.why = "not yet supported on this family";
		return state;
	}
	if (boots_through_fsp(chip))
		return boot_through_fsp(pdev, bar, chip, *firmware, plan);
	if (!plan.layout || !plan.wpr_meta) {
		state.why = "no framebuffer layout";
		return state;
	}
	/* GA100's FRTS region is empty: Booter alone. */
	const Fwsec *fwsec = vbios ? vbios->fwsec() : nullptr;
	const bool frts = !plan.fwsec_frts_not_needed;
	if (frts && (!plan.fwsec_frts || !fwsec)) {
		state.why = "no FWSEC-FRTS prepared";
		return state;
	}
	if (fwsec) {
		state.fwsec_sb = plan.fwsec_sb.get();
		state.fwsec_desc = &fwsec->desc;
	}

	const time::Instant start = time::Instant::now();
	gsp::BootStep step = gsp::BootStep::Plan;
	const char *detail = nullptr; /* the check a refused GSP message failed */
	/*
	 * A failure takes down what the boot did (booter_unload, when WPR2
	 * exists), but not a WPR2 it found at the start: that is not its own.
	 */
	auto failed = [&](Error e) -> Result<GspBootState> {
		if (step != gsp::BootStep::Wpr2Exists)
			(void)take_down(pdev, bar, chip, *firmware, state);
		return boot_failed(pdev, ktl::move(state), step, e, detail);
	};

	if (frts) {
		auto wpr2 = gsp::run_fwsec_frts(pdev, bar, chip, *firmware, *plan.fwsec_frts,
						fwsec->desc, *plan.layout, &step);
		if (!wpr2)
			return failed(wpr2.error());
		dev_dbg(pdev, "FWSEC-FRTS: WPR2 0x%llx-0x%llx\n",
			static_cast<unsigned long long>(wpr2->start),
			static_cast<unsigned long long>(wpr2->end));
	} else if (gsp::Wpr2AddrHi::read(bar).exists()) {
		/* What FWSEC-FRTS refuses, Booter alone must too. */
		step = gsp::BootStep::Wpr2Exists;
		dev_err(pdev, "WPR2 already exists: the GPU needs a reset first\n");
		return failed(err::EBUSY);
	}
	const time::Instant booter_start = time::Instant::now();

	auto booted = [&]() -> Result<void> {
		step = gsp::BootStep::GspMemory;
		auto libos = TRY(gsp::LibosMemory::create(pdev));
		state.rm = TRY(KBox<gsp::Rm>::create(gfp::KERNEL, pdev, ktl::move(libos)));
		auto meta = TRY(dma::CoherentObject<GspFwWprMeta>::create(pdev, *plan.wpr_meta));
		return gsp::run_booter(pdev, bar, chip, *firmware, state.rm->memory(),
				       meta.handle(), &step);
	}();
	if (!booted)
		return failed(booted.error());
	const time::Instant rm_start = time::Instant::now();

	if (auto r = init_rm(pdev, bar, chip, *firmware, *state.rm, &step, &detail); !r)
		return failed(r.error());
	const time::Instant done = time::Instant::now();

	/* WPR2 as the GPU reports it now: FWSEC-FRTS's, or Booter's on GA100. */
	state.kind = GspBootState::Kind::Running;
	state.wpr2 = read_wpr2(bar);
	dev_info(pdev,
		 "GSP started in %lld ms (FWSEC-FRTS %lld ms, Booter %lld ms, GSP-RM init %lld "
		 "ms), WPR2 0x%llx-0x%llx\n",
		 static_cast<long long>((done - start).as_ms()),
		 static_cast<long long>((booter_start - start).as_ms()),
		 static_cast<long long>((rm_start - booter_start).as_ms()),
		 static_cast<long long>((done - rm_start).as_ms()),
		 static_cast<unsigned long long>(state.wpr2.start),
		 static_cast<unsigned long long>(state.wpr2.end));
	dev_info(pdev, "GPU name: %s\n", state.rm->name());
	return state;
}

/* The probe's line about the VBIOS and memory, after the chip line. */
void report(const pci::Device &pdev, const Vbios *vbios, const FbSize &fb)
{
	char version[VbiosVersion::STR_SIZE];
	unsigned long long mib = fb.bytes >> 20;

	if (!fb.available())
		dev_warn(pdev, "VRAM size unavailable (%s reads %#010x)\n", fb.register_name(),
			 fb.raw);
	if (vbios)
		vbios->version().format(version);
	if (vbios && fb.available())
		dev_info(pdev, "VBIOS %s, VRAM %llu MiB\n", version, mib);
	else if (vbios)
		dev_info(pdev, "VBIOS %s\n", version);
	else if (fb.available())
		dev_info(pdev, "VRAM %llu MiB\n", mib);
}

Result<KBox<NovaCore>> NovaCore::probe(pci::Device &pdev, const pci::DeviceId &)
{
	auto enabled = TRY(pci::EnabledDevice::enable_mem(pdev));
	/* The falcons and Booter read system memory: bus mastering, as upstream. */
	pdev.set_master();
	auto bar = TRY(RegisterBar::map(pdev, 0, "nova-core/bar0"));

	Boot0 boot0 = TRY(read_id_register<Boot0>(pdev, bar, "BOOT0"));
	Boot42 boot42 = TRY(read_id_register<Boot42>(pdev, bar, "BOOT42"));
	auto spec = identify(boot0, boot42);
	if (!spec) {
		dev_err(pdev, "unsupported GPU (BOOT0 %#010x, BOOT42 %#010x)\n", boot0.raw(),
			boot42.raw());
		return spec.error();
	}
	dev_info(pdev, "NVIDIA (Chipset: %s, Architecture: %s, Revision: %x.%x)\n",
		 spec->chipset_name(), spec->architecture_name(), spec->revision.major,
		 spec->revision.minor);

	if (!wait_gfw_boot(bar))
		dev_warn(pdev, "GPU firmware boot not complete after %lld ms; reading on\n",
			 static_cast<long long>(GFW_BOOT_TIMEOUT.as_ms()));
	auto vbios = TRY(read_vbios(pdev, bar));
	FbSize fb = read_fb_size(bar, *spec->chipset);
	report(pdev, vbios.get(), fb);
	auto firmware = TRY(fw::FirmwareSet::load(pdev, *spec->chipset, bar));
	auto boot = TRY(plan_boot(pdev, bar, *spec->chipset, vbios.get(), fb, firmware.get()));
	report_boot(pdev, firmware.get(), boot);
	GspBootState gsp =
		TRY(run_gsp_boot(pdev, bar, *spec->chipset, vbios.get(), firmware.get(), boot));
	/* A failure from here on unloads the GSP it started. */
	auto stop = [&](Error e) {
		stop_gsp(pdev, bar, *spec->chipset, firmware.get(), gsp);
		return e;
	};

	if (auto r = check_still_there(pdev, bar, boot0); !r)
		return stop(r.error());
	int aperture = vram_bar(pdev);
	GpuFacts facts {
		.chipset = spec->chipset->id,
		.vram_bar = aperture,
		.vram_bar_size = pdev.resource_len(aperture),
		.vram_size = fb.bytes,
	};
	auto drm = auxiliary::DataRegistration<GpuFacts>::create(pdev.as_device(), KBUILD_MODNAME,
								 "nova-drm", facts);
	if (!drm)
		return stop(drm.error());
	const Chipset &chip = *spec->chipset;
	auto core = KBox<NovaCore>::create(gfp::KERNEL, pdev, ktl::move(enabled), ktl::move(bar),
					   spec.take(), ktl::move(vbios), ktl::move(firmware),
					   ktl::move(boot), ktl::move(gsp), drm.take());
	/* A failed allocation constructs nothing: the GSP and the BAR are still here. */
	if (!core) {
		stop_gsp(pdev, bar, chip, firmware.get(), gsp);
		return core.error();
	}
	return core;
}

class Module {
public:
	static Result<KBox<Module>> init()
	{
		/* Before the driver: a GPU may probe during registration. */
		auto debugfs = debugfs::Dir::create_module_root(KBUILD_MODNAME);
		auto reg = TRY(pci::DriverRegistration<NovaCore>::register_driver(this_module(),
										  KBUILD_MODNAME));
		return KBox<Module>::create(gfp::KERNEL, ktl::move(debugfs), ktl::move(reg));
	}

	Module(debugfs::Dir debugfs, pci::DriverRegistration<NovaCore> reg)
		: debugfs_(ktl::move(debugfs)), reg_(ktl::move(reg))
	{}

private:
	/* nova_core/ in debugfs; the GPUs' directories are made in it. */
	debugfs::Dir debugfs_;
	pci::DriverRegistration<NovaCore> reg_;
};

} // namespace

} // namespace nova::core

PCI_DEVICE_TABLE(nova::core::NovaCore, nova_core_ids);
KERNEL_MODULE(nova::core::Module);
KERNEL_MODULE_LICENSE("GPL");
KERNEL_MODULE_DESCRIPTION("Nova core driver for NVIDIA GPUs (C++)");
KERNEL_MODULE_AUTHOR("The nova-cxx authors");
