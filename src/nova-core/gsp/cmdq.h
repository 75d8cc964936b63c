/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GSP-RM's queues driven (Documentation/gsp-msgq.rst, "Driving the
 * queues"): commands into the command queue of GspMem, messages out of
 * its status queue, over the format and checks of msgq.h.
 *
 *	auto sent = cmdq.send(bar, fn::SET_REGISTRY, ByteView(registry));
 *	u32 got = TRY(cmdq.wait(fn::GSP_INIT_DONE, fn::GSP_INIT_DONE, payload,
 *				timeouts::RECEIVE.timeout));
 *
 * One lock is held for a command and, for command(), its reply. A wait
 * consumes every message before the one it waits for: events are logged
 * (dev_dbg; OS_ERROR_LOG also dev_info, a few times at most), replies to
 * commands sent without waiting and functions this driver does not know
 * are counted and dropped, so nothing blocks the ring. The wait has one
 * deadline which the dropped messages do not move. A message that fails
 * a check of msgq.h's receive() is EIO and stays where it is: the queue
 * is then broken for good (broken() and last_error() say why).
 */
#ifndef NOVA_CORE_GSP_CMDQ_H
#define NOVA_CORE_GSP_CMDQ_H

#include <kernel/alloc.h>
#include <kernel/debugfs.h>
#include <kernel/dma.h>
#include <kernel/error.h>
#include <kernel/pci.h>
#include <kernel/sync.h>
#include <kernel/time.h>

#include "falcon/falcon.h"
#include "gsp/msgq.h"

namespace nova::core::gsp {

/* The functions and events this driver knows: upstream nova-core's table (r570.144's numbers). */
struct FunctionInfo {
	u32 number;
	const char *name;
};
inline constexpr FunctionInfo FUNCTIONS[] = {
	{ 0, "NOP" },
	{ 1, "SET_GUEST_SYSTEM_INFO" },
	{ 2, "ALLOC_ROOT" },
	{ 3, "ALLOC_DEVICE" },
	{ 4, "ALLOC_MEMORY" },
	{ 5, "ALLOC_CTX_DMA" },
	{ 6, "ALLOC_CHANNEL_DMA" },
	{ 7, "MAP_MEMORY" },
	{ 8, "BIND_CTX_DMA" },
	{ 9, "ALLOC_OBJECT" },
	{ 10, "FREE" },
	{ 11, "LOG" },
	{ fn::UNLOADING_GUEST_DRIVER, "UNLOADING_GUEST_DRIVER" },
	{ 51, "GET_STATIC_INFO" },
	{ fn::GET_GSP_STATIC_INFO, "GET_GSP_STATIC_INFO" },
	{ fn::CONTINUATION_RECORD, "CONTINUATION_RECORD" },
	{ fn::GSP_SET_SYSTEM_INFO, "GSP_SET_SYSTEM_INFO" },
	{ fn::SET_REGISTRY, "SET_REGISTRY" },
	{ 74, "GSP_INIT_POST_OBJGPU" },
	{ 76, "GSP_RM_CONTROL" },
	{ 103, "GSP_RM_ALLOC" },
	{ fn::GSP_INIT_DONE, "GSP_INIT_DONE" },
	{ fn::GSP_RUN_CPU_SEQUENCER, "GSP_RUN_CPU_SEQUENCER" },
	{ fn::POST_EVENT, "POST_EVENT" },
	{ fn::RC_TRIGGERED, "RC_TRIGGERED" },
	{ fn::MMU_FAULT_QUEUED, "MMU_FAULT_QUEUED" },
	{ fn::OS_ERROR_LOG, "OS_ERROR_LOG" },
	{ fn::UCODE_LIBOS_PRINT, "UCODE_LIBOS_PRINT" },
	{ fn::GSP_LOCKDOWN_NOTICE, "GSP_LOCKDOWN_NOTICE" },
	{ fn::GSP_POST_NOCAT_RECORD, "GSP_POST_NOCAT_RECORD" },
};
inline constexpr size_t KNOWN_FUNCTIONS = sizeof(FUNCTIONS) / sizeof(FUNCTIONS[0]);

/* @function's index in FUNCTIONS, or KNOWN_FUNCTIONS for one this driver does not know. */
size_t function_index(u32 function);
/* @function's name, or "unknown". */
const char *function_name(u32 function);

/* Messages counted by function, for debugfs's gsp_queues. */
struct QueueCounts {
	u32 sent[KNOWN_FUNCTIONS]; /* elements, continuation records included */
	u32 received[KNOWN_FUNCTIONS];
	u32 unknown; /* received messages of functions not in FUNCTIONS */
	u32 error_logs; /* OS_ERROR_LOG lines printed */
};

/* What a wait does with a message it took from the status queue. */
enum class Disposition : u8 {
	Awaited, /* returned to the waiter */
	Event, /* logged, dropped */
	Reply, /* a known function that was not awaited: dropped */
	Unknown, /* not in FUNCTIONS: counted, dropped */
};

/*
 * How a wait for @a or @b treats a message of @function, counted in
 * @counts. Pure: the queue's policy, tested by KUnit.
 */
Disposition classify(u32 function, u32 a, u32 b, QueueCounts &counts);

/* OS_ERROR_LOG lines printed at most, per boot; later ones are dev_dbg. */
inline constexpr u32 ERROR_LOG_LINES = 8;

class Cmdq {
public:
	/* The queues of @mem (GspMem, as LibosMemory made it). */
	Cmdq(const kernel::pci::Device &pdev, kernel::dma::Coherent &mem);

