/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running a falcon (Documentation/falcon.rst, "Running FWSEC-FRTS"): the
 * executor of the plans of load.h and brom.h on engine E. It resets the
 * engine, loads an image, programs the boot ROM and BOOTVEC, starts the
 * core and waits for it to halt:
 *
 *	Falcon<Gsp> gsp(pdev, bar, hal);
 *	TRY(gsp.reset());
 *	TRY(gsp.load(plan, brom));
 *	Mailboxes m = TRY(gsp.boot(0));
 *
 * Every wait has the bound of falcon/timeouts.h; a wait that times out is
 * ETIMEDOUT with one dev_err naming the engine and the step ("GSP falcon:
 * memory scrubbing did not finish within 20 ms"). The one exception is
 * the GA102 HAL's wait for HWCFG2.reset_ready before a reset, whose
 * timeout is ignored (the hardware sometimes never sets it). Loading by
 * PIO (TU102 HAL) writes the image word by word.
 */
#ifndef NOVA_CORE_FALCON_FALCON_H
#define NOVA_CORE_FALCON_FALCON_H

#include <kernel/error.h>
#include <kernel/io.h>
#include <kernel/pci.h>

#include "falcon/brom.h"
#include "falcon/hal.h"
#include "falcon/load.h"
#include "falcon/regs.h"

namespace nova::core::falcon {

/* The register window the falcons are driven through: BAR0 (16 MiB). */
using Bar0 = kernel::io::Io<0x1000000>;

/* The engine's name in messages: "GSP falcon: ...". */
template <FalconEngine E> constexpr const char *engine_label()
{
	if constexpr (ktl::is_same_v<E, Gsp>)
		return "GSP";
	else if constexpr (ktl::is_same_v<E, Sec2>)
		return "SEC2";
	else
		return "FSP";
}

/* MAILBOX0 and MAILBOX1 after the falcon halted. */
struct Mailboxes {
	u32 mbox0;
	u32 mbox1;
};

template <FalconEngine E> class Falcon {
public:
	Falcon(const kernel::pci::Device &pdev, const Bar0 &bar, FalconHal hal)
		: pdev_(pdev), bar_(bar), hal_(hal)
	{}

	FalconHal hal() const { return hal_; }

	/*
	 * Resets the engine. GA102 HAL: HWCFG2.reset_ready awaited (150 µs,
	 * timeout ignored); ENGINE.reset set, 10 µs, cleared (both
	 * read-modify-write); memory scrubbing awaited (HWCFG2 bit 12, 20 ms);
	 * if RISCV_BCR_CTRL.core_select is not the falcon, RISCV_BCR_CTRL = 0
	 * and its valid bit awaited (10 ms); scrubbing awaited again; RM =
	 * BOOT_0. TU102 HAL: the same without the reset-ready wait and the
	 * core select, scrubbing read from DMACTL (10 ms). ETIMEDOUT.
	 */
	kernel::Result<void> reset() const;

	/* FBIF_CTL.allow_phys_no_ctx = 1 (read-modify-write), then DMACTL = 0. */
	void dma_reset() const;

	/*
	 * Loads @image by @plan and points the core at it: dma_reset(); DMA
	 * plan (the image at the plan's bus address): FBIF_TRANSCFG(0) =
	 * coherent system memory, physical (read-modify-write), then each
	 * segment's DMATRFBASE, DMATRFBASE1 and for each transfer
	 * DMATRFMOFFS, DMATRFFBOFFS, DMATRFCMD and a wait for DMATRFCMD.idle
	 * (2 s). PIO plan (the image's bytes, read by the CPU): each IMEM
	 * part's IMEMC(0), then per block IMEMT(0) and its words to
	 * IMEMD(0); DMEMC(0) and the DMEM words to DMEMD(0). Then @brom's
	 * four registers when it is programmed; then BOOTVEC. ETIMEDOUT;
	 * EINVAL (nothing written) when a PIO part lies outside @image.
	 */
	kernel::Result<void> load(const LoadPlan<E> &plan, const BromPlan<E> &brom,
				  kernel::ByteView image) const;

	/*
	 * Writes MAILBOX0 (and MAILBOX1, in the second form), starts the
	 * core (CPUCTL_ALIAS.startcpu if CPUCTL.alias_en, else
	 * CPUCTL.startcpu, as a whole-register write of 0x2), waits for
	 * CPUCTL.halted (2 s) and returns the mailboxes. ETIMEDOUT.
	 */
	kernel::Result<Mailboxes> boot(u32 mbox0) const;
	kernel::Result<Mailboxes> boot(u32 mbox0, u32 mbox1) const;

	/*
	 * The pieces of boot(), for GSP-RM's CPU sequencer: start() starts
	 * the core as boot() does and returns; wait_halted() waits for
	 * CPUCTL.halted (2 s, ETIMEDOUT); set_mailboxes() and mailboxes()
	 * write and read MAILBOX0/1.
	 */
	void start() const;
	kernel::Result<void> wait_halted() const;
	void set_mailboxes(u32 mbox0, u32 mbox1) const;
	Mailboxes mailboxes() const;

	/*
	 * FBIF context @I reads coherent system memory by physical address
	 * (read-modify-write): the context a loaded bootloader's own DMA uses.
	 */
	template <unsigned I> void sysmem_context() const
	{
		FbifTranscfg<E, I>::update(bar_, [](FbifTranscfg<E, I> &r) {
			r.set_target(FBIF_TARGET_COHERENT_SYSMEM);
			r.set_mem_type(FBIF_MEM_TYPE_PHYSICAL);
		});
	}

	/* OS: the GSP's bootloader reads its app_version from it. */
	void set_os(u32 version) const;

	/*
	 * Waits for the RISC-V core to be active (TU102 HAL:
	 * RISCV_CORE_SWITCH_STATUS, GA102 HAL: RISCV_CPUCTL), polling every
	 * 10 ms for 5 s. ETIMEDOUT.
	 */
	kernel::Result<void> wait_riscv_active() const;
	/* The RISC-V core is active now. */
	bool riscv_active() const;

private:
	kernel::Result<void> wait_scrubbed() const;
	kernel::Result<void> select_falcon_core() const;
	kernel::Result<void> dma_segment(const DmaSegment<E> &seg) const;
	void pio_imem(const PioImem<E> &part, kernel::ByteView image) const;
	void pio_dmem(const PioDmem<E> &part, kernel::ByteView image) const;
	kernel::Result<Mailboxes> start_and_wait() const;

	const kernel::pci::Device &pdev_;
	const Bar0 &bar_;
	FalconHal hal_;
};

extern template class Falcon<Gsp>;
extern template class Falcon<Sec2>;

} // namespace nova::core::falcon

#endif /* NOVA_CORE_FALCON_FALCON_H */
