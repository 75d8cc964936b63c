// SPDX-License-Identifier: GPL-2.0
/*
 * kcxx_firmware: the library's Firmware (include/kernel/firmware.h) and
 * nova-core's parsers of NVIDIA's GSP firmware files
 * (src/nova-core/firmware/files.h) on files built by tests/firmware/fw_builder.h:
 * the well-formed ones, each range field (offset or size) put out of
 * bounds in turn, truncation at every length, and the signature choice by
 * fuse version. Whatever the bytes, a parse ends in a value or in an
 * FwError naming a documented errno, the structure and the problem; KASAN
 * and UBSAN watch every access.
 */
#include <kernel/alloc.h>
#include <kernel/bytes.h>
#include <kernel/device.h>
#include <kernel/firmware.h>

#include "kunit.h"
/* The parser itself, in this object (see vbios_test.cpp for why). */
#include "src/nova-core/firmware/files.cpp"
#include "tests/firmware/fw_builder.h"

using namespace kernel;
using namespace nova::core;
using namespace nova::core::fw;
using namespace nova::test;
using kcxx::kunit::streq;

namespace {

bool documented(Error e)
{
	return e == err::EINVAL || e == err::ERANGE || e == err::ENOENT || e == err::EOVERFLOW;
}

template <typename T> bool clean_error(const Result<T> &r, const FwError &why)
{
	return !r.ok() && r.error() == why.error && documented(why.error) && why.structure &&
	       why.problem;
}

enum class Kind { Hs, Riscv, Gen, Gsp, Fmc };

/* Parses @f as @kind; only whether and how it failed matters here. */
bool parse_fails_cleanly(Kind kind, ByteView f, bool *failed)
{
	FwError why {};
	switch (kind) {
	case Kind::Hs: {
		auto r = parse_hs(f, &why);
		*failed = !r.ok();
		return r.ok() || clean_error(r, why);
	}
	case Kind::Riscv: {
		auto r = parse_riscv(f, &why);
		*failed = !r.ok();
		return r.ok() || clean_error(r, why);
	}
	case Kind::Gen: {
		auto r = parse_gen_bootloader(f, &why);
		*failed = !r.ok();
		return r.ok() || clean_error(r, why);
	}
	case Kind::Gsp: {
		auto r = parse_gsp(f, ".fwsignature_ad10x", &why);
		*failed = !r.ok();
		return r.ok() || clean_error(r, why);
	}
	case Kind::Fmc: {
		auto r = parse_fmc(f, &why);
		*failed = !r.ok();
		return r.ok() || clean_error(r, why);
	}
	}
	return false;
}

Result<BuiltFile> build(Kind kind)
{
	switch (kind) {
	case Kind::Hs:
		return build_hs();
	case Kind::Riscv:
		return build_riscv();
	case Kind::Gen:
		return build_gen_bootloader();
	case Kind::Gsp:
		return build_gsp();
	case Kind::Fmc:
		return build_fmc();
	}
	return err::EINVAL;
}

/*
 * Each range field of @kind's file set to values outside the file (its
 * length, length + 1, all ones): every one must fail cleanly. Returns
 * how many did not.
 */
void each_field_out_of_bounds(struct kunit *test, Kind kind)
{
	auto built = build(kind);
	ASSERT(built.ok());
	BuiltFile &f = built.value();
	bool failed = false;
	ASSERT(parse_fails_cleanly(kind, f.view(), &failed));
	ASSERT(!failed);
	EXPECT(f.nfields > 0);
	const u64 len = f.bytes.len();
	const u64 bad[] = { len, len + 1, 0xffffffffull, 0xffffffffffffffffull };
	for (size_t i = 0; i < f.nfields; i++) {
		const RangeField &fld = f.fields[i];
		u8 saved[8];
		__builtin_memcpy(saved, f.bytes.begin() + fld.offset, 8);
		for (u64 v : bad) {
			if (fld.wide)
				f.put64(fld.offset, v);
			else
				f.put32(fld.offset, static_cast<u32>(v));
			bool clean = parse_fails_cleanly(kind, f.view(), &failed);
			if (!clean || !failed)
				kcxx_kunit_check(test, false, false, fld.name, KCXX_KUNIT_HERE);
		}
		__builtin_memcpy(f.bytes.begin() + fld.offset, saved, 8);
	}
}

/* Every prefix of @kind's file: a clean error, never a read past the end. */
void every_truncation(struct kunit *test, Kind kind)
{
	auto built = build(kind);
	ASSERT(built.ok());
	ByteView whole = built->view();
	for (size_t n = 0; n < whole.len(); n++) {
		bool failed = false;
		/* A copy of exactly n bytes, so KASAN sees an overrun. */
		KVec<u8> copy;
		ASSERT(copy.resize(n ? n : 1, gfp::KERNEL).ok());
		ASSERT(whole.copy_to(0, copy.begin(), n).ok());
		bool clean = parse_fails_cleanly(kind, ByteView(copy.begin(), n), &failed);
		if (!clean || !failed) {
			EXPECT(clean);
			EXPECT(failed);
			return;
		}
	}
}

} // namespace

