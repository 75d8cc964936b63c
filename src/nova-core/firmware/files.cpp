// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing NVIDIA's GSP firmware files. Documentation/firmware.rst
 * describes the formats as this file reads them; the comments here say
 * only why. Every structure is read whole through the file's ByteView and
 * every range is checked against the file (or its payload) before it is
 * recorded.
 */
#include "firmware/files.h"

using namespace kernel;

namespace nova::core::fw {

namespace {

constexpr u32 BIN_MAGIC = 0x10de;

/* Fills *why (if any) and returns its errno, for `return fail(...)`. */
Error fail(FwError *why, Error e, size_t offset, const char *structure, const char *problem)
{
	if (why)
		*why = FwError { e, offset, structure, problem };
	return e;
}

/* [off, off + size) inside [0, limit). */
bool fits(u64 off, u64 size, u64 limit)
{
	return off <= limit && size <= limit - off;
}

template <typename T>
Result<T> read_at(ByteView file, size_t off, FwError *why, const char *structure)
{
	auto v = file.read<T>(off);
	if (!v)
		return fail(why, err::ERANGE, off, structure, "outside the file");
	return v.take();
}

} // namespace

Result<BinFile> parse_container(ByteView file, FwError *why)
{
	auto hdr = TRY(read_at<BinHeader>(file, 0, why, "container header"));
	if (hdr.bin_magic != BIN_MAGIC)
		return fail(why, err::EINVAL, 0, "container header", "bad magic");
	if (!fits(hdr.data_offset, hdr.data_size, file.len()) || hdr.data_size == 0)
		return fail(why, err::ERANGE, 0, "container header", "payload outside the file");
	if (hdr.header_offset >= file.len())
		return fail(why, err::ERANGE, 0, "container header", "header outside the file");
	return BinFile { hdr, { hdr.data_offset, hdr.data_size } };
}

Result<HsFirmware> parse_hs(ByteView file, FwError *why)
{
	HsFirmware f {};
	f.bin = TRY(parse_container(file, why));
	const size_t at = f.bin.hdr.header_offset;
	f.hs = TRY(read_at<HsHeaderV2>(file, at, why, "HS header v2"));
	const HsHeaderV2 &hs = f.hs;

	f.patch_loc = TRY(read_at<u32>(file, hs.patch_loc_offset, why, "HS patch location"));
	f.patch_sig = TRY(read_at<u32>(file, hs.patch_sig_offset, why, "HS patch signature"));
	f.num_sig = TRY(read_at<u32>(file, hs.num_sig_offset, why, "HS signature count"));

	if (hs.meta_data_size != sizeof(HsSignatureParams))
		return fail(why, err::EINVAL, at, "HS header v2", "metadata size");
	f.params = TRY(read_at<HsSignatureParams>(file, hs.meta_data_offset, why,
						  "HS signature parameters"));

	if (f.num_sig) {
		if (hs.sig_prod_size % f.num_sig || hs.sig_prod_size == 0)
			return fail(why, err::EINVAL, hs.num_sig_offset, "HS signature count",
				    "does not divide the signatures' size");
		f.sig_size = hs.sig_prod_size / f.num_sig;
		f.sig_start = static_cast<size_t>(hs.sig_prod_offset) + f.patch_sig;
		if (!fits(f.sig_start, hs.sig_prod_size, file.len()))
			return fail(why, err::ERANGE, at, "HS header v2",
				    "signatures outside the file");
		/* The signature is patched into the ucode at patch_loc. */
		if (!fits(f.patch_loc, f.sig_size, f.bin.data.size))
			return fail(why, err::ERANGE, hs.patch_loc_offset, "HS patch location",
				    "outside the ucode");
	}

	if (hs.header_size < sizeof(HsLoadHeaderV2))
		return fail(why, err::EINVAL, at, "HS header v2", "load header size");
	f.load = TRY(read_at<HsLoadHeaderV2>(file, hs.header_offset, why, "HS load header v2"));
	const HsLoadHeaderV2 &load = f.load;
	const size_t ucode = f.bin.data.size;
	if (!fits(load.os_code_offset, load.os_code_size, ucode))
		return fail(why, err::ERANGE, hs.header_offset, "HS load header v2",
			    "OS code outside the ucode");
	if (!fits(load.os_data_offset, load.os_data_size, ucode))
		return fail(why, err::ERANGE, hs.header_offset, "HS load header v2",
			    "OS data outside the ucode");
	if (f.num_sig && f.patch_loc < load.os_data_offset)
		return fail(why, err::EINVAL, hs.patch_loc_offset, "HS patch location",
			    "before the OS data");
	if (load.num_apps == 0 || static_cast<u64>(load.num_apps) * sizeof(HsLoadHeaderV2App) >
					  hs.header_size - sizeof(HsLoadHeaderV2))
		return fail(why, err::EINVAL, hs.header_offset, "HS load header v2", "app count");
	size_t app_at = static_cast<size_t>(hs.header_offset) + sizeof(HsLoadHeaderV2);
	for (u32 i = 0; i < load.num_apps; i++) {
		auto app = TRY(read_at<HsLoadHeaderV2App>(
			file, app_at + i * sizeof(HsLoadHeaderV2App), why, "HS app"));
		if (!fits(app.offset, app.len, ucode))
			return fail(why, err::ERANGE, app_at + i * sizeof(HsLoadHeaderV2App),
				    "HS app", "outside the ucode");
		if (i == 0)
			f.app0 = app;
	}
	return f;
}

Result<u32> select_signature(const HsFirmware &hs, u32 reg_fuse_version)
{
	if (hs.num_sig == 0)
		return err::EINVAL;
	if (reg_fuse_version == 0)
		return hs.num_sig - 1;
	if (reg_fuse_version > hs.params.fuse_ver)
		return err::EINVAL;
	u32 idx = hs.params.fuse_ver - reg_fuse_version;
	if (idx >= hs.num_sig)
		return err::EINVAL;
	return idx;
}

Result<u32> fuse_version_register(const HsSignatureParams &params)
{
	return core::fuse_version_register(params.engine_id_mask, params.ucode_id);
}

Result<RiscvFirmware> parse_riscv(ByteView file, FwError *why)
{
	RiscvFirmware f {};
	f.bin = TRY(parse_container(file, why));
	const size_t at = f.bin.hdr.header_offset;
	f.desc = TRY(read_at<RiscvUcodeDesc>(file, at, why, "RISC-V ucode descriptor"));
	const RiscvUcodeDesc &d = f.desc;
	const size_t ucode = f.bin.data.size;
	if (!fits(d.monitor_code_offset, d.monitor_code_size, ucode))
		return fail(why, err::ERANGE, at, "RISC-V ucode descriptor",
			    "monitor code outside the ucode");
	if (!fits(d.monitor_data_offset, d.monitor_data_size, ucode))
		return fail(why, err::ERANGE, at, "RISC-V ucode descriptor",
			    "monitor data outside the ucode");
	if (!fits(d.manifest_offset, d.manifest_size, ucode))
		return fail(why, err::ERANGE, at, "RISC-V ucode descriptor",
			    "manifest outside the ucode");
	return f;
}

Result<GenBootloader> parse_gen_bootloader(ByteView file, FwError *why)
{
	GenBootloader f {};
	f.bin = TRY(parse_container(file, why));
	const size_t at = f.bin.hdr.header_offset;
	f.desc = TRY(read_at<BootloaderDesc>(file, at, why, "bootloader descriptor"));
	/* Only the code's size is meaningful: the code starts the payload. */
	if (f.desc.code_size == 0 || f.desc.code_size > f.bin.data.size)
		return fail(why, err::ERANGE, at, "bootloader descriptor",
			    "code outside the ucode");
	return f;
}

namespace {

constexpr u8 ELF_MAGIC[] = { 0x7f, 'E', 'L', 'F' };
constexpr u8 ELFCLASS32 = 1, ELFCLASS64 = 2, ELFDATA2LSB = 1;
constexpr u8 EI_CLASS = 4, EI_DATA = 5;
/* Section names are this long at most (the longest is ".fwsignature_cc_gb10x"). */
constexpr size_t MAX_NAME = 32;

/* The ELF class's headers. */
template <typename Hdr, typename Shdr, u8 Class> struct ElfOf {
	using Header = Hdr;
	using Section = Shdr;
	static constexpr u8 CLASS = Class;
};
using Elf64 = ElfOf<Elf64Header, Elf64SectionHeader, ELFCLASS64>;
using Elf32 = ElfOf<Elf32Header, Elf32SectionHeader, ELFCLASS32>;

/* An ELF's section table and names, validated. */
template <typename E> struct ElfFile {
	ByteView file;
	typename E::Header hdr;
	Span names; /* the section name string table */

	static Result<ElfFile> parse(ByteView file, FwError *why)
	{
		ElfFile e { file, {}, {} };
		e.hdr = TRY(read_at<typename E::Header>(file, 0, why, "ELF header"));
		if (!file.matches(0, ByteView(ELF_MAGIC)))
			return fail(why, err::EINVAL, 0, "ELF header", "bad magic");
		if (e.hdr.ident[EI_CLASS] != E::CLASS)
			return fail(why, err::EINVAL, EI_CLASS, "ELF header", "wrong class");
		if (e.hdr.ident[EI_DATA] != ELFDATA2LSB)
			return fail(why, err::EINVAL, EI_DATA, "ELF header", "not little-endian");
		if (e.hdr.shentsize != sizeof(typename E::Section))
			return fail(why, err::EINVAL, 0, "ELF header", "section header size");
		if (e.hdr.shnum == 0 || e.hdr.shstrndx >= e.hdr.shnum)
			return fail(why, err::EINVAL, 0, "ELF header", "section count");
		if (!fits(e.hdr.shoff, u64(e.hdr.shnum) * sizeof(typename E::Section), file.len()))
			return fail(why, err::ERANGE, 0, "ELF header",
				    "section table outside the file");
		auto strtab = TRY(e.section(e.hdr.shstrndx, why));
		e.names = { static_cast<size_t>(strtab.offset), static_cast<size_t>(strtab.size) };
		return e;
	}

	/* Section header @i, its range checked against the file. */
	Result<typename E::Section> section(unsigned i, FwError *why) const
	{
		size_t at = static_cast<size_t>(hdr.shoff) + i * sizeof(typename E::Section);
		auto sh = TRY(read_at<typename E::Section>(file, at, why, "ELF section header"));
		/* SHT_NOBITS (8) has no bytes in the file. */
		if (sh.type != 8 && !fits(sh.offset, sh.size, file.len()))
			return fail(why, err::ERANGE, at, "ELF section header",
				    "section outside the file");
		return sh;
	}

	/* Whether section @sh's name is @name (or starts with it, @prefix). */
	bool name_is(const typename E::Section &sh, const char *name, bool prefix = false) const
	{
		if (sh.name >= names.size)
			return false;
		size_t at = names.offset + sh.name;
		for (size_t i = 0; i < MAX_NAME; i++) {
			if (i >= names.size - sh.name)
				return false;
			auto c = file.u8_at(at + i);
			if (!c)
				return false;
			if (name[i] == '\0')
				return prefix || c.value() == 0;
			if (c.value() != static_cast<u8>(name[i]))
				return false;
		}
		return false;
	}

	/* The range of the section called @name; ENOENT if there is none. */
	Result<Span> find(const char *name, FwError *why) const
	{
		for (unsigned i = 0; i < hdr.shnum; i++) {
			auto sh = TRY(section(i, why));
			if (name_is(sh, name))
				return Span { static_cast<size_t>(sh.offset),
					      static_cast<size_t>(sh.size) };
		}
		return fail(why, err::ENOENT, hdr.shoff, "ELF section table", name);
	}
};

} // namespace

Result<GspElf> parse_gsp(ByteView file, const char *signature, FwError *why)
{
	auto elf = TRY(ElfFile<Elf64>::parse(file, why));
	GspElf g {};
	g.sections = elf.hdr.shnum;
	for (unsigned i = 0; i < elf.hdr.shnum; i++) {
		auto sh = TRY(elf.section(i, why));
		if (elf.name_is(sh, ".fwsignature_", true))
			g.signatures++;
	}
	g.image = TRY(elf.find(".fwimage", why));
	if (g.image.size == 0)
		return fail(why, err::EINVAL, g.image.offset, ".fwimage", "empty");
	Span version = TRY(elf.find(".fwversion", why));
	if (version.size == 0 || version.size > sizeof(g.version))
		return fail(why, err::EINVAL, version.offset, ".fwversion", "size");
	TRY(file.copy_to(version.offset, reinterpret_cast<u8 *>(g.version), version.size));
	g.version[sizeof(g.version) - 1] = '\0';
	for (size_t i = 0; i < version.size; i++) {
		char c = g.version[i];
		if (c == '\0')
			break;
		if (c < 0x20 || c > 0x7e)
			return fail(why, err::EINVAL, version.offset + i, ".fwversion",
				    "not printable");
	}
	g.signature = TRY(elf.find(signature, why));
	if (g.signature.size == 0)
		return fail(why, err::EINVAL, g.signature.offset, signature, "empty");
	return g;
}

Result<FmcElf> parse_fmc(ByteView file, FwError *why)
{
	auto elf = TRY(ElfFile<Elf32>::parse(file, why));
	FmcElf f {};
	f.sections = elf.hdr.shnum;
	f.image = TRY(elf.find("image", why));
	f.hash = TRY(elf.find("hash", why));
	f.signature = TRY(elf.find("signature", why));
	f.publickey = TRY(elf.find("publickey", why));
	if (f.image.size == 0)
		return fail(why, err::EINVAL, f.image.offset, "image", "empty");
	return f;
}

namespace {

constexpr u32 bit(File f)
{
	return 1u << static_cast<unsigned>(f);
}

constexpr u32 TURING_FILES = bit(File::BooterLoad) | bit(File::BooterUnload) |
			     bit(File::Bootloader) | bit(File::GenBootloader) | bit(File::Gsp);
constexpr u32 AMPERE_FILES =
	bit(File::BooterLoad) | bit(File::BooterUnload) | bit(File::Bootloader) | bit(File::Gsp);
constexpr u32 ADA_FILES = AMPERE_FILES | bit(File::Scrubber);
constexpr u32 FMC_FILES = bit(File::Fmc) | bit(File::Bootloader) | bit(File::Gsp);

constexpr ChipFirmware TU10X = { TURING_FILES, ".fwsignature_tu10x", false, 2 };
constexpr ChipFirmware TU11X = { TURING_FILES, ".fwsignature_tu11x", false, 2 };
constexpr ChipFirmware GA100 = { TURING_FILES, ".fwsignature_ga100", false, 2 };
constexpr ChipFirmware GA10X = { AMPERE_FILES, ".fwsignature_ga10x", true, 3 };
constexpr ChipFirmware AD10X = { ADA_FILES, ".fwsignature_ad10x", true, 3 };
constexpr ChipFirmware GH100 = { FMC_FILES, ".fwsignature_gh100", false, 3 };
constexpr ChipFirmware GB10X = { FMC_FILES, ".fwsignature_gb10x", false, 3 };
constexpr ChipFirmware GB20X = { FMC_FILES, ".fwsignature_gb20x", false, 3 };

} // namespace

const char *file_name(File f)
{
	switch (f) {
	case File::BooterLoad:
		return "booter_load";
	case File::BooterUnload:
		return "booter_unload";
	case File::Bootloader:
		return "bootloader";
	case File::GenBootloader:
		return "gen_bootloader";
	case File::Gsp:
		return "gsp";
	case File::Scrubber:
		return "scrubber";
	case File::Fmc:
		return "fmc";
	}
	return "unknown";
}

const ChipFirmware &chip_firmware(const Chipset &chipset)
{
	switch (chipset.arch) {
	case Architecture::Turing:
		return chipset.id == 0x167 || chipset.id == 0x168 ? TU11X : TU10X;
	case Architecture::Ampere:
		return chipset.id == 0x170 ? GA100 : GA10X;
	case Architecture::Ada:
		return AD10X;
	case Architecture::Hopper:
		return GH100;
	case Architecture::BlackwellGB10x:
		return GB10X;
	case Architecture::BlackwellGB20x:
		return GB20X;
	}
	return GB20X;
}

void radix3_sizes(size_t image_size, GspSizes &sizes)
{
	size_t pages = (image_size + GSP_PAGE_SIZE - 1) / GSP_PAGE_SIZE;
	sizes.radix3_level2 = pages * sizeof(u64);
	size_t l2_pages = (sizes.radix3_level2 + GSP_PAGE_SIZE - 1) / GSP_PAGE_SIZE;
	sizes.radix3_level1 = l2_pages * sizeof(u64);
	sizes.radix3_level0 = GSP_PAGE_SIZE;
}

} // namespace nova::core::fw
