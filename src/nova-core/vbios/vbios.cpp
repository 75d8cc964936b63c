// SPDX-License-Identifier: GPL-2.0
/*
 * Reading and parsing the VBIOS. Documentation/vbios.rst describes the
 * format as this file reads it; the comments here say only why.
 *
 * The ROM is read into the Vbios's vector from PROM offset 0 on, as far as
 * the walk needs and no further: a prefix that grows, so no byte is read
 * twice and the total stays within PROM_SIZE. Every structure is read whole
 * from that vector through a ByteView and checked before it is used. So a
 * PROM whose bytes change between reads (a failing GPU, the GPU model's
 * hostile mode) gives bytes that do not parse, or parse as other bytes
 * would, never an access out of bounds: no byte is read from the GPU
 * again, and a length or offset, whenever it was read, indexes the vector
 * through a bounds check when it is used.
 */
#include "vbios/vbios.h"

using namespace kernel;

namespace nova::core {

namespace {

constexpr u32 IFR_SIGNATURE = 0x4947564e; /* "NVGI" */
constexpr u32 ROM_DIRECTORY_SIGNATURE = 0x44524652; /* "RFRD" */
/* IFR v3: the ROM directory is this far past the flash status offset. */
constexpr size_t ROM_DIRECTORY_DISTANCE = 4096;

constexpr u16 ROM_SIGNATURE_PCI = 0xaa55;
constexpr u16 ROM_SIGNATURE_NVIDIA = 0xbb77;
constexpr u16 ROM_SIGNATURE_NV = 0x4e56;

constexpr size_t IMAGE_UNIT = 512;
constexpr u8 LAST_IMAGE = 0x80;
/*
 * Real ROMs hold four or five images; a chain longer than this is
 * refused rather than walked to the end of the window.
 */
constexpr size_t MAX_IMAGES = 32;

constexpr u8 BIT_PATTERN[] = { 0xff, 0xb8, 'B', 'I', 'T', 0x00 };

/* Falcon ucode descriptor header: bit 0 says the header is versioned. */
constexpr u32 DESC_VERSIONED = 1;

bool is_rom_signature(u16 sig)
{
	return sig == ROM_SIGNATURE_PCI || sig == ROM_SIGNATURE_NVIDIA || sig == ROM_SIGNATURE_NV;
}

bool signature_is(const u8 (&sig)[4], const char (&want)[5])
{
	for (size_t i = 0; i < 4; i++)
		if (sig[i] != static_cast<u8>(want[i]))
			return false;
	return true;
}

char hex_digit(u32 v)
{
	return "0123456789abcdef"[v & 0xf];
}

} // namespace

const char *image_type_name(u8 code_type)
{
	switch (code_type) {
	case static_cast<u8>(ImageType::PciAt):
		return "PciAt";
	case static_cast<u8>(ImageType::Efi):
		return "Efi";
	case static_cast<u8>(ImageType::Nbsi):
		return "Nbsi";
	case static_cast<u8>(ImageType::FwSec):
		return "FwSec";
	}
	return nullptr;
}

const char *fwsec_app_name(FwsecApp app)
{
	return app == FwsecApp::Prod ? "PROD" : "DBG";
}

void VbiosVersion::format(char (&out)[STR_SIZE]) const
{
	const u32 bytes[5] = { version >> 24, version >> 16, version >> 8, version, oem };
	size_t pos = 0;

	for (size_t i = 0; i < 5; i++) {
		if (i)
			out[pos++] = '.';
		out[pos++] = hex_digit(bytes[i] >> 4);
		out[pos++] = hex_digit(bytes[i]);
	}
	out[pos] = '\0';
}

Result<FalconUcodeDesc> FalconUcodeDesc::parse(ByteView at, const char **problem)
{
	auto hdr = at.le32(0);
	if (!hdr) {
		*problem = "runs past its FwSec image";
		return err::ERANGE;
	}
	if (!(*hdr & DESC_VERSIONED)) {
		*problem = "unversioned header";
		return err::EOPNOTSUPP;
	}

	FalconUcodeDesc desc;
	desc.version_ = (*hdr >> 8) & 0xff;
	size_t minimum;
	if (desc.version_ == 2) {
		minimum = sizeof(FalconUcodeDescV2);
	} else if (desc.version_ == 3) {
		minimum = sizeof(FalconUcodeDescV3);
	} else {
		*problem = "unknown version";
		return err::EOPNOTSUPP;
	}
	size_t size = *hdr >> 16;
	if (size < minimum) {
		*problem = "size smaller than its version's";
		return err::EINVAL;
	}
	if (size > at.len()) {
		*problem = "runs past its FwSec image";
		return err::ERANGE;
	}
	if (desc.version_ == 2)
		desc.v2_ = TRY(at.read<FalconUcodeDescV2>(0));
	else
		desc.v3_ = TRY(at.read<FalconUcodeDescV3>(0));
	return desc;
}

/*
 * One parse: builds a Vbios, reporting the first problem to *why_. After
 * BIOSDATA, why_ points at the Vbios's own fwsec_error_: what fails from
 * there on leaves FWSEC unavailable and the rest of the Vbios valid.
 */
class VbiosParser {
public:
	VbiosParser(const RomSource &source, Gfp gfp, VbiosError *why)
		: source_(source), gfp_(gfp), why_(why)
	{}

