// SPDX-License-Identifier: GPL-2.0
/*
 * The message queues' format and checks (msgq.h).
 */
#include "gsp/msgq.h"

using namespace kernel;

namespace nova::core::gsp {

u32 element_checksum(ByteView element)
{
	u64 sum = 0;
	const size_t len = element.len();
	for (size_t i = 0; i < len; i += 8) {
		u64 word = 0;
		for (size_t b = 0; b < 8 && i + b < len; b++)
			word |= u64 { *element.u8_at(i + b) } << (8 * b);
		sum ^= word;
	}
	return static_cast<u32>(sum >> 32) ^ static_cast<u32>(sum);
}

SendPlan plan_send(size_t payload)
{
	if (payload <= PAYLOAD_MAX)
		return SendPlan { 1, payload, payload };
	const size_t rest = payload - PAYLOAD_MAX;
	const size_t more = (rest + PAYLOAD_MAX - 1) / PAYLOAD_MAX;
	return SendPlan { static_cast<u32>(1 + more), PAYLOAD_MAX,
			  rest - (more - 1) * PAYLOAD_MAX };
}

Result<void> build_element(KVec<u8> &out, u32 function, u32 seq, ByteView payload)
{
	const size_t bytes = MESSAGE_HEADER_SIZE + payload.len();
	if (payload.len() > PAYLOAD_MAX)
		return err::EMSGSIZE;
	MsgqElementHeader element {};
	element.seq_num = seq;
	element.elem_count = slots_for(bytes);
	const RpcHeader rpc {
		.header_version = RPC_HEADER_VERSION,
		.signature = RPC_SIGNATURE,
		.length = static_cast<u32>(sizeof(RpcHeader) + payload.len()),
		.function = function,
		.rpc_result = 0xffffffff,
		.rpc_result_private = 0xffffffff,
		.sequence = 0,
		.spare = 0,
	};
	out.truncate(0);
	TRY(out.resize(bytes, gfp::KERNEL));
	__builtin_memcpy(out.begin(), &element, sizeof(element));
	__builtin_memcpy(out.begin() + ELEMENT_HEADER_SIZE, &rpc, sizeof(rpc));
	TRY(payload.copy_to(0, out.begin() + MESSAGE_HEADER_SIZE, payload.len()));
	element.checksum = element_checksum(ByteView(out));
	__builtin_memcpy(out.begin(), &element, sizeof(element));
	return ok();
}

Result<void> ring_write(u8 *ring, u32 slot, ByteView data)
{
	if (slot >= MSGQ_NUM_PAGES || data.len() > RING_SIZE)
		return err::EINVAL;
	const size_t at = size_t { slot } * GSP_PAGE;
	const size_t first = ktl::min(data.len(), RING_SIZE - at);
	TRY(data.copy_to(0, ring + at, first));
	return data.copy_to(first, ring, data.len() - first);
}

Result<void> ring_read(ByteView ring, u32 slot, size_t len, u8 *out)
{
	if (slot >= MSGQ_NUM_PAGES || len > RING_SIZE || ring.len() != RING_SIZE)
		return err::EINVAL;
	const size_t at = size_t { slot } * GSP_PAGE;
	const size_t first = ktl::min(len, RING_SIZE - at);
	TRY(ring.copy_to(at, out, first));
	return ring.copy_to(0, out + first, len - first);
}

const char *msg_error_name(MsgError e)
{
	switch (e) {
	case MsgError::None:
		return "none";
	case MsgError::Pointer:
		return "pointer out of range";
	case MsgError::Short:
		return "fewer bytes than advertised";
	case MsgError::Length:
		return "RPC length";
	case MsgError::Header:
		return "RPC signature or version";
	case MsgError::Count:
		return "element count";
	case MsgError::Checksum:
		break;
	}
	return "bad checksum";
}

Result<Received> receive(ByteView ring, u32 read, u32 write, KVec<u8> &payload, MsgError *why)
{
	MsgError dummy;
	MsgError &e = why ? *why : dummy;
	e = MsgError::None;
	if (read >= MSGQ_NUM_PAGES || write >= MSGQ_NUM_PAGES || ring.len() != RING_SIZE) {
		e = MsgError::Pointer;
		return err::EIO;
	}
	const u32 pending = pending_slots(read, write);
	if (!pending)
		return err::EAGAIN;
	const size_t available = size_t { pending } * GSP_PAGE;

	/* The headers first: they lie in the first slot, which is whole. */
	Received r {};
	u8 head[MESSAGE_HEADER_SIZE];
	TRY(ring_read(ring, read, sizeof(head), head));
	__builtin_memcpy(&r.element, head, sizeof(r.element));
	__builtin_memcpy(&r.rpc, head + ELEMENT_HEADER_SIZE, sizeof(r.rpc));

	if (r.rpc.length < sizeof(RpcHeader) || r.rpc.length > ELEMENT_MAX - ELEMENT_HEADER_SIZE) {
		e = MsgError::Length;
		return err::EIO;
	}
	const size_t bytes = ELEMENT_HEADER_SIZE + r.rpc.length;
	if (bytes > available) {
		e = MsgError::Short;
		return err::EIO;
	}
	if (r.rpc.signature != RPC_SIGNATURE || (r.rpc.header_version >> 24) != 3) {
		e = MsgError::Header;
		return err::EIO;
	}
	r.slots = slots_for(bytes);
	if (r.element.elem_count != r.slots) {
		e = MsgError::Count;
		return err::EIO;
	}

	KVec<u8> whole;
	TRY(whole.resize(bytes, gfp::KERNEL));
	TRY(ring_read(ring, read, bytes, whole.begin()));
	if (element_checksum(ByteView(whole)) != 0) {
		e = MsgError::Checksum;
		return err::EIO;
	}
	/*
	 * GSP-RM may have rewritten the headers between the two reads: what
	 * the checksum covered is what is used, and its length must be the
	 * one the copy was sized by.
	 */
	__builtin_memcpy(&r.element, whole.begin(), sizeof(r.element));
	__builtin_memcpy(&r.rpc, whole.begin() + ELEMENT_HEADER_SIZE, sizeof(r.rpc));
	if (ELEMENT_HEADER_SIZE + r.rpc.length != bytes || r.element.elem_count != r.slots) {
		e = MsgError::Short;
		return err::EIO;
	}
	payload.truncate(0);
	TRY(payload.resize(bytes - MESSAGE_HEADER_SIZE, gfp::KERNEL));
	TRY(ByteView(whole).copy_to(MESSAGE_HEADER_SIZE, payload.begin(), payload.len()));
	return r;
}

namespace {

struct [[gnu::packed]] PackedRegistryEntry {
	u32 name_offset;
	u8 type;
	u8 pad[3];
	u32 data;
	u32 length;
	KERNEL_FROM_BYTES(PackedRegistryEntry, 16);
};

constexpr u8 REGISTRY_TYPE_DWORD = 1;
constexpr size_t REGISTRY_NAME_MAX = 63;

size_t name_len(const char *s)
{
	size_t n = 0;
	while (s[n] && n <= REGISTRY_NAME_MAX)
		n++;
	return n;
}

} // namespace

Result<KVec<u8>> pack_registry(const RegistryDword *entries, size_t count)
{
	size_t names = 0;
	for (size_t i = 0; i < count; i++) {
		const size_t n = name_len(entries[i].name);
		if (n == 0 || n > REGISTRY_NAME_MAX)
			return err::EINVAL;
		names += n + 1;
	}
	const size_t head = 8 + count * sizeof(PackedRegistryEntry);
	const size_t size = head + names;
	KVec<u8> out;
	TRY(out.resize(size, gfp::KERNEL));
	const u32 header[2] = { static_cast<u32>(size), static_cast<u32>(count) };
	__builtin_memcpy(out.begin(), header, sizeof(header));
	size_t at = head;
	for (size_t i = 0; i < count; i++) {
		const size_t n = name_len(entries[i].name);
		const PackedRegistryEntry e {
			.name_offset = static_cast<u32>(at),
			.type = REGISTRY_TYPE_DWORD,
			.pad = {},
			.data = entries[i].value,
			.length = sizeof(u32),
		};
		__builtin_memcpy(out.begin() + 8 + i * sizeof(e), &e, sizeof(e));
		__builtin_memcpy(out.begin() + at, entries[i].name, n);
		out.begin()[at + n] = 0;
		at += n + 1;
	}
	return out;
}

Result<void> parse_sequencer(ByteView payload, KVec<SeqCommand> &out)
{
	const u32 buffer_words = TRY(payload.le32(0));
	const u32 used_words = TRY(payload.le32(4));
	if (used_words > buffer_words || payload.len() < SEQ_HEADER_SIZE ||
	    used_words > (payload.len() - SEQ_HEADER_SIZE) / 4)
		return err::EINVAL;
	const size_t end = SEQ_HEADER_SIZE + size_t { used_words } * 4;
	for (size_t at = SEQ_HEADER_SIZE; at < end;) {
		const u32 op = TRY(payload.le32(at));
		if (op >= SEQ_OPS)
			return err::EINVAL;
		SeqCommand c {};
		c.op = static_cast<SeqOp>(op);
		const u32 n = seq_args(c.op);
		if (at + 4 + size_t { n } * 4 > end)
			return err::EINVAL;
		for (u32 i = 0; i < n; i++)
			c.args[i] = TRY(payload.le32(at + 4 + 4 * size_t { i }));
		if (c.op == SeqOp::RegStore && c.args[1] >= SEQ_REG_SAVE_SLOTS)
			return err::EINVAL;
		TRY(out.push(c, gfp::KERNEL));
		at += 4 + size_t { n } * 4;
	}
	return ok();
}

namespace {

void put_le(u8 *out, size_t at, u64 v, size_t bytes)
{
	for (size_t i = 0; i < bytes; i++)
		out[at + i] = static_cast<u8>(v >> (8 * i));
}

} // namespace

void build_system_info(const SystemInfoInput &in, u8 (&out)[SYSTEM_INFO_SIZE])
{
	__builtin_memset(out, 0, sizeof(out));
	put_le(out, 0, in.bar0, 8);
	put_le(out, 8, in.fb, 8);
	put_le(out, 16, in.inst, 8);
	put_le(out, 32, in.bus_devfn, 8);
	put_le(out, 72, MAX_USER_VA, 8);
	put_le(out, 80, in.config_mirror, 4);
	put_le(out, 84, PCI_CONFIG_MIRROR_SIZE, 4);
	put_le(out, 88, u32 { in.device } << 16 | in.vendor, 4);
	put_le(out, 92, u32 { in.subsystem_device } << 16 | in.subsystem_vendor, 4);
	put_le(out, 96, in.revision, 4);
}

Result<void> static_info_name(ByteView payload, char (&out)[GPU_NAME_SIZE])
{
	if (payload.len() < STATIC_INFO_SIZE)
		return err::EPROTO;
	const ByteView name = TRY(payload.sub(STATIC_INFO_NAME, GPU_NAME_SIZE));
	size_t n = 0;
	while (n < GPU_NAME_SIZE && *name.u8_at(n))
		n++;
	if (n == GPU_NAME_SIZE)
		return err::EPROTO;
	TRY(name.copy_to(0, reinterpret_cast<u8 *>(out), n + 1));
	return ok();
}

} // namespace nova::core::gsp
