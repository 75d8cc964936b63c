// SPDX-License-Identifier: GPL-2.0
/*
 * The model's own reading of the VBIOS in its PROM window: the image chain,
 * the BIT and its tokens, the PMU lookup table and FWSEC's falcon ucode
 * descriptor (Documentation/vbios.rst), and the DMEM structures FWSEC-FRTS
 * takes its command from (Documentation/fb-layout.rst). It is written from
 * the format's documentation and shares nothing with the driver's parser:
 * the model checks what the driver loads into the GSP falcon against what
 * the ROM holds, so the two readings check each other
 * (Documentation/gpu-model.rst, "The VBIOS as the model reads it").
 *
 * Every read is bounds-checked; a ROM the model cannot use gives one line
 * saying which structure, at which PROM offset, and what is wrong with it.
 */
#ifndef GPU_MODEL_VBIOS_H
#define GPU_MODEL_VBIOS_H

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace gpu_model {

/* One image of the chain. */
struct RomImage {
	uint32_t offset = 0; /* PROM offset */
	uint32_t length = 0; /* bytes; the NPDE's length when the image has one */
	uint16_t signature = 0; /* 0xaa55, 0xbb77 or 0x4e56 */
	uint8_t code_type = 0; /* 0x00 PC-AT, 0x03 EFI, 0x70 NBSI, 0xe0 FwSec */
	bool npde = false; /* its NPDE was used */
	bool last = false;
};

struct BitToken {
	uint8_t id = 0, version = 0;
	uint16_t size = 0;
	uint16_t pointer = 0; /* from the start of the PC-AT image */
};

/* The ROM's structure up to FWSEC, as far as it was read. */
struct RomLayout {
	uint32_t ifr_version = 0; /* 0: no IFR header */
	uint32_t first_image = 0; /* PROM offset of the first PCI ROM image */
	std::vector<RomImage> images;
	uint32_t bit = 0; /* PROM offset of the BIT header (0: none found) */
	std::vector<BitToken> tokens;
	bool biosdata = false; /* BIOSDATA was read: */
	uint32_t bios_version = 0;
	uint8_t oem_version = 0;

	/* As sysfs shows it: "90.04.76.40.4c". */
	std::string version() const;
};

/*
 * FWSEC as the ROM holds it. Offsets named "PROM offset" count from the
 * start of the PROM window (IFR header included); "DMEM offset" counts
 * from the start of the ucode's DMEM, which the falcon holds at
 * dmem_phys_base.
 */
struct FwsecImage {
	static constexpr uint8_t APP_FWSEC_PROD = 0x85;
	static constexpr uint8_t APP_FWSEC_DBG = 0x45;
	static constexpr uint32_t SIGNATURE_SIZE = 384; /* one RSA-3K signature */
	static constexpr uint32_t DMEMMAPPER_SIZE = 64; /* DMEM_MAPPER_V3 */
	static constexpr uint32_t INIT_CMD = 0x2c; /* init_cmd in the DMEM mapper */
	static constexpr uint32_t CMD_FRTS = 0x15;
	static constexpr uint32_t CMD_SB = 0x19;
	static constexpr uint32_t FRTS_CMD_SIZE = 44; /* ReadVbios (24), FrtsRegion (20) */
	static constexpr uint32_t FRTS_REGION_TYPE_FB = 2;

	/* Where it was found. */
	uint32_t falcon_data = 0; /* the falcon data token's pointer, as stored */
	uint32_t pmu_table = 0; /* PROM offset of the PMU lookup table */
	uint8_t pmu_version = 0, pmu_entry_count = 0;
	uint8_t application = 0; /* APP_FWSEC_PROD or APP_FWSEC_DBG */
	uint32_t descriptor_pointer = 0; /* the PMU entry's data, as stored */
	uint32_t descriptor = 0; /* PROM offset of the descriptor */
	uint32_t image_end = 0; /* PROM offset of the end of its FwSec image */
	uint32_t ucode = 0; /* PROM offset of the stored ucode: IMEM, then DMEM */

	/* The falcon ucode descriptor, both versions. */
	unsigned version = 0; /* 2 or 3 */
	uint32_t descriptor_size = 0; /* header bits 31:16; V3's signatures included */
	uint32_t stored_size = 0;
	uint32_t interface_offset = 0; /* DMEM offset of the application interface table */
	uint32_t imem_phys_base = 0, imem_load_size = 0, imem_virt_base = 0;
	uint32_t dmem_offset = 0; /* where the DMEM starts in the ucode: V2's field, V3's IMEM
				     load size */
	uint32_t dmem_phys_base = 0, dmem_load_size = 0;
	/* V2 only (0 on V3). */
	uint32_t uncompressed_size = 0, virtual_entry = 0;
	uint32_t imem_sec_base = 0, imem_sec_size = 0; /* the secure part: virtual base, size */
	uint32_t alt_imem_load_size = 0, alt_dmem_load_size = 0;
	/* V3 only (0 on V2). */
	uint32_t pkc_data_offset = 0; /* DMEM offset of the signature patch */
	uint16_t engine_id_mask = 0;
	uint8_t ucode_id = 0, signature_count = 0;
	uint16_t signature_versions = 0; /* one bit per signature, by fuse version */
	uint32_t signatures = 0; /* PROM offset of the first signature */

	std::vector<uint8_t> imem; /* imem_load_size bytes of the ucode */
	std::vector<uint8_t> dmem; /* dmem_load_size bytes from dmem_offset */
	std::vector<uint8_t> signature_data; /* signature_count signatures */

	/* The application interface table, at interface_offset in DMEM. */
	struct {
		uint32_t offset = 0; /* DMEM offset */
		uint8_t version = 0, header_size = 0, entry_size = 0, entry_count = 0;
	} appif;
	/* Its DMEMMAPPER application (id 4), FALCON_APPLICATION_INTERFACE_DMEM_MAPPER_V3. */
	struct {
		uint32_t offset = 0; /* DMEM offset */
		uint32_t signature = 0; /* "DMAP" */
		uint16_t version = 0, size = 0;
		uint32_t cmd_in_offset = 0, cmd_in_size = 0; /* DMEM offset, bytes */
		uint32_t cmd_out_offset = 0, cmd_out_size = 0;
		uint32_t init_cmd = 0; /* as the ROM has it (CMD_SB in NVIDIA's) */
	} dmemmapper;

	/* A V3 descriptor with signatures: the DMEM must carry one. */
	bool is_signed() const { return version == 3 && signature_count; }
	/*
	 * V2's IMEM parts, as offsets in the IMEM bytes (which mirror IMEM):
	 * the non-secure part at imem_phys_base, the secure part at
	 * imem_sec_base - imem_virt_base + imem_phys_base. V3: all of it is
	 * one part at imem_phys_base.
	 */
	uint32_t imem_ns_offset() const { return imem_phys_base; }
	uint32_t imem_ns_size() const { return imem_load_size - imem_sec_size; }
	uint32_t imem_sec_offset() const
	{
		return version == 2 ? imem_sec_base - imem_virt_base + imem_phys_base : 0;
	}
	std::span<const uint8_t> signature(unsigned index) const;
};

/*
 * Reads @rom as the PROM window shows it (its first 1 MiB) through the
 * image chain, the BIT and BIOSDATA, to FWSEC's descriptor, ucode and DMEM
 * mapper. "" and both filled, or why not: "STRUCTURE at 0xOFFSET: PROBLEM".
 * @layout holds what was read before the failure.
 */
std::string read_vbios(std::span<const uint8_t> rom, RomLayout &layout, FwsecImage &fwsec);

/*
 * What the driver loaded into DMEM, checked against the ROM's FWSEC. @dmem
 * is the ucode's DMEM as the falcon holds it: its bytes from
 * dmem_phys_base on.
 */
struct FrtsCheck {
	bool ok = false; /* the DMEM carries the FRTS command */
	std::string why; /* when not: what is missing or wrong, and where */
	uint32_t init_cmd = 0;
	uint64_t start = 0, size = 0; /* the FRTS region, bytes */
	uint32_t type = 0;
};
/*
 * The DMEM mapper's init_cmd is CMD_FRTS and its command-in buffer holds
 * ReadVbios {1, 24, 0, 0, flags 2} and FrtsRegion {1, 20, start >> 12,
 * size >> 12, type FB}. The region is returned even when a field is wrong.
 */
FrtsCheck check_frts(const FwsecImage &fw, std::span<const uint8_t> dmem);

/*
 * The signature a fuse version chooses: the one whose bit of
 * signature_versions is that version, its index the count of the bits
 * below it. -1, and @why, when there is none.
 */
int signature_index(const FwsecImage &fw, unsigned fuse_version, std::string *why = nullptr);

struct SignatureCheck {
	bool needed = false; /* a signed (V3) descriptor */
	bool ok = false; /* not needed, or the chosen signature is at the patch location */
	int index = -1; /* the chosen signature, -1: none */
	int found = -1; /* the signature the DMEM holds there, -1: none of them */
	std::string why;
};
SignatureCheck check_signature(const FwsecImage &fw, unsigned fuse_version,
			       std::span<const uint8_t> dmem);

/*
 * The first DMEM offset where @dmem differs from the ROM's DMEM outside
 * the driver's patches (init_cmd, the FRTS command and, when signed, the
 * signature), or -1. A @dmem shorter than the DMEM load size differs at
 * its end.
 */
int64_t first_unpatched_difference(const FwsecImage &fw, std::span<const uint8_t> dmem);

/*
 * The fuse register that holds the version for this ucode:
 * NV_FUSE_OPT_FPF_<engine>_UCODE1_VERSION + 4 * (ucode_id - 1) of the
 * first of SEC2 (mask bit 0), NVDEC (bit 2) and GSP (bit 10) in
 * engine_id_mask; 0 when none (no known engine, ucode id outside 1..16).
 */
uint32_t fuse_register(const FwsecImage &fw);
/* The fuse version a fuse register holds: its highest set bit of 15:0, from 1; 0 if none. */
unsigned fuse_version(uint32_t value);

/*
 * The JSON --describe-vbios prints: the layout, and the FWSEC facts when
 * @error is empty, else {"error": ...} beside the layout read so far.
 */
std::string describe_vbios_json(const RomLayout &layout, const FwsecImage &fwsec,
				const std::string &error);

/*
 * --describe-vbios FILE: prints describe_vbios_json() of the ROM in FILE
 * on standard output; 0, or 2 with one line on standard error saying why
 * the ROM has no FWSEC the model can use.
 */
int describe_vbios(const std::string &path);

} // namespace gpu_model

#endif /* GPU_MODEL_VBIOS_H */
