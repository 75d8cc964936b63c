// SPDX-License-Identifier: GPL-2.0
/*
 * kcxx_gsp_msgq: GSP-RM's message queues as bytes (src/nova-core/gsp/msgq.h,
 * Documentation/gsp-msgq.rst): the element checksum, the ring arithmetic
 * (free and pending slots, wrap, a full ring), the split of a large
 * command into continuation records, elements written and read across the
 * ring's end, every check of a received message with the error it names,
 * the registry's packing and the CPU sequencer's parser. All of it is data.
 */
#include <kernel/alloc.h>
#include <kernel/bytes.h>

#include "kunit.h"
#include "src/nova-core/gsp/msgq.cpp"

using namespace kernel;
using namespace nova::core;
using namespace nova::core::gsp;

namespace {

/* A ring of RING_SIZE bytes (vmalloc'd: 252 KiB). */
struct Ring {
	KVec<u8, KVmalloc> bytes;
	bool make() { return bytes.resize(RING_SIZE, gfp::KERNEL).ok(); }
	ByteView view() const { return ByteView(bytes.begin(), bytes.len()); }
};

void put_le32(u8 *p, u32 v)
{
	for (int i = 0; i < 4; i++)
		p[i] = static_cast<u8>(v >> (8 * i));
}

/* A payload of @n bytes, each its index's low byte plus @salt. */
bool payload_of(KVec<u8> &p, size_t n, u8 salt)
{
	if (!p.resize(n, gfp::KERNEL).ok())
		return false;
	for (size_t i = 0; i < n; i++)
		p.begin()[i] = static_cast<u8>(i + salt);
	return true;
}

} // namespace