TEST(firmware, hs_header_load_header_and_signatures_parse)
{
	auto built = build_hs();
	ASSERT(built.ok());
	FwError why {};
	auto r = parse_hs(built->view(), &why);
	ASSERT(r.ok());
	EXPECT_EQ(r->bin.data.offset, HsLayout::DATA);
	EXPECT_EQ(r->bin.data.size, HsLayout::UCODE);
	EXPECT_EQ(r->num_sig, 2u);
	EXPECT_EQ(r->sig_size, HsLayout::SIG_SIZE);
	EXPECT_EQ(r->sig_start, HsLayout::SIGS);
	EXPECT_EQ(r->patch_loc, 0x210u);
	EXPECT_EQ(r->params.fuse_ver, 1u);
	EXPECT_EQ(r->params.ucode_id, 3u);
	EXPECT_EQ(r->load.os_data_offset, 0x200u);
	EXPECT_EQ(r->load.num_apps, 1u);
	EXPECT_EQ(r->app0.offset, 0x100u);
	EXPECT_EQ(r->app0.len, 0x100u);
}

TEST(firmware, hs_each_range_field_out_of_bounds_is_a_clean_error)
{
	each_field_out_of_bounds(test, Kind::Hs);
}

TEST(firmware, hs_truncation_at_every_length_is_a_clean_error)
{
	every_truncation(test, Kind::Hs);
}

namespace {

/* The errno of parsing an HS file with the u32 at @off set to @value. */
[[gnu::noinline]] Error hs_error_after(size_t off, u32 value, FwError *why)
{
	auto built = build_hs();
	if (!built)
		return err::ENOMEM;
	built->put32(off, value);
	auto r = parse_hs(built->view(), why);
	return r.ok() ? Error::from_errno(-1) : r.error();
}

[[gnu::noinline]] Result<HsFirmware> built_hs(u32 num_sig, u32 fuse_ver)
{
	auto built = TRY(build_hs(num_sig, fuse_ver));
	FwError why {};
	return parse_hs(built.view(), &why);
}

} // namespace

TEST(firmware, hs_bad_magic_metadata_size_and_signature_count_are_einval)
{
	FwError why {};
	EXPECT_EQ(hs_error_after(0, 0x10df, &why), err::EINVAL);
	EXPECT(streq(why.problem, "bad magic"));
	EXPECT_EQ(hs_error_after(HsLayout::HS + 20, 16, &why), err::EINVAL);
	EXPECT(streq(why.problem, "metadata size"));
	/* Five signatures in 0x80 bytes: the count does not divide the size. */
	EXPECT_EQ(hs_error_after(HsLayout::NUM_SIG, 5, &why), err::EINVAL);
	EXPECT_EQ(why.offset, HsLayout::NUM_SIG);
	/* No app. */
	EXPECT_EQ(hs_error_after(HsLayout::LOAD + 16, 0, &why), err::EINVAL);
	/* The patch location before the OS data. */
	EXPECT_EQ(hs_error_after(HsLayout::PATCH_LOC, 0x100, &why), err::EINVAL);
	/* A load header too small for its apps. */
	EXPECT_EQ(hs_error_after(HsLayout::HS + 32, 20, &why), err::EINVAL);
}

