// SPDX-License-Identifier: GPL-2.0
/*
 * kcxx_fb_layout: nova-core's framebuffer layout (src/nova-core/fb/layout.h)
 * for several chips, VRAM sizes and firmware sizes, GA100's with its empty
 * FRTS region among them. The exact cases are
 * worked out by hand from the rules of Documentation/fb-layout.rst; the
 * sweeps check what must hold for any input (alignment, order, no overlap,
 * sizes) and that an impossible input is an error, never a wrapped address.
 */
#include "kunit.h"
/* The layout itself, in this object (see vbios_test.cpp). */
#include "src/nova-core/fb/layout.cpp"
#include "src/nova-core/gpu.cpp"
#include "src/nova-core/gsp/wpr_meta.h"

using namespace kernel;
using namespace nova::core;

namespace {

constexpr u64 GiB = SZ_1G;
constexpr u64 MiB = SZ_1M;
/* Display enabled, VGA workspace register not valid. */
constexpr u32 FUSE_ON = 0, FUSE_OFF = 1, VGA_NONE = 0;

const Chipset &chip(u32 id)
{
	return *find_chipset(id);
}

u32 vga_reg(u64 addr)
{
	return VgaWorkspaceBase().set_addr(static_cast<u32>(addr >> 16)).set_status_valid(1).raw();
}

bool aligned(u64 v, u64 a)
{
	return v % a == 0;
}

/* What holds for every layout of @c with firmware. */
void check_invariants(struct kunit *test, const Chipset &c, const FbLayout &l,
		      const GspLayoutSizes &g)
{
	ASSERT(l.has_firmware);
	EXPECT_EQ(l.vga_workspace.end, l.fb.end);
	EXPECT(aligned(l.frts.end, SZ_128K));
	/* FRTS ends at the workspace aligned down, whatever its size (0 on GA100). */
	EXPECT_EQ(l.frts.end, l.vga_workspace.start & ~(SZ_128K - 1));
	EXPECT_EQ(l.frts.size(), frts_size(c));
	EXPECT(l.frts.end <= l.vga_workspace.start);
	EXPECT_EQ(l.boot.size(), g.bootloader);
	EXPECT(aligned(l.boot.start, SZ_4K));
	EXPECT(l.boot.end <= l.frts.start);
	EXPECT(l.frts.start - l.boot.end < SZ_4K);
	EXPECT_EQ(l.elf.size(), g.fw_image);
	EXPECT(aligned(l.elf.start, SZ_64K));
	EXPECT(l.elf.end <= l.boot.start);
	EXPECT(aligned(l.wpr2_heap.start, SZ_1M));
	EXPECT(aligned(l.wpr2_heap.end, SZ_1M));
	EXPECT(l.wpr2_heap.end <= l.elf.start);
	EXPECT(l.wpr2.start + WPR_META_SIZE <= l.wpr2_heap.start);
	EXPECT(aligned(l.wpr2.start, SZ_1M));
	EXPECT_EQ(l.wpr2.end, l.frts.end);
	EXPECT_EQ(l.heap.end, l.wpr2.start);
	EXPECT_EQ(l.heap.size(), NON_WPR_HEAP_SIZE);
}

} // namespace

