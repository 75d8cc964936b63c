// SPDX-License-Identifier: GPL-2.0
/*
 * The model's reading of the VBIOS (vbios.h). The format is that of
 * Documentation/vbios.rst and Documentation/fb-layout.rst, read afresh:
 * each structure is read through bounds-checked accessors that refuse the
 * ROM, naming the structure and its PROM offset, rather than read outside
 * the bytes given.
 */
#include "text.h"
#include "vbios.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

namespace gpu_model {

namespace {

constexpr uint64_t WINDOW = 1 << 20; /* the PROM window */
constexpr unsigned MAX_IMAGES = 32;

constexpr uint16_t SIG_PCI = 0xaa55;
constexpr uint16_t SIG_NV = 0xbb77;
constexpr uint16_t SIG_NV_OLD = 0x4e56;
constexpr uint32_t IFR_SIG = 0x4947564e; /* "NVGI" */
constexpr uint32_t RFRD_SIG = 0x44524652; /* "RFRD" */
constexpr uint32_t PCIR_SIZE = 0x18;
constexpr uint32_t NPDE_SIZE = 0x0b; /* up to its flags byte */
constexpr uint8_t CODE_PCIAT = 0x00;
constexpr uint8_t CODE_NBSI = 0x70;
constexpr uint8_t CODE_FWSEC = 0xe0;
constexpr uint8_t LAST_IMAGE = 0x80;
constexpr uint32_t BLOCK = 512;

constexpr uint32_t BIT_HEADER_SIZE = 12;
constexpr uint32_t BIT_TOKEN_SIZE = 6;
constexpr uint8_t TOKEN_BIOSDATA = 0x42;
constexpr uint8_t TOKEN_FALCON = 0x70;

constexpr uint32_t PMU_HEADER_SIZE = 4;
constexpr uint32_t PMU_ENTRY_SIZE = 6;
constexpr uint32_t DESC_V2_SIZE = 60;
constexpr uint32_t DESC_V3_SIZE = 44;

constexpr uint32_t APPIF_HEADER_SIZE = 4;
constexpr uint32_t APPIF_ENTRY_SIZE = 8;
constexpr uint32_t APPIF_DMEMMAPPER = 4;

/* Fuse version registers by engine id mask bit, in the order they are tried. */
constexpr struct {
	uint16_t engine;
	uint32_t reg;
} FUSE_UCODE_VERSION[] = {
	{ 0x0001, 0x824140 }, /* SEC2 */
	{ 0x0004, 0x824100 }, /* NVDEC */
	{ 0x0400, 0x8241c0 }, /* GSP */
};

/* Why the ROM cannot be used; caught by read_vbios(). */
struct Refusal {
	std::string message;
};

[[noreturn]] void refuse(const std::string &what, uint64_t at, const std::string &problem)
{
	throw Refusal { what + " at " + hex(at) + ": " + problem };
}

/* The bytes of the PROM window the ROM fills, read only through checks. */
class Prom {
public:
	explicit Prom(std::span<const uint8_t> rom)
		: bytes_(rom.first(std::min<size_t>(rom.size(), WINDOW)))
	{}

