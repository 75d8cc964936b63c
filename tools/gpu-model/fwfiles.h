// SPDX-License-Identifier: GPL-2.0
/*
 * The model's reading of NVIDIA's GSP firmware files, as a directory laid
 * out as /lib/firmware holds them (nvidia/<chip>/gsp/NAME-570.144.bin): the
 * HS containers of Booter, the RISC-V bootloader and its descriptor, and
 * the sections of the GSP ELF. Written from Documentation/firmware.rst's
 * description of the formats, sharing nothing with the driver's parsers,
 * so that the two readings check each other. Every read is bounds-checked;
 * a file that does not parse is one line saying what and where.
 */
#ifndef GPU_MODEL_FWFILES_H
#define GPU_MODEL_FWFILES_H

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace gpu_model {

constexpr const char *FIRMWARE_VERSION = "570.144";

/* "DIR/nvidia/CHIP/gsp/NAME-570.144.bin" */
std::string firmware_path(const std::string &dir, const std::string &chip, const std::string &name);

/* The whole file, or "" and its bytes: else why not. */
std::string read_file(const std::string &path, std::vector<uint8_t> &out);

/* The container header (nvfw_bin_hdr) every file but the ELF starts with. */
struct BinHeader {
	uint32_t magic = 0, version = 0, bin_size = 0;
	uint32_t header_offset = 0, data_offset = 0, data_size = 0;
};

/*
 * An HS firmware (booter_load, booter_unload): its ucode (the container's
 * payload), the signatures, where one is patched, the signature
 * parameters and the load map.
 */
struct HsFirmware {
	BinHeader bin;
	std::vector<uint8_t> ucode; /* the payload, as in the file (unpatched) */
	uint32_t patch_loc = 0; /* ucode offset of the signature */
	uint32_t num_sig = 0, sig_size = 0;
	std::vector<uint8_t> signatures; /* num_sig * sig_size bytes */
	uint32_t fuse_ver = 0, engine_id_mask = 0, ucode_id = 0;
	uint32_t os_code_offset = 0, os_code_size = 0;
	uint32_t os_data_offset = 0, os_data_size = 0;
	uint32_t app0_offset = 0, app0_len = 0;

	/*
	 * The signature a fuse version chooses: the last for 0, else
	 * fuse_ver - version; -1 (and @why) when there is none.
	 */
	int signature_index(unsigned fuse_version, std::string *why) const;
	/* The ucode with signature @index patched in at patch_loc. */
	std::vector<uint8_t> patched(unsigned index) const;
};
std::string parse_hs(std::span<const uint8_t> file, HsFirmware &out);

/* The RISC-V bootloader: its ucode and RM_RISCV_UCODE_DESC's first 14 words. */
struct RiscvFirmware {
	BinHeader bin;
	std::vector<uint8_t> ucode;
	uint32_t desc_version = 0, app_version = 0;
	uint32_t manifest_offset = 0, manifest_size = 0;
	uint32_t monitor_data_offset = 0, monitor_data_size = 0;
	uint32_t monitor_code_offset = 0, monitor_code_size = 0;
};
std::string parse_riscv(std::span<const uint8_t> file, RiscvFirmware &out);

/*
 * The generic bootloader that loads FWSEC on the TU102 HAL: its code (the
 * payload's first code_size bytes) and BootloaderDesc's start_tag.
 */
struct GenBootloader {
	BinHeader bin;
	std::vector<uint8_t> code;
	uint32_t start_tag = 0, code_size = 0;
};
std::string parse_gen_bootloader(std::span<const uint8_t> file, GenBootloader &out);

/* An ELF64 section: its bytes' place in the file. */
struct ElfSection {
	uint64_t offset = 0, size = 0;
};
/*
 * Finds section @name in the little-endian ELF64 @file: "" and @out, or
 * why not (a header, the section table or a name out of bounds, no such
 * section).
 */
std::string elf_section(std::span<const uint8_t> file, const std::string &name, ElfSection &out);

/* The fuse register of an HS ucode, 0 when none: as vbios.h's fuse_register(). */
uint32_t hs_fuse_register(uint32_t engine_id_mask, uint32_t ucode_id);

} // namespace gpu_model

#endif /* GPU_MODEL_FWFILES_H */
