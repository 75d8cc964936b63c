// SPDX-License-Identifier: GPL-2.0
/*
 * The model's own computation of the top of VRAM as the GSP boot lays it
 * out (Documentation/fb-layout.rst: the regions, the WPR heap size) and of
 * the GspFwWprMeta Booter is handed, for Turing, Ampere and Ada. Written
 * from the documented rules, never from the driver's code: the Booter
 * model compares the driver's metadata with this, field by field.
 */
#ifndef GPU_MODEL_LAYOUT_H
#define GPU_MODEL_LAYOUT_H

#include <cstdint>
#include <string>
#include <vector>

namespace gpu_model {

struct Region {
	uint64_t start = 0, end = 0;
	uint64_t size() const { return end - start; }
};

struct LayoutInputs {
	uint32_t chipset = 0;
	uint64_t vram = 0; /* bytes */
	bool display = false; /* NV_FUSE_STATUS_OPT_DISPLAY bit 0 clear */
	uint32_t vga_workspace_base = 0; /* NV_PDISP_VGA_WORKSPACE_BASE */
	uint64_t bootloader = 0; /* the bootloader's ucode, padded to 4 KiB pages */
	uint64_t fw_image = 0; /* the GSP ELF's .fwimage */
};

struct FbRegions {
	Region fb, vga_workspace, frts, boot, elf, wpr2_heap, wpr2, heap;
};

/* "" and @out, or why the layout cannot be made (a region below 0...). */
std::string compute_layout(const LayoutInputs &in, FbRegions &out);

/*
 * The WPR heap: carveout + RM + one client + 96 KiB per GiB, clamped. RM's
 * base is 8 MiB on Turing to Ada; NVIDIA's GSP_FW_HEAP_PARAM_BASE_RM_SIZE_GH100
 * makes it 14 MiB from Hopper on.
 */
uint64_t wpr_heap_size(uint32_t chipset, uint64_t vram, uint64_t base_rm = 8ull << 20);

/* GspFwWprMeta (256 bytes): one field's name, offset, size and value. */
struct MetaField {
	const char *name;
	uint32_t offset, size; /* bytes: 8, 4 or 1 */
	uint64_t value;
	bool computed; /* false: a bus address, checked by what it holds */
};
constexpr uint64_t WPR_META_MAGIC = 0xdc3aae21371a60b3ull;
constexpr uint64_t WPR_META_REVISION = 1;
constexpr uint32_t WPR_META_SIZE = 256;

/*
 * The fields the model expects, in structure order (padding and the
 * reserved union as zero fields of their own), from @l and the
 * firmware's numbers.
 */
struct MetaFirmware {
	uint64_t fw_image = 0, bootloader = 0, signature = 0;
	uint64_t code_offset = 0, data_offset = 0, manifest_offset = 0;
};
std::vector<MetaField> expected_wpr_meta(const FbRegions &l, const MetaFirmware &fw);

} // namespace gpu_model

#endif /* GPU_MODEL_LAYOUT_H */
