/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NVIDIA's GSP firmware files, as nova-core requests and parses them:
 * nvidia/<chip>/gsp/<name>-570.144.bin (Documentation/firmware.rst).
 *
 *  - the container header (magic 0x10de) of every file but the ELFs;
 *  - booter_load, booter_unload, scrubber: a heavy-secured (HS) firmware,
 *    header v2 with its signatures, patch location, signature parameters
 *    and load header v2 (OS code and data, apps);
 *  - bootloader: the RISC-V ucode descriptor of the GSP bootloader;
 *  - gen_bootloader: the FWSEC bootloader descriptor (Turing, GA100);
 *  - gsp: the GSP-RM ELF64: .fwimage, .fwversion and the chip's
 *    .fwsignature_* section;
 *  - fmc: the FMC ELF32 of Hopper and Blackwell: image, hash, signature,
 *    publickey.
 *
 * Each parser takes the file's bytes as a ByteView, validates every
 * offset and size against them before anything uses it, and returns a
 * plain value holding the fields and file-relative offsets: no pointer
 * into the file survives the parse, so the file can be released after.
 */
#ifndef NOVA_CORE_FIRMWARE_H
#define NOVA_CORE_FIRMWARE_H

#include <kernel/bytes.h>
#include <kernel/error.h>

#include "firmware/fuse.h"
#include "gpu.h"

