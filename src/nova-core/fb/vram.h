/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The frame buffer: how much VRAM the GPU has, as its FB registers say.
 *
 * Turing and GA100 describe local memory in NV_PFB_PRI_MMU_LOCAL_MEMORY_RANGE
 * (a magnitude and a power-of-two scale, less the ECC share when ECC is on);
 * GA102 and every later chip (Ada, Hopper, Blackwell GB10x and GB20x) have
 * the VBIOS's devinit leave the usable size in MiB in a PGC6 scratch
 * register, NV_USABLE_FB_SIZE_IN_MB. Documentation/hardware.rst cites the
 * sources.
 */
#ifndef NOVA_CORE_FB_H
#define NOVA_CORE_FB_H

#include <kernel/io.h>

#include "gpu.h"

namespace nova::core {

using ktl::u64;

/* NV_PFB_PRI_MMU_LOCAL_MEMORY_RANGE: Turing and GA100. */
struct LocalMemoryRange : kernel::io::Register32<LocalMemoryRange, 0x100ce0> {
	using Register32::Register32;
	REG_FIELD(ecc_mode, 30, 30);
	REG_FIELD(lower_mag, 9, 4);
	REG_FIELD(lower_scale, 3, 0);

	/* Bytes: lower_mag << lower_scale MiB, one sixteenth less with ECC. */
	constexpr u64 usable_size() const
	{
		u64 size = u64(lower_mag()) << (lower_scale() + 20);
		return ecc_mode() ? size / 16 * 15 : size;
	}
};

/* NV_USABLE_FB_SIZE_IN_MB (NV_PGC6_AON_SECURE_SCRATCH_GROUP_42): GA102 and later. */
struct UsableFbSizeInMb : kernel::io::Register32<UsableFbSizeInMb, 0x1183a4> {
	using Register32::Register32;
	REG_FIELD(value, 31, 0);

	constexpr u64 usable_size() const { return u64(value()) << 20; }
};

/* Which of the two registers a chip reports its VRAM size in. */
enum class FbSizeRegister { LocalMemoryRange, UsableFbSizeInMb };

FbSizeRegister fb_size_register(const Chipset &chipset);

/*
 * A size the registers can give that no GPU has: zero (not set, e.g. devinit
 * has not run) or beyond 1 TiB (an all-ones or priv-error read of the
 * scratch register). Such a size is "unavailable", not a probe failure; so
 * is any size decoded from an all-ones or priv-error read (decode_fb_size()),
 * which LOCAL_MEMORY_RANGE's few bits can make look plausible.
 */
bool plausible_vram_size(u64 bytes);

/* What the chip's FB size register says. */
struct FbSize {
	FbSizeRegister reg;
	u32 raw;
	/* VRAM in bytes; 0 when the register gives none or an impossible size. */
	u64 bytes;

	bool available() const { return bytes != 0; }
	const char *register_name() const;
};

FbSize decode_fb_size(FbSizeRegister reg, u32 raw);

/* Reads the VRAM size register of @chipset's architecture. */
template <typename IoT> FbSize read_fb_size(const IoT &bar, const Chipset &chipset)
{
	FbSizeRegister reg = fb_size_register(chipset);
	switch (reg) {
	case FbSizeRegister::LocalMemoryRange:
		return decode_fb_size(reg, LocalMemoryRange::read(bar).raw());
	case FbSizeRegister::UsableFbSizeInMb:
		break;
	}
	return decode_fb_size(reg, UsableFbSizeInMb::read(bar).raw());
}

} // namespace nova::core

#endif /* NOVA_CORE_FB_H */
