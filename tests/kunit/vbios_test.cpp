// SPDX-License-Identifier: GPL-2.0
/*
 * kcxx_vbios: nova-core's VBIOS parser (src/nova-core/vbios/vbios.h) on ROMs
 * built by tests/vbios/rom_builder.h: the well-formed variants, and every
 * way the bytes can lie (truncation at every length, every offset and
 * length field at edge values, chains that never end, tables that overrun).
 * Whatever the bytes, a parse ends in a Vbios or in a VbiosError naming
 * the errno, the structure and its offset; KASAN and UBSAN watch every
 * access.
 */
#include <kernel/alloc.h>
#include <kernel/bytes.h>

#include "kunit.h"
/*
 * The parser itself, in this object: nova_core owns src/nova-core/vbios.o,
 * and a second object of this module instantiating the same inline
 * functions would make GCC 12's patchable-entry sections refer to the
 * COMDAT copies the linker drops.
 */
#include "src/nova-core/vbios/vbios.cpp"
#include "tests/vbios/rom_builder.h"

using namespace kernel;
using namespace nova::core;
using namespace nova::test;
using kcxx::kunit::FailNth;
using kcxx::kunit::streq;

namespace {

Result<Vbios> parse(const KVec<u8> &rom, VbiosError *why, int fill = -1)
{
	MemorySource src(ByteView(rom), fill);
	return Vbios::read(src, gfp::KERNEL, why);
}

/* The errnos VbiosError documents. */
bool documented_errno(Error e)
{
	return e == err::ENODEV || e == err::EINVAL || e == err::ERANGE || e == err::ENOENT ||
	       e == err::EOPNOTSUPP || e == err::E2BIG || e == err::EIO || e == err::ENOMEM;
}

/* A failure that says what and where; @r failed with why's errno. */
bool clean_error(const Result<Vbios> &r, const VbiosError &why)
{
	return !r.ok() && r.error() == why.error && documented_errno(why.error) && why.structure &&
	       why.problem && why.offset < PROM_SIZE + 0x100000000ull;
}

/* A Vbios whose every part is consistent with the bytes it holds. */
bool sane(const Vbios &v)
{
	if (v.images().is_empty() || v.bytes().len() > PROM_SIZE)
		return false;
	for (const VbiosImage &img : v.images())
		if (img.offset + img.length > v.bytes().len() || img.length == 0)
			return false;
	if (const Fwsec *f = v.fwsec())
		return (f->desc.version() == 2 || f->desc.version() == 3) &&
		       f->desc_offset < v.bytes().len();
	return true;
}

void expect_fwsec(struct kunit *test, const Vbios &v, FwsecApp app, u8 version, size_t desc_offset)
{
	const Fwsec *f = v.fwsec();
	ASSERT(f != nullptr);
	EXPECT_EQ(f->app, app);
	EXPECT_EQ(f->desc.version(), version);
	EXPECT_EQ(f->desc_offset, desc_offset);
	bool prod = app == FwsecApp::Prod;
	EXPECT_EQ(f->desc.imem_load_size(), prod ? PROD_IMEM : DBG_IMEM);
	EXPECT_EQ(f->desc.dmem_load_size(), prod ? PROD_DMEM : DBG_DMEM);
	EXPECT_EQ(f->desc.stored_size(), prod ? PROD_STORED : DBG_STORED);
	EXPECT_EQ(f->desc.size(), version == 2 ? 60u : 44u);
	EXPECT_EQ(f->desc.v2() != nullptr, version == 2);
	EXPECT_EQ(f->desc.v3() != nullptr, version == 3);
}

/* Everything a well-formed ROM of @o says, checked against its layout. */
void check_rom(struct kunit *test, const RomOptions &o)
{
	KVec<u8> rom;
	RomLayout l;
	ASSERT(build_rom(o, rom, &l).ok());
	VbiosError why;
	MemorySource src { ByteView(rom) };
	auto v = Vbios::read(src, gfp::KERNEL, &why);
	if (!v)
		kcxx_kunit_note(test, "%s at %#zx: %s", why.structure, why.offset, why.problem);
	ASSERT(v.ok());

	EXPECT(!src.reread());
	EXPECT_EQ(src.total(), l.total);
	EXPECT_EQ(v->bytes().len(), l.total);
	EXPECT_EQ(v->rom_offset(), l.rom_start);
	EXPECT_EQ(v->version().version, o.bios_version);
	EXPECT_EQ(v->version().oem, o.oem);

	int want[] = { IMG_PCI_AT, IMG_EFI, IMG_FWSEC1, IMG_FWSEC2 };
	const u8 types[] = { 0x00, 0x03, 0xe0, 0xe0 };
	const u16 sigs[] = { 0xaa55, 0xaa55, 0xbb77, 0xbb77 };
	size_t n = 0;
	for (size_t i = 0; i < 4; i++) {
		if (want[i] == IMG_EFI && !o.efi)
			continue;
		const VbiosImage *img = v->images().get(n++);
		ASSERT(img != nullptr);
		EXPECT_EQ(img->offset, l.image[want[i]]);
		EXPECT_EQ(img->length, l.image_len[want[i]]);
		EXPECT_EQ(img->code_type, types[i]);
		EXPECT_EQ(img->signature, sigs[i]);
		EXPECT_EQ(img->last, want[i] == IMG_FWSEC2);
	}
	EXPECT_EQ(v->images().len(), n);

	EXPECT_EQ(v->bit_offset(), l.bit);
	ASSERT_EQ(v->bit_tokens().len(), l.token_count);
	EXPECT_EQ(v->bit_tokens().get(1)->id, BIT_TOKEN_BIOSDATA);
	EXPECT_EQ(v->bit_tokens().get(1)->data_pointer, BIOS_DATA_AT);
	EXPECT_EQ(v->bit_tokens().get(3)->id, BIT_TOKEN_FALCON_DATA);
	EXPECT_EQ(v->bit_tokens().get(3)->version, 2);
	EXPECT_EQ(v->bit_tokens().get(3)->data_size, 4);

	if (!o.prod && !o.dbg) {
		EXPECT(v->fwsec() == nullptr);
		return;
	}
	if (const Fwsec *f = v->fwsec())
		EXPECT_EQ(f->pmu_table_offset, l.pmu_table);
	if (o.prod)
		expect_fwsec(test, *v, FwsecApp::Prod, o.desc_version, l.prod_desc);
	else
		expect_fwsec(test, *v, FwsecApp::Dbg, o.desc_version, l.dbg_desc);
}

/* A BAR as io::Io reads it, with a ROM at PROM_BASE; records the last read. */
class FakeBar {
public:
	explicit FakeBar(ByteView rom) : rom_(rom) {}

