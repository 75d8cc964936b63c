// SPDX-License-Identifier: GPL-2.0
/*
 * The FSP's channel and waits. What the FSP answers is read whole into a
 * buffer of the size it announced, bounded by the channel, and checked
 * (messages.h) before anything in it is believed.
 */
#include "fsp/fsp.h"

#include <kernel/print.h>
#include <kernel/time.h>

#include "falcon/timeouts.h"

using namespace kernel;

namespace nova::core::fsp {

namespace {

using falcon::Ememc;
using falcon::Ememd;
using falcon::Fsp;
using falcon::Gsp;

} // namespace

u32 secure_boot_status(const falcon::Bar0 &bar, const Chipset &chipset)
{
	if (chipset.arch == Architecture::BlackwellGB20x)
		return I2csScratchGb202::read(bar).raw();
	return I2csScratchGh100::read(bar).raw();
}

Result<void> wait_secure_boot(const pci::Device &pdev, const falcon::Bar0 &bar,
			      const Chipset &chipset)
{
	auto r = time::read_poll_timeout([&] { return secure_boot_status(bar, chipset); },
					 [](u32 s) { return s == SECURE_BOOT_COMPLETE; },
					 timeouts::FSP_SECURE_BOOT.interval,
					 timeouts::FSP_SECURE_BOOT.timeout);
	if (!r) {
		dev_err(pdev, "FSP: secure boot not complete within %lld ms (scratch %#010x)\n",
			static_cast<long long>(timeouts::FSP_SECURE_BOOT.timeout.as_ms()),
			secure_boot_status(bar, chipset));
		return r.error();
	}
	return ok();
}

Result<void> send(const falcon::Bar0 &bar, ByteView msg)
{
	if (msg.is_empty() || msg.len() > EMEM_CHANNEL_SIZE || msg.len() % 4)
		return err::EINVAL;
	Ememc<Fsp>().set_offs(0).set_blk(0).set_aincw(1).write(bar);
	for (size_t off = 0; off < msg.len(); off += 4)
		Ememd<Fsp>().set_data(msg.le32(off).value()).write(bar);
	QueueTail(static_cast<u32>(msg.len() - 4)).write(bar);
	QueueHead(0).write(bar);
	return ok();
}

Result<KVec<u8>> receive(const falcon::Bar0 &bar)
{
	auto read = [&]() -> Result<KVec<u8>> {
		struct Pointers {
			u32 head, tail;
		};
		auto p = TRY(time::read_poll_timeout(
			[&] {
				return Pointers { MsgqHead::read(bar).raw(),
						  MsgqTail::read(bar).raw() };
			},
			[](const Pointers &q) { return q.head != q.tail; },
			timeouts::FSP_REPLY.interval, timeouts::FSP_REPLY.timeout));
		/* The tail points at the last dword; a tail below the head is no size. */
		if (p.tail < p.head)
			return err::EMSGSIZE;
		const u64 size = u64 { p.tail } - p.head + 4;
		if (size > EMEM_CHANNEL_SIZE)
			return err::EMSGSIZE;
		if (size % 4)
			return err::EPROTO;
		KVec<u8> buf;
		TRY(buf.resize(static_cast<size_t>(size), gfp::KERNEL));
		Ememc<Fsp>().set_offs(0).set_blk(0).set_aincr(1).write(bar);
		for (size_t off = 0; off < size; off += 4) {
			const u32 v = Ememd<Fsp>::read(bar).raw();
			for (size_t i = 0; i < 4; i++)
				buf.begin()[off + i] = static_cast<u8>(v >> (8 * i));
		}
		return buf;
	};
	auto r = read();
	MsgqTail(0).write(bar);
	MsgqHead(0).write(bar);
	return r;
}

Result<void> chain_of_trust(const pci::Device &pdev, const falcon::Bar0 &bar, const CotMessage &cot,
			    ReplyError *why)
{
	TRY(send(bar, ByteView(cot.bytes)));
	auto reply = receive(bar);
	if (!reply) {
		if (reply.error() == err::ETIMEDOUT)
			dev_err(pdev, "FSP: no reply to the COT within %lld ms\n",
				static_cast<long long>(timeouts::FSP_REPLY.timeout.as_ms()));
		else if (reply.error() == err::EMSGSIZE && why)
			*why = ReplyError::Oversize;
		return reply.error();
	}
	u32 code = 0;
	auto checked = check_reply(ByteView(*reply), NVDM_TYPE_COT, why, &code);
	if (!checked && code)
		dev_err(pdev, "FSP: the COT failed with error code %#x\n", code);
	return checked;
}

Result<void> wait_lockdown_release(const pci::Device &pdev, const falcon::Bar0 &bar,
				   u64 boot_params)
{
	struct Seen {
		u32 mbox0;
		Lockdown state;
	};
	auto r = time::read_poll_timeout(
		[&] {
			const u32 hwcfg2 = falcon::Hwcfg2<Gsp>::read(bar).raw();
			if (!falcon::Hwcfg2<Gsp>(hwcfg2).priv_target_mask_released())
				return Seen { 0, Lockdown::Masked };
			const u32 mbox0 = falcon::Mailbox0<Gsp>::read(bar).raw();
			const u32 mbox1 = falcon::Mailbox1<Gsp>::read(bar).raw();
			return Seen { mbox0, lockdown_state(hwcfg2, mbox0, mbox1, boot_params) };
		},
		[](const Seen &s) {
			return s.state == Lockdown::Released || s.state == Lockdown::FmcError;
		},
		timeouts::GSP_LOCKDOWN_RELEASE.interval, timeouts::GSP_LOCKDOWN_RELEASE.timeout);
	if (!r) {
		dev_err(pdev, "GSP lockdown not released within %lld ms\n",
			static_cast<long long>(timeouts::GSP_LOCKDOWN_RELEASE.timeout.as_ms()));
		return r.error();
	}
	if (r->state == Lockdown::FmcError) {
		dev_err(pdev, "GSP-FMC boot failed (MAILBOX0 %#010x)\n", r->mbox0);
		return err::EIO;
	}
	return ok();
}

Result<void> wait_gsp_halted(const pci::Device &pdev, const falcon::Bar0 &bar)
{
	auto r = time::read_poll_timeout(
		[&] {
			if (!falcon::Hwcfg2<Gsp>::read(bar).priv_target_mask_released())
				return false;
			return falcon::RiscvCpuctl<Gsp>::read(bar).halted() != 0;
		},
		[](bool halted) { return halted; }, timeouts::UNLOAD_SUSPEND.interval,
		timeouts::UNLOAD_SUSPEND.timeout);
	if (!r) {
		dev_err(pdev, "GSP falcon: RISC-V core not halted within %lld ms\n",
			static_cast<long long>(timeouts::UNLOAD_SUSPEND.timeout.as_ms()));
		return r.error();
	}
	return ok();
}

} // namespace nova::core::fsp
