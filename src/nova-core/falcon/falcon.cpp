// SPDX-License-Identifier: GPL-2.0
/*
 * The falcon executor (falcon.h): the register writes of a reset, a load
 * and a boot, in upstream nova-core's order (falcon.rs, falcon/hal/ga102.rs).
 */
#include <kernel/print.h>
#include <kernel/time.h>

#include "falcon/falcon.h"
#include "gpu.h"

using namespace kernel;

namespace nova::core::falcon {

namespace {

long long ms_of(time::Delta d)
{
	return static_cast<long long>(d.as_ms());
}

const char *mem_name(FalconMem mem)
{
	switch (mem) {
	case FalconMem::ImemSecure:
		return "secure IMEM";
	case FalconMem::ImemNonSecure:
		return "non-secure IMEM";
	case FalconMem::Dmem:
		break;
	}
	return "DMEM";
}

} // namespace

template <FalconEngine E> Result<void> Falcon<E>::wait_scrubbed() const
{
	const timeouts::PollTiming t = mem_scrub_timing(hal_);
	Error e = err::ETIMEDOUT;
	bool done;
	if (scrub_status(hal_) == ScrubStatus::Hwcfg2) {
		auto r = time::read_poll_timeout(
			[&] { return Hwcfg2<E>::read(bar_); },
			[](const Hwcfg2<E> &v) { return v.mem_scrubbing_done(); }, t.interval,
			t.timeout);
		done = r.ok();
		if (!done)
			e = r.error();
	} else {
		auto r = time::read_poll_timeout(
			[&] { return Dmactl<E>::read(bar_); },
			[](const Dmactl<E> &v) { return v.mem_scrubbing_done(); }, t.interval,
			t.timeout);
		done = r.ok();
		if (!done)
			e = r.error();
	}
	if (done)
		return ok();
	dev_err(pdev_, "%s falcon: memory scrubbing did not finish within %lld ms\n",
		engine_label<E>(), ms_of(t.timeout));
	return e;
}

template <FalconEngine E> Result<void> Falcon<E>::select_falcon_core() const
{
	if (RiscvBcrCtrl<E>::read(bar_).core_select() == 0)
		return ok();
	/* A whole-register write: core_select 0 (the falcon), br_fetch 0. */
	RiscvBcrCtrl<E>().set_core_select(0).write(bar_);
	auto r = time::read_poll_timeout([&] { return RiscvBcrCtrl<E>::read(bar_); },
					 [](const RiscvBcrCtrl<E> &v) { return v.valid() != 0; },
					 timeouts::BCR_VALID.interval, timeouts::BCR_VALID.timeout);
	if (!r) {
		dev_err(pdev_, "%s falcon: core select not valid within %lld ms\n",
			engine_label<E>(), ms_of(timeouts::BCR_VALID.timeout));
		return r.error();
	}
	return ok();
}

template <FalconEngine E> Result<void> Falcon<E>::reset() const
{
	if (waits_reset_ready(hal_)) {
		/* Not an error: the hardware sometimes never sets it (OpenRM). */
		(void)time::read_poll_timeout(
			[&] { return Hwcfg2<E>::read(bar_); },
			[](const Hwcfg2<E> &v) { return v.reset_ready() != 0; },
			timeouts::RESET_READY.interval, timeouts::RESET_READY.timeout);
	}
	Engine<E>::update(bar_, [](Engine<E> &r) { r.set_reset(1); });
	time::fsleep(timeouts::ENGINE_RESET_PULSE);
	Engine<E>::update(bar_, [](Engine<E> &r) { r.set_reset(0); });
	TRY(wait_scrubbed());

	if (selects_core(hal_))
		TRY(select_falcon_core());
	TRY(wait_scrubbed());

	Rm<E>().set_value(Boot0::read(bar_).raw()).write(bar_);
	return ok();
}

template <FalconEngine E> void Falcon<E>::dma_reset() const
{
	FbifCtl<E>::update(bar_, [](FbifCtl<E> &r) { r.set_allow_phys_no_ctx(1); });
	Dmactl<E>().write(bar_);
}

template <FalconEngine E> Result<void> Falcon<E>::dma_segment(const DmaSegment<E> &seg) const
{
	seg.base().write(bar_);
	seg.base1().write(bar_);
	for (u32 i = 0; i < seg.count(); i++) {
		const DmaTransfer<E> t = seg.transfer(i);
		t.moffs.write(bar_);
		t.fboffs.write(bar_);
		t.cmd.write(bar_);
		auto idle = time::read_poll_timeout(
			[&] { return Dmatrfcmd<E>::read(bar_); },
			[](const Dmatrfcmd<E> &v) { return v.idle() != 0; },
			timeouts::DMA_IDLE.interval, timeouts::DMA_IDLE.timeout);
		if (!idle) {
			dev_err(pdev_,
				"%s falcon: DMA transfer %u of %u to %s did not finish within %lld "
				"ms\n",
				engine_label<E>(), i + 1, seg.count(), mem_name(seg.mem()),
				ms_of(timeouts::DMA_IDLE.timeout));
			return idle.error();
		}
	}
	return ok();
}

template <FalconEngine E> void Falcon<E>::pio_imem(const PioImem<E> &part, ByteView image) const
{
	part.imemc().write(bar_);
	for (u32 n = 0; n < part.blocks(); n++) {
		const PioBlock<E> b = part.block(n);
		b.tag.write(bar_);
		for (u32 w = 0; w < b.words; w++)
			Imemd<E>().set_data(image.le32(b.src_offset + 4 * w).value()).write(bar_);
	}
}

template <FalconEngine E> void Falcon<E>::pio_dmem(const PioDmem<E> &part, ByteView image) const
{
	part.dmemc().write(bar_);
	for (u32 w = 0; w < part.words(); w++)
		Dmemd<E>().set_data(image.le32(part.src_start() + 4 * w).value()).write(bar_);
}

template <FalconEngine E>
Result<void> Falcon<E>::load(const LoadPlan<E> &plan, const BromPlan<E> &brom, ByteView image) const
{
	if (const DmaPlan<E> *dma = plan.dma()) {
		dma_reset();
		sysmem_context<0>();
		for (const DmaSegment<E> &seg : dma->segments())
			TRY(dma_segment(seg));
	} else {
		const PioPlan<E> &pio = *plan.pio();
		/* Every word inside @image before the first write. */
		if (!pio.fits(image.len()))
			return err::EINVAL;
		dma_reset();
		if (const PioImem<E> *ns = pio.imem_ns())
			pio_imem(*ns, image);
		if (const PioImem<E> *sec = pio.imem_sec())
			pio_imem(*sec, image);
		pio_dmem(pio.dmem(), image);
	}

	if (brom.programmed()) {
		brom.paraaddr0().write(bar_);
		brom.engidmask().write(bar_);
		brom.curr_ucode_id().write(bar_);
		brom.mod_sel().write(bar_);
	}
	plan.bootvec().write(bar_);
	return ok();
}

template <FalconEngine E> void Falcon<E>::start() const
{
	if (Cpuctl<E>::read(bar_).alias_en())
		CpuctlAlias<E>().set_startcpu(1).write(bar_);
	else
		Cpuctl<E>().set_startcpu(1).write(bar_);
}

template <FalconEngine E> Result<void> Falcon<E>::wait_halted() const
{
	auto halted = time::read_poll_timeout([&] { return Cpuctl<E>::read(bar_); },
					      [](const Cpuctl<E> &v) { return v.halted() != 0; },
					      timeouts::HALT.interval, timeouts::HALT.timeout);
	if (!halted) {
		dev_err(pdev_, "%s falcon: did not halt within %lld ms of its start\n",
			engine_label<E>(), ms_of(timeouts::HALT.timeout));
		return halted.error();
	}
	return ok();
}

template <FalconEngine E> void Falcon<E>::set_mailboxes(u32 mbox0, u32 mbox1) const
{
	Mailbox0<E>().set_value(mbox0).write(bar_);
	Mailbox1<E>().set_value(mbox1).write(bar_);
}

template <FalconEngine E> Mailboxes Falcon<E>::mailboxes() const
{
	return Mailboxes { Mailbox0<E>::read(bar_).value(), Mailbox1<E>::read(bar_).value() };
}

template <FalconEngine E> Result<Mailboxes> Falcon<E>::start_and_wait() const
{
	start();
	TRY(wait_halted());
	return mailboxes();
}

template <FalconEngine E> Result<Mailboxes> Falcon<E>::boot(u32 mbox0) const
{
	Mailbox0<E>().set_value(mbox0).write(bar_);
	return start_and_wait();
}

template <FalconEngine E> Result<Mailboxes> Falcon<E>::boot(u32 mbox0, u32 mbox1) const
{
	Mailbox0<E>().set_value(mbox0).write(bar_);
	Mailbox1<E>().set_value(mbox1).write(bar_);
	return start_and_wait();
}

template <FalconEngine E> void Falcon<E>::set_os(u32 version) const
{
	Os<E>().set_value(version).write(bar_);
}

template <FalconEngine E> bool Falcon<E>::riscv_active() const
{
	if (riscv_status(hal_) == RiscvStatus::CoreSwitchStatus)
		return RiscvCoreSwitchStatus<E>::read(bar_).active_stat() != 0;
	return RiscvCpuctl<E>::read(bar_).active_stat() != 0;
}

template <FalconEngine E> Result<void> Falcon<E>::wait_riscv_active() const
{
	auto r = time::read_poll_timeout(
		[&] { return riscv_active(); }, [](bool active) { return active; },
		timeouts::RISCV_ACTIVE.interval, timeouts::RISCV_ACTIVE.timeout);
	if (!r) {
		dev_err(pdev_, "%s falcon: RISC-V core not active within %lld ms\n",
			engine_label<E>(), ms_of(timeouts::RISCV_ACTIVE.timeout));
		return r.error();
	}
	return ok();
}

template class Falcon<Gsp>;
template class Falcon<Sec2>;

} // namespace nova::core::falcon
