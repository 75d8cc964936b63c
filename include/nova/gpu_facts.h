/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What nova-core knows about a GPU, shared with the drivers of the auxiliary
 * devices it registers (nova-drm): nova-core is the one driver that reads
 * the hardware. It builds the facts in probe and hands them to
 * auxiliary::DataRegistration<GpuFacts>; a child reads them with
 * registration_data<GpuFacts>() (include/kernel/auxiliary.h).
 */
#ifndef NOVA_GPU_FACTS_H
#define NOVA_GPU_FACTS_H

#include <ktl/types.h>

namespace nova {

struct GpuFacts {
	/* NV_PMC_BOOT_42's chipset, e.g. 0x192 for AD102. */
	ktl::u32 chipset;
	/*
	 * The BAR through which the CPU sees VRAM: BAR1, or BAR2 when BAR0 is
	 * 64-bit (it then takes two BAR slots).
	 */
	int vram_bar;
	/* That BAR's length in bytes. */
	ktl::u64 vram_bar_size;
	/* VRAM size in bytes from the FB registers; 0 when unavailable. */
	ktl::u64 vram_size;
};

} // namespace nova

#endif /* NOVA_GPU_FACTS_H */
