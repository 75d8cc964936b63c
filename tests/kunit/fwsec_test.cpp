// SPDX-License-Identifier: GPL-2.0
/*
 * kcxx_fwsec: FWSEC-FRTS preparation (src/nova-core/firmware/fwsec.h) on ROMs whose
 * FWSEC ucode tests/vbios/rom_builder.h builds: the DMEM patch, the
 * signature the fuse version picks, and every field of the application
 * table, the DMEM mapper, the descriptor and the signature area out of
 * bounds. A failure names its errno and changes neither the ROM nor
 * anything outside the copy. The boot plan prepares none for an empty
 * FRTS region (GA100's): FWSEC-FRTS is not needed there.
 */
#include <kernel/alloc.h>
#include <kernel/bytes.h>

#include "kunit.h"
/* The preparation itself; the VBIOS parser is vbios_test.cpp's. */
#include "src/nova-core/firmware/fwsec.cpp"
#include "tests/vbios/rom_builder.h"

using namespace kernel;
using namespace nova::core;
using namespace nova::test;
using kcxx::kunit::FailNth;

namespace {

/* A register file of one fuse register; records what was read. */
class FuseReader final : public RegisterReader {
public:
	FuseReader(size_t offset, u32 value) : offset_(offset), value_(value) {}
	Result<u32> read32(size_t offset) const override
	{
		read_ = offset;
		if (fail_)
			return err::EIO;
		return offset == offset_ ? value_ : 0;
	}

	mutable size_t read_ = 0;
	bool fail_ = false;

private:
	size_t offset_;
	u32 value_;
};

/* The GSP engine's fuse for ucode id 9 at version 3: signature index 2. */
FuseReader gsp_fuse(u32 value = 0x4)
{
	return FuseReader(FUSE_GSP_UCODE1_VERSION + 8 * 4, value);
}

const FbRegion FRTS { 0x5ffe00000, 0x5fff00000 };

struct Built {
	KVec<u8> rom;
	RomLayout l;
};

bool build(Built &b, RomOptions o)
{
	return build_rom(with_ucode(o), b.rom, &b.l).ok();
}

Result<FwsecFrts> prepare(const KVec<u8> &rom, const RegisterReader &regs, VbiosError *why,
			  const FbRegion &frts = FRTS)
{
	MemorySource src { ByteView(rom) };
	auto v = Vbios::read(src, gfp::KERNEL, nullptr);
	if (!v)
		return v.error();
	return FwsecFrts::prepare(*v, frts, regs, gfp::KERNEL, why);
}

/* FWSEC-SB of @rom, as prepare() makes FWSEC-FRTS. */
Result<FwsecFrts> prepare_sb(const KVec<u8> &rom, const RegisterReader &regs, VbiosError *why)
{
	MemorySource src { ByteView(rom) };
	auto v = Vbios::read(src, gfp::KERNEL, nullptr);
	if (!v)
		return v.error();
	return FwsecFrts::prepare_sb(*v, regs, gfp::KERNEL, why);
}

u32 le32_at(ByteView v, size_t off)
{
	auto r = v.le32(off);
	return r ? *r : 0xdeadbeef;
}

/* The errnos FwsecFrts::prepare documents. */
bool documented(Error e)
{
	return e == err::ENOENT || e == err::ERANGE || e == err::EINVAL || e == err::ENOMEM ||
	       e == err::EIO;
}

/* @rom with the field at @off of @width set to @v fails with @e, cleanly. */
void expect_refused(struct kunit *test, const Built &b, size_t off, u32 v, size_t width, Error e,
		    const RegisterReader &regs)
{
	KVec<u8> rom;
	ASSERT(rom.extend(b.rom.len(), gfp::KERNEL).ok());
	for (size_t i = 0; i < b.rom.len(); i++)
		*rom.get(i) = *b.rom.get(i);
	poke(rom, off, v, width);
	VbiosError why {};
	auto r = prepare(rom, regs, &why);
	if (r.ok() || r.error() != e)
		kcxx_kunit_note(test, "field at %#zx = %#x: %d (%s at %#zx: %s)", off, v,
				r.ok() ? 0 : r.error().to_errno(), why.structure, why.offset,
				why.problem);
	EXPECT_ERR(r, e);
	EXPECT_EQ(why.error, e);
	EXPECT(documented(why.error));
	EXPECT(why.structure != nullptr && why.problem != nullptr);
	EXPECT(why.offset < b.rom.len() || why.offset == ~size_t { 0 } ||
	       why.offset < PROM_SIZE + 0x100000000ull);
}

} // namespace

