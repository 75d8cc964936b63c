/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test-only GSP firmware files, built in the kernel by the KUnit cases and
 * the fuzzer, in the layouts Documentation/firmware.rst describes and the
 * real 570.144 files use: an HS firmware (container, HS header v2, two
 * signatures, signature parameters, load header v2 with one app), a
 * RISC-V bootloader, an FWSEC bootloader, a GSP ELF64 and an FMC ELF32.
 * Each builder also lists the file offsets of its range fields (offsets and
 * sizes), so a test can put exactly one of them out of bounds.
 */
#ifndef NOVA_TESTS_FIRMWARE_FW_BUILDER_H
#define NOVA_TESTS_FIRMWARE_FW_BUILDER_H

#include <kernel/alloc.h>
#include <kernel/bytes.h>
#include <kernel/error.h>

namespace nova::test {

using ktl::size_t;
using ktl::u16;
using ktl::u32;
using ktl::u64;
using ktl::u8;

/* A range field of a built file: its name and file offset (a u32, or u64 if wide). */
struct RangeField {
	const char *name;
	u32 offset;
	bool wide;
};

inline constexpr size_t MAX_FIELDS = 24;

struct BuiltFile {
	kernel::KVec<u8> bytes;
	RangeField fields[MAX_FIELDS];
	size_t nfields = 0;

