/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The GSP boot's falcon stages (Documentation/falcon.rst), as upstream
 * nova-core runs them (gsp/boot.rs): FWSEC, patched to run the FRTS
 * command (firmware/fwsec.h), carves WPR2 out of VRAM around the FRTS
 * region; Booter on SEC2 then loads GSP-RM into it and starts the GSP's
 * RISC-V core; booter_unload takes it all down again. Both falcon HALs:
 * DMA loads on GA102 and later, PIO (and FWSEC through gen_bootloader) on
 * Turing and GA100.
 */
#ifndef NOVA_CORE_GSP_BOOT_H
#define NOVA_CORE_GSP_BOOT_H

#include <kernel/error.h>
#include <kernel/io.h>
#include <kernel/pci.h>

#include "falcon/falcon.h"
#include "fb/layout.h"
#include "firmware/fwsec.h"
#include "firmware/set.h"
#include "gpu.h"
#include "gsp/libos.h"
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

/* The step of the GSP boot that failed, and what it failed with. */
enum class BootStep : u8 {
	/* FWSEC-FRTS on the GSP falcon */
	Wpr2Exists, /* EBUSY: WPR2 set before the run */
	Plan, /* the load or boot ROM plan (EINVAL, ERANGE, EOVERFLOW, EOPNOTSUPP) */
	DmaBuffer, /* ENOMEM */
	Reset, /* ETIMEDOUT */
	Load, /* ETIMEDOUT, EINVAL (a PIO part outside its image) */
	Boot, /* ETIMEDOUT: no halt */
	Mailbox0, /* EIO: MAILBOX0 not 0 */
	FrtsError, /* EIO: SW_SCRATCH(0xe) reports an error code */
	Wpr2Missing, /* EIO: WPR2 not created */
	Wpr2Start, /* EIO: WPR2 does not start at the FRTS region */
	/* Booter on SEC2, then the GSP's RISC-V core */
	GspMemory, /* ENOMEM: the LIBOS page, logs, queues, WPR metadata */
	GspReset, /* ETIMEDOUT: the GSP falcon's reset */
	LibosHandoff, /* ETIMEDOUT: the GSP falcon did not halt with the LIBOS page */
	BooterPlan, /* EINVAL (no booter_load), the plans' errors */
	Sec2Reset, /* ETIMEDOUT */
	BooterLoad, /* ETIMEDOUT */
	BooterBoot, /* ETIMEDOUT: SEC2 did not halt */
	BooterMailbox0, /* ENODEV: Booter's MAILBOX0 not 0 */
	RiscvActive, /* ETIMEDOUT: the GSP's RISC-V core never became active */
	/* Hopper and Blackwell: the FSP, then the GSP's RISC-V core (RiscvActive) */
	FspSecureBoot, /* ETIMEDOUT: the FSP's secure boot not complete */
	GspRunning, /* EBUSY: the GSP runs already (a reset is needed first) */
	FspChainOfTrust, /* EINVAL (fmc's sections), ETIMEDOUT, EMSGSIZE, EPROTO, EIO */
	LockdownRelease, /* ETIMEDOUT; EIO: GSP-FMC's error in MAILBOX0 */
	/* GSP-RM over its queues (gsp/rm.h) */
	SystemInfo, /* GSP_SET_SYSTEM_INFO sent: ETIMEDOUT (no room), EIO, ENOMEM */
	Registry, /* SET_REGISTRY sent: likewise */
	Sequencer, /* GSP_RUN_CPU_SEQUENCER awaited and run: ETIMEDOUT, EIO, EPROTO, EINVAL */
	InitDone, /* GSP_INIT_DONE awaited: ETIMEDOUT, EIO */
	StaticInfo, /* GET_GSP_STATIC_INFO and its reply: ETIMEDOUT, EIO, EPROTO */
};

const char *boot_step_name(BootStep step);

/* The kernel's name of the errors a run returns ("ETIMEDOUT"), else "error". */
const char *errno_name(kernel::Error e);

