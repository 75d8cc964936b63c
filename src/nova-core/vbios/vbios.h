/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VBIOS: the PCI expansion ROM of an NVIDIA GPU, read from the PROM
 * window of BAR0 (0x300000, 1 MiB) and parsed as Documentation/vbios.rst
 * describes: the optional IFR header, the chain of images, the BIT and its
 * tokens, the BIOS version, and the FWSEC falcon ucode descriptor that the
 * PMU lookup table in the FwSec images points to.
 *
 * The ROM is untrusted: it is read into a vector the Vbios owns and every
 * access goes through a ByteView. Each on-ROM structure is declared once
 * below; the parser validates it before anything uses a field of it.
 *
 * Offsets are PROM-relative (from the first byte of the window, IFR header
 * included) in everything this header exposes, errors included.
 */
#ifndef NOVA_CORE_VBIOS_H
#define NOVA_CORE_VBIOS_H

#include <kernel/alloc.h>
#include <kernel/bytes.h>
#include <kernel/error.h>

namespace nova::core {

using ktl::size_t;
using ktl::u16;
using ktl::u32;
using ktl::u8;

/* Where the PROM window is in BAR0, and how much of it the parser reads at most. */
inline constexpr size_t PROM_BASE = 0x300000;
inline constexpr size_t PROM_SIZE = 0x100000;

/* The on-ROM structures, little-endian, as the ROM holds them. */

/* IFR (Init-From-ROM) header: the first words of a full-flash ROM ("NVGI"). */
struct [[gnu::packed]] IfrHeader {
	u32 fixed0; /* signature "NVGI" */
	u32 fixed1; /* 30:16 fixed data size, 15:8 version */
	u32 fixed2; /* 19:0 total data size */
	KERNEL_FROM_BYTES(IfrHeader, 12);
};

/* PCI expansion ROM header, at the start of every image. */
struct [[gnu::packed]] RomHeader {
	u16 signature; /* 0xaa55, or NVIDIA's 0xbb77 / 0x4e56 */
	u8 reserved[0x16];
	u16 pci_data_offset; /* from the start of the image */
	KERNEL_FROM_BYTES(RomHeader, 0x1a);
};

/* PCI data structure: "PCIR", or "NPDS" in NVIDIA's own images. */
struct [[gnu::packed]] PciDataStructure {
	u8 signature[4];
	u16 vendor_id;
	u16 device_id;
	u16 device_list;
	u16 length; /* of this structure, in bytes */
	u8 revision;
	u8 class_code[3];
	u16 image_length; /* in 512-byte units */
	u16 code_revision;
	u8 code_type;
	u8 indicator; /* bit 7: last image */
	u16 max_runtime_length;
	KERNEL_FROM_BYTES(PciDataStructure, 0x18);
};

/* NVIDIA PCI data extension ("NPDE"), 16-byte aligned after the PCIR. */
struct [[gnu::packed]] PciDataExtension {
	u8 signature[4];
	u16 revision;
	u16 length;
	u16 subimage_length; /* in 512-byte units; overrides the PCIR's */
	u8 flags; /* bit 7: last image; overrides the PCIR's */
	KERNEL_FROM_BYTES(PciDataExtension, 11);
};

/* BIOS Information Table header: 0xb8ff "BIT\0". */
struct [[gnu::packed]] BitHeader {
	u16 id;
	u8 signature[4];
	u16 bcd_version;
	u8 header_size;
	u8 token_size;
	u8 token_count;
	u8 checksum;
	KERNEL_FROM_BYTES(BitHeader, 12);
};

/* One BIT token; data_pointer is relative to the start of the PC-AT image. */
struct [[gnu::packed]] BitToken {
	u8 id;
	u8 version;
	u16 data_size;
	u16 data_pointer;
	KERNEL_FROM_BYTES(BitToken, 6);
};

/* The start of the BIOSDATA token's data. */
struct [[gnu::packed]] BiosData {
	u32 version;
	u8 oem_version;
	KERNEL_FROM_BYTES(BiosData, 5);
};

/* PMU lookup table ("falcon ucode table") header and entries. */
struct [[gnu::packed]] PmuLookupTableHeader {
	u8 version;
	u8 header_size;
	u8 entry_size;
	u8 entry_count;
	KERNEL_FROM_BYTES(PmuLookupTableHeader, 4);
};

struct [[gnu::packed]] PmuLookupTableEntry {
	u8 application_id;
	u8 target_id;
	u32 data; /* the descriptor, relative as Documentation/vbios.rst says */
	KERNEL_FROM_BYTES(PmuLookupTableEntry, 6);
};

/* Falcon ucode descriptor, version 2 (Turing, GA100). */
struct [[gnu::packed]] FalconUcodeDescV2 {
	u32 hdr; /* 0: versioned flag, 15:8 version, 31:16 size */
	u32 stored_size;
	u32 uncompressed_size;
	u32 virtual_entry;
	u32 interface_offset;
	u32 imem_phys_base;
	u32 imem_load_size;
	u32 imem_virt_base;
	u32 imem_sec_base;
	u32 imem_sec_size;
	u32 dmem_offset;
	u32 dmem_phys_base;
	u32 dmem_load_size;
	u32 alt_imem_load_size;
	u32 alt_dmem_load_size;
	KERNEL_FROM_BYTES(FalconUcodeDescV2, 60);
};

/* Falcon ucode descriptor, version 3 (GA102 and later). */
struct [[gnu::packed]] FalconUcodeDescV3 {
	u32 hdr;
	u32 stored_size;
	u32 pkc_data_offset;
	u32 interface_offset;
	u32 imem_phys_base;
	u32 imem_load_size;
	u32 imem_virt_base;
	u32 dmem_phys_base;
	u32 dmem_load_size;
	u16 engine_id_mask;
	u8 ucode_id;
	u8 signature_count;
	u16 signature_versions;
	u16 reserved;
	KERNEL_FROM_BYTES(FalconUcodeDescV3, 44);
};

/* Code types of the PCI data structure. */
enum class ImageType : u8 { PciAt = 0x00, Efi = 0x03, Nbsi = 0x70, FwSec = 0xe0 };

/* "PciAt", "Efi", "Nbsi", "FwSec"; nullptr for another code type (print it as 0x%02x). */
const char *image_type_name(u8 code_type);

/* PMU lookup table application ids of FWSEC. */
enum class FwsecApp : u8 { Prod = 0x85, Dbg = 0x45 };

/* "PROD" or "DBG". */
const char *fwsec_app_name(FwsecApp app);

/* BIT token ids the parser uses. */
inline constexpr u8 BIT_TOKEN_BIOSDATA = 0x42;
inline constexpr u8 BIT_TOKEN_FALCON_DATA = 0x70;

/*
 * Why a ROM was refused, or why a part of it is unavailable: the errno, the
 * PROM-relative offset of the structure at fault, its name and the problem,
 * ready for one line:
 *
 *	dev_warn(dev, "VBIOS unavailable: %s at %#zx: %s\n",
 *		 e.structure, e.offset, e.problem);
 *
 * structure and problem are static strings. errno values:
 * ENODEV (no ROM: neither a ROM signature nor "NVGI" at offset 0),
 * EINVAL (a bad signature or field), ERANGE (an offset or length that
 * points outside its image or the 1 MiB window), ENOENT (a required
 * structure is missing), EOPNOTSUPP (an IFR header or ucode descriptor
 * version the parser does not know), E2BIG (too many images), or what the
 * source's read or an allocation failed with.
 */
struct VbiosError {
	kernel::Error error = kernel::err::EINVAL;
	size_t offset = 0;
	const char *structure = "VBIOS";
	const char *problem = "not parsed";
};

/* One image of the chain, in ROM order. */
struct VbiosImage {
	size_t offset; /* PROM-relative */
	size_t length; /* bytes: NPDE sub-image length, else PCIR image length */
	u8 code_type;
	u16 signature; /* of its ROM header */
	bool last;
};

/* BIOSDATA's version: the sysfs vbios_version text. */
struct VbiosVersion {
	u32 version;
	u8 oem;