/* AD102, 24 GiB, no VGA register: every region, worked out by hand. */
TEST(fb_layout, ad102_24g_every_region_by_hand)
{
	FbInputs in { 24 * GiB, FUSE_ON, VGA_NONE };
	GspLayoutSizes g { 0x1a000, 0x3000123 };
	auto l = FbLayout::compute(chip(0x192), in, &g);
	ASSERT(l.ok());
	EXPECT_EQ(l->fb.start, 0u);
	EXPECT_EQ(l->fb.end, 0x600000000ull);
	EXPECT_EQ(l->vga_workspace.start, 0x5fff00000ull);
	EXPECT_EQ(l->frts.start, 0x5ffe00000ull);
	EXPECT_EQ(l->frts.end, 0x5fff00000ull);
	EXPECT_EQ(l->boot.start, 0x5ffde6000ull);
	EXPECT_EQ(l->boot.end, 0x5ffe00000ull);
	EXPECT_EQ(l->elf.start, 0x5fcde0000ull);
	EXPECT_EQ(l->elf.end, 0x5ffde0123ull);
	/* LIBOS3: 22 + 8 + 96 + 3 (24 * 96 KiB, aligned up) MiB = 0x8100000. */
	EXPECT_EQ(wpr_heap_size(chip(0x192), 24 * GiB), 0x8100000ull);
	EXPECT_EQ(l->wpr2_heap.start, 0x5f4c00000ull);
	EXPECT_EQ(l->wpr2_heap.end, 0x5fcd00000ull);
	EXPECT_EQ(l->wpr2.start, 0x5f4b00000ull);
	EXPECT_EQ(l->wpr2.end, 0x5fff00000ull);
	EXPECT_EQ(l->heap.start, 0x5f4a00000ull);
	EXPECT_EQ(l->heap.end, 0x5f4b00000ull);
	check_invariants(test, chip(0x192), *l, g);
}

/* TU102, 8 GiB, display on with the workspace at the top 1 MiB + 64 KiB. */
TEST(fb_layout, tu102_8g_vga_register_and_libos2_heap_by_hand)
{
	u64 fb = 8 * GiB;
	FbInputs in { fb, FUSE_ON, vga_reg(fb - MiB + 0x10000) };
	GspLayoutSizes g { 0x6000, 0x2400000 };
	auto l = FbLayout::compute(chip(0x162), in, &g);
	ASSERT(l.ok());
	EXPECT(l->display_enabled);
	EXPECT_EQ(l->vga_workspace.start, 0x1fff10000ull);
	/* 0x1fff10000 aligned down to 128 KiB is 0x1fff00000. */
	EXPECT_EQ(l->frts.start, 0x1ffe00000ull);
	EXPECT_EQ(l->boot.start, 0x1ffdfa000ull);
	/* 0x1ffdfa000 - 0x2400000 = 0x1fd9fa000, aligned down to 64 KiB. */
	EXPECT_EQ(l->elf.start, 0x1fd9f0000ull);
	/* LIBOS2: 0 + 8 + 96 + 1 (8 * 96 KiB, aligned up) MiB = 0x6900000. */
	EXPECT_EQ(wpr_heap_size(chip(0x162), fb), 0x6900000ull);
	EXPECT_EQ(l->wpr2_heap.start, 0x1f70f0000ull & ~(MiB - 1));
	EXPECT_EQ(l->wpr2_heap.end, 0x1fd900000ull);
	EXPECT_EQ(l->wpr2.start, 0x1f6f00000ull);
	EXPECT_EQ(l->heap.start, 0x1f6e00000ull);
	check_invariants(test, chip(0x162), *l, g);
}

/*
 * GA100, 40 GiB with display fused off (as the GPU model has it) and
 * 570.144's sizes (bootloader 0x1000, .fwimage 0x1b34ea0): the FRTS
 * region is empty, at the workspace aligned down to 128 KiB, and every
 * region below starts from it, 1 MiB higher than with a 1 MiB FRTS.
 */