	Result<Vbios> run();

private:
	Error fail(Error e, size_t off, const char *structure, const char *problem)
	{
		if (why_)
			*why_ = VbiosError { e, off, structure, problem };
		return e;
	}

	Result<void> ensure(size_t off, size_t len, const char *structure);

	template <FromBytes T> Result<T> read(size_t off, const char *structure)
	{
		TRY(ensure(off, sizeof(T), structure));
		auto v = ByteView(vbios_.data_).read<T>(off);
		if (!v)
			return fail(v.error(), off, structure, "cannot be read");
		return v.take();
	}

	Result<void> find_rom_start();
	Result<void> walk_images();
	Result<void> parse_bit();
	Result<void> parse_bios_data();
	Result<KBox<Fwsec>> find_fwsec();
	const BitToken *find_token(u8 id, size_t *entry_offset) const;

	const RomSource &source_;
	Gfp gfp_;
	VbiosError *why_;
	Vbios vbios_;
	const VbiosImage *pci_at_ = nullptr;
	ByteView pci_at_bytes_;
	size_t token_table_ = 0;
	size_t token_size_ = 0;
};

/* Makes [off, off + len) readable, reading what is missing after the prefix. */
Result<void> VbiosParser::ensure(size_t off, size_t len, const char *structure)
{
	KVec<u8> &data = vbios_.data_;
	size_t end;

	if (ktl::add_overflows(off, len, &end) || end > PROM_SIZE)
		return fail(err::ERANGE, off, structure, "outside the 1 MiB ROM window");
	size_t have = data.len();
	if (end <= have)
		return ok();
	/* Whole words: PROM_SIZE is a multiple of 4, so this stays inside it. */
	size_t want = (end + 3) & ~size_t { 3 };
	auto reserved = data.reserve(want - have, gfp_);
	if (!reserved)
		return fail(reserved.error(), have, "ROM", "no memory for its bytes");
	auto r = source_.read_block(have, want - have, data, gfp_);
	if (!r)
		return fail(r.error(), have, "ROM", "read failed");
	if (data.len() != want)
		return fail(err::EIO, have, "ROM", "short read");
	return ok();
}

/*
 * A PCI ROM signature at offset 0 means no IFR header. "NVGI" means one,
 * whose version says where the PCI ROM starts (as nouveau's PROM shadow
 * method and upstream nova-core find it).
 */
Result<void> VbiosParser::find_rom_start()
{
	u32 first = TRY(read<u32>(0, "ROM"));
	if (is_rom_signature(first & 0xffff)) {
		vbios_.rom_offset_ = 0;
		return ok();
	}
	if (first != IFR_SIGNATURE)
		return fail(err::ENODEV, 0, "ROM", "neither a ROM signature nor an IFR header");

	IfrHeader ifr = TRY(read<IfrHeader>(0, "IFR header"));
	u32 version = (ifr.fixed1 >> 8) & 0xff;
	u32 start;
	if (version == 1 || version == 2) {
		size_t fixed_data_size = (ifr.fixed1 >> 16) & 0x7fff;
		start = TRY(read<u32>(fixed_data_size + 4, "IFR header"));
	} else if (version == 3) {
		size_t total_data_size = ifr.fixed2 & 0xfffff;
		u32 flash_status = TRY(read<u32>(total_data_size, "IFR flash status pointer"));
		size_t dir = size_t { flash_status } + ROM_DIRECTORY_DISTANCE;
		u32 sig = TRY(read<u32>(dir, "IFR ROM directory"));
		if (sig != ROM_DIRECTORY_SIGNATURE)
			return fail(err::EINVAL, dir, "IFR ROM directory", "bad signature");
		start = TRY(read<u32>(dir + 8, "IFR ROM directory"));
	} else {
		return fail(err::EOPNOTSUPP, 0, "IFR header", "unknown version");
	}

	if (start >= PROM_SIZE)
		return fail(err::ERANGE, 0, "IFR header",
			    "PCI ROM offset outside the 1 MiB window");
	u16 sig = TRY(read<u16>(start, "ROM header"));
	if (sig != ROM_SIGNATURE_PCI)
		return fail(err::EINVAL, start, "ROM header", "bad signature after the IFR header");
	vbios_.rom_offset_ = start;
	return ok();
}

/*
 * Image after image until one is the last: the NPDE's length and last flag
 * override the PCIR's (so the FwSec images that follow an EFI image whose
 * PCIR says "last" are walked), and an NBSI image is always the last.
 * Offsets only grow (an image is at least 512 bytes), so the walk ends.
 */
Result<void> VbiosParser::walk_images()
{
	size_t off = vbios_.rom_offset_;

	auto reserved = vbios_.images_.reserve(4, gfp_);
	if (!reserved)
		return fail(reserved.error(), off, "image chain", "no memory for its entries");
	for (size_t n = 0; n < MAX_IMAGES; n++) {
		RomHeader hdr = TRY(read<RomHeader>(off, "ROM header"));
		if (!is_rom_signature(hdr.signature))
			return fail(err::EINVAL, off, "ROM header", "bad signature");

		size_t pcir_off = off + hdr.pci_data_offset;
		auto pcir = TRY(read<PciDataStructure>(pcir_off, "PCI data structure"));
		if (!signature_is(pcir.signature, "PCIR") && !signature_is(pcir.signature, "NPDS"))
			return fail(err::EINVAL, pcir_off, "PCI data structure", "bad signature");
		if (pcir.image_length == 0)
			return fail(err::EINVAL, pcir_off, "PCI data structure",
				    "zero image length");

		size_t length = size_t { pcir.image_length } * IMAGE_UNIT;
		bool last = pcir.indicator & LAST_IMAGE;
		if (pcir.code_type == static_cast<u8>(ImageType::Nbsi)) {
			last = true;
		} else {
			/* Looked for only inside the image and the window; else absent. */
			size_t rel = (size_t { hdr.pci_data_offset } + pcir.length + 15) &
				     ~size_t { 15 };
			size_t npde_end = rel + sizeof(PciDataExtension);
			if (npde_end <= length && off + npde_end <= PROM_SIZE) {
				auto npde = TRY(
					read<PciDataExtension>(off + rel, "PCI data extension"));
				if (signature_is(npde.signature, "NPDE") && npde.subimage_length) {
					length = size_t { npde.subimage_length } * IMAGE_UNIT;
					last = npde.flags & LAST_IMAGE;
				}
			}
		}

		TRY(ensure(off, length, "image"));
		auto pushed = vbios_.images_.push(
			VbiosImage { off, length, pcir.code_type, hdr.signature, last }, gfp_);
		if (!pushed)
			return fail(pushed.error(), off, "image", "no memory for its entry");
		if (last)
			return ok();
		off += length;
	}
	return fail(err::E2BIG, off, "image chain", "more images than the parser walks");
}

/* The BIT is found by its signature in the (first) PC-AT image. */
Result<void> VbiosParser::parse_bit()
{
	for (const VbiosImage &image : vbios_.images_) {
		if (image.code_type == static_cast<u8>(ImageType::PciAt)) {
			pci_at_ = &image;
			break;
		}
	}
	if (!pci_at_)
		return fail(err::ENOENT, vbios_.rom_offset_, "PC-AT image", "not found");
	pci_at_bytes_ = TRY(ByteView(vbios_.data_).sub(pci_at_->offset, pci_at_->length));

	auto found = pci_at_bytes_.find(ByteView(BIT_PATTERN));
	if (!found)
		return fail(err::ENOENT, pci_at_->offset, "BIT header",
			    "not found in the PC-AT image");
	size_t bit = *found;
	vbios_.bit_offset_ = pci_at_->offset + bit;
	auto hdr = pci_at_bytes_.read<BitHeader>(bit);
	if (!hdr)
		return fail(err::ERANGE, vbios_.bit_offset_, "BIT header",
			    "runs past the PC-AT image");
	if (hdr->header_size < sizeof(BitHeader))
		return fail(err::EINVAL, vbios_.bit_offset_, "BIT header", "header size too small");
	if (hdr->token_size < sizeof(BitToken))
		return fail(err::EINVAL, vbios_.bit_offset_, "BIT header", "token size too small");

	token_table_ = bit + hdr->header_size;
	token_size_ = hdr->token_size;
	size_t table_len = size_t { hdr->token_count } * token_size_;
	if (!pci_at_bytes_.sub(token_table_, table_len))
		return fail(err::ERANGE, pci_at_->offset + token_table_, "BIT token table",
			    "runs past the PC-AT image");

	auto reserved = vbios_.tokens_.reserve(hdr->token_count, gfp_);
	if (!reserved)
		return fail(reserved.error(), vbios_.bit_offset_, "BIT token table",
			    "no memory for its entries");
	for (size_t i = 0; i < hdr->token_count; i++) {
		BitToken token = TRY(pci_at_bytes_.read<BitToken>(token_table_ + i * token_size_));
		TRY(vbios_.tokens_.push(token, gfp_));
	}
	return ok();
}

/* The first token with @id, and its entry's PROM offset. */
const BitToken *VbiosParser::find_token(u8 id, size_t *entry_offset) const
{
	for (size_t i = 0; i < vbios_.tokens_.len(); i++) {
		const BitToken *token = vbios_.tokens_.get(i);
		if (token->id == id) {
			*entry_offset = pci_at_->offset + token_table_ + i * token_size_;
			return token;
		}
	}
	return nullptr;
}

/* BIT pointers are relative to the start of the PC-AT image. */
Result<void> VbiosParser::parse_bios_data()
{
	size_t entry;
	const BitToken *token = find_token(BIT_TOKEN_BIOSDATA, &entry);
	if (!token)
		return fail(err::ENOENT, vbios_.bit_offset_, "BIOSDATA token", "not found");
	if (token->data_size < sizeof(BiosData))
		return fail(err::EINVAL, entry, "BIOSDATA token", "data too short");
	auto data = pci_at_bytes_.read<BiosData>(token->data_pointer);
	if (!data)
		return fail(err::ERANGE, pci_at_->offset + token->data_pointer, "BIOS data",
			    "outside the PC-AT image");
	vbios_.version_ = VbiosVersion { data->version, data->oem_version };
	return ok();
}

/*
 * Falcon data token -> PMU lookup table -> FWSEC descriptor, with the
 * offset bases of upstream nova-core: the falcon data pointer and the
 * table's descriptor pointers count from the start of the PC-AT image as
 * if the FwSec images followed it directly (the EFI image between them is
 * not counted). So (pointer - PC-AT length) is an offset into the first
 * FwSec image, or past its end into the second (the last FwSec image of
 * the chain); the descriptor must be in the second.
 */
Result<KBox<Fwsec>> VbiosParser::find_fwsec()
{
	size_t entry;
	const BitToken *token = find_token(BIT_TOKEN_FALCON_DATA, &entry);
	if (!token)
		return fail(err::ENOENT, vbios_.bit_offset_, "falcon data token", "not found");
	if (token->data_size < sizeof(u32))
		return fail(err::EINVAL, entry, "falcon data token", "data too short");
	size_t falcon_data = pci_at_->offset + token->data_pointer;
	auto pointer = pci_at_bytes_.le32(token->data_pointer);
	if (!pointer)
		return fail(err::ERANGE, falcon_data, "falcon data", "outside the PC-AT image");
	if (*pointer < pci_at_->length)
		return fail(err::ERANGE, falcon_data, "falcon data", "points into the PC-AT image");

	const VbiosImage *first = nullptr;
	const VbiosImage *second = nullptr;
	for (const VbiosImage &image : vbios_.images_) {
		if (image.code_type != static_cast<u8>(ImageType::FwSec))
			continue;
		if (!first)
			first = &image;
		else
			second = &image;
	}
	if (!first)
		return fail(err::ENOENT, vbios_.rom_offset_, "FwSec image", "not found");
	if (!second)
		return fail(err::ENOENT, first->offset, "FwSec image", "only one in the chain");

	size_t x = *pointer - pci_at_->length;
	const VbiosImage *holder = first;
	if (x >= first->length) {
		x -= first->length;
		holder = second;
	}
	size_t table_off = holder->offset + x;
	if (x >= holder->length)
		return fail(err::ERANGE, table_off, "PMU lookup table", "outside the FwSec images");
	ByteView table = TRY(ByteView(vbios_.data_).sub(table_off, holder->length - x));

	auto hdr = table.read<PmuLookupTableHeader>(0);
	if (!hdr)
		return fail(err::ERANGE, table_off, "PMU lookup table",
			    "runs past its FwSec image");
	if (hdr->header_size < sizeof(PmuLookupTableHeader))
		return fail(err::EINVAL, table_off, "PMU lookup table", "header size too small");
	if (hdr->entry_size < sizeof(PmuLookupTableEntry))
		return fail(err::EINVAL, table_off, "PMU lookup table", "entry size too small");
	if (!table.sub(hdr->header_size, size_t { hdr->entry_count } * hdr->entry_size))
		return fail(err::ERANGE, table_off, "PMU lookup table",
			    "entries run past its FwSec image");

	/* PROD first; DBG only when the table has no PROD application. */
	const FwsecApp apps[] = { FwsecApp::Prod, FwsecApp::Dbg };
	for (FwsecApp app : apps) {
		for (size_t i = 0; i < hdr->entry_count; i++) {
			size_t rel = hdr->header_size + i * hdr->entry_size;
			auto e = TRY(table.read<PmuLookupTableEntry>(rel));
			if (e.application_id != static_cast<u8>(app))
				continue;

			size_t entry_off = table_off + rel;
			if (e.data < pci_at_->length)
				return fail(err::ERANGE, entry_off, "PMU lookup table entry",
					    "descriptor pointer into the PC-AT image");
			size_t y = e.data - pci_at_->length;
			if (y < first->length)
				return fail(err::EINVAL, entry_off, "PMU lookup table entry",
					    "descriptor not in the second FwSec image");
			y -= first->length;
			size_t desc_off = second->offset + y;
			if (y >= second->length)
				return fail(err::ERANGE, desc_off, "falcon ucode descriptor",
					    "outside the FwSec images");
			ByteView at = TRY(ByteView(vbios_.data_).sub(desc_off, second->length - y));
			const char *problem = "invalid";
			auto desc = FalconUcodeDesc::parse(at, &problem);
			if (!desc)
				return fail(desc.error(), desc_off, "falcon ucode descriptor",
					    problem);
			auto fwsec = KBox<Fwsec>::create(
				gfp_, Fwsec { app, table_off, desc_off, desc.take() });
			if (!fwsec)
				return fail(fwsec.error(), desc_off, "falcon ucode descriptor",
					    "no memory for it");
			return fwsec.take();
		}
	}
	return fail(err::ENOENT, table_off, "PMU lookup table", "no FWSEC application");
}

Result<Vbios> VbiosParser::run()
{
	TRY(find_rom_start());
	TRY(walk_images());
	TRY(parse_bit());
	TRY(parse_bios_data());

	why_ = &vbios_.fwsec_error_;
	auto fwsec = find_fwsec();
	if (fwsec)
		vbios_.fwsec_ = fwsec.take();
	return ktl::move(vbios_);
}

Result<Vbios> Vbios::read_from(const RomSource &source, Gfp gfp, VbiosError *why)
{
	VbiosParser parser(source, gfp, why);
	return parser.run();
}

} // namespace nova::core