	/* "%02x.%02x.%02x.%02x.%02x" and its NUL. */
	static constexpr size_t STR_SIZE = 15;
	void format(char (&out)[STR_SIZE]) const;
};

/* A validated falcon ucode descriptor (version 2 or 3). */
class FalconUcodeDesc {
public:
	/*
	 * The descriptor at the start of @at: its header must be versioned
	 * (bit 0) with version 2 or 3 (else EOPNOTSUPP), its size at least
	 * its version's structure's and all of it inside @at (else ERANGE,
	 * EINVAL). @problem says which, for VbiosError.
	 */
	static kernel::Result<FalconUcodeDesc> parse(kernel::ByteView at, const char **problem);

	u8 version() const { return version_; }
	/* Bytes of the descriptor (signatures included on V3), from its header. */
	u32 size() const { return hdr() >> 16; }
	u32 hdr() const { return version_ == 2 ? v2_.hdr : v3_.hdr; }
	u32 stored_size() const { return version_ == 2 ? v2_.stored_size : v3_.stored_size; }
	u32 imem_load_size() const
	{
		return version_ == 2 ? v2_.imem_load_size : v3_.imem_load_size;
	}
	u32 dmem_load_size() const
	{
		return version_ == 2 ? v2_.dmem_load_size : v3_.dmem_load_size;
	}
	/* The whole descriptor of its version; nullptr for the other. */
	const FalconUcodeDescV2 *v2() const { return version_ == 2 ? &v2_ : nullptr; }
	const FalconUcodeDescV3 *v3() const { return version_ == 3 ? &v3_ : nullptr; }

private:
	FalconUcodeDesc() = default;
	u8 version_ = 0;
	FalconUcodeDescV2 v2_ {};
	FalconUcodeDescV3 v3_ {};
};

/* What the sysfs fwsec file shows, and where the parser found it. */
struct Fwsec {
	FwsecApp app;
	size_t pmu_table_offset; /* PROM-relative */
	size_t desc_offset; /* PROM-relative */
	FalconUcodeDesc desc;
};

/*
 * Where the parser reads the ROM from. A source is any type with
 *
 *	Result<void> read_block(size_t off, size_t len, KVec<u8> &out, Gfp gfp) const;
 *
 * that appends @len bytes at PROM offset @off to @out (both multiples of
 * 4), or fails leaving @out as it was. The parser asks for each byte once,
 * in order, and for at most PROM_SIZE bytes in all.
 */
class RomSource {
public:
	virtual kernel::Result<void> read_block(size_t off, size_t len, kernel::KVec<u8> &out,
						kernel::Gfp gfp) const = 0;

protected:
	~RomSource() = default;
};

template <typename S> class RomSourceOf final : public RomSource {
public:
	explicit RomSourceOf(const S &s) : s_(s) {}
	kernel::Result<void> read_block(size_t off, size_t len, kernel::KVec<u8> &out,
					kernel::Gfp gfp) const override
	{
		return s_.read_block(off, len, out, gfp);
	}

private:
	const S &s_;
};

/*
 * The PROM window of a BAR whose read_block() takes BAR-relative offsets
 * (io::Io): PROM offset off is BAR offset PROM_BASE + off. Reads beyond
 * the window are refused with ERANGE.
 */
template <typename Bar> class PromWindow {
public:
	explicit PromWindow(const Bar &bar) : bar_(bar) {}

	kernel::Result<void> read_block(size_t off, size_t len, kernel::KVec<u8> &out,
					kernel::Gfp gfp) const
	{
		size_t end;
		if (ktl::add_overflows(off, len, &end) || end > PROM_SIZE)
			return kernel::err::ERANGE;
		return bar_.read_block(PROM_BASE + off, len, out, gfp);
	}

private:
	const Bar &bar_;
};

/* A parsed VBIOS: the bytes read and what they say. */
class Vbios {
public:
	/*
	 * Reads and parses the ROM from @source. On failure, *@why (if not
	 * nullptr) says why. A ROM whose chain, BIT and BIOSDATA parse is a
	 * Vbios even when FWSEC cannot be found: then fwsec() is nullptr and
	 * fwsec_error() says why.
	 */
	template <typename S>
	static kernel::Result<Vbios> read(const S &source, kernel::Gfp gfp, VbiosError *why)
	{
		return read_from(RomSourceOf<S>(source), gfp, why);
	}
	static kernel::Result<Vbios> read_from(const RomSource &source, kernel::Gfp gfp,
					       VbiosError *why);

