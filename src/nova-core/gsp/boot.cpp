// SPDX-License-Identifier: GPL-2.0
/*
 * FWSEC-FRTS on the GSP falcon, Booter on SEC2 and the FSP's chain of
 * trust (boot.h), in upstream nova-core's order (gsp/boot.rs,
 * gsp/hal/{tu102,gh100}.rs).
 */
#include <kernel/dma.h>
#include <kernel/print.h>

#include "firmware/gen_bootloader.h"
#include "fsp/fsp.h"
#include "gsp/boot.h"

using namespace kernel;

namespace nova::core::gsp {

using falcon::Falcon;
using falcon::Gsp;

const char *boot_step_name(BootStep step)
{
	switch (step) {
	case BootStep::Wpr2Exists:
		return "WPR2 already exists";
	case BootStep::Plan:
		return "load plan";
	case BootStep::DmaBuffer:
		return "DMA buffer";
	case BootStep::Reset:
		return "falcon reset";
	case BootStep::Load:
		return "falcon load";
	case BootStep::Boot:
		return "falcon boot";
	case BootStep::Mailbox0:
		return "MAILBOX0";
	case BootStep::FrtsError:
		return "FRTS error code";
	case BootStep::Wpr2Missing:
		return "WPR2 not created";
	case BootStep::Wpr2Start:
		return "WPR2 start";
	case BootStep::GspMemory:
		return "GSP memory";
	case BootStep::GspReset:
		return "GSP falcon reset";
	case BootStep::LibosHandoff:
		return "LIBOS hand-off";
	case BootStep::BooterPlan:
		return "Booter plan";
	case BootStep::Sec2Reset:
		return "SEC2 reset";
	case BootStep::BooterLoad:
		return "Booter load";
	case BootStep::BooterBoot:
		return "Booter boot";
	case BootStep::BooterMailbox0:
		return "Booter MAILBOX0";
	case BootStep::RiscvActive:
		return "RISC-V active";
	case BootStep::SystemInfo:
		return "set system info";
	case BootStep::Registry:
		return "set registry";
	case BootStep::Sequencer:
		return "CPU sequencer";
	case BootStep::InitDone:
		return "GSP-RM init";
	case BootStep::FspSecureBoot:
		return "FSP secure boot";
	case BootStep::GspRunning:
		return "GSP already running";
	case BootStep::FspChainOfTrust:
		return "FSP chain of trust";
	case BootStep::LockdownRelease:
		return "GSP lockdown release";
	case BootStep::StaticInfo:
		break;
	}
	return "static info";
}

const char *errno_name(Error e)
{
	const struct {
		Error e;
		const char *name;
	} names[] = {
		{ err::EBUSY, "EBUSY" },	 { err::EIO, "EIO" },
		{ err::ETIMEDOUT, "ETIMEDOUT" }, { err::EOPNOTSUPP, "EOPNOTSUPP" },
		{ err::EINVAL, "EINVAL" },	 { err::ERANGE, "ERANGE" },
		{ err::EOVERFLOW, "EOVERFLOW" }, { err::ENOMEM, "ENOMEM" },
		{ err::ENODEV, "ENODEV" },	 { err::ENOENT, "ENOENT" },
		{ err::EPROTO, "EPROTO" },	 { err::EMSGSIZE, "EMSGSIZE" },
		{ err::EAGAIN, "EAGAIN" },
	};
	for (const auto &n : names)
		if (n.e == e)
			return n.name;
	return "error";
}

namespace {

constexpr size_t DMA_PAGE = 4096;

/*
 * @file (booter_load or booter_unload) reset, loaded and booted on SEC2
 * with @mbox0/1; the step reached in @step.
 */
Result<falcon::Mailboxes> run_on_sec2(const pci::Device &pdev, const falcon::Bar0 &bar,
				      falcon::FalconHal hal, const fw::FirmwareSet &firmware,
				      fw::File file, u32 mbox0, u32 mbox1, BootStep &step)
{
	step = BootStep::BooterPlan;
	const fw::FileInfo *info = firmware.find(file);
	const dma::Coherent *ucode = firmware.hs_ucode(file);
	if (!info || !ucode)
		return err::EINVAL;
	auto brom = TRY(falcon::BromPlan<falcon::Sec2>::hs(hal, info->hs));
	auto plan = TRY(falcon::LoadPlan<falcon::Sec2>::make(
		hal, falcon::hs_firmware_load(hal, info->hs, ucode->size()), ucode->handle()));
	falcon::Falcon<falcon::Sec2> sec2(pdev, bar, hal);
	step = BootStep::Sec2Reset;
	TRY(sec2.reset());
	step = BootStep::BooterLoad;
	TRY(sec2.load(plan, brom, ucode->bytes()));
	step = BootStep::BooterBoot;
	return sec2.boot(mbox0, mbox1);
}

/*
 * gen_bootloader, which loads FWSEC from @fwsec_dma by @load, on the GSP
 * falcon by PIO (TU102 HAL): its code and descriptor in one image, FBIF
 * context 4 opened to system memory for its DMA. EINVAL without the file.
 */
Result<void> load_with_gen_bootloader(const Falcon<Gsp> &gsp, const fw::FirmwareSet &firmware,
				      const falcon::FirmwareLoad &load, u64 fwsec_dma,
				      const falcon::BromPlan<Gsp> &brom, BootStep &step)
{
	step = BootStep::Plan;
	const ByteView code = firmware.gen_bootloader_code();
	if (!code.len())
		return err::EINVAL;
	const fw::BootloaderDmemDescV2 desc = TRY(fw::bootloader_dmem_desc(load, fwsec_dma));
	auto bl = TRY(fw::gen_bootloader_load(static_cast<u32>(code.len()),
					      firmware.gen_bootloader_start_tag()));
	auto plan = TRY(falcon::LoadPlan<Gsp>::make(gsp.hal(), bl, 0));

	step = BootStep::DmaBuffer;
	KVec<u8> image;
	TRY(image.resize(bl.image_len, gfp::KERNEL));
	TRY(code.copy_to(0, image.begin(), code.len()));
	TRY(ByteView(reinterpret_cast<const u8 *>(&desc), sizeof(desc))
		    .copy_to(0, image.begin() + code.len(), sizeof(desc)));

	step = BootStep::Reset;
	TRY(gsp.reset());
	step = BootStep::Load;
	TRY(gsp.load(plan, brom, ByteView(image)));
	gsp.sysmem_context<fw::GEN_BOOTLOADER_CTX_DMA>();
	return ok();
}

/*
 * FWSEC (@fwsec: patched for a command) on the GSP falcon: its image in a
 * DMA buffer of whole pages, loaded by DMA (GA102 HAL) or through
 * gen_bootloader (TU102 HAL); its mailboxes after it halted. The step
 * reached in @step; the buffers are freed before it returns.
 */
Result<falcon::Mailboxes> run_fwsec(const pci::Device &pdev, const falcon::Bar0 &bar,
				    const Chipset &chipset, const fw::FirmwareSet &firmware,
				    const FwsecFrts &fwsec, const FalconUcodeDesc &desc,
				    BootStep &step)
{
	step = BootStep::Plan;
	auto hal = TRY(falcon::falcon_hal(chipset));
	auto brom = TRY(falcon::BromPlan<Gsp>::fwsec(hal, desc));

	/* The image with its patched DMEM, in zeroed memory up to whole pages, as upstream. */
	step = BootStep::DmaBuffer;
	const ByteView image = fwsec.image();
	const size_t len = (image.len() + DMA_PAGE - 1) & ~(DMA_PAGE - 1);
	auto buffer = TRY(dma::Coherent::alloc(pdev, len));
	TRY(buffer.write(0, image));

	step = BootStep::Plan;
	const falcon::FirmwareLoad load = TRY(fw::fwsec_load(desc, len));
	Falcon<Gsp> gsp(pdev, bar, hal);
	if (falcon::load_method(hal) == falcon::LoadMethod::Pio) {
		TRY(load_with_gen_bootloader(gsp, firmware, load, buffer.handle(), brom, step));
	} else {
		auto plan = TRY(falcon::LoadPlan<Gsp>::make(hal, load, buffer.handle()));
		step = BootStep::Reset;
		TRY(gsp.reset());
		step = BootStep::Load;
		TRY(gsp.load(plan, brom, buffer.bytes()));
	}
	step = BootStep::Boot;
	return gsp.boot(0);
}

constexpr u32 lo32(u64 v)
{
	return static_cast<u32>(v);
}

constexpr u32 hi32(u64 v)
{
	return static_cast<u32>(v >> 32);
}

/* What booter_unload's mailboxes carry: no WPR metadata. */
constexpr u32 BOOTER_UNLOAD_MAILBOX = 0xff;

} // namespace

Result<FbRegion> run_fwsec_frts(const pci::Device &pdev, const falcon::Bar0 &bar,
				const Chipset &chipset, const fw::FirmwareSet &firmware,
				const FwsecFrts &frts, const FalconUcodeDesc &desc,
				const FbLayout &layout, BootStep *failed)
{
	BootStep dummy;
	BootStep &step = failed ? *failed : dummy;

	step = BootStep::Wpr2Exists;
	Wpr2AddrHi hi = Wpr2AddrHi::read(bar);
	if (hi.exists()) {
		dev_err(pdev,
			"FWSEC-FRTS: WPR2 already exists (WPR2_ADDR_HI %#010x): "
			"the GPU needs a reset first\n",
			hi.raw());
		return err::EBUSY;
	}
	if (!fwsec_frts_needed(layout.frts))
		return FbRegion {};

	falcon::Mailboxes mbox = TRY(run_fwsec(pdev, bar, chipset, firmware, frts, desc, step));
	step = BootStep::Mailbox0;
	if (mbox.mbox0 != 0) {
		dev_err(pdev, "FWSEC-FRTS: failed, MAILBOX0 %#010x\n", mbox.mbox0);
		return err::EIO;
	}
	step = BootStep::FrtsError;
	u32 code = FrtsScratch::read(bar).frts_err_code();
	if (code != 0) {
		dev_err(pdev, "FWSEC-FRTS: error code %#06x in SW_SCRATCH(0xe)\n", code);
		return err::EIO;
	}
	step = BootStep::Wpr2Missing;
	Wpr2AddrLo lo = Wpr2AddrLo::read(bar);
	hi = Wpr2AddrHi::read(bar);
	if (!hi.exists()) {
		dev_err(pdev, "FWSEC-FRTS: WPR2 not created (WPR2_ADDR_HI %#010x)\n", hi.raw());
		return err::EIO;
	}
	step = BootStep::Wpr2Start;
	if (lo.addr() != layout.frts.start) {
		dev_err(pdev, "FWSEC-FRTS: WPR2 starts at %#llx, not at the FRTS region's %#llx\n",
			static_cast<unsigned long long>(lo.addr()),
			static_cast<unsigned long long>(layout.frts.start));
		return err::EIO;
	}
	return FbRegion { lo.addr(), hi.addr() };
}

Result<void> run_booter(const pci::Device &pdev, const falcon::Bar0 &bar, const Chipset &chipset,
			const fw::FirmwareSet &firmware, const LibosMemory &libos, u64 wpr_meta,
			BootStep *failed)
{
	BootStep dummy;
	BootStep &step = failed ? *failed : dummy;

	step = BootStep::BooterPlan;
	auto hal = TRY(falcon::falcon_hal(chipset));
	const fw::FileInfo *bootloader = firmware.find(fw::File::Bootloader);
	if (!bootloader)
		return err::EINVAL;

	/* The GSP falcon, reset to its falcon core, halts with the LIBOS page's address. */
	Falcon<Gsp> gsp(pdev, bar, hal);
	step = BootStep::GspReset;
	TRY(gsp.reset());
	step = BootStep::LibosHandoff;
	falcon::Mailboxes m = TRY(gsp.boot(lo32(libos.handle()), hi32(libos.handle())));
	dev_dbg(pdev, "GSP falcon: MAILBOX0 %#010x MAILBOX1 %#010x after the LIBOS hand-off\n",
		m.mbox0, m.mbox1);

	/* Booter loads GSP-RM into WPR2 by the WPR metadata, and starts its RISC-V core. */
	m = TRY(run_on_sec2(pdev, bar, hal, firmware, fw::File::BooterLoad, lo32(wpr_meta),
			    hi32(wpr_meta), step));
	step = BootStep::BooterMailbox0;
	if (m.mbox0 != 0) {
		dev_err(pdev, "Booter: failed, MAILBOX0 %#010x MAILBOX1 %#010x\n", m.mbox0,
			m.mbox1);
		return err::ENODEV;
	}

	step = BootStep::RiscvActive;
	gsp.set_os(bootloader->riscv.desc.app_version);
	return gsp.wait_riscv_active();
}

Result<void> run_fsp(const pci::Device &pdev, const falcon::Bar0 &bar, const Chipset &chipset,
		     const fw::FirmwareSet &firmware, const FbSizes &sizes,
		     const LibosMemory &libos, u64 wpr_meta, BootStep *failed, const char **detail,
		     bool *cot_sent)
{
	BootStep dummy;
	BootStep &step = failed ? *failed : dummy;
	*cot_sent = false;

	step = BootStep::FspSecureBoot;
	TRY(fsp::wait_secure_boot(pdev, bar, chipset));

	/* What FWSEC's WPR2 check is to the other chips: not the driver's GSP. */
	step = BootStep::GspRunning;
	if (fsp::gsp_already_running(falcon::Hwcfg2<Gsp>::read(bar).raw(),
				     falcon::RiscvCpuctl<Gsp>::read(bar).raw())) {
		dev_err(pdev, "GSP already running: the GPU needs a reset first\n");
		return err::EBUSY;
	}

	step = BootStep::GspMemory;
	auto params = TRY(dma::CoherentObject<fsp::GspFmcBootParams>::create(
		pdev, fsp::fmc_boot_params(wpr_meta, libos.handle())));

	step = BootStep::FspChainOfTrust;
	const fw::FileInfo *bootloader = firmware.find(fw::File::Bootloader);
	const dma::Coherent *fmc = firmware.fmc_image();
	auto hal = TRY(falcon::falcon_hal(chipset));
	if (!bootloader || !fmc)
		return err::EINVAL;
	const fsp::CotInput in {
		.version = TRY(fsp::cot_version(chipset)),
		.fmc_image = fmc->handle(),
		.frts_vidmem_offset = sizes.frts_vidmem_offset(),
		.frts_vidmem_size = static_cast<u32>(sizes.frts),
		.hash = firmware.fmc_hash(),
		.public_key = firmware.fmc_public_key(),
		.signature = firmware.fmc_signature(),
		.boot_params = params.handle(),
	};
	auto cot = TRY(KBox<fsp::CotMessage>::create(gfp::KERNEL));
	if (auto r = fsp::build_cot(in, cot.get()); !r) {
		dev_err(pdev, "FSP: fmc's hash, public key or signature does not fit the COT\n");
		return r.error();
	}

	/* From here GSP-FMC may read the parameters: it halts before they go. */
	*cot_sent = true;
	auto started = [&]() -> Result<void> {
		fsp::ReplyError why = fsp::ReplyError::None;
		auto r = fsp::chain_of_trust(pdev, bar, *cot, &why);
		if (!r) {
			if (why != fsp::ReplyError::None && detail)
				*detail = fsp::reply_error_name(why);
			return r.error();
		}
		step = BootStep::LockdownRelease;
		TRY(fsp::wait_lockdown_release(pdev, bar, params.handle()));

		step = BootStep::RiscvActive;
		falcon::Falcon<falcon::Gsp> gsp(pdev, bar, hal);
		gsp.set_os(bootloader->riscv.desc.app_version);
		return gsp.wait_riscv_active();
	}();
	if (!started)
		(void)fsp::wait_gsp_halted(pdev, bar);
	return started;
}

Result<void> unload(const pci::Device &pdev, const falcon::Bar0 &bar, const Chipset &chipset,
		    const fw::FirmwareSet &firmware, const FwsecFrts *sb,
		    const FalconUcodeDesc *desc)
{
	if (boots_through_fsp(chipset))
		return fsp::wait_gsp_halted(pdev, bar);
	if (!Wpr2AddrHi::read(bar).exists())
		return ok();
	BootStep step;
	if (sb && desc) {
		auto m = run_fwsec(pdev, bar, chipset, firmware, *sb, *desc, step);
		if (!m)
			dev_warn(pdev, "FWSEC-SB: %s failed: %s; unloading on\n",
				 boot_step_name(step), errno_name(m.error()));
		else if (m->mbox0 != 0)
			dev_warn(pdev, "FWSEC-SB: MAILBOX0 %#010x; unloading on\n", m->mbox0);
	}
	auto hal = TRY(falcon::falcon_hal(chipset));
	auto m = run_on_sec2(pdev, bar, hal, firmware, fw::File::BooterUnload,
			     BOOTER_UNLOAD_MAILBOX, BOOTER_UNLOAD_MAILBOX, step);
	if (!m) {
		dev_err(pdev, "booter_unload: %s failed: %s\n", boot_step_name(step),
			errno_name(m.error()));
		return m.error();
	}
	if (m->mbox0 != 0) {
		dev_err(pdev, "booter_unload: failed, MAILBOX0 %#010x\n", m->mbox0);
		return err::EINVAL;
	}
	Wpr2AddrHi hi = Wpr2AddrHi::read(bar);
	if (hi.exists()) {
		dev_err(pdev, "booter_unload: WPR2 still there (WPR2_ADDR_HI %#010x)\n", hi.raw());
		return err::EBUSY;
	}
	return ok();
}

} // namespace nova::core::gsp
