/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GspFwWprMeta: the structure at the start of WPR2 that tells Booter and
 * the GSP bootloader where everything is, in the layout of NVIDIA's
 * gsp_fw_wpr_meta.h (open-gpu-kernel-modules, r570.144; 256 bytes,
 * little-endian), filled in from the FbLayout as upstream nova-core's
 * GspFwWprMeta::new (gsp/fw.rs) fills it. Documentation/fb-layout.rst
 * lists the fields.
 */
#ifndef NOVA_CORE_WPR_META_H
#define NOVA_CORE_WPR_META_H

#include <kernel/bytes.h>
#include <kernel/error.h>

#include "fb/layout.h"

namespace nova::core {

using ktl::u16;

inline constexpr u64 GSP_FW_WPR_META_MAGIC = 0xdc3aae21371a60b3ull;
inline constexpr u64 GSP_FW_WPR_META_REVISION = 1;

struct GspFwWprMeta {
	u64 magic;
	u64 revision;
	/* In system memory, for Booter's DMA. */
	u64 sysmem_addr_of_radix3_elf;
	u64 size_of_radix3_elf;
	u64 sysmem_addr_of_bootloader;
	u64 size_of_bootloader;
	u64 bootloader_code_offset;
	u64 bootloader_data_offset;
	u64 bootloader_manifest_offset;
	/* At boot; on resume the same 16 bytes hold the heap free list's offset. */
	u64 sysmem_addr_of_signature;
	u64 size_of_signature;
	/* The layout in VRAM. */
	u64 gsp_fw_rsvd_start;
	u64 non_wpr_heap_offset;
	u64 non_wpr_heap_size;
	u64 gsp_fw_wpr_start;
	u64 gsp_fw_heap_offset;
	u64 gsp_fw_heap_size;
	u64 gsp_fw_offset;
	u64 boot_bin_offset;
	u64 frts_offset;
	u64 frts_size;
	u64 gsp_fw_wpr_end;
	u64 fb_size;
	u64 vga_workspace_offset;
	u64 vga_workspace_size;
	u64 boot_count;
	/* The partition RPC or crash report queue union: zero at boot. */
	u64 partition_rpc_addr;
	u16 partition_rpc_request_offset;
	u16 partition_rpc_reply_offset;
	u32 elf_code_offset;
	u32 elf_data_offset;
	u32 elf_code_size;
	u32 elf_data_size;
	u32 ls_ucode_version;
	u8 gsp_fw_heap_vf_partition_count;
	u8 flags;
	u8 padding[2];
	u32 pmu_reserved_size;
	u64 verified;
	KERNEL_FROM_BYTES(GspFwWprMeta, WPR_META_SIZE);
};

static_assert(sizeof(GspFwWprMeta) == WPR_META_SIZE);
static_assert(__builtin_offsetof(GspFwWprMeta, sysmem_addr_of_signature) == 0x48);
static_assert(__builtin_offsetof(GspFwWprMeta, gsp_fw_rsvd_start) == 0x58);
static_assert(__builtin_offsetof(GspFwWprMeta, vga_workspace_size) == 0xc0);
static_assert(__builtin_offsetof(GspFwWprMeta, partition_rpc_addr) == 0xd0);
static_assert(__builtin_offsetof(GspFwWprMeta, gsp_fw_heap_vf_partition_count) == 0xf0);
static_assert(__builtin_offsetof(GspFwWprMeta, pmu_reserved_size) == 0xf4);
static_assert(__builtin_offsetof(GspFwWprMeta, verified) == 0xf8);

/*
 * What the metadata takes from the GSP firmware beyond GspLayoutSizes: where
 * its parts are in system memory (0 until they are there) and the
 * bootloader's code, data and manifest offsets.
 */
struct GspBootImage {
	u64 radix3_elf_addr;
	u64 bootloader_addr;
	u64 signature_addr;
	u64 signature_size;
	u64 bootloader_code_offset;
	u64 bootloader_data_offset;
	u64 bootloader_manifest_offset;
};

/* The fields every chip fills alike: the identity and the images in system memory. */
inline GspFwWprMeta wpr_meta_of_image(const GspLayoutSizes &gsp, const GspBootImage &image)
{
	GspFwWprMeta m {};
	m.magic = GSP_FW_WPR_META_MAGIC;
	m.revision = GSP_FW_WPR_META_REVISION;
	m.sysmem_addr_of_radix3_elf = image.radix3_elf_addr;
	m.size_of_radix3_elf = gsp.fw_image;
	m.sysmem_addr_of_bootloader = image.bootloader_addr;
	m.size_of_bootloader = gsp.bootloader;
	m.bootloader_code_offset = image.bootloader_code_offset;
	m.bootloader_data_offset = image.bootloader_data_offset;
	m.bootloader_manifest_offset = image.bootloader_manifest_offset;
	m.sysmem_addr_of_signature = image.signature_addr;
	m.size_of_signature = image.signature_size;
	return m;
}

/*
 * The metadata of @layout (computed with the firmware's sizes @gsp, else
 * EINVAL). Fields upstream leaves zero stay zero.
 */
inline kernel::Result<GspFwWprMeta> make_wpr_meta(const FbLayout &layout, const GspLayoutSizes &gsp,
						  const GspBootImage &image)
{
	if (!layout.has_firmware)
		return kernel::err::EINVAL;
	GspFwWprMeta m = wpr_meta_of_image(gsp, image);
	m.gsp_fw_rsvd_start = layout.heap.start;
	m.non_wpr_heap_offset = layout.heap.start;
	m.non_wpr_heap_size = layout.heap.size();
	m.gsp_fw_wpr_start = layout.wpr2.start;
	m.gsp_fw_heap_offset = layout.wpr2_heap.start;
	m.gsp_fw_heap_size = layout.wpr2_heap.size();
	m.gsp_fw_offset = layout.elf.start;
	m.boot_bin_offset = layout.boot.start;
	m.frts_offset = layout.frts.start;
	m.frts_size = layout.frts.size();
	m.gsp_fw_wpr_end = layout.vga_workspace.start & ~(SZ_128K - 1);
	m.fb_size = layout.fb.size();
	m.vga_workspace_offset = layout.vga_workspace.start;
	m.vga_workspace_size = layout.vga_workspace.size();
	m.gsp_fw_heap_vf_partition_count = layout.vf_partition_count;
	return m;
}

/*
 * Hopper and Blackwell (upstream 7.2's GspFwWprMeta::from_sizes): every
 * offset 0, for the ACR ucode the FSP starts computes them; only the
 * sizes of @sizes and @gsp and the system-memory addresses of @image.
 */
inline GspFwWprMeta make_wpr_meta_from_sizes(const FbSizes &sizes, const GspLayoutSizes &gsp,
					     const GspBootImage &image)
{
	GspFwWprMeta m = wpr_meta_of_image(gsp, image);
	m.non_wpr_heap_size = sizes.non_wpr_heap;
	m.gsp_fw_heap_size = sizes.wpr2_heap;
	m.frts_size = sizes.frts;
	m.vga_workspace_size = sizes.vga_workspace;
	m.gsp_fw_heap_vf_partition_count = sizes.vf_partition_count;
	m.pmu_reserved_size = sizes.pmu_reserved;
	return m;
}

/*
 * The debugfs wpr_meta file: one "name 0xvalue" line per field, NVIDIA's
 * names, in structure order (the unions' boot members; no padding).
 */
template <typename M> void print_wpr_meta(M &m, const GspFwWprMeta &w)
{
	const struct {
		const char *name;
		u64 value;
	} fields[] = {
		{ "magic", w.magic },
		{ "revision", w.revision },
		{ "sysmemAddrOfRadix3Elf", w.sysmem_addr_of_radix3_elf },
		{ "sizeOfRadix3Elf", w.size_of_radix3_elf },
		{ "sysmemAddrOfBootloader", w.sysmem_addr_of_bootloader },
		{ "sizeOfBootloader", w.size_of_bootloader },
		{ "bootloaderCodeOffset", w.bootloader_code_offset },
		{ "bootloaderDataOffset", w.bootloader_data_offset },
		{ "bootloaderManifestOffset", w.bootloader_manifest_offset },
		{ "sysmemAddrOfSignature", w.sysmem_addr_of_signature },
		{ "sizeOfSignature", w.size_of_signature },
		{ "gspFwRsvdStart", w.gsp_fw_rsvd_start },
		{ "nonWprHeapOffset", w.non_wpr_heap_offset },
		{ "nonWprHeapSize", w.non_wpr_heap_size },
		{ "gspFwWprStart", w.gsp_fw_wpr_start },
		{ "gspFwHeapOffset", w.gsp_fw_heap_offset },
		{ "gspFwHeapSize", w.gsp_fw_heap_size },
		{ "gspFwOffset", w.gsp_fw_offset },
		{ "bootBinOffset", w.boot_bin_offset },
		{ "frtsOffset", w.frts_offset },
		{ "frtsSize", w.frts_size },
		{ "gspFwWprEnd", w.gsp_fw_wpr_end },
		{ "fbSize", w.fb_size },
		{ "vgaWorkspaceOffset", w.vga_workspace_offset },
		{ "vgaWorkspaceSize", w.vga_workspace_size },
		{ "bootCount", w.boot_count },
		{ "gspFwHeapVfPartitionCount", w.gsp_fw_heap_vf_partition_count },
		{ "flags", w.flags },
		{ "pmuReservedSize", w.pmu_reserved_size },
		{ "verified", w.verified },
	};
	for (const auto &f : fields)
		m.print("%s 0x%llx\n", f.name, static_cast<unsigned long long>(f.value));
}

} // namespace nova::core

#endif /* NOVA_CORE_WPR_META_H */
