// SPDX-License-Identifier: GPL-2.0
/*
 * A falcon engine as the driver sees it through BAR0: the registers of
 * NVIDIA's dev_falcon_v4.h, dev_riscv_pri.h and dev_fbif_v4.h at the
 * engine's PFALCON and PFALCON2 bases (GSP, SEC2, FSP). Reset and memory
 * scrubbing, core select, IMEM and DMEM filled by PIO or by DMA from guest
 * memory, the boot ROM's parameters, the boot vector, start, halt and the
 * mailboxes. The model runs no NVIDIA code: started, a falcon halts at
 * once, and each check of what it was given is a verdict the model
 * reports (Documentation/gpu-model.rst, "Falcons").
 */
#ifndef GPU_MODEL_FALCON_H
#define GPU_MODEL_FALCON_H

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "dma.h"

namespace gpu_model {

enum class FalconHal {
	Tu102, /* Turing, GA100: PIO loads, scrub status in DMACTL, no core select */
	Ga102, /* GA102 and later: DMA loads, HWCFG2 scrub status, BCR core select */
};

class Falcon {
public:
	using Trace = std::function<void(const std::string &)>;
	/*
	 * What runs when the falcon starts: the GPU's model of the firmware it
	 * was given. It reports its verdicts and sets what the firmware would;
	 * the falcon halts after it.
	 */
	using StartHook = std::function<void(Falcon &)>;

	Falcon(const char *name, uint32_t base, uint32_t base2, FalconHal hal);

	const char *name() const { return name_; }
	bool owns(uint32_t offset) const
	{
		return (offset >= base_ && offset < base_ + 0x1000) ||
		       (offset >= base2_ && offset < base2_ + 0x1000);
	}
	/* The engine's registers: @offset is a BAR0 offset it owns. */
	uint32_t read(uint32_t offset);
	void write(uint32_t offset, uint32_t value);

	/* Power-on: memories clear, halted; the verdicts are kept, the run's record. */
	void power_on();
	/*
	 * The HAL of the chip the GPU now is (its BOOT_42 changed): the
	 * registers as at power-on under it.
	 */
	void set_hal(FalconHal hal)
	{
		hal_ = hal;
		power_on();
	}
	FalconHal hal() const { return hal_; }
	/*
	 * Guest memory, the trace, and whether the GPU may master the bus
	 * (PCI COMMAND bit 2): without it the falcon's DMA reads nothing.
	 */
	using BusMaster = std::function<bool()>;
	void attach(const DmaSpace *dma, Trace trace, BusMaster bus_master)
	{
		dma_ = dma;
		trace_ = std::move(trace);
		bus_master_ = std::move(bus_master);
	}

	void set_start_hook(StartHook hook) { start_hook_ = std::move(hook); }
	/*
	 * The test port's engine fault (PORT_ENGINE_FAULT) this falcon plays:
	 * ENGINE_FAULT_NO_HALT, _SCRUB or _DMA; any other value none. Power-on
	 * keeps it: the GPU sets it.
	 */
	void set_fault(uint32_t fault) { fault_ = fault; }
	static constexpr uint32_t ENGINE_FAULT_NO_HALT = 1; /* never halts after a start */
	static constexpr uint32_t ENGINE_FAULT_SCRUB = 2; /* scrubbing never ends after a reset */
	static constexpr uint32_t ENGINE_FAULT_DMA = 3; /* a DMA transfer never goes idle */

