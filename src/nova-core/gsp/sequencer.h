/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GSP-RM's CPU sequencer (Documentation/gsp-msgq.rst, "The CPU
 * sequencer"): the commands of a GSP_RUN_CPU_SEQUENCER message, parsed by
 * msgq.h's parse_sequencer(), executed in order as OpenRM's
 * kgspExecuteSequencerBuffer and upstream's sequencer.rs execute them.
 *
 * The executor is a template over its target, so that KUnit runs it on a
 * register space of its own; the driver's target is GpuSequencer: BAR0,
 * the GSP and SEC2 falcons.
 *
 *	REG_WRITE	write32(addr, val)
 *	REG_MODIFY	write32(addr, (read32(addr) & ~mask) | val)
 *	REG_POLL	read32(addr) until (v & mask) == val, for the payload's
 *			timeout in µs (0: 4 s; more than 4 s: 4 s); ETIMEDOUT
 *	DELAY_US	delay_us(val); EINVAL past 1 s
 *	REG_STORE	regSaveArea[index] = read32(addr)
 *	CORE_*		the target's core_reset/start/wait_for_halt/resume
 *
 * Errors: the first failing command's, nothing after it runs.
 */
#ifndef NOVA_CORE_GSP_SEQUENCER_H
#define NOVA_CORE_GSP_SEQUENCER_H

#include <kernel/alloc.h>
#include <kernel/error.h>
#include <kernel/pci.h>
#include <kernel/time.h>

#include "falcon/falcon.h"
#include "falcon/timeouts.h"
#include "gsp/msgq.h"

namespace nova::core::gsp {

/* The longest DELAY_US obeyed, and the longest REG_POLL waited. */
inline constexpr u32 SEQ_DELAY_MAX_US = 1000 * 1000;
inline constexpr kernel::time::Delta SEQ_POLL_INTERVAL = kernel::time::Delta::from_us(20);

/* Where a failed sequencer stopped. */
struct SeqFailure {
	u32 index; /* the command's */
	SeqCommand command;
};

/*
 * Runs @cmds on @t. @save is the regSaveArea REG_STORE writes. On error
 * *@failed says which command.
 */
template <typename Target>
kernel::Result<void> run_sequencer(Target &t, const kernel::KVec<SeqCommand> &cmds,
				   u32 (&save)[SEQ_REG_SAVE_SLOTS], SeqFailure *failed)
{
	using kernel::time::Delta;
	u32 index = 0;
	auto fail = [&](const SeqCommand &c, kernel::Error e) -> kernel::Result<void> {
		if (failed)
			*failed = SeqFailure { index, c };
		return e;
	};
	for (const SeqCommand &c : cmds) {
		const u32 *a = c.args;
		kernel::Result<void> r = kernel::ok();
		switch (c.op) {
		case SeqOp::RegWrite:
			r = t.write32(a[0], a[1]);
			break;
		case SeqOp::RegModify: {
			auto v = t.read32(a[0]);
			r = v ? t.write32(a[0], (*v & ~a[1]) | a[2])
			      : kernel::Result<void>(v.error());
			break;
		}
		case SeqOp::RegPoll: {
			const Delta max = timeouts::SEQUENCER_REG_POLL_DEFAULT;
			Delta timeout = a[3] ? Delta::from_us(a[3]) : max;
			if (timeout > max)
				timeout = max;
			auto v = kernel::time::read_poll_timeout(
				[&] { return t.read32(a[0]); },
				[&](u32 x) { return (x & a[1]) == a[2]; }, SEQ_POLL_INTERVAL,
				timeout);
			if (!v)
				r = v.error();
			break;
		}
		case SeqOp::DelayUs:
			if (a[0] > SEQ_DELAY_MAX_US)
				r = kernel::err::EINVAL;
			else
				t.delay_us(a[0]);
			break;
		case SeqOp::RegStore: {
			auto v = t.read32(a[0]);
			if (!v)
				r = v.error();
			else if (a[1] < SEQ_REG_SAVE_SLOTS)
				save[a[1]] = *v;
			else
				r = kernel::err::EINVAL;
			break;
		}
		case SeqOp::CoreReset:
			r = t.core_reset();
			break;
		case SeqOp::CoreStart:
			r = t.core_start();
			break;
		case SeqOp::CoreWaitForHalt:
			r = t.core_wait_for_halt();
			break;
		case SeqOp::CoreResume:
			r = t.core_resume();
			break;
		}
		if (!r)
			return fail(c, r.error());
		index++;
	}
	return kernel::ok();
}

/* The opcode's name in messages ("REG_POLL"). */
const char *seq_op_name(SeqOp op);

/*
 * The driver's target: BAR0 (EINVAL for an address outside it or not
 * 4-aligned), the GSP falcon (@libos its LIBOS page, @app_version the
 * bootloader's) and SEC2. core_resume() as upstream: the GSP falcon
 * reset, its mailboxes the LIBOS page's address, SEC2 started (its
 * SEC2-RTOS was loaded by the commands before), NV_PGC6_BSI_SECURE_SCRATCH_14
 * bit 26 awaited (2 s, ETIMEDOUT), SEC2's MAILBOX0 0 (else EIO), the
 * GSP's OS register the app_version, its RISC-V core active (else EIO).
 */
class GpuSequencer {
public:
	GpuSequencer(const kernel::pci::Device &pdev, const falcon::Bar0 &bar,
		     falcon::FalconHal hal, u64 libos, u32 app_version)
		: pdev_(pdev), bar_(bar), hal_(hal), libos_(libos), app_version_(app_version)
	{}

	kernel::Result<u32> read32(u32 addr) const { return bar_.try_read32(addr); }
	kernel::Result<void> write32(u32 addr, u32 v) const { return bar_.try_write32(addr, v); }
	void delay_us(u32 us) const;
	kernel::Result<void> core_reset() const;
	kernel::Result<void> core_start() const;
	kernel::Result<void> core_wait_for_halt() const;
	kernel::Result<void> core_resume() const;

private:
	const kernel::pci::Device &pdev_;
	const falcon::Bar0 &bar_;
	falcon::FalconHal hal_;
	u64 libos_;
	u32 app_version_;
};

/*
 * A GSP_RUN_CPU_SEQUENCER @payload parsed and run on @t: EPROTO for a
 * payload shorter than its header, parse_sequencer()'s EINVAL, the
 * executor's errors (one dev_err naming the command); ENOMEM.
 */
kernel::Result<void> run_cpu_sequencer(const kernel::pci::Device &pdev, GpuSequencer &t,
				       kernel::ByteView payload);

} // namespace nova::core::gsp

#endif /* NOVA_CORE_GSP_SEQUENCER_H */