/* V3 (Ada): the FRTS command in the DMEM and the fuse version's signature. */
TEST(fwsec, v3_dmem_gets_frts_command_and_fuse_selected_signature)
{
	Built b;
	ASSERT(build(b, ada_v3()));
	auto fuse = gsp_fuse();
	VbiosError why {};
	auto r = prepare(b.rom, fuse, &why);
	if (!r)
		kcxx_kunit_note(test, "%s at %#zx: %s", why.structure, why.offset, why.problem);
	ASSERT(r.ok());
	const FwsecFrtsFacts &f = r->facts();
	EXPECT_EQ(f.ucode_offset, b.l.ucode);
	EXPECT_EQ(f.ucode_size, UCODE_IMEM + UCODE_DMEM);
	EXPECT_EQ(f.dmem_offset, UCODE_IMEM);
	EXPECT_EQ(f.dmem_size, UCODE_DMEM);
	EXPECT_EQ(fuse.read_, FUSE_GSP_UCODE1_VERSION + 8 * 4);
	EXPECT_EQ(f.fuse_version, 3u);
	EXPECT_EQ(f.signature_index, 2u);
	EXPECT(f.signed_);

	ByteView d = r->dmem();
	ASSERT_EQ(d.len(), UCODE_DMEM);
	/* The DMEM mapper's init command, then the command: ReadVbios, FrtsRegion. */
	EXPECT_EQ(le32_at(d, UCODE_DMEMMAPPER + 44), 0x15u);
	EXPECT_EQ(le32_at(d, UCODE_DMEMMAPPER), DMEMMAPPER_SIGNATURE);
	EXPECT_EQ(le32_at(d, UCODE_DMEMMAPPER + 8), UCODE_CMD_IN);
	const u32 want[] = { 1, 24, 0, 0, 0, 2, 1, 20, 0x5ffe00, 0x100, 2 };
	for (size_t i = 0; i < 11; i++)
		EXPECT_EQ(le32_at(d, UCODE_CMD_IN + 4 * i), want[i]);
	for (size_t i = 0; i < 384; i++)
		EXPECT_EQ(*d.u8_at(UCODE_PKC + i), signature_byte(2, i));

	/* Every other byte as the ROM has it; the ROM itself unchanged. */
	ByteView img = r->image();
	size_t changed = 0;
	for (size_t i = 0; i < img.len(); i++)
		changed += *img.u8_at(i) != *b.rom.get(b.l.ucode + i);
	size_t cmd_changed = 0;
	for (size_t i = 0; i < 44; i++)
		cmd_changed +=
			*d.u8_at(UCODE_CMD_IN + i) != ucode_filler(UCODE_IMEM + UCODE_CMD_IN + i);
	EXPECT(changed <= 384 + 1 + 44);
	EXPECT(changed >= 384 + 1);
	EXPECT_EQ(*b.rom.get(b.l.dmem + UCODE_DMEMMAPPER + 44), 0x19);
	EXPECT(cmd_changed > 0);
}

/* FWSEC-SB: the SB command, no command input, the same signature. */
TEST(fwsec, sb_gets_the_sb_command_and_the_same_signature)
{
	Built b;
	ASSERT(build(b, ada_v3()));
	auto fuse = gsp_fuse();
	VbiosError why {};
	auto r = prepare_sb(b.rom, fuse, &why);
	ASSERT(r.ok());
	const FwsecFrtsFacts &f = r->facts();
	EXPECT_EQ(f.frts_size, 0u);
	EXPECT_EQ(f.signature_index, 2u);
	EXPECT(f.signed_);

	ByteView d = r->dmem();
	EXPECT_EQ(le32_at(d, UCODE_DMEMMAPPER + 44), DMEMMAPPER_CMD_SB);
	for (size_t i = 0; i < 44; i++)
		EXPECT_EQ(*d.u8_at(UCODE_CMD_IN + i), ucode_filler(UCODE_IMEM + UCODE_CMD_IN + i));
	for (size_t i = 0; i < 384; i++)
		EXPECT_EQ(*d.u8_at(UCODE_PKC + i), signature_byte(2, i));
	/* Only the signature (and the command word, were it not 0x19 already) differs. */
	ByteView img = r->image();
	size_t changed = 0;
	for (size_t i = 0; i < img.len(); i++)
		changed += *img.u8_at(i) != *b.rom.get(b.l.ucode + i);
	EXPECT(changed <= 384 + 4);
}