	/* What the engine holds, for the checks of later stages and tests. */
	const std::vector<uint8_t> &imem() const { return imem_; }
	const std::vector<uint8_t> &dmem() const { return dmem_; }
	uint16_t imem_tag(uint32_t block) const { return imem_tags_.at(block); }
	bool started() const { return starts_ > 0; }
	/* Whether IMEM or DMEM was written (PIO or DMA) since the last reset. */
	bool loaded() const { return loaded_; }
	/*
	 * The RISC-V core's active status, which Booter sets: RISCV_CPUCTL bit 7
	 * (GA102 HAL) or RISCV_CORE_SWITCH_RISCV_STATUS bit 0 (TU102 HAL).
	 */
	void set_riscv_active(bool active);
	bool riscv_active() const;
	const char *riscv_active_register() const;
	/*
	 * RISCV_CPUCTL's halted bit (4), GA102 HAL: set at power-on and by a
	 * reset (HALTED_INIT), clear while the core is active, set again when
	 * an FMC-booted core stops.
	 */
	void set_riscv_halted(bool halted);
	/*
	 * The GSP while the FMC boots it (FSP chips): with @masked every read
	 * of the engine's registers answers PRIV_MASKED (0xbadf4100); with
	 * @lockdown HWCFG2's RISCV_BR_PRIV_LOCKDOWN (bit 13) is set.
	 */
	void set_priv(bool masked, bool lockdown)
	{
		priv_masked_ = masked;
		br_priv_lockdown_ = lockdown;
	}
	static constexpr uint32_t PRIV_MASKED = 0xbadf4100;
	static constexpr uint32_t HWCFG2_RISCV_BR_PRIV_LOCKDOWN = 1u << 13;
	/*
	 * What a firmware the model plays copies into its own memory by DMA
	 * (the generic bootloader): @len bytes from guest memory @src to IMEM
	 * (tagged by offset / 256) or DMEM at @offset. 0, or a positive errno
	 * (EPERM: bus mastering off, EFAULT, ERANGE: outside the memory).
	 */
	int dma_copy_in(bool imem, uint32_t offset, uint64_t src, uint32_t len);
	/* The start hook says the firmware never halts (a hostile fault). */
	void never_halt() { never_halt_ = true; }
	/* The DMA transfers it made from guest memory, and their bytes. */
	uint64_t dma_reads() const { return dma_reads_; }
	uint64_t dma_read_bytes() const { return dma_reads_ * 256; }
	/*
	 * What a verdict is: a check that passed, a fact reported for the
	 * reader (a start, a hostile fault the test port asked for), or a
	 * check that failed. Only failures fail a test run.
	 */
	enum class Kind { Ok, Note, Fail };
	static const char *kind_name(Kind kind);
	/*
	 * "KIND engine: what" lines, one per verdict, in order, each with its
	 * place among every falcon's verdicts (a count shared by all).
	 */
	struct Verdict {
		uint64_t seq;
		std::string line;
	};
	const std::vector<Verdict> &verdicts() const { return verdicts_; }
	/* A verdict's place among all of them (falcons' and GSP-RM's). */
	static uint64_t next_seq();
	/* Records a verdict "KIND engine: what" (and traces it). */
	void verdict(Kind kind, const std::string &what);
	/* The PFALCON and PFALCON2 registers as stored, by offset from their bases. */
	uint32_t reg(uint32_t off) const { return regs_.at(off / 4); }
	uint32_t reg2(uint32_t off) const { return regs2_.at(off / 4); }
	/* What the firmware leaves in a mailbox (0 or 1). */
	void set_mailbox(unsigned index, uint32_t value) { regs_.at(0x040 / 4 + index) = value; }

	/* Offsets the start hook reads (dev_falcon_v4.h, dev_riscv_pri.h). */
	static constexpr uint32_t BOOTVEC = 0x104;
	static constexpr uint32_t FBIF_TRANSCFG = 0x600; /* + 4 * context */
	static constexpr uint32_t FBIF_CTL = 0x624;
	static constexpr uint32_t MOD_SEL = 0x180; /* PFALCON2 */
	static constexpr uint32_t BROM_CURR_UCODE_ID = 0x198; /* PFALCON2 */
	static constexpr uint32_t BROM_ENGIDMASK = 0x19c; /* PFALCON2 */
	static constexpr uint32_t BROM_PARAADDR0 = 0x210; /* PFALCON2 */

	static constexpr uint32_t IMEM_SIZE = 64 << 10;
	static constexpr uint32_t DMEM_SIZE = 64 << 10;
	/* Reads of the scrub status a reset's scrubbing lasts. */
	static constexpr unsigned SCRUB_READS = 2;

private:
	void engine_reset(bool asserted);
	void dma_transfer(uint32_t cmd);
	void pio_write(bool imem, uint32_t value);
	uint32_t pio_read(bool imem);
	void start();

	const char *name_;
	uint32_t base_, base2_;
	FalconHal hal_;
	const DmaSpace *dma_ = nullptr;
	Trace trace_;
	BusMaster bus_master_;
	bool never_halt_ = false;
	bool priv_masked_ = false, br_priv_lockdown_ = false;
	StartHook start_hook_;

	std::vector<uint8_t> imem_, dmem_;
	std::vector<uint16_t> imem_tags_;
	std::vector<uint32_t> regs_; /* PFALCON, by offset / 4 */
	std::vector<uint32_t> regs2_; /* PFALCON2 */
	bool in_reset_ = false;
	unsigned scrub_left_ = 0;
	unsigned starts_ = 0;
	bool loaded_ = false;
	uint32_t fault_ = 0;
	uint64_t dma_reads_ = 0;
	std::vector<Verdict> verdicts_;
};

} // namespace gpu_model

#endif /* GPU_MODEL_FALCON_H */