	/*
	 * Sends @function with @payload (continuation records past
	 * PAYLOAD_MAX) and rings the doorbell. ETIMEDOUT: no room within
	 * 1 s; EIO: GSP-RM's read pointer out of range, or the queue is
	 * broken; ENOMEM.
	 */
	kernel::Result<void> send(const falcon::Bar0 &bar, u32 function, kernel::ByteView payload);

	/*
	 * Waits for a message of function @a or @b (the same for one) for
	 * @timeout, consuming the others; its payload into @payload, its
	 * function returned. ETIMEDOUT; EIO: a message failed a check
	 * (last_error()), or the queue is broken; ENOMEM.
	 */
	kernel::Result<u32> wait(u32 a, u32 b, kernel::KVec<u8> &payload,
				 kernel::time::Delta timeout);

	/* send() and wait() for the reply of the same function, under one lock hold. */
	kernel::Result<void> command(const falcon::Bar0 &bar, u32 function,
				     kernel::ByteView payload, kernel::KVec<u8> &reply,
				     kernel::time::Delta timeout);

	/* Why the last wait's message was refused (MsgError::None: it was not). */
	MsgError last_error() const;
	/* A message was refused: the queue stays stuck there. */
	bool broken() const { return last_error() != MsgError::None; }

	/* debugfs's gsp_queues: the four pointers, the counters. */
	void show(kernel::debugfs::SeqFile &m) const;

private:
	struct State {
		u32 seq = 0; /* the next element's seqNum */
		QueueCounts counts {};
		MsgError error = MsgError::None;
		kernel::KVec<u8> element; /* the element being sent */
	};
	kernel::Result<void> send_locked(State &s, const falcon::Bar0 &bar, u32 function,
					 kernel::ByteView payload);
	kernel::Result<void> send_element(State &s, kernel::ByteView element);
	kernel::Result<u32> wait_locked(State &s, u32 a, u32 b, kernel::KVec<u8> &payload,
					kernel::time::Delta timeout);
	void dispose(State &s, const Received &r, kernel::ByteView payload, Disposition d);
	u32 pointer(size_t off) const;

	const kernel::pci::Device &pdev_;
	kernel::dma::Coherent &mem_;
	mutable kernel::Mutex<State> state_;
};

} // namespace nova::core::gsp

#endif /* NOVA_CORE_GSP_CMDQ_H */