/* V2 (Turing, GA100): the DMEM at the descriptor's offset, no signature. */
TEST(fwsec, v2_dmem_at_descriptor_offset_without_signature)
{
	const RomOptions presets[] = { turing_v2(), ga100_v2() };
	for (const RomOptions &o : presets) {
		Built b;
		ASSERT(build(b, o));
		auto fuse = gsp_fuse();
		VbiosError why {};
		auto r = prepare(b.rom, fuse, &why);
		ASSERT(r.ok());
		EXPECT(!r->facts().signed_);
		EXPECT_EQ(fuse.read_, 0u);
		EXPECT_EQ(r->facts().ucode_offset, b.l.prod_desc + 60);
		EXPECT_EQ(r->facts().dmem_offset, UCODE_IMEM);
		ByteView d = r->dmem();
		EXPECT_EQ(le32_at(d, UCODE_DMEMMAPPER + 44), 0x15u);
		EXPECT_EQ(le32_at(d, UCODE_CMD_IN + 32), 0x5ffe00u);
		EXPECT_EQ(le32_at(d, UCODE_CMD_IN + 36), 0x100u);
		for (size_t i = 0; i < 384; i++)
			EXPECT_EQ(*d.u8_at(UCODE_PKC + i), 0);
	}
}

/* The fuse version picks the signature whose bit it is; no bit, no signature. */
TEST(fwsec, signature_index_counts_versions_below_the_fuse_version)
{
	Built b;
	ASSERT(build(b, ada_v3()));
	/* Versions 0, 1 and 3 are present (0x000b). */
	const struct {
		u32 fuse;
		u32 version;
		size_t index;
	} ok_cases[] = {
		{ 0x0, 0, 0 }, { 0x1, 1, 1 }, { 0x4, 3, 2 }, { 0x7, 3, 2 }, { 0xffff0005, 3, 2 }
	};
	for (const auto &c : ok_cases) {
		auto fuse = gsp_fuse(c.fuse);
		auto r = prepare(b.rom, fuse, nullptr);
		ASSERT(r.ok());
		EXPECT_EQ(r->facts().fuse_version, c.version);
		EXPECT_EQ(r->facts().signature_index, c.index);
		EXPECT_EQ(*r->dmem().u8_at(UCODE_PKC + 5), signature_byte(c.index, 5));
	}
	const u32 missing[] = { 0x2, 0x3, 0x8, 0x8000 };
	for (u32 v : missing)
		expect_refused(test, b, 0, *b.rom.get(0), 1, err::EINVAL, gsp_fuse(v));
}

/* The engine mask chooses SEC2's, NVDEC's or GSP's fuse registers, in that order. */
TEST(fwsec, engine_mask_and_ucode_id_choose_the_fuse_register)
{
	Built b;
	ASSERT(build(b, ada_v3()));
	const struct {
		u16 mask;
		u8 id;
		size_t reg;
	} cases[] = { { 0x0001, 1, FUSE_SEC2_UCODE1_VERSION },
		      { 0x0405, 2, FUSE_SEC2_UCODE1_VERSION + 4 },
		      { 0x0004, 16, FUSE_NVDEC_UCODE1_VERSION + 60 },
		      { 0x0400, 9, FUSE_GSP_UCODE1_VERSION + 32 } };
	for (const auto &c : cases) {
		KVec<u8> rom;
		ASSERT(rom.extend(b.rom.len(), gfp::KERNEL).ok());
		for (size_t i = 0; i < b.rom.len(); i++)
			*rom.get(i) = *b.rom.get(i);
		poke(rom, b.l.prod_desc + 36, c.mask, 2);
		poke(rom, b.l.prod_desc + 38, c.id, 1);
		FuseReader fuse(c.reg, 0x1);
		auto r = prepare(rom, fuse, nullptr);
		ASSERT(r.ok());
		EXPECT_EQ(fuse.read_, c.reg);
		EXPECT_EQ(r->facts().signature_index, 1u);
	}
	auto fuse = gsp_fuse();
	expect_refused(test, b, b.l.prod_desc + 36, 0x0002, 2, err::EINVAL, fuse);
	expect_refused(test, b, b.l.prod_desc + 38, 0, 1, err::EINVAL, fuse);
	expect_refused(test, b, b.l.prod_desc + 38, 17, 1, err::EINVAL, fuse);
	FuseReader broken(0, 0);
	broken.fail_ = true;
	expect_refused(test, b, 0, *b.rom.get(0), 1, err::EIO, broken);
}

