/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The framebuffer layout of the GSP boot: the regions at the top of VRAM
 * that FWSEC-FRTS, Booter and the GSP firmware are given, computed from the
 * VRAM size, two display registers and the sizes of the GSP firmware, as
 * upstream nova-core's FbLayout::new (fb.rs) and NVIDIA's open kernel
 * modules lay them out. Documentation/fb-layout.rst gives every rule and
 * its source.
 *
 * From the top of VRAM down:
 *
 *	vga_workspace	the VBIOS's VGA workspace, to the end of VRAM
 *	frts		1 MiB below the workspace (aligned down to 128 KiB);
 *			empty on GA100, at the workspace aligned down
 *	boot		the GSP bootloader (aligned down to 4 KiB)
 *	elf		the GSP firmware image (aligned down to 64 KiB)
 *	wpr2_heap	the GSP-RM heap (aligned down to 1 MiB)
 *	wpr2		GspFwWprMeta first, up to the end of frts (1 MiB aligned)
 *	heap		1 MiB of non-WPR heap below wpr2
 *
 * Only the first two need no firmware: without GspLayoutSizes the layout holds
 * fb, vga_workspace and frts, and the rest is unavailable.
 */
#ifndef NOVA_CORE_FB_LAYOUT_H
#define NOVA_CORE_FB_LAYOUT_H

#include <kernel/error.h>
#include <kernel/io.h>

#include "gpu.h"

namespace nova::core {

using ktl::u64;
using ktl::u8;

/*
 * What the layout needs of the GSP firmware files, in bytes: the
 * bootloader ucode image (the boot region) and the GSP ELF's .fwimage
 * section (the elf region; GspFwWprMeta's sizeOfRadix3Elf). Both nonzero.
 * The firmware parsers' sizes give them (their bootloader and fw_image).
 */
struct GspLayoutSizes {
	u64 bootloader;
	u64 fw_image;
};

/* NV_PDISP_VGA_WORKSPACE_BASE: where the VBIOS put its VGA workspace. */
struct VgaWorkspaceBase : kernel::io::Register32<VgaWorkspaceBase, 0x625f04> {
	using Register32::Register32;
	REG_FIELD(addr, 31, 8); /* bits 39:16 of the address */
	REG_FIELD(status_valid, 3, 3);
};

/* NV_FUSE_STATUS_OPT_DISPLAY: Turing's (GM107's) and GA100's and later. */
struct FuseDisplayGm107 : kernel::io::Register32<FuseDisplayGm107, 0x021c04> {
	using Register32::Register32;
	REG_FIELD(display_disabled, 0, 0);
};

struct FuseDisplayGa100 : kernel::io::Register32<FuseDisplayGa100, 0x820c04> {
	using Register32::Register32;
	REG_FIELD(display_disabled, 0, 0);
};

/* The register values the layout is computed from. */
struct FbInputs {
	u64 vram_size; /* bytes; 0: unknown */
	u32 fuse_display; /* the chip's NV_FUSE_STATUS_OPT_DISPLAY */
	u32 vga_workspace_base; /* NV_PDISP_VGA_WORKSPACE_BASE */
};

/* Whether the chip's display fuse is Turing's (else GA100's). */
bool fuse_display_is_gm107(const Chipset &chipset);

template <typename IoT> FbInputs read_fb_inputs(const IoT &bar, const Chipset &chipset, u64 vram)
{
	u32 fuse = fuse_display_is_gm107(chipset) ? FuseDisplayGm107::read(bar).raw()
						  : FuseDisplayGa100::read(bar).raw();
	return FbInputs { vram, fuse, VgaWorkspaceBase::read(bar).raw() };
}

/* [start, end) in VRAM, in bytes. */
struct FbRegion {
	u64 start = 0;
	u64 end = 0;

