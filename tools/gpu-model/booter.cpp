// SPDX-License-Identifier: GPL-2.0
/*
 * Booter on the SEC2 falcon, as the GSP boot of GA102 to AD107 runs it
 * (Documentation/gpu-model.rst, "Booter"). The model runs no NVIDIA code:
 * it finds which of the firmware directory's booter_load and
 * booter_unload the driver loaded, checks the load, the boot ROM's
 * registers and the boot vector against the file, and then checks what
 * booter_load would read (the WPR metadata against the model's own
 * layout, the bootloader, the signature, the radix3 tables and the image
 * they map, the LIBOS page and the queues it points at) before it does
 * what Booter does: the GSP's RISC-V core active, or WPR2 gone.
 */
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <unistd.h>

#include "text.h"
#include "fwfiles.h"
#include "gpu.h"
#include "layout.h"

namespace gpu_model {

namespace {

using Kind = Falcon::Kind;

constexpr uint64_t PAGE = 4096;
constexpr uint32_t MAILBOX0 = 0x040, MAILBOX1 = 0x044;

/*
 * The model's Booter error codes, the first check that failed: in SEC2's
 * MAILBOX0. The model's own numbers, not NVIDIA's.
 */
enum BooterError : uint32_t {
	BOOTER_OK = 0,
	BOOTER_ERR_UNCHECKED = 1, /* no firmware, or an image the model does not know */
	BOOTER_ERR_IMEM = 2,
	BOOTER_ERR_DMEM = 3,
	BOOTER_ERR_BROM = 4,
	BOOTER_ERR_BOOTVEC = 5,
	BOOTER_ERR_MAILBOX = 6, /* booter_unload without the 0xff sentinels */
	BOOTER_ERR_NO_WPR2 = 7, /* booter_load before FWSEC-FRTS made WPR2 */
	BOOTER_ERR_WPR_META = 8, /* unreadable, magic, revision, a layout field */
	BOOTER_ERR_BOOTLOADER = 9,
	BOOTER_ERR_SIGNATURE = 10,
	BOOTER_ERR_RADIX3 = 11,
	BOOTER_ERR_LIBOS = 12,
};
constexpr uint32_t ENGINE_FAULT_BOOTER_MAILBOX0 = 0xbad9;

const char *booter_error_name(uint32_t code)
{
	switch (code) {
	case BOOTER_ERR_UNCHECKED:
		return "the model cannot check the image";
	case BOOTER_ERR_IMEM:
		return "IMEM is not the file's";
	case BOOTER_ERR_DMEM:
		return "DMEM is not the file's with its signature";
	case BOOTER_ERR_BROM:
		return "boot ROM registers";
	case BOOTER_ERR_BOOTVEC:
		return "boot vector";
	case BOOTER_ERR_MAILBOX:
		return "mailboxes";
	case BOOTER_ERR_NO_WPR2:
		return "no WPR2";
	case BOOTER_ERR_WPR_META:
		return "WPR metadata";
	case BOOTER_ERR_BOOTLOADER:
		return "the bootloader";
	case BOOTER_ERR_SIGNATURE:
		return "the GSP-RM signature";
	case BOOTER_ERR_RADIX3:
		return "the radix3 tables or the GSP-RM image";
	case BOOTER_ERR_LIBOS:
		return "the LIBOS page, its arguments or the queues";
	default:
		return "ok";
	}
}

/* The first offset where @a and @b differ over @len bytes, or -1. */
int64_t first_difference(const uint8_t *a, const uint8_t *b, uint64_t len)
{
	for (uint64_t i = 0; i < len; i++)
		if (a[i] != b[i])
			return static_cast<int64_t>(i);
	return -1;
}

/* One of the two Booter files, read and with its signature chosen. */
struct Booter {
	explicit Booter(const char *n) : name(n) {}
	const char *name;
	HsFirmware hs;
	int index = -1; /* the signature the fuse chooses */
	std::vector<uint8_t> ucode; /* patched with it */
	int64_t imem_diff = -1, dmem_diff = -1;
	bool imem_ok = false, dmem_ok = false;
};

/* The GSP ELF's signature section of a chip. */
const char *signature_section(uint32_t chipset)
{
	switch (family_of(chipset)) {
	case Family::Turing:
		return chipset == 0x167 || chipset == 0x168 ? ".fwsignature_tu11x"
							    : ".fwsignature_tu10x";
	case Family::GA100:
		return ".fwsignature_ga100";
	case Family::Ada:
		return ".fwsignature_ad10x";
	case Family::Hopper:
		return ".fwsignature_gh100";
	case Family::Blackwell:
		return chipset >> 4 == 0x1a ? ".fwsignature_gb10x" : ".fwsignature_gb20x";
	default:
		return ".fwsignature_ga10x";
	}
}

/* Where the load puts app 0 in IMEM: its ucode offset on the TU102 HAL, 0 on GA102's. */
uint32_t app0_imem(const HsFirmware &h, FalconHal hal)
{
	return hal == FalconHal::Tu102 ? h.app0_offset : 0;
}

/* LIBOS region ids: the name's bytes read as a big-endian number. */
uint64_t libos_id8(const char *name)
{
	uint64_t v = 0;
	for (const char *p = name; *p; p++)
		v = v << 8 | static_cast<uint8_t>(*p);
	return v;
}

/*
 * What the driver loaded, against @b's file: IMEM (app 0), DMEM (the OS
 * data with the chosen signature), the boot ROM's registers and the boot
 * vector. One verdict each; 0, or the first failure's code.
 */
uint32_t check_load_map(Falcon &sec2, const Booter &b, const std::string &fuse)
{
	const HsFirmware &h = b.hs;
	uint32_t err = BOOTER_OK;
	auto fail = [&err](uint32_t code) {
		if (!err)
			err = code;
	};
	std::string n = b.name;
	bool tu102 = sec2.hal() == FalconHal::Tu102;
	uint32_t ia = app0_imem(h, sec2.hal());
	if (b.imem_ok) {
		sec2.verdict(Kind::Ok, n + " IMEM: ok (" + hex(h.app0_len) +
					       " bytes of app 0 from ucode " + hex(h.app0_offset) +
					       " at IMEM " + hex(ia) + ")");
	} else {
		sec2.verdict(Kind::Fail, n + " IMEM: differs from app 0 (ucode " +
						 hex(h.app0_offset) + ") at IMEM offset " +
						 hex(ia + b.imem_diff));
		fail(BOOTER_ERR_IMEM);
	}
	/*
	 * The TU102 HAL's PIO: the OS code (ucode 0) at IMEM os_code_offset too,
	 * and each IMEM block tagged with its IMEM offset / 256.
	 */
	if (tu102) {
		const std::vector<uint8_t> &imem = sec2.imem();
		int64_t d = -1;
		if (h.os_code_offset > imem.size() ||
		    h.os_code_size > imem.size() - h.os_code_offset)
			d = 0;
		else
			d = first_difference(imem.data() + h.os_code_offset, b.ucode.data(),
					     h.os_code_size);
		if (d < 0) {
			sec2.verdict(Kind::Ok, n + " IMEM non-secure: ok (" + hex(h.os_code_size) +
						       " bytes of OS code from ucode 0 at IMEM " +
						       hex(h.os_code_offset) + ")");
		} else {
			sec2.verdict(Kind::Fail,
				     n +
					     " IMEM non-secure: differs from the OS code "
					     "(ucode 0) at IMEM offset " +
					     hex(h.os_code_offset + d));
			fail(BOOTER_ERR_IMEM);
		}
		int64_t bad = -1;
		auto tags = [&](uint32_t start, uint32_t len) {
			for (uint32_t blk = start / 256; blk < (start + len + 255) / 256 &&
							 bad < 0 && blk < Falcon::IMEM_SIZE / 256;
			     blk++)
				if (sec2.imem_tag(blk) != blk)
					bad = blk;
		};
		tags(h.os_code_offset, h.os_code_size);
		tags(h.app0_offset, h.app0_len);
		if (bad < 0) {
			sec2.verdict(Kind::Ok,
				     n + " IMEM tags: ok (each block's IMEM offset / 256)");
		} else {
			sec2.verdict(Kind::Fail,
				     n + " IMEM tags: block " + hex(bad) + " has tag " +
					     hex(sec2.imem_tag(static_cast<uint32_t>(bad))) +
					     ", expected " + hex(bad));
			fail(BOOTER_ERR_IMEM);
		}
	}
	uint32_t pkc = h.patch_loc - h.os_data_offset;
	if (b.dmem_ok) {
		sec2.verdict(Kind::Ok, n + " DMEM: ok (" + hex(h.os_data_size) +
					       " bytes of OS data from ucode " +
					       hex(h.os_data_offset) + ", signature " +
					       std::to_string(b.index) + " at DMEM " + hex(pkc) +
					       ")");
	} else if (b.dmem_diff >= pkc && b.dmem_diff < pkc + h.sig_size) {
		/* Which signature the DMEM holds, if one of the file's. */
		int found = -1;
		for (unsigned i = 0; i < h.num_sig; i++)
			if (pkc + h.sig_size <= sec2.dmem().size() &&
			    !std::memcmp(sec2.dmem().data() + pkc,
					 h.signatures.data() + i * h.sig_size, h.sig_size))
				found = static_cast<int>(i);
		sec2.verdict(Kind::Fail,
			     n + " DMEM: the signature at DMEM " + hex(pkc) + " is " +
				     (found < 0 ? std::string("none of the file's")
						: "signature " + std::to_string(found)) +
				     ", the fuse chooses signature " + std::to_string(b.index) +
				     " (" + fuse + ")");
		fail(BOOTER_ERR_DMEM);
	} else {
		sec2.verdict(Kind::Fail, n + " DMEM: differs from the OS data (ucode " +
						 hex(h.os_data_offset) + ") at DMEM offset " +
						 hex(b.dmem_diff));
		fail(BOOTER_ERR_DMEM);
	}
	struct {
		const char *name;
		uint32_t off, want, mask;
	} brom[] = {
		{ "BROM_PARAADDR(0)", Falcon::BROM_PARAADDR0, pkc, 0xffffffff },
		{ "BROM_ENGIDMASK", Falcon::BROM_ENGIDMASK, h.engine_id_mask, 0xffffffff },
		{ "BROM_CURR_UCODE_ID", Falcon::BROM_CURR_UCODE_ID, h.ucode_id, 0xff },
		{ "MOD_SEL", Falcon::MOD_SEL, 1, 0xff },
	};
	for (const auto &r : brom) {
		if (tu102)
			break; /* no boot ROM registers */
		uint32_t v = sec2.reg2(r.off) & r.mask;
		if (v == r.want) {
			sec2.verdict(Kind::Ok, n + " " + r.name + ": ok (" + hex(v) + ")");
		} else {
			sec2.verdict(Kind::Fail, n + " " + r.name + " is " + hex(v) +
							 ", the file says " + hex(r.want));
			fail(BOOTER_ERR_BROM);
		}
	}
	uint32_t bootvec = sec2.reg(Falcon::BOOTVEC);
	uint32_t want = tu102 ? h.os_code_offset : h.app0_offset;
	const char *what = tu102 ? "the OS code's offset" : "app 0's offset";
	if (bootvec == want) {
		sec2.verdict(Kind::Ok, n + " BOOTVEC: ok (" + hex(bootvec) + ", " + what + ")");
	} else {
		sec2.verdict(Kind::Fail,
			     n + " BOOTVEC is " + hex(bootvec) + ", " + what + " is " + hex(want));
		fail(BOOTER_ERR_BOOTVEC);
	}
	return err;
}

} // namespace

bool Gpu::booter_modelled() const
{
	Family f = family_of(chipset_);
	return (f == Family::Turing || f == Family::GA100 || f == Family::Ampere ||
		f == Family::Ada) &&
	       chip();
}

int Gpu::booter_read(uint64_t address, void *buf, size_t len, const char *what)
{
	int err = !bus_master() ? EPERM : dma_ ? dma_->read(address, buf, len) : EFAULT;
	trace("booter dma r 0x%016llx 0x%zx %s%s\n", static_cast<unsigned long long>(address), len,
	      what, err ? " fault" : "");
	if (!err) {
		dma_reads_++;
		dma_read_bytes_ += len;
	}
	return err;
}

void Gpu::check_os_register(Falcon &gsp, uint32_t value)
{
	std::string head = "OS register written " + hex(value);
	if (opt_.firmware.empty()) {
		gsp.verdict(Kind::Fail, head + ": the model cannot check it, it was given no "
					       "firmware (--firmware)");
		return;
	}
	std::string path = firmware_path(opt_.firmware, chip()->name, "bootloader");
	std::vector<uint8_t> file;
	RiscvFirmware bl;
	std::string why = read_file(path, file);
	if (why.empty())
		why = parse_riscv(file, bl);
	if (!why.empty()) {
		gsp.verdict(Kind::Fail, head + ": the model cannot check it: " + why);
		return;
	}
	if (value == bl.app_version)
		gsp.verdict(Kind::Ok, head + ": ok, the bootloader's app_version");
	else
		gsp.verdict(Kind::Fail,
			    head + ", the bootloader's app_version is " + hex(bl.app_version));
}

/*
 * SEC2 started. Booter is whichever of booter_load and booter_unload its
 * IMEM or DMEM holds (the signature the model's own fuse chooses patched
 * in); anything else is an unknown image. The falcon halts either way,
 * with MAILBOX0 0 when every check passed, else the first failure's code.
 */
void Gpu::sec2_start(Falcon &sec2)
{
	std::string head = "started at BOOTVEC " + hex(sec2.reg(Falcon::BOOTVEC)) + ": ";
	if (!booter_modelled()) {
		sec2.verdict(Kind::Note, head + "Booter is modelled on the chips of TU102 to "
						"AD107 the model knows by name only, halted");
		return;
	}
	auto unchecked = [&](const std::string &why) {
		sec2.set_mailbox(0, BOOTER_ERR_UNCHECKED);
		sec2.verdict(Kind::Fail, head + "the model cannot check the image: " + why +
						 "; MAILBOX0 " + hex(BOOTER_ERR_UNCHECKED) +
						 ", halted");
	};
	if (opt_.firmware.empty()) {
		unchecked("it was given no firmware (--firmware)");
		return;
	}
	Booter booters[] = { Booter("booter_load"), Booter("booter_unload") };
	FalconHal hal = sec2.hal();
	for (Booter &b : booters) {
		std::vector<uint8_t> file;
		std::string path = firmware_path(opt_.firmware, chip()->name, b.name);
		std::string why = read_file(path, file);
		if (why.empty() && !(why = parse_hs(file, b.hs)).empty())
			why = path + ": " + why;
		if (!why.empty()) {
			unchecked(why);
			return;
		}
		uint32_t freg =
			fuse_registers() ? hs_fuse_register(b.hs.engine_id_mask, b.hs.ucode_id) : 0;
		unsigned version = fuse_version(freg ? stored(freg) : 0);
		b.index = b.hs.signature_index(version, &why);
		if (b.index < 0) {
			unchecked(std::string(b.name) + ": " + why);
			return;
		}
		b.ucode = b.hs.patched(static_cast<unsigned>(b.index));
		const HsFirmware &h = b.hs;
		uint32_t ia = app0_imem(h, hal);
		uint64_t room = ia < Falcon::IMEM_SIZE ? Falcon::IMEM_SIZE - ia : 0;
		b.imem_diff = first_difference(sec2.imem().data() + std::min(ia, Falcon::IMEM_SIZE),
					       b.ucode.data() + h.app0_offset,
					       std::min<uint64_t>(h.app0_len, room));
		b.dmem_diff =
			first_difference(sec2.dmem().data(), b.ucode.data() + h.os_data_offset,
					 std::min<uint64_t>(h.os_data_size, Falcon::DMEM_SIZE));
		b.imem_ok = b.imem_diff < 0 && h.app0_len <= room;
		b.dmem_ok = b.dmem_diff < 0 && h.os_data_size <= Falcon::DMEM_SIZE;
	}
	/* The image: the file whose IMEM or DMEM matches furthest. */
	auto reach = [](const Booter &b) {
		return std::max(b.imem_diff < 0 ? b.hs.app0_len : b.imem_diff,
				b.dmem_diff < 0 ? b.hs.os_data_size : b.dmem_diff);
	};
	Booter &b = reach(booters[1]) > reach(booters[0]) ? booters[1] : booters[0];
	if (reach(b) < 256) {
		sec2.verdict(Kind::Fail, head + "unknown image (neither IMEM nor DMEM is "
						"booter_load's or booter_unload's), halted");
		return;
	}
	const HsFirmware &h = b.hs;
	std::string fuse = "no fuse register on this chip, version 0";
	if (fuse_registers()) {
		uint32_t freg = hs_fuse_register(h.engine_id_mask, h.ucode_id);
		fuse = "fuse " + hex(freg) + " = " + hex(stored(freg)) + ", version " +
		       std::to_string(fuse_version(stored(freg)));
	}
	sec2.verdict(Kind::Note, head + b.name + " (signature " + std::to_string(b.index) + " of " +
					 std::to_string(h.num_sig) + ", " + fuse + ")");

	uint32_t err = check_load_map(sec2, b, fuse);
	auto fail = [&err](uint32_t code) {
		if (!err)
			err = code;
	};

	bool load = &b == &booters[0];
	uint64_t fw_offset = 0, wpr2_start = 0, wpr2_end = 0;
	std::vector<uint8_t> elf;
	ElfSection image;
	uint32_t code = load ? booter_load(sec2, fw_offset, elf, image, wpr2_start, wpr2_end)
			     : booter_unload(sec2);
	fail(code);
	const char *what = load ? "Booter-load" : "Booter-unload";
	if (err) {
		sec2.set_mailbox(0, err);
		sec2.verdict(Kind::Fail, std::string(what) + " failed: error " +
						 std::to_string(err) + " (" +
						 booter_error_name(err) + "), MAILBOX0 " +
						 hex(err) + ", nothing changed, halted");
		return;
	}
	/* The test port's engine faults: Booter passed every check, and lies. */
	if (engine_fault_ == 9 && load) {
		sec2.set_mailbox(0, ENGINE_FAULT_BOOTER_MAILBOX0);
		sec2.verdict(Kind::Note, std::string("hostile fault 9: every check passed, ") +
						 what + " leaves MAILBOX0 " +
						 hex(ENGINE_FAULT_BOOTER_MAILBOX0) +
						 ", nothing changed, halted");
		return;
	}
	sec2.set_mailbox(0, 0);
	if (load) {
		/* GSP-RM's image where the bootloader would put it, then the core runs. */
		if (fw_offset + image.size <= vram_bytes_ &&
		    pwrite(vram_fd_, elf.data() + image.offset, image.size,
			   static_cast<off_t>(fw_offset)) != static_cast<ssize_t>(image.size))
			trace("booter: GSP-RM's image not written to VRAM\n");
		std::string made;
		if (family_of(chipset_) == Family::GA100) {
			uint32_t lo = static_cast<uint32_t>(wpr2_start >> 12)
				      << reg::WPR2_ADDR_VAL_SHIFT;
			uint32_t hi = static_cast<uint32_t>(wpr2_end >> 12)
				      << reg::WPR2_ADDR_VAL_SHIFT;
			regs_[reg::PFB_PRI_MMU_WPR2_ADDR_LO] = lo;
			regs_[reg::PFB_PRI_MMU_WPR2_ADDR_HI] = hi;
			made = "WPR2 " + hex(wpr2_start) + ".." + hex(wpr2_end) +
			       " (gspFwWprStart to gspFwWprEnd; WPR2_ADDR_LO " + hex(lo) +
			       ", WPR2_ADDR_HI " + hex(hi) + "), ";
		}
		if (engine_fault_ == 8) {
			sec2.verdict(Kind::Note, "hostile fault 8: every check passed, " + made +
							 "MAILBOX0 0, the GSP's RISC-V core "
							 "never becomes active, halted");
			return;
		}
		falcons_[0].set_riscv_active(true);
		gsprm_.start(libos_, gsprm_vram_);
		sec2.verdict(Kind::Ok, "Booter-load: " + made + "GSP-RM's image (" +
					       hex(image.size) + " bytes) in VRAM at " +
					       hex(fw_offset) + ", the GSP's RISC-V core active (" +
					       falcons_[0].riscv_active_register() +
					       "), MAILBOX0 0, halted");
		return;
	}
	gsprm_.booter_unload();
	falcons_[0].set_riscv_active(false);
	libos_set_ = false;
	if (engine_fault_ == 10) {
		sec2.verdict(Kind::Note,
			     "hostile fault 10: every check passed, MAILBOX0 0, WPR2 left "
			     "in place (WPR2_ADDR_HI " +
				     hex(stored(reg::PFB_PRI_MMU_WPR2_ADDR_HI)) + "), halted");
		return;
	}
	regs_[reg::PFB_PRI_MMU_WPR2_ADDR_LO] = 0;
	regs_[reg::PFB_PRI_MMU_WPR2_ADDR_HI] = 0;
	sec2.verdict(Kind::Ok, "Booter-unload: WPR2 removed (WPR2_ADDR_LO 0, WPR2_ADDR_HI 0), the "
			       "GSP's RISC-V core inactive, MAILBOX0 0, halted");
}

/* booter_unload is started with 0xff in both mailboxes (no WPR metadata). */
uint32_t Gpu::booter_unload(Falcon &sec2)
{
	uint32_t m0 = sec2.reg(MAILBOX0), m1 = sec2.reg(MAILBOX1);
	if (m0 != 0xff || m1 != 0xff) {
		sec2.verdict(Kind::Fail, "booter_unload MAILBOX0 " + hex(m0) + ", MAILBOX1 " +
						 hex(m1) + ": not 0xff and 0xff");
		return BOOTER_ERR_MAILBOX;
	}
	sec2.verdict(Kind::Ok, "booter_unload MAILBOX0, MAILBOX1: ok (0xff, 0xff)");
	return BOOTER_OK;
}

/*
 * The files Booter or the FMC would find GSP-RM's image in, read from the
 * model's firmware directory: the bootloader, the GSP ELF into @elf, its
 * .fwimage and the chip's signature section @signame. Empty, or why the
 * model cannot check the load.
 */
std::string Gpu::read_gsp_files(const char *signame, RiscvFirmware &bl, std::vector<uint8_t> &elf,
				ElfSection &fwimage, ElfSection &sig) const
{
	const Chip *chip = this->chip();
	std::vector<uint8_t> blfile;
	std::string why = read_file(firmware_path(opt_.firmware, chip->name, "bootloader"), blfile);
	if (why.empty())
		why = parse_riscv(blfile, bl);
	if (why.empty())
		why = read_file(firmware_path(opt_.firmware, chip->name, "gsp"), elf);
	if (why.empty())
		why = elf_section(elf, ".fwimage", fwimage);
	if (why.empty())
		why = elf_section(elf, signame, sig);
	return why;
}

/*
 * booter_load: the WPR metadata at MAILBOX1:MAILBOX0, each field against
 * the model's layout; the bootloader, the signature and the radix3-mapped
 * image it points at against the files; the LIBOS page. @fw_offset: where
 * GSP-RM's image goes in VRAM; @elf the GSP ELF, read once, and @image its
 * .fwimage section.
 */
uint32_t Gpu::booter_load(Falcon &sec2, uint64_t &fw_offset, std::vector<uint8_t> &elf,
			  ElfSection &image, uint64_t &wpr2_start, uint64_t &wpr2_end)
{
	uint32_t err = BOOTER_OK;
	auto fail = [&err](uint32_t code) {
		if (!err)
			err = code;
	};
	uint64_t at = static_cast<uint64_t>(sec2.reg(MAILBOX1)) << 32 | sec2.reg(MAILBOX0);
	std::string n = "booter_load ";

	/* GA100 runs no FWSEC-FRTS: its Booter makes WPR2 itself. */
	bool ga100 = family_of(chipset_) == Family::GA100;
	uint32_t hi = stored(reg::PFB_PRI_MMU_WPR2_ADDR_HI);
	bool wpr2 = hi >> reg::WPR2_ADDR_VAL_SHIFT;
	if (ga100 && wpr2) {
		sec2.verdict(Kind::Fail, n + "WPR2: already exists (WPR2_ADDR_HI " + hex(hi) +
						 "); on GA100 Booter creates it");
		fail(BOOTER_ERR_NO_WPR2);
	} else if (ga100) {
		sec2.verdict(Kind::Ok, n + "WPR2: ok, none yet (GA100: Booter creates it)");
	} else if (!wpr2) {
		sec2.verdict(Kind::Fail, n + "WPR2: none (WPR2_ADDR_HI " + hex(hi) +
						 "): FWSEC-FRTS has not run");
		fail(BOOTER_ERR_NO_WPR2);
	} else {
		sec2.verdict(Kind::Ok, n + "WPR2: ok, set up (WPR2_ADDR_HI " + hex(hi) + ")");
	}

	/* The files booter_load would find in system memory. */
	RiscvFirmware bl;
	ElfSection fwimage, sig;
	std::string why = read_gsp_files(signature_section(chipset_), bl, elf, fwimage, sig);
	if (!why.empty()) {
		sec2.verdict(Kind::Fail, n + "firmware: the model cannot check the load: " + why);
		return BOOTER_ERR_UNCHECKED;
	}
	uint64_t bl_size = (bl.ucode.size() + PAGE - 1) / PAGE * PAGE;
	uint64_t sig_size = (sig.size + PAGE - 1) / PAGE * PAGE;

	FbRegions layout;
	LayoutInputs in;
	in.chipset = chipset_;
	in.vram = vram_now();
	in.display = !(stored(family_of(chipset_) == Family::Turing
				      ? reg::FUSE_STATUS_OPT_DISPLAY_TU10X
				      : reg::FUSE_STATUS_OPT_DISPLAY_GA100) &
		       1);
	in.vga_workspace_base = stored(reg::PDISP_VGA_WORKSPACE_BASE);
	in.bootloader = bl_size;
	in.fw_image = fwimage.size;
	why = compute_layout(in, layout);
	if (!why.empty()) {
		sec2.verdict(Kind::Fail, n + "layout: the model cannot lay out its VRAM: " + why);
		return BOOTER_ERR_UNCHECKED;
	}
	gsprm_vram_.size = in.vram;
	gsprm_vram_.reserved = layout.heap.start;
	gsprm_vram_.heap = layout.wpr2_heap.start;
	gsprm_vram_.frts = layout.frts.start;

	uint8_t meta[WPR_META_SIZE];
	if (booter_read(at, meta, sizeof(meta), "WPR metadata")) {
		sec2.verdict(Kind::Fail, n + "WPR metadata at " + hex(at) +
						 " (MAILBOX1:MAILBOX0): not readable by DMA");
		fail(BOOTER_ERR_WPR_META);
		return err;
	}
	uint64_t magic = le(meta, 8), revision = le(meta + 8, 8);
	if (magic != WPR_META_MAGIC || revision != WPR_META_REVISION) {
		sec2.verdict(Kind::Fail, n + "WPR metadata at " + hex(at) + ": magic " +
						 hex(magic) + " (offset 0x0), revision " +
						 hex(revision) + " (offset 0x8): not " +
						 hex(WPR_META_MAGIC) + ", 1");
		fail(BOOTER_ERR_WPR_META);
		return err;
	}
	MetaFirmware mf;
	mf.fw_image = fwimage.size;
	mf.bootloader = bl_size;
	mf.signature = sig_size;
	mf.code_offset = bl.monitor_code_offset;
	mf.data_offset = bl.monitor_data_offset;
	mf.manifest_offset = bl.manifest_offset;
	unsigned bad = 0, fields = 0;
	for (const MetaField &f : expected_wpr_meta(layout, mf)) {
		if (!f.computed)
			continue;
		fields++;
		uint64_t got = le(meta + f.offset, f.size);
		if (got == f.value)
			continue;
		bad++;
		sec2.verdict(Kind::Fail, n + "WPR metadata " + f.name + " at offset " +
						 hex(f.offset) + ": " + hex(got) + ", expected " +
						 hex(f.value));
		fail(f.offset == 0x18			    ? BOOTER_ERR_RADIX3
		     : f.offset == 0x50			    ? BOOTER_ERR_SIGNATURE
		     : f.offset >= 0x28 && f.offset <= 0x40 ? BOOTER_ERR_BOOTLOADER
							    : BOOTER_ERR_WPR_META);
	}
	if (!bad)
		sec2.verdict(Kind::Ok,
			     n + "WPR metadata at " + hex(at) + ": ok (magic, revision and " +
				     std::to_string(fields) +
				     " fields as the model lays out VRAM and reads the files)");

	/* A copy in system memory: the file's bytes, then zeros to @size. */
	auto check_copy = [&](const char *what, uint64_t addr, uint64_t size, const uint8_t *want,
			      uint64_t want_len, uint32_t code) {
		std::vector<uint8_t> got(size);
		if (addr % PAGE || booter_read(addr, got.data(), size, what)) {
			sec2.verdict(Kind::Fail,
				     n + what + " at " + hex(addr) + " (" + hex(size) +
					     " bytes): not 4 KiB aligned or not readable by DMA");
			fail(code);
			return;
		}
		int64_t d = first_difference(got.data(), want, std::min(size, want_len));
		for (uint64_t i = want_len; d < 0 && i < size; i++)
			if (got[i])
				d = static_cast<int64_t>(i);
		if (d >= 0) {
			sec2.verdict(Kind::Fail, n + what + " at " + hex(addr) +
							 ": differs from the file's at byte " +
							 hex(d));
			fail(code);
			return;
		}
		sec2.verdict(Kind::Ok,
			     n + what + " at " + hex(addr) + ": ok (" + hex(size) + " bytes)");
	};
	check_copy("bootloader", le(meta + 0x20, 8), bl_size, bl.ucode.data(), bl.ucode.size(),
		   BOOTER_ERR_BOOTLOADER);
	check_copy(signature_section(chipset_), le(meta + 0x48, 8), sig_size,
		   elf.data() + sig.offset, sig.size, BOOTER_ERR_SIGNATURE);

	image = fwimage;
	/* GA100's WPR2, as Booter makes it: gspFwWprStart to gspFwWprEnd. */
	wpr2_start = layout.wpr2.start;
	wpr2_end = layout.frts.start;
	fail(check_radix3(sec2, le(meta + 0x10, 8), elf.data() + fwimage.offset, fwimage.size));
	fw_offset = layout.elf.start;
	fail(check_libos(sec2));
	return err;
}

/*
 * The radix3 tables at @r3: level 0 one page, whose entries are level 1's
 * pages; level 1 the addresses of level 2's pages; level 2 those of the
 * image's pages; a little-endian u64 each. The pages they map must hold
 * @img (@size bytes). One trace line and one verdict for the whole walk.
 */
uint32_t Gpu::check_radix3(Falcon &sec2, uint64_t r3, const uint8_t *img, uint64_t size,
			   const char *who)
{
	std::string n = who;
	uint64_t pages = (size + PAGE - 1) / PAGE;
	uint64_t l2_pages = (pages * 8 + PAGE - 1) / PAGE;
	uint64_t l1_pages = (l2_pages * 8 + PAGE - 1) / PAGE;
	std::string r3why;
	auto table = [&](const std::vector<uint64_t> &page_addrs, uint64_t entries,
			 const char *level, std::vector<uint64_t> &out) {
		out.assign(page_addrs.size() * (PAGE / 8), 0);
		for (size_t i = 0; i < page_addrs.size() && r3why.empty(); i++)
			if (page_addrs[i] % PAGE ||
			    dma_->read(page_addrs[i], out.data() + i * (PAGE / 8), PAGE))
				r3why = std::string(level) + " page " + std::to_string(i) + " at " +
					hex(page_addrs[i]) +
					": not 4 KiB aligned or not readable by DMA";
		out.resize(entries);
	};
	std::vector<uint64_t> l0, l1, l2;
	if (!(config_[0x04] & 0x04) || !dma_)
		r3why = "bus mastering is off";
	else
		table({ r3 }, l1_pages, "level 0", l0);
	if (r3why.empty())
		table(l0, l2_pages, "level 1", l1);
	if (r3why.empty())
		table(l1, pages, "level 2", l2);
	std::vector<uint8_t> page(PAGE);
	for (uint64_t i = 0; i < pages && r3why.empty(); i++) {
		uint64_t len = std::min<uint64_t>(PAGE, size - i * PAGE);
		if (l2[i] % PAGE || dma_->read(l2[i], page.data(), len)) {
			r3why = "image page " + std::to_string(i) + " at " + hex(l2[i]) +
				": not 4 KiB aligned or not readable by DMA";
			break;
		}
		int64_t d = first_difference(page.data(), img + i * PAGE, len);
		if (d >= 0)
			r3why = "image page " + std::to_string(i) + " at " + hex(l2[i]) +
				" differs from .fwimage at byte " + hex(i * PAGE + d);
	}
	uint64_t table_pages = 1 + l1_pages + l2_pages;
	trace("%sdma r radix3 at 0x%016llx: %llu table pages, %llu image pages\n", who,
	      static_cast<unsigned long long>(r3), static_cast<unsigned long long>(table_pages),
	      static_cast<unsigned long long>(pages));
	dma_reads_ += table_pages + pages;
	dma_read_bytes_ += table_pages * PAGE + size;
	if (r3why.empty()) {
		sec2.verdict(Kind::Ok, n + "radix3 at " + hex(r3) + ": ok (" +
					       std::to_string(pages) + " pages of .fwimage, " +
					       hex(size) + " bytes)");
	} else {
		sec2.verdict(Kind::Fail, n + "radix3 at " + hex(r3) + ": " + r3why);
		return BOOTER_ERR_RADIX3;
	}
	return BOOTER_OK;
}

/*
 * The LIBOS page the GSP was handed: its first four regions (the three
 * log buffers and GSP_ARGUMENTS_CACHED), the rest zero; the arguments'
 * queue parameters; the queues' page table and the command queue's
 * header, as GSP-RM would read them once running.
 */
uint32_t Gpu::check_libos(Falcon &sec2)
{
	std::string n = "booter_load LIBOS ";
	if (!libos_set_) {
		sec2.verdict(Kind::Fail,
			     n + "page: none; the GSP falcon was not started empty with "
				 "its address in the mailboxes since its last reset");
		return BOOTER_ERR_LIBOS;
	}
	/* GSP-RM finds the page in the GSP's mailboxes: they must still hold it. */
	const Falcon &gsp = falcons_[0];
	uint64_t now = static_cast<uint64_t>(gsp.reg(MAILBOX1)) << 32 | gsp.reg(MAILBOX0);
	if (now != libos_) {
		sec2.verdict(Kind::Fail, n + "page: the GSP's MAILBOX1:MAILBOX0 read " + hex(now) +
						 ", not the page of the hand-off (" + hex(libos_) +
						 "): reset or written since");
		return BOOTER_ERR_LIBOS;
	}
	uint32_t err = BOOTER_OK;
	auto bad = [&](const std::string &what) {
		sec2.verdict(Kind::Fail, n + what);
		err = BOOTER_ERR_LIBOS;
	};
	uint8_t page[PAGE];
	if (booter_read(libos_, page, PAGE, "LIBOS page")) {
		bad("page at " + hex(libos_) + ": not readable by DMA");
		return err;
	}
	static const struct {
		const char *name;
		uint64_t size;
	} regions[] = {
		{ "LOGINIT", 0x10000 },
		{ "LOGINTR", 0x10000 },
		{ "LOGRM", 0x10000 },
		{ "RMARGS", 0x1000 },
	};
	uint64_t rmargs = 0;
	for (unsigned i = 0; i < 4; i++) {
		const uint8_t *e = page + 32 * i;
		uint64_t id8 = le(e, 8), pa = le(e + 8, 8), size = le(e + 16, 8);
		uint8_t kind = e[24], loc = e[25];
		std::string at =
			"entry " + std::to_string(i) + " (page offset " + hex(32 * i) + ") ";
		uint64_t want_id = libos_id8(regions[i].name);
		if (id8 != want_id || size != regions[i].size || kind != 1 || loc != 1 || !pa ||
		    pa % PAGE) {
			bad(at + "{id8 " + hex(id8) + ", pa " + hex(pa) + ", size " + hex(size) +
			    ", kind " + std::to_string(kind) + ", loc " + std::to_string(loc) +
			    "}, expected {" + hex(want_id) + " (" + regions[i].name +
			    "), a 4 KiB-aligned address, " + hex(regions[i].size) +
			    ", 1 (contiguous), 1 (system memory)}");
			continue;
		}
		if (i == 3) {
			rmargs = pa;
			sec2.verdict(Kind::Ok, n + at + "RMARGS: ok, at " + hex(pa));
			continue;
		}
		/* A log buffer: u64 0 the put pointer, then its own 16 page addresses. */
		uint64_t head[17];
		if (booter_read(pa, head, sizeof(head), regions[i].name)) {
			bad(at + regions[i].name + " at " + hex(pa) + ": not readable by DMA");
			continue;
		}
		int wrong = -1;
		for (unsigned p = 0; p < 16 && wrong < 0; p++)
			if (head[1 + p] != pa + p * PAGE)
				wrong = static_cast<int>(p);
		if (wrong >= 0)
			bad(at + regions[i].name + " at " + hex(pa) + ": page entry " +
			    std::to_string(wrong) + " (offset " + hex(8 + 8 * wrong) + ") is " +
			    hex(head[1 + wrong]) + ", expected " + hex(pa + wrong * PAGE));
		else
			sec2.verdict(Kind::Ok, n + at + regions[i].name + ": ok, at " + hex(pa) +
						       ", its 16 pages listed");
	}
	for (unsigned i = 4 * 32; i < PAGE; i++) {
		if (page[i]) {
			bad("page at " + hex(libos_) + ": byte " + hex(i) + " (entry " +
			    std::to_string(i / 32) + ") is not zero; only entries 0 to 3 are used");
			break;
		}
		if (i == PAGE - 1)
			sec2.verdict(Kind::Ok,
				     n + "page at " + hex(libos_) + ": ok, entries 4 to 127 zero");
	}
	if (!rmargs)
		return err;

	uint8_t args[72];
	if (booter_read(rmargs, args, sizeof(args), "GSP_ARGUMENTS_CACHED")) {
		bad("GSP_ARGUMENTS_CACHED at " + hex(rmargs) + ": not readable by DMA");
		return err;
	}
	uint64_t shared = le(args, 8);
	static const struct {
		const char *name;
		uint32_t offset, size;
		uint64_t want;
	} fields[] = {
		{ "messageQueueInitArguments.pageTableEntryCount", 8, 8, 129 },
		{ "messageQueueInitArguments.cmdQueueOffset", 16, 8, 0x1000 },
		{ "messageQueueInitArguments.statQueueOffset", 24, 8, 0x41000 },
		{ "srInitArguments.oldLevel", 32, 4, 0 },
		{ "srInitArguments.flags", 36, 4, 0 },
		{ "srInitArguments.bInPMTransition", 40, 4, 0 },
		{ "gpuInstance", 44, 4, 0 },
		{ "bDmemStack", 48, 1, 1 },
		{ "profilerArgs.pa", 56, 8, 0 },
		{ "profilerArgs.size", 64, 8, 0 },
	};
	bool ok = true;
	if (!shared || shared % PAGE) {
		bad("GSP_ARGUMENTS_CACHED at " + hex(rmargs) +
		    ": messageQueueInitArguments.sharedMemPhysAddr (offset 0x0) " + hex(shared) +
		    ", not a 4 KiB-aligned address");
		ok = false;
	}
	for (const auto &f : fields) {
		uint64_t got = le(args + f.offset, f.size);
		if (got != f.want) {
			bad("GSP_ARGUMENTS_CACHED at " + hex(rmargs) + ": " + f.name + " (offset " +
			    hex(f.offset) + ") is " + hex(got) + ", expected " + hex(f.want));
			ok = false;
		}
	}
	if (!ok)
		return err;
	sec2.verdict(Kind::Ok, n + "GSP_ARGUMENTS_CACHED at " + hex(rmargs) +
				       ": ok, the queues at " + hex(shared));

	/* GspMem: the page table of its 129 pages, then the command queue's header. */
	uint64_t pte[129];
	if (booter_read(shared, pte, sizeof(pte), "GspMem page table")) {
		bad("GspMem page table at " + hex(shared) + ": not readable by DMA");
		return err;
	}
	int wrong = -1;
	for (unsigned i = 0; i < 129 && wrong < 0; i++)
		if (pte[i] != shared + i * PAGE)
			wrong = static_cast<int>(i);
	if (wrong >= 0)
		bad("GspMem page table at " + hex(shared) + ": entry " + std::to_string(wrong) +
		    " (offset " + hex(8 * wrong) + ") is " + hex(pte[wrong]) + ", expected " +
		    hex(shared + wrong * PAGE));
	else
		sec2.verdict(Kind::Ok,
			     n + "GspMem page table at " + hex(shared) + ": ok, its 129 pages");
	uint8_t tx[32];
	uint64_t txat = shared + 0x1000;
	if (booter_read(txat, tx, sizeof(tx), "command queue header")) {
		bad("command queue header at " + hex(txat) + ": not readable by DMA");
		return err;
	}
	static const struct {
		const char *name;
		uint32_t offset, want;
	} hdr[] = {
		{ "version", 0, 0 },	    { "size", 4, 0x40000 }, { "msgSize", 8, 0x1000 },
		{ "msgCount", 12, 0x3f },   { "flags", 20, 1 },	    { "rxHdrOff", 24, 0x20 },
		{ "entryOff", 28, 0x1000 },
	};
	ok = true;
	for (const auto &f : hdr) {
		uint32_t got = static_cast<uint32_t>(le(tx + f.offset, 4));
		if (got != f.want) {
			bad("command queue header at " + hex(txat) + ": " + f.name + " (offset " +
			    hex(f.offset) + ") is " + hex(got) + ", expected " + hex(f.want));
			ok = false;
		}
	}
	/* Commands may already wait in the queue: writePtr is any slot. */
	uint32_t wptr = static_cast<uint32_t>(le(tx + 16, 4));
	if (wptr >= 0x3f) {
		bad("command queue header at " + hex(txat) + ": writePtr (offset 0x10) is " +
		    hex(wptr) + ", not a slot of 0x3f");
		ok = false;
	}
	if (ok)
		sec2.verdict(Kind::Ok, n + "command queue header at " + hex(txat) +
					       ": ok (writePtr " + hex(wptr) + ")");
	return err;
}

} // namespace gpu_model
