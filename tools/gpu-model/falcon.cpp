// SPDX-License-Identifier: GPL-2.0
#include "text.h"
#include "falcon.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace gpu_model {

namespace {

/* PFALCON registers (dev_falcon_v4.h, dev_fbif_v4.h), offsets from the base. */
constexpr uint32_t IRQSCLR = 0x004;
constexpr uint32_t MAILBOX0 = 0x040;
constexpr uint32_t MAILBOX1 = 0x044;
constexpr uint32_t HWCFG2 = 0x0f4;
constexpr uint32_t CPUCTL = 0x100;
constexpr uint32_t DMACTL = 0x10c;
constexpr uint32_t DMATRFBASE = 0x110;
constexpr uint32_t DMATRFMOFFS = 0x114;
constexpr uint32_t DMATRFCMD = 0x118;
constexpr uint32_t DMATRFFBOFFS = 0x11c;
constexpr uint32_t DMATRFBASE1 = 0x128;
constexpr uint32_t HWCFG1 = 0x12c;
constexpr uint32_t CPUCTL_ALIAS = 0x130;
constexpr uint32_t IMEMC = 0x180;
constexpr uint32_t IMEMD = 0x184;
constexpr uint32_t IMEMT = 0x188;
constexpr uint32_t DMEMC = 0x1c0;
constexpr uint32_t DMEMD = 0x1c4;
constexpr uint32_t ENGINE = 0x3c0;

/* PFALCON2 registers (dev_riscv_pri.h), offsets from the second base. */
constexpr uint32_t RISCV_CORE_SWITCH_RISCV_STATUS = 0x240;
constexpr uint32_t RISCV_CPUCTL = 0x388;
constexpr uint32_t RISCV_BCR_CTRL = 0x668;

/* Fields. */
constexpr uint32_t HWCFG2_RISCV = 1u << 10;
constexpr uint32_t HWCFG2_MEM_SCRUBBING = 1u << 12;
constexpr uint32_t HWCFG2_RESET_READY = 1u << 31;
constexpr uint32_t CPUCTL_STARTCPU = 1u << 1;
constexpr uint32_t CPUCTL_HALTED = 1u << 4;
constexpr uint32_t DMACTL_SCRUBBING = 3u << 1; /* DMEM and IMEM */
constexpr uint32_t DMATRFCMD_IDLE = 1u << 1;
constexpr uint32_t DMATRFCMD_IMEM = 1u << 4;
constexpr uint32_t DMATRFCMD_WRITE = 1u << 5;
constexpr uint32_t MEMC_OFFS = 0xfffc;
constexpr uint32_t MEMC_AINCW = 1u << 24;
constexpr uint32_t MEMC_AINCR = 1u << 25;
constexpr uint32_t ENGINE_RESET = 1u << 0;
constexpr uint32_t FBIF_CTL_ALLOW_PHYS_NO_CTX = 1u << 7;
constexpr uint32_t TRANSCFG_MEM_TYPE_PHYSICAL = 1u << 2;
constexpr uint32_t RISCV_CPUCTL_ACTIVE_STAT = 1u << 7;
constexpr uint32_t RISCV_CPUCTL_HALTED = 1u << 4;
constexpr uint32_t CORE_SWITCH_ACTIVE_STAT = 1u << 0;
constexpr uint32_t BCR_CTRL_VALID = 1u << 0;
constexpr uint32_t BCR_CTRL_CORE_SELECT_RISCV = 1u << 4;
constexpr uint32_t DMA_CHUNK = 256;

} // namespace

Falcon::Falcon(const char *name, uint32_t base, uint32_t base2, FalconHal hal)
	: name_(name), base_(base), base2_(base2), hal_(hal), imem_(IMEM_SIZE), dmem_(DMEM_SIZE),
	  imem_tags_(IMEM_SIZE / 256), regs_(0x1000 / 4), regs2_(0x1000 / 4)
{
	power_on();
}

void Falcon::power_on()
{
	std::fill(regs_.begin(), regs_.end(), 0);
	std::fill(regs2_.begin(), regs2_.end(), 0);
	std::fill(imem_.begin(), imem_.end(), 0);
	std::fill(dmem_.begin(), dmem_.end(), 0);
	std::fill(imem_tags_.begin(), imem_tags_.end(), 0);
	in_reset_ = false;
	priv_masked_ = br_priv_lockdown_ = false;
	scrub_left_ = 0;
	starts_ = 0;
	loaded_ = false;
	dma_reads_ = 0;
	/* Core revision and security model (HWCFG1): a heavy-secure falcon. */
	regs_[HWCFG1 / 4] = (hal_ == FalconHal::Ga102 ? 7 : 5) | 3u << 4;
	regs_[CPUCTL / 4] = CPUCTL_HALTED;
	regs_[DMATRFCMD / 4] = DMATRFCMD_IDLE;
	if (hal_ == FalconHal::Ga102) {
		regs2_[RISCV_BCR_CTRL / 4] = BCR_CTRL_VALID | BCR_CTRL_CORE_SELECT_RISCV;
		regs2_[RISCV_CPUCTL / 4] = RISCV_CPUCTL_HALTED; /* HALTED_INIT */
	}
}

