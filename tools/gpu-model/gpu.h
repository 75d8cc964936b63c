// SPDX-License-Identifier: GPL-2.0
/*
 * One NVIDIA GPU as its PCI function shows it: config space, BAR0's
 * registers and PROM window, the VRAM aperture (BAR1) and instance memory
 * (BAR3). The vfio-user server (server.h) hands it the guest's accesses;
 * it answers them from its state, records them, and reaches guest memory
 * through the DmaSpace the server keeps.
 */
#ifndef GPU_MODEL_GPU_H
#define GPU_MODEL_GPU_H

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "chips.h"
#include "dma.h"
#include "falcon.h"
#include "fwfiles.h"
#include "gsprm.h"
#include "hostile.h"
#include "registers.h"
#include "vbios.h"

namespace gpu_model {

struct Options {
	std::string name = "gpu";
	std::string socket;
	uint32_t boot0 = 0, boot42 = 0;
	uint32_t chipset = 0; /* 0: none the model knows (nv40, raw) */
	uint16_t device = 0;
	bool vram_set = false; /* false: the FB size registers stay 0 */
	uint64_t vram = 0;
	bool ecc = false;
	std::vector<uint8_t> vbios; /* empty: no ROM */
	uint64_t bar1 = 256ull << 20;
	std::string trace, summary;
	std::string firmware; /* a directory laid out as /lib/firmware; "": none */
	bool hostile = false; /* the PROM is trapped, reads can lie */
	uint64_t hostile_seed = 0;
};

/* How a region is offered to QEMU (REGION_INFO). */
struct RegionDesc {
	uint64_t size = 0;
	uint32_t flags = 0;
	int fd = -1; /* mapped by QEMU when MMAP is set */
	/* With MMAP: the mapped areas; empty means the whole region. */
	std::vector<std::pair<uint64_t, uint64_t>> sparse;
};

class Gpu {
public:
	/* "" or what is wrong with the options. */
	static std::string check(const Options &o);
	explicit Gpu(const Options &o);
	~Gpu();
	Gpu(const Gpu &) = delete;
	Gpu &operator=(const Gpu &) = delete;

	void attach(DmaSpace *dma);
	RegionDesc region(uint32_t index) const;
	/* 0, or a positive errno for the client. */
	int read(uint32_t region, uint64_t offset, uint8_t *buf, uint32_t count);
	int write(uint32_t region, uint64_t offset, const uint8_t *buf, uint32_t count);
	/* A device reset (DEVICE_RESET): config space as at power-on. */
	void reset();
	/* A new machine: everything as at power-on, the counts at zero. */
	void power_cycle();

	/* The summary line (Documentation/gpu-model.rst). */
	std::string summary() const;
	const std::string &name() const { return opt_.name; }
	/* Every falcon's verdicts, in the order they were made. */
	std::vector<std::string> verdicts() const;
	/* GSP-RM waits to post messages: call tick() about every millisecond. */
	bool wants_tick() const { return gsprm_.wants_tick(); }
	void tick() { gsprm_.tick(); }
	/* Set when the test port asked the model to die. */
	bool dying() const { return dying_; }

private:
	friend class GspRm;
	void power_on();
	/*
	 * The chip BOOT_42 says the GPU is, now: its chipset, its falcons'
	 * HAL and its firmware directory follow (Documentation/gpu-model.rst,
	 * "The chip the model is").
	 */
	void identify();
	/* The chip of chipset_, or nullptr when the model knows it by no name. */
	const Chip *chip() const { return chip_of(chipset_); }
	/* The usable VRAM the size registers of chipset_'s family say now; 0: none. */
	uint64_t vram_now() const;
	bool bus_master() const { return config_[0x04] & 0x04; }
	/* FSP is a falcon from Hopper on; before, its range is plain registers. */
	bool answers(const Falcon &f) const { return &f != &falcons_[2] || chipset_ >= 0x180; }
	/* gen_bootloader on the GSP (TU102 HAL): checked and run; false: not it. */
	bool gen_bootloader(Falcon &gsp, const std::string &head, uint32_t &err);
	void fwsec_run(Falcon &gsp, const std::string &head);
	void fwsec_failed(Falcon &gsp, uint32_t err, bool frts);
	void load_prom(bool rom);
	void build_config();
	/* The GSP falcon started: FWSEC-FRTS checked and run, or an unknown image. */
	void gsp_start(Falcon &gsp);
	uint32_t fwsec_checks(Falcon &gsp, uint64_t &start, uint64_t &end, bool &sb);
	/* The GSP falcon started with nothing loaded: the LIBOS hand-off. */
	void libos_handoff(Falcon &gsp);
	/* SEC2 started: Booter (booter.cpp). */
	void sec2_start(Falcon &sec2);
	bool booter_modelled() const;
	/*
	 * The FSP (fsp.cpp), Hopper and later: its secure boot's scratch
	 * register, EMEM channel 0 and its queues; the COT message checked,
	 * answered, and what the FMC then does to the GSP.
	 */
	uint32_t fsp_i2cs() const;
	bool fsp_read(uint32_t offset, uint32_t &value);
	bool fsp_write(uint32_t offset, uint32_t value);
	void fsp_power_on();
	void fsp_command();
	void fsp_reply(uint32_t nvdm_type, uint32_t error);
	uint32_t cot_checks(Falcon &fsp, const std::vector<uint8_t> &msg);
	uint32_t fmc_boot_params(Falcon &fsp, uint64_t at, uint64_t &meta_at);
	uint32_t fmc_wpr_meta(Falcon &fsp, uint64_t at, uint64_t &pmu);
	/* A read of the GSP falcon's registers while the FMC boots it. */
	void fmc_after_read(uint32_t offset);
	void fmc_release(Falcon &gsp);
	/* Booter's fuse version is read from a register (GA102 to AD107); else 0. */
	bool fuse_registers() const
	{
		Family f = family_of(chipset_);
		return f == Family::Ampere || f == Family::Ada;
	}
	/* The GSP files Booter and the FMC load from: empty, or why not. */
	std::string read_gsp_files(const char *signame, RiscvFirmware &bl,
				   std::vector<uint8_t> &elf, ElfSection &fwimage,
				   ElfSection &sig) const;
	/* What booter_load reads, checked: 0, or the first failure's code. */
	uint32_t booter_load(Falcon &sec2, uint64_t &fw_offset, std::vector<uint8_t> &elf,
			     ElfSection &image, uint64_t &wpr2_start, uint64_t &wpr2_end);
	uint32_t booter_unload(Falcon &sec2);
	uint32_t check_radix3(Falcon &sec2, uint64_t r3, const uint8_t *img, uint64_t size,
			      const char *who = "booter_load ");
	uint32_t check_libos(Falcon &sec2);
	/* The driver wrote the GSP's OS register: the bootloader's app_version? */
	void check_os_register(Falcon &gsp, uint32_t value);
	/* Guest memory by DMA for Booter's reads: 0 or a positive errno. */
	int booter_read(uint64_t address, void *buf, size_t len, const char *what);
	uint32_t bar0_read(uint32_t offset);
	void bar0_write(uint32_t offset, uint32_t value);
	uint32_t stored(uint32_t offset) const;
	void store(uint32_t offset, uint32_t value);
	uint32_t port_read(uint32_t offset);
	void port_write(uint32_t offset, uint32_t value);
	void set_engine_fault(uint32_t fault);
	int dma_copy();
	int memory_access(uint32_t region, uint64_t offset, uint8_t *buf, uint32_t count,
			  bool write);
	int config_read(uint64_t offset, uint8_t *buf, uint32_t count) const;
	int config_write(uint64_t offset, const uint8_t *buf, uint32_t count);
	void trace(const char *fmt, ...) __attribute__((format(printf, 2, 3)));
	void count(uint32_t offset, bool write);