	Result<void> read_block(size_t off, size_t len, KVec<u8> &out, Gfp gfp) const
	{
		last_off_ = off;
		last_len_ = len;
		calls_++;
		if (off < PROM_BASE)
			return err::EINVAL;
		MemorySource rom(rom_);
		return rom.read_block(off - PROM_BASE, len, out, gfp);
	}

	ByteView rom_;
	mutable size_t last_off_ = 0, last_len_ = 0;
	mutable int calls_ = 0;
};

} // namespace

TEST(vbios, parses_turing_rom_with_v2_descriptor)
{
	check_rom(test, turing_v2());
}

TEST(vbios, parses_ga100_rom_behind_ifr_header_with_v2_descriptor)
{
	check_rom(test, ga100_v2());
}

TEST(vbios, parses_ada_rom_with_efi_and_v3_descriptor)
{
	check_rom(test, ada_v3());
}

TEST(vbios, skips_ifr_header_of_versions_1_2_and_3)
{
	const RomOptions presets[] = { turing_v2(), ga100_v2(), ada_v3() };
	for (const RomOptions &p : presets) {
		for (u8 ifr = 0; ifr <= 3; ifr++) {
			RomOptions o = p;
			o.ifr_version = ifr;
			check_rom(test, o);
		}
	}
}

