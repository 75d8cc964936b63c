// SPDX-License-Identifier: GPL-2.0
#include "text.h"
#include "layout.h"

#include <cstdio>

#include "chips.h"

namespace gpu_model {

namespace {

constexpr uint64_t KiB = 1ull << 10, MiB = 1ull << 20, GiB = 1ull << 30;

uint64_t align_down(uint64_t v, uint64_t a)
{
	return v & ~(a - 1);
}

uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

bool libos3(uint32_t chipset)
{
	Family f = family_of(chipset);
	return f != Family::Turing && f != Family::GA100;
}

} // namespace

uint64_t wpr_heap_size(uint32_t chipset, uint64_t vram, uint64_t base_rm)
{
	bool v3 = libos3(chipset);
	uint64_t carveout = v3 ? 22 * MiB : 0;
	uint64_t rm = base_rm;
	uint64_t client = align_up(48 * KiB * 2048, MiB);
	uint64_t per_gib = align_up(96 * KiB * ((vram + GiB - 1) / GiB), MiB);
	uint64_t size = carveout + rm + client + per_gib;
	uint64_t lo = v3 ? 88 * MiB : 64 * MiB, hi = (v3 ? 280 * MiB : 256 * MiB) - 1;
	return size < lo ? lo : size > hi ? hi : size;
}

std::string compute_layout(const LayoutInputs &in, FbRegions &l)
{
	auto sub = [](uint64_t a, uint64_t b, const char *what, uint64_t &out) -> std::string {
		if (b > a)
			return std::string(what) + " would start below 0";
		out = a - b;
		return "";
	};
	std::string e;
	uint64_t v = in.vram;
	if (!v || v < MiB)
		return "no VRAM size";
	l.fb = { 0, v };
	uint64_t vga = v - MiB;
	if (in.display && (in.vga_workspace_base & (1u << 3))) {
		uint64_t addr = static_cast<uint64_t>(in.vga_workspace_base >> 8) << 16;
		if (addr >= v)
			return "the VGA workspace register points at " + hex(addr) +
			       ", past the end of VRAM";
		vga = addr < v - MiB ? v - 128 * KiB : addr;
	}
	l.vga_workspace = { vga, v };
	uint64_t frts_size = in.chipset == 0x170 ? 0 : MiB;
	uint64_t frts;
	if (!(e = sub(align_down(vga, 128 * KiB), frts_size, "frts", frts)).empty())
		return e;
	l.frts = { frts, frts + frts_size };
	uint64_t boot;
	if (!(e = sub(frts, in.bootloader, "boot", boot)).empty())
		return e;
	boot = align_down(boot, 4 * KiB);
	l.boot = { boot, boot + in.bootloader };
	uint64_t elf;
	if (!(e = sub(boot, in.fw_image, "elf", elf)).empty())
		return e;
	elf = align_down(elf, 64 * KiB);
	l.elf = { elf, elf + in.fw_image };
	uint64_t heap;
	if (!(e = sub(elf, wpr_heap_size(in.chipset, v), "wpr2_heap", heap)).empty())
		return e;
	l.wpr2_heap = { align_down(heap, MiB), align_down(elf, MiB) };
	uint64_t wpr2;
	if (!(e = sub(l.wpr2_heap.start, WPR_META_SIZE, "wpr2", wpr2)).empty())
		return e;
	wpr2 = align_down(wpr2, MiB);
	l.wpr2 = { wpr2, l.frts.end };
	uint64_t nonwpr;
	if (!(e = sub(wpr2, MiB, "heap", nonwpr)).empty())
		return e;
	l.heap = { nonwpr, wpr2 };
	return "";
}

std::vector<MetaField> expected_wpr_meta(const FbRegions &l, const MetaFirmware &fw)
{
	return {
		{ "magic", 0x00, 8, WPR_META_MAGIC, true },
		{ "revision", 0x08, 8, WPR_META_REVISION, true },
		{ "sysmemAddrOfRadix3Elf", 0x10, 8, 0, false },
		{ "sizeOfRadix3Elf", 0x18, 8, fw.fw_image, true },
		{ "sysmemAddrOfBootloader", 0x20, 8, 0, false },
		{ "sizeOfBootloader", 0x28, 8, fw.bootloader, true },
		{ "bootloaderCodeOffset", 0x30, 8, fw.code_offset, true },
		{ "bootloaderDataOffset", 0x38, 8, fw.data_offset, true },
		{ "bootloaderManifestOffset", 0x40, 8, fw.manifest_offset, true },
		{ "sysmemAddrOfSignature", 0x48, 8, 0, false },
		{ "sizeOfSignature", 0x50, 8, fw.signature, true },
		{ "gspFwRsvdStart", 0x58, 8, l.heap.start, true },
		{ "nonWprHeapOffset", 0x60, 8, l.heap.start, true },
		{ "nonWprHeapSize", 0x68, 8, l.heap.size(), true },
		{ "gspFwWprStart", 0x70, 8, l.wpr2.start, true },
		{ "gspFwHeapOffset", 0x78, 8, l.wpr2_heap.start, true },
		{ "gspFwHeapSize", 0x80, 8, l.wpr2_heap.size(), true },
		{ "gspFwOffset", 0x88, 8, l.elf.start, true },
		{ "bootBinOffset", 0x90, 8, l.boot.start, true },
		{ "frtsOffset", 0x98, 8, l.frts.start, true },
		{ "frtsSize", 0xa0, 8, l.frts.size(), true },
		{ "gspFwWprEnd", 0xa8, 8, align_down(l.vga_workspace.start, 128 * KiB), true },
		{ "fbSize", 0xb0, 8, l.fb.size(), true },
		{ "vgaWorkspaceOffset", 0xb8, 8, l.vga_workspace.start, true },
		{ "vgaWorkspaceSize", 0xc0, 8, l.vga_workspace.size(), true },
		{ "bootCount", 0xc8, 8, 0, true },
		{ "partition RPC / crash queue union [0]", 0xd0, 8, 0, true },
		{ "partition RPC / crash queue union [1]", 0xd8, 8, 0, true },
		{ "partition RPC / crash queue union [2]", 0xe0, 8, 0, true },
		{ "partition RPC / crash queue union [3]", 0xe8, 8, 0, true },
		{ "gspFwHeapVfPartitionCount", 0xf0, 1, 0, true },
		{ "flags", 0xf1, 1, 0, true },
		{ "padding", 0xf2, 2, 0, true },
		{ "pmuReservedSize", 0xf4, 4, 0, true },
		{ "verified", 0xf8, 8, 0, true },
	};
}

} // namespace gpu_model
