// SPDX-License-Identifier: GPL-2.0
/*
 * The generic bootloader on the GSP falcon of the TU102 HAL (Turing):
 * the driver loads it by PIO at the top of IMEM's first 64 KiB with a
 * BootloaderDmemDescV2 at DMEM 0 that says where FWSEC is in system
 * memory; started, it reads FWSEC into IMEM and DMEM by DMA through FBIF
 * context 4 and runs it (Documentation/gpu-model.rst, "FWSEC through the
 * generic bootloader"). The model checks what the driver gave it, does
 * the bootloader's DMA, then checks and runs FWSEC as on the GA102 HAL.
 */
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "text.h"
#include "fwfiles.h"
#include "gpu.h"

namespace gpu_model {

namespace {

using Kind = Falcon::Kind;

/* The model's FWSEC error codes of the bootloader's stage (gpu.cpp's FrtsError). */
constexpr uint32_t ERR_BOOTLOADER = 7;
constexpr uint32_t ERR_BOOTLOADER_DMA = 8;

constexpr uint32_t IMEM_CEILING = 0x10000; /* the bootloader ends here */
constexpr uint32_t DESC_SIZE = 84; /* BootloaderDmemDescV2 */
constexpr uint32_t CTX_DMA = 4; /* FALCON_DMAIDX_PHYS_SYS_NCOH */
constexpr uint32_t FBIF_CTL_ALLOW_PHYS_NO_CTX = 1u << 7;
constexpr uint32_t TRANSCFG_MEM_TYPE_PHYSICAL = 1u << 2;

/* BootloaderDmemDescV2's fields: name, offset, size. */
struct DescField {
	const char *name;
	uint32_t offset, size;
};
constexpr DescField CTX_DMA_F = { "ctx_dma", 32, 4 };
constexpr DescField CODE_DMA_BASE = { "code_dma_base", 36, 8 };
constexpr DescField NON_SEC_CODE_OFF = { "non_sec_code_off", 44, 4 };
constexpr DescField NON_SEC_CODE_SIZE = { "non_sec_code_size", 48, 4 };
constexpr DescField SEC_CODE_OFF = { "sec_code_off", 52, 4 };
constexpr DescField SEC_CODE_SIZE = { "sec_code_size", 56, 4 };
constexpr DescField CODE_ENTRY_POINT = { "code_entry_point", 60, 4 };
constexpr DescField DATA_DMA_BASE = { "data_dma_base", 64, 8 };
constexpr DescField DATA_SIZE = { "data_size", 72, 4 };
constexpr DescField ARGC = { "argc", 76, 4 };
constexpr DescField ARGV = { "argv", 80, 4 };

} // namespace

/*
 * The GSP falcon (TU102 HAL) started: is it the chip's gen_bootloader? Not
 * when the model has no firmware directory, or IMEM below 64 KiB does not
 * start with the file's code: false, nothing done. Else true: the checks,
 * then the bootloader's DMA and FWSEC (fwsec_run); @err the first failure
 * before FWSEC ran (0: none, or the falcon was made to hang).
 */
bool Gpu::gen_bootloader(Falcon &gsp, const std::string &head, uint32_t &err)
{
	const Chip *c = chip();
	if (opt_.firmware.empty() || !c)
		return false;
	std::vector<uint8_t> file;
	GenBootloader bl;
	std::string why = read_file(firmware_path(opt_.firmware, c->name, "gen_bootloader"), file);
	if (!why.empty() || !parse_gen_bootloader(file, bl).empty())
		return false;
	uint32_t padded = (bl.code_size + 255) / 256 * 256;
	if (padded > IMEM_CEILING)
		return false;
	uint32_t at = IMEM_CEILING - padded;
	const std::vector<uint8_t> &imem = gsp.imem();
	uint32_t first = std::min<uint32_t>(bl.code_size, 256);
	if (!std::equal(bl.code.begin(), bl.code.begin() + first, imem.begin() + at))
		return false;

	auto fail = [&err](uint32_t code) {
		if (!err)
			err = code;
	};
	std::string n = "gen_bootloader ";
	gsp.verdict(Kind::Note, head + "gen_bootloader (" + hex(bl.code_size) +
					" bytes, start_tag " + hex(bl.start_tag) + ")");

	/* Its code at the top of the first 64 KiB, zeros to a whole block; the tags. */
	int64_t diff = -1;
	for (uint32_t i = 0; i < padded && diff < 0; i++)
		if (imem[at + i] != (i < bl.code_size ? bl.code[i] : 0))
			diff = i;
	if (diff < 0) {
		gsp.verdict(Kind::Ok, n + "IMEM at " + hex(at) + ": ok (" + hex(bl.code_size) +
					      " bytes of code, zeros to " + hex(padded) + ")");
	} else {
		gsp.verdict(Kind::Fail, n + "IMEM at " + hex(at) +
						": differs from the file's code at IMEM " +
						hex(at + diff));
		fail(ERR_BOOTLOADER);
	}
	int bad_tag = -1;
	for (uint32_t b = 0; b < padded / 256 && bad_tag < 0; b++)
		if (gsp.imem_tag(at / 256 + b) != ((bl.start_tag + b) & 0xffff))
			bad_tag = static_cast<int>(b);
	if (bad_tag < 0) {
		gsp.verdict(Kind::Ok, n + "IMEM tags: ok (" + hex(bl.start_tag) + " on, " +
					      std::to_string(padded / 256) + " blocks)");
	} else {
		uint32_t blk = at / 256 + static_cast<uint32_t>(bad_tag);
		gsp.verdict(Kind::Fail, n + "IMEM tags: block " + hex(blk) + " (IMEM " +
						hex(blk * 256) + ") has tag " +
						hex(gsp.imem_tag(blk)) + ", expected " +
						hex(bl.start_tag + bad_tag));
		fail(ERR_BOOTLOADER);
	}
	uint32_t bootvec = gsp.reg(Falcon::BOOTVEC);
	if (bootvec == bl.start_tag * 256) {
		gsp.verdict(Kind::Ok, n + "BOOTVEC: ok (" + hex(bootvec) + ", start_tag * 256)");
	} else {
		gsp.verdict(Kind::Fail, n + "BOOTVEC is " + hex(bootvec) + ", start_tag * 256 is " +
						hex(bl.start_tag * 256));
		fail(ERR_BOOTLOADER);
	}

	/* The descriptor at DMEM 0, against the ROM's FWSEC as the driver loads it. */
	const uint8_t *d = gsp.dmem().data();
	auto field = [d](const DescField &f) { return le(d + f.offset, f.size); };
	if (!fwsec_error_.empty()) {
		gsp.verdict(Kind::Fail,
			    n +
				    "descriptor: the model cannot check it, the ROM gives "
				    "no FWSEC (" +
				    fwsec_error_ + ")");
		fail(ERR_BOOTLOADER);
		return true;
	}
	const FwsecImage &fw = fwsec_;
	bool v2 = fw.version == 2;
	struct {
		const DescField &f;
		uint64_t want;
	} want[] = {
		{ CTX_DMA_F, CTX_DMA },
		{ NON_SEC_CODE_OFF, v2 ? fw.imem_ns_offset() : 0 },
		{ NON_SEC_CODE_SIZE, v2 ? fw.imem_ns_size() : 0 },
		{ SEC_CODE_OFF, v2 ? fw.imem_sec_offset() : fw.imem_phys_base },
		{ SEC_CODE_SIZE, v2 ? fw.imem_sec_size : fw.imem_load_size },
		{ CODE_ENTRY_POINT, 0 },
		{ DATA_SIZE, fw.dmem_load_size },
		{ ARGC, 0 },
		{ ARGV, 0 },
	};
	bool desc_ok = true;
	for (uint32_t i = 0; i < 32; i++) {
		if (d[i]) {
			gsp.verdict(Kind::Fail, n + "descriptor at DMEM 0: byte " + hex(i) +
							" (reserved or signature) is " + hex(d[i]) +
							", not 0");
			desc_ok = false;
			break;
		}
	}
	for (const auto &w : want) {
		uint64_t got = field(w.f);
		if (got != w.want) {
			gsp.verdict(Kind::Fail, n + "descriptor at DMEM 0: " + w.f.name +
							" (offset " + hex(w.f.offset) + ") is " +
							hex(got) + ", expected " + hex(w.want));
			desc_ok = false;
		}
	}
	uint64_t code_base = field(CODE_DMA_BASE), data_base = field(DATA_DMA_BASE);
	for (const DescField *f : { &CODE_DMA_BASE, &DATA_DMA_BASE }) {
		uint64_t v = field(*f);
		if (!v || v % 256) {
			gsp.verdict(Kind::Fail, n + "descriptor at DMEM 0: " + f->name +
							" (offset " + hex(f->offset) + ") is " +
							hex(v) +
							", not a 256-byte aligned address");
			desc_ok = false;
		}
	}
	if (desc_ok)
		gsp.verdict(Kind::Ok, n + "descriptor at DMEM 0: ok (code at " + hex(code_base) +
					      ", data at " + hex(data_base) + ", " +
					      hex(DESC_SIZE) + " bytes as the ROM's FWSEC says)");
	else
		fail(ERR_BOOTLOADER);

	uint32_t transcfg = gsp.reg(Falcon::FBIF_TRANSCFG + 4 * CTX_DMA);
	uint32_t fbif_ctl = gsp.reg(Falcon::FBIF_CTL);
	if ((transcfg & 3) && (transcfg & TRANSCFG_MEM_TYPE_PHYSICAL) &&
	    (fbif_ctl & FBIF_CTL_ALLOW_PHYS_NO_CTX)) {
		gsp.verdict(Kind::Ok, n + "FBIF_TRANSCFG(4): ok (" + hex(transcfg) +
					      ", physical system memory)");
	} else {
		gsp.verdict(Kind::Fail, n + "FBIF_TRANSCFG(4) is " + hex(transcfg) + ", FBIF_CTL " +
						hex(fbif_ctl) +
						": context 4 is not physical system memory");
		fail(ERR_BOOTLOADER);
	}
	if (err)
		return true;

	/* What the bootloader does: FWSEC's code and data by DMA, then a jump to it. */
	if (engine_fault_ == Falcon::ENGINE_FAULT_DMA) {
		gsp.never_halt();
		gsp.verdict(Kind::Note, "hostile fault 3: gen_bootloader's DMA of FWSEC never "
					"goes idle, the falcon never halts");
		return true;
	}
	struct {
		const char *what;
		bool imem;
		uint32_t offset;
		uint64_t src;
		uint32_t len;
	} copies[] = {
		{ "non-secure code", true, static_cast<uint32_t>(field(NON_SEC_CODE_OFF)),
		  code_base + field(NON_SEC_CODE_OFF),
		  static_cast<uint32_t>(field(NON_SEC_CODE_SIZE)) },
		{ "secure code", true, static_cast<uint32_t>(field(SEC_CODE_OFF)),
		  code_base + field(SEC_CODE_OFF), static_cast<uint32_t>(field(SEC_CODE_SIZE)) },
		{ "data", false, 0, data_base, static_cast<uint32_t>(field(DATA_SIZE)) },
	};
	std::string done;
	for (const auto &cp : copies) {
		if (!cp.len)
			continue;
		int e = gsp.dma_copy_in(cp.imem, cp.offset, cp.src, cp.len);
		std::string what = std::string(cp.what) + " (" + hex(cp.len) + " bytes from " +
				   hex(cp.src) + " to " + (cp.imem ? "IMEM " : "DMEM ") +
				   hex(cp.offset) + ")";
		if (e) {
			gsp.verdict(Kind::Fail,
				    n + "DMA of FWSEC's " + what + ": " +
					    (e == EPERM ? "bus mastering is off (PCI COMMAND bit 2)"
					     : e == ERANGE ? "outside the falcon's memory"
							   : std::strerror(e)));
			err = ERR_BOOTLOADER_DMA;
			return true;
		}
		done += (done.empty() ? "" : ", ") + what;
	}
	gsp.verdict(Kind::Ok, n + "DMA of FWSEC through context 4: " + done);
	fwsec_run(gsp, head + "gen_bootloader, then ");
	return true;
}

} // namespace gpu_model