TEST(vbios, prod_application_preferred_over_dbg_listed_first)
{
	RomOptions o = ada_v3();
	o.dbg = true;
	check_rom(test, o);
	o = turing_v2();
	o.dbg = true;
	check_rom(test, o);
}

TEST(vbios, dbg_application_used_without_prod)
{
	RomOptions o = ada_v3();
	o.prod = false;
	o.dbg = true;
	check_rom(test, o);
	o = ga100_v2();
	o.prod = false;
	o.dbg = true;
	check_rom(test, o);
}

TEST(vbios, pmu_table_found_in_first_fwsec_image)
{
	RomOptions o = ada_v3();
	o.pmu_in_first_fwsec = true;
	check_rom(test, o);
}

TEST(vbios, fwsec_images_after_efi_marked_last_in_pcir_are_walked)
{
	/* The EFI image's PCIR says "last"; its NPDE, which wins, does not. */
	KVec<u8> rom;
	RomLayout l;
	ASSERT(build_rom(ada_v3(), rom, &l).ok());
	EXPECT_EQ(*rom.get(l.pcir[IMG_EFI] + 0x15), 0x80);
	VbiosError why;
	auto v = parse(rom, &why);
	ASSERT(v.ok());
	EXPECT_EQ(v->images().len(), 4u);
	EXPECT(v->fwsec() != nullptr);

	/* Without the NPDE, the PCIR's flag ends the chain at the EFI image. */
	poke(rom, l.npde[IMG_EFI], 0, 4);
	auto w = parse(rom, &why);
	ASSERT(w.ok());
	EXPECT_EQ(w->images().len(), 2u);
	EXPECT_EQ(w->bytes().len(), l.image[IMG_FWSEC1]);
	EXPECT(w->fwsec() == nullptr);
	EXPECT_ERR(Result<void>(w->fwsec_error().error), err::ENOENT);
	EXPECT(streq(w->fwsec_error().structure, "FwSec image"));
}

TEST(vbios, npde_length_overrides_pcir_length)
{
	KVec<u8> rom;
	RomLayout l;
	RomOptions o = ada_v3();
	o.pci_at_blocks = 4;
	ASSERT(build_rom(o, rom, &l).ok());
	/* The PCIR claims 4 blocks; the NPDE says 2: the EFI image starts at 2. */
	poke(rom, l.npde[IMG_PCI_AT] + 8, 2, 2);
	VbiosError why;
	auto v = parse(rom, &why);
	ASSERT(!v.ok());
	/* 1024 bytes in: the middle of the PC-AT image, not an image. */
	EXPECT_EQ(why.offset, l.image[IMG_PCI_AT] + 0x400);
	EXPECT(streq(why.structure, "ROM header"));
}

TEST(vbios, nbsi_image_ends_the_chain_whatever_its_flags)
{
	RomOptions o = ada_v3();
	o.nbsi = true;
	KVec<u8> rom;
	RomLayout l;
	ASSERT(build_rom(o, rom, &l).ok());
	VbiosError why;
	auto v = parse(rom, &why);
	ASSERT(v.ok());
	ASSERT_EQ(v->images().len(), 5u);
	EXPECT_EQ(v->images().get(4)->code_type, 0x70);
	EXPECT(v->images().get(4)->last);
	EXPECT(!v->images().get(3)->last);
	EXPECT(v->fwsec() != nullptr);
}

TEST(vbios, no_rom_signature_is_enodev)
{
	const u8 fills[] = { 0x00, 0xff };
	for (u8 fill : fills) {
		KVec<u8> rom;
		ByteBuffer b(rom);
		ASSERT(b.grow_to(4096, fill).ok());
		VbiosError why;
		auto v = parse(rom, &why);
		EXPECT_ERR(v, err::ENODEV);
		EXPECT_EQ(why.offset, 0u);
		EXPECT(streq(why.structure, "ROM"));
	}
	KVec<u8> empty;
	VbiosError why;
	EXPECT_ERR(parse(empty, &why), err::EIO);
}

