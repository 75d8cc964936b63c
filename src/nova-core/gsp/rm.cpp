// SPDX-License-Identifier: GPL-2.0
/*
 * GSP-RM's init and unload over its queues (rm.h), in upstream nova-core's
 * order (gsp/boot.rs, gsp/commands.rs).
 */
#include <kernel/print.h>

#include "falcon/timeouts.h"
#include "gsp/rm.h"
#include "gsp/sequencer.h"

using namespace kernel;

namespace nova::core::gsp {

namespace {

/* rpc_unloading_guest_driver_v1F_07: bInPMTransition, bGc6Entering, newLevel (0: GPU_LEVEL_0). */
constexpr size_t UNLOADING_GUEST_DRIVER_SIZE = 8;
/* GSP MAILBOX0 bit 31: LIBOS_INTERRUPT_PROCESSOR_SUSPENDED. */
constexpr u32 PROCESSOR_SUSPENDED = 1u << 31;

} // namespace

Rm::Rm(const pci::Device &pdev, LibosMemory memory)
	: pdev_(pdev), memory_(ktl::move(memory)), cmdq_(pdev, memory_.gsp_mem())
{}

Result<void> Rm::init(const falcon::Bar0 &bar, const SystemInfoInput &sys, falcon::FalconHal hal,
		      u32 app_version, BootStep *failed, const char **detail)
{
	BootStep dummy;
	BootStep &step = failed ? *failed : dummy;
	/* A message refused by its checks: the check's name for the boot's line. */
	auto refused = [&](Error e) -> Error {
		if (detail && e == err::EIO && cmdq_.broken())
			*detail = msg_error_name(cmdq_.last_error());
		return e;
	};

	step = BootStep::SystemInfo;
	u8 info[SYSTEM_INFO_SIZE];
	build_system_info(sys, info);
	if (auto r = cmdq_.send(bar, fn::GSP_SET_SYSTEM_INFO, ByteView(info)); !r)
		return refused(r.error());

	step = BootStep::Registry;
	auto registry = TRY(pack_registry(REGISTRY_ENTRIES,
					  sizeof(REGISTRY_ENTRIES) / sizeof(REGISTRY_ENTRIES[0])));
	if (auto r = cmdq_.send(bar, fn::SET_REGISTRY, ByteView(registry)); !r)
		return refused(r.error());

	/* The sequencer, if GSP-RM sends one before INIT_DONE. */
	step = BootStep::Sequencer;
	KVec<u8> payload;
	auto got = cmdq_.wait(fn::GSP_RUN_CPU_SEQUENCER, fn::GSP_INIT_DONE, payload,
			      timeouts::RECEIVE.timeout);
	if (!got)
		return refused(got.error());
	if (*got == fn::GSP_RUN_CPU_SEQUENCER) {
		GpuSequencer target(pdev_, bar, hal, memory_.handle(), app_version);
		TRY(run_cpu_sequencer(pdev_, target, ByteView(payload)));
		step = BootStep::InitDone;
		auto done = cmdq_.wait(fn::GSP_INIT_DONE, fn::GSP_INIT_DONE, payload,
				       timeouts::RECEIVE.timeout);
		if (!done)
			return refused(done.error());
	} else {
		dev_dbg(pdev_, "GSP-RM: INIT_DONE without a CPU sequencer\n");
	}
	init_done_ = true;

	step = BootStep::StaticInfo;
	KVec<u8> request;
	TRY(request.resize(STATIC_INFO_SIZE, gfp::KERNEL));
	if (auto r = cmdq_.command(bar, fn::GET_GSP_STATIC_INFO, ByteView(request), payload,
				   timeouts::GSP_STATIC_INFO_REPLY);
	    !r)
		return refused(r.error());
	if (auto r = static_info_name(ByteView(payload), name_); !r) {
		if (detail)
			*detail = payload.len() < STATIC_INFO_SIZE
					  ? "reply shorter than GspStaticConfigInfo"
					  : "GPU name not NUL-terminated";
		return r.error();
	}
	return ok();
}

Result<void> Rm::unload_guest(const falcon::Bar0 &bar, falcon::FalconHal hal)
{
	if (!init_done_ || cmdq_.broken())
		return err::ENODEV;
	const u8 unloading[UNLOADING_GUEST_DRIVER_SIZE] = {};
	KVec<u8> reply;
	TRY(cmdq_.command(bar, fn::UNLOADING_GUEST_DRIVER, ByteView(unloading), reply,
			  timeouts::RECEIVE.timeout));
	falcon::Falcon<falcon::Gsp> gsp(pdev_, bar, hal);
	TRY(time::read_poll_timeout([&] { return gsp.mailboxes().mbox0; },
				    [](u32 m) { return (m & PROCESSOR_SUSPENDED) != 0; },
				    timeouts::UNLOAD_SUSPEND.interval,
				    timeouts::UNLOAD_SUSPEND.timeout));
	return ok();
}

void Rm::show_queues(debugfs::SeqFile &m) const
{
	cmdq_.show(m);
}

void Rm::publish(const debugfs::Dir &gpu)
{
	debugfs_ = gpu.share();
	debugfs_.blob("loginit", memory_.loginit());
	debugfs_.blob("logintr", memory_.logintr());
	debugfs_.blob("logrm", memory_.logrm());
	debugfs_.text<&Rm::show_queues>("gsp_queues", *this);
}

} // namespace nova::core::gsp
