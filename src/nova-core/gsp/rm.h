/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GSP-RM once Booter started it (Documentation/falcon.rst, "GSP-RM"): the
 * memory it was handed, the queues over it, and the steps r570.144 takes
 * before it serves the driver, as upstream nova-core takes them:
 *
 *	GSP_SET_SYSTEM_INFO	->	(no reply awaited)
 *	SET_REGISTRY		->	(no reply awaited)
 *	GSP_RUN_CPU_SEQUENCER	<-	run (sequencer.h); GSP-RM may also go
 *					straight to INIT_DONE: accepted
 *	GSP_INIT_DONE		<-
 *	GET_GSP_STATIC_INFO	<->	the GPU's name
 *
 * and the one it takes before it is unloaded (UNLOADING_GUEST_DRIVER and
 * the processor's suspend). Its debugfs files live and die with it, in the
 * GPU's directory: loginit, logintr, logrm (the LIBOS logs, 64 KiB each,
 * raw) and gsp_queues.
 */
#ifndef NOVA_CORE_GSP_RM_H
#define NOVA_CORE_GSP_RM_H

#include <kernel/debugfs.h>
#include <kernel/error.h>
#include <kernel/pci.h>

#include "falcon/falcon.h"
#include "gsp/boot.h"
#include "gsp/cmdq.h"
#include "gsp/libos.h"

namespace nova::core::gsp {

class Rm {
public:
	/* Made before Booter runs, in place (it holds a lock): KBox<Rm>::create(). */
	Rm(const kernel::pci::Device &pdev, LibosMemory memory);
	Rm(const Rm &) = delete;
	Rm &operator=(const Rm &) = delete;

	const LibosMemory &memory() const { return memory_; }

	/*
	 * The steps above, after the RISC-V core is active: @sys what
	 * GSP_SET_SYSTEM_INFO says, @hal and @app_version for the
	 * sequencer. Errors, with the step in *@step and, for a message
	 * refused by its checks (EIO), *@detail naming the check: see
	 * BootStep. The GPU's name is name() afterwards.
	 */
	kernel::Result<void> init(const falcon::Bar0 &bar, const SystemInfoInput &sys,
				  falcon::FalconHal hal, u32 app_version, BootStep *step,
				  const char **detail);

	/* GSP_INIT_DONE arrived: GSP-RM runs from WPR2. */
	bool initialized() const { return init_done_; }
	/* The GPU's name from the static info; empty until then. */
	const char *name() const { return name_; }

	/*
	 * Tells GSP-RM the driver goes (UNLOADING_GUEST_DRIVER, its reply
	 * awaited 5 s) and waits for GSP MAILBOX0 bit 31, the processor
	 * suspended (10 ms / 5 s). Only after INIT_DONE and on a queue that
	 * is not broken (else ENODEV at once). ETIMEDOUT, EIO, ENOMEM.
	 */
	kernel::Result<void> unload_guest(const falcon::Bar0 &bar, falcon::FalconHal hal);

	/*
	 * The debugfs files in @gpu's directory (see above); they are
	 * removed when this object goes, before its memory.
	 */
	void publish(const kernel::debugfs::Dir &gpu);

	/* debugfs's gsp_queues. */
	void show_queues(kernel::debugfs::SeqFile &m) const;

private:
	const kernel::pci::Device &pdev_;
	LibosMemory memory_;
	Cmdq cmdq_;
	bool init_done_ = false;
	char name_[GPU_NAME_SIZE] = {};
	kernel::debugfs::Dir debugfs_; /* last: its files go first */
};

} // namespace nova::core::gsp

#endif /* NOVA_CORE_GSP_RM_H */