TEST(vbios, error_names_structure_offset_and_problem)
{
	KVec<u8> rom;
	RomLayout l;
	ASSERT(build_rom(ada_v3(), rom, &l).ok());
	poke(rom, l.pcir[IMG_EFI], 0x58585858, 4);
	VbiosError why;
	auto v = parse(rom, &why);
	EXPECT_ERR(v, err::EINVAL);
	EXPECT(clean_error(v, why));
	EXPECT_EQ(why.offset, l.pcir[IMG_EFI]);
	EXPECT(streq(why.structure, "PCI data structure"));
	EXPECT(streq(why.problem, "bad signature"));
}

TEST(vbios, truncation_at_every_length_fails_cleanly)
{
	/* The smallest images each: the source copies O(length^2) bytes in all. */
	RomOptions ga100 = ga100_v2();
	ga100.ifr_version = 1;
	ga100.pci_at_blocks = 1;
	RomOptions ada = ada_v3();
	ada.pci_at_blocks = 1;
	const RomOptions presets[] = { ga100, ada };
	for (const RomOptions &o : presets) {
		KVec<u8> rom;
		RomLayout l;
		ASSERT(build_rom(o, rom, &l).ok());
		for (size_t len = 0; len < l.total; len++) {
			ByteView cut = ByteView(rom).prefix(len);
			MemorySource src(cut);
			VbiosError why;
			auto v = Vbios::read(src, gfp::KERNEL, &why);
			if (!clean_error(v, why)) {
				kcxx_kunit_note(test, "truncated to %zu bytes", len);
				ASSERT(clean_error(v, why));
			}
			/* Past the end, erased flash: any outcome, but a clean one. */
			if (len % 16)
				continue;
			MemorySource erased(cut, 0xff);
			auto w = Vbios::read(erased, gfp::KERNEL, &why);
			if (w.ok() ? !sane(*w) : !clean_error(w, why)) {
				kcxx_kunit_note(test, "truncated to %zu bytes, then 0xff", len);
				ASSERT(false);
			}
		}
	}
}

TEST(vbios, every_offset_and_length_field_at_edge_values_is_clean)
{
	RomOptions o = ada_v3();
	o.dbg = true;
	o.ifr_version = 3;
	KVec<u8> rom;
	RomLayout l;
	ASSERT(build_rom(o, rom, &l).ok());
	const struct {
		size_t off, width;
	} fields[] = {
		{ 4, 4 },
		{ 8, 4 },
		{ l.ifr_flash_status, 4 },
		{ l.ifr_rom_pointer, 4 },
		{ l.image[IMG_PCI_AT] + 0x18, 2 },
		{ l.pcir[IMG_PCI_AT] + 0x0a, 2 },
		{ l.pcir[IMG_PCI_AT] + 0x10, 2 },
		{ l.npde[IMG_PCI_AT] + 8, 2 },
		{ l.npde[IMG_PCI_AT] + 0x0a, 1 },
		{ l.image[IMG_EFI] + 0x18, 2 },
		{ l.pcir[IMG_EFI] + 0x10, 2 },
		{ l.pcir[IMG_EFI] + 0x14, 1 },
		{ l.npde[IMG_EFI] + 8, 2 },
		{ l.npde[IMG_EFI] + 0x0a, 1 },
		{ l.npde[IMG_FWSEC1] + 8, 2 },
		{ l.pcir[IMG_FWSEC2] + 0x10, 2 },
		{ l.npde[IMG_FWSEC2] + 8, 2 },
		{ l.npde[IMG_FWSEC2] + 0x0a, 1 },
		{ l.bit + 8, 1 },
		{ l.bit + 9, 1 },
		{ l.bit + 10, 1 },
		{ l.biosdata_token + 2, 2 },
		{ l.biosdata_token + 4, 2 },
		{ l.falcon_token + 2, 2 },
		{ l.falcon_token + 4, 2 },
		{ l.falcon_data, 4 },
		{ l.pmu_table + 1, 1 },
		{ l.pmu_table + 2, 1 },
		{ l.pmu_table + 3, 1 },
		{ l.prod_entry + 2, 4 },
		{ l.dbg_entry + 2, 4 },
		{ l.prod_desc, 4 },
	};
	const u32 values[] = { 0,
			       1,
			       0xffffffff,
			       0xfffffffe,
			       0x7fffffff,
			       static_cast<u32>(l.total),
			       static_cast<u32>(l.total + 1),
			       static_cast<u32>(PROM_SIZE),
			       static_cast<u32>(PROM_SIZE - 1) };
	size_t parsed = 0, refused = 0;
	for (const auto &f : fields) {
		for (u32 value : values) {
			KVec<u8> copy;
			ASSERT(build_rom(o, copy, nullptr).ok());
			poke(copy, f.off, value, f.width);
			VbiosError why;
			auto v = parse(copy, &why);
			bool fine = v.ok() ? sane(*v) : clean_error(v, why);
			if (!fine) {
				kcxx_kunit_note(test, "field at %#zx set to %#x", f.off, value);
				ASSERT(fine);
			}
			(v.ok() ? parsed : refused)++;
		}
	}
	/* Both outcomes happen: the edits reach the checks, and some are harmless. */
	EXPECT(parsed > 0);
	EXPECT(refused > 0);
	kcxx_kunit_note(test, "%zu parsed, %zu refused", parsed, refused);
}

