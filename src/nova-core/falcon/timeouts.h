/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How long nova-core waits for a falcon, and for what runs on one, at each
 * step of the boot (Documentation/falcon.rst, "Timeouts"): the interval
 * between two reads and the time after which the wait fails, as
 * time::read_poll_timeout() takes them:
 *
 *	TRY(time::read_poll_timeout([&] { return Cpuctl<E>::read(bar); },
 *				    [](Cpuctl<E> c) { return c.halted(); },
 *				    timeouts::HALT.interval, timeouts::HALT.timeout));
 *
 * Upstream nova-core's values (falcon.rs, the falcon HALs, the GSP boot and queue,
 * fsp.rs), the same in every version unless a comment says otherwise. An
 * interval of zero polls without sleeping.
 */
#ifndef NOVA_CORE_FALCON_TIMEOUTS_H
#define NOVA_CORE_FALCON_TIMEOUTS_H

#include <kernel/time.h>

namespace nova::core::timeouts {

using kernel::time::Delta;

struct PollTiming {
	Delta interval;
	Delta timeout;
};

/* The falcon */

/* HWCFG2.reset_ready before a reset (GA102 HAL); never reaching it is not an error. */
inline constexpr PollTiming RESET_READY { Delta(), Delta::from_us(150) };
/* How long ENGINE.reset is held. */
inline constexpr Delta ENGINE_RESET_PULSE = Delta::from_us(10);
/* IMEM and DMEM scrubbed after a reset: HWCFG2 (GA102 HAL), DMACTL (TU102 HAL). */
inline constexpr PollTiming MEM_SCRUB_GA102 { Delta(), Delta::from_ms(20) };
inline constexpr PollTiming MEM_SCRUB_TU102 { Delta(), Delta::from_ms(10) };
/* RISCV_BCR_CTRL.valid after selecting the falcon core (GA102 HAL). */
inline constexpr PollTiming BCR_VALID { Delta(), Delta::from_ms(10) };
/* DMATRFCMD.idle after each 256-byte transfer. */
inline constexpr PollTiming DMA_IDLE { Delta(), Delta::from_secs(2) };
/* CPUCTL.halted after a start: how long a ucode may run. */
inline constexpr PollTiming HALT { Delta(), Delta::from_secs(2) };

/* The GSP boot that runs on them */

/* The GSP's RISC-V core active after Booter. */
inline constexpr PollTiming RISCV_ACTIVE { Delta::from_ms(10), Delta::from_secs(5) };
/* Room in the command queue. */
inline constexpr PollTiming CMDQ_SPACE { Delta::from_us(1), Delta::from_secs(1) };
/*
 * A message from the GSP (7.2's Cmdq::RECEIVE_TIMEOUT; 6.19 waited 10 s
 * for INIT_DONE and the sequencer). Upstream restarts it at each message
 * it discards; here it is one deadline for the whole wait, so that a
 * flood of other messages cannot make a wait endless.
 */
inline constexpr PollTiming RECEIVE { Delta::from_ms(1), Delta::from_secs(5) };
/* The reply to GET_GSP_STATIC_INFO. */
inline constexpr Delta GSP_STATIC_INFO_REPLY = Delta::from_secs(5);
/* A sequencer REG_POLL whose payload gives 0 µs. */
inline constexpr Delta SEQUENCER_REG_POLL_DEFAULT = Delta::from_secs(4);
/* The sequencer's CORE_RESUME: the falcon reloaded and halted. */
inline constexpr PollTiming CORE_RESUME { Delta(), Delta::from_secs(2) };
/* Unload: GSP MAILBOX0 bit 31 (the processor suspended). */
inline constexpr PollTiming UNLOAD_SUSPEND { Delta::from_ms(10), Delta::from_secs(5) };
/* Hopper and Blackwell: FSP's secure boot, its reply, the GSP's lockdown released. */
inline constexpr PollTiming FSP_SECURE_BOOT { Delta::from_ms(10), Delta::from_secs(5) };
inline constexpr PollTiming FSP_REPLY { Delta::from_ms(10), Delta::from_secs(2) };
inline constexpr PollTiming GSP_LOCKDOWN_RELEASE { Delta::from_ms(10), Delta::from_secs(30) };

} // namespace nova::core::timeouts

#endif /* NOVA_CORE_FALCON_TIMEOUTS_H */