const char *Falcon::kind_name(Kind kind)
{
	switch (kind) {
	case Kind::Ok:
		return "ok";
	case Kind::Note:
		return "note";
	default:
		return "fail";
	}
}

void Falcon::verdict(Kind kind, const std::string &what)
{
	std::string line = std::string(kind_name(kind)) + " " + name_ + ": " + what;
	if (trace_)
		trace_("verdict " + line + "\n");
	verdicts_.push_back({ next_seq(), std::move(line) });
}

uint64_t Falcon::next_seq()
{
	static uint64_t seq;
	return seq++;
}

bool Falcon::riscv_active() const
{
	if (hal_ == FalconHal::Tu102)
		return regs2_[RISCV_CORE_SWITCH_RISCV_STATUS / 4] & CORE_SWITCH_ACTIVE_STAT;
	return regs2_[RISCV_CPUCTL / 4] & RISCV_CPUCTL_ACTIVE_STAT;
}

void Falcon::set_riscv_active(bool active)
{
	bool tu102 = hal_ == FalconHal::Tu102;
	uint32_t &v = regs2_[(tu102 ? RISCV_CORE_SWITCH_RISCV_STATUS : RISCV_CPUCTL) / 4];
	uint32_t bit = tu102 ? CORE_SWITCH_ACTIVE_STAT : RISCV_CPUCTL_ACTIVE_STAT;
	v = active ? v | bit : v & ~bit;
	if (active && !tu102)
		v &= ~RISCV_CPUCTL_HALTED; /* a running core is not halted */
}

void Falcon::set_riscv_halted(bool halted)
{
	uint32_t &v = regs2_[RISCV_CPUCTL / 4];
	v = halted ? v | RISCV_CPUCTL_HALTED : v & ~RISCV_CPUCTL_HALTED;
}

const char *Falcon::riscv_active_register() const
{
	return hal_ == FalconHal::Tu102 ? "RISCV_CORE_SWITCH_RISCV_STATUS bit 0"
					: "RISCV_CPUCTL bit 7";
}

int Falcon::dma_copy_in(bool imem, uint32_t offset, uint64_t src, uint32_t len)
{
	std::vector<uint8_t> &mem = imem ? imem_ : dmem_;
	if (trace_)
		trace_(std::string("falcon ") + name_ + " " + (imem ? "IMEM" : "DMEM") +
		       " DMA to " + hex(offset) + " from " + hex(src) + " (" + hex(len) +
		       " bytes, the firmware's own)\n");
	if (bus_master_ && !bus_master_())
		return EPERM;
	if (offset > mem.size() || len > mem.size() - offset)
		return ERANGE;
	int err = dma_ ? dma_->read(src, mem.data() + offset, len) : EFAULT;
	if (err)
		return err;
	dma_reads_ += (len + DMA_CHUNK - 1) / DMA_CHUNK;
	if (imem)
		for (uint32_t b = offset / 256; b < (offset + len + 255) / 256; b++)
			imem_tags_[b] = static_cast<uint16_t>(b);
	return 0;
}

uint32_t Falcon::read(uint32_t offset)
{
	if (priv_masked_)
		return PRIV_MASKED;
	if (offset >= base2_ && offset < base2_ + 0x1000)
		return regs2_[(offset - base2_) / 4];
	uint32_t off = offset - base_;
	switch (off) {
	case HWCFG2: {
		uint32_t v = HWCFG2_RISCV | (hal_ == FalconHal::Ga102 ? HWCFG2_RESET_READY : 0);
		if (br_priv_lockdown_)
			v |= HWCFG2_RISCV_BR_PRIV_LOCKDOWN;
		if (hal_ == FalconHal::Ga102 && scrub_left_) {
			if (fault_ != ENGINE_FAULT_SCRUB)
				scrub_left_--;
			v |= HWCFG2_MEM_SCRUBBING;
		}
		return v;
	}
	case DMACTL:
		if (hal_ == FalconHal::Tu102 && scrub_left_) {
			if (fault_ != ENGINE_FAULT_SCRUB)
				scrub_left_--;
			return reg(DMACTL) | DMACTL_SCRUBBING;
		}
		return reg(DMACTL);
	case IMEMD:
		return pio_read(true);
	case DMEMD:
		return pio_read(false);
	default:
		return reg(off & ~3u);
	}
}