TEST(fb_layout, ga100_40g_empty_frts_and_every_region_below_by_hand)
{
	u64 fb = 40 * GiB;
	FbInputs in { fb, FUSE_OFF, vga_reg(fb - 512 * 1024) };
	GspLayoutSizes g { 0x1000, 0x1b34ea0 };
	auto l = FbLayout::compute(chip(0x170), in, &g);
	ASSERT(l.ok());
	EXPECT(!l->display_enabled);
	EXPECT_EQ(l->fb.end, 0xa00000000ull);
	/* Display off: the register is not read, the workspace is the top 1 MiB. */
	EXPECT_EQ(l->vga_workspace.start, 0x9fff00000ull);
	EXPECT_EQ(l->frts.start, 0x9fff00000ull);
	EXPECT_EQ(l->frts.end, 0x9fff00000ull);
	EXPECT_EQ(l->frts.size(), 0u);
	/* 0x9fff00000 - 0x1000, already 4 KiB aligned. */
	EXPECT_EQ(l->boot.start, 0x9ffeff000ull);
	EXPECT_EQ(l->boot.end, 0x9fff00000ull);
	/* 0x9ffeff000 - 0x1b34ea0 = 0x9fe3ca160, aligned down to 64 KiB. */
	EXPECT_EQ(l->elf.start, 0x9fe3c0000ull);
	EXPECT_EQ(l->elf.end, 0x9ffef4ea0ull);
	/* LIBOS2: 0 + 8 + 96 + 4 (40 * 96 KiB = 3.75 MiB, aligned up) MiB. */
	EXPECT_EQ(wpr_heap_size(chip(0x170), fb), 0x6c00000ull);
	/* 0x9fe3c0000 - 0x6c00000 = 0x9f77c0000, aligned down to 1 MiB. */
	EXPECT_EQ(l->wpr2_heap.start, 0x9f7700000ull);
	EXPECT_EQ(l->wpr2_heap.end, 0x9fe300000ull);
	/* 256 bytes of GspFwWprMeta below, aligned down; up to FRTS's end. */
	EXPECT_EQ(l->wpr2.start, 0x9f7600000ull);
	EXPECT_EQ(l->wpr2.end, 0x9fff00000ull);
	EXPECT_EQ(l->wpr2.size(), 0x8900000ull);
	EXPECT_EQ(l->heap.start, 0x9f7500000ull);
	EXPECT_EQ(l->heap.end, 0x9f7600000ull);
	check_invariants(test, chip(0x170), *l, g);

	/* With display on, the workspace's 128 KiB-aligned start is where FRTS sits. */
	auto on =
		FbLayout::compute(chip(0x170), FbInputs { fb, FUSE_ON, vga_reg(fb - 0x30000) }, &g);
	ASSERT(on.ok());
	EXPECT_EQ(on->vga_workspace.start, 0x9fffd0000ull);
	EXPECT_EQ(on->frts.start, 0x9fffc0000ull);
	EXPECT_EQ(on->frts.end, 0x9fffc0000ull);
	EXPECT_EQ(on->boot.start, 0x9fffbf000ull);
	EXPECT_EQ(on->wpr2.end, 0x9fffc0000ull);
	check_invariants(test, chip(0x170), *on, g);

	/* Only GA100's FRTS region is empty. */
	const u32 chips[] = { 0x162, 0x164, 0x166, 0x167, 0x168, 0x170, 0x172, 0x173,
			      0x174, 0x176, 0x177, 0x192, 0x193, 0x194, 0x196, 0x197 };
	for (u32 id : chips)
		EXPECT_EQ(frts_size(chip(id)), id == 0x170 ? 0 : MiB);
	EXPECT_EQ(FRTS_SIZE, MiB);
}

/* Without the firmware's sizes: fb, vga_workspace and frts, for any VRAM size. */
TEST(fb_layout, without_firmware_only_vga_workspace_and_frts_for_several_sizes)
{
	const u64 sizes[] = { 2 * MiB,	256 * MiB, 4 * GiB,  6 * GiB - 384 * MiB, 12 * GiB,
			      24 * GiB, 48 * GiB,  80 * GiB, 1024 * GiB };
	const u32 chips[] = { 0x162, 0x167, 0x170, 0x172, 0x177, 0x192, 0x197 };
	for (u32 id : chips) {
		for (u64 fb : sizes) {
			auto l = FbLayout::compute(chip(id), FbInputs { fb, FUSE_ON, VGA_NONE },
						   nullptr);
			ASSERT(l.ok());
			EXPECT(!l->has_firmware);
			EXPECT_EQ(l->fb.end, fb);
			EXPECT_EQ(l->vga_workspace.start, fb - MiB);
			/* GA100's FRTS region is empty, the others' 1 MiB. */
			u64 frts = id == 0x170 ? 0 : MiB;
			EXPECT_EQ(l->frts.start, ((fb - MiB) & ~(SZ_128K - 1)) - frts);
			EXPECT_EQ(l->frts.size(), frts);
			EXPECT_EQ(l->boot.size(), 0u);
			EXPECT_EQ(l->wpr2.size(), 0u);
		}
	}
}