namespace nova::core::fw {

using ktl::size_t;
using ktl::u16;
using ktl::u32;
using ktl::u64;
using ktl::u8;

/* The firmware release nova-core requests, as in the file names. */
inline constexpr const char VERSION[] = "570.144";

/*
 * What the framebuffer layout needs from the firmware (FbLayout): sizes in
 * bytes, 0 when the chip has no such file or it is unavailable.
 */
struct GspSizes {
	size_t fw_image; /* the GSP ELF's .fwimage */
	size_t bootloader; /* the bootloader ucode's copy: data_size, gsp_page_align'd */
	size_t signature; /* the chip's .fwsignature_* section */
	size_t radix3_level0; /* one GSP page */
	size_t radix3_level1; /* level-1 table: 8 bytes per level-2 page */
	size_t radix3_level2; /* level-2 table: 8 bytes per .fwimage page */
	unsigned libos; /* 2: Turing and GA100 (LIBOS2 heap), 3: GA102 and later */
};

/* The GSP's page: what radix3 entries point at. */
inline constexpr size_t GSP_PAGE_SIZE = 4096;

/*
 * @n rounded up to whole GSP pages: the size of a copy in system memory the
 * GSP or Booter reads (the bootloader's ucode, the signatures), as
 * upstream allocates them. @n is a length within a file, far from overflow.
 */
inline constexpr size_t gsp_page_align(size_t n)
{
	return (n + GSP_PAGE_SIZE - 1) & ~(GSP_PAGE_SIZE - 1);
}

/* The on-file structures, little-endian, as the files hold them. */

/* The container header of the non-ELF files ("nvfw_bin_hdr"). */
struct [[gnu::packed]] BinHeader {
	u32 bin_magic; /* 0x10de */
	u32 bin_ver;
	u32 bin_size; /* not the file's size in every file; not used */
	u32 header_offset; /* of the file-specific header */
	u32 data_offset; /* of the payload (the ucode) */
	u32 data_size;
	KERNEL_FROM_BYTES(BinHeader, 24);
};

/* HS firmware header v2 ("nvfw_hs_header_v2"); offsets from the file's start. */
struct [[gnu::packed]] HsHeaderV2 {
	u32 sig_prod_offset; /* production signatures */
	u32 sig_prod_size; /* all of them */
	u32 patch_loc_offset; /* of a u32: where in the ucode the signature goes */
	u32 patch_sig_offset; /* of a u32: added to sig_prod_offset */
	u32 meta_data_offset; /* HsSignatureParams */
	u32 meta_data_size;
	u32 num_sig_offset; /* of a u32: the number of signatures */
	u32 header_offset; /* HsLoadHeaderV2 */
	u32 header_size;
	KERNEL_FROM_BYTES(HsHeaderV2, 36);
};

/* The signature parameters at meta_data_offset. */
struct [[gnu::packed]] HsSignatureParams {
	u32 fuse_ver;
	u32 engine_id_mask;
	u32 ucode_id;
	KERNEL_FROM_BYTES(HsSignatureParams, 12);
};

/* HS load header v2 ("nvfw_hs_load_header_v2"); offsets in the ucode. */
struct [[gnu::packed]] HsLoadHeaderV2 {
	u32 os_code_offset;
	u32 os_code_size;
	u32 os_data_offset;
	u32 os_data_size;
	u32 num_apps; /* HsLoadHeaderV2App entries follow */
	KERNEL_FROM_BYTES(HsLoadHeaderV2, 20);
};

struct [[gnu::packed]] HsLoadHeaderV2App {
	u32 offset;
	u32 len;
	KERNEL_FROM_BYTES(HsLoadHeaderV2App, 8);
};

/* The GSP bootloader's descriptor ("RM_RISCV_UCODE_DESC"); offsets in the ucode. */
struct [[gnu::packed]] RiscvUcodeDesc {
	u32 version;
	u32 bootloader_offset;
	u32 bootloader_size;
	u32 bootloader_param_offset;
	u32 bootloader_param_size;
	u32 riscv_elf_offset;
	u32 riscv_elf_size;
	u32 app_version;
	u32 manifest_offset;
	u32 manifest_size;
	u32 monitor_data_offset;
	u32 monitor_data_size;
	u32 monitor_code_offset;
	u32 monitor_code_size;
	KERNEL_FROM_BYTES(RiscvUcodeDesc, 56);
};

/* The FWSEC bootloader's descriptor (gen_bootloader); offsets in the ucode. */
struct [[gnu::packed]] BootloaderDesc {
	u32 start_tag;
	u32 dmem_load_off;
	u32 code_off;
	u32 code_size;
	u32 data_off;
	u32 data_size;
	KERNEL_FROM_BYTES(BootloaderDesc, 24);
};

struct [[gnu::packed]] Elf64Header {
	u8 ident[16];
	u16 type, machine;
	u32 version;
	u64 entry, phoff, shoff;
	u32 flags;
	u16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
	KERNEL_FROM_BYTES(Elf64Header, 64);
};

struct [[gnu::packed]] Elf64SectionHeader {
	u32 name, type;
	u64 flags, addr, offset, size;
	u32 link, info;
	u64 addralign, entsize;
	KERNEL_FROM_BYTES(Elf64SectionHeader, 64);
};

struct [[gnu::packed]] Elf32Header {
	u8 ident[16];
	u16 type, machine;
	u32 version, entry, phoff, shoff, flags;
	u16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
	KERNEL_FROM_BYTES(Elf32Header, 52);
};

struct [[gnu::packed]] Elf32SectionHeader {
	u32 name, type, flags, addr, offset, size, link, info, addralign, entsize;
	KERNEL_FROM_BYTES(Elf32SectionHeader, 40);
};

/*
 * Why a file was refused: the errno, the file offset of the structure at
 * fault, its name and the problem (static strings), for one line:
 *
 *	dev_warn(dev, "%s: %s at %#zx: %s (%d)\n", path, e.structure,
 *		 e.offset, e.problem, e.error.to_errno());
 *
 * errno values: EINVAL (a bad magic, class or field), ERANGE (an offset
 * or size that points outside the file or its payload), ENOENT (a
 * required ELF section is missing), EOVERFLOW (offset arithmetic that
 * overflows).
 */
struct FwError {
	kernel::Error error = kernel::err::EINVAL;
	size_t offset = 0;
	const char *structure = "file";
	const char *problem = "not parsed";
};

/* A byte range of a file. */
struct Span {
	size_t offset;
	size_t size;
};

/* A container: its header and where its payload is. */
struct BinFile {
	BinHeader hdr;
	Span data;
};

/* booter_load, booter_unload, scrubber. */
struct HsFirmware {
	BinFile bin;
	HsHeaderV2 hs;
	HsSignatureParams params;
	HsLoadHeaderV2 load;
	HsLoadHeaderV2App app0;
	u32 patch_loc; /* in the ucode */
	u32 patch_sig;
	u32 num_sig;
	u32 sig_size; /* bytes per signature; 0 when unsigned */
	size_t sig_start; /* file offset of signature 0 */
};

/* bootloader (the GSP's RISC-V bootloader). */
struct RiscvFirmware {
	BinFile bin;
	RiscvUcodeDesc desc;
};

/* gen_bootloader (the FWSEC bootloader of Turing and GA100). */
struct GenBootloader {
	BinFile bin;
	BootloaderDesc desc;
};

/* gsp: the GSP-RM ELF. */
struct GspElf {
	Span image; /* .fwimage */
	Span signature; /* the chip's .fwsignature_* */
	char version[16]; /* .fwversion, NUL-terminated */
	u16 sections; /* e_shnum */
	u16 signatures; /* .fwsignature_* sections in the file */
};

/* fmc: the FMC ELF of Hopper and Blackwell. */
struct FmcElf {
	Span image, hash, signature, publickey;
	u16 sections;
};

kernel::Result<BinFile> parse_container(kernel::ByteView file, FwError *why);
kernel::Result<HsFirmware> parse_hs(kernel::ByteView file, FwError *why);
kernel::Result<RiscvFirmware> parse_riscv(kernel::ByteView file, FwError *why);
kernel::Result<GenBootloader> parse_gen_bootloader(kernel::ByteView file, FwError *why);
/* @signature: the section name the chip needs (ChipFirmware::gsp_signature). */
kernel::Result<GspElf> parse_gsp(kernel::ByteView file, const char *signature, FwError *why);
kernel::Result<FmcElf> parse_fmc(kernel::ByteView file, FwError *why);

/*
 * The index of the HS firmware's signature that matches @reg_fuse_version
 * (the fuse register's version, 0 where the chip has none to read):
 * 0 means the last signature, else fuse_ver - @reg_fuse_version. EINVAL
 * for an unsigned firmware, a register version above fuse_ver, or an
 * index past the last signature.
 */
kernel::Result<u32> select_signature(const HsFirmware &hs, u32 reg_fuse_version);

/*
 * The fuse version register an HS firmware's signature parameters name,
 * GA102 and later (firmware/fuse.h: its version is fuse_version_of() its value).
 */
kernel::Result<u32> fuse_version_register(const HsSignatureParams &params);

/* The files of a chip, in the order nova-core requests them (the GSP ELF last). */
enum class File : u8 { BooterLoad, BooterUnload, Bootloader, GenBootloader, Scrubber, Fmc, Gsp };
inline constexpr unsigned FILE_COUNT = 7;
/* "booter_load", ... as in the file names. */
const char *file_name(File f);

struct ChipFirmware {
	u32 files; /* bit (1 << File) for each file the chip needs */
	const char *gsp_signature; /* the .fwsignature_* section of its GSP ELF */
	bool fuse_registers; /* the booter's fuse version comes from registers */
	unsigned libos; /* GspSizes::libos */

	bool needs(File f) const { return files & (1u << static_cast<unsigned>(f)); }
};

/* The file set of @chipset (Documentation/firmware.rst). */
const ChipFirmware &chip_firmware(const Chipset &chipset);

/* Radix3 sizes for a .fwimage of @image_size bytes (GspSizes' radix3_* fields). */
void radix3_sizes(size_t image_size, GspSizes &sizes);

} // namespace nova::core::fw

#endif /* NOVA_CORE_FIRMWARE_H */