TEST(vbios, zero_image_length_is_refused)
{
	KVec<u8> rom;
	RomLayout l;
	ASSERT(build_rom(ada_v3(), rom, &l).ok());
	/* An NPDE length of 0 is ignored; the PCIR's 0 cannot be. */
	poke(rom, l.npde[IMG_EFI] + 8, 0, 2);
	poke(rom, l.pcir[IMG_EFI] + 0x10, 0, 2);
	VbiosError why;
	auto v = parse(rom, &why);
	EXPECT_ERR(v, err::EINVAL);
	EXPECT_EQ(why.offset, l.pcir[IMG_EFI]);
	EXPECT(streq(why.problem, "zero image length"));
}

TEST(vbios, endless_image_chain_stops_at_the_image_cap)
{
	/* One 512-byte image, never last, repeated: as if the chain were a cycle. */
	KVec<u8> rom;
	RomLayout l;
	RomOptions o = ada_v3();
	o.efi = false;
	o.pci_at_blocks = 1;
	ASSERT(build_rom(o, rom, &l).ok());
	constexpr size_t ENDLESS = 0x10000;
	KVec<u8> endless;
	ASSERT(endless.reserve(ENDLESS, gfp::KERNEL).ok());
	for (size_t i = 0; i < ENDLESS; i++)
		if (!endless.push(*rom.get(i % 512), gfp::KERNEL))
			break;
	ASSERT_EQ(endless.len(), ENDLESS);
	MemorySource src { ByteView(endless) };
	VbiosError why;
	auto v = Vbios::read(src, gfp::KERNEL, &why);
	EXPECT_ERR(v, err::E2BIG);
	EXPECT(streq(why.structure, "image chain"));
	EXPECT(src.total() < 64 * 512);
	EXPECT(!src.reread());
}

TEST(vbios, image_running_past_the_window_is_erange_within_1mib)
{
	KVec<u8> rom;
	RomLayout l;
	ASSERT(build_rom(ada_v3(), rom, &l).ok());
	/* The second FwSec image claims 0xffff blocks (32 MiB); the source pads forever. */
	poke(rom, l.npde[IMG_FWSEC2] + 8, 0xffff, 2);
	MemorySource src(ByteView(rom), 0);
	VbiosError why;
	auto v = Vbios::read(src, gfp::KERNEL, &why);
	EXPECT_ERR(v, err::ERANGE);
	EXPECT_EQ(why.offset, l.image[IMG_FWSEC2]);
	EXPECT(streq(why.structure, "image"));
	EXPECT(src.total() <= PROM_SIZE);
	EXPECT(!src.reread());
}