/* Every supported chip, VRAM of 1 to 96 GiB and firmware of a few sizes. */
TEST(fb_layout, every_region_aligned_ordered_and_sized_for_several_sizes)
{
	const u32 chips[] = { 0x162, 0x164, 0x166, 0x167, 0x168, 0x170, 0x172, 0x173,
			      0x174, 0x176, 0x177, 0x192, 0x193, 0x194, 0x196, 0x197 };
	const GspLayoutSizes fws[] = {
		{ 1, 1 }, { 0x1000, 0x10000 }, { 0x6000, 0x2400000 }, { 0x1a001, 0x3a7e123 }
	};
	for (u32 id : chips)
		for (u64 gib = 1; gib <= 96; gib += 5)
			for (const GspLayoutSizes &g : fws) {
				u64 fb = gib * GiB - (gib % 3) * 64 * MiB;
				auto l = FbLayout::compute(
					chip(id), FbInputs { fb, FUSE_ON, vga_reg(fb - 0x20000) },
					&g);
				ASSERT(l.ok());
				EXPECT_EQ(l->vga_workspace.start, fb - 0x20000);
				check_invariants(test, chip(id), *l, g);
				u64 want = wpr_heap_size(chip(id), fb);
				EXPECT(l->wpr2_heap.size() + SZ_1M > want);
				EXPECT(l->wpr2_heap.size() <= want + SZ_1M);
			}
}

/* The heap formula's terms and its clamp to [min, max - 1]. */
TEST(fb_layout, wpr_heap_size_per_libos_version_and_clamped)
{
	/* A partial GiB counts as one. */
	EXPECT_EQ(wpr_heap_size(chip(0x162), 1), 105 * MiB);
	EXPECT_EQ(wpr_heap_size(chip(0x162), 10 * GiB), 105 * MiB);
	EXPECT_EQ(wpr_heap_size(chip(0x162), 10 * GiB + 1), 106 * MiB);
	/* GA100 is LIBOS2, GA102 LIBOS3. */
	EXPECT_EQ(wpr_heap_size(chip(0x170), 80 * GiB), (8 + 96 + 8) * MiB);
	EXPECT_EQ(wpr_heap_size(chip(0x172), 80 * GiB), (22 + 8 + 96 + 8) * MiB);
	/* Hopper's RM boot memory is GH100's 14 MiB. */
	EXPECT_EQ(wpr_heap_size(chip(0x180), 80 * GiB), (22 + 14 + 96 + 8) * MiB);
	/* Clamped to one byte under the maximum, whatever the VRAM. */
	EXPECT_EQ(wpr_heap_size(chip(0x162), 4096 * GiB), 256 * MiB - 1);
	EXPECT_EQ(wpr_heap_size(chip(0x192), 4096 * GiB), 280 * MiB - 1);
	EXPECT_EQ(wpr_heap_size(chip(0x192), ~u64 { 0 }), 280 * MiB - 1);
}

