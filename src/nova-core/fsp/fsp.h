/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The FSP of Hopper and Blackwell (Documentation/falcon.rst, "The FSP"):
 * the falcon that checks the fmc firmware and starts GSP-FMC on the GSP,
 * as upstream nova-core 7.2's fsp.rs and falcon/fsp.rs drive it:
 *
 *	TRY(fsp::wait_secure_boot(pdev, bar, chip));	// I2CS scratch 0xff
 *	TRY(fsp::chain_of_trust(pdev, bar, cot, &why));	// COT over EMEM
 *	TRY(fsp::wait_lockdown_release(pdev, bar, params));
 *
 * Its message channel is EMEM channel 0: the driver writes a message
 * through EMEMC/EMEMD with auto-increment and publishes it with
 * QUEUE_TAIL(0) = length - 4, then QUEUE_HEAD(0) = 0; the FSP's reply is
 * there when MSGQ_HEAD(0) != MSGQ_TAIL(0). Every wait has its bound of
 * falcon/timeouts.h and is ETIMEDOUT with one dev_err.
 */
#ifndef NOVA_CORE_FSP_FSP_H
#define NOVA_CORE_FSP_FSP_H

#include <kernel/alloc.h>
#include <kernel/error.h>
#include <kernel/io.h>
#include <kernel/pci.h>

#include "falcon/falcon.h"
#include "fsp/messages.h"
#include "gpu.h"

namespace nova::core::fsp {

/* NV_THERM_I2CS_SCRATCH: 0xff once the FSP's secure boot is complete. */
inline constexpr u32 SECURE_BOOT_COMPLETE = 0xff;
struct I2csScratchGh100 : kernel::io::Register32<I2csScratchGh100, 0x0200bc> {
	using Register32::Register32;
};
struct I2csScratchGb202 : kernel::io::Register32<I2csScratchGb202, 0x00ad00bc> {
	using Register32::Register32;
};

/* NV_PFSP_QUEUE_HEAD/TAIL(0), NV_PFSP_MSGQ_HEAD/TAIL(0): channel 0's pointers. */
struct QueueHead : kernel::io::Register32<QueueHead, 0x8f2c00> {
	using Register32::Register32;
};
struct QueueTail : kernel::io::Register32<QueueTail, 0x8f2c04> {
	using Register32::Register32;
};
struct MsgqHead : kernel::io::Register32<MsgqHead, 0x8f2c80> {
	using Register32::Register32;
};
struct MsgqTail : kernel::io::Register32<MsgqTail, 0x8f2c84> {
	using Register32::Register32;
};

/* The I2CS scratch register of @chipset now. */
u32 secure_boot_status(const falcon::Bar0 &bar, const Chipset &chipset);

/*
 * Waits (10 ms / 5 s) for the FSP to say its secure boot is complete.
 * ETIMEDOUT.
 */
kernel::Result<void> wait_secure_boot(const kernel::pci::Device &pdev, const falcon::Bar0 &bar,
				      const Chipset &chipset);

/*
 * Writes @msg into EMEM channel 0 and hands it to the FSP. EINVAL
 * (nothing written) for a message empty, longer than the channel or not
 * whole dwords.
 */
kernel::Result<void> send(const falcon::Bar0 &bar, kernel::ByteView msg);

/*
 * Waits (10 ms / 2 s) for the FSP's message and reads it; the message
 * queue's pointers are reset afterwards, whatever happened. ETIMEDOUT;
 * EMSGSIZE (nothing read) for a size past the channel, EPROTO for one
 * that is not whole dwords; ENOMEM.
 */
kernel::Result<kernel::KVec<u8>> receive(const falcon::Bar0 &bar);

/*
 * Sends @cot and checks the FSP's reply (check_reply; the reason in
 * *@why). The errors of send(), receive() and check_reply().
 */
kernel::Result<void> chain_of_trust(const kernel::pci::Device &pdev, const falcon::Bar0 &bar,
				    const CotMessage &cot, ReplyError *why);

/*
 * Waits (10 ms / 30 s) until GSP-FMC released the GSP's lockdown
 * (lockdown_state() over the GSP's HWCFG2 and mailboxes, @boot_params
 * the boot parameters' bus address). ETIMEDOUT; EIO when GSP-FMC
 * reports an error in MAILBOX0.
 */
kernel::Result<void> wait_lockdown_release(const kernel::pci::Device &pdev, const falcon::Bar0 &bar,
					   u64 boot_params);

/*
 * The unload's last step: waits (10 ms / 5 s) until the priv target mask
 * is released and the GSP's RISC-V core halted. ETIMEDOUT.
 */
kernel::Result<void> wait_gsp_halted(const kernel::pci::Device &pdev, const falcon::Bar0 &bar);

} // namespace nova::core::fsp

#endif /* NOVA_CORE_FSP_FSP_H */