TEST(firmware, signature_follows_the_fuse_version)
{
	auto hs = built_hs(3, 3);
	ASSERT(hs.ok());
	/* 0: the last; else fuse_ver - version. */
	EXPECT_EQ(select_signature(hs.value(), 0).value(), 2u);
	EXPECT_EQ(select_signature(hs.value(), 3).value(), 0u);
	EXPECT_EQ(select_signature(hs.value(), 1).value(), 2u);
	EXPECT_ERR(select_signature(hs.value(), 4), err::EINVAL);
	/* fuse_ver 5, version 1: index 4 of 2 signatures. */
	auto hs2 = built_hs(2, 5);
	ASSERT(hs2.ok());
	EXPECT_ERR(select_signature(hs2.value(), 1), err::EINVAL);
	/* Unsigned: no signature to choose. */
	auto hs3 = built_hs(0, 1);
	ASSERT(hs3.ok());
	EXPECT_EQ(hs3->sig_size, 0u);
	EXPECT_ERR(select_signature(hs3.value(), 0), err::EINVAL);
}

TEST(firmware, fuse_register_of_engine_and_ucode_id)
{
	HsSignatureParams p { 1, 0x1, 3 };
	EXPECT_EQ(fuse_version_register(p).value(), 0x824148u);
	p = { 1, 0x4, 1 };
	EXPECT_EQ(fuse_version_register(p).value(), 0x824100u);
	p = { 1, 0x400, 16 };
	EXPECT_EQ(fuse_version_register(p).value(), 0x8241c0u + 60);
	p = { 1, 0x1, 0 };
	EXPECT_ERR(fuse_version_register(p), err::EINVAL);
	p = { 1, 0x1, 17 };
	EXPECT_ERR(fuse_version_register(p), err::EINVAL);
	p = { 1, 0x2, 3 };
	EXPECT_ERR(fuse_version_register(p), err::EINVAL);
	EXPECT_EQ(fuse_version_of(0), 0u);
	EXPECT_EQ(fuse_version_of(0x1), 1u);
	EXPECT_EQ(fuse_version_of(0x5), 3u);
	EXPECT_EQ(fuse_version_of(0xffff0000), 0u);
	EXPECT_EQ(fuse_version_of(0x8000), 16u);
}

TEST(firmware, riscv_descriptor_parses_and_each_range_field_out_of_bounds_fails)
{
	auto built = build_riscv();
	ASSERT(built.ok());
	FwError why {};
	auto r = parse_riscv(built->view(), &why);
	ASSERT(r.ok());
	EXPECT_EQ(r->desc.version, 5u);
	EXPECT_EQ(r->desc.app_version, 42u);
	EXPECT_EQ(r->desc.monitor_code_offset, 0x200u);
	EXPECT_EQ(r->bin.data.size, RiscvLayout::UCODE);
	each_field_out_of_bounds(test, Kind::Riscv);
	every_truncation(test, Kind::Riscv);
}

TEST(firmware, gen_bootloader_parses_and_each_range_field_out_of_bounds_fails)
{
	auto built = build_gen_bootloader();
	ASSERT(built.ok());
	FwError why {};
	auto r = parse_gen_bootloader(built->view(), &why);
	ASSERT(r.ok());
	EXPECT_EQ(r->desc.start_tag, 0xfdu);
	EXPECT_EQ(r->desc.code_size, 0x80u);
	built->put32(0x18 + 12, 0);
	EXPECT_ERR(parse_gen_bootloader(built->view(), &why), err::ERANGE);
	each_field_out_of_bounds(test, Kind::Gen);
	every_truncation(test, Kind::Gen);
}

TEST(firmware, gsp_elf_sections_version_and_signature)
{
	auto built = build_gsp();
	ASSERT(built.ok());
	FwError why {};
	auto r = parse_gsp(built->view(), ".fwsignature_ad10x", &why);
	ASSERT(r.ok());
	EXPECT_EQ(r->image.offset, GspLayout::IMAGE);
	EXPECT_EQ(r->image.size, GspLayout::IMAGE_SIZE);
	EXPECT_EQ(r->signature.offset, GspLayout::SIG_AD);
	EXPECT(streq(r->version, "570.144"));
	EXPECT_EQ(r->sections, GspLayout::SHNUM);
	EXPECT_EQ(r->signatures, 2u);
	auto tu = parse_gsp(built->view(), ".fwsignature_tu10x", &why);
	ASSERT(tu.ok());
	EXPECT_EQ(tu->signature.offset, GspLayout::SIG_TU);
	/* Another chip's section is not there: ENOENT, naming it. */
	EXPECT_ERR(parse_gsp(built->view(), ".fwsignature_gb20x", &why), err::ENOENT);
	EXPECT(streq(why.problem, ".fwsignature_gb20x"));
	/* A prefix of a name is not the name. */
	EXPECT_ERR(parse_gsp(built->view(), ".fwsignature_ad10", &why), err::ENOENT);
}