/* Which register decides, and how the workspace address is taken. */
TEST(fb_layout, vga_workspace_from_register_only_with_display_and_valid_bit)
{
	u64 fb = 16 * GiB;
	auto start = [&](u32 fuse, u32 reg) -> u64 {
		auto l = FbLayout::compute(chip(0x192), FbInputs { fb, fuse, reg }, nullptr);
		return l ? l->vga_workspace.start : 0;
	};
	EXPECT_EQ(start(FUSE_ON, vga_reg(fb - 0x30000)), fb - 0x30000);
	/* Below the top 1 MiB: the top 128 KiB instead. */
	EXPECT_EQ(start(FUSE_ON, vga_reg(fb - 2 * MiB)), fb - SZ_128K);
	auto top = FbLayout::compute(chip(0x192), FbInputs { fb, FUSE_ON, vga_reg(0) }, nullptr);
	ASSERT(top.ok());
	EXPECT_EQ(top->frts.start, fb - SZ_128K - MiB);
	/* Not valid, or display fused off: the top 1 MiB. */
	EXPECT_EQ(start(FUSE_ON, vga_reg(fb - 0x30000) & ~(1u << 3)), fb - MiB);
	EXPECT_EQ(start(FUSE_OFF, vga_reg(fb - 0x30000)), fb - MiB);
	auto off = FbLayout::compute(chip(0x192), FbInputs { fb, FUSE_OFF, 0 }, nullptr);
	ASSERT(off.ok());
	EXPECT(!off->display_enabled);
	/* Only bit 0 of the fuse counts. */
	EXPECT_EQ(start(0xfffffffe, vga_reg(fb - 0x30000)), fb - 0x30000);
	/* Turing reads the GM107 fuse, the rest GA100's. */
	EXPECT(fuse_display_is_gm107(chip(0x166)));
	EXPECT(!fuse_display_is_gm107(chip(0x170)));
	EXPECT(!fuse_display_is_gm107(chip(0x196)));
	EXPECT_EQ(FuseDisplayGm107::OFFSET, 0x021c04u);
	EXPECT_EQ(FuseDisplayGa100::OFFSET, 0x820c04u);
	EXPECT_EQ(VgaWorkspaceBase::OFFSET, 0x625f04u);
}

/* Bad inputs are errors, never a wrapped address. */
TEST(fb_layout, impossible_inputs_are_errors)
{
	GspLayoutSizes g { 0x6000, 0x2400000 };
	EXPECT_ERR(FbLayout::compute(chip(0x180), FbInputs { 80 * GiB, 0, 0 }, nullptr),
		   err::EOPNOTSUPP);
	EXPECT_ERR(FbLayout::compute(chip(0x1b2), FbInputs { 16 * GiB, 0, 0 }, &g),
		   err::EOPNOTSUPP);
	EXPECT_ERR(FbLayout::compute(chip(0x192), FbInputs { 0, 0, 0 }, nullptr), err::ENODEV);
	GspLayoutSizes zero_boot { 0, 0x1000 }, zero_elf { 0x1000, 0 };
	EXPECT_ERR(FbLayout::compute(chip(0x192), FbInputs { GiB, 0, 0 }, &zero_boot), err::EINVAL);
	EXPECT_ERR(FbLayout::compute(chip(0x192), FbInputs { GiB, 0, 0 }, &zero_elf), err::EINVAL);
	/* Too small for the workspace and FRTS, or for the rest. */
	EXPECT_ERR(FbLayout::compute(chip(0x192), FbInputs { MiB - 1, 0, 0 }, nullptr),
		   err::ERANGE);
	EXPECT_ERR(FbLayout::compute(chip(0x192), FbInputs { MiB, 0, 0 }, nullptr), err::ERANGE);
	EXPECT(FbLayout::compute(chip(0x192), FbInputs { 2 * MiB, 0, 0 }, nullptr).ok());
	EXPECT_ERR(FbLayout::compute(chip(0x192), FbInputs { 128 * MiB, 0, 0 }, &g), err::ERANGE);
	GspLayoutSizes huge_elf { 0x1000, ~u64 { 0 } / 2 }, huge_boot { ~u64 { 0 }, 1 };
	EXPECT_ERR(FbLayout::compute(chip(0x192), FbInputs { 8 * GiB, 0, 0 }, &huge_elf),
		   err::ERANGE);
	EXPECT_ERR(FbLayout::compute(chip(0x192), FbInputs { 8 * GiB, 0, 0 }, &huge_boot),
		   err::ERANGE);
	/* A workspace register past the end of VRAM. */
	EXPECT_ERR(
		FbLayout::compute(chip(0x192), FbInputs { 8 * GiB, 0, vga_reg(8 * GiB) }, nullptr),
		err::ERANGE);
	EXPECT_ERR(FbLayout::compute(chip(0x192), FbInputs { 8 * GiB, 0, 0xffffff08 }, nullptr),
		   err::ERANGE);
}

