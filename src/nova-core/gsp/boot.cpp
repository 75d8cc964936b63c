// SPDX-License-Identifier: GPL-2.0
/*
 * FWSEC-FRTS on the GSP falcon (boot.h), in upstream nova-core's order
 * (gsp/boot.rs, run_fwsec_frts).
 */
#include <kernel/dma.h>
#include <kernel/print.h>

#include "gsp/boot.h"

using namespace kernel;

namespace nova::core::gsp {

using falcon::Falcon;
using falcon::Gsp;

const char *fwsec_step_name(FwsecStep step)
{
	switch (step) {
	case FwsecStep::Wpr2Exists:
		return "WPR2 already exists";
	case FwsecStep::Plan:
		return "load plan";
	case FwsecStep::DmaBuffer:
		return "DMA buffer";
	case FwsecStep::Reset:
		return "falcon reset";
	case FwsecStep::Load:
		return "falcon load";
	case FwsecStep::Boot:
		return "falcon boot";
	case FwsecStep::Mailbox0:
		return "MAILBOX0";
	case FwsecStep::FrtsError:
		return "FRTS error code";
	case FwsecStep::Wpr2Missing:
		return "WPR2 not created";
	case FwsecStep::Wpr2Start:
		break;
	}
	return "WPR2 start";
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
	};
	for (const auto &n : names)
		if (n.e == e)
			return n.name;
	return "error";
}

namespace {

constexpr size_t DMA_PAGE = 4096;

/*
 * FWSEC's load (upstream's FalconLoadParams of a V3 descriptor): the
 * image's IMEM part (bytes 0 to imem_load_size) to secure IMEM at
 * imem_phys_base, its DMEM part (from imem_load_size) to DMEM at
 * dmem_phys_base, booting at 0. @image_len is the DMA buffer's length.
 */
falcon::FirmwareLoad fwsec_load(const FalconUcodeDescV3 &d, size_t image_len)
{
	return falcon::FirmwareLoad {
		.image_len = image_len,
		.imem_sec = { 0, d.imem_phys_base, d.imem_load_size },
		.imem_ns = { 0, 0, 0 },
		.dmem = { d.imem_load_size, d.dmem_phys_base, d.dmem_load_size },
		.boot_addr = 0,
	};
}

} // namespace

Result<FbRegion> run_fwsec_frts(const pci::Device &pdev, const falcon::Bar0 &bar,
				const Chipset &chipset, const FwsecFrts &frts,
				const FalconUcodeDesc &desc, const FbLayout &layout,
				FwsecStep *failed)
{
	FwsecStep dummy;
	FwsecStep &step = failed ? *failed : dummy;

	step = FwsecStep::Wpr2Exists;
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

	step = FwsecStep::Plan;
	auto hal = TRY(falcon::falcon_hal(chipset));
	const FalconUcodeDescV3 *v3 = desc.v3();
	if (falcon::load_method(hal) != falcon::LoadMethod::Dma || !v3)
		return err::EOPNOTSUPP;
	auto brom = TRY(falcon::BromPlan<Gsp>::fwsec(hal, desc));

	/* The image with its patched DMEM, in zeroed memory up to whole pages, as upstream. */
	step = FwsecStep::DmaBuffer;
	const ByteView image = frts.image();
	const size_t len = (image.len() + DMA_PAGE - 1) & ~(DMA_PAGE - 1);
	auto buffer = TRY(dma::Coherent::alloc(pdev, len));
	TRY(buffer.write(0, image));

	step = FwsecStep::Plan;
	auto plan = TRY(falcon::LoadPlan<Gsp>::make(hal, fwsec_load(*v3, len), buffer.handle()));

	Falcon<Gsp> gsp(pdev, bar, hal);
	step = FwsecStep::Reset;
	TRY(gsp.reset());
	step = FwsecStep::Load;
	TRY(gsp.load(plan, brom));
	step = FwsecStep::Boot;
	falcon::Mailboxes mbox = TRY(gsp.boot(0));

	step = FwsecStep::Mailbox0;
	if (mbox.mbox0 != 0) {
		dev_err(pdev, "FWSEC-FRTS: failed, MAILBOX0 %#010x\n", mbox.mbox0);
		return err::EIO;
	}
	step = FwsecStep::FrtsError;
	u32 code = FrtsScratch::read(bar).frts_err_code();
	if (code != 0) {
		dev_err(pdev, "FWSEC-FRTS: error code %#06x in SW_SCRATCH(0xe)\n", code);
		return err::EIO;
	}
	step = FwsecStep::Wpr2Missing;
	Wpr2AddrLo lo = Wpr2AddrLo::read(bar);
	hi = Wpr2AddrHi::read(bar);
	if (!hi.exists()) {
		dev_err(pdev, "FWSEC-FRTS: WPR2 not created (WPR2_ADDR_HI %#010x)\n", hi.raw());
		return err::EIO;
	}
	step = FwsecStep::Wpr2Start;
	if (lo.addr() != layout.frts.start) {
		dev_err(pdev, "FWSEC-FRTS: WPR2 starts at %#llx, not at the FRTS region's %#llx\n",
			static_cast<unsigned long long>(lo.addr()),
			static_cast<unsigned long long>(layout.frts.start));
		return err::EIO;
	}
	return FbRegion { lo.addr(), hi.addr() };
}

} // namespace nova::core::gsp
