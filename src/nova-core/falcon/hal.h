/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The falcon HALs: what differs between chips in driving a falcon
 * (Documentation/falcon.rst, "The HALs"). Two, named after the first
 * chip of each, as upstream nova-core's falcon/hal/{tu102,ga102}.rs:
 *
 *  - TU102 (Turing, GA100): images loaded by PIO; memory scrubbing read
 *    from DMACTL; no core select; no boot ROM parameters; the RISC-V
 *    core's state in RISCV_CORE_SWITCH_RISCV_STATUS;
 *  - GA102 (GA102 and later, Hopper and Blackwell too): images loaded by
 *    DMA; HWCFG2.reset_ready awaited before a reset; memory scrubbing
 *    read from HWCFG2; the falcon core selected in RISCV_BCR_CTRL; boot
 *    ROM parameters for HS ucode; the RISC-V core's state in RISCV_CPUCTL.
 *
 * The HS signature's fuse version is chosen per chip elsewhere
 * (fw::ChipFirmware::fuse_registers, firmware/fwsec.cpp), along the same line.
 */
#ifndef NOVA_CORE_FALCON_HAL_H
#define NOVA_CORE_FALCON_HAL_H

#include <kernel/error.h>

#include "gpu.h"
#include "timeouts.h"

namespace nova::core::falcon {

enum class FalconHal : ktl::u8 { Tu102, Ga102 };

enum class LoadMethod : ktl::u8 { Pio, Dma };

/* Where a HAL reads that IMEM and DMEM are scrubbed. */
enum class ScrubStatus : ktl::u8 {
	Dmactl, /* DMACTL bits 1 and 2 clear */
	Hwcfg2, /* HWCFG2 bit 12 clear */
};

/* Where a HAL reads that the RISC-V core is active. */
enum class RiscvStatus : ktl::u8 {
	CoreSwitchStatus, /* PFALCON2 + 0x240 bit 0 */
	RiscvCpuctl, /* PFALCON2 + 0x388 bit 7 */
};

/* The falcon HAL of @chipset; EOPNOTSUPP for a chipset nova-core does not know. */
kernel::Result<FalconHal> falcon_hal(const Chipset &chipset);

constexpr const char *hal_name(FalconHal hal)
{
	return hal == FalconHal::Tu102 ? "tu102" : "ga102";
}

constexpr LoadMethod load_method(FalconHal hal)
{
	return hal == FalconHal::Tu102 ? LoadMethod::Pio : LoadMethod::Dma;
}

constexpr ScrubStatus scrub_status(FalconHal hal)
{
	return hal == FalconHal::Tu102 ? ScrubStatus::Dmactl : ScrubStatus::Hwcfg2;
}

constexpr timeouts::PollTiming mem_scrub_timing(FalconHal hal)
{
	return hal == FalconHal::Tu102 ? timeouts::MEM_SCRUB_TU102 : timeouts::MEM_SCRUB_GA102;
}

/* Whether a reset first waits (timeouts::RESET_READY) for HWCFG2.reset_ready. */
constexpr bool waits_reset_ready(FalconHal hal)
{
	return hal == FalconHal::Ga102;
}

/* Whether a reset selects the falcon core in RISCV_BCR_CTRL. */
constexpr bool selects_core(FalconHal hal)
{
	return hal == FalconHal::Ga102;
}

/* Whether an HS ucode's load programs the boot ROM's parameters (brom.h). */
constexpr bool programs_brom(FalconHal hal)
{
	return hal == FalconHal::Ga102;
}

constexpr RiscvStatus riscv_status(FalconHal hal)
{
	return hal == FalconHal::Tu102 ? RiscvStatus::CoreSwitchStatus : RiscvStatus::RiscvCpuctl;
}

} // namespace nova::core::falcon

#endif /* NOVA_CORE_FALCON_HAL_H */
