// SPDX-License-Identifier: GPL-2.0
/*
 * The command and status queues driven (cmdq.h), as upstream nova-core's
 * gsp/cmdq.rs and OpenRM's message_queue_cpu.c drive them.
 */
#include <kernel/print.h>

#include "falcon/timeouts.h"
#include "gsp/cmdq.h"

using namespace kernel;

namespace nova::core::gsp {

namespace {

/*
 * The pointers in GspMem. With MSGQ_FLAGS_SWAP_RX each consumer's read
 * pointer lives in the other queue's rx header.
 */
constexpr size_t CPU_WRITE_PTR = CMDQ_OFFSET + 16; /* cmdq tx.writePtr */
constexpr size_t GSP_READ_PTR = STATQ_OFFSET + MSGQ_RX_HDR_OFF; /* of the command ring */
constexpr size_t GSP_WRITE_PTR = STATQ_OFFSET + 16; /* statq tx.writePtr */
constexpr size_t CPU_READ_PTR = CMDQ_OFFSET + MSGQ_RX_HDR_OFF; /* of the status ring */
constexpr size_t CMD_RING = CMDQ_OFFSET + GSP_PAGE;
constexpr size_t STAT_RING = STATQ_OFFSET + GSP_PAGE;

/* NV_PGSP_QUEUE_HEAD(0): a write tells GSP-RM the command queue moved. */
constexpr size_t DOORBELL = 0x110c00;

/* os_error_log_v17_00: exceptType, runlistId, chid, errString[256]. */
constexpr size_t ERROR_LOG_STRING = 12;
constexpr size_t ERROR_LOG_STRING_MAX = 256;

} // namespace

size_t function_index(u32 function)
{
	for (size_t i = 0; i < KNOWN_FUNCTIONS; i++)
		if (FUNCTIONS[i].number == function)
			return i;
	return KNOWN_FUNCTIONS;
}

const char *function_name(u32 function)
{
	size_t i = function_index(function);
	return i < KNOWN_FUNCTIONS ? FUNCTIONS[i].name : "unknown";
}

Disposition classify(u32 function, u32 a, u32 b, QueueCounts &counts)
{
	const size_t i = function_index(function);
	if (i == KNOWN_FUNCTIONS) {
		counts.unknown++;
		return Disposition::Unknown;
	}
	counts.received[i]++;
	if (function == a || function == b)
		return Disposition::Awaited;
	return function >= fn::GSP_INIT_DONE ? Disposition::Event : Disposition::Reply;
}

Cmdq::Cmdq(const pci::Device &pdev, dma::Coherent &mem)
	: pdev_(pdev), mem_(mem), state_(LOCK_CLASS("nova::gsp::cmdq"))
{}

/* A queue pointer, or MSGQ_NUM_PAGES (out of range) if GspMem is not there. */
u32 Cmdq::pointer(size_t off) const
{
	auto v = mem_.read32(off);
	return v ? *v : MSGQ_NUM_PAGES;
}

MsgError Cmdq::last_error() const
{
	return state_.lock()->error;
}

Result<void> Cmdq::send_element(State &s, ByteView element)
{
	const u32 slots = slots_for(element.len());
	const u32 tx = pointer(CPU_WRITE_PTR);
	if (tx >= MSGQ_NUM_PAGES)
		return err::EIO;
	/* GSP-RM's read pointer: room for the whole element, one slot always empty. */
	auto room = time::read_poll_timeout(
		[&]() -> Result<u32> {
			const u32 rx = pointer(GSP_READ_PTR);
			if (rx >= MSGQ_NUM_PAGES)
				return err::EIO;
			return free_slots(tx, rx);
		},
		[&](u32 free) { return free >= slots; }, timeouts::CMDQ_SPACE.interval,
		timeouts::CMDQ_SPACE.timeout);
	if (!room)
		return room.error();

	const size_t at = size_t { tx } * GSP_PAGE;
	const size_t first = ktl::min(element.len(), RING_SIZE - at);
	TRY(mem_.write(CMD_RING + at, element.prefix(first)));
	if (first < element.len())
		TRY(mem_.write(CMD_RING, TRY(element.sub(first, element.len() - first))));
	/* The element before the pointer that publishes it. */
	dma::full_fence();
	TRY(mem_.write32(CPU_WRITE_PTR, (tx + slots) % MSGQ_NUM_PAGES));
	dma::full_fence();
	s.seq++;
	return ok();
}

Result<void> Cmdq::send_locked(State &s, const falcon::Bar0 &bar, u32 function, ByteView payload)
{
	if (s.error != MsgError::None)
		return err::EIO;
	const SendPlan plan = plan_send(payload.len());
	size_t at = 0;
	for (u32 i = 0; i < plan.elements; i++) {
		const size_t len = i == 0 ? plan.first : ktl::min(PAYLOAD_MAX, payload.len() - at);
		const u32 f = i == 0 ? function : fn::CONTINUATION_RECORD;
		TRY(build_element(s.element, f, s.seq, TRY(payload.sub(at, len))));
		TRY(send_element(s, ByteView(s.element)));
		if (size_t k = function_index(f); k < KNOWN_FUNCTIONS)
			s.counts.sent[k]++;
		dev_dbg(pdev_, "GSP RPC: send: seq# %u, function=%s (%u), length=%#zx\n", s.seq - 1,
			function_name(f), f, s.element.len());
		at += len;
	}
	/* The doorbell: GSP-RM reads the command queue. */
	TRY(bar.try_write32(DOORBELL, 0));
	return ok();
}

void Cmdq::dispose(State &s, const Received &r, ByteView payload, Disposition d)
{
	const u32 f = r.rpc.function;
	switch (d) {
	case Disposition::Awaited:
		return;
	case Disposition::Unknown:
		dev_dbg(pdev_, "GSP RPC: dropped a message of unknown function %u\n", f);
		return;
	case Disposition::Reply:
		dev_dbg(pdev_, "GSP RPC: reply to %s (%u) dropped, result %#x\n", function_name(f),
			f, r.rpc.rpc_result);
		return;
	case Disposition::Event:
		break;
	}
	if (f != fn::OS_ERROR_LOG || payload.len() <= ERROR_LOG_STRING) {
		dev_dbg(pdev_, "GSP RPC: event %s (%u), %zu bytes\n", function_name(f), f,
			payload.len());
		return;
	}
	/* errString: up to its NUL or newline, inside the payload and the field. */
	const size_t max = ktl::min(ERROR_LOG_STRING_MAX, payload.len() - ERROR_LOG_STRING);
	char line[ERROR_LOG_STRING_MAX + 1];
	size_t n = 0;
	for (; n < max; n++) {
		const u8 c = payload.u8_at(ERROR_LOG_STRING + n).value();
		if (!c || c == '\n')
			break;
		/* GSP-RM's text, printable or not: the log gets ASCII. */
		line[n] = c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?';
	}
	line[n] = 0;
	const u32 exception = payload.le32(0).value();
	if (s.counts.error_logs < ERROR_LOG_LINES) {
		s.counts.error_logs++;
		dev_info(pdev_, "GSP-RM error log: exception %u: %s\n", exception, line);
	} else {
		dev_dbg(pdev_, "GSP-RM error log: exception %u: %s\n", exception, line);
	}
}

Result<u32> Cmdq::wait_locked(State &s, u32 a, u32 b, KVec<u8> &payload, time::Delta timeout)
{
	if (s.error != MsgError::None)
		return err::EIO;
	const ByteView ring = TRY(mem_.bytes().sub(STAT_RING, RING_SIZE));
	/* One deadline: the messages dropped on the way do not move it. */
	const time::Instant deadline = time::Instant::now() + timeout;
	for (;;) {
		const u32 rx = pointer(CPU_READ_PTR);
		const u32 tx = pointer(GSP_WRITE_PTR);
		MsgError why = MsgError::None;
		auto r = receive(ring, rx, tx, payload, &why);
		if (!r && r.error() == err::EAGAIN) {
			if (time::Instant::now() > deadline)
				return err::ETIMEDOUT;
			time::fsleep(timeouts::RECEIVE.interval);
			continue;
		}
		if (!r) {
			if (r.error() == err::EIO)
				s.error = why;
			return r.error();
		}
		/* Read before the pointer that gives the slots back. */
		dma::full_fence();
		TRY(mem_.write32(CPU_READ_PTR, (rx + r->slots) % MSGQ_NUM_PAGES));
		const u32 f = r->rpc.function;
		const Disposition d = classify(f, a, b, s.counts);
		dispose(s, *r, ByteView(payload), d);
		if (d == Disposition::Awaited) {
			dev_dbg(pdev_, "GSP RPC: receive: seq# %u, function=%s (%u), length=%#x\n",
				r->element.seq_num, function_name(f), f, r->rpc.length);
			return f;
		}
	}
}

Result<void> Cmdq::send(const falcon::Bar0 &bar, u32 function, ByteView payload)
{
	auto s = state_.lock();
	return send_locked(*s, bar, function, payload);
}

Result<u32> Cmdq::wait(u32 a, u32 b, KVec<u8> &payload, time::Delta timeout)
{
	auto s = state_.lock();
	return wait_locked(*s, a, b, payload, timeout);
}

Result<void> Cmdq::command(const falcon::Bar0 &bar, u32 function, ByteView payload, KVec<u8> &reply,
			   time::Delta timeout)
{
	auto s = state_.lock();
	TRY(send_locked(*s, bar, function, payload));
	TRY(wait_locked(*s, function, function, reply, timeout));
	return ok();
}

void Cmdq::show(debugfs::SeqFile &m) const
{
	auto s = state_.lock();
	m.print("command queue: write %u read %u (GSP-RM's), next seqNum %u\n",
		pointer(CPU_WRITE_PTR), pointer(GSP_READ_PTR), s->seq);
	m.print("status queue: write %u (GSP-RM's) read %u\n", pointer(GSP_WRITE_PTR),
		pointer(CPU_READ_PTR));
	if (s->error != MsgError::None)
		m.print("broken: %s\n", msg_error_name(s->error));
	m.print("function sent received\n");
	for (size_t i = 0; i < KNOWN_FUNCTIONS; i++)
		if (s->counts.sent[i] || s->counts.received[i])
			m.print("%s (%u) %u %u\n", FUNCTIONS[i].name, FUNCTIONS[i].number,
				s->counts.sent[i], s->counts.received[i]);
	m.print("unknown received %u\n", s->counts.unknown);
}

} // namespace nova::core::gsp
