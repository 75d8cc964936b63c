// SPDX-License-Identifier: GPL-2.0
#include "text.h"
#include "gpu.h"

#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <cstring>
#include <sys/mman.h>
#include <unistd.h>

#include "vfio_user.h"

namespace gpu_model {

namespace {

constexpr uint64_t BAR0_SIZE = 16ull << 20;
/* The GSP falcon's OS register (PFALCON + 0x080): the bootloader's app_version. */
constexpr uint32_t GSP_FALCON_OS = 0x110080;
constexpr uint64_t BAR3_SIZE = 32ull << 20;
constexpr uint8_t REVISION = 0xa1;

/* Where config space holds its parts. */
constexpr unsigned CFG_BAR0 = 0x10, CFG_BAR1 = 0x14, CFG_BAR3 = 0x1c;
constexpr unsigned CAP_PM = 0x60, CAP_MSI = 0x68, CAP_EXP = 0x78;

int new_memfd(const char *name, uint64_t size)
{
	int fd = memfd_create(name, MFD_CLOEXEC);
	if (fd < 0)
		return -1;
	if (ftruncate(fd, static_cast<off_t>(size))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Turing and GA100 have the TU102 falcons; GA102 and later (and chips not named) GA102's. */
FalconHal hal_of(uint32_t chipset)
{
	Family f = family_of(chipset);
	return f == Family::Turing || f == Family::GA100 ? FalconHal::Tu102 : FalconHal::Ga102;
}

bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

/*
 * The model's FWSEC-FRTS error codes, the first check that failed: in
 * MAILBOX0 and in NV_PBUS_SW_SCRATCH(0xe) bits 31:16
 * (Documentation/gpu-model.rst, "Falcons"). The model's own numbers, not
 * NVIDIA's.
 */
enum FrtsError : uint32_t {
	FRTS_OK = 0,
	FRTS_ERR_IMEM = 1,
	FRTS_ERR_DMEM = 2,
	FRTS_ERR_COMMAND = 3,
	FRTS_ERR_SIGNATURE = 4,
	FRTS_ERR_BROM = 5,
	FRTS_ERR_WPR2_EXISTS = 6,
	FRTS_ERR_BOOTLOADER = 7, /* gen_bootloader: code, tags, BOOTVEC, descriptor, context */
	FRTS_ERR_BOOTLOADER_DMA = 8, /* gen_bootloader's DMA of FWSEC failed */
};

/* What FWSEC leaves under the test port's engine faults 4 and 5. */
constexpr uint32_t ENGINE_FAULT_MAILBOX0 = 0xbad0;
constexpr uint32_t ENGINE_FAULT_FRTS_ERR = 0xbad5;

const char *frts_error_name(uint32_t code)
{
	switch (code) {
	case FRTS_ERR_IMEM:
		return "IMEM is not the ROM's";
	case FRTS_ERR_DMEM:
		return "DMEM is not the ROM's";
	case FRTS_ERR_COMMAND:
		return "no FRTS command or a bad region";
	case FRTS_ERR_SIGNATURE:
		return "not the signature the fuse chooses";
	case FRTS_ERR_BROM:
		return "boot ROM registers";
	case FRTS_ERR_WPR2_EXISTS:
		return "WPR2 already exists";
	case FRTS_ERR_BOOTLOADER:
		return "gen_bootloader's code, tags, boot vector, descriptor or DMA context";
	case FRTS_ERR_BOOTLOADER_DMA:
		return "gen_bootloader could not read FWSEC by DMA";
	default:
		return "ok";
	}
}

} // namespace

std::string Gpu::check(const Options &o)
{
	if (!is_pow2(o.bar1) || o.bar1 < (1u << 20))
		return "--bar1 must be a power of two of 1 MiB or more";
	if (!o.vram_set || !o.chipset)
		return "";
	Family f = family_of(o.chipset);
	uint64_t mib = o.vram >> 20;
	if (!mib || o.vram % (1 << 20))
		return "--vram must be a whole, nonzero number of MiB";
	if (f == Family::Turing || f == Family::GA100) {
		for (unsigned scale = 0; scale < 16; scale++)
			if (mib % (1ull << scale) == 0 && mib >> scale < 64)
				return "";
		return "--vram: LOCAL_MEMORY_RANGE holds MAG (< 64) << SCALE (< 16) MiB";
	}
	if (o.ecc)
		return "--vram: ECC is a flag of Turing and GA100 only";
	if (mib >> 32)
		return "--vram: more MiB than NV_USABLE_FB_SIZE_IN_MB holds";
	return "";
}

Gpu::Gpu(const Options &o) : opt_(o)
{
	if (!opt_.trace.empty()) {
		trace_ = std::fopen(opt_.trace.c_str(), "w");
		if (trace_)
			setvbuf(trace_, nullptr, _IOFBF, 1 << 20);
	}
	bar0_fd_ = new_memfd("gpu-model-bar0", BAR0_SIZE);
	void *p = mmap(nullptr, reg::PROM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, bar0_fd_,
		       reg::PROM_DATA);
	prom_ = p == MAP_FAILED ? nullptr : static_cast<uint8_t *>(p);
	vram_bytes_ = std::max(opt_.vram, opt_.bar1);
	vram_fd_ = new_memfd("gpu-model-vram", vram_bytes_);
	bar3_fd_ = new_memfd("gpu-model-bar3", BAR3_SIZE);
	/* The falcons of NVIDIA's device map (dev_falcon_v4.h bases), by family. */
	if (opt_.chipset) {
		/* identify() gives them the HAL of the chip BOOT_42 says; FSP answers from Hopper
		 * on. */
		FalconHal hal = hal_of(opt_.chipset);
		falcons_.emplace_back("GSP", 0x110000, 0x111000, hal);
		falcons_.emplace_back("SEC2", 0x840000, 0x841000, hal);
		falcons_.emplace_back("FSP", 0x8f2000, 0x8f3000, hal);
		falcons_[0].set_start_hook([this](Falcon &gsp) { gsp_start(gsp); });
		falcons_[1].set_start_hook([this](Falcon &sec2) { sec2_start(sec2); });
	}
	build_config();
	power_on();
}

Gpu::~Gpu()
{
	if (prom_)
		munmap(prom_, reg::PROM_SIZE);
	for (int fd : { bar0_fd_, vram_fd_, bar3_fd_ })
		if (fd >= 0)
			close(fd);
	if (trace_)
		std::fclose(trace_);
}

/*
 * What the VBIOS's devinit leaves in a GPU's registers before any driver
 * runs (Documentation/gpu-model.rst, "Registers").
 */
void Gpu::power_on()
{
	regs_.clear();
	read_only_.clear();
	auto fixed = [this](uint32_t offset, uint32_t value) {
		regs_[offset] = value;
		read_only_[offset] = true;
	};
	fixed(reg::PMC_BOOT_0, opt_.boot0);
	fixed(reg::PMC_BOOT_42, opt_.boot42);
	fixed(reg::PGC6_AON_SECURE_SCRATCH_GROUP_05_PRIV_LEVEL_MASK, 1);
	fixed(reg::PGC6_AON_SECURE_SCRATCH_GROUP_05_0, reg::GFW_BOOT_PROGRESS_COMPLETED);
	/* The SEC2 ucodes booter (id 3) and the scrubber (id 13) at fuse version 1. */
	if (opt_.chipset >= 0x172)
		for (uint32_t id : { 3u, 13u })
			fixed(reg::FUSE_OPT_FPF_SEC2_UCODE1_VERSION + 4 * (id - 1), 1);

	if (opt_.chipset && opt_.vram_set) {
		Family f = family_of(opt_.chipset);
		uint64_t mib = opt_.vram >> 20;
		uint64_t usable = opt_.ecc ? opt_.vram / 16 * 15 : opt_.vram;
		if (f == Family::Turing || f == Family::GA100) {
			unsigned scale = 0;
			while (mib % (1ull << scale) || mib >> scale >= 64)
				scale++;
			fixed(reg::PFB_PRI_MMU_LOCAL_MEMORY_RANGE,
			      (opt_.ecc ? reg::LOCAL_MEMORY_RANGE_ECC_MODE : 0) |
				      static_cast<uint32_t>(mib >> scale) << 4 | scale);
		} else {
			fixed(reg::PGC6_AON_SECURE_SCRATCH_GROUP_42, static_cast<uint32_t>(mib));
		}
		if (f == Family::Turing || f == Family::GA100 || f == Family::Ampere ||
		    f == Family::Ada) {
			/* GA100 has no display; the others have one. */
			fixed(f == Family::Turing ? reg::FUSE_STATUS_OPT_DISPLAY_TU10X
						  : reg::FUSE_STATUS_OPT_DISPLAY_GA100,
			      f == Family::GA100 ? 1 : 0);
			/* The VGA workspace: the last 512 KiB below the end of usable VRAM. */
			regs_[reg::PDISP_VGA_WORKSPACE_BASE] =
				static_cast<uint32_t>((usable - (512 << 10)) >> 16) << 8 |
				reg::VGA_WORKSPACE_BASE_STATUS_VALID;
			/* The GSP's FWSEC (ucode id 9) at fuse version 2 (bits 0 and 1). */
			fixed(reg::FUSE_OPT_FPF_GSP_UCODE1_VERSION + 4 * (9 - 1), 3);
		}
	}

	/* What FWSEC-FRTS sets up: none yet; only the firmware writes them. */
	fixed(reg::PFB_PRI_MMU_WPR2_ADDR_LO, 0);
	fixed(reg::PFB_PRI_MMU_WPR2_ADDR_HI, 0);
	fixed(reg::PBUS_SW_SCRATCH_0E, 0);

	load_prom(true);
	/* The model's own reading of its ROM, for what the GSP is started with. */
	if (opt_.vbios.empty())
		fwsec_error_ = "no ROM";
	else
		fwsec_error_ = read_vbios(opt_.vbios, rom_layout_, fwsec_);
	/* The verdicts stay: they are the run's record, power-ons included. */
	for (Falcon &f : falcons_)
		f.power_on();
	chipset_ = 0;
	identify();
	set_engine_fault(0);
	gsprm_.power_on();
	gsprm_vram_ = GspRm::Vram();
	fsp_power_on();
	power_on_reads_ = reads_;
	power_on_writes_ = writes_;
	libos_set_ = false;
	libos_ = 0;
	port_addr_ = 0;
	dma_src_ = dma_dst_ = 0;
	dma_len_ = dma_status_ = 0;
	hostile_.reseed(opt_.hostile_seed);
}

/*
 * The PROM window: zeros, then the ROM the model was started with when
 * @rom. The test port's PORT_CTRL 2 and 3 do this in one access, where a
 * test would otherwise write 1 MiB a word at a time.
 */
void Gpu::load_prom(bool rom)
{
	if (!prom_)
		return;
	std::memset(prom_, 0, reg::PROM_SIZE);
	if (rom && !opt_.vbios.empty())
		std::memcpy(prom_, opt_.vbios.data(),
			    std::min<size_t>(opt_.vbios.size(), reg::PROM_SIZE));
}

void Gpu::build_config()
{
	std::memset(config_, 0, sizeof(config_));
	std::memset(config_wmask_, 0, sizeof(config_wmask_));
	auto put = [this](unsigned at, uint64_t value, unsigned bytes, uint64_t wmask = 0) {
		for (unsigned i = 0; i < bytes; i++) {
			config_[at + i] = static_cast<uint8_t>(value >> (8 * i));
			config_wmask_[at + i] = static_cast<uint8_t>(wmask >> (8 * i));
		}
	};
	uint32_t cls = opt_.chipset ? class_of(opt_.chipset) : CLASS_VGA;
	put(0x00, 0x10de, 2);
	put(0x02, opt_.device, 2);
	/* COMMAND: I/O, memory, bus master, parity, SERR, INTx disable. */
	put(0x04, 0, 2, 0x0547);
	put(0x06, 0x0010, 2); /* STATUS: a capability list */
	put(0x08, REVISION, 1);
	put(0x09, cls, 3);
	put(0x0c, 0, 2, 0xffff); /* cache line size, latency timer */
	/* BAR0 32-bit; BAR1 and BAR3 64-bit prefetchable: the low bits are fixed. */
	put(CFG_BAR0, 0, 4, ~(BAR0_SIZE - 1) & 0xfffffff0);
	uint64_t bar1_mask = ~(opt_.bar1 - 1) & ~0xfull;
	put(CFG_BAR1, 0xc, 4, bar1_mask & 0xffffffff);
	put(CFG_BAR1 + 4, 0, 4, bar1_mask >> 32);
	uint64_t bar3_mask = ~(BAR3_SIZE - 1) & ~0xfull;
	put(CFG_BAR3, 0xc, 4, bar3_mask & 0xffffffff);
	put(CFG_BAR3 + 4, 0, 4, bar3_mask >> 32);
	put(0x2c, 0x10de, 2);
	put(0x2e, opt_.device, 2);
	put(0x34, CAP_PM, 1);
	put(0x3c, 0, 1, 0xff); /* interrupt line; pin 0: no INTx, MSI only */

	/* Power management: version 3, D0..D3hot; PMCSR's power state is written. */
	put(CAP_PM, 0x01 | CAP_MSI << 8, 2);
	put(CAP_PM + 2, 0x0003, 2);
	put(CAP_PM + 4, 0x0008, 2, 0x0003);
	/* MSI: one vector, 64-bit addresses. */
	put(CAP_MSI, 0x05 | CAP_EXP << 8, 2);
	put(CAP_MSI + 2, 0x0080, 2, 0x0071);
	put(CAP_MSI + 4, 0, 4, 0xfffffffc);
	put(CAP_MSI + 8, 0, 4, 0xffffffff);
	put(CAP_MSI + 12, 0, 2, 0xffff);
	/* PCI Express v2, endpoint; a 16 GT/s x16 link. */
	put(CAP_EXP, 0x10, 2);
	put(CAP_EXP + 2, 0x0002, 2);
	put(CAP_EXP + 4, 0x00008021, 4); /* DevCap: 256-byte payload, RBER */
	put(CAP_EXP + 8, 0x2810, 2, 0x7fff); /* DevCtl */
	put(CAP_EXP + 12, 0x00000104 | 0x3 << 10, 4); /* LnkCap: 16 GT/s x16, ASPM */
	put(CAP_EXP + 16, 0x0000, 2, 0x0fff); /* LnkCtl */
	put(CAP_EXP + 18, 0x0104, 2); /* LnkSta: 16 GT/s x16 */
	put(CAP_EXP + 0x24, 0x00000000, 4); /* DevCap2 */
	put(CAP_EXP + 0x2c, 0x1e, 4); /* LnkCap2: 2.5 to 16 GT/s */
}

void Gpu::reset()
{
	trace("reset\n");
	build_config();
}

void Gpu::attach(DmaSpace *dma)
{
	dma_ = dma;
	for (Falcon &f : falcons_)
		f.attach(
			dma, [this](const std::string &line) { trace("%s", line.c_str()); },
			[this] { return bus_master(); });
}

/*
 * The chip is what BOOT_42 says (its bits 31:20), read at power-on and
 * whenever the test port writes BOOT_0 or BOOT_42: a test makes the model
 * another chip while the GPU is unbound. A change of falcon HAL puts the
 * falcons in their power-on state under the new one; WPR2 and the
 * verdicts stay. A model started as no chip it knows (nv40, raw) has no
 * falcons and stays so.
 */
void Gpu::identify()
{
	if (!opt_.chipset)
		return;
	uint32_t chipset = stored(reg::PMC_BOOT_42) >> 20 & 0xfff;
	if (chipset == chipset_)
		return;
	chipset_ = chipset;
	FalconHal hal = hal_of(chipset);
	const Chip *c = chip();
	trace("chip: BOOT_42 says chipset 0x%x (%s), falcon HAL %s\n", chipset,
	      c ? c->name : "no name the model knows", hal == FalconHal::Tu102 ? "TU102" : "GA102");
	for (Falcon &f : falcons_)
		if (f.hal() != hal)
			f.set_hal(hal);
}

uint64_t Gpu::vram_now() const
{
	Family f = family_of(chipset_);
	if (f == Family::Turing || f == Family::GA100) {
		uint32_t r = stored(reg::PFB_PRI_MMU_LOCAL_MEMORY_RANGE);
		uint64_t bytes = (static_cast<uint64_t>(r >> 4 & 0x3f) << (r & 0xf)) << 20;
		return r & reg::LOCAL_MEMORY_RANGE_ECC_MODE ? bytes / 16 * 15 : bytes;
	}
	if (f == Family::Other)
		return 0;
	return static_cast<uint64_t>(stored(reg::PGC6_AON_SECURE_SCRATCH_GROUP_42)) << 20;
}

/*
 * What the driver gave the GSP falcon, checked against the ROM's FWSEC as
 * the model reads it: each check one verdict, "ok" or what is wrong and
 * where. 0 when all pass (with the FRTS region in @start, @end), else the
 * FrtsError of the first that failed. @sb: the DMEM asks for FWSEC-SB
 * (init_cmd 0x19) instead of FRTS, which needs no region and runs with
 * WPR2 in place.
 */
uint32_t Gpu::fwsec_checks(Falcon &gsp, uint64_t &start, uint64_t &end, bool &sb)
{
	const FwsecImage &fw = fwsec_;
	uint32_t err = FRTS_OK;
	auto fail = [&err](uint32_t code) {
		if (!err)
			err = code;
	};
	const std::vector<uint8_t> &imem = gsp.imem();
	const std::vector<uint8_t> &dmem = gsp.dmem();

	/* (a) IMEM: V3 holds the ucode's IMEM at imem_phys_base; V2's bytes mirror IMEM. */
	int64_t idiff = -1;
	auto cmp_imem = [&](uint64_t at, uint64_t from, uint64_t len) {
		for (uint64_t i = 0; i < len && idiff < 0; i++)
			if (at + i >= imem.size() || from + i >= fw.imem.size() ||
			    imem[at + i] != fw.imem[from + i])
				idiff = static_cast<int64_t>(at + i);
	};
	if (fw.version == 3) {
		cmp_imem(fw.imem_phys_base, 0, fw.imem.size());
	} else {
		cmp_imem(fw.imem_ns_offset(), fw.imem_ns_offset(), fw.imem_ns_size());
		cmp_imem(fw.imem_sec_offset(), fw.imem_sec_offset(), fw.imem_sec_size);
	}
	if (idiff < 0) {
		gsp.verdict(Falcon::Kind::Ok, "FWSEC IMEM at " + hex(fw.imem_phys_base) + ": ok");
	} else {
		gsp.verdict(Falcon::Kind::Fail, "FWSEC IMEM at " + hex(fw.imem_phys_base) +
							": differs from the ROM's at IMEM offset " +
							hex(idiff));
		fail(FRTS_ERR_IMEM);
	}

	/* The ucode's DMEM: the falcon's from dmem_phys_base on. */
	std::span<const uint8_t> ud;
	if (fw.dmem_phys_base < dmem.size())
		ud = std::span<const uint8_t>(dmem).subspan(fw.dmem_phys_base);

	/* (b) DMEM outside the driver's patches. */
	int64_t ddiff = first_unpatched_difference(fw, ud);
	if (ddiff < 0) {
		gsp.verdict(Falcon::Kind::Ok, "FWSEC DMEM at " + hex(fw.dmem_phys_base) +
						      ": ok (the ROM's outside the patches)");
	} else {
		gsp.verdict(Falcon::Kind::Fail, "FWSEC DMEM at " + hex(fw.dmem_phys_base) +
							": differs from the ROM's at DMEM offset " +
							hex(ddiff) + " (falcon DMEM " +
							hex(fw.dmem_phys_base + ddiff) + ")");
		fail(FRTS_ERR_DMEM);
	}

	/* (c) The FRTS command and its region. */
	FrtsCheck frts = check_frts(fw, ud);
	start = frts.start;
	end = frts.start + frts.size;
	std::string region = "region " + hex(start) + ".." + hex(end);
	sb = frts.init_cmd == FwsecImage::CMD_SB;
	if (sb) {
		gsp.verdict(Falcon::Kind::Ok, "FWSEC SB command: ok (init_cmd " +
						      hex(frts.init_cmd) + ", no FRTS region)");
	} else if (!frts.ok) {
		gsp.verdict(Falcon::Kind::Fail, "FWSEC FRTS command: " + frts.why);
		fail(FRTS_ERR_COMMAND);
	} else if (!frts.size) {
		gsp.verdict(Falcon::Kind::Fail, "FWSEC FRTS command: an empty " + region);
		fail(FRTS_ERR_COMMAND);
	} else if (vram_now() && end > vram_now()) {
		gsp.verdict(Falcon::Kind::Fail, "FWSEC FRTS command: " + region +
							" past the end of VRAM (" +
							hex(vram_now()) + ")");
		fail(FRTS_ERR_COMMAND);
	} else {
		gsp.verdict(Falcon::Kind::Ok, "FWSEC FRTS command: ok, " + region);
	}

	/* (d) GA102 and later: the signature the fuse chooses, and the boot ROM's registers. */
	if (gsp.hal() == FalconHal::Ga102) {
		uint32_t freg = fuse_register(fw);
		uint32_t fval = freg ? stored(freg) : 0;
		unsigned version = fuse_version(fval);
		SignatureCheck sig = check_signature(fw, version, ud);
		std::string fuse = "fuse " + hex(freg) + " = " + hex(fval) + ", version " +
				   std::to_string(version);
		if (!sig.ok) {
			gsp.verdict(Falcon::Kind::Fail,
				    "FWSEC signature: " + sig.why + " (" + fuse + ")");
			fail(FRTS_ERR_SIGNATURE);
		} else if (!sig.needed) {
			gsp.verdict(Falcon::Kind::Ok, "FWSEC signature: ok, " + sig.why);
		} else {
			gsp.verdict(Falcon::Kind::Ok,
				    "FWSEC signature: ok, signature " + std::to_string(sig.index) +
					    " at DMEM " + hex(fw.pkc_data_offset) + " (" + fuse +
					    ")");
		}
		struct {
			const char *name;
			uint32_t off, want, mask;
		} brom[] = {
			{ "BROM_PARAADDR(0)", Falcon::BROM_PARAADDR0, fw.pkc_data_offset,
			  0xffffffff },
			{ "BROM_ENGIDMASK", Falcon::BROM_ENGIDMASK, fw.engine_id_mask, 0xffffffff },
			{ "BROM_CURR_UCODE_ID", Falcon::BROM_CURR_UCODE_ID, fw.ucode_id, 0xff },
			{ "MOD_SEL", Falcon::MOD_SEL, 1, 0xff },
		};
		for (const auto &b : brom) {
			uint32_t v = gsp.reg2(b.off) & b.mask;
			if (v == b.want) {
				gsp.verdict(Falcon::Kind::Ok, std::string("FWSEC ") + b.name +
								      ": ok (" + hex(v) + ")");
			} else {
				gsp.verdict(Falcon::Kind::Fail,
					    std::string("FWSEC ") + b.name + " is " + hex(v) +
						    ", the descriptor says " + hex(b.want));
				fail(FRTS_ERR_BROM);
			}
		}
	}

	/*
	 * (e) BOOTVEC: a note, not a check. NVIDIA's FWSEC V3 starts at its IMEM
	 * virtual base; nova writes 0 (its boot_addr), which is the same when
	 * that base is 0.
	 */
	uint32_t bootvec = gsp.reg(Falcon::BOOTVEC);
	if (gsp.hal() == FalconHal::Ga102)
		gsp.verdict(Falcon::Kind::Note,
			    "FWSEC BOOTVEC " + hex(bootvec) +
				    ": note, the descriptor's IMEM virtual base is " +
				    hex(fw.imem_virt_base) +
				    (bootvec == fw.imem_virt_base ? " (same)" : " (differs)"));

	/* (f) WPR2 must not exist yet. */
	uint32_t hi = stored(reg::PFB_PRI_MMU_WPR2_ADDR_HI);
	if (sb) {
		/* FWSEC-SB runs before booter_unload, with WPR2 in place. */
	} else if (hi >> reg::WPR2_ADDR_VAL_SHIFT) {
		gsp.verdict(Falcon::Kind::Fail,
			    "FWSEC WPR2: already exists (WPR2_ADDR_HI " + hex(hi) + ")");
		fail(FRTS_ERR_WPR2_EXISTS);
	} else {
		gsp.verdict(Falcon::Kind::Ok, "FWSEC WPR2: ok, none yet");
	}
	return err;
}

/*
 * The GSP falcon started with nothing loaded since its reset: the driver
 * hands the GSP its LIBOS page in MAILBOX0 (low 32 bits) and MAILBOX1
 * (high), to be read once Booter has started the RISC-V core. The model
 * records the address, and the empty falcon halts at once.
 */
void Gpu::libos_handoff(Falcon &gsp)
{
	uint64_t addr = static_cast<uint64_t>(gsp.reg(0x044)) << 32 | gsp.reg(0x040);
	std::string head = "started empty (LIBOS hand-off): MAILBOX1:MAILBOX0 " + hex(addr);
	if (!addr || addr % 4096) {
		libos_set_ = false;
		gsp.verdict(Falcon::Kind::Fail, head + ": not the address of a 4 KiB page, halted");
		return;
	}
	libos_set_ = true;
	libos_ = addr;
	gsp.verdict(Falcon::Kind::Ok, head + ", the LIBOS page, recorded; halted");
}

/*
 * FWSEC-FRTS (@frts), or gen_bootloader before FWSEC ran, failed with
 * @err: in MAILBOX0 and SW_SCRATCH(0xe) bits 31:16, WPR2 untouched.
 */
void Gpu::fwsec_failed(Falcon &gsp, uint32_t err, bool frts)
{
	uint32_t scratch = stored(reg::PBUS_SW_SCRATCH_0E) & 0xffff;
	gsp.set_mailbox(0, err);
	regs_[reg::PBUS_SW_SCRATCH_0E] = scratch | err << reg::SW_SCRATCH_FRTS_ERR_SHIFT;
	gsp.verdict(Falcon::Kind::Fail,
		    std::string(frts ? "FWSEC-FRTS" : "gen_bootloader") + " failed: error " +
			    std::to_string(err) + " (" + frts_error_name(err) + "), MAILBOX0 " +
			    hex(err) + ", SW_SCRATCH(0xe) " + hex(regs_[reg::PBUS_SW_SCRATCH_0E]) +
			    ", WPR2 untouched, halted");
}

/*
 * The GSP falcon started. With the ROM's FWSEC loaded, the model does what
 * FWSEC-FRTS does: WPR2 over the FRTS region, MAILBOX0 0 and no error in
 * SW_SCRATCH(0xe); or, when a check fails, an error in both and WPR2
 * untouched. Anything else is an unknown image. The falcon halts either way.
 */
void Gpu::gsp_start(Falcon &gsp)
{
	if (!gsp.loaded()) {
		libos_handoff(gsp);
		return;
	}
	std::string head = "started at BOOTVEC " + hex(gsp.reg(Falcon::BOOTVEC)) + ": ";
	/* FWSEC is the ROM's as the PROM window holds it now (a test may have written it). */
	rom_layout_ = RomLayout();
	fwsec_ = FwsecImage();
	if (!prom_)
		fwsec_error_ = "no ROM";
	else
		fwsec_error_ = read_vbios(std::span<const uint8_t>(prom_, reg::PROM_SIZE),
					  rom_layout_, fwsec_);
	if (gsp.hal() == FalconHal::Tu102) {
		uint32_t err = FRTS_OK;
		if (gen_bootloader(gsp, head, err)) {
			if (err)
				fwsec_failed(gsp, err, false);
			return;
		}
	}
	fwsec_run(gsp, head);
}

/*
 * FWSEC in the GSP falcon's IMEM and DMEM: checked, and what FWSEC-FRTS or
 * FWSEC-SB does done.
 */
void Gpu::fwsec_run(Falcon &gsp, const std::string &head)
{
	if (!fwsec_error_.empty()) {
		gsp.verdict(Falcon::Kind::Fail, head + "unknown image (no FWSEC in the ROM: " +
							fwsec_error_ + "), halted");
		return;
	}
	/* FWSEC is recognised by its first IMEM or DMEM block as the ROM has them. */
	const FwsecImage &fw = fwsec_;
	auto holds = [](const std::vector<uint8_t> &mem, uint64_t at,
			const std::vector<uint8_t> &want) {
		uint64_t n = std::min<uint64_t>(want.size(), 256);
		return n && at + n <= mem.size() &&
		       std::equal(want.begin(), want.begin() + n, mem.begin() + at);
	};
	uint64_t iat = fw.version == 3 ? fw.imem_phys_base : 0;
	if (!holds(gsp.imem(), iat, fw.imem) && !holds(gsp.dmem(), fw.dmem_phys_base, fw.dmem)) {
		gsp.verdict(Falcon::Kind::Fail,
			    head + "unknown image (neither IMEM nor DMEM is the ROM's FWSEC), "
				   "halted");
		return;
	}
	gsp.verdict(Falcon::Kind::Note,
		    head + "FWSEC (" +
			    (fw.application == FwsecImage::APP_FWSEC_PROD ? "PROD" : "DBG") +
			    ", descriptor V" + std::to_string(fw.version) + ")");
	uint64_t start = 0, end = 0;
	bool sb = false;
	uint32_t err = fwsec_checks(gsp, start, end, sb);
	uint32_t scratch = stored(reg::PBUS_SW_SCRATCH_0E) & 0xffff;
	if (sb) {
		/* FWSEC-SB: nothing the model keeps changes; no engine fault acts. */
		gsp.set_mailbox(0, err);
		if (err)
			gsp.verdict(Falcon::Kind::Fail,
				    "FWSEC-SB failed: error " + std::to_string(err) + " (" +
					    frts_error_name(err) + "), MAILBOX0 " + hex(err) +
					    ", halted");
		else
			gsp.verdict(Falcon::Kind::Ok,
				    "FWSEC-SB: nothing changed, MAILBOX0 0, halted");
		return;
	}
	if (err) {
		fwsec_failed(gsp, err, true);
		return;
	}
	/* The test port's engine faults: FWSEC passed every check, and lies. */
	switch (engine_fault_) {
	case 4:
		gsp.set_mailbox(0, ENGINE_FAULT_MAILBOX0);
		regs_[reg::PBUS_SW_SCRATCH_0E] = scratch;
		gsp.verdict(Falcon::Kind::Note, "hostile fault 4: every check passed, MAILBOX0 " +
							hex(ENGINE_FAULT_MAILBOX0) +
							", WPR2 not created, halted");
		return;
	case 5:
		gsp.set_mailbox(0, 0);
		regs_[reg::PBUS_SW_SCRATCH_0E] =
			scratch | ENGINE_FAULT_FRTS_ERR << reg::SW_SCRATCH_FRTS_ERR_SHIFT;
		gsp.verdict(Falcon::Kind::Note, "hostile fault 5: every check passed, FRTS error " +
							hex(ENGINE_FAULT_FRTS_ERR) +
							" in SW_SCRATCH(0xe) " +
							hex(regs_[reg::PBUS_SW_SCRATCH_0E]) +
							", MAILBOX0 0, WPR2 not created, halted");
		return;
	case 6:
		gsp.set_mailbox(0, 0);
		regs_[reg::PBUS_SW_SCRATCH_0E] = scratch;
		gsp.verdict(Falcon::Kind::Note,
			    "hostile fault 6: every check passed, MAILBOX0 0, no FRTS error, "
			    "WPR2 not created, halted");
		return;
	case 7:
		/* WPR2 1 MiB below the FRTS region, to its end; below 0: at 0. */
		start = start >= (1u << 20) ? start - (1u << 20) : 0;
		break;
	default:
		break;
	}
	uint32_t lo = static_cast<uint32_t>(start >> 12) << reg::WPR2_ADDR_VAL_SHIFT;
	uint32_t hi = static_cast<uint32_t>(end >> 12) << reg::WPR2_ADDR_VAL_SHIFT;
	if (engine_fault_ == 7)
		gsp.verdict(Falcon::Kind::Note,
			    std::string("hostile fault 7: every check passed, WPR2 set 1 MiB ") +
				    "below the FRTS region, at " + hex(start));
	regs_[reg::PFB_PRI_MMU_WPR2_ADDR_LO] = lo;
	regs_[reg::PFB_PRI_MMU_WPR2_ADDR_HI] = hi;
	regs_[reg::PBUS_SW_SCRATCH_0E] = scratch;
	gsp.set_mailbox(0, 0);
	gsp.verdict(Falcon::Kind::Ok, "FWSEC-FRTS: WPR2 " + hex(start) + ".." + hex(end) +
					      " (WPR2_ADDR_LO " + hex(lo) + ", WPR2_ADDR_HI " +
					      hex(hi) + "), MAILBOX0 0, halted");
}

/*
 * The test port's PORT_ENGINE_FAULT: one fault the GPU plays until
 * power-on (Documentation/gpu-model.rst, "The test port"). Faults 1 to 3
 * are the GSP falcon's, 4 to 7 FWSEC's (gsp_start), 8 to 10 Booter's
 * (booter.cpp), 11 to 20 GSP-RM's (gsprm.cpp):
 *
 * 11 the first message GSP-RM posts has a bad checksum
 * 12 the first message's rpc.length is 0x7ffffff0, past the ring
 * 13 the first message's elemCount is 0x10000
 * 14 an event the driver does not know (RG_LINE_INTR, 4103) first, then the usual flow
 * 15 after the first message gspq.tx.writePtr reads its slot + 0x3f
 * 16 the static configuration's gpuNameString has no NUL in its 64 bytes
 * 17 GSP-RM reads its commands and answers none
 * 18 2000 events before GSP_INIT_DONE, posted as the status queue has room
 * 19 a stale SET_REGISTRY reply before the GET_GSP_STATIC_INFO reply
 * 20 UNLOADING_GUEST_DRIVER is never answered, MAILBOX0 bit 31 never set
 *
 * and 21 to 26 the FSP's and the FMC's (fsp.cpp), on Hopper and later:
 *
 * 21 NV_THERM_I2CS_SCRATCH never reads 0xff: the FSP's secure boot never completes
 * 22 the FSP reads and checks the COT and never answers
 * 23 every check passes and the FSP answers with errorCode 0xbad23, no GSP boot
 * 24 the GSP's lockdown (HWCFG2 bit 13) is never released
 * 25 the FMC leaves 0xbad25 in the GSP's MAILBOX0, the lockdown stays
 * 26 the lockdown released, MAILBOX0 0, the RISC-V core never active
 */
void Gpu::set_engine_fault(uint32_t fault)
{
	static const char *const what[] = {
		"none",
		"the GSP falcon never halts after a start",
		"the GSP falcon's memory scrubbing never ends after a reset",
		"the GSP falcon's DMA transfers never go idle",
		"FWSEC leaves MAILBOX0 nonzero, no WPR2",
		"FWSEC leaves an FRTS error code in SW_SCRATCH(0xe), no WPR2",
		"FWSEC leaves WPR2 unset",
		"FWSEC sets WPR2 1 MiB below the FRTS region",
		"Booter-load passes its checks but the GSP's RISC-V core never becomes active",
		"booter_load halts with MAILBOX0 0xbad9",
		"Booter-unload leaves WPR2 set",
		"GSP-RM's first message has a bad checksum",
		"GSP-RM's first message has rpc.length 0x7ffffff0",
		"GSP-RM's first message has elemCount 0x10000",
		"GSP-RM posts an unknown event (RG_LINE_INTR) first",
		"GSP-RM's write pointer is past the ring after its first message",
		"GSP-RM's gpuNameString is not NUL-terminated",
		"GSP-RM answers nothing",
		"GSP-RM floods the status queue with events before GSP_INIT_DONE",
		"GSP-RM posts a stale SET_REGISTRY reply before the static configuration",
		"GSP-RM never answers UNLOADING_GUEST_DRIVER",
		"the FSP's secure boot never completes (I2CS_SCRATCH never 0xff)",
		"the FSP never answers a message",
		"the FSP answers the COT with an error code",
		"the GSP's lockdown is never released",
		"the FMC reports an error in the GSP's MAILBOX0",
		"the GSP's RISC-V core never becomes active after the FMC's release",
	};
	static_assert(sizeof(what) / sizeof(what[0]) == reg::PORT_ENGINE_FAULT_MAX + 1);
	engine_fault_ = fault <= reg::PORT_ENGINE_FAULT_MAX ? fault : 0;
	if (!falcons_.empty())
		falcons_.front().set_fault(engine_fault_);
	if (fault)
		trace("engine fault %u: %s\n", engine_fault_, what[engine_fault_]);
}

std::vector<std::string> Gpu::verdicts() const
{
	std::vector<Falcon::Verdict> all;
	for (const Falcon &f : falcons_)
		all.insert(all.end(), f.verdicts().begin(), f.verdicts().end());
	all.insert(all.end(), gsprm_.verdicts().begin(), gsprm_.verdicts().end());
	std::sort(all.begin(), all.end(),
		  [](const Falcon::Verdict &a, const Falcon::Verdict &b) { return a.seq < b.seq; });
	std::vector<std::string> lines;
	for (Falcon::Verdict &v : all)
		lines.push_back(std::move(v.line));
	return lines;
}

void Gpu::power_cycle()
{
	trace("power cycle\n");
	build_config();
	power_on();
	blocks_.clear();
	reads_ = writes_ = port_ = readonly_writes_ = 0;
	power_on_reads_ = power_on_writes_ = 0;
	dma_reads_ = dma_read_bytes_ = dma_writes_ = dma_write_bytes_ = dma_refused_ = 0;
}

RegionDesc Gpu::region(uint32_t index) const
{
	using namespace vfio_user;
	RegionDesc d;
	const uint32_t rw = REGION_FLAG_READ | REGION_FLAG_WRITE;
	switch (index) {
	case 0:
		d.size = BAR0_SIZE;
		d.flags = rw;
		/* The PROM window is memory unless the PROM may lie. */
		if (!opt_.hostile && bar0_fd_ >= 0) {
			d.flags |= REGION_FLAG_MMAP | REGION_FLAG_CAPS;
			d.fd = bar0_fd_;
			d.sparse.push_back({ reg::PROM_DATA, reg::PROM_SIZE });
		}
		break;
	case 1:
		d.size = opt_.bar1;
		d.flags = rw | REGION_FLAG_MMAP;
		d.fd = vram_fd_;
		break;
	case 3:
		d.size = BAR3_SIZE;
		d.flags = rw | REGION_FLAG_MMAP;
		d.fd = bar3_fd_;
		break;
	case CONFIG:
		d.size = sizeof(config_);
		d.flags = rw;
		break;
	default: /* BAR2, BAR4 (upper halves), BAR5, ROM, VGA: none */
		break;
	}
	return d;
}

void Gpu::trace(const char *fmt, ...)
{
	if (!trace_)
		return;
	va_list ap;
	va_start(ap, fmt);
	std::vfprintf(trace_, fmt, ap);
	va_end(ap);
}

void Gpu::count(uint32_t offset, bool write)
{
	const char *block = reg::block_name(offset);
	Counts &c = blocks_[block];
	(write ? c.writes : c.reads)++;
	if (offset >= reg::PORT_BASE) {
		port_++;
		return;
	}
	(write ? writes_ : reads_)++;
}

uint32_t Gpu::stored(uint32_t offset) const
{
	if (offset >= reg::PROM_DATA && offset < reg::PROM_DATA + reg::PROM_SIZE) {
		uint32_t v = 0;
		if (prom_)
			std::memcpy(&v, prom_ + (offset - reg::PROM_DATA), 4);
		return v;
	}
	auto it = regs_.find(offset);
	return it == regs_.end() ? 0 : it->second;
}

void Gpu::store(uint32_t offset, uint32_t value)
{
	if (offset >= reg::PROM_DATA && offset < reg::PROM_DATA + reg::PROM_SIZE) {
		if (prom_)
			std::memcpy(prom_ + (offset - reg::PROM_DATA), &value, 4);
		return;
	}
	regs_[offset] = value;
}

uint32_t Gpu::bar0_read(uint32_t offset)
{
	count(offset, false);
	if (offset >= reg::PORT_BASE)
		return port_read(offset);
	uint32_t truth = 0;
	if (!fsp_read(offset, truth)) {
		Falcon *falcon = nullptr;
		for (Falcon &f : falcons_)
			if (f.owns(offset) && answers(f))
				falcon = &f;
		truth = falcon ? falcon->read(offset) : stored(offset);
		if (falcon == &falcons_.front() && fmc_ != Fmc::Idle)
			fmc_after_read(offset);
	}
	bool prom = offset >= reg::PROM_DATA && offset < reg::PROM_DATA + reg::PROM_SIZE;
	uint32_t value = hostile_.lie(offset, truth, prom);
	if (value != truth)
		trace("bar0 r 0x%06x 0x%08x %s lie (true 0x%08x)\n", offset, value,
		      reg::block_name(offset), truth);
	else
		trace("bar0 r 0x%06x 0x%08x %s\n", offset, value, reg::block_name(offset));
	gsprm_.bar0_read(offset);
	return value;
}

void Gpu::bar0_write(uint32_t offset, uint32_t value)
{
	count(offset, true);
	if (offset >= reg::PORT_BASE) {
		port_write(offset, value);
		return;
	}
	bool prom = offset >= reg::PROM_DATA && offset < reg::PROM_DATA + reg::PROM_SIZE;
	auto ro = read_only_.find(offset);
	if (prom || (ro != read_only_.end() && ro->second)) {
		readonly_writes_++;
		trace("bar0 w 0x%06x 0x%08x %s ignored (read-only)\n", offset, value,
		      reg::block_name(offset));
		return;
	}
	trace("bar0 w 0x%06x 0x%08x %s\n", offset, value, reg::block_name(offset));
	if (fsp_write(offset, value))
		return;
	for (Falcon &f : falcons_) {
		if (f.owns(offset) && answers(f)) {
			f.write(offset, value);
			if (&f == &falcons_[0] && offset == GSP_FALCON_OS && booter_modelled())
				check_os_register(f, value);
			gsprm_.bar0_write(offset, value);
			return;
		}
	}
	regs_[offset] = value;
	gsprm_.bar0_write(offset, value);
}

uint32_t Gpu::port_read(uint32_t offset)
{
	uint32_t value = 0;
	switch (offset) {
	case reg::PORT_ID:
		value = reg::PORT_ID_VALUE;
		break;
	case reg::PORT_ADDR:
		value = port_addr_;
		break;
	case reg::PORT_DATA:
		value = stored(port_addr_ & ~3u);
		port_addr_ += 4;
		break;
	case reg::PORT_HOSTILE:
		value = static_cast<uint32_t>(hostile_.seed());
		break;
	case reg::PORT_DMA_SRC_LO:
		value = static_cast<uint32_t>(dma_src_);
		break;
	case reg::PORT_DMA_SRC_HI:
		value = static_cast<uint32_t>(dma_src_ >> 32);
		break;
	case reg::PORT_DMA_DST_LO:
		value = static_cast<uint32_t>(dma_dst_);
		break;
	case reg::PORT_DMA_DST_HI:
		value = static_cast<uint32_t>(dma_dst_ >> 32);
		break;
	case reg::PORT_DMA_LEN:
		value = dma_len_;
		break;
	case reg::PORT_DMA_GO:
		value = dma_status_;
		break;
	case reg::PORT_ENGINE_FAULT:
		value = engine_fault_;
		break;
	default:
		break;
	}
	trace("port r 0x%06x 0x%08x\n", offset, value);
	return value;
}

void Gpu::port_write(uint32_t offset, uint32_t value)
{
	trace("port w 0x%06x 0x%08x\n", offset, value);
	auto set_lo = [](uint64_t &v, uint32_t lo) { v = (v & ~0xffffffffull) | lo; };
	auto set_hi = [](uint64_t &v, uint32_t hi) {
		v = (v & 0xffffffffull) | static_cast<uint64_t>(hi) << 32;
	};
	switch (offset) {
	case reg::PORT_ADDR:
		port_addr_ = value;
		break;
	case reg::PORT_DATA: {
		uint32_t at = port_addr_ & ~3u;
		if (at < reg::PORT_BASE)
			store(at, value);
		port_addr_ += 4;
		if (at == reg::PMC_BOOT_0 || at == reg::PMC_BOOT_42)
			identify();
		break;
	}
	case reg::PORT_CTRL:
		if (value == reg::PORT_CTRL_RESET)
			power_on();
		else if (value == reg::PORT_CTRL_PROM_CLEAR)
			load_prom(false);
		else if (value == reg::PORT_CTRL_PROM_RESTORE)
			load_prom(true);
		else if (value == reg::PORT_CTRL_DIE)
			dying_ = true;
		break;
	case reg::PORT_HOSTILE:
		hostile_.reseed(value);
		trace("hostile %s\n", hostile_.describe().c_str());
		break;
	case reg::PORT_DMA_SRC_LO:
		set_lo(dma_src_, value);
		break;
	case reg::PORT_DMA_SRC_HI:
		set_hi(dma_src_, value);
		break;
	case reg::PORT_DMA_DST_LO:
		set_lo(dma_dst_, value);
		break;
	case reg::PORT_DMA_DST_HI:
		set_hi(dma_dst_, value);
		break;
	case reg::PORT_DMA_LEN:
		dma_len_ = value;
		break;
	case reg::PORT_DMA_GO:
		dma_status_ = static_cast<uint32_t>(dma_copy());
		break;
	case reg::PORT_ENGINE_FAULT:
		set_engine_fault(value);
		break;
	default:
		break;
	}
}

/*
 * The port's copy engine: the guest's memory read and written through
 * DMA, as a bus master. A device whose bus mastering is off makes no
 * access at all.
 */
int Gpu::dma_copy()
{
	if (!(config_[0x04] & 0x04)) {
		dma_refused_++;
		trace("dma refused: bus mastering is off\n");
		return EPERM;
	}
	if (!dma_len_ || dma_len_ > reg::PORT_DMA_MAX)
		return EINVAL;
	if (!dma_)
		return EFAULT;
	std::vector<uint8_t> buf(dma_len_);
	int err = dma_->read(dma_src_, buf.data(), buf.size());
	trace("dma r 0x%016llx 0x%x%s\n", static_cast<unsigned long long>(dma_src_), dma_len_,
	      err ? " fault" : "");
	if (err)
		return err;
	dma_reads_++;
	dma_read_bytes_ += dma_len_;
	err = dma_->write(dma_dst_, buf.data(), buf.size());
	trace("dma w 0x%016llx 0x%x%s\n", static_cast<unsigned long long>(dma_dst_), dma_len_,
	      err ? " fault" : "");
	if (err)
		return err;
	dma_writes_++;
	dma_write_bytes_ += dma_len_;
	return 0;
}

int Gpu::config_read(uint64_t offset, uint8_t *buf, uint32_t count) const
{
	if (offset > sizeof(config_) || count > sizeof(config_) - offset)
		return EINVAL;
	std::memcpy(buf, config_ + offset, count);
	return 0;
}

int Gpu::config_write(uint64_t offset, const uint8_t *buf, uint32_t count)
{
	if (offset > sizeof(config_) || count > sizeof(config_) - offset)
		return EINVAL;
	for (uint32_t i = 0; i < count; i++) {
		uint8_t m = config_wmask_[offset + i];
		config_[offset + i] = (config_[offset + i] & ~m) | (buf[i] & m);
	}
	return 0;
}

/*
 * BAR1 and BAR3 are memory QEMU maps; should it access them through
 * messages instead (a failed mmap), they read and write the same memfds.
 */
int Gpu::memory_access(uint32_t region, uint64_t offset, uint8_t *buf, uint32_t count, bool write)
{
	uint64_t size = region == 1 ? opt_.bar1 : BAR3_SIZE;
	int fd = region == 1 ? vram_fd_ : bar3_fd_;
	if (offset >= size || count > size - offset)
		return EINVAL;
	ssize_t n = write ? pwrite(fd, buf, count, static_cast<off_t>(offset))
			  : pread(fd, buf, count, static_cast<off_t>(offset));
	return n == static_cast<ssize_t>(count) ? 0 : EIO;
}

int Gpu::read(uint32_t region, uint64_t offset, uint8_t *buf, uint32_t count)
{
	if (region == vfio_user::CONFIG)
		return config_read(offset, buf, count);
	if (region == 1 || region == 3)
		return memory_access(region, offset, buf, count, false);
	if (region != vfio_user::BAR0)
		return EINVAL;
	if (offset >= BAR0_SIZE || count > BAR0_SIZE - offset)
		return EINVAL;
	/* Registers are 32-bit: a narrower or wider access reads whole words. */
	uint64_t first = offset & ~3ull, last = (offset + count + 3) & ~3ull;
	for (uint64_t w = first; w < last; w += 4) {
		uint32_t v = bar0_read(static_cast<uint32_t>(w));
		for (unsigned b = 0; b < 4; b++) {
			uint64_t at = w + b;
			if (at >= offset && at < offset + count)
				buf[at - offset] = static_cast<uint8_t>(v >> (8 * b));
		}
	}
	return 0;
}

int Gpu::write(uint32_t region, uint64_t offset, const uint8_t *buf, uint32_t count)
{
	if (region == vfio_user::CONFIG)
		return config_write(offset, buf, count);
	if (region == 1 || region == 3)
		return memory_access(region, offset, const_cast<uint8_t *>(buf), count, true);
	if (region != vfio_user::BAR0)
		return EINVAL;
	if (offset >= BAR0_SIZE || count > BAR0_SIZE - offset)
		return EINVAL;
	uint64_t first = offset & ~3ull, last = (offset + count + 3) & ~3ull;
	for (uint64_t w = first; w < last; w += 4) {
		/* A partial word keeps the stored bytes it does not cover. */
		uint32_t v = offset <= w && w + 4 <= offset + count ? 0 : stored(w);
		for (unsigned b = 0; b < 4; b++) {
			uint64_t at = w + b;
			if (at >= offset && at < offset + count) {
				v &= ~(0xffu << (8 * b));
				v |= static_cast<uint32_t>(buf[at - offset]) << (8 * b);
			}
		}
		bar0_write(static_cast<uint32_t>(w), v);
	}
	return 0;
}

std::string Gpu::summary() const
{
	uint64_t dma_reads = dma_reads_, dma_read_bytes = dma_read_bytes_;
	for (const Falcon &f : falcons_) {
		dma_reads += f.dma_reads();
		dma_read_bytes += f.dma_read_bytes();
	}
	char head[512];
	std::snprintf(head, sizeof(head),
		      "gpu-model %s: summary bar0_reads=%llu bar0_writes=%llu readonly_writes=%llu "
		      "port=%llu dma_reads=%llu dma_read_bytes=%llu dma_writes=%llu "
		      "dma_write_bytes=%llu dma_refused=%llu lies=%llu",
		      opt_.name.c_str(), static_cast<unsigned long long>(reads_),
		      static_cast<unsigned long long>(writes_),
		      static_cast<unsigned long long>(readonly_writes_),
		      static_cast<unsigned long long>(port_),
		      static_cast<unsigned long long>(dma_reads),
		      static_cast<unsigned long long>(dma_read_bytes),
		      static_cast<unsigned long long>(dma_writes_),
		      static_cast<unsigned long long>(dma_write_bytes_),
		      static_cast<unsigned long long>(dma_refused_),
		      static_cast<unsigned long long>(hostile_.lies()));
	std::string s = head;
	for (const auto &[block, c] : blocks_)
		if (block != "PORT")
			s += " " + block + "=" + std::to_string(c.reads) + "/" +
			     std::to_string(c.writes);
	return s;
}

} // namespace gpu_model