/* GspFwWprMeta of the AD102 24 GiB layout above, field by field. */
TEST(fb_layout, wpr_meta_filled_from_the_layout_by_hand)
{
	GspLayoutSizes g { 0x1a000, 0x3000123 };
	GspBootImage img { 0x10000000, 0x30000000, 0x20000000, 0x1001, 0x10, 0x20, 0x30 };
	auto l = FbLayout::compute(chip(0x192),
				   FbInputs { 24 * GiB, FUSE_ON, vga_reg(0x5fffe0000) }, &g);
	ASSERT(l.ok());
	auto m = make_wpr_meta(*l, g, img);
	ASSERT(m.ok());
	EXPECT_EQ(m->magic, 0xdc3aae21371a60b3ull);
	EXPECT_EQ(m->revision, 1u);
	EXPECT_EQ(m->sysmem_addr_of_radix3_elf, 0x10000000u);
	EXPECT_EQ(m->size_of_radix3_elf, 0x3000123u);
	EXPECT_EQ(m->sysmem_addr_of_bootloader, 0x30000000u);
	EXPECT_EQ(m->size_of_bootloader, 0x1a000u);
	EXPECT_EQ(m->bootloader_code_offset, 0x10u);
	EXPECT_EQ(m->bootloader_data_offset, 0x20u);
	EXPECT_EQ(m->bootloader_manifest_offset, 0x30u);
	EXPECT_EQ(m->sysmem_addr_of_signature, 0x20000000u);
	EXPECT_EQ(m->size_of_signature, 0x1001u);
	/* The workspace in the top 128 KiB: FRTS right below it. */
	EXPECT_EQ(m->vga_workspace_offset, 0x5fffe0000ull);
	EXPECT_EQ(m->vga_workspace_size, 0x20000u);
	EXPECT_EQ(m->gsp_fw_wpr_end, 0x5fffe0000ull);
	EXPECT_EQ(m->frts_offset, 0x5ffee0000ull);
	EXPECT_EQ(m->frts_size, 0x100000u);
	EXPECT_EQ(m->boot_bin_offset, 0x5ffec6000ull);
	EXPECT_EQ(m->gsp_fw_offset, 0x5fcec0000ull);
	EXPECT_EQ(m->gsp_fw_heap_offset, 0x5f4d00000ull);
	EXPECT_EQ(m->gsp_fw_heap_size, 0x8100000u);
	EXPECT_EQ(m->gsp_fw_wpr_start, 0x5f4c00000ull);
	EXPECT_EQ(m->gsp_fw_rsvd_start, 0x5f4b00000ull);
	EXPECT_EQ(m->non_wpr_heap_offset, 0x5f4b00000ull);
	EXPECT_EQ(m->non_wpr_heap_size, 0x100000u);
	EXPECT_EQ(m->fb_size, 0x600000000ull);
	EXPECT_EQ(m->boot_count, 0u);
	EXPECT_EQ(m->gsp_fw_heap_vf_partition_count, 0);
	EXPECT_EQ(m->pmu_reserved_size, 0u);
	EXPECT_EQ(m->verified, 0u);

	/* As bytes: the magic little-endian at 0, FRTS's offset at 0x98. */
	const u8 *b = reinterpret_cast<const u8 *>(&m.value());
	EXPECT_EQ(b[0], 0xb3);
	EXPECT_EQ(b[7], 0xdc);
	EXPECT_EQ(b[0x98], 0x00);
	EXPECT_EQ(b[0x99], 0x00);
	EXPECT_EQ(b[0x9a], 0xee);
	EXPECT_EQ(b[0x9b], 0xff);
	EXPECT_EQ(b[0x9c], 0x05);

	/* Without the firmware there is no metadata. */
	auto partial = FbLayout::compute(chip(0x192), FbInputs { 24 * GiB, 0, 0 }, nullptr);
	ASSERT(partial.ok());
	EXPECT_ERR(make_wpr_meta(*partial, g, img), err::EINVAL);

	/*
	 * GA100's 40 GiB layout above: frtsOffset at the WPR2 end, frtsSize
	 * 0, as upstream's GspFwWprMeta and OpenRM's kgspPopulateWprMeta
	 * (gspFwWprEnd - kgspGetFrtsSize) fill them.
	 */
	GspLayoutSizes ga { 0x1000, 0x1b34ea0 };
	auto ga100 = FbLayout::compute(chip(0x170), FbInputs { 40 * GiB, FUSE_OFF, VGA_NONE }, &ga);
	ASSERT(ga100.ok());
	auto gm = make_wpr_meta(*ga100, ga, img);
	ASSERT(gm.ok());
	EXPECT_EQ(gm->frts_offset, 0x9fff00000ull);
	EXPECT_EQ(gm->frts_size, 0u);
	EXPECT_EQ(gm->gsp_fw_wpr_end, 0x9fff00000ull);
	EXPECT_EQ(gm->boot_bin_offset, 0x9ffeff000ull);
	EXPECT_EQ(gm->size_of_bootloader, 0x1000u);
	EXPECT_EQ(gm->gsp_fw_offset, 0x9fe3c0000ull);
	EXPECT_EQ(gm->size_of_radix3_elf, 0x1b34ea0u);
	EXPECT_EQ(gm->gsp_fw_heap_offset, 0x9f7700000ull);
	EXPECT_EQ(gm->gsp_fw_heap_size, 0x6c00000u);
	EXPECT_EQ(gm->gsp_fw_wpr_start, 0x9f7600000ull);
	EXPECT_EQ(gm->gsp_fw_rsvd_start, 0x9f7500000ull);
	EXPECT_EQ(gm->non_wpr_heap_offset, 0x9f7500000ull);
	EXPECT_EQ(gm->non_wpr_heap_size, 0x100000u);
	EXPECT_EQ(gm->fb_size, 0xa00000000ull);
	EXPECT_EQ(gm->vga_workspace_offset, 0x9fff00000ull);
	EXPECT_EQ(gm->vga_workspace_size, 0x100000u);
	const u8 *gb = reinterpret_cast<const u8 *>(&gm.value());
	for (u32 i = 0xa0; i < 0xa8; i++)
		EXPECT_EQ(gb[i], 0);
	EXPECT_EQ(gb[0x9b], 0xff);
	EXPECT_EQ(gb[0x9c], 0x09);
}