TEST(firmware, gsp_each_range_field_out_of_bounds_is_a_clean_error)
{
	each_field_out_of_bounds(test, Kind::Gsp);
}

TEST(firmware, gsp_truncation_at_every_length_is_a_clean_error)
{
	every_truncation(test, Kind::Gsp);
}

namespace {

/* Parsing a GSP ELF with @width bytes at @off set to @value: clean, and its errno. */
[[gnu::noinline]] Error gsp_error_after(size_t off, u32 width, u64 value, bool *clean)
{
	auto built = build_gsp();
	if (!built)
		return err::ENOMEM;
	if (width == 1)
		built->put8(off, static_cast<u8>(value));
	else if (width == 2)
		built->put16(off, static_cast<u16>(value));
	else if (width == 4)
		built->put32(off, static_cast<u32>(value));
	else
		built->put64(off, value);
	FwError why {};
	auto r = parse_gsp(built->view(), ".fwsignature_ad10x", &why);
	*clean = clean_error(r, why);
	return r.ok() ? Error::from_errno(-1) : r.error();
}

} // namespace

TEST(firmware, gsp_header_fields_are_checked)
{
	const struct {
		size_t off;
		u32 width;
		u64 value;
		Error want;
	} cases[] = {
		{ 4, 1, 1, err::EINVAL }, /* ELF32 class */
		{ 5, 1, 2, err::EINVAL }, /* big-endian */
		{ 0x3a, 2, 40, err::EINVAL }, /* e_shentsize */
		{ 0x3c, 2, 0, err::EINVAL }, /* e_shnum */
		{ 0x3e, 2, GspLayout::SHNUM, err::EINVAL }, /* e_shstrndx past the table */
		{ 0, 1, 0x7e, err::EINVAL }, /* magic */
		/* .fwversion longer than 16 bytes, and not printable */
		{ GspLayout::SHDRS + 2 * 64 + 32, 8, 17, err::EINVAL },
		{ GspLayout::VERSION + 1, 1, 0x07, err::EINVAL },
		/* a name past the string table: that section has no name */
		{ GspLayout::SHDRS + 1 * 64, 4, 0xffffffff, err::ENOENT },
		/* an empty image */
		{ GspLayout::SHDRS + 1 * 64 + 32, 8, 0, err::EINVAL },
	};
	for (const auto &c : cases) {
		bool clean = false;
		EXPECT_EQ(gsp_error_after(c.off, c.width, c.value, &clean), c.want);
		EXPECT(clean);
	}
}

TEST(firmware, fmc_elf_sections)
{
	auto built = build_fmc();
	ASSERT(built.ok());
	FwError why {};
	auto r = parse_fmc(built->view(), &why);
	ASSERT(r.ok());
	EXPECT_EQ(r->image.offset, FmcLayout::IMAGE);
	EXPECT_EQ(r->image.size, FmcLayout::IMAGE_SIZE);
	EXPECT_EQ(r->hash.size, 0x30u);
	EXPECT_EQ(r->signature.offset, FmcLayout::SIG);
	EXPECT_EQ(r->publickey.size, 0x60u);
	/* An ELF64 is not an FMC. */
	auto gsp = build_gsp();
	ASSERT(gsp.ok());
	EXPECT_ERR(parse_fmc(gsp->view(), &why), err::EINVAL);
	each_field_out_of_bounds(test, Kind::Fmc);
	every_truncation(test, Kind::Fmc);
}

