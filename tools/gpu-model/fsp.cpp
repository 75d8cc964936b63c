// SPDX-License-Identifier: GPL-2.0
/*
 * The FSP of Hopper and Blackwell, as the GSP boot of GH100, GB10x and
 * GB20x drives it (Documentation/gpu-model.rst, "FSP"). The model runs no
 * NVIDIA code: its FSP reports its own secure boot done in
 * NV_THERM_I2CS_SCRATCH, takes messages through EMEM channel 0 and its
 * queues, checks the chain-of-trust (COT) message field by field against
 * the fmc file and its own reading of the formats (GSP_FMC_BOOT_PARAMS,
 * the WPR metadata, the radix3-mapped GSP-RM image), answers with an
 * FSP_RESPONSE, and then does what the FMC does: the GSP in lockdown for a
 * moment, then released with its RISC-V core running GSP-RM.
 */
#include <algorithm>
#include <cstring>

#include "text.h"
#include "fwfiles.h"
#include "gpu.h"
#include "layout.h"

namespace gpu_model {

namespace {

using Kind = Falcon::Kind;

constexpr uint64_t PAGE = 4096;
constexpr uint64_t KiB = 1ull << 10, MiB = 1ull << 20;
constexpr uint32_t MAILBOX0 = 0x040, MAILBOX1 = 0x044;
constexpr uint32_t GSP_HWCFG2 = 0x1100f4;

/* EMEMC: offs (7:2), blk (15:8), aincw (24), aincr (25). */
constexpr uint32_t EMEMC_ADDR = 0xfffc;
constexpr uint32_t EMEMC_AINCW = 1u << 24;
constexpr uint32_t EMEMC_AINCR = 1u << 25;

/* MCTP transport header: SOM (31), EOM (30), SEQ (29:28), SEID (23:16). */
constexpr uint32_t MCTP_SOM = 1u << 31, MCTP_EOM = 1u << 30;
/* NVDM header: NVDM type (31:24), vendor id (23:8), MCTP message type (6:0). */
constexpr uint32_t NVDM_VENDOR = 0x10de, MCTP_TYPE_VENDOR_PCI = 0x7e;
constexpr uint32_t NVDM_TYPE_COT = 0x14, NVDM_TYPE_FSP_RESPONSE = 0x15;
constexpr uint32_t COT_SIZE = 860;
constexpr uint32_t BOOT_PARAMS_SIZE = 80;
constexpr uint32_t COT_FIELD = 384; /* publicKey and signature; hash384 48 */

/*
 * The model's COT error codes, the first check that failed: the
 * FSP_RESPONSE's errorCode. The model's own numbers, not NVIDIA's.
 */
enum CotError : uint32_t {
	COT_OK = 0,
	COT_ERR_UNCHECKED = 1, /* no firmware, or files the model cannot read */
	COT_ERR_HEADER = 2, /* MCTP or NVDM header, the queue */
	COT_ERR_PAYLOAD = 3, /* version, size */
	COT_ERR_FMC_IMAGE = 4,
	COT_ERR_SIGNATURE = 5, /* hash384, publicKey, signature */
	COT_ERR_FRTS = 6,
	COT_ERR_BOOT_PARAMS = 7,
	COT_ERR_WPR_META = 8,
	COT_ERR_GSP_IMAGE = 9, /* the radix3 image, the bootloader, the GSP-RM signature */
	COT_ERR_BUSY = 10, /* the GSP runs GSP-RM */
	COT_ERR_UNSUPPORTED = 11, /* an NVDM type the model does not answer */
};

/* What the FSP and the FMC do under the test port's engine faults 23 and 25. */
constexpr uint32_t ENGINE_FAULT_COT_ERROR = 0xbad23;
constexpr uint32_t ENGINE_FAULT_FMC_MAILBOX0 = 0xbad25;

/* Reads of the GSP's registers PRIV_MASKED answers, then reads of HWCFG2 in lockdown. */
constexpr unsigned MASKED_READS = 3, LOCKDOWN_READS = 2;

const char *cot_error_name(uint32_t code)
{
	switch (code) {
	case COT_ERR_UNCHECKED:
		return "the model cannot check the message";
	case COT_ERR_HEADER:
		return "the MCTP or NVDM header";
	case COT_ERR_PAYLOAD:
		return "the COT's version or size";
	case COT_ERR_FMC_IMAGE:
		return "the FMC image";
	case COT_ERR_SIGNATURE:
		return "the FMC's hash, public key or signature";
	case COT_ERR_FRTS:
		return "the FRTS fields";
	case COT_ERR_BOOT_PARAMS:
		return "GSP_FMC_BOOT_PARAMS";
	case COT_ERR_WPR_META:
		return "the WPR metadata";
	case COT_ERR_GSP_IMAGE:
		return "the GSP-RM image, its bootloader or its signature";
	case COT_ERR_BUSY:
		return "the GSP runs GSP-RM";
	case COT_ERR_UNSUPPORTED:
		return "an NVDM type the model does not answer";
	default:
		return "ok";
	}
}

bool blackwell_gb20x(uint32_t chipset)
{
	return chipset >> 4 == 0x1b;
}

/* GSP-RM's non-WPR heap, which frtsVidmemOffset counts from the end of VRAM. */
uint64_t non_wpr_heap(uint32_t chipset)
{
	return blackwell_gb20x(chipset) ? 2 * MiB + 128 * KiB : 2 * MiB;
}

/*
 * The PMU's reserved VRAM (pmuReservedSize): none on Hopper; on Blackwell
 * OpenRM's kpmuReservedMemorySizeGet (backing store 9 MiB, surfaces 16 MiB
 * + 256 KiB, 4 KiB of the rest, aligned up to 128 KiB), which upstream
 * nova-core follows, or nouveau's r570 reserve (8 MiB + 16 MiB + 4 KiB,
 * aligned up to 128 KiB).
 */
constexpr uint64_t PMU_RESERVED_OPENRM =
	(9 * MiB + 16 * MiB + 256 * KiB + 4 * KiB + 128 * KiB - 1) & ~(128 * KiB - 1);
constexpr uint64_t PMU_RESERVED_NOUVEAU =
	(8 * MiB + 16 * MiB + 4 * KiB + 128 * KiB - 1) & ~(128 * KiB - 1);
static_assert(PMU_RESERVED_OPENRM == 0x1960000 && PMU_RESERVED_NOUVEAU == 0x1820000);

bool pmu_reserved_allowed(uint32_t chipset, uint64_t pmu)
{
	if (family_of(chipset) != Family::Blackwell)
		return pmu == 0;
	return pmu == PMU_RESERVED_OPENRM || pmu == PMU_RESERVED_NOUVEAU;
}

uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/*
 * Section @name of the little-endian ELF32 @file (the fmc file): "" and
 * @out, or why not.
 */
std::string elf32_section(std::span<const uint8_t> f, const std::string &name, ElfSection &out)
{
	if (f.size() < 0x34 || std::memcmp(f.data(),
					   "\x7f"
					   "ELF\x01\x01",
					   6))
		return "not a little-endian ELF32 file";
	uint64_t shoff = le(&f[0x20], 4), shentsize = le(&f[0x2e], 2);
	uint64_t shnum = le(&f[0x30], 2), shstrndx = le(&f[0x32], 2);
	if (shentsize < 40 || shstrndx >= shnum || shoff + shnum * shentsize > f.size())
		return "the section table is out of bounds";
	const uint8_t *strs = &f[shoff + shstrndx * shentsize];
	uint64_t stroff = le(strs + 16, 4), strsize = le(strs + 20, 4);
	if (stroff + strsize > f.size())
		return "the section names are out of bounds";
	for (uint64_t i = 1; i < shnum; i++) {
		const uint8_t *sh = &f[shoff + i * shentsize];
		uint64_t nm = le(sh, 4), off = le(sh + 16, 4), size = le(sh + 20, 4);
		if (nm >= strsize)
			continue;
		const char *s = reinterpret_cast<const char *>(&f[stroff + nm]);
		if (strnlen(s, strsize - nm) == strsize - nm || name != s)
			continue;
		if (off + size > f.size())
			return "section " + name + " is out of bounds";
		out.offset = off;
		out.size = size;
		return "";
	}
	return "no section " + name;
}

/* The GSP ELF's signature section of an FSP chip. */
const char *fsp_signature_section(uint32_t chipset)
{
	if (family_of(chipset) == Family::Hopper)
		return ".fwsignature_gh100";
	return chipset >> 4 == 0x1a ? ".fwsignature_gb10x" : ".fwsignature_gb20x";
}

} // namespace

uint32_t Gpu::fsp_i2cs() const
{
	if (chipset_ < 0x180)
		return 0;
	return blackwell_gb20x(chipset_) ? reg::THERM_I2CS_SCRATCH_GB20X
					 : reg::THERM_I2CS_SCRATCH_GH100;
}

void Gpu::fsp_power_on()
{
	std::fill(emem_.begin(), emem_.end(), 0);
	ememc_ = 0;
	fsp_qhead_ = fsp_qtail_ = fsp_mhead_ = fsp_mtail_ = 0;
	fmc_ = Fmc::Idle;
	fmc_left_ = 0;
	fmc_args_ = fmc_libos_ = 0;
}

bool Gpu::fsp_read(uint32_t offset, uint32_t &value)
{
	if (chipset_ < 0x180 || falcons_.size() < 3)
		return false;
	if (offset == fsp_i2cs()) {
		/* The FSP's own secure boot is over at power-on, unless fault 21. */
		value = engine_fault_ == 21 ? 0 : reg::I2CS_SCRATCH_FSP_BOOT_COMPLETE;
		return true;
	}
	switch (offset) {
	case reg::PFSP_EMEMC0:
		value = ememc_;
		return true;
	case reg::PFSP_EMEMD0: {
		uint32_t at = ememc_ & EMEMC_ADDR;
		value = at + 4 <= emem_.size() ? static_cast<uint32_t>(le(&emem_[at], 4)) : 0;
		if (ememc_ & EMEMC_AINCR)
			ememc_ = (ememc_ & ~EMEMC_ADDR) | ((at + 4) & EMEMC_ADDR);
		return true;
	}
	case reg::PFSP_QUEUE_HEAD0:
		value = fsp_qhead_;
		return true;
	case reg::PFSP_QUEUE_TAIL0:
		value = fsp_qtail_;
		return true;
	case reg::PFSP_MSGQ_HEAD0:
		value = fsp_mhead_;
		return true;
	case reg::PFSP_MSGQ_TAIL0:
		value = fsp_mtail_;
		return true;
	default:
		return false;
	}
}

bool Gpu::fsp_write(uint32_t offset, uint32_t value)
{
	if (chipset_ < 0x180 || falcons_.size() < 3)
		return false;
	if (offset == fsp_i2cs())
		return true; /* the FSP's to write */
	switch (offset) {
	case reg::PFSP_EMEMC0:
		ememc_ = value & (EMEMC_ADDR | EMEMC_AINCW | EMEMC_AINCR);
		return true;
	case reg::PFSP_EMEMD0: {
		uint32_t at = ememc_ & EMEMC_ADDR;
		if (at + 4 <= emem_.size())
			for (unsigned b = 0; b < 4; b++)
				emem_[at + b] = static_cast<uint8_t>(value >> (8 * b));
		if (ememc_ & EMEMC_AINCW)
			ememc_ = (ememc_ & ~EMEMC_ADDR) | ((at + 4) & EMEMC_ADDR);
		return true;
	}
	case reg::PFSP_QUEUE_TAIL0:
		fsp_qtail_ = value;
		return true;
	case reg::PFSP_QUEUE_HEAD0:
		fsp_qhead_ = value;
		/* The doorbell: a message from HEAD to TAIL + 4. */
		if (fsp_qtail_ != fsp_qhead_)
			fsp_command();
		return true;
	case reg::PFSP_MSGQ_HEAD0:
		fsp_mhead_ = value;
		return true;
	case reg::PFSP_MSGQ_TAIL0:
		fsp_mtail_ = value;
		return true;
	default:
		return false;
	}
}

/* An FSP_RESPONSE in EMEM at 0: MSGQ_TAIL - MSGQ_HEAD + 4 is its length. */
void Gpu::fsp_reply(uint32_t nvdm_type, uint32_t error)
{
	uint32_t words[] = {
		MCTP_SOM | MCTP_EOM,
		NVDM_TYPE_FSP_RESPONSE << 24 | NVDM_VENDOR << 8 | MCTP_TYPE_VENDOR_PCI,
		0, /* taskId */
		nvdm_type, /* commandNvdmType */
		error, /* errorCode */
	};
	for (unsigned i = 0; i < 5; i++)
		for (unsigned b = 0; b < 4; b++)
			emem_[4 * i + b] = static_cast<uint8_t>(words[i] >> (8 * b));
	fsp_mhead_ = 0;
	fsp_mtail_ = sizeof(words) - 4;
	falcons_[2].verdict(Kind::Note, "FSP_RESPONSE posted: NVDM type 0x15, commandNvdmType " +
						hex(nvdm_type) + ", errorCode " + hex(error) +
						" (20 bytes in EMEM at 0; MSGQ_HEAD 0, MSGQ_TAIL " +
						hex(fsp_mtail_) + ")");
}

/*
 * The command queue's doorbell: the message between QUEUE_HEAD and
 * QUEUE_TAIL + 4 in EMEM, read and consumed (HEAD = TAIL), checked and
 * answered.
 */
void Gpu::fsp_command()
{
	Falcon &fsp = falcons_[2];
	uint32_t head = fsp_qhead_, tail = fsp_qtail_;
	fsp_qhead_ = fsp_qtail_;
	if (tail < head || tail + 4 > emem_.size() || head % 4 || tail % 4) {
		fsp.verdict(Kind::Fail,
			    "command queue: QUEUE_HEAD " + hex(head) + ", QUEUE_TAIL " + hex(tail) +
				    ": not a message of whole words in the 1 KiB of EMEM "
				    "channel 0");
		fsp_reply(0, COT_ERR_HEADER);
		return;
	}
	std::vector<uint8_t> msg(emem_.begin() + head, emem_.begin() + tail + 4);
	uint32_t nvdm = msg.size() >= 8 ? static_cast<uint32_t>(le(&msg[4], 4)) : 0;
	uint32_t type = nvdm >> 24;
	if (msg.size() >= 8 && type != NVDM_TYPE_COT) {
		fsp.verdict(Kind::Note, "message of " + std::to_string(msg.size()) +
						" bytes, NVDM header " + hex(nvdm) + " (type " +
						hex(type) +
						"): not a COT, not modelled; answered with error " +
						std::to_string(COT_ERR_UNSUPPORTED));
		fsp_reply(type, COT_ERR_UNSUPPORTED);
		return;
	}
	uint32_t err = COT_OK;
	if (fmc_ == Fmc::Released && falcons_[0].riscv_active()) {
		fsp.verdict(Kind::Fail, "COT while the GSP runs GSP-RM (no unload since the last "
					"COT)");
		err = COT_ERR_BUSY;
	} else {
		/* A boot that never got past the lockdown is given up: the FMC starts over. */
		if (fmc_ == Fmc::Masked || fmc_ == Fmc::Lockdown)
			fsp.verdict(Kind::Note, "COT while the last boot is still in the FMC's "
						"lockdown: that boot is given up");
		err = cot_checks(fsp, msg);
	}
	if (engine_fault_ == 22) {
		fsp.verdict(Kind::Note, "hostile fault 22: the COT read and checked (error " +
						std::to_string(err) + "), never answered");
		return;
	}
	if (!err && engine_fault_ == 23) {
		fsp.verdict(Kind::Note, "hostile fault 23: every check passed, errorCode " +
						hex(ENGINE_FAULT_COT_ERROR) +
						", the GSP not booted");
		fsp_reply(NVDM_TYPE_COT, ENGINE_FAULT_COT_ERROR);
		return;
	}
	fsp_reply(NVDM_TYPE_COT, err);
	if (err) {
		fsp.verdict(Kind::Fail, "COT refused: error " + std::to_string(err) + " (" +
						cot_error_name(err) + "), the GSP not booted");
		return;
	}
	/* What the FMC does: the GSP's registers masked, then in lockdown, then released. */
	Falcon &gsp = falcons_[0];
	gsprm_.booter_unload();
	gsp.set_riscv_active(false);
	gsp.set_riscv_halted(false);
	gsp.set_priv(true, false);
	fmc_ = Fmc::Masked;
	fmc_left_ = MASKED_READS;
	fsp.verdict(Kind::Ok, "COT accepted: the FMC boots the GSP (its registers read " +
				      hex(Falcon::PRIV_MASKED) + " for " +
				      std::to_string(MASKED_READS) +
				      " reads, then RISCV_BR_PRIV_LOCKDOWN for " +
				      std::to_string(LOCKDOWN_READS) + " reads of HWCFG2)");
}

/*
 * The COT message: each field one verdict; 0, or the first failure's
 * code. The boot parameters and the WPR metadata it points at are read
 * and checked too.
 */
uint32_t Gpu::cot_checks(Falcon &fsp, const std::vector<uint8_t> &msg)
{
	uint32_t err = COT_OK;
	auto fail = [&err](uint32_t code) {
		if (!err)
			err = code;
	};
	auto verdict = [&](bool ok, const std::string &what, const std::string &detail,
			   uint32_t code) {
		fsp.verdict(ok ? Kind::Ok : Kind::Fail, "COT " + what + ": " + detail);
		if (!ok)
			fail(code);
	};
	if (msg.size() != 8 + COT_SIZE) {
		verdict(false, "length",
			std::to_string(msg.size()) + " bytes, a COT message is 868 (8 + 860)",
			COT_ERR_PAYLOAD);
		return err;
	}
	uint32_t mctp = static_cast<uint32_t>(le(&msg[0], 4));
	uint32_t nvdm = static_cast<uint32_t>(le(&msg[4], 4));
	bool mctp_ok = (mctp & (MCTP_SOM | MCTP_EOM)) == (MCTP_SOM | MCTP_EOM);
	verdict(mctp_ok, "MCTP header",
		hex(mctp) + (mctp_ok ? ", ok (SOM, EOM: a single packet)"
				     : ", expected SOM (bit 31) and EOM (bit 30): a single packet"),
		COT_ERR_HEADER);
	bool nvdm_ok = (nvdm >> 8 & 0xffff) == NVDM_VENDOR && (nvdm & 0x7f) == MCTP_TYPE_VENDOR_PCI;
	verdict(nvdm_ok, "NVDM header",
		hex(nvdm) + (nvdm_ok ? ", ok (type 0x14 COT, vendor 0x10de, message type 0x7e)"
				     : ", expected 0x1410de7e (type 0x14 COT, vendor 0x10de, "
				       "message type 0x7e)"),
		COT_ERR_HEADER);

	const uint8_t *p = msg.data() + 8;
	auto u64 = [p](unsigned off) { return le(p + off, 8); };
	auto u32 = [p](unsigned off) { return le(p + off, 4); };
	uint32_t version = static_cast<uint32_t>(le(p, 2)),
		 size = static_cast<uint32_t>(le(p + 2, 2));
	bool gb10x = chipset_ >> 4 == 0x1a;
	uint32_t want_version = blackwell_gb20x(chipset_) ? 2 : 1;
	bool version_ok = version == want_version || (gb10x && version == 2);
	verdict(version_ok, "version (offset 0x0)",
		std::to_string(version) +
			(version_ok ? ", ok"
				    : ", expected " + std::to_string(want_version) +
					      (blackwell_gb20x(chipset_) ? " on GB20x"
									 : " on GH100 and GB10x")),
		COT_ERR_PAYLOAD);
	verdict(size == COT_SIZE, "size (offset 0x2)",
		std::to_string(size) + (size == COT_SIZE ? ", ok" : ", expected 860"),
		COT_ERR_PAYLOAD);

	/* The files the FSP would have checked the FMC against. */
	const Chip *chip = this->chip();
	if (opt_.firmware.empty() || !chip) {
		fsp.verdict(Kind::Fail, std::string("COT: the model cannot check it: ") +
						(chip ? "it was given no firmware (--firmware)"
						      : "a chip it knows by no name"));
		fail(COT_ERR_UNCHECKED);
		return err;
	}
	std::vector<uint8_t> fmc;
	ElfSection image, hash, pkey, sig;
	std::string path = firmware_path(opt_.firmware, chip->name, "fmc");
	std::string why = read_file(path, fmc);
	for (auto [name, sec] : { std::pair<const char *, ElfSection *>("image", &image),
				  { "hash", &hash },
				  { "publickey", &pkey },
				  { "signature", &sig } })
		if (why.empty())
			why = elf32_section(fmc, name, *sec);
	if (why.empty() && (hash.size != 48 || pkey.size > COT_FIELD || sig.size > COT_FIELD))
		why = "hash, publickey or signature larger than the COT's fields";
	if (!why.empty()) {
		fsp.verdict(Kind::Fail, "COT: the model cannot check it: " + path + ": " + why);
		fail(COT_ERR_UNCHECKED);
		return err;
	}

	/* The FMC image in system memory. */
	uint64_t img_at = u64(4);
	std::vector<uint8_t> got(image.size);
	if (booter_read(img_at, got.data(), got.size(), "FMC image")) {
		verdict(false, "gspFmcSysmemOffset (offset 0x4)",
			hex(img_at) + ": the FMC image (" + hex(image.size) +
				" bytes) not readable by DMA",
			COT_ERR_FMC_IMAGE);
	} else {
		int64_t d = -1;
		for (uint64_t i = 0; i < image.size && d < 0; i++)
			if (got[i] != fmc[image.offset + i])
				d = static_cast<int64_t>(i);
		verdict(d < 0, "gspFmcSysmemOffset (offset 0x4)",
			hex(img_at) +
				(d < 0 ? ": ok, the fmc file's image section (" + hex(image.size) +
						 " bytes)"
				       : ": differs from the fmc file's image section at byte " +
						 hex(d)),
			COT_ERR_FMC_IMAGE);
	}
	/* hash384, publicKey, signature: the file's sections, zero-padded. */
	struct {
		const char *name, *section;
		unsigned off, len;
		ElfSection *sec;
	} blobs[] = {
		{ "hash384", "hash", 36, 48, &hash },
		{ "publicKey", "publickey", 84, COT_FIELD, &pkey },
		{ "signature", "signature", 468, COT_FIELD, &sig },
	};
	for (const auto &b : blobs) {
		int64_t d = -1;
		for (unsigned i = 0; i < b.len && d < 0; i++) {
			uint8_t want = i < b.sec->size ? fmc[b.sec->offset + i] : 0;
			if (p[b.off + i] != want)
				d = i;
		}
		verdict(d < 0, std::string(b.name) + " (offset " + hex(b.off) + ")",
			d < 0 ? "ok, the fmc file's " + std::string(b.section) + " section (" +
					std::to_string(b.sec->size) + " bytes, zero-padded to " +
					std::to_string(b.len) + ")"
			      : "differs from the fmc file's " + std::string(b.section) +
					" section, zero-padded, at byte " + hex(d),
			COT_ERR_SIGNATURE);
	}
	verdict(u64(12) == 0, "frtsSysmemOffset (offset 0xc)",
		hex(u64(12)) + (u64(12) ? ", expected 0" : ", ok"), COT_ERR_FRTS);
	verdict(u32(20) == 0, "frtsSysmemSize (offset 0x14)",
		hex(u32(20)) + (u32(20) ? ", expected 0" : ", ok"), COT_ERR_FRTS);
	verdict(u32(32) == MiB, "frtsVidmemSize (offset 0x20)",
		hex(u32(32)) + (u32(32) == MiB ? ", ok (1 MiB)" : ", expected 0x100000 (1 MiB)"),
		COT_ERR_FRTS);

	/* GSP_FMC_BOOT_PARAMS, and the WPR metadata it points at. */
	uint64_t args = u64(852);
	uint64_t meta_at = 0, pmu = 0;
	uint32_t code = fmc_boot_params(fsp, args, meta_at);
	fail(code);
	bool meta_read = false;
	if (meta_at) {
		fail(fmc_wpr_meta(fsp, meta_at, pmu));
		meta_read = true;
	}
	/* frtsVidmemOffset: from the end of VRAM, past the non-WPR heap and the PMU's share. */
	uint64_t heap = non_wpr_heap(chipset_);
	uint64_t want = pmu ? align_up(heap + pmu, 2 * MiB) : heap;
	std::string rule = hex(want) + " (the non-WPR heap " + hex(heap) +
			   (pmu ? " and pmuReservedSize " + hex(pmu) + ", 2 MiB-aligned)" : ")") +
			   (meta_read ? "" : ", the WPR metadata unread");
	verdict(u64(24) == want, "frtsVidmemOffset (offset 0x18)",
		hex(u64(24)) + (u64(24) == want ? ", ok: " + rule : ", expected " + rule),
		COT_ERR_FRTS);
	if (!err)
		fmc_args_ = args;
	return err;
}

/* GSP_FMC_BOOT_PARAMS (80 bytes) at @at: each field; @meta_at the WPR metadata's address. */
uint32_t Gpu::fmc_boot_params(Falcon &fsp, uint64_t at, uint64_t &meta_at)
{
	std::string n = "GSP_FMC_BOOT_PARAMS ";
	uint8_t b[BOOT_PARAMS_SIZE];
	if (booter_read(at, b, sizeof(b), "GSP_FMC_BOOT_PARAMS")) {
		fsp.verdict(Kind::Fail, "COT gspBootArgsSysmemOffset (offset 0x354): " + hex(at) +
						": GSP_FMC_BOOT_PARAMS (80 bytes) not readable by "
						"DMA");
		return COT_ERR_BOOT_PARAMS;
	}
	fsp.verdict(Kind::Ok, "COT gspBootArgsSysmemOffset (offset 0x354): " + hex(at) +
				      ", GSP_FMC_BOOT_PARAMS read");
	uint32_t err = COT_OK;
	auto check = [&](const char *name, unsigned off, unsigned size, uint64_t want,
			 const char *what) {
		uint64_t got = le(b + off, size);
		if (got == want) {
			fsp.verdict(Kind::Ok, n + name + " (offset " + hex(off) + "): ok, " +
						      hex(got) + (what[0] ? " (" : "") + what +
						      (what[0] ? ")" : ""));
			return;
		}
		fsp.verdict(Kind::Fail, n + name + " (offset " + hex(off) + ") is " + hex(got) +
						", expected " + hex(want) + (what[0] ? " (" : "") +
						what + (what[0] ? ")" : ""));
		err = COT_ERR_BOOT_PARAMS;
	};
	check("initParams.regkeys", 0, 8, 0, "");
	check("bootGspRmParams.target", 8, 4, 1, "GSP_DMA_TARGET_COHERENT_SYSTEM");
	check("bootGspRmParams.gspRmDescSize", 12, 4, WPR_META_SIZE, "GspFwWprMeta's size");
	check("bootGspRmParams.wprCarveoutOffset", 24, 8, 0, "");
	check("bootGspRmParams.wprCarveoutSize", 32, 4, 0, "");
	check("bootGspRmParams.bIsGspRmBoot", 36, 1, 1, "");
	check("gspRmParams.target", 40, 4, 2, "GSP_DMA_TARGET_NONCOHERENT_SYSTEM");
	check("gspSpdmParams.target", 56, 4, 0, "");
	check("gspSpdmParams.payloadBufferOffset", 64, 8, 0, "");
	check("gspSpdmParams.payloadBufferSize", 72, 4, 0, "");
	uint64_t libos = le(b + 48, 8);
	if (!libos || libos % PAGE) {
		fsp.verdict(Kind::Fail, n + "gspRmParams.bootArgsOffset (offset 0x30) is " +
						hex(libos) + ", not the address of a 4 KiB page");
		err = COT_ERR_BOOT_PARAMS;
	} else {
		fsp.verdict(Kind::Ok, n + "gspRmParams.bootArgsOffset (offset 0x30): ok, " +
					      hex(libos) + ", the LIBOS page GSP-RM will read");
		fmc_libos_ = libos;
	}
	meta_at = le(b + 16, 8);
	if (!meta_at) {
		fsp.verdict(
			Kind::Fail,
			n + "bootGspRmParams.gspRmDescOffset (offset 0x10) is 0: no WPR metadata");
		err = COT_ERR_BOOT_PARAMS;
	}
	return err;
}

/*
 * The WPR metadata at @at as the FSP chips have it: the ACR computes the
 * offsets, so every offset is 0; the sizes follow the model's rules for
 * the chip; the bootloader, the signature and the radix3-mapped image
 * are the files'. @pmu: its pmuReservedSize when allowed.
 */
uint32_t Gpu::fmc_wpr_meta(Falcon &fsp, uint64_t at, uint64_t &pmu)
{
	std::string n = "WPR metadata ";
	uint8_t meta[WPR_META_SIZE];
	if (booter_read(at, meta, sizeof(meta), "WPR metadata")) {
		fsp.verdict(Kind::Fail, "GSP_FMC_BOOT_PARAMS bootGspRmParams.gspRmDescOffset "
					"(offset 0x10): " +
						hex(at) + ": the WPR metadata not readable by DMA");
		return COT_ERR_WPR_META;
	}
	uint64_t magic = le(meta, 8), revision = le(meta + 8, 8);
	if (magic != WPR_META_MAGIC || revision != WPR_META_REVISION) {
		fsp.verdict(Kind::Fail, n + "at " + hex(at) + ": magic " + hex(magic) +
						" (offset 0x0), revision " + hex(revision) +
						" (offset 0x8): not " + hex(WPR_META_MAGIC) +
						", 1");
		return COT_ERR_WPR_META;
	}
	std::vector<uint8_t> elf;
	RiscvFirmware bl;
	ElfSection fwimage, sig;
	const char *signame = fsp_signature_section(chipset_);
	std::string why = read_gsp_files(signame, bl, elf, fwimage, sig);
	if (!why.empty()) {
		fsp.verdict(Kind::Fail,
			    n + "at " + hex(at) + ": the model cannot check it: " + why);
		return COT_ERR_UNCHECKED;
	}
	uint32_t err = COT_OK;
	uint64_t bl_size = (bl.ucode.size() + PAGE - 1) / PAGE * PAGE;
	uint64_t sig_size = (sig.size + PAGE - 1) / PAGE * PAGE;
	uint64_t vram = vram_now();
	/* GSP-RM's WPR heap: NVIDIA's rule (RM's base 14 MiB), or nova 7.2's (8 MiB). */
	uint64_t heap_nv = wpr_heap_size(chipset_, vram, 14 * MiB);
	uint64_t heap_nova = wpr_heap_size(chipset_, vram, 8 * MiB);
	pmu = le(meta + 0xf4, 4);
	bool pmu_ok = pmu_reserved_allowed(chipset_, pmu);
	struct Field {
		const char *name;
		uint32_t offset, size;
		uint64_t value;
	};
	const Field fields[] = {
		{ "sizeOfRadix3Elf", 0x18, 8, fwimage.size },
		{ "sizeOfBootloader", 0x28, 8, bl_size },
		{ "bootloaderCodeOffset", 0x30, 8, bl.monitor_code_offset },
		{ "bootloaderDataOffset", 0x38, 8, bl.monitor_data_offset },
		{ "bootloaderManifestOffset", 0x40, 8, bl.manifest_offset },
		{ "sizeOfSignature", 0x50, 8, sig_size },
		{ "gspFwRsvdStart", 0x58, 8, 0 },
		{ "nonWprHeapOffset", 0x60, 8, 0 },
		{ "nonWprHeapSize", 0x68, 8, non_wpr_heap(chipset_) },
		{ "gspFwWprStart", 0x70, 8, 0 },
		{ "gspFwHeapOffset", 0x78, 8, 0 },
		{ "gspFwOffset", 0x88, 8, 0 },
		{ "bootBinOffset", 0x90, 8, 0 },
		{ "frtsOffset", 0x98, 8, 0 },
		{ "frtsSize", 0xa0, 8, MiB },
		{ "gspFwWprEnd", 0xa8, 8, 0 },
		{ "fbSize", 0xb0, 8, 0 },
		{ "vgaWorkspaceOffset", 0xb8, 8, 0 },
		{ "vgaWorkspaceSize", 0xc0, 8, 128 * KiB },
		{ "bootCount", 0xc8, 8, 0 },
		{ "partition RPC / crash queue union [0]", 0xd0, 8, 0 },
		{ "partition RPC / crash queue union [1]", 0xd8, 8, 0 },
		{ "partition RPC / crash queue union [2]", 0xe0, 8, 0 },
		{ "partition RPC / crash queue union [3]", 0xe8, 8, 0 },
		{ "gspFwHeapVfPartitionCount", 0xf0, 1, 0 },
		{ "flags", 0xf1, 1, 0 },
		{ "padding", 0xf2, 2, 0 },
		{ "verified", 0xf8, 8, 0 },
	};
	unsigned bad = 0;
	for (const Field &f : fields) {
		uint64_t got = le(meta + f.offset, f.size);
		if (got == f.value)
			continue;
		bad++;
		fsp.verdict(Kind::Fail, n + f.name + " at offset " + hex(f.offset) + ": " +
						hex(got) + ", expected " + hex(f.value));
		err = f.offset == 0x18 || f.offset == 0x28 || f.offset == 0x50 ||
				      (f.offset >= 0x30 && f.offset <= 0x40)
			      ? COT_ERR_GSP_IMAGE
			      : COT_ERR_WPR_META;
	}
	uint64_t heap = le(meta + 0x80, 8);
	if (heap != heap_nv && heap != heap_nova) {
		bad++;
		fsp.verdict(Kind::Fail, n + "gspFwHeapSize at offset 0x80: " + hex(heap) +
						", expected " + hex(heap_nv) +
						" (RM's base 14 MiB, NVIDIA's) or " +
						hex(heap_nova) + " (8 MiB, upstream nova's) for " +
						std::to_string(vram >> 20) + " MiB of VRAM");
		err = COT_ERR_WPR_META;
	}
	if (!pmu_ok) {
		bad++;
		fsp.verdict(Kind::Fail,
			    n + "pmuReservedSize at offset 0xf4: " + hex(pmu) +
				    (family_of(chipset_) == Family::Blackwell
					     ? ", expected 0x1960000 (OpenRM's, upstream "
					       "nova-core's) or 0x1820000 (nouveau's)"
					     : ", expected 0 (no PMU reserve on Hopper)"));
		err = COT_ERR_WPR_META;
		pmu = 0;
	}
	if (!bad)
		fsp.verdict(Kind::Ok, n + "at " + hex(at) +
					      ": ok (magic, revision, every offset 0, the sizes: "
					      "gspFwHeapSize " +
					      hex(heap) +
					      (heap == heap_nv ? " (RM's base 14 MiB)"
							       : " (RM's base 8 MiB)") +
					      ", nonWprHeapSize " + hex(non_wpr_heap(chipset_)) +
					      ", pmuReservedSize " + hex(pmu) + ")");

	/* The bootloader and the signature: the files' bytes, then zeros. */
	auto check_copy = [&](const char *what, uint64_t addr, uint64_t size, const uint8_t *want,
			      uint64_t want_len) {
		std::vector<uint8_t> got(size);
		if (addr % PAGE || booter_read(addr, got.data(), size, what)) {
			fsp.verdict(Kind::Fail,
				    n + what + " at " + hex(addr) + " (" + hex(size) +
					    " bytes): not 4 KiB aligned or not readable by DMA");
			err = COT_ERR_GSP_IMAGE;
			return;
		}
		int64_t d = -1;
		for (uint64_t i = 0; i < size && d < 0; i++)
			if (got[i] != (i < want_len ? want[i] : 0))
				d = static_cast<int64_t>(i);
		if (d >= 0) {
			fsp.verdict(Kind::Fail, n + what + " at " + hex(addr) +
							": differs from the file's at byte " +
							hex(d));
			err = COT_ERR_GSP_IMAGE;
			return;
		}
		fsp.verdict(Kind::Ok,
			    n + what + " at " + hex(addr) + ": ok (" + hex(size) + " bytes)");
	};
	check_copy("bootloader", le(meta + 0x20, 8), bl_size, bl.ucode.data(), bl.ucode.size());
	check_copy(signame, le(meta + 0x48, 8), sig_size, elf.data() + sig.offset, sig.size);
	if (check_radix3(fsp, le(meta + 0x10, 8), elf.data() + fwimage.offset, fwimage.size,
			 "WPR metadata "))
		err = COT_ERR_GSP_IMAGE;
	if (!err) {
		/* GSP-RM's VRAM as the ACR would lay it out (the model's own layout). */
		FbRegions layout;
		LayoutInputs in;
		in.chipset = chipset_;
		in.vram = vram;
		in.bootloader = bl_size;
		in.fw_image = fwimage.size;
		if (compute_layout(in, layout).empty()) {
			gsprm_vram_.size = vram;
			gsprm_vram_.reserved = layout.heap.start;
			gsprm_vram_.heap = layout.wpr2_heap.start;
			gsprm_vram_.frts = layout.frts.start;
		}
	}
	return err;
}

/*
 * A read of the GSP's registers while the FMC boots it: PRIV_MASKED
 * answers the first reads; then HWCFG2's lockdown bit, with the boot
 * parameters' address in MAILBOX1:MAILBOX0, for a few reads of HWCFG2;
 * then the release.
 */
void Gpu::fmc_after_read(uint32_t offset)
{
	Falcon &gsp = falcons_[0];
	if (fmc_ == Fmc::Masked) {
		if (fmc_left_ && --fmc_left_)
			return;
		fmc_ = Fmc::Lockdown;
		fmc_left_ = LOCKDOWN_READS;
		gsp.set_priv(false, true);
		if (engine_fault_ == 25) {
			gsp.set_mailbox(0, ENGINE_FAULT_FMC_MAILBOX0);
			gsp.set_mailbox(1, 0);
			gsp.set_riscv_halted(true); /* the FMC stops after its report */
			gsp.verdict(Kind::Note,
				    "hostile fault 25: the FMC reports error " +
					    hex(ENGINE_FAULT_FMC_MAILBOX0) +
					    " in MAILBOX0 and halts, the lockdown stays");
			return;
		}
		gsp.set_mailbox(0, static_cast<uint32_t>(fmc_args_));
		gsp.set_mailbox(1, static_cast<uint32_t>(fmc_args_ >> 32));
		gsp.verdict(Kind::Note,
			    "FMC: the priv target mask released, RISCV_BR_PRIV_LOCKDOWN "
			    "set (HWCFG2 bit 13), MAILBOX1:MAILBOX0 " +
				    hex(fmc_args_) + " (the boot parameters)");
		if (engine_fault_ == 24)
			gsp.verdict(Kind::Note, "hostile fault 24: the lockdown is never released");
		return;
	}
	if (fmc_ != Fmc::Lockdown || offset != GSP_HWCFG2)
		return;
	if (engine_fault_ == 24 || engine_fault_ == 25)
		return;
	if (fmc_left_ && --fmc_left_)
		return;
	fmc_release(gsp);
}

/* The FMC releases the GSP: no lockdown, MAILBOX0 0, the RISC-V core runs GSP-RM. */
void Gpu::fmc_release(Falcon &gsp)
{
	fmc_ = Fmc::Released;
	gsp.set_priv(false, false);
	gsp.set_mailbox(0, 0);
	gsp.set_mailbox(1, 0);
	if (engine_fault_ == 26) {
		gsp.set_riscv_halted(true);
		gsp.verdict(Kind::Note, "hostile fault 26: the lockdown released, MAILBOX0 0, the "
					"RISC-V core never becomes active (halted)");
		return;
	}
	gsp.set_riscv_halted(false);
	gsp.set_riscv_active(true);
	gsp.verdict(Kind::Ok, "FMC: the lockdown released (HWCFG2 bit 13 clear), MAILBOX0 0, "
			      "the RISC-V core active (RISCV_CPUCTL bit 7), GSP-RM started with "
			      "the LIBOS page at " +
				      hex(fmc_libos_));
	gsprm_.start(fmc_libos_, gsprm_vram_);
}

} // namespace gpu_model