void Falcon::write(uint32_t offset, uint32_t value)
{
	if (priv_masked_)
		return; /* the engine's registers are not the CPU's now */
	if (offset >= base2_ && offset < base2_ + 0x1000) {
		uint32_t off = offset - base2_;
		if (off == RISCV_BCR_CTRL && hal_ == FalconHal::Ga102)
			value = (value & BCR_CTRL_CORE_SELECT_RISCV) | BCR_CTRL_VALID;
		else if (off == RISCV_CPUCTL || off == RISCV_CORE_SWITCH_RISCV_STATUS)
			return; /* status: the RISC-V core is not modelled yet */
		regs2_[off / 4] = value;
		return;
	}
	uint32_t off = offset - base_;
	switch (off) {
	case ENGINE:
		regs_[ENGINE / 4] = value;
		engine_reset(value & ENGINE_RESET);
		return;
	case CPUCTL:
	case CPUCTL_ALIAS:
		if (value & CPUCTL_STARTCPU)
			start();
		return;
	case DMATRFCMD:
		dma_transfer(value);
		return;
	case IMEMD:
		pio_write(true, value);
		return;
	case DMEMD:
		pio_write(false, value);
		return;
	case IRQSCLR:
	case HWCFG1:
	case HWCFG2:
		return; /* read-only, or write-one-to-clear of nothing pending */
	default:
		regs_[off / 4] = value;
		return;
	}
}

/*
 * Leaving reset scrubs both memories: the driver must wait for the scrub
 * status to clear (HWCFG2 on GA102 and later, DMACTL before) before it
 * loads anything.
 */
void Falcon::engine_reset(bool asserted)
{
	if (asserted) {
		in_reset_ = true;
		return;
	}
	if (!in_reset_)
		return;
	in_reset_ = false;
	std::fill(imem_.begin(), imem_.end(), 0);
	std::fill(dmem_.begin(), dmem_.end(), 0);
	std::fill(imem_tags_.begin(), imem_tags_.end(), 0);
	regs_[CPUCTL / 4] = CPUCTL_HALTED;
	regs_[MAILBOX0 / 4] = regs_[MAILBOX1 / 4] = 0;
	regs_[DMATRFCMD / 4] = DMATRFCMD_IDLE;
	regs2_[RISCV_CPUCTL / 4] &= ~RISCV_CPUCTL_ACTIVE_STAT;
	regs2_[RISCV_CORE_SWITCH_RISCV_STATUS / 4] &= ~CORE_SWITCH_ACTIVE_STAT;
	loaded_ = false;
	if (hal_ == FalconHal::Ga102) {
		regs2_[RISCV_BCR_CTRL / 4] = BCR_CTRL_VALID | BCR_CTRL_CORE_SELECT_RISCV;
		regs2_[RISCV_CPUCTL / 4] |= RISCV_CPUCTL_HALTED;
	}
	scrub_left_ = SCRUB_READS;
	if (fault_ == ENGINE_FAULT_SCRUB)
		verdict(Kind::Note,
			"hostile fault 2: memory scrubbing never ends after this reset");
}

/*
 * One DMA transfer of 256 bytes from system memory into IMEM or DMEM:
 * source = (DMATRFBASE << 8 | DMATRFBASE1 << 40) + DMATRFFBOFFS, the falcon
 * offset DMATRFMOFFS, through the DMA context's FBIF_TRANSCFG. An IMEM
 * block takes the source offset's block number as its tag.
 */