/*
 * Runs FWSEC-FRTS on the GSP falcon of @chipset: @frts the patched ucode
 * (IMEM then DMEM), @desc its VBIOS descriptor (the boot ROM's parameters),
 * @layout.frts the region it protects; on the TU102 HAL through
 * @firmware's gen_bootloader. Returns WPR2 [start, end), or an empty
 * region (nothing done) for an empty FRTS region. Errors, with the step in
 * *@failed: EBUSY (WPR2 exists), the plans' errors (EINVAL also without
 * gen_bootloader), ENOMEM, the falcon's ETIMEDOUT, EIO (MAILBOX0,
 * the FRTS error code, WPR2 missing or misplaced). The DMA buffer is freed
 * before it returns.
 */
kernel::Result<FbRegion> run_fwsec_frts(const kernel::pci::Device &pdev, const falcon::Bar0 &bar,
					const Chipset &chipset, const fw::FirmwareSet &firmware,
					const FwsecFrts &frts, const FalconUcodeDesc &desc,
					const FbLayout &layout, BootStep *failed);

/*
 * Starts GSP-RM after FWSEC-FRTS (Documentation/falcon.rst, "Booter and
 * the GSP"): the LIBOS page (@libos) to the GSP falcon through its
 * mailboxes, Booter (@firmware's booter_load) on SEC2 with @wpr_meta's bus
 * address in its mailboxes, MAILBOX0 0 back, the bootloader's app_version
 * in the GSP's OS register, and the wait for the RISC-V core to be
 * active. Errors, with the step in *@failed: the falcons' ETIMEDOUT,
 * EINVAL (no booter_load), the plans' errors, ENODEV (Booter's MAILBOX0).
 */
kernel::Result<void> run_booter(const kernel::pci::Device &pdev, const falcon::Bar0 &bar,
				const Chipset &chipset, const fw::FirmwareSet &firmware,
				const LibosMemory &libos, u64 wpr_meta, BootStep *failed);

/*
 * Starts GSP-RM through the FSP on Hopper and Blackwell
 * (Documentation/falcon.rst, "The FSP"): the FSP's secure boot awaited,
 * a GSP that already runs refused (EBUSY, nothing sent),
 * GSP_FMC_BOOT_PARAMS (@wpr_meta's and @libos's bus addresses) in
 * coherent memory, the COT with fmc's image and sections and @sizes'
 * FRTS, its reply checked, the GSP's lockdown release awaited, the
 * bootloader's app_version in the GSP's OS register and the wait for the
 * RISC-V core. No FWSEC, no Booter. Errors, with the step in *@failed
 * and a refused reply's reason in *@detail: see BootStep; ENOMEM. If the
 * COT was sent and a later step fails, the GSP's halt is awaited before
 * the boot parameters are freed; *@cot_sent says whether it was.
 */
kernel::Result<void> run_fsp(const kernel::pci::Device &pdev, const falcon::Bar0 &bar,
			     const Chipset &chipset, const fw::FirmwareSet &firmware,
			     const FbSizes &sizes, const LibosMemory &libos, u64 wpr_meta,
			     BootStep *failed, const char **detail, bool *cot_sent);

/*
 * Unloads a started GSP (upstream's unload bundle). Hopper and Blackwell:
 * the GSP halts by itself once GSP-RM suspended; the wait for the priv
 * target mask's release and the RISC-V core's halt (10 ms / 5 s,
 * ETIMEDOUT). Turing to Ada: when WPR2 exists,
 * FWSEC-SB (@sb, with its VBIOS descriptor @desc; when prepared) on the
 * GSP falcon, whose failure is a warning only, then booter_unload on SEC2
 * with both mailboxes 0xff, MAILBOX0 0 back, and WPR2 gone afterwards.
 * Nothing to do without WPR2. Errors: the falcons' ETIMEDOUT, EINVAL (no
 * booter_unload, or its MAILBOX0), EBUSY (WPR2 still there: the GPU needs
 * a reset before nova-core can boot its GSP again).
 */
kernel::Result<void> unload(const kernel::pci::Device &pdev, const falcon::Bar0 &bar,
			    const Chipset &chipset, const fw::FirmwareSet &firmware,
			    const FwsecFrts *sb, const FalconUcodeDesc *desc);

} // namespace nova::core::gsp

#endif /* NOVA_CORE_GSP_BOOT_H */
