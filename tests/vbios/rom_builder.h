/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test-only VBIOS images, built in the kernel by the KUnit cases and the
 * fuzzer: a PC-AT image with a BIT (BIOSDATA and falcon data tokens), an
 * optional EFI image, two FwSec images holding the PMU lookup table and
 * FWSEC descriptors of version 2 or 3, behind an optional IFR header. The
 * layout is the one Documentation/vbios.rst describes; RomLayout records
 * where every field went, so a test can change exactly one.
 *
 * With RomOptions::ucode the PROD descriptor is followed by a FWSEC ucode
 * that FWSEC-FRTS preparation can patch (Documentation/fb-layout.rst,
 * "The emulated FWSEC ucode"): an IMEM, and a DMEM holding an
 * application interface table with a DMEMMAPPER entry, its command-in
 * buffer and the signature patch area; a V3 descriptor then carries
 * three signatures.
 *
 * Also an in-memory RomSource stand-in that records how it was read.
 */
#ifndef NOVA_TESTS_VBIOS_ROM_BUILDER_H
#define NOVA_TESTS_VBIOS_ROM_BUILDER_H

#include <kernel/alloc.h>
#include <kernel/bytes.h>
#include <kernel/error.h>

namespace nova::test {

using ktl::size_t;
using ktl::u16;
using ktl::u32;
using ktl::u8;

struct RomOptions {
	u8 ifr_version = 0; /* 0: no IFR header; 1, 2 or 3 */
	bool efi = true;
	u8 desc_version = 3; /* written in the descriptors' headers */
	bool prod = true;
	bool dbg = false;
	bool pmu_in_first_fwsec = false;
	bool nbsi = false; /* an NBSI image after the second FwSec one, which is then not last */
	u32 bios_version = 0x90047640;
	u8 oem = 0x4c;
	u16 device_id = 0x2684;
	/* image sizes, in 512-byte units */
	u16 pci_at_blocks = 2;
	u16 efi_blocks = 1;
	u16 fwsec1_blocks = 1;
	u16 fwsec2_blocks = 2;
	/* A patchable PROD ucode after its descriptor (needs fwsec2_blocks >= UCODE_BLOCKS). */
	bool ucode = false;
};

/* Presets of the three descriptor generations. */
inline RomOptions turing_v2()
{
	RomOptions o;
	o.desc_version = 2;
	o.bios_version = 0x90040200;
	o.oem = 0x01;
	o.device_id = 0x1e82;
	return o;
}

/* GA100 has no display, so no EFI image; its ROM is read behind an IFR header. */
inline RomOptions ga100_v2()
{
	RomOptions o;
	o.desc_version = 2;
	o.efi = false;
	o.ifr_version = 3;
	o.bios_version = 0x92000300;
	o.oem = 0x02;
	o.device_id = 0x20b0;
	return o;
}

inline RomOptions ada_v3()
{
	return RomOptions {};
}

/* The ucode the builder writes with RomOptions::ucode, DMEM-relative. */
inline constexpr u32 UCODE_IMEM = 0x400, UCODE_DMEM = 0x800;
inline constexpr u32 UCODE_APPIF = 0x100; /* the descriptor's interface offset */
inline constexpr u32 UCODE_OTHER_APP = 0x180; /* an application before the DMEMMAPPER */
inline constexpr u32 UCODE_DMEMMAPPER = 0x200;
inline constexpr u32 UCODE_CMD_IN = 0x300, UCODE_CMD_IN_SIZE = 0x100;
inline constexpr u32 UCODE_CMD_OUT = 0x400, UCODE_CMD_OUT_SIZE = 0x80;
inline constexpr u32 UCODE_PKC = 0x600; /* V3: the signature patch location */
inline constexpr u32 UCODE_SIG_COUNT = 3;
inline constexpr u16 UCODE_SIG_VERSIONS = 0x000b; /* versions 0, 1 and 3 */
inline constexpr u16 UCODE_BLOCKS = 11; /* the second FwSec image's size with a ucode */
inline constexpr size_t UCODE_DBG_DESC_AT = 0x1300;
inline constexpr u32 DMEMMAPPER_SIGNATURE = 0x50414d44; /* "DMAP" */

/* The builder's filler: IMEM bytes, then DMEM bytes, by ucode offset. */
inline u8 ucode_filler(size_t off)
{
	return static_cast<u8>((off * 7 + 0x5a) ^ (off >> 8));
}

/* Byte @i of signature @n. */
inline u8 signature_byte(size_t n, size_t i)
{
	return static_cast<u8>(0x40 + 0x10 * n + (i & 0xf));
}

inline RomOptions with_ucode(RomOptions o)
{
	o.ucode = true;
	o.fwsec2_blocks = UCODE_BLOCKS;
	return o;
}

enum { IMG_PCI_AT, IMG_EFI, IMG_FWSEC1, IMG_FWSEC2, IMG_NBSI, IMG_MAX };

/* PROM offsets of what the builder wrote; 0 where it wrote nothing. */
struct RomLayout {
	size_t rom_start;
	size_t ifr_rom_pointer; /* the u32 holding rom_start */
	size_t ifr_flash_status; /* v3: the u32 pointing at the directory - 4096 */
	size_t ifr_directory; /* v3: "RFRD" */
	size_t image[IMG_MAX];
	size_t image_len[IMG_MAX];
	size_t pcir[IMG_MAX];
	size_t npde[IMG_MAX];
	size_t bit;
	size_t tokens;
	size_t token_count;
	size_t biosdata_token;
	size_t falcon_token;
	size_t bios_data;
	size_t falcon_data;
	size_t pmu_table;
	size_t prod_entry;
	size_t dbg_entry;
	size_t prod_desc;
	size_t dbg_desc;
	size_t ucode; /* with RomOptions::ucode: the ucode, its DMEM, the signatures */
	size_t dmem;
	size_t signatures;
	size_t total;
};

/* Descriptor field values the tests expect back. */
inline constexpr u32 PROD_IMEM = 0x7e00, PROD_DMEM = 0x1a00, PROD_STORED = 0x9800;
inline constexpr u32 DBG_IMEM = 0x6e00, DBG_DMEM = 0x1200, DBG_STORED = 0x8000;

/* Image-relative places of the builder's structures. */
inline constexpr size_t PCIR_AT = 0x20;
inline constexpr size_t NPDE_AT = 0x40; /* (0x20 + 0x18) rounded up to 16 */
inline constexpr size_t BIT_AT = 0x60;
inline constexpr size_t BIOS_DATA_AT = 0x100;
inline constexpr size_t FALCON_DATA_AT = 0x140;
inline constexpr size_t PMU_IN_FIRST_AT = 0x100;
inline constexpr size_t PMU_IN_SECOND_AT = 0x80;
inline constexpr size_t PROD_DESC_AT = 0x100;
inline constexpr size_t DBG_DESC_AT = 0x200;

/* A zero-filled byte buffer written by offset. */
class ByteBuffer {
public:
	explicit ByteBuffer(kernel::KVec<u8> &v) : v_(v) {}

