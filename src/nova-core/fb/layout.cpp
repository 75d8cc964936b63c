// SPDX-License-Identifier: GPL-2.0
/*
 * The framebuffer layout, top down, as Documentation/fb-layout.rst gives
 * it. Every subtraction is checked: a VRAM too small for the layout is an
 * error, never a wrapped address.
 */
#include "fb/layout.h"

using namespace kernel;

namespace nova::core {

namespace {

constexpr u32 GA100 = 0x170;
constexpr u32 GA102 = 0x172;

/* NVIDIA's gsp_fw_heap.h (r570.144), as upstream nova-core binds it. */
constexpr u64 OS_SIZE_LIBOS2 = 0;
constexpr u64 OS_SIZE_LIBOS3_BAREMETAL = 22 * SZ_1M;
constexpr u64 BASE_RM_SIZE_TU10X = 8 * SZ_1M;
constexpr u64 BASE_RM_SIZE_GH100 = 14 * SZ_1M;
constexpr u64 SIZE_PER_GB_FB = 96 * 1024;
constexpr u64 CLIENT_ALLOC_SIZE = 48 * 1024 * 2048;
constexpr u64 LIBOS2_MIN = 64 * SZ_1M, LIBOS2_MAX = 256 * SZ_1M;
constexpr u64 LIBOS3_MIN = 88 * SZ_1M, LIBOS3_MAX = 280 * SZ_1M;

constexpr u64 align_down(u64 v, u64 a)
{
	return v & ~(a - 1);
}

/* Saturating, as upstream's: a sum past 2^64 clamps to the maximum anyway. */
constexpr u64 sat_add(u64 a, u64 b)
{
	u64 r;
	return ktl::add_overflows(a, b, &r) ? ~u64 { 0 } : r;
}

constexpr u64 align_up_sat(u64 v, u64 a)
{
	u64 r;
	return ktl::add_overflows(v, a - 1, &r) ? align_down(~u64 { 0 }, a) : align_down(r, a);
}

/* @a - @b, or ERANGE when it would go below 0. */
Result<u64> sub(u64 a, u64 b)
{
	if (b > a)
		return err::ERANGE;
	return a - b;
}

bool libos3(const Chipset &chipset)
{
	return chipset.id >= GA102;
}

u64 base_rm_size(const Chipset &chipset)
{
	switch (chipset.arch) {
	case Architecture::Turing:
	case Architecture::Ampere:
	case Architecture::Ada:
		return BASE_RM_SIZE_TU10X;
	case Architecture::Hopper:
	case Architecture::BlackwellGB10x:
	case Architecture::BlackwellGB20x:
		break;
	}
	return BASE_RM_SIZE_GH100;
}

} // namespace

bool fuse_display_is_gm107(const Chipset &chipset)
{
	return chipset.arch == Architecture::Turing;
}

bool fb_layout_supported(const Chipset &chipset)
{
	switch (chipset.arch) {
	case Architecture::Turing:
	case Architecture::Ampere:
	case Architecture::Ada:
		return true;
	case Architecture::Hopper:
	case Architecture::BlackwellGB10x:
	case Architecture::BlackwellGB20x:
		break;
	}
	return false;
}

u64 frts_size(const Chipset &chipset)
{
	return chipset.id == GA100 ? 0 : FRTS_SIZE;
}

u64 wpr_heap_size(const Chipset &chipset, u64 fb_size)
{
	bool v3 = libos3(chipset);
	u64 gib = fb_size / SZ_1G + (fb_size % SZ_1G != 0);
	u64 per_gb = gib > ~u64 { 0 } / SIZE_PER_GB_FB ? ~u64 { 0 } : gib * SIZE_PER_GB_FB;
	u64 size = v3 ? OS_SIZE_LIBOS3_BAREMETAL : OS_SIZE_LIBOS2;

	size = sat_add(size, base_rm_size(chipset));
	size = sat_add(size, align_up_sat(CLIENT_ALLOC_SIZE, SZ_1M));
	size = sat_add(size, align_up_sat(per_gb, SZ_1M));

	u64 lo = v3 ? LIBOS3_MIN : LIBOS2_MIN;
	u64 hi = (v3 ? LIBOS3_MAX : LIBOS2_MAX) - 1;
	return size < lo ? lo : size > hi ? hi : size;
}

Result<FbLayout> FbLayout::compute(const Chipset &chipset, const FbInputs &in,
				   const GspLayoutSizes *gsp)
{
	if (!fb_layout_supported(chipset))
		return err::EOPNOTSUPP;
	if (!in.vram_size)
		return err::ENODEV;
	if (gsp && (!gsp->bootloader || !gsp->fw_image))
		return err::EINVAL;

	FbLayout l;
	l.fb = { 0, in.vram_size };

	/*
	 * The workspace is the top 1 MiB, unless display is on and the VBIOS
	 * says where it put it: an address below that 1 MiB means the top
	 * 128 KiB instead.
	 */
	u64 base = TRY(sub(in.vram_size, PRAMIN_SIZE));
	bool display_disabled = fuse_display_is_gm107(chipset)
					? FuseDisplayGm107(in.fuse_display).display_disabled()
					: FuseDisplayGa100(in.fuse_display).display_disabled();
	l.display_enabled = !display_disabled;
	u64 vga = base;
	VgaWorkspaceBase reg(in.vga_workspace_base);
	if (l.display_enabled && reg.status_valid()) {
		u64 addr = u64 { reg.addr() } << 16;
		vga = addr < base ? in.vram_size - VBIOS_WORKSPACE_SIZE : addr;
		if (vga >= in.vram_size)
			return err::ERANGE;
	}
	l.vga_workspace = { vga, in.vram_size };

	/* On GA100 the region is empty: boot and wpr2 then reach its start. */
	u64 frts_len = frts_size(chipset);
	u64 frts = TRY(sub(align_down(vga, SZ_128K), frts_len));
	l.frts = { frts, frts + frts_len };
	if (!gsp)
		return l;

	u64 boot = align_down(TRY(sub(l.frts.start, gsp->bootloader)), SZ_4K);
	l.boot = { boot, boot + gsp->bootloader };

	u64 elf = align_down(TRY(sub(l.boot.start, gsp->fw_image)), SZ_64K);
	l.elf = { elf, elf + gsp->fw_image };

	u64 heap_size = wpr_heap_size(chipset, in.vram_size);
	u64 wpr2_heap = align_down(TRY(sub(l.elf.start, heap_size)), SZ_1M);
	l.wpr2_heap = { wpr2_heap, align_down(l.elf.start, SZ_1M) };

	u64 wpr2 = align_down(TRY(sub(l.wpr2_heap.start, WPR_META_SIZE)), SZ_1M);
	l.wpr2 = { wpr2, l.frts.end };

	u64 heap = TRY(sub(wpr2, NON_WPR_HEAP_SIZE));
	l.heap = { heap, wpr2 };
	l.has_firmware = true;
	return l;
}

bool boots_through_fsp(const Chipset &chipset)
{
	return chipset.arch == Architecture::Hopper ||
	       chipset.arch == Architecture::BlackwellGB10x ||
	       chipset.arch == Architecture::BlackwellGB20x;
}

namespace {

/*
 * The PMU's reserve on Blackwell (OpenRM's kpmuReservedMemorySizeGet):
 * its backing store (9 MiB), its surfaces (16 MiB + 256 KiB) and 4 KiB
 * of the rest, aligned up to 128 KiB.
 */
constexpr u64 PMU_RESERVED_BLACKWELL =
	(9 * SZ_1M + 16 * SZ_1M + 256 * 1024 + SZ_4K + SZ_128K - 1) & ~(SZ_128K - 1);
static_assert(PMU_RESERVED_BLACKWELL == 0x1960000);

} // namespace

Result<FbSizes> FbSizes::compute(const Chipset &chipset, u64 vram_size)
{
	if (!boots_through_fsp(chipset))
		return err::EOPNOTSUPP;
	if (!vram_size)
		return err::ENODEV;
	FbSizes s {};
	s.fb = vram_size;
	s.non_wpr_heap = chipset.arch == Architecture::BlackwellGB20x ? SZ_2M + SZ_128K : SZ_2M;
	s.wpr2_heap = wpr_heap_size(chipset, vram_size);
	s.frts = FRTS_SIZE;
	s.vga_workspace = FSP_VGA_WORKSPACE_SIZE;
	s.pmu_reserved =
		chipset.arch == Architecture::Hopper ? 0 : static_cast<u32>(PMU_RESERVED_BLACKWELL);
	return s;
}

} // namespace nova::core