	/* [off, off + len) must be ROM bytes; else @what at @at is refused. */
	void need(uint64_t off, uint64_t len, const std::string &what, uint64_t at) const
	{
		if (off > WINDOW || len > WINDOW - off)
			refuse(what, at,
			       "bytes " + hex(off) + ".." + hex(off + len) +
				       " run past the 1 MiB PROM window");
		if (off + len > bytes_.size())
			refuse(what, at,
			       "bytes " + hex(off) + ".." + hex(off + len) +
				       " run past the end of the ROM (" + hex(bytes_.size()) +
				       " bytes)");
	}
	uint8_t u8(uint64_t off, const std::string &what, uint64_t at) const
	{
		need(off, 1, what, at);
		return bytes_[off];
	}
	uint16_t u16(uint64_t off, const std::string &what, uint64_t at) const
	{
		need(off, 2, what, at);
		return bytes_[off] | bytes_[off + 1] << 8;
	}
	uint32_t u32(uint64_t off, const std::string &what, uint64_t at) const
	{
		need(off, 4, what, at);
		return static_cast<uint32_t>(bytes_[off]) | bytes_[off + 1] << 8 |
		       bytes_[off + 2] << 16 | static_cast<uint32_t>(bytes_[off + 3]) << 24;
	}
	std::vector<uint8_t> copy(uint64_t off, uint64_t len, const std::string &what,
				  uint64_t at) const
	{
		need(off, len, what, at);
		return std::vector<uint8_t>(bytes_.begin() + off, bytes_.begin() + off + len);
	}
	std::span<const uint8_t> bytes() const { return bytes_; }

private:
	std::span<const uint8_t> bytes_;
};

/* Little-endian reads from a span the caller has bounds-checked. */
uint32_t le32(std::span<const uint8_t> b, uint64_t off)
{
	return static_cast<uint32_t>(b[off]) | b[off + 1] << 8 | b[off + 2] << 16 |
	       static_cast<uint32_t>(b[off + 3]) << 24;
}

uint64_t le64(std::span<const uint8_t> b, uint64_t off)
{
	return le32(b, off) | static_cast<uint64_t>(le32(b, off + 4)) << 32;
}

uint64_t round_up(uint64_t v, uint64_t to)
{
	return (v + to - 1) / to * to;
}

/* Where the first PCI ROM image starts: past an IFR header if there is one. */
uint32_t first_image(const Prom &p, RomLayout &layout)
{
	uint16_t sig = p.u16(0, "ROM", 0);
	if (sig == SIG_PCI || sig == SIG_NV || sig == SIG_NV_OLD)
		return 0;
	if (p.u32(0, "ROM", 0) != IFR_SIG)
		refuse("ROM", 0, "no VBIOS: neither a ROM signature nor an IFR header");
	uint32_t fixed1 = p.u32(4, "IFR header", 0);
	unsigned version = fixed1 >> 8 & 0xff;
	layout.ifr_version = version;
	uint64_t start;
	if (version == 1 || version == 2) {
		start = p.u32((fixed1 >> 16 & 0x7fff) + 4, "IFR header", 0);
	} else if (version == 3) {
		uint32_t total = p.u32(8, "IFR header", 0) & 0xfffff;
		uint64_t dir =
			static_cast<uint64_t>(p.u32(total, "IFR flash status offset", total)) +
			4096;
		if (p.u32(dir, "IFR ROM directory", dir) != RFRD_SIG)
			refuse("IFR ROM directory", dir, "bad signature (not \"RFRD\")");
		start = p.u32(dir + 8, "IFR ROM directory", dir);
	} else {
		refuse("IFR header", 0, "unsupported version " + std::to_string(version));
	}
	if (start >= WINDOW)
		refuse("IFR header", 0, "first image at " + hex(start) + ", past the 1 MiB window");
	if (p.u16(start, "first ROM image", start) != SIG_PCI)
		refuse("first ROM image", start, "no 0xaa55 signature after the IFR header");
	return static_cast<uint32_t>(start);
}

/* The image chain from layout.first_image, by the rules of vbios.rst. */
void walk(const Prom &p, RomLayout &layout)
{
	uint64_t off = layout.first_image;
	for (;;) {
		if (layout.images.size() == MAX_IMAGES)
			refuse("ROM image", off, "more than 32 images in the chain");
		if (off >= WINDOW)
			refuse("ROM image", off, "past the 1 MiB PROM window");
		RomImage img;
		img.offset = static_cast<uint32_t>(off);
		img.signature = p.u16(off, "ROM header", off);
		if (img.signature != SIG_PCI && img.signature != SIG_NV &&
		    img.signature != SIG_NV_OLD)
			refuse("ROM header", off, "bad signature " + hex(img.signature));
		uint64_t pcir = off + p.u16(off + 0x18, "ROM header", off);
		uint32_t pcir_sig = p.u32(pcir, "PCI data structure", pcir);
		if (pcir_sig != 0x52494350 && pcir_sig != 0x5344504e) /* "PCIR", "NPDS" */
			refuse("PCI data structure", pcir, "bad signature");
		p.need(pcir, PCIR_SIZE, "PCI data structure", pcir);
		const char *P = "PCI data structure";
		uint32_t pcir_len = p.u16(pcir + 0x0a, P, pcir);
		uint64_t length = static_cast<uint64_t>(p.u16(pcir + 0x10, P, pcir)) * BLOCK;
		img.code_type = p.u8(pcir + 0x14, P, pcir);
		img.last = p.u8(pcir + 0x15, P, pcir) & LAST_IMAGE;
		if (!length)
			refuse("PCI data structure", pcir, "image length 0");
		if (pcir + PCIR_SIZE > off + length)
			refuse("PCI data structure", pcir, "outside its image");
		/* The NPDE, if any, sizes the image and says whether it is the last. */
		uint64_t npde = off + round_up(pcir - off + pcir_len, 16);
		if (img.code_type != CODE_NBSI && npde + NPDE_SIZE <= off + length &&
		    npde + NPDE_SIZE <= p.bytes().size() &&
		    p.u32(npde, "NPDE", npde) == 0x4544504e /* "NPDE" */ &&
		    p.u16(npde + 8, "NPDE", npde)) {
			img.npde = true;
			length = static_cast<uint64_t>(p.u16(npde + 8, "NPDE", npde)) * BLOCK;
			img.last = p.u8(npde + 0x0a, "NPDE", npde) & LAST_IMAGE;
		}
		if (img.code_type == CODE_NBSI)
			img.last = true;
		p.need(off, length, "ROM image", off);
		img.length = static_cast<uint32_t>(length);
		layout.images.push_back(img);
		if (img.last)
			return;
		off += length;
	}
}

/* The BIT in the first PC-AT image, its tokens and BIOSDATA. */
const RomImage &read_bit(const Prom &p, RomLayout &layout)
{
	auto pciat = std::find_if(layout.images.begin(), layout.images.end(),
				  [](const RomImage &i) { return i.code_type == CODE_PCIAT; });
	if (pciat == layout.images.end())
		refuse("image chain", layout.first_image, "no PC-AT image");
	static constexpr uint8_t PATTERN[] = { 0xff, 0xb8, 'B', 'I', 'T', 0 };
	auto img = p.bytes().subspan(pciat->offset, pciat->length);
	auto hit = std::search(img.begin(), img.end(), std::begin(PATTERN), std::end(PATTERN));
	if (hit == img.end())
		refuse("PC-AT image", pciat->offset, "no BIT header");
	uint64_t rel = hit - img.begin();
	uint64_t bit = pciat->offset + rel;
	layout.bit = static_cast<uint32_t>(bit);
	if (rel + BIT_HEADER_SIZE > pciat->length)
		refuse("BIT header", bit, "runs past the PC-AT image");
	uint8_t header_size = p.u8(bit + 8, "BIT header", bit);
	uint8_t token_size = p.u8(bit + 9, "BIT header", bit);
	uint8_t count = p.u8(bit + 10, "BIT header", bit);
	if (header_size < BIT_HEADER_SIZE)
		refuse("BIT header", bit, "header size " + std::to_string(header_size) + " < 12");
	if (token_size < BIT_TOKEN_SIZE)
		refuse("BIT header", bit, "token size " + std::to_string(token_size) + " < 6");
	if (rel + header_size + static_cast<uint64_t>(count) * token_size > pciat->length)
		refuse("BIT header", bit,
		       std::to_string(count) + " tokens run past the PC-AT image");
	for (unsigned i = 0; i < count; i++) {
		uint64_t t = bit + header_size + i * token_size;
		BitToken tok;
		tok.id = p.u8(t, "BIT token", t);
		tok.version = p.u8(t + 1, "BIT token", t);
		tok.size = p.u16(t + 2, "BIT token", t);
		tok.pointer = p.u16(t + 4, "BIT token", t);
		layout.tokens.push_back(tok);
	}
	auto bd = std::find_if(layout.tokens.begin(), layout.tokens.end(),
			       [](const BitToken &t) { return t.id == TOKEN_BIOSDATA; });
	if (bd == layout.tokens.end())
		refuse("BIT header", bit, "no BIOSDATA token");
	uint64_t data = pciat->offset + bd->pointer;
	if (bd->size < 5 || bd->pointer + static_cast<uint64_t>(bd->size) > pciat->length)
		refuse("BIOSDATA", data,
		       "data of " + hex(bd->size) + " bytes, not 5 or more inside the PC-AT image");
	layout.bios_version = p.u32(data, "BIOSDATA", data);
	layout.oem_version = p.u8(data + 4, "BIOSDATA", data);
	layout.biosdata = true;
	return *pciat;
}

/*
 * The falcon data and PMU entry pointers: from the PC-AT image's start as
 * if the FwSec images followed it directly. Returns the PROM offset, and
 * in @in_second whether it lies in the second (last) FwSec image.
 */
struct FwsecRegion {
	uint32_t pciat_length;
	const RomImage *first, *second;