	kernel::ByteView view() const { return kernel::ByteView(bytes); }
	void field(const char *name, size_t off, bool wide = false)
	{
		if (nfields < MAX_FIELDS)
			fields[nfields++] = { name, static_cast<u32>(off), wide };
	}
	void put8(size_t off, u8 v) { bytes.begin()[off] = v; }
	void put16(size_t off, u16 v)
	{
		put8(off, v & 0xff);
		put8(off + 1, v >> 8);
	}
	void put32(size_t off, u32 v)
	{
		for (int i = 0; i < 4; i++)
			put8(off + i, (v >> (8 * i)) & 0xff);
	}
	void put64(size_t off, u64 v)
	{
		put32(off, static_cast<u32>(v));
		put32(off + 4, static_cast<u32>(v >> 32));
	}
	void put_str(size_t off, const char *s)
	{
		for (size_t i = 0; s[i]; i++)
			put8(off + i, static_cast<u8>(s[i]));
	}
};

inline kernel::Result<void> zeroed(BuiltFile &f, size_t len)
{
	TRY(f.bytes.resize(0, kernel::gfp::KERNEL));
	return f.bytes.resize(len, kernel::gfp::KERNEL);
}

/* The container header at 0: header at @hdr, payload [@data, @data + @size). */
inline void container(BuiltFile &f, u32 hdr, u32 data, u32 size)
{
	f.put32(0x00, 0x10de);
	f.put32(0x04, 1);
	f.put32(0x08, static_cast<u32>(f.bytes.len()));
	f.put32(0x0c, hdr);
	f.put32(0x10, data);
	f.put32(0x14, size);
	f.field("header_offset", 0x0c);
	f.field("data_offset", 0x10);
	f.field("data_size", 0x14);
}

/*
 * An HS firmware: two 0x40-byte signatures, fuse_ver 1, SEC2 ucode 3; a
 * 0x400-byte ucode with OS code [0, 0x100), app 0 [0x100, 0x200), OS
 * data [0x200, 0x400) and the patch location at 0x210.
 */
struct HsLayout {
	static constexpr size_t HS = 0x18, SIGS = 0x3c, PATCH_LOC = 0xbc, PATCH_SIG = 0xc0,
				META = 0xc4, NUM_SIG = 0xd0, LOAD = 0xd4, DATA = 0x100,
				UCODE = 0x400, SIG_SIZE = 0x40;
};

inline kernel::Result<BuiltFile> build_hs(u32 num_sig = 2, u32 fuse_ver = 1)
{
	using L = HsLayout;
	BuiltFile f;
	TRY(zeroed(f, L::DATA + L::UCODE));
	container(f, L::HS, L::DATA, L::UCODE);
	const u32 hs[9] = { L::SIGS,
			    static_cast<u32>(num_sig * L::SIG_SIZE),
			    L::PATCH_LOC,
			    L::PATCH_SIG,
			    L::META,
			    12,
			    L::NUM_SIG,
			    L::LOAD,
			    36 };
	static const char *const names[9] = {
		"sig_prod_offset",  "sig_prod_size",	"patch_loc_offset",
		"patch_sig_offset", "meta_data_offset", nullptr,
		"num_sig_offset",   "hs_header_offset", nullptr
	};
	for (size_t i = 0; i < 9; i++) {
		f.put32(L::HS + 4 * i, hs[i]);
		if (names[i])
			f.field(names[i], L::HS + 4 * i);
	}
	for (size_t i = 0; i < num_sig * L::SIG_SIZE && L::SIGS + i < L::PATCH_LOC; i++)
		f.put8(L::SIGS + i, static_cast<u8>(0xa0 + i / L::SIG_SIZE));
	f.put32(L::PATCH_LOC, 0x210);
	f.field("patch_loc", L::PATCH_LOC);
	f.put32(L::PATCH_SIG, 0);
	f.field("patch_sig", L::PATCH_SIG);
	f.put32(L::META, fuse_ver);
	f.put32(L::META + 4, 0x1);
	f.put32(L::META + 8, 3);
	f.put32(L::NUM_SIG, num_sig);
	const u32 load[7] = { 0, 0x100, 0x200, 0x200, 1, 0x100, 0x100 };
	static const char *const lnames[7] = { "os_code_offset", "os_code_size", "os_data_offset",
					       "os_data_size",	 nullptr,	 "app0_offset",
					       "app0_len" };
	for (size_t i = 0; i < 7; i++) {
		f.put32(L::LOAD + 4 * i, load[i]);
		if (lnames[i])
			f.field(lnames[i], L::LOAD + 4 * i);
	}
	return f;
}

/* A RISC-V bootloader: manifest [0, 0x100), monitor data [0x100, 0x200), code [0x200, 0x400). */
struct RiscvLayout {
	static constexpr size_t DESC = 0x18, DATA = 0x6c, UCODE = 0x1000;
};

inline kernel::Result<BuiltFile> build_riscv()
{
	using L = RiscvLayout;
	BuiltFile f;
	TRY(zeroed(f, L::DATA + L::UCODE));
	container(f, L::DESC, L::DATA, L::UCODE);
	const u32 d[14] = { 5, 0, 0, 0, 0, 0, 0, 42, 0, 0x100, 0x100, 0x100, 0x200, 0x200 };
	for (size_t i = 0; i < 14; i++)
		f.put32(L::DESC + 4 * i, d[i]);
	f.field("manifest_offset", L::DESC + 32);
	f.field("manifest_size", L::DESC + 36);
	f.field("monitor_data_offset", L::DESC + 40);
	f.field("monitor_data_size", L::DESC + 44);
	f.field("monitor_code_offset", L::DESC + 48);
	f.field("monitor_code_size", L::DESC + 52);
	return f;
}

/* An FWSEC bootloader: 0x80 bytes of code in a 0x100-byte payload. */
inline kernel::Result<BuiltFile> build_gen_bootloader()
{
	BuiltFile f;
	TRY(zeroed(f, 0x130));
	container(f, 0x18, 0x30, 0x100);
	const u32 d[6] = { 0xfd, 0, 0, 0x80, 0x80, 0x80 };
	for (size_t i = 0; i < 6; i++)
		f.put32(0x18 + 4 * i, d[i]);
	f.field("code_size", 0x18 + 12);
	return f;
}

/*
 * A GSP ELF64: sections null, .fwimage (0x2000 bytes at 0x40), .fwversion
 * ("570.144"), .fwsignature_ad10x and .fwsignature_tu10x (0x100 each),
 * .shstrtab; the section table last.
 */
struct GspLayout {
	static constexpr size_t IMAGE = 0x40, IMAGE_SIZE = 0x2000, VERSION = IMAGE + IMAGE_SIZE,
				SIG_AD = VERSION + 8, SIG_TU = SIG_AD + 0x100,
				STRTAB = SIG_TU + 0x100, STRTAB_SIZE = 0x60,
				SHDRS = STRTAB + STRTAB_SIZE, SHNUM = 6;
};

inline kernel::Result<BuiltFile> build_gsp()
{
	using L = GspLayout;
	BuiltFile f;
	TRY(zeroed(f, L::SHDRS + L::SHNUM * 64));
	f.put32(0, 0x464c457f);
	f.put8(4, 2);
	f.put8(5, 1);
	f.put8(6, 1);
	f.put16(0x10, 1);
	f.put16(0x12, 0xf3);
	f.put64(0x28, L::SHDRS);
	f.put16(0x34, 64);
	f.put16(0x3a, 64);
	f.put16(0x3c, L::SHNUM);
	f.put16(0x3e, L::SHNUM - 1);
	f.field("e_shoff", 0x28, true);
	/* name offsets in .shstrtab */
	const char *const names[L::SHNUM] = {
		"",	    ".fwimage", ".fwversion", ".fwsignature_ad10x", ".fwsignature_tu10x",
		".shstrtab"
	};
	const size_t offs[L::SHNUM] = { 0, L::IMAGE, L::VERSION, L::SIG_AD, L::SIG_TU, L::STRTAB };
	const size_t sizes[L::SHNUM] = { 0, L::IMAGE_SIZE, 8, 0x100, 0x100, L::STRTAB_SIZE };
	size_t name = 1;
	for (size_t i = 0; i < L::SHNUM; i++) {
		size_t sh = L::SHDRS + i * 64;
		size_t n = i ? name : 0;
		f.put32(sh, static_cast<u32>(n));
		f.put32(sh + 4, i ? 1 : 0);
		f.put64(sh + 24, offs[i]);
		f.put64(sh + 32, sizes[i]);
		if (i) {
			f.put_str(L::STRTAB + n, names[i]);
			for (size_t k = 0; names[i][k]; k++)
				name++;
			name++;
		}
	}
	f.put32(L::SHDRS + 5 * 64 + 4, 3); /* SHT_STRTAB */
	f.put_str(L::VERSION, "570.144");
	f.field("fwimage_offset", L::SHDRS + 1 * 64 + 24, true);
	f.field("fwimage_size", L::SHDRS + 1 * 64 + 32, true);
	f.field("fwversion_offset", L::SHDRS + 2 * 64 + 24, true);
	f.field("fwversion_size", L::SHDRS + 2 * 64 + 32, true);
	f.field("signature_offset", L::SHDRS + 3 * 64 + 24, true);
	f.field("signature_size", L::SHDRS + 3 * 64 + 32, true);
	f.field("shstrtab_offset", L::SHDRS + 5 * 64 + 24, true);
	f.field("shstrtab_size", L::SHDRS + 5 * 64 + 32, true);
	return f;
}

/* An FMC ELF32: sections null, .shstrtab, hash, signature, publickey, image. */
struct FmcLayout {
	static constexpr size_t STRTAB = 0x34, STRTAB_SIZE = 0x30, HASH = 0x64, SIG = HASH + 0x30,
				KEY = SIG + 0x60, IMAGE = KEY + 0x60, IMAGE_SIZE = 0x400,
				SHDRS = IMAGE + IMAGE_SIZE, SHNUM = 6;
};

inline kernel::Result<BuiltFile> build_fmc()
{
	using L = FmcLayout;
	BuiltFile f;
	TRY(zeroed(f, L::SHDRS + L::SHNUM * 40));
	f.put32(0, 0x464c457f);
	f.put8(4, 1);
	f.put8(5, 1);
	f.put8(6, 1);
	f.put32(0x20, L::SHDRS);
	f.put16(0x28, 52);
	f.put16(0x2e, 40);
	f.put16(0x30, L::SHNUM);
	f.put16(0x32, 1);
	f.field("e_shoff", 0x20);
	const char *const names[L::SHNUM] = { "",	   ".shstrtab", "hash",
					      "signature", "publickey", "image" };
	const size_t offs[L::SHNUM] = { 0, L::STRTAB, L::HASH, L::SIG, L::KEY, L::IMAGE };
	const size_t sizes[L::SHNUM] = { 0, L::STRTAB_SIZE, 0x30, 0x60, 0x60, L::IMAGE_SIZE };
	size_t name = 1;
	for (size_t i = 0; i < L::SHNUM; i++) {
		size_t sh = L::SHDRS + i * 40;
		size_t n = i ? name : 0;
		f.put32(sh, static_cast<u32>(n));
		f.put32(sh + 4, i == 1 ? 3 : (i ? 1 : 0));
		f.put32(sh + 16, static_cast<u32>(offs[i]));
		f.put32(sh + 20, static_cast<u32>(sizes[i]));
		if (i) {
			f.put_str(L::STRTAB + n, names[i]);
			for (size_t k = 0; names[i][k]; k++)
				name++;
			name++;
		}
	}
	f.field("shstrtab_offset", L::SHDRS + 1 * 40 + 16);
	f.field("shstrtab_size", L::SHDRS + 1 * 40 + 20);
	f.field("hash_offset", L::SHDRS + 2 * 40 + 16);
	f.field("hash_size", L::SHDRS + 2 * 40 + 20);
	f.field("signature_offset", L::SHDRS + 3 * 40 + 16);
	f.field("signature_size", L::SHDRS + 3 * 40 + 20);
	f.field("publickey_offset", L::SHDRS + 4 * 40 + 16);
	f.field("publickey_size", L::SHDRS + 4 * 40 + 20);
	f.field("image_offset", L::SHDRS + 5 * 40 + 16);
	f.field("image_size", L::SHDRS + 5 * 40 + 20);
	return f;
}

} // namespace nova::test

#endif /* NOVA_TESTS_FIRMWARE_FW_BUILDER_H */