TEST(firmware, chip_file_sets_and_signature_sections)
{
	const Chipset tu102 { 0x162, "tu102", Architecture::Turing };
	const Chipset tu116 { 0x168, "tu116", Architecture::Turing };
	const Chipset ga100 { 0x170, "ga100", Architecture::Ampere };
	const Chipset ga102 { 0x172, "ga102", Architecture::Ampere };
	const Chipset ad102 { 0x192, "ad102", Architecture::Ada };
	const Chipset gh100 { 0x180, "gh100", Architecture::Hopper };
	const Chipset gb100 { 0x1a0, "gb100", Architecture::BlackwellGB10x };
	const Chipset gb202 { 0x1b2, "gb202", Architecture::BlackwellGB20x };
	EXPECT(streq(chip_firmware(tu102).gsp_signature, ".fwsignature_tu10x"));
	EXPECT(streq(chip_firmware(tu116).gsp_signature, ".fwsignature_tu11x"));
	EXPECT(streq(chip_firmware(ga100).gsp_signature, ".fwsignature_ga100"));
	EXPECT(streq(chip_firmware(ga102).gsp_signature, ".fwsignature_ga10x"));
	EXPECT(streq(chip_firmware(ad102).gsp_signature, ".fwsignature_ad10x"));
	EXPECT(streq(chip_firmware(gh100).gsp_signature, ".fwsignature_gh100"));
	EXPECT(streq(chip_firmware(gb100).gsp_signature, ".fwsignature_gb10x"));
	EXPECT(streq(chip_firmware(gb202).gsp_signature, ".fwsignature_gb20x"));
	EXPECT(chip_firmware(tu102).needs(File::GenBootloader));
	EXPECT(chip_firmware(ga100).needs(File::GenBootloader));
	EXPECT(!chip_firmware(ga102).needs(File::GenBootloader));
	EXPECT(chip_firmware(ad102).needs(File::Scrubber));
	EXPECT(!chip_firmware(ga102).needs(File::Scrubber));
	EXPECT(chip_firmware(gh100).needs(File::Fmc));
	EXPECT(!chip_firmware(gh100).needs(File::BooterLoad));
	EXPECT(chip_firmware(gb202).needs(File::Gsp));
	EXPECT(!chip_firmware(tu102).fuse_registers);
	EXPECT(!chip_firmware(ga100).fuse_registers);
	EXPECT(chip_firmware(ga102).fuse_registers);
	EXPECT_EQ(chip_firmware(ga100).libos, 2u);
	EXPECT_EQ(chip_firmware(ga102).libos, 3u);
}

TEST(firmware, radix3_sizes_of_the_real_images)
{
	GspSizes s {};
	/* GA102's .fwimage: 0x3c99000 bytes, 15513 pages. */
	radix3_sizes(0x3c99000, s);
	EXPECT_EQ(s.radix3_level2, 15513u * 8);
	EXPECT_EQ(s.radix3_level1, 31u * 8);
	EXPECT_EQ(s.radix3_level0, 4096u);
	/* One byte: one page, one entry, one level-2 page. */
	radix3_sizes(1, s);
	EXPECT_EQ(s.radix3_level2, 8u);
	EXPECT_EQ(s.radix3_level1, 8u);
}

TEST(firmware, library_request_of_a_missing_file_is_enoent)
{
	struct device *raw = kcxx_kunit_root_device(test, "kcxx_kunit_firmware");
	ASSERT(raw);
	const Device &dev = Device::from_raw(raw);
	auto fw = Firmware::request(dev, "nova-cxx-kunit/no-such-file.bin");
	EXPECT_ERR(fw, err::ENOENT);
}

TEST(firmware, library_name_too_long_is_einval_and_requests_nothing)
{
	struct device *raw = kcxx_kunit_root_device(test, "kcxx_kunit_firmware_name");
	ASSERT(raw);
	const Device &dev = Device::from_raw(raw);
	char name[Firmware::NAME_SIZE + 8];
	for (size_t i = 0; i < sizeof(name) - 1; i++)
		name[i] = 'a';
	name[sizeof(name) - 1] = '\0';
	EXPECT_ERR(Firmware::request(dev, name), err::EINVAL);

	char out[Firmware::NAME_SIZE];
	EXPECT_ERR(Firmware::format_name(out, "%s/%s", name, "x"), err::EINVAL);
	EXPECT_EQ(out[0], '\0');
	EXPECT(Firmware::format_name(out, "nvidia/%s/gsp/%s-%s.bin", "ad102", "gsp", "570.144")
		       .ok());
	EXPECT(streq(out, "nvidia/ad102/gsp/gsp-570.144.bin"));
}

TEST(firmware, library_empty_firmware_holds_no_bytes_and_moves)
{
	Firmware a;
	EXPECT(!a.is_loaded());
	EXPECT_EQ(a.size(), 0u);
	EXPECT_EQ(a.bytes().len(), 0u);
	EXPECT(streq(a.name(), ""));
	Firmware b(ktl::move(a));
	EXPECT(!b.is_loaded());
	b = Firmware();
	EXPECT_EQ(b.bytes().len(), 0u);
}
