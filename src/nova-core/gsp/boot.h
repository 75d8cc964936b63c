/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running FWSEC-FRTS on the GSP falcon (Documentation/falcon.rst,
 * "Running FWSEC-FRTS"), as upstream nova-core 6.19 does at probe
 * (gsp/boot.rs): FWSEC, patched to run the FRTS command
 * (firmware/fwsec.h), carves WPR2 out of VRAM around the FRTS region.
 * GA102 HAL (DMA load) only for now.
 */
#ifndef NOVA_CORE_GSP_BOOT_H
#define NOVA_CORE_GSP_BOOT_H

#include <kernel/error.h>
#include <kernel/io.h>
#include <kernel/pci.h>

#include "falcon/falcon.h"
#include "fb/layout.h"
#include "firmware/fwsec.h"
#include "gpu.h"
#include "vbios/vbios.h"

namespace nova::core::gsp {

/* NV_PFB_PRI_MMU_WPR2_ADDR_LO: WPR2's start, in 4 KiB units in bits 31:4. */
struct Wpr2AddrLo : kernel::io::Register32<Wpr2AddrLo, 0x1fa824> {
	REG_FIELD(val, 31, 4);
	constexpr u64 addr() const { return static_cast<u64>(val()) << 12; }
};

/* NV_PFB_PRI_MMU_WPR2_ADDR_HI: WPR2's end (exclusive); 0 when there is no WPR2. */
struct Wpr2AddrHi : kernel::io::Register32<Wpr2AddrHi, 0x1fa828> {
	REG_FIELD(val, 31, 4);
	constexpr u64 addr() const { return static_cast<u64>(val()) << 12; }
	constexpr bool exists() const { return val() != 0; }
};

/* NV_PBUS_SW_SCRATCH(0xe): FWSEC-FRTS's error code in bits 31:16. */
struct FrtsScratch : kernel::io::Register32<FrtsScratch, 0x001438> {
	REG_FIELD(frts_err_code, 31, 16);
};

/* The step of a run of FWSEC-FRTS, and what it failed with. */
enum class FwsecStep : u8 {
	Wpr2Exists, /* EBUSY: WPR2 set before the run */
	Plan, /* the load or boot ROM plan (EINVAL, ERANGE, EOVERFLOW, EOPNOTSUPP) */
	DmaBuffer, /* ENOMEM */
	Reset, /* ETIMEDOUT */
	Load, /* ETIMEDOUT, EOPNOTSUPP */
	Boot, /* ETIMEDOUT: no halt */
	Mailbox0, /* EIO: MAILBOX0 not 0 */
	FrtsError, /* EIO: SW_SCRATCH(0xe) reports an error code */
	Wpr2Missing, /* EIO: WPR2 not created */
	Wpr2Start, /* EIO: WPR2 does not start at the FRTS region */
};

const char *fwsec_step_name(FwsecStep step);

/* The kernel's name of the errors a run returns ("ETIMEDOUT"), else "error". */
const char *errno_name(kernel::Error e);

/*
 * Runs FWSEC-FRTS on the GSP falcon of @chipset: @frts the patched ucode
 * (IMEM then DMEM), @desc its VBIOS descriptor (the boot ROM's parameters),
 * @layout.frts the region it protects. Returns WPR2 [start, end), or an
 * empty region (nothing done) for an empty FRTS region. Errors, with the
 * step in *@failed: EBUSY (WPR2 exists), the plans' errors, ENOMEM, the
 * falcon's ETIMEDOUT and EOPNOTSUPP (not the GA102 HAL), EIO (MAILBOX0,
 * the FRTS error code, WPR2 missing or misplaced). The DMA buffer is freed
 * before it returns.
 */
kernel::Result<FbRegion> run_fwsec_frts(const kernel::pci::Device &pdev, const falcon::Bar0 &bar,
					const Chipset &chipset, const FwsecFrts &frts,
					const FalconUcodeDesc &desc, const FbLayout &layout,
					FwsecStep *failed);

} // namespace nova::core::gsp

#endif /* NOVA_CORE_GSP_BOOT_H */
