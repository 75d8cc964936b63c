// SPDX-License-Identifier: GPL-2.0
/* The VRAM size registers of each architecture nova drives. */
#include "fb/vram.h"

namespace nova::core {

namespace {
constexpr u64 MAX_VRAM_SIZE = u64(1) << 40;
constexpr u32 GA100 = 0x170;
} // namespace

FbSizeRegister fb_size_register(const Chipset &chipset)
{
	switch (chipset.arch) {
	case Architecture::Turing:
		return FbSizeRegister::LocalMemoryRange;
	case Architecture::Ampere:
		/* GA100 keeps Turing's register; GA102 moved to the scratch register. */
		return chipset.id == GA100 ? FbSizeRegister::LocalMemoryRange
					   : FbSizeRegister::UsableFbSizeInMb;
	case Architecture::Hopper:
	case Architecture::Ada:
	case Architecture::BlackwellGB10x:
	case Architecture::BlackwellGB20x:
		/*
		 * Blackwell moved LOCAL_MEMORY_RANGE (0x1fa3e0, a wider magnitude);
		 * its usable size is read from the scratch register as on GA102.
		 */
		return FbSizeRegister::UsableFbSizeInMb;
	}
	return FbSizeRegister::UsableFbSizeInMb;
}

bool plausible_vram_size(u64 bytes)
{
	return bytes != 0 && bytes <= MAX_VRAM_SIZE;
}

FbSize decode_fb_size(FbSizeRegister reg, u32 raw)
{
	u64 size = 0;
	/* A failed read says nothing, even where its bits would decode to a size. */
	if (raw == ALL_ONES || is_priv_error(raw))
		return FbSize { reg, raw, 0 };
	switch (reg) {
	case FbSizeRegister::LocalMemoryRange:
		size = LocalMemoryRange(raw).usable_size();
		break;
	case FbSizeRegister::UsableFbSizeInMb:
		size = UsableFbSizeInMb(raw).usable_size();
		break;
	}
	return FbSize { reg, raw, plausible_vram_size(size) ? size : 0 };
}

const char *FbSize::register_name() const
{
	switch (reg) {
	case FbSizeRegister::LocalMemoryRange:
		return "NV_PFB_PRI_MMU_LOCAL_MEMORY_RANGE";
	case FbSizeRegister::UsableFbSizeInMb:
		return "NV_USABLE_FB_SIZE_IN_MB";
	}
	return "?";
}

} // namespace nova::core