/*
 * Hopper and Blackwell: sizes only. GH100 with 80 GiB: LIBOS3 22 + 14
 * (GH100's RM) + 96 + 8 (80 * 96 KiB, aligned up) MiB of WPR2 heap;
 * frtsVidmemOffset is the non-WPR heap and the PMU's reserve aligned up
 * to 2 MiB: 2 MiB on GH100, 28 MiB on Blackwell with its 0x1960000-byte
 * PMU reserve.
 */
TEST(fb_layout, fsp_sizes_per_chip_and_the_frts_vidmem_offset_rule)
{
	auto gh100 = FbSizes::compute(chip(0x180), 80 * GiB);
	ASSERT(gh100.ok());
	EXPECT_EQ(gh100->fb, 80 * GiB);
	EXPECT_EQ(gh100->non_wpr_heap, 2 * MiB);
	EXPECT_EQ(gh100->wpr2_heap, 0x8c00000ull);
	EXPECT_EQ(gh100->frts, 1 * MiB);
	EXPECT_EQ(gh100->vga_workspace, 128 * 1024ull);
	EXPECT_EQ(gh100->pmu_reserved, 0u);
	EXPECT_EQ(gh100->frts_vidmem_offset(), 2 * MiB);

	auto gb100 = FbSizes::compute(chip(0x1a0), 192 * GiB);
	ASSERT(gb100.ok());
	EXPECT_EQ(gb100->non_wpr_heap, 2 * MiB);
	EXPECT_EQ(gb100->pmu_reserved, 0x1960000u);
	EXPECT_EQ(gb100->frts_vidmem_offset(), 28 * MiB);

	auto gb202 = FbSizes::compute(chip(0x1b2), 32 * GiB);
	ASSERT(gb202.ok());
	EXPECT_EQ(gb202->non_wpr_heap, 2 * MiB + 128 * 1024);
	EXPECT_EQ(gb202->pmu_reserved, 0x1960000u);
	EXPECT_EQ(gb202->frts_vidmem_offset(), 28 * MiB);

	/* The rule alone: aligned up, never down; exact multiples stay. */
	FbSizes s {};
	s.non_wpr_heap = 2 * MiB + 128 * 1024;
	EXPECT_EQ(s.frts_vidmem_offset(), 4 * MiB);
	s.non_wpr_heap = 2 * MiB;
	s.pmu_reserved = 1;
	EXPECT_EQ(s.frts_vidmem_offset(), 4 * MiB);
	s.pmu_reserved = 2 * MiB;
	EXPECT_EQ(s.frts_vidmem_offset(), 4 * MiB);

	EXPECT_ERR(FbSizes::compute(chip(0x192), 24 * GiB), err::EOPNOTSUPP);
	EXPECT_ERR(FbSizes::compute(chip(0x180), 0), err::ENODEV);
	EXPECT(boots_through_fsp(chip(0x180)));
	EXPECT(boots_through_fsp(chip(0x1b2)));
	EXPECT(!boots_through_fsp(chip(0x170)));
}