	kernel::Result<void> grow_to(size_t n, u8 fill = 0)
	{
		if (n <= v_.len())
			return kernel::ok();
		TRY(v_.reserve(n - v_.len(), kernel::gfp::KERNEL));
		while (v_.len() < n)
			TRY(v_.push(fill, kernel::gfp::KERNEL));
		return kernel::ok();
	}
	void put8(size_t off, u8 v) { *v_.get(off) = v; }
	void put16(size_t off, u16 v)
	{
		put8(off, v & 0xff);
		put8(off + 1, v >> 8);
	}
	void put32(size_t off, u32 v)
	{
		put16(off, v & 0xffff);
		put16(off + 2, v >> 16);
	}
	void put_str(size_t off, const char *s)
	{
		for (size_t i = 0; s[i]; i++)
			put8(off + i, static_cast<u8>(s[i]));
	}

private:
	kernel::KVec<u8> &v_;
};

/* One image's ROM header, PCIR and NPDE at @base. */
inline void put_image_headers(ByteBuffer &b, RomLayout &l, int idx, size_t base, u16 rom_sig,
			      const char *pcir_sig, u8 code_type, u16 blocks, u16 device,
			      bool pcir_last, bool npde_last)
{
	l.image[idx] = base;
	l.image_len[idx] = size_t { blocks } * 512;
	l.pcir[idx] = base + PCIR_AT;
	l.npde[idx] = base + NPDE_AT;
	b.put16(base, rom_sig);
	b.put16(base + 0x18, PCIR_AT);
	size_t p = base + PCIR_AT;
	b.put_str(p, pcir_sig);
	b.put16(p + 4, 0x10de);
	b.put16(p + 6, device);
	b.put16(p + 0x0a, 0x18);
	b.put8(p + 0x0c, 3);
	b.put8(p + 0x0f, 0x03); /* class: display controller */
	b.put16(p + 0x10, blocks);
	b.put16(p + 0x12, 1);
	b.put8(p + 0x14, code_type);
	b.put8(p + 0x15, pcir_last ? 0x80 : 0);
	size_t n = base + NPDE_AT;
	b.put_str(n, "NPDE");
	b.put16(n + 4, 0x0101);
	b.put16(n + 6, 0x10);
	b.put16(n + 8, blocks);
	b.put8(n + 0x0a, npde_last ? 0x80 : 0);
}

/* A descriptor of @version at @off with the given sizes. */
inline void put_descriptor(ByteBuffer &b, size_t off, u8 version, u32 imem, u32 dmem, u32 stored)
{
	size_t size = version == 2 ? 60 : 44;
	b.put32(off, static_cast<u32>(size) << 16 | u32 { version } << 8 | 1);
	b.put32(off + 4, stored);
	if (version == 2) {
		b.put32(off + 8, stored); /* uncompressed size */
		b.put32(off + 16, 0x100); /* interface offset */
		b.put32(off + 24, imem); /* imem load size */
		b.put32(off + 36, 0x2000); /* imem secure size */
		b.put32(off + 40, imem); /* dmem offset */
		b.put32(off + 48, dmem); /* dmem load size */
	} else {
		b.put32(off + 12, 0x100); /* interface offset */
		b.put32(off + 20, imem);
		b.put32(off + 32, dmem);
		b.put16(off + 36, 0x0400); /* engine mask */
		b.put8(off + 38, 9); /* ucode id */
	}
}

/*
 * The PROD descriptor's ucode variant at @off: the sizes of the ucode the
 * builder writes after it, and on V3 three signatures in the descriptor.
 * Returns the descriptor's size.
 */
inline size_t put_ucode_descriptor(ByteBuffer &b, size_t off, u8 version)
{
	put_descriptor(b, off, version, UCODE_IMEM, UCODE_DMEM, UCODE_IMEM + UCODE_DMEM);
	if (version == 2) {
		b.put32(off + 4, UCODE_IMEM + UCODE_DMEM);
		b.put32(off + 8, UCODE_IMEM + UCODE_DMEM);
		b.put32(off + 16, UCODE_APPIF);
		b.put32(off + 36, 0x200); /* imem secure size */
		return 60;
	}
	size_t size = 44 + UCODE_SIG_COUNT * 384;
	b.put32(off, static_cast<u32>(size) << 16 | 3u << 8 | 1);
	b.put32(off + 8, UCODE_PKC);
	b.put32(off + 12, UCODE_APPIF);
	b.put8(off + 39, UCODE_SIG_COUNT);
	b.put16(off + 40, UCODE_SIG_VERSIONS);
	for (size_t n = 0; n < UCODE_SIG_COUNT; n++)
		for (size_t i = 0; i < 384; i++)
			b.put8(off + 44 + n * 384 + i, signature_byte(n, i));
	return size;
}

/* The ucode at @at, its DMEM at @at + @dmem: filler, then the tables. */
inline void put_ucode(ByteBuffer &b, size_t at, size_t dmem)
{
	for (size_t i = 0; i < UCODE_IMEM + UCODE_DMEM; i++)
		b.put8(at + i, ucode_filler(i));
	size_t t = dmem + UCODE_APPIF;
	b.put8(t, 1);
	b.put8(t + 1, 4);
	b.put8(t + 2, 8);
	b.put8(t + 3, 2);
	b.put32(t + 4, 0x1); /* an application that is not the DMEM mapper */
	b.put32(t + 8, UCODE_OTHER_APP);
	b.put32(t + 12, 0x4); /* DMEMMAPPER */
	b.put32(t + 16, UCODE_DMEMMAPPER);
	size_t m = dmem + UCODE_DMEMMAPPER;
	for (size_t i = 0; i < 64; i++)
		b.put8(m + i, 0);
	b.put32(m, DMEMMAPPER_SIGNATURE);
	b.put16(m + 4, 3);
	b.put16(m + 6, 64);
	b.put32(m + 8, UCODE_CMD_IN);
	b.put32(m + 12, UCODE_CMD_IN_SIZE);
	b.put32(m + 16, UCODE_CMD_OUT);
	b.put32(m + 20, UCODE_CMD_OUT_SIZE);
	b.put32(m + 44, 0x19); /* init command: another one until patched */
	for (size_t i = 0; i < 384; i++)
		b.put8(dmem + UCODE_PKC + i, 0);
}

/* Builds the ROM @o describes into @out (emptied first). */
inline kernel::Result<void> build_rom(const RomOptions &o, kernel::KVec<u8> &out, RomLayout *lay)
{
	RomLayout l {};
	out.clear();
	ByteBuffer b(out);

	/* IFR header. */
	size_t rom = 0;
	if (o.ifr_version == 1 || o.ifr_version == 2) {
		rom = 0x400;
		TRY(b.grow_to(rom));
		b.put32(0, 0x4947564e);
		b.put32(4, u32 { 0x24 } << 16 | u32 { o.ifr_version } << 8);
		b.put32(8, 0x80000000 | 0x400);
		l.ifr_rom_pointer = 0x24 + 4;
		b.put32(l.ifr_rom_pointer, static_cast<u32>(rom));
	} else if (o.ifr_version) {
		rom = 0x1400;
		TRY(b.grow_to(rom));
		b.put32(0, 0x4947564e);
		b.put32(4, u32 { 0x24 } << 16 | u32 { o.ifr_version } << 8);
		b.put32(8, 0x30);
		l.ifr_flash_status = 0x30;
		b.put32(l.ifr_flash_status, 0x100);
		l.ifr_directory = 0x100 + 4096;
		b.put32(l.ifr_directory, 0x44524652);
		l.ifr_rom_pointer = l.ifr_directory + 8;
		b.put32(l.ifr_rom_pointer, static_cast<u32>(rom));
	}
	l.rom_start = rom;

	size_t pci_at_len = size_t { o.pci_at_blocks } * 512;
	size_t efi_len = o.efi ? size_t { o.efi_blocks } * 512 : 0;
	size_t fw1_len = size_t { o.fwsec1_blocks } * 512;
	size_t fw2_len = size_t { o.fwsec2_blocks } * 512;
	size_t nbsi_len = o.nbsi ? 512 : 0;
	size_t pci_at = rom;
	size_t efi = pci_at + pci_at_len;
	size_t fw1 = efi + efi_len;
	size_t fw2 = fw1 + fw1_len;
	size_t nbsi = fw2 + fw2_len;
	l.total = nbsi + nbsi_len;
	TRY(b.grow_to(l.total));

	/* PC-AT image: headers, BIT, BIOSDATA, falcon data. */
	put_image_headers(b, l, IMG_PCI_AT, pci_at, 0xaa55, "PCIR", 0x00, o.pci_at_blocks,
			  o.device_id, false, false);
	l.bit = pci_at + BIT_AT;
	b.put16(l.bit, 0xb8ff);
	b.put_str(l.bit + 2, "BIT");
	b.put16(l.bit + 6, 0x0100);
	b.put8(l.bit + 8, 12);
	b.put8(l.bit + 9, 6);
	l.token_count = 4;
	b.put8(l.bit + 10, static_cast<u8>(l.token_count));
	l.tokens = l.bit + 12;
	const struct {
		u8 id, version;
		u16 size, pointer;
	} tokens[] = {
		{ 0x32, 1, 0x10, 0x1c0 }, /* init script pointers: not parsed */
		{ 0x42, 2, 0x10, BIOS_DATA_AT }, /* BIOSDATA */
		{ 0x49, 1, 0x08, 0x1e0 }, /* I2C: not parsed */
		{ 0x70, 2, 0x04, FALCON_DATA_AT }, /* falcon data */
	};
	for (size_t i = 0; i < l.token_count; i++) {
		size_t t = l.tokens + i * 6;
		b.put8(t, tokens[i].id);
		b.put8(t + 1, tokens[i].version);
		b.put16(t + 2, tokens[i].size);
		b.put16(t + 4, tokens[i].pointer);
	}
	l.biosdata_token = l.tokens + 6;
	l.falcon_token = l.tokens + 3 * 6;
	l.bios_data = pci_at + BIOS_DATA_AT;
	b.put32(l.bios_data, o.bios_version);
	b.put8(l.bios_data + 4, o.oem);
	l.falcon_data = pci_at + FALCON_DATA_AT;
	size_t pmu_region = o.pmu_in_first_fwsec ? PMU_IN_FIRST_AT : fw1_len + PMU_IN_SECOND_AT;
	b.put32(l.falcon_data, static_cast<u32>(pci_at_len + pmu_region));

	/* EFI image: its PCIR says "last", its NPDE says more follow. */
	if (o.efi)
		put_image_headers(b, l, IMG_EFI, efi, 0xaa55, "PCIR", 0x03, o.efi_blocks,
				  o.device_id, true, false);

	put_image_headers(b, l, IMG_FWSEC1, fw1, 0xbb77, "NPDS", 0xe0, o.fwsec1_blocks, o.device_id,
			  false, false);
	put_image_headers(b, l, IMG_FWSEC2, fw2, 0xbb77, "NPDS", 0xe0, o.fwsec2_blocks, o.device_id,
			  !o.nbsi, !o.nbsi);
	if (o.nbsi)
		put_image_headers(b, l, IMG_NBSI, nbsi, 0xaa55, "PCIR", 0x70, 1, o.device_id, false,
				  false);

	/* PMU lookup table: an unrelated application first, then DBG before PROD. */
	l.pmu_table = o.pmu_in_first_fwsec ? fw1 + PMU_IN_FIRST_AT : fw2 + PMU_IN_SECOND_AT;
	size_t t = l.pmu_table;
	b.put8(t, 1);
	b.put8(t + 1, 6); /* a header larger than the 4 bytes parsed */
	b.put8(t + 2, 6);
	u8 count = 1 + o.dbg + o.prod;
	b.put8(t + 3, count);
	size_t e = t + 6;
	b.put8(e, 0x05); /* FIRMWARE_SEC_LIC */
	b.put32(e + 2, static_cast<u32>(pci_at_len + fw1_len + 0x300));
	e += 6;
	if (o.dbg) {
		l.dbg_entry = e;
		b.put8(e, 0x45);
		b.put32(e + 2, static_cast<u32>(pci_at_len + fw1_len +
						(o.ucode ? UCODE_DBG_DESC_AT : DBG_DESC_AT)));
		e += 6;
	}
	if (o.prod) {
		l.prod_entry = e;
		b.put8(e, 0x85);
		b.put32(e + 2, static_cast<u32>(pci_at_len + fw1_len + PROD_DESC_AT));
	}
	l.prod_desc = fw2 + PROD_DESC_AT;
	l.dbg_desc = fw2 + (o.ucode ? UCODE_DBG_DESC_AT : DBG_DESC_AT);
	if (o.ucode) {
		size_t size = put_ucode_descriptor(b, l.prod_desc, o.desc_version);
		l.ucode = l.prod_desc + size;
		l.dmem = l.ucode + UCODE_IMEM;
		l.signatures = o.desc_version == 3 ? l.prod_desc + 44 : 0;
		put_ucode(b, l.ucode, l.dmem);
	} else {
		put_descriptor(b, l.prod_desc, o.desc_version, PROD_IMEM, PROD_DMEM, PROD_STORED);
	}
	put_descriptor(b, l.dbg_desc, o.desc_version, DBG_IMEM, DBG_DMEM, DBG_STORED);

	if (lay)
		*lay = l;
	return kernel::ok();
}

/*
 * A ROM in memory, read as the parser reads a BAR. Past the end of @rom a
 * read fails with EIO, or, with @fill >= 0, yields that byte (an erased
 * flash, a BAR with nothing behind it). It records whether a byte was
 * asked for twice and how many were read.
 */
class MemorySource {
public:
	explicit MemorySource(kernel::ByteView rom, int fill = -1) : rom_(rom), fill_(fill) {}