	Vbios(Vbios &&) = default;
	Vbios &operator=(Vbios &&) = default;

	/* Every byte read, from PROM offset 0 (IFR header included). */
	kernel::ByteView bytes() const { return kernel::ByteView(data_); }
	/* PROM offset of the first PCI ROM image (after an IFR header). */
	size_t rom_offset() const { return rom_offset_; }
	const kernel::KVec<VbiosImage> &images() const { return images_; }
	/* PROM offset of the BIT header. */
	size_t bit_offset() const { return bit_offset_; }
	const kernel::KVec<BitToken> &bit_tokens() const { return tokens_; }
	VbiosVersion version() const { return version_; }
	/* The FWSEC application, or nullptr if the ROM has none usable. */
	const Fwsec *fwsec() const { return fwsec_.get(); }
	/* Why fwsec() is nullptr. */
	const VbiosError &fwsec_error() const { return fwsec_error_; }

private:
	friend class VbiosParser;
	Vbios() = default;

	kernel::KVec<u8> data_;
	size_t rom_offset_ = 0;
	kernel::KVec<VbiosImage> images_;
	size_t bit_offset_ = 0;
	kernel::KVec<BitToken> tokens_;
	VbiosVersion version_ {};
	kernel::KBox<Fwsec> fwsec_;
	VbiosError fwsec_error_ {};
};

} // namespace nova::core

#endif /* NOVA_CORE_VBIOS_H */