TEST(vbios, bit_token_count_overrunning_the_image_is_erange)
{
	KVec<u8> rom;
	RomLayout l;
	RomOptions o = ada_v3();
	o.pci_at_blocks = 1;
	ASSERT(build_rom(o, rom, &l).ok());
	/* 255 tokens of 6 bytes from 0x6c: past the 512-byte image. */
	poke(rom, l.bit + 10, 0xff, 1);
	VbiosError why;
	auto v = parse(rom, &why);
	EXPECT_ERR(v, err::ERANGE);
	EXPECT_EQ(why.offset, l.tokens);
	EXPECT(streq(why.structure, "BIT token table"));
	/* As many as fit are fine. */
	poke(rom, l.bit + 10, (512 - 0x6c) / 6, 1);
	auto w = parse(rom, &why);
	EXPECT(w.ok());
}

TEST(vbios, missing_bit_or_biosdata_is_enoent)
{
	KVec<u8> rom;
	RomLayout l;
	ASSERT(build_rom(ada_v3(), rom, &l).ok());
	poke(rom, l.biosdata_token, 0x41, 1);
	VbiosError why;
	auto v = parse(rom, &why);
	EXPECT_ERR(v, err::ENOENT);
	EXPECT(streq(why.structure, "BIOSDATA token"));
	poke(rom, l.bit + 2, 'b', 1);
	auto w = parse(rom, &why);
	EXPECT_ERR(w, err::ENOENT);
	EXPECT(streq(why.structure, "BIT header"));
	EXPECT_EQ(why.offset, l.image[IMG_PCI_AT]);
}

TEST(vbios, pmu_table_without_fwsec_keeps_version_fwsec_unavailable)
{
	RomOptions o = ada_v3();
	o.prod = false;
	o.dbg = false;
	KVec<u8> rom;
	RomLayout l;
	ASSERT(build_rom(o, rom, &l).ok());
	VbiosError why;
	auto v = parse(rom, &why);
	ASSERT(v.ok());
	EXPECT_EQ(v->version().version, o.bios_version);
	EXPECT(v->fwsec() == nullptr);
	EXPECT_ERR(Result<void>(v->fwsec_error().error), err::ENOENT);
	EXPECT_EQ(v->fwsec_error().offset, l.pmu_table);
	EXPECT(streq(v->fwsec_error().problem, "no FWSEC application"));
}

TEST(vbios, unknown_descriptor_version_is_refused_fwsec_unavailable)
{
	const u32 bad[] = { 0x002c0401, 0x002c0101, 0x002c0001, 0x002cff01 };
	for (u32 hdr : bad) {
		KVec<u8> rom;
		RomLayout l;
		ASSERT(build_rom(ada_v3(), rom, &l).ok());
		poke(rom, l.prod_desc, hdr, 4);
		VbiosError why;
		auto v = parse(rom, &why);
		ASSERT(v.ok());
		EXPECT(v->fwsec() == nullptr);
		EXPECT_ERR(Result<void>(v->fwsec_error().error), err::EOPNOTSUPP);
		EXPECT_EQ(v->fwsec_error().offset, l.prod_desc);
		EXPECT(streq(v->fwsec_error().problem, "unknown version"));
	}
	/* Bit 0 clear: an unversioned (pre-V2) header. */
	KVec<u8> rom;
	RomLayout l;
	ASSERT(build_rom(turing_v2(), rom, &l).ok());
	poke(rom, l.prod_desc, 0x003c0200, 4);
	VbiosError why;
	auto v = parse(rom, &why);
	ASSERT(v.ok());
	EXPECT_ERR(Result<void>(v->fwsec_error().error), err::EOPNOTSUPP);
	EXPECT(streq(v->fwsec_error().problem, "unversioned header"));
	/* A size below its version's structure. */
	poke(rom, l.prod_desc, 0x00200201, 4);
	auto w = parse(rom, &why);
	ASSERT(w.ok());
	EXPECT_ERR(Result<void>(w->fwsec_error().error), err::EINVAL);
}