/* Each field of the application table and the DMEM mapper out of bounds. */
TEST(fwsec, every_table_field_out_of_bounds_is_a_clean_error)
{
	const RomOptions presets[] = { ada_v3(), turing_v2() };
	for (const RomOptions &o : presets) {
		Built b;
		ASSERT(build(b, o));
		auto fuse = gsp_fuse();
		size_t t = b.l.dmem + UCODE_APPIF;
		size_t m = b.l.dmem + UCODE_DMEMMAPPER;
		size_t iface = b.l.prod_desc + (o.desc_version == 2 ? 16 : 12);
		const struct {
			size_t off;
			u32 v;
			size_t width;
			Error e;
		} cases[] = {
			{ iface, UCODE_DMEM - 3, 4, err::ERANGE },
			{ iface, UCODE_DMEM, 4, err::ERANGE },
			{ iface, 0xffffffff, 4, err::ERANGE },
			{ t, 2, 1, err::EINVAL }, /* version */
			{ t, 0, 1, err::EINVAL },
			{ t + 1, 3, 1, err::EINVAL }, /* header size */
			/* Still inside the DMEM: other bytes, no DMEMMAPPER among them. */
			{ t + 1, 0xff, 1, err::ENOENT },
			{ t + 2, 7, 1, err::EINVAL }, /* entry size */
			{ t + 2, 0xff, 1, err::ENOENT },
			{ t + 3, 0xff, 1, err::ERANGE }, /* entry count */
			{ t + 3, 1, 1, err::ENOENT }, /* only the other application */
			{ t + 3, 0, 1, err::ENOENT },
			{ t + 12, 0x5, 4, err::ENOENT }, /* DMEMMAPPER id */
			{ t + 16, UCODE_DMEM - 63, 4, err::ERANGE }, /* its DMEM base */
			{ t + 16, 0xffffffc0, 4, err::ERANGE },
			{ m + 8, UCODE_DMEM - 43, 4, err::ERANGE }, /* command-in offset */
			{ m + 8, 0xfffffff0, 4, err::ERANGE },
			{ m + 12, 43, 4, err::EINVAL }, /* command-in size */
			{ m + 12, 0, 4, err::EINVAL },
		};
		for (const auto &c : cases)
			expect_refused(test, b, c.off, c.v, c.width, c.e, fuse);
		/* At the edges, accepted. */
		KVec<u8> rom;
		ASSERT(rom.extend(b.rom.len(), gfp::KERNEL).ok());
		for (size_t i = 0; i < b.rom.len(); i++)
			*rom.get(i) = *b.rom.get(i);
		poke(rom, m + 8, UCODE_DMEM - 44, 4);
		poke(rom, m + 12, 44, 4);
		EXPECT(prepare(rom, fuse, nullptr).ok());
	}
}

/* The descriptor's sizes and offsets out of bounds. */
TEST(fwsec, every_descriptor_field_out_of_bounds_is_a_clean_error)
{
	Built v3, v2;
	ASSERT(build(v3, ada_v3()));
	ASSERT(build(v2, turing_v2()));
	auto fuse = gsp_fuse();
	size_t d3 = v3.l.prod_desc, d2 = v2.l.prod_desc;
	size_t room3 = UCODE_BLOCKS * 512 - (v3.l.ucode - v3.l.image[IMG_FWSEC2]);
	/* The ucode past its FwSec image. */
	expect_refused(test, v3, d3 + 20, static_cast<u32>(room3 - UCODE_DMEM + 1), 4, err::ERANGE,
		       fuse);
	expect_refused(test, v3, d3 + 32, 0xffffffff, 4, err::ERANGE, fuse);
	expect_refused(test, v2, d2 + 24, 0xfffff000, 4, err::ERANGE, fuse);
	/* V2's DMEM offset past the ucode. */
	expect_refused(test, v2, d2 + 40, UCODE_IMEM + 1, 4, err::ERANGE, fuse);
	expect_refused(test, v2, d2 + 40, 0xffffffff, 4, err::ERANGE, fuse);
	/* More signatures than the descriptor holds. */
	expect_refused(test, v3, d3 + 39, UCODE_SIG_COUNT + 1, 1, err::ERANGE, fuse);
	expect_refused(test, v3, d3 + 39, 0xff, 1, err::ERANGE, fuse);
	/* A signature index past the count: version 3's bit, two signatures. */
	expect_refused(test, v3, d3 + 39, 2, 1, err::EINVAL, fuse);
	/* The signature patch location outside the DMEM. */
	expect_refused(test, v3, d3 + 8, UCODE_DMEM - 383, 4, err::ERANGE, fuse);
	expect_refused(test, v3, d3 + 8, 0xffffffff, 4, err::ERANGE, fuse);
	/* No signatures: nothing to patch, the fuse not read. */
	KVec<u8> rom;
	ASSERT(rom.extend(v3.rom.len(), gfp::KERNEL).ok());
	for (size_t i = 0; i < v3.rom.len(); i++)
		*rom.get(i) = *v3.rom.get(i);
	poke(rom, d3 + 39, 0, 1);
	auto unsigned_fuse = gsp_fuse();
	auto r = prepare(rom, unsigned_fuse, nullptr);
	ASSERT(r.ok());
	EXPECT(!r->facts().signed_);
	EXPECT_EQ(unsigned_fuse.read_, 0u);
}