TEST(fb_layout, wpr_meta_from_sizes_has_sizes_and_no_offsets)
{
	auto s = FbSizes::compute(chip(0x1b2), 32 * GiB);
	ASSERT(s.ok());
	const GspLayoutSizes g { 0x1a000, 0x3000123 };
	const GspBootImage image { 0x1000, 0x2000, 0x3000, 0x400, 0x10, 0x20, 0x30 };
	const GspFwWprMeta m = make_wpr_meta_from_sizes(*s, g, image);
	EXPECT_EQ(m.magic, GSP_FW_WPR_META_MAGIC);
	EXPECT_EQ(m.revision, 1u);
	EXPECT_EQ(m.sysmem_addr_of_radix3_elf, 0x1000u);
	EXPECT_EQ(m.size_of_radix3_elf, 0x3000123u);
	EXPECT_EQ(m.sysmem_addr_of_bootloader, 0x2000u);
	EXPECT_EQ(m.size_of_bootloader, 0x1a000u);
	EXPECT_EQ(m.bootloader_code_offset, 0x10u);
	EXPECT_EQ(m.bootloader_data_offset, 0x20u);
	EXPECT_EQ(m.bootloader_manifest_offset, 0x30u);
	EXPECT_EQ(m.sysmem_addr_of_signature, 0x3000u);
	EXPECT_EQ(m.size_of_signature, 0x400u);
	EXPECT_EQ(m.non_wpr_heap_size, 2 * MiB + 128 * 1024);
	EXPECT_EQ(m.gsp_fw_heap_size, s->wpr2_heap);
	EXPECT_EQ(m.frts_size, 1 * MiB);
	EXPECT_EQ(m.vga_workspace_size, 128 * 1024ull);
	EXPECT_EQ(m.pmu_reserved_size, 0x1960000u);
	/* Every offset and the FB size: the ACR ucode's to compute. */
	const u64 offsets[] = { m.gsp_fw_rsvd_start,	m.non_wpr_heap_offset, m.gsp_fw_wpr_start,
				m.gsp_fw_heap_offset,	m.gsp_fw_offset,       m.boot_bin_offset,
				m.frts_offset,		m.gsp_fw_wpr_end,      m.fb_size,
				m.vga_workspace_offset, m.boot_count,	       m.verified };
	for (u64 o : offsets)
		EXPECT_EQ(o, 0u);
}