	uint64_t resolve(uint32_t pointer, const std::string &what, uint64_t at,
			 bool &in_second) const
	{
		if (pointer < pciat_length)
			refuse(what, at,
			       "pointer " + hex(pointer) + " inside the PC-AT image (" +
				       hex(pciat_length) + " bytes)");
		uint64_t x = pointer - pciat_length;
		in_second = x >= first->length;
		if (!in_second)
			return first->offset + x;
		x -= first->length;
		if (x >= second->length)
			refuse(what, at, "pointer " + hex(pointer) + " past the FwSec images");
		return second->offset + x;
	}
	const RomImage &image(bool in_second) const { return in_second ? *second : *first; }
};

/* The PMU lookup table and FWSEC's entry in it: the descriptor's PROM offset. */
uint64_t find_descriptor(const Prom &p, const RomLayout &layout, const RomImage &pciat,
			 FwsecImage &fw)
{
	auto falcon = std::find_if(layout.tokens.begin(), layout.tokens.end(),
				   [](const BitToken &t) { return t.id == TOKEN_FALCON; });
	if (falcon == layout.tokens.end())
		refuse("BIT header", layout.bit, "no falcon data token");
	uint64_t data = pciat.offset + falcon->pointer;
	if (falcon->size < 4 ||
	    falcon->pointer + static_cast<uint64_t>(falcon->size) > pciat.length)
		refuse("falcon data", data,
		       "data of " + hex(falcon->size) +
			       " bytes, not 4 or more inside the PC-AT image");
	fw.falcon_data = p.u32(data, "falcon data", data);

	FwsecRegion region { pciat.length, nullptr, nullptr };
	unsigned fwsecs = 0;
	for (const RomImage &img : layout.images) {
		if (img.code_type != CODE_FWSEC)
			continue;
		if (!region.first)
			region.first = &img;
		region.second = &img;
		fwsecs++;
	}
	if (fwsecs < 2)
		refuse("image chain", layout.first_image,
		       std::to_string(fwsecs) + " FwSec images, FWSEC needs two");

	bool second;
	uint64_t table = region.resolve(fw.falcon_data, "falcon data", data, second);
	const RomImage &timg = region.image(second);
	uint64_t tend = timg.offset + static_cast<uint64_t>(timg.length);
	fw.pmu_table = static_cast<uint32_t>(table);
	if (table + PMU_HEADER_SIZE > tend)
		refuse("PMU lookup table", table, "header runs past its FwSec image");
	fw.pmu_version = p.u8(table, "PMU lookup table", table);
	uint8_t header_size = p.u8(table + 1, "PMU lookup table", table);
	uint8_t entry_size = p.u8(table + 2, "PMU lookup table", table);
	fw.pmu_entry_count = p.u8(table + 3, "PMU lookup table", table);
	if (header_size < PMU_HEADER_SIZE)
		refuse("PMU lookup table", table, "header size " + std::to_string(header_size));
	if (entry_size < PMU_ENTRY_SIZE)
		refuse("PMU lookup table", table, "entry size " + std::to_string(entry_size));
	if (table + header_size + static_cast<uint64_t>(fw.pmu_entry_count) * entry_size > tend)
		refuse("PMU lookup table", table,
		       std::to_string(fw.pmu_entry_count) + " entries run past its FwSec image");
	int64_t prod = -1, dbg = -1;
	for (unsigned i = 0; i < fw.pmu_entry_count; i++) {
		uint64_t e = table + header_size + i * entry_size;
		uint8_t app = p.u8(e, "PMU lookup table entry", e);
		if (app == FwsecImage::APP_FWSEC_PROD && prod < 0)
			prod = e;
		if (app == FwsecImage::APP_FWSEC_DBG && dbg < 0)
			dbg = e;
	}
	if (prod < 0 && dbg < 0)
		refuse("PMU lookup table", table, "no FWSEC application (0x85 or 0x45)");
	uint64_t entry = prod >= 0 ? prod : dbg;
	fw.application = prod >= 0 ? FwsecImage::APP_FWSEC_PROD : FwsecImage::APP_FWSEC_DBG;
	fw.descriptor_pointer = p.u32(entry + 2, "PMU lookup table entry", entry);
	uint64_t desc =
		region.resolve(fw.descriptor_pointer, "PMU lookup table entry", entry, second);
	if (!second)
		refuse("PMU lookup table entry", entry,
		       "descriptor " + hex(desc) + " in the first FwSec image, not the second");
	fw.image_end = region.second->offset + region.second->length;
	return desc;
}

/* The falcon ucode descriptor at @desc, its signatures and its ucode. */
void read_descriptor(const Prom &p, uint64_t desc, FwsecImage &fw)
{
	const std::string D = "falcon ucode descriptor";
	uint64_t end = fw.image_end;
	fw.descriptor = static_cast<uint32_t>(desc);
	if (desc + 4 > end)
		refuse(D, desc, "header runs past its FwSec image");
	uint32_t hdr = p.u32(desc, D, desc);
	if (!(hdr & 1))
		refuse(D, desc, "unversioned header " + hex(hdr));
	fw.version = hdr >> 8 & 0xff;
	fw.descriptor_size = hdr >> 16;
	if (fw.version != 2 && fw.version != 3)
		refuse(D, desc, "version " + std::to_string(fw.version) + ", not 2 or 3");
	uint32_t want = fw.version == 2 ? DESC_V2_SIZE : DESC_V3_SIZE;
	if (fw.descriptor_size < want)
		refuse(D, desc,
		       "size " + hex(fw.descriptor_size) + ", V" + std::to_string(fw.version) +
			       " needs " + hex(want));
	if (desc + fw.descriptor_size > end)
		refuse(D, desc,
		       "size " + hex(fw.descriptor_size) + " runs past its FwSec image (ends at " +
			       hex(end) + ")");
	auto f32 = [&](uint32_t o) { return p.u32(desc + o, D, desc); };
	fw.stored_size = f32(0x04);
	if (fw.version == 2) {
		fw.uncompressed_size = f32(0x08);
		fw.virtual_entry = f32(0x0c);
		fw.interface_offset = f32(0x10);
		fw.imem_phys_base = f32(0x14);
		fw.imem_load_size = f32(0x18);
		fw.imem_virt_base = f32(0x1c);
		fw.imem_sec_base = f32(0x20);
		fw.imem_sec_size = f32(0x24);
		fw.dmem_offset = f32(0x28);
		fw.dmem_phys_base = f32(0x2c);
		fw.dmem_load_size = f32(0x30);
		fw.alt_imem_load_size = f32(0x34);
		fw.alt_dmem_load_size = f32(0x38);
	} else {
		fw.pkc_data_offset = f32(0x08);
		fw.interface_offset = f32(0x0c);
		fw.imem_phys_base = f32(0x10);
		fw.imem_load_size = f32(0x14);
		fw.imem_virt_base = f32(0x18);
		fw.dmem_phys_base = f32(0x1c);
		fw.dmem_load_size = f32(0x20);
		fw.engine_id_mask = p.u16(desc + 0x24, D, desc);
		fw.ucode_id = p.u8(desc + 0x26, D, desc);
		fw.signature_count = p.u8(desc + 0x27, D, desc);
		fw.signature_versions = p.u16(desc + 0x28, D, desc);
		fw.dmem_offset = fw.imem_load_size;
		uint64_t sigs =
			static_cast<uint64_t>(fw.signature_count) * FwsecImage::SIGNATURE_SIZE;
		if (DESC_V3_SIZE + sigs > fw.descriptor_size)
			refuse(D, desc,
			       std::to_string(fw.signature_count) +
				       " signatures run past its size " + hex(fw.descriptor_size));
		fw.signatures = static_cast<uint32_t>(desc + DESC_V3_SIZE);
		fw.signature_data = p.copy(fw.signatures, sigs, D, desc);
	}

	uint64_t ucode = desc + fw.descriptor_size;
	uint64_t ucode_size = static_cast<uint64_t>(fw.imem_load_size) + fw.dmem_load_size;
	fw.ucode = static_cast<uint32_t>(ucode);
	if (ucode + ucode_size > end)
		refuse("FWSEC ucode", ucode,
		       "IMEM " + hex(fw.imem_load_size) + " + DMEM " + hex(fw.dmem_load_size) +
			       " run past its FwSec image (ends at " + hex(end) + ")");
	if (static_cast<uint64_t>(fw.dmem_offset) + fw.dmem_load_size > ucode_size)
		refuse(D, desc,
		       "DMEM at " + hex(fw.dmem_offset) + " + " + hex(fw.dmem_load_size) +
			       " outside the ucode (" + hex(ucode_size) + " bytes)");
	if (fw.version == 2) {
		if (fw.imem_sec_size > fw.imem_load_size)
			refuse(D, desc,
			       "secure IMEM size " + hex(fw.imem_sec_size) +
				       " over the IMEM load size");
		if (static_cast<uint64_t>(fw.imem_phys_base) + fw.imem_ns_size() >
		    fw.imem_load_size)
			refuse(D, desc, "non-secure IMEM part outside the IMEM");
		if (fw.imem_sec_base < fw.imem_virt_base ||
		    static_cast<uint64_t>(fw.imem_sec_base - fw.imem_virt_base) +
				    fw.imem_phys_base + fw.imem_sec_size >
			    fw.imem_load_size)
			refuse(D, desc,
			       "secure IMEM part at virtual " + hex(fw.imem_sec_base) +
				       " outside the IMEM");
	}
	fw.imem = p.copy(ucode, fw.imem_load_size, "FWSEC ucode", ucode);
	fw.dmem = p.copy(ucode + fw.dmem_offset, fw.dmem_load_size, "FWSEC ucode", ucode);
}

/* The application interface table and its DMEM mapper, in the ROM's DMEM. */
void read_interfaces(FwsecImage &fw)
{
	std::span<const uint8_t> dmem(fw.dmem);
	uint64_t base = static_cast<uint64_t>(fw.ucode) + fw.dmem_offset; /* PROM offset */
	auto where = [&](uint64_t off) { return base + off; };
	auto inside = [&](uint64_t off, uint64_t len, const char *what) {
		if (off > dmem.size() || len > dmem.size() - off)
			refuse(what, where(off),
			       "DMEM " + hex(off) + " + " + hex(len) + " outside the DMEM (" +
				       hex(dmem.size()) + " bytes)");
	};
	uint64_t t = fw.interface_offset;
	const char *A = "application interface table";
	inside(t, APPIF_HEADER_SIZE, A);
	fw.appif.offset = fw.interface_offset;
	fw.appif.version = dmem[t];
	fw.appif.header_size = dmem[t + 1];
	fw.appif.entry_size = dmem[t + 2];
	fw.appif.entry_count = dmem[t + 3];
	if (fw.appif.version != 1)
		refuse(A, where(t), "version " + std::to_string(fw.appif.version) + ", not 1");
	if (fw.appif.header_size < APPIF_HEADER_SIZE)
		refuse(A, where(t), "header size " + std::to_string(fw.appif.header_size));
	if (fw.appif.entry_size < APPIF_ENTRY_SIZE)
		refuse(A, where(t), "entry size " + std::to_string(fw.appif.entry_size));
	inside(t,
	       fw.appif.header_size +
		       static_cast<uint64_t>(fw.appif.entry_count) * fw.appif.entry_size,
	       A);
	int64_t mapper = -1;
	for (unsigned i = 0; i < fw.appif.entry_count && mapper < 0; i++) {
		uint64_t e = t + fw.appif.header_size + i * fw.appif.entry_size;
		if (le32(dmem, e) == APPIF_DMEMMAPPER)
			mapper = le32(dmem, e + 4);
	}
	if (mapper < 0)
		refuse(A, where(t), "no DMEMMAPPER application (id 4)");
	const char *M = "DMEM mapper";
	uint64_t m = mapper;
	inside(m, FwsecImage::DMEMMAPPER_SIZE, M);
	auto &dm = fw.dmemmapper;
	dm.offset = static_cast<uint32_t>(m);
	dm.signature = le32(dmem, m);
	dm.version = dmem[m + 4] | dmem[m + 5] << 8;
	dm.size = dmem[m + 6] | dmem[m + 7] << 8;
	dm.cmd_in_offset = le32(dmem, m + 0x08);
	dm.cmd_in_size = le32(dmem, m + 0x0c);
	dm.cmd_out_offset = le32(dmem, m + 0x10);
	dm.cmd_out_size = le32(dmem, m + 0x14);
	dm.init_cmd = le32(dmem, m + FwsecImage::INIT_CMD);
	if (dm.cmd_in_offset > dmem.size() ||
	    FwsecImage::FRTS_CMD_SIZE > dmem.size() - dm.cmd_in_offset)
		refuse(M, where(m),
		       "command-in buffer at DMEM " + hex(dm.cmd_in_offset) +
			       " cannot hold the FRTS command inside the DMEM (" +
			       hex(dmem.size()) + " bytes)");
	if (dm.cmd_in_size < FwsecImage::FRTS_CMD_SIZE)
		refuse(M, where(m),
		       "command-in buffer of " + hex(dm.cmd_in_size) +
			       " bytes, smaller than the FRTS command");
	if (fw.is_signed() && (fw.pkc_data_offset > dmem.size() ||
			       FwsecImage::SIGNATURE_SIZE > dmem.size() - fw.pkc_data_offset))
		refuse("falcon ucode descriptor", fw.descriptor,
		       "signature patch at DMEM " + hex(fw.pkc_data_offset) +
			       " outside the DMEM (" + hex(dmem.size()) + " bytes)");
}

/* A tiny JSON object writer. */
class Json {
public:
	Json &num(const char *key, uint64_t v)
	{
		sep(key);
		out_ += std::to_string(v);
		return *this;
	}
	Json &boolean(const char *key, bool v)
	{
		sep(key);
		out_ += v ? "true" : "false";
		return *this;
	}
	Json &str(const char *key, const std::string &v)
	{
		sep(key);
		out_ += quote(v);
		return *this;
	}
	Json &raw(const char *key, const std::string &v)
	{
		sep(key);
		out_ += v;
		return *this;
	}
	std::string done() const { return out_ + (first_ ? "{}" : "}"); }

