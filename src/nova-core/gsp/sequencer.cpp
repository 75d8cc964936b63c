// SPDX-License-Identifier: GPL-2.0
/*
 * GSP-RM's CPU sequencer on the GPU (sequencer.h), in upstream nova-core's
 * order (gsp/sequencer.rs).
 */
#include <kernel/io.h>
#include <kernel/print.h>

#include "gsp/sequencer.h"

using namespace kernel;

namespace nova::core::gsp {

using falcon::Falcon;
using falcon::Gsp;
using falcon::Sec2;

namespace {

/* NV_PGC6_BSI_SECURE_SCRATCH_14: bit 26, boot stage 3 handed off (SEC2-RTOS runs). */
struct BsiSecureScratch14 : io::Register32<BsiSecureScratch14, 0x1180f8> {
	REG_FIELD(boot_stage_3_handoff, 26, 26);
};

constexpr u32 lo32(u64 v)
{
	return static_cast<u32>(v);
}

constexpr u32 hi32(u64 v)
{
	return static_cast<u32>(v >> 32);
}

} // namespace

const char *seq_op_name(SeqOp op)
{
	constexpr const char *names[SEQ_OPS] = {
		"REG_WRITE",  "REG_MODIFY", "REG_POLL",		  "DELAY_US",	 "REG_STORE",
		"CORE_RESET", "CORE_START", "CORE_WAIT_FOR_HALT", "CORE_RESUME",
	};
	const u32 i = static_cast<u32>(op);
	return i < SEQ_OPS ? names[i] : "unknown";
}

void GpuSequencer::delay_us(u32 us) const
{
	time::fsleep(time::Delta::from_us(us));
}

Result<void> GpuSequencer::core_reset() const
{
	Falcon<Gsp> gsp(pdev_, bar_, hal_);
	TRY(gsp.reset());
	gsp.dma_reset();
	return ok();
}

Result<void> GpuSequencer::core_start() const
{
	Falcon<Gsp>(pdev_, bar_, hal_).start();
	return ok();
}

Result<void> GpuSequencer::core_wait_for_halt() const
{
	return Falcon<Gsp>(pdev_, bar_, hal_).wait_halted();
}

Result<void> GpuSequencer::core_resume() const
{
	Falcon<Gsp> gsp(pdev_, bar_, hal_);
	Falcon<Sec2> sec2(pdev_, bar_, hal_);
	TRY(gsp.reset());
	gsp.set_mailboxes(lo32(libos_), hi32(libos_));
	sec2.start();
	auto handoff = time::read_poll_timeout(
		[&] { return BsiSecureScratch14::read(bar_); },
		[](const BsiSecureScratch14 &r) { return r.boot_stage_3_handoff() != 0; },
		SEQ_POLL_INTERVAL, timeouts::CORE_RESUME.timeout);
	if (!handoff) {
		dev_err(pdev_, "CPU sequencer: SEC2-RTOS did not hand off within %lld ms\n",
			static_cast<long long>(timeouts::CORE_RESUME.timeout.as_ms()));
		return handoff.error();
	}
	const u32 mbox0 = sec2.mailboxes().mbox0;
	if (mbox0 != 0) {
		dev_err(pdev_, "CPU sequencer: SEC2 MAILBOX0 %#010x after the resume\n", mbox0);
		return err::EIO;
	}
	gsp.set_os(app_version_);
	if (!gsp.riscv_active()) {
		dev_err(pdev_,
			"CPU sequencer: the GSP's RISC-V core is not active after the resume\n");
		return err::EIO;
	}
	return ok();
}

Result<void> run_cpu_sequencer(const pci::Device &pdev, GpuSequencer &t, ByteView payload)
{
	if (payload.len() < SEQ_HEADER_SIZE) {
		dev_err(pdev, "CPU sequencer: %zu-byte payload, shorter than its header\n",
			payload.len());
		return err::EPROTO;
	}
	KVec<SeqCommand> cmds;
	if (auto r = parse_sequencer(payload, cmds); !r) {
		if (r.error() != err::ENOMEM)
			dev_err(pdev, "CPU sequencer: malformed command buffer\n");
		return r.error();
	}
	u32 save[SEQ_REG_SAVE_SLOTS];
	for (u32 i = 0; i < SEQ_REG_SAVE_SLOTS; i++)
		save[i] = payload.le32(8 + 4 * size_t { i }).value();
	dev_dbg(pdev, "CPU sequencer: running %zu commands\n", cmds.len());
	SeqFailure failed {};
	auto r = run_sequencer(t, cmds, save, &failed);
	if (!r) {
		const u32 *a = failed.command.args;
		if (failed.command.op == SeqOp::RegPoll)
			dev_err(pdev,
				"CPU sequencer: command %u REG_POLL of %#x: & %#x != %#x "
				"(GSP-RM's error %#x)\n",
				failed.index, a[0], a[1], a[2], a[4]);
		else
			dev_err(pdev, "CPU sequencer: command %u %s (%#x, %#x) failed (%d)\n",
				failed.index, seq_op_name(failed.command.op), a[0], a[1],
				r.error().to_errno());
	}
	return r;
}

} // namespace nova::core::gsp