TEST(vbios, descriptor_in_first_fwsec_image_is_refused)
{
	KVec<u8> rom;
	RomLayout l;
	ASSERT(build_rom(ada_v3(), rom, &l).ok());
	/* PC-AT length + 0x100: the first FwSec image, where upstream never looks. */
	poke(rom, l.prod_entry + 2, static_cast<u32>(l.image_len[IMG_PCI_AT] + 0x100), 4);
	VbiosError why;
	auto v = parse(rom, &why);
	ASSERT(v.ok());
	EXPECT(v->fwsec() == nullptr);
	EXPECT_ERR(Result<void>(v->fwsec_error().error), err::EINVAL);
	EXPECT_EQ(v->fwsec_error().offset, l.prod_entry);
}

TEST(vbios, falcon_data_pointer_into_pc_at_image_leaves_fwsec_unavailable)
{
	KVec<u8> rom;
	RomLayout l;
	ASSERT(build_rom(ada_v3(), rom, &l).ok());
	poke(rom, l.falcon_data, 0x100, 4);
	VbiosError why;
	auto v = parse(rom, &why);
	ASSERT(v.ok());
	EXPECT_ERR(Result<void>(v->fwsec_error().error), err::ERANGE);
	EXPECT_EQ(v->fwsec_error().offset, l.falcon_data);
}

TEST(vbios, ifr_header_errors_are_named)
{
	KVec<u8> rom;
	RomLayout l;
	ASSERT(build_rom(ga100_v2(), rom, &l).ok());
	VbiosError why;

	poke(rom, l.ifr_directory, 0x52524652, 4);
	EXPECT_ERR(parse(rom, &why), err::EINVAL);
	EXPECT(streq(why.structure, "IFR ROM directory"));
	EXPECT_EQ(why.offset, l.ifr_directory);

	ASSERT(build_rom(ga100_v2(), rom, &l).ok());
	poke(rom, 5, 4, 1);
	EXPECT_ERR(parse(rom, &why), err::EOPNOTSUPP);
	EXPECT(streq(why.structure, "IFR header"));

	ASSERT(build_rom(ga100_v2(), rom, &l).ok());
	poke(rom, l.ifr_rom_pointer, PROM_SIZE, 4);
	EXPECT_ERR(parse(rom, &why), err::ERANGE);

	/* The PCI ROM behind an IFR header must start with 0xaa55. */
	ASSERT(build_rom(ga100_v2(), rom, &l).ok());
	poke(rom, l.rom_start, 0xbb77, 2);
	EXPECT_ERR(parse(rom, &why), err::EINVAL);
	EXPECT_EQ(why.offset, l.rom_start);
}

TEST(vbios, source_read_error_is_passed_on_with_the_rom_offset)
{
	KVec<u8> rom;
	RomLayout l;
	ASSERT(build_rom(ada_v3(), rom, &l).ok());
	ByteView cut = ByteView(rom).prefix(l.image[IMG_FWSEC2] + 0x10);
	MemorySource src(cut);
	VbiosError why;
	auto v = Vbios::read(src, gfp::KERNEL, &why);
	EXPECT_ERR(v, err::EIO);
	EXPECT(streq(why.structure, "ROM"));
	EXPECT(streq(why.problem, "read failed"));
	EXPECT(!src.reread());
}