	kernel::Result<void> read_block(size_t off, size_t len, kernel::KVec<u8> &out,
					kernel::Gfp gfp) const
	{
		if (off % 4 || len % 4)
			return kernel::err::EINVAL;
		size_t end;
		if (ktl::add_overflows(off, len, &end))
			return kernel::err::EINVAL;
		if (fill_ < 0 && end > rom_.len())
			return kernel::err::EIO;
		if (off < next_)
			reread_ = true;
		TRY(out.reserve(len, gfp));
		for (size_t i = off; i < end; i++) {
			auto byte = rom_.u8_at(i);
			TRY(out.push(byte ? *byte : static_cast<u8>(fill_), gfp));
		}
		next_ = end;
		total_ += len;
		calls_++;
		return kernel::ok();
	}

	bool reread() const { return reread_; }
	size_t total() const { return total_; }
	size_t calls() const { return calls_; }

private:
	kernel::ByteView rom_;
	int fill_;
	mutable size_t next_ = 0;
	mutable size_t total_ = 0;
	mutable size_t calls_ = 0;
	mutable bool reread_ = false;
};

/* Little-endian writes into a built ROM, for tests that change one field. */
inline void poke(kernel::KVec<u8> &rom, size_t off, u32 v, size_t width)
{
	for (size_t i = 0; i < width; i++)
		if (u8 *p = rom.get(off + i))
			*p = static_cast<u8>(v >> (8 * i));
}

} // namespace nova::test

#endif /* NOVA_TESTS_VBIOS_ROM_BUILDER_H */