	Options opt_;
	DmaSpace *dma_ = nullptr;
	FILE *trace_ = nullptr;

	uint8_t config_[4096] {};
	uint8_t config_wmask_[4096] {};

	/* BAR0: registers by offset; the PROM window lives in bar0_fd_. */
	std::unordered_map<uint32_t, uint32_t> regs_;
	std::unordered_map<uint32_t, bool> read_only_;
	int bar0_fd_ = -1;
	uint8_t *prom_ = nullptr;
	int vram_fd_ = -1;
	uint64_t vram_bytes_ = 0;
	int bar3_fd_ = -1;

	uint32_t chipset_ = 0; /* what BOOT_42 says now (identify()) */
	/* The model's reading of its PROM at power-on and at each GSP start (vbios.h). */
	RomLayout rom_layout_;
	FwsecImage fwsec_;
	std::string fwsec_error_; /* "": FWSEC known */

	/* The test port. */
	uint32_t port_addr_ = 0;
	uint64_t dma_src_ = 0, dma_dst_ = 0;
	uint32_t dma_len_ = 0, dma_status_ = 0;
	bool dying_ = false;
	uint32_t engine_fault_ = 0; /* PORT_ENGINE_FAULT: 0, or a fault of 1 to 26 */
	/* The LIBOS page the driver handed the empty GSP falcon (its mailboxes). */
	bool libos_set_ = false;
	uint64_t libos_ = 0;

	/* The FSP's EMEM channel 0, its queues, and the FMC's boot of the GSP. */
	std::vector<uint8_t> emem_ = std::vector<uint8_t>(reg::FSP_EMEM_SIZE);
	uint32_t ememc_ = 0;
	uint32_t fsp_qhead_ = 0, fsp_qtail_ = 0, fsp_mhead_ = 0, fsp_mtail_ = 0;
	enum class Fmc { Idle, Masked, Lockdown, Released };
	Fmc fmc_ = Fmc::Idle;
	unsigned fmc_left_ = 0;
	uint64_t fmc_args_ = 0, fmc_libos_ = 0;

	Hostility hostile_;
	std::vector<Falcon> falcons_; /* GSP, SEC2, and FSP on Hopper and later */
	GspRm gsprm_ { *this }; /* once Booter started the GSP's RISC-V core */
	/* Where booter_load's layout put GSP-RM's regions, for GSP-RM. */
	GspRm::Vram gsprm_vram_;

	struct Counts {
		uint64_t reads = 0, writes = 0;
	};
	std::map<std::string, Counts> blocks_;
	uint64_t reads_ = 0, writes_ = 0, port_ = 0;
	uint64_t power_on_reads_ = 0, power_on_writes_ = 0; /* reads_, writes_ at power-on */
	uint64_t dma_reads_ = 0, dma_read_bytes_ = 0, dma_writes_ = 0, dma_write_bytes_ = 0;
	uint64_t dma_refused_ = 0, readonly_writes_ = 0;
};

} // namespace gpu_model

#endif /* GPU_MODEL_GPU_H */