	constexpr u64 size() const { return end - start; }
};

/* Alignments and fixed sizes of the layout. */
inline constexpr u64 SZ_4K = 0x1000;
inline constexpr u64 SZ_64K = 0x10000;
inline constexpr u64 SZ_128K = 0x20000;
inline constexpr u64 SZ_1M = 0x100000;
inline constexpr u64 SZ_1G = 0x40000000;
inline constexpr u64 PRAMIN_SIZE = SZ_1M; /* the default VGA workspace */
inline constexpr u64 VBIOS_WORKSPACE_SIZE = SZ_128K;
inline constexpr u64 FRTS_SIZE = SZ_1M; /* every chip's but GA100's */
inline constexpr u64 NON_WPR_HEAP_SIZE = SZ_1M;
/* sizeof(GspFwWprMeta), checked against the structure in gsp/wpr_meta.h. */
inline constexpr u64 WPR_META_SIZE = 256;

/*
 * The WPR2 heap for @fb_size bytes of VRAM: the LIBOS carveout, the RM's
 * boot memory, one client and 96 KiB per GiB of VRAM (each 1 MiB aligned),
 * clamped to the LIBOS version's allowed range [min, max - 1].
 */
u64 wpr_heap_size(const Chipset &chipset, u64 fb_size);

/* Whether the chip boots through FWSEC-FRTS and this layout (Turing to Ada). */
bool fb_layout_supported(const Chipset &chipset);

/*
 * The FRTS region's size: FRTS_SIZE, but 0 on GA100, whose FRTS region
 * is empty (upstream's FbHal::frts_size of GA100, NVIDIA's kgspGetFrtsSize
 * of GA100). An empty region still has its place, the workspace aligned
 * down to 128 KiB, and the regions below are laid out from it.
 */
u64 frts_size(const Chipset &chipset);

struct FbLayout {
	FbRegion fb;
	FbRegion vga_workspace;
	FbRegion frts;
	/* The regions below are computed only with the GSP firmware's sizes. */
	bool has_firmware = false;
	FbRegion boot;
	FbRegion elf;
	FbRegion wpr2_heap;
	FbRegion wpr2;
	FbRegion heap;
	u8 vf_partition_count = 0;
	bool display_enabled = false;

	/*
	 * The layout for @chipset with @in's registers and, if not nullptr,
	 * @gsp's sizes. EOPNOTSUPP for a chip outside fb_layout_supported();
	 * ENODEV without a VRAM size; EINVAL for a zero firmware size;
	 * ERANGE when a region would start below 0 (VRAM too small) or the
	 * VGA workspace register points past the end of VRAM.
	 */
	static kernel::Result<FbLayout> compute(const Chipset &chipset, const FbInputs &in,
						const GspLayoutSizes *gsp);
};

/*
 * Hopper and Blackwell: the firmware lays out the top of VRAM itself; the
 * driver gives only sizes (upstream nova-core 7.2's FbSizes, the FB HALs
 * of GH100, GB100 and GB202; Documentation/fb-layout.rst, "Hopper and
 * Blackwell"). No offsets are known to the driver.
 */
inline constexpr u64 SZ_2M = 0x200000;
inline constexpr u64 FSP_VGA_WORKSPACE_SIZE = SZ_128K;

struct FbSizes {
	u64 fb; /* the VRAM size */
	u64 non_wpr_heap; /* 2 MiB; 2 MiB + 128 KiB on GB20x */
	u64 wpr2_heap; /* wpr_heap_size() */
	u64 frts; /* FRTS_SIZE */
	u64 vga_workspace; /* 128 KiB */
	u32 pmu_reserved; /* 0 on GH100; the PMU's reserve on Blackwell */
	u8 vf_partition_count;

	/*
	 * The sizes of @chipset with @vram_size bytes of VRAM. EOPNOTSUPP
	 * for a chip that does not boot through the FSP; ENODEV without a
	 * VRAM size.
	 */
	static kernel::Result<FbSizes> compute(const Chipset &chipset, u64 vram_size);

	/*
	 * The COT's frtsVidmemOffset: where FRTS goes, counted down from the
	 * end of VRAM, the non-WPR heap and the PMU's reserve above it,
	 * aligned up to 2 MiB.
	 */
	constexpr u64 frts_vidmem_offset() const
	{
		const u64 reserved = non_wpr_heap + pmu_reserved;
		return (reserved + SZ_2M - 1) & ~(SZ_2M - 1);
	}
};

/* Whether @chipset boots its GSP through the FSP (Hopper, Blackwell). */
bool boots_through_fsp(const Chipset &chipset);

} // namespace nova::core

#endif /* NOVA_CORE_FB_LAYOUT_H */
