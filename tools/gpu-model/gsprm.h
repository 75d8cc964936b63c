// SPDX-License-Identifier: GPL-2.0
/*
 * GSP-RM r570 as the driver sees it once Booter has started the GSP's
 * RISC-V core (Documentation/gpu-model.rst, "GSP-RM"). The model runs no
 * NVIDIA code: it finds the command and status queues through the LIBOS
 * page the driver handed the GSP, checks every element the driver puts in
 * the command queue when the doorbell (NV_PGSP_QUEUE_HEAD(0)) rings, and
 * answers the init protocol: the CPU sequencer, GSP_INIT_DONE, the static
 * configuration, the unload. Each check is a verdict of engine "GSP-RM";
 * a few lines of text go to the LIBOS logs LOGINIT and LOGRM.
 */
#ifndef GPU_MODEL_GSPRM_H
#define GPU_MODEL_GSPRM_H

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "falcon.h"

namespace gpu_model {

class Gpu;

class GspRm {
public:
	explicit GspRm(Gpu &gpu) : gpu_(gpu) {}
	GspRm(const GspRm &) = delete;
	GspRm &operator=(const GspRm &) = delete;

	/* Where Booter's layout put things in VRAM, for the static configuration. */
	struct Vram {
		uint64_t size = 0; /* the usable VRAM */
		uint64_t reserved = 0; /* gspFwRsvdStart: usable below it */
		uint64_t heap = 0; /* GSP-RM's heap in WPR2 */
		uint64_t frts = 0;
	};

	/* Power-on: GSP-RM is not running; the verdicts stay. */
	void power_on();
	/*
	 * Booter started the RISC-V core: GSP-RM reads the LIBOS page at
	 * @libos (the hand-off's, read now), finds its queues and its logs,
	 * and reads whatever commands already wait.
	 */
	void start(uint64_t libos, const Vram &vram);
	/* booter_unload ran: GSP-RM is gone; a note if it never unloaded. */
	void booter_unload();
	/* A BAR0 access the driver made (after the GPU's own handling). */
	void bar0_read(uint32_t offset);
	void bar0_write(uint32_t offset, uint32_t value);
	/* Messages wait for room in the status queue: tick() every millisecond. */
	bool wants_tick() const { return running() && !out_.empty(); }
	void tick();

	const std::vector<Falcon::Verdict> &verdicts() const { return verdicts_; }

	/* The registers the sequencer GSP-RM sends uses (NV_PBUS_SW_SCRATCH(0x10), (0x11)). */
	static constexpr uint32_t SEQ_SCRATCH = 0x001440;
	static constexpr uint32_t SEQ_DONE = 0x001444;

private:
	enum class State { Off, Running, Sequencer, Ready, Unloaded };
	struct Out {
		uint32_t function = 0, result = 0;
		std::vector<uint8_t> payload;
		bool suspend = false; /* the unload's reply: then MAILBOX0 bit 31, the core stops */
	};
	struct Log {
		uint64_t pa = 0;
		uint64_t put = 0; /* in u64 words from the buffer's start */
	};

	bool running() const;
	void verdict(Falcon::Kind kind, const std::string &what);
	void trace(const std::string &line);
	void log(Log &l, const std::string &line);
	/* GspMem by offset, through its page table: false when DMA cannot reach it. */
	bool mem(uint64_t offset, void *buf, size_t len, bool write);
	uint32_t rd32(uint64_t offset);
	void wr32(uint64_t offset, uint32_t value);

	void doorbell();
	/* One whole command (continuations joined): checked and answered. */
	void command(uint32_t function, uint32_t seq, const std::vector<uint8_t> &payload);
	void set_system_info(const std::vector<uint8_t> &p);
	void set_registry(const std::vector<uint8_t> &p);
	void static_info(const std::vector<uint8_t> &p);
	void unloading(const std::vector<uint8_t> &p);
	void send_sequencer();
	void sequencer_done(uint32_t value);
	void init_done();

	void post(uint32_t function, std::vector<uint8_t> payload, uint32_t result = 0);
	/* Writes what waits while the status queue has room. */
	void flush();

	Gpu &gpu_;
	std::vector<Falcon::Verdict> verdicts_;
	State state_ = State::Off;
	uint32_t fault_ = 0;
	bool queues_ = false; /* found: pages_ is GspMem's page table */
	std::vector<uint64_t> pages_;
	uint64_t libos_ = 0;
	Vram vram_;
	Log loginit_, logrm_;

	uint32_t cmd_read_ = 0; /* gspq.rx.readPtr: the next command slot */
	uint32_t cmd_seq_ = 0; /* the seqNum the next command element must carry */
	uint32_t msg_write_ = 0; /* gspq.tx.writePtr */
	uint32_t msg_seq_ = 0; /* the seqNum of the next message */
	uint64_t posted_ = 0;
	std::deque<Out> out_;
	bool bad_read_ptr_ = false; /* reported once */

	/* A command continued by CONTINUATION_RECORD elements. */
	bool joining_ = false;
	uint32_t join_function_ = 0, join_seq_ = 0;
	std::vector<uint8_t> join_payload_;

	bool system_info_ = false, registry_ = false, init_done_ = false;
	bool started_ = false; /* by Booter, since the last booter_unload */
	uint64_t start_reads_ = 0, start_writes_ = 0; /* the GPU's BAR0 counts at the start */
	/* While the sequencer runs: the driver's reads of its registers. */
	uint64_t seq_scratch_reads_ = 0, seq_poll_reads_ = 0;
};

} // namespace gpu_model

#endif /* GPU_MODEL_GSPRM_H */