	static std::string quote(const std::string &s)
	{
		std::string q = "\"";
		for (unsigned char c : s) {
			if (c == '"' || c == '\\') {
				q += '\\';
				q += static_cast<char>(c);
			} else if (c < 0x20 || c >= 0x7f) {
				char buf[8];
				std::snprintf(buf, sizeof(buf), "\\u%04x", c);
				q += buf;
			} else {
				q += static_cast<char>(c);
			}
		}
		return q + "\"";
	}

private:
	void sep(const char *key)
	{
		out_ += first_ ? "{" : ", ";
		first_ = false;
		out_ += quote(key) + ": ";
	}
	std::string out_;
	bool first_ = true;
};

std::string array(const std::vector<std::string> &items)
{
	std::string s = "[";
	for (size_t i = 0; i < items.size(); i++)
		s += (i ? ", " : "") + items[i];
	return s + "]";
}

} // namespace

std::string RomLayout::version() const
{
	char buf[24];
	std::snprintf(buf, sizeof(buf), "%02x.%02x.%02x.%02x.%02x", bios_version >> 24,
		      bios_version >> 16 & 0xff, bios_version >> 8 & 0xff, bios_version & 0xff,
		      oem_version);
	return buf;
}

std::span<const uint8_t> FwsecImage::signature(unsigned index) const
{
	if (index >= signature_count || (index + 1ull) * SIGNATURE_SIZE > signature_data.size())
		return {};
	return std::span<const uint8_t>(signature_data)
		.subspan(index * SIGNATURE_SIZE, SIGNATURE_SIZE);
}

std::string read_vbios(std::span<const uint8_t> rom, RomLayout &layout, FwsecImage &fwsec)
{
	layout = RomLayout();
	fwsec = FwsecImage();
	Prom p(rom);
	try {
		layout.first_image = first_image(p, layout);
		walk(p, layout);
		const RomImage &pciat = read_bit(p, layout);
		uint64_t desc = find_descriptor(p, layout, pciat, fwsec);
		read_descriptor(p, desc, fwsec);
		read_interfaces(fwsec);
	} catch (const Refusal &r) {
		return r.message;
	}
	return "";
}

FrtsCheck check_frts(const FwsecImage &fw, std::span<const uint8_t> dmem)
{
	FrtsCheck c;
	const auto &m = fw.dmemmapper;
	uint64_t init = static_cast<uint64_t>(m.offset) + FwsecImage::INIT_CMD;
	uint64_t cmd = m.cmd_in_offset;
	if (init + 4 > dmem.size() || cmd + FwsecImage::FRTS_CMD_SIZE > dmem.size()) {
		c.why = "DMEM of " + hex(dmem.size()) + " bytes: no DMEM mapper at " +
			hex(m.offset) + " or command at " + hex(cmd);
		return c;
	}
	c.init_cmd = le32(dmem, init);
	uint32_t region_ver = le32(dmem, cmd + 24), region_hdr = le32(dmem, cmd + 28);
	c.start = static_cast<uint64_t>(le32(dmem, cmd + 32)) << 12;
	c.size = static_cast<uint64_t>(le32(dmem, cmd + 36)) << 12;
	c.type = le32(dmem, cmd + 40);
	if (c.init_cmd != FwsecImage::CMD_FRTS) {
		c.why = "init_cmd at DMEM " + hex(init) + " is " + hex(c.init_cmd) +
			", not FRTS (0x15)";
		return c;
	}
	if (le32(dmem, cmd) != 1 || le32(dmem, cmd + 4) != 24 || le64(dmem, cmd + 8) != 0 ||
	    le32(dmem, cmd + 16) != 0 || le32(dmem, cmd + 20) != 2) {
		c.why = "ReadVbios at DMEM " + hex(cmd) + " is not {1, 24, 0, 0, flags 2}";
		return c;
	}
	if (region_ver != 1 || region_hdr != 20 || c.type != FwsecImage::FRTS_REGION_TYPE_FB) {
		c.why = "FrtsRegion at DMEM " + hex(cmd + 24) + ": version " +
			std::to_string(region_ver) + ", size " + std::to_string(region_hdr) +
			", type " + std::to_string(c.type) + ", not 1, 20, 2 (FB)";
		return c;
	}
	c.ok = true;
	return c;
}

int signature_index(const FwsecImage &fw, unsigned fuse_version, std::string *why)
{
	auto fail = [&](const std::string &w) {
		if (why)
			*why = w;
		return -1;
	};
	if (!fw.is_signed())
		return fail("the descriptor has no signatures");
	if (fuse_version >= 16 || !(fw.signature_versions >> fuse_version & 1))
		return fail("no signature for fuse version " + std::to_string(fuse_version) +
			    " (versions " + hex(fw.signature_versions) + ")");
	unsigned index = std::popcount(
		static_cast<unsigned>(fw.signature_versions & ((1u << fuse_version) - 1)));
	if (index >= fw.signature_count)
		return fail("fuse version " + std::to_string(fuse_version) + " chooses signature " +
			    std::to_string(index) + " of " + std::to_string(fw.signature_count));
	return static_cast<int>(index);
}

SignatureCheck check_signature(const FwsecImage &fw, unsigned fuse_version,
			       std::span<const uint8_t> dmem)
{
	SignatureCheck c;
	c.needed = fw.is_signed();
	if (!c.needed) {
		c.ok = true;
		c.why = "no signature to patch (V" + std::to_string(fw.version) + ", " +
			std::to_string(fw.signature_count) + " signatures)";
		return c;
	}
	uint64_t at = fw.pkc_data_offset;
	if (at + FwsecImage::SIGNATURE_SIZE > dmem.size()) {
		c.why = "DMEM of " + hex(dmem.size()) + " bytes: no signature at " + hex(at);
		return c;
	}
	auto held = dmem.subspan(at, FwsecImage::SIGNATURE_SIZE);
	for (unsigned i = 0; i < fw.signature_count && c.found < 0; i++) {
		auto s = fw.signature(i);
		if (std::equal(s.begin(), s.end(), held.begin(), held.end()))
			c.found = static_cast<int>(i);
	}
	c.index = signature_index(fw, fuse_version, &c.why);
	if (c.index < 0)
		return c;
	c.ok = c.found == c.index;
	if (!c.ok)
		c.why = "DMEM " + hex(at) + " holds " +
			(c.found < 0 ? std::string("none of the signatures")
				     : "signature " + std::to_string(c.found)) +
			", fuse version " + std::to_string(fuse_version) + " chooses " +
			std::to_string(c.index);
	return c;
}

int64_t first_unpatched_difference(const FwsecImage &fw, std::span<const uint8_t> dmem)
{
	struct Range {
		uint64_t start, end;
	};
	const auto &m = fw.dmemmapper;
	Range patches[3] = {
		{ m.offset + uint64_t(FwsecImage::INIT_CMD),
		  m.offset + uint64_t(FwsecImage::INIT_CMD) + 4 },
		{ m.cmd_in_offset, m.cmd_in_offset + uint64_t(FwsecImage::FRTS_CMD_SIZE) },
		{ 0, 0 },
	};
	if (fw.is_signed())
		patches[2] = { fw.pkc_data_offset,
			       fw.pkc_data_offset + uint64_t(FwsecImage::SIGNATURE_SIZE) };
	for (uint64_t i = 0; i < fw.dmem.size(); i++) {
		bool patched = false;
		for (const Range &r : patches)
			patched |= i >= r.start && i < r.end;
		if (patched)
			continue;
		if (i >= dmem.size() || dmem[i] != fw.dmem[i])
			return static_cast<int64_t>(i);
	}
	return -1;
}

uint32_t fuse_register(const FwsecImage &fw)
{
	if (fw.ucode_id < 1 || fw.ucode_id > 16)
		return 0;
	for (const auto &f : FUSE_UCODE_VERSION)
		if (fw.engine_id_mask & f.engine)
			return f.reg + 4 * (fw.ucode_id - 1);
	return 0;
}

unsigned fuse_version(uint32_t value)
{
	return std::bit_width(value & 0xffff);
}

std::string describe_vbios_json(const RomLayout &layout, const FwsecImage &fw,
				const std::string &error)
{
	std::vector<std::string> images, tokens;
	for (const RomImage &i : layout.images)
		images.push_back(Json().num("offset", i.offset)
					 .num("length", i.length)
					 .num("signature", i.signature)
					 .num("code_type", i.code_type)
					 .boolean("npde", i.npde)
					 .boolean("last", i.last)
					 .done());
	for (const BitToken &t : layout.tokens)
		tokens.push_back(Json().num("id", t.id)
					 .num("version", t.version)
					 .num("size", t.size)
					 .num("pointer", t.pointer)
					 .done());
	Json j;
	j.num("ifr_version", layout.ifr_version)
		.num("first_image", layout.first_image)
		.raw("images", array(images))
		.num("bit", layout.bit)
		.raw("bit_tokens", array(tokens));
	if (layout.biosdata)
		j.str("vbios_version", layout.version());
	if (!error.empty())
		return j.str("error", error).done();
	const auto &m = fw.dmemmapper;
	Json f;
	f.num("falcon_data", fw.falcon_data)
		.num("pmu_table", fw.pmu_table)
		.num("pmu_version", fw.pmu_version)
		.num("pmu_entry_count", fw.pmu_entry_count)
		.num("application", fw.application)
		.str("application_name",
		     fw.application == FwsecImage::APP_FWSEC_PROD ? "PROD" : "DBG")
		.num("descriptor_pointer", fw.descriptor_pointer)
		.num("descriptor", fw.descriptor)
		.num("image_end", fw.image_end)
		.num("version", fw.version)
		.num("descriptor_size", fw.descriptor_size)
		.num("stored_size", fw.stored_size)
		.num("ucode", fw.ucode)
		.num("interface_offset", fw.interface_offset)
		.num("imem_phys_base", fw.imem_phys_base)
		.num("imem_load_size", fw.imem_load_size)
		.num("imem_virt_base", fw.imem_virt_base)
		.num("imem_ns_offset", fw.imem_ns_offset())
		.num("imem_ns_size", fw.version == 2 ? fw.imem_ns_size() : fw.imem_load_size)
		.num("imem_sec_base", fw.imem_sec_base)
		.num("imem_sec_offset", fw.imem_sec_offset())
		.num("imem_sec_size", fw.imem_sec_size)
		.num("dmem_offset", fw.dmem_offset)
		.num("dmem_phys_base", fw.dmem_phys_base)
		.num("dmem_load_size", fw.dmem_load_size);
	if (fw.version == 2)
		f.num("uncompressed_size", fw.uncompressed_size)
			.num("virtual_entry", fw.virtual_entry)
			.num("alt_imem_load_size", fw.alt_imem_load_size)
			.num("alt_dmem_load_size", fw.alt_dmem_load_size);
	else
		f.num("pkc_data_offset", fw.pkc_data_offset)
			.num("engine_id_mask", fw.engine_id_mask)
			.num("ucode_id", fw.ucode_id)
			.num("signature_count", fw.signature_count)
			.num("signature_size", FwsecImage::SIGNATURE_SIZE)
			.num("signature_versions", fw.signature_versions)
			.num("signatures", fw.signatures)
			.num("fuse_register", fuse_register(fw));
	f.raw("appif", Json().num("offset", fw.appif.offset)
			       .num("version", fw.appif.version)
			       .num("header_size", fw.appif.header_size)
			       .num("entry_size", fw.appif.entry_size)
			       .num("entry_count", fw.appif.entry_count)
			       .done())
		.raw("dmemmapper", Json().num("offset", m.offset)
					   .num("signature", m.signature)
					   .num("version", m.version)
					   .num("size", m.size)
					   .num("cmd_in_offset", m.cmd_in_offset)
					   .num("cmd_in_size", m.cmd_in_size)
					   .num("cmd_out_offset", m.cmd_out_offset)
					   .num("cmd_out_size", m.cmd_out_size)
					   .num("init_cmd", m.init_cmd)
					   .num("init_cmd_offset", m.offset + FwsecImage::INIT_CMD)
					   .done());
	return j.raw("fwsec", f.done()).done();
}

int describe_vbios(const std::string &path)
{
	std::ifstream f(path, std::ios::binary);
	if (!f) {
		std::fprintf(stderr, "gpu-model: --describe-vbios %s: %s\n", path.c_str(),
			     std::strerror(errno));
		return 2;
	}
	std::vector<uint8_t> rom((std::istreambuf_iterator<char>(f)), {});
	RomLayout layout;
	FwsecImage fwsec;
	std::string error = read_vbios(rom, layout, fwsec);
	std::printf("%s\n", describe_vbios_json(layout, fwsec, error).c_str());
	if (error.empty())
		return 0;
	std::fprintf(stderr, "gpu-model: --describe-vbios %s: %s\n", path.c_str(), error.c_str());
	return 2;
}

} // namespace gpu_model