/* A ROM without FWSEC gives the parser's reason. */
TEST(fwsec, rom_without_fwsec_gives_the_vbios_reason)
{
	RomOptions o = ada_v3();
	o.prod = false;
	Built b;
	ASSERT(build(b, o));
	VbiosError why {};
	auto r = prepare(b.rom, gsp_fuse(), &why);
	EXPECT_ERR(r, err::ENOENT);
	EXPECT(kcxx::kunit::streq(why.structure, "PMU lookup table"));
	EXPECT_EQ(why.offset, b.l.pmu_table);
}

/* The FRTS region must be expressible as the command's 4 KiB units. */
TEST(fwsec, frts_region_beyond_4k_units_is_erange)
{
	Built b;
	ASSERT(build(b, ada_v3()));
	auto fuse = gsp_fuse();
	const FbRegion bad[] = { { 0x1000, 0x1800 },
				 { 0x800, 0x100800 },
				 { 0x2000, 0x1000 },
				 { u64 { 1 } << 44, (u64 { 1 } << 44) + 0x100000 } };
	for (const FbRegion &frts : bad) {
		VbiosError why {};
		EXPECT_ERR(prepare(b.rom, fuse, &why, frts), err::ERANGE);
		EXPECT(kcxx::kunit::streq(why.structure, "FRTS command"));
	}
	auto top = prepare(b.rom, fuse, nullptr, FbRegion { 0xffff0000000, 0xffff0100000 });
	ASSERT(top.ok());
	EXPECT_EQ(le32_at(top->dmem(), UCODE_CMD_IN + 32), 0xffff0000u);
}

/*
 * GA100's FRTS region is empty: the boot plan prepares no FWSEC-FRTS (no
 * DMEM, nothing read, no error) and says it is not needed, whatever the
 * ROM; TU102's 1 MiB region with the same V2 ucode is prepared.
 */