TEST(vbios, prom_window_reads_the_bar_at_0x300000_within_1mib)
{
	KVec<u8> rom;
	RomLayout l;
	ASSERT(build_rom(ga100_v2(), rom, &l).ok());
	FakeBar bar { ByteView(rom) };
	PromWindow window(bar);

	KVec<u8> out;
	ASSERT(window.read_block(0x10, 8, out, gfp::KERNEL).ok());
	EXPECT_EQ(bar.last_off_, PROM_BASE + 0x10);
	EXPECT_EQ(bar.last_len_, 8u);
	EXPECT_EQ(out.len(), 8u);
	EXPECT_EQ(*out.get(0), *rom.get(0x10));

	int calls = bar.calls_;
	EXPECT_ERR(window.read_block(PROM_SIZE - 4, 8, out, gfp::KERNEL), err::ERANGE);
	EXPECT_ERR(window.read_block(~size_t { 0 } - 3, 8, out, gfp::KERNEL), err::ERANGE);
	EXPECT_EQ(bar.calls_, calls);
	EXPECT_EQ(out.len(), 8u);

	/* What the driver does: parse through the window. */
	VbiosError why;
	auto v = Vbios::read(PromWindow(bar), gfp::KERNEL, &why);
	ASSERT(v.ok());
	EXPECT_EQ(v->rom_offset(), l.rom_start);
	EXPECT(v->fwsec() != nullptr);
}

TEST(vbios, version_formats_as_sysfs_shows_it)
{
	char s[VbiosVersion::STR_SIZE];
	VbiosVersion { 0x90047640, 0x4c }.format(s);
	EXPECT(streq(s, "90.04.76.40.4c"));
	VbiosVersion { 0x0a0b0c0d, 0xff }.format(s);
	EXPECT(streq(s, "0a.0b.0c.0d.ff"));
	VbiosVersion { 0, 0 }.format(s);
	EXPECT(streq(s, "00.00.00.00.00"));
}

TEST(vbios, image_type_and_application_names)
{
	EXPECT(streq(image_type_name(0x00), "PciAt"));
	EXPECT(streq(image_type_name(0x03), "Efi"));
	EXPECT(streq(image_type_name(0x70), "Nbsi"));
	EXPECT(streq(image_type_name(0xe0), "FwSec"));
	EXPECT(image_type_name(0x01) == nullptr);
	EXPECT(streq(fwsec_app_name(FwsecApp::Prod), "PROD"));
	EXPECT(streq(fwsec_app_name(FwsecApp::Dbg), "DBG"));
}

TEST(vbios, failslab_every_allocation_failure_is_clean)
{
	if (!kcxx_kunit_fail_nth_available() || !kcxx_kunit_failslab_sleeping())
		SKIP("failslab passes GFP_KERNEL over");
	KVec<u8> rom;
	RomLayout l;
	ASSERT(build_rom(ada_v3(), rom, &l).ok());
	int injected = 0, refused = 0, partial = 0;
	char outcomes[400] = {};
	for (unsigned int n = 1; n < 400; n++) {
		MemorySource src { ByteView(rom) };
		VbiosError why;
		FailNth fail(n);
		auto v = Vbios::read(src, gfp::KERNEL, &why);
		if (!fail.fired()) {
			ASSERT(v.ok());
			EXPECT(v->fwsec() != nullptr);
			break;
		}
		injected++;
		/*
		 * A failed point that is not the parser's (kmemleak's metadata,
		 * falling back to its pool; slab bookkeeping) changes nothing,
		 * and which points come up varies from run to run. The
		 * parser's own failures give ENOMEM: a refusal, or a partial
		 * Vbios when the FWSEC box was the one.
		 */
		outcomes[n - 1] = !v.ok() ? 'R' : !v->fwsec() ? 'P' : '.';
		if (!v.ok()) {
			refused++;
			EXPECT_ERR(v, err::ENOMEM);
			EXPECT(why.error == err::ENOMEM);
		} else if (!v->fwsec()) {
			partial++;
			EXPECT_ERR(Result<void>(v->fwsec_error().error), err::ENOMEM);
		}
	}
	EXPECT(refused > 0);
	kcxx_kunit_note(test, "%d failures injected: %d refused the ROM, %d FWSEC: %s", injected,
			refused, partial, outcomes);
}