void Falcon::dma_transfer(uint32_t cmd)
{
	regs_[DMATRFCMD / 4] = cmd | DMATRFCMD_IDLE;
	bool imem = cmd & DMATRFCMD_IMEM;
	uint32_t size = (cmd >> 8) & 7, ctx = (cmd >> 12) & 7;
	uint64_t base = static_cast<uint64_t>(reg(DMATRFBASE)) << 8 |
			static_cast<uint64_t>(reg(DMATRFBASE1) & 0x1ff) << 40;
	uint32_t moffs = reg(DMATRFMOFFS) & 0xffffff, fboffs = reg(DMATRFFBOFFS);
	uint64_t src = base + fboffs;
	std::vector<uint8_t> &mem = imem ? imem_ : dmem_;
	std::string what =
		std::string(imem ? "IMEM" : "DMEM") + " DMA to " + hex(moffs) + " from " + hex(src);
	if (trace_)
		trace_(std::string("falcon ") + name_ + " " + what + "\n");
	if (in_reset_ || scrub_left_) {
		verdict(Kind::Fail, what + ": the falcon is in reset or still scrubbing");
		return;
	}
	if (bus_master_ && !bus_master_()) {
		verdict(Kind::Fail,
			what + ": bus mastering is off (PCI COMMAND bit 2), nothing read");
		return;
	}
	if (fault_ == ENGINE_FAULT_DMA) {
		regs_[DMATRFCMD / 4] = cmd & ~DMATRFCMD_IDLE;
		verdict(Kind::Note, "hostile fault 3: " + what + " never goes idle");
		return;
	}
	if (cmd & DMATRFCMD_WRITE) {
		verdict(Kind::Fail, what + ": a write to system memory, which no load makes");
		return;
	}
	if (size != 6) {
		verdict(Kind::Fail, what + ": transfer size code " + std::to_string(size) +
					    ", not 6 (256 bytes)");
		return;
	}
	uint32_t transcfg = reg(FBIF_TRANSCFG + 4 * ctx);
	if ((transcfg & 3) == 0 || !(transcfg & TRANSCFG_MEM_TYPE_PHYSICAL) ||
	    !(reg(FBIF_CTL) & FBIF_CTL_ALLOW_PHYS_NO_CTX)) {
		verdict(Kind::Fail, what + ": DMA context " + std::to_string(ctx) +
					    " is not physical system memory (FBIF_TRANSCFG " +
					    hex(transcfg) + ", FBIF_CTL " + hex(reg(FBIF_CTL)) +
					    ")");
		return;
	}
	if (moffs % DMA_CHUNK || moffs + DMA_CHUNK > mem.size()) {
		verdict(Kind::Fail, what + ": outside the memory or not 256-byte aligned");
		return;
	}
	int err = dma_ ? dma_->read(src, mem.data() + moffs, DMA_CHUNK) : EFAULT;
	if (err) {
		verdict(Kind::Fail,
			what + ": guest memory not reachable (" + std::strerror(err) + ")");
		return;
	}
	dma_reads_++;
	loaded_ = true;
	if (imem)
		imem_tags_[moffs / 256] = static_cast<uint16_t>(fboffs / 256);
}

void Falcon::pio_write(bool imem, uint32_t value)
{
	uint32_t creg = imem ? IMEMC : DMEMC;
	uint32_t ctl = reg(creg);
	uint32_t off = ctl & MEMC_OFFS;
	std::vector<uint8_t> &mem = imem ? imem_ : dmem_;
	if (in_reset_ || scrub_left_) {
		verdict(Kind::Fail,
			std::string(imem ? "IMEM" : "DMEM") +
				" PIO write: the falcon is in reset or still scrubbing");
		return;
	}
	if (off + 4 > mem.size()) {
		verdict(Kind::Fail, std::string(imem ? "IMEM" : "DMEM") + " PIO write at " +
					    hex(off) + ": outside the memory");
		return;
	}
	std::memcpy(mem.data() + off, &value, 4);
	loaded_ = true;
	/* A block's tag is IMEMT's value when its first word is written. */
	if (imem && off % 256 == 0)
		imem_tags_[off / 256] = static_cast<uint16_t>(reg(IMEMT));
	if (ctl & MEMC_AINCW)
		regs_[creg / 4] = (ctl & ~MEMC_OFFS) | ((off + 4) & MEMC_OFFS);
}

uint32_t Falcon::pio_read(bool imem)
{
	uint32_t creg = imem ? IMEMC : DMEMC;
	uint32_t ctl = reg(creg);
	uint32_t off = ctl & MEMC_OFFS;
	const std::vector<uint8_t> &mem = imem ? imem_ : dmem_;
	uint32_t v = 0;
	if (off + 4 <= mem.size())
		std::memcpy(&v, mem.data() + off, 4);
	if (ctl & MEMC_AINCR)
		regs_[creg / 4] = (ctl & ~MEMC_OFFS) | ((off + 4) & MEMC_OFFS);
	return v;
}

/*
 * The model runs no NVIDIA code: a started falcon halts at once. Without a
 * start hook its mailboxes stay as the driver left them and the start is
 * reported; with one, the hook checks what the falcon was given and does
 * what the firmware would.
 */
void Falcon::start()
{
	starts_++;
	if (in_reset_) {
		verdict(Kind::Fail, "started while in reset");
		return;
	}
	if (scrub_left_) {
		verdict(Kind::Fail, "started before scrubbing ended");
		return;
	}
	if (fault_ == ENGINE_FAULT_NO_HALT) {
		regs_[CPUCTL / 4] = 0;
		verdict(Kind::Note, "hostile fault 1: started at BOOTVEC " + hex(reg(BOOTVEC)) +
					    ", never halts");
		return;
	}
	never_halt_ = false;
	if (start_hook_)
		start_hook_(*this);
	else
		verdict(Kind::Note, "started at BOOTVEC " + hex(reg(BOOTVEC)) +
					    ", halted (no firmware is run)");
	regs_[CPUCTL / 4] = never_halt_ ? 0 : CPUCTL_HALTED;
}

} // namespace gpu_model