TEST(fwsec, empty_frts_region_is_not_prepared)
{
	Built b;
	ASSERT(build(b, ga100_v2()));
	MemorySource src { ByteView(b.rom) };
	auto v = Vbios::read(src, gfp::KERNEL, nullptr);
	ASSERT(v.ok());
	ASSERT(v->fwsec() != nullptr);
	const char sentinel[] = "untouched";

	auto plan_for = [&](u32 chip, BootPlan &plan) {
		/* 40 GiB, display fused off: the workspace is the top 1 MiB. */
		auto l = FbLayout::compute(*find_chipset(chip), FbInputs { 40 * SZ_1G, 1, 0 },
					   nullptr);
		if (!l)
			return false;
		auto box = KBox<FbLayout>::create(gfp::KERNEL, l.take());
		if (!box)
			return false;
		plan.layout = box.take();
		return true;
	};

	BootPlan ga100;
	ASSERT(plan_for(0x170, ga100));
	EXPECT_EQ(ga100.layout->frts.start, 0x9fff00000ull);
	EXPECT_EQ(ga100.layout->frts.size(), 0u);
	EXPECT(!fwsec_frts_needed(ga100.layout->frts));
	FuseReader none(0, 0);
	none.fail_ = true;
	VbiosError why {};
	why.problem = sentinel;
	EXPECT(ga100.prepare_fwsec_frts(&*v, none, gfp::KERNEL, &why).ok());
	EXPECT(ga100.fwsec_frts_not_needed);
	EXPECT(!ga100.fwsec_frts);
	EXPECT_EQ(none.read_, 0u);
	EXPECT(why.problem == sentinel);
	EXPECT(kcxx::kunit::streq(ga100.fwsec_frts_text(), "not needed: empty FRTS region\n"));
	EXPECT(!kcxx::kunit::streq(FWSEC_FRTS_NOT_NEEDED, FWSEC_FRTS_UNAVAILABLE));

	/* Not needed without a ROM (or its FWSEC) either. */
	BootPlan no_rom;
	ASSERT(plan_for(0x170, no_rom));
	EXPECT(no_rom.prepare_fwsec_frts(nullptr, none, gfp::KERNEL, nullptr).ok());
	EXPECT(no_rom.fwsec_frts_not_needed);
	EXPECT(kcxx::kunit::streq(no_rom.fwsec_frts_text(), FWSEC_FRTS_NOT_NEEDED));

	/* TU102: 1 MiB below the workspace, prepared. */
	BootPlan tu102;
	ASSERT(plan_for(0x162, tu102));
	EXPECT(fwsec_frts_needed(tu102.layout->frts));
	auto fuse = gsp_fuse();
	ASSERT(tu102.prepare_fwsec_frts(&*v, fuse, gfp::KERNEL, nullptr).ok());
	EXPECT(!tu102.fwsec_frts_not_needed);
	ASSERT(tu102.fwsec_frts);
	EXPECT_EQ(le32_at(tu102.fwsec_frts->dmem(), UCODE_DMEMMAPPER + 44), 0x15u);
	EXPECT_EQ(le32_at(tu102.fwsec_frts->dmem(), UCODE_CMD_IN + 32), 0x9ffe00u);
	EXPECT_EQ(le32_at(tu102.fwsec_frts->dmem(), UCODE_CMD_IN + 36), 0x100u);

	/* TU102 without a ROM, or without a layout: unavailable, no error. */
	BootPlan tu102_no_rom;
	ASSERT(plan_for(0x162, tu102_no_rom));
	EXPECT(tu102_no_rom.prepare_fwsec_frts(nullptr, fuse, gfp::KERNEL, nullptr).ok());
	EXPECT(!tu102_no_rom.fwsec_frts && !tu102_no_rom.fwsec_frts_not_needed);
	EXPECT(kcxx::kunit::streq(tu102_no_rom.fwsec_frts_text(), "unavailable\n"));
	BootPlan no_layout;
	EXPECT(no_layout.prepare_fwsec_frts(&*v, fuse, gfp::KERNEL, nullptr).ok());
	EXPECT(!no_layout.fwsec_frts && !no_layout.fwsec_frts_not_needed);

	/* A preparation that fails is its error, and unavailable. */
	BootPlan bad;
	ASSERT(plan_for(0x162, bad));
	bad.layout->frts = FbRegion { 0x800, 0x100800 };
	VbiosError bad_why {};
	EXPECT_ERR(bad.prepare_fwsec_frts(&*v, fuse, gfp::KERNEL, &bad_why), err::ERANGE);
	EXPECT(kcxx::kunit::streq(bad_why.structure, "FRTS command"));
	EXPECT(!bad.fwsec_frts && !bad.fwsec_frts_not_needed);
}

/* Its allocation failing is ENOMEM, and nothing leaks. */
TEST(fwsec, failslab_allocation_failure_is_enomem)
{
	Built b;
	ASSERT(build(b, ada_v3()));
	MemorySource src { ByteView(b.rom) };
	auto v = Vbios::read(src, gfp::KERNEL, nullptr);
	ASSERT(v.ok());
	auto fuse = gsp_fuse();
	int refused = 0;
	for (unsigned int n = 1; n < 20; n++) {
		VbiosError why {};
		FailNth fail(n);
		auto r = FwsecFrts::prepare(*v, FRTS, fuse, gfp::KERNEL, &why);
		if (!fail.fired()) {
			EXPECT(r.ok());
			break;
		}
		/* A failure point that is not ours (kmemleak's metadata) changes nothing. */
		if (!r.ok()) {
			refused++;
			EXPECT_ERR(r, err::ENOMEM);
			EXPECT_EQ(why.error, err::ENOMEM);
		}
	}
	EXPECT(refused > 0);
}