TEST(gsp_msgq, checksum_of_a_built_element_is_zero_and_catches_a_flip)
{
	KVec<u8> payload, element;
	ASSERT(payload_of(payload, 1001, 7));
	ASSERT(build_element(element, fn::SET_REGISTRY, 5, ByteView(payload)).ok());
	ASSERT_EQ(element.len(), MESSAGE_HEADER_SIZE + 1001);
	EXPECT_EQ(element_checksum(ByteView(element)), 0u);
	/* The header's fields where r570 has them. */
	EXPECT_EQ(ByteView(element).le32(36).value(), 5u); /* seqNum */
	EXPECT_EQ(ByteView(element).le32(40).value(), 1u); /* elemCount */
	EXPECT_EQ(ByteView(element).le32(48).value(), RPC_HEADER_VERSION);
	EXPECT_EQ(ByteView(element).le32(52).value(), 0x43505256u);
	EXPECT_EQ(ByteView(element).le32(56).value(), 32u + 1001);
	EXPECT_EQ(ByteView(element).le32(60).value(), 73u);
	/* Any flipped bit shows. */
	const size_t flips[] = { 0, 33, 80, element.len() - 1 };
	for (size_t at : flips) {
		element.begin()[at] ^= 0x10;
		EXPECT(element_checksum(ByteView(element)) != 0);
		element.begin()[at] ^= 0x10;
	}
	/* The last, partial u64 counts as zero-padded: 0x01 at byte 8 of 9. */
	const u8 nine[9] = { 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	EXPECT_EQ(element_checksum(ByteView(nine)), 1u);
	const u8 high[8] = { 0, 0, 0, 0, 2, 0, 0, 0 };
	EXPECT_EQ(element_checksum(ByteView(high)), 2u);
	/* One byte past the most an element holds. */
	ASSERT(payload_of(payload, PAYLOAD_MAX + 1, 0));
	EXPECT_ERR(build_element(element, fn::SET_REGISTRY, 0, ByteView(payload)), err::EMSGSIZE);
}

TEST(gsp_msgq, free_and_pending_slots_with_wrap_and_a_full_ring)
{
	EXPECT_EQ(free_slots(0, 0), 62u); /* empty: one slot always stays free */
	EXPECT_EQ(pending_slots(0, 0), 0u);
	EXPECT_EQ(free_slots(62, 0), 0u); /* full */
	EXPECT_EQ(pending_slots(0, 62), 62u);
	EXPECT_EQ(free_slots(10, 5), 57u); /* 5 pending */
	EXPECT_EQ(free_slots(5, 10), 4u); /* 58 pending */
	EXPECT_EQ(pending_slots(60, 2), 5u); /* 60, 61, 62, 0, 1 */
	EXPECT_EQ(free_slots(2, 60), 57u);
	for (u32 r = 0; r < MSGQ_NUM_PAGES; r++)
		for (u32 w = 0; w < MSGQ_NUM_PAGES; w++)
			if (free_slots(w, r) + pending_slots(r, w) != 62u) {
				EXPECT_EQ(free_slots(w, r) + pending_slots(r, w), 62u);
				return;
			}
	EXPECT_EQ(slots_for(MESSAGE_HEADER_SIZE), 1u);
	EXPECT_EQ(slots_for(4096), 1u);
	EXPECT_EQ(slots_for(4097), 2u);
	EXPECT_EQ(slots_for(ELEMENT_MAX), 16u);
}

TEST(gsp_msgq, a_large_command_is_split_into_continuation_records)
{
	SendPlan p = plan_send(100);
	EXPECT_EQ(p.elements, 1u);
	EXPECT_EQ(p.first, 100u);
	p = plan_send(PAYLOAD_MAX);
	EXPECT_EQ(p.elements, 1u);
	p = plan_send(PAYLOAD_MAX + 1);
	EXPECT_EQ(p.elements, 2u);
	EXPECT_EQ(p.first, PAYLOAD_MAX);
	EXPECT_EQ(p.last, 1u);
	p = plan_send(3 * PAYLOAD_MAX);
	EXPECT_EQ(p.elements, 3u);
	EXPECT_EQ(p.last, PAYLOAD_MAX);
	p = plan_send(3 * PAYLOAD_MAX + 7);
	EXPECT_EQ(p.elements, 4u);
	EXPECT_EQ(p.last, 7u);
	EXPECT_EQ(p.first + (p.elements - 2) * PAYLOAD_MAX + p.last, 3 * PAYLOAD_MAX + 7);
}

TEST(gsp_msgq, an_element_written_across_the_end_is_read_back_whole)
{
	Ring ring;
	ASSERT(ring.make());
	KVec<u8> payload, element, got;
	ASSERT(payload_of(payload, 3 * 4096, 3));
	ASSERT(build_element(element, fn::GSP_INIT_DONE, 9, ByteView(payload)).ok());
	/* Four slots from slot 61: 61, 62, then 0 and 1. */
	ASSERT(ring_write(ring.bytes.begin(), 61, ByteView(element)).ok());
	EXPECT_EQ(ring.bytes.begin()[0], element.begin()[2 * 4096]);
	auto r = receive(ring.view(), 61, 2, got, nullptr);
	ASSERT(r.ok());
	EXPECT_EQ(r->slots, 4u);
	EXPECT_EQ(r->rpc.function, fn::GSP_INIT_DONE);
	EXPECT_EQ(r->element.seq_num, 9u);
	ASSERT_EQ(got.len(), payload.len());
	bool same = true;
	for (size_t i = 0; i < got.len(); i++)
		same &= got.begin()[i] == payload.begin()[i];
	EXPECT(same);

	/* Out of range, or longer than the ring: nothing written. */
	EXPECT_ERR(ring_write(ring.bytes.begin(), 63, ByteView(element)), err::EINVAL);
	u8 out[8];
	EXPECT_ERR(ring_read(ring.view(), 63, 8, out), err::EINVAL);
	EXPECT_ERR(ring_read(ring.view(), 0, RING_SIZE + 1, out), err::EINVAL);
}

TEST(gsp_msgq, every_check_of_a_received_message_names_its_error)
{
	Ring ring;
	ASSERT(ring.make());
	KVec<u8> payload, element, got;
	ASSERT(payload_of(payload, 200, 1));
	ASSERT(build_element(element, fn::OS_ERROR_LOG, 0, ByteView(payload)).ok());
	ASSERT(ring_write(ring.bytes.begin(), 10, ByteView(element)).ok());
	MsgError why;

	EXPECT_ERR(receive(ring.view(), 10, 10, got, &why), err::EAGAIN);
	EXPECT(receive(ring.view(), 10, 11, got, &why).ok());
	EXPECT_ERR(receive(ring.view(), 63, 11, got, &why), err::EIO);
	EXPECT(why == MsgError::Pointer);
	EXPECT_ERR(receive(ring.view(), 10, 0x1000, got, &why), err::EIO);
	EXPECT(why == MsgError::Pointer);

	u8 *e = ring.bytes.begin() + 10 * 4096;
	/* A length below the RPC header, or past an element. */
	put_le32(e + 56, 31);
	EXPECT_ERR(receive(ring.view(), 10, 11, got, &why), err::EIO);
	EXPECT(why == MsgError::Length);
	put_le32(e + 56, 0xffffffff);
	EXPECT_ERR(receive(ring.view(), 10, 11, got, &why), err::EIO);
	EXPECT(why == MsgError::Length);
	/* A length past what was written: 2 slots advertised, 1 pending. */
	put_le32(e + 56, 5000);
	EXPECT_ERR(receive(ring.view(), 10, 11, got, &why), err::EIO);
	EXPECT(why == MsgError::Short);
	put_le32(e + 56, 232);
	/* The signature and the major version. */
	put_le32(e + 52, 0x43505257);
	EXPECT_ERR(receive(ring.view(), 10, 11, got, &why), err::EIO);
	EXPECT(why == MsgError::Header);
	put_le32(e + 52, RPC_SIGNATURE);
	put_le32(e + 48, 0x02000000);
	EXPECT_ERR(receive(ring.view(), 10, 11, got, &why), err::EIO);
	EXPECT(why == MsgError::Header);
	put_le32(e + 48, RPC_HEADER_VERSION);
	/* A huge element count. */
	put_le32(e + 40, 0x7fffffff);
	EXPECT_ERR(receive(ring.view(), 10, 11, got, &why), err::EIO);
	EXPECT(why == MsgError::Count);
	put_le32(e + 40, 1);
	/* A payload byte changed after the checksum. */
	e[100] ^= 1;
	EXPECT_ERR(receive(ring.view(), 10, 11, got, &why), err::EIO);
	EXPECT(why == MsgError::Checksum);
	e[100] ^= 1;
	ASSERT(receive(ring.view(), 10, 11, got, &why).ok());
	EXPECT(why == MsgError::None);
	EXPECT_EQ(got.len(), 200u);
}

TEST(gsp_msgq, the_registry_is_packed_as_openrm_packs_it)
{
	const RegistryDword entries[] = {
		{ "RMSecBusResetEnable", 1 },
		{ "RMForcePcieConfigSave", 1 },
		{ "RMDevidCheckIgnore", 1 },
	};
	auto t = pack_registry(entries, 3);
	ASSERT(t.ok());
	ByteView v(*t);
	/* 8 + 3 * 16 = 56, then 20 + 22 + 19 bytes of names. */
	ASSERT_EQ(v.len(), 117u);
	EXPECT_EQ(v.le32(0).value(), 117u);
	EXPECT_EQ(v.le32(4).value(), 3u);
	const u32 offsets[] = { 56, 76, 98 };
	for (u32 i = 0; i < 3; i++) {
		EXPECT_EQ(v.le32(8 + 16 * i).value(), offsets[i]);
		EXPECT_EQ(v.u8_at(12 + 16 * i).value(), 1u);
		EXPECT_EQ(v.le32(16 + 16 * i).value(), 1u);
		EXPECT_EQ(v.le32(20 + 16 * i).value(), 4u);
	}
	EXPECT(v.matches(76, "RMForcePcieConfigSave"));
	EXPECT_EQ(v.u8_at(116).value(), 0u);

	const RegistryDword empty[] = { { "", 1 } };
	EXPECT_ERR(pack_registry(empty, 1), err::EINVAL);
	const RegistryDword longer[] = {
		{ "A234567890123456789012345678901234567890123456789012345678901234", 1 },
	};
	EXPECT_ERR(pack_registry(longer, 1), err::EINVAL);
	auto none = pack_registry(nullptr, 0);
	ASSERT(none.ok());
	EXPECT_EQ(none->len(), 8u);
}

TEST(gsp_msgq, the_sequencer_parser_takes_each_opcode_and_refuses_overruns)
{
	/*
	 * Every opcode once, 22 words: REG_WRITE, REG_MODIFY, REG_POLL with
	 * the default timeout, DELAY_US, REG_STORE into slot 7, then the
	 * core's four without arguments.
	 */
	const u32 words[] = { 0, 0x1100, 0xaa, 1,  0x1104, 0xf0,   0x30, 2, 0x1108, 0x1, 0x1,
			      0, 0x55,	 3,    10, 4,	   0x110c, 7,	 5, 6,	    7,	 8 };
	const u32 n = sizeof(words) / 4;
	KVec<u8> p;
	ASSERT(p.resize(SEQ_HEADER_SIZE + sizeof(words) + 16, gfp::KERNEL).ok());
	put_le32(p.begin(), n + 4); /* bufferSizeDWord */
	put_le32(p.begin() + 4, n); /* cmdIndex: the words used */
	for (u32 i = 0; i < n; i++)
		put_le32(p.begin() + SEQ_HEADER_SIZE + 4 * i, words[i]);

	KVec<SeqCommand> cmds;
	ASSERT(parse_sequencer(ByteView(p), cmds).ok());
	ASSERT_EQ(cmds.len(), 9u);
	for (u32 i = 0; i < 9; i++)
		EXPECT_EQ(static_cast<u32>(cmds.begin()[i].op), i);
	EXPECT_EQ(cmds.begin()[1].args[2], 0x30u);
	EXPECT_EQ(cmds.begin()[2].args[4], 0x55u);
	EXPECT_EQ(cmds.begin()[4].args[1], 7u);

	/* cmdIndex past the buffer, or past the payload. */
	cmds.truncate(0);
	put_le32(p.begin() + 4, n + 5);
	EXPECT_ERR(parse_sequencer(ByteView(p), cmds), err::EINVAL);
	put_le32(p.begin(), 0x1000);
	put_le32(p.begin() + 4, 0x1000);
	EXPECT_ERR(parse_sequencer(ByteView(p), cmds), err::EINVAL);
	put_le32(p.begin(), n + 4);
	/* A command cut by cmdIndex: REG_POLL's arguments past the words used. */
	put_le32(p.begin() + 4, 10);
	EXPECT_ERR(parse_sequencer(ByteView(p), cmds), err::EINVAL);
	put_le32(p.begin() + 4, n);
	/* An unknown opcode; a save slot past the area. */
	put_le32(p.begin() + SEQ_HEADER_SIZE + 4 * 13, 9);
	EXPECT_ERR(parse_sequencer(ByteView(p), cmds), err::EINVAL);
	put_le32(p.begin() + SEQ_HEADER_SIZE + 4 * 13, 3);
	put_le32(p.begin() + SEQ_HEADER_SIZE + 4 * 17, 8);
	EXPECT_ERR(parse_sequencer(ByteView(p), cmds), err::EINVAL);
	/* A payload shorter than the head. */
	EXPECT_ERR(parse_sequencer(ByteView(p.begin(), 20), cmds), err::EINVAL);
	EXPECT_ERR(parse_sequencer(ByteView(p.begin(), 3), cmds), err::EINVAL);
}
