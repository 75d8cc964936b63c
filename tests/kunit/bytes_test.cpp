// SPDX-License-Identifier: GPL-2.0
/*
 * kcxx_bytes: ByteView and ByteReader (include/kernel/bytes.h), the
 * library's only way to read untrusted bytes. Every accessor at the last
 * offset that fits, one past it, and at offsets whose end wraps around;
 * empty views; searches; structs at unaligned offsets; a reader that
 * does not move when a read fails.
 */
#include <kernel/alloc.h>
#include <kernel/bytes.h>

#include "kunit.h"

using namespace kernel;
using ktl::size_t;
using ktl::u16;
using ktl::u32;
using ktl::u64;
using ktl::u8;

namespace {

constexpr size_t MAX = ~size_t { 0 };

/* 16 bytes: 0x10, 0x11, ... 0x1f. */
constexpr u8 SEQ[16] = { 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
			 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f };

/* A header as a format would declare it: packed, its size asserted. */
struct [[gnu::packed]] Header {
	u8 tag;
	u16 len;
	u32 offset;
	u8 flags;
	KERNEL_FROM_BYTES(Header, 8);
};

static_assert(FromBytes<Header>);
static_assert(FromBytes<u32> && FromBytes<ktl::s64>);

/* Padding, a pointer, no marker: none of these may be read from bytes. */
struct Padded {
	u8 a;
	u32 b;
};
static_assert(!FromBytes<Padded>);
static_assert(!FromBytes<const char *>);
static_assert(!FromBytes<bool>);

} // namespace

TEST(bytes, accessors_read_little_endian_in_range)
{
	ByteView v(SEQ);

	EXPECT_EQ(v.len(), 16u);
	EXPECT(!v.is_empty());
	EXPECT_EQ(v.u8_at(0).value(), 0x10u);
	EXPECT_EQ(v.le16(0).value(), 0x1110u);
	EXPECT_EQ(v.le32(4).value(), 0x17161514u);
	EXPECT_EQ(v.le64(8).value(), 0x1f1e1d1c1b1a1918ull);
	/* Any offset, aligned or not. */
	EXPECT_EQ(v.le16(3).value(), 0x1413u);
	EXPECT_EQ(v.le32(5).value(), 0x18171615u);
	EXPECT_EQ(v.le64(1).value(), 0x1817161514131211ull);
}

TEST(bytes, accessors_at_the_exact_end_succeed)
{
	ByteView v(SEQ);

	EXPECT_EQ(v.u8_at(15).value(), 0x1fu);
	EXPECT_EQ(v.le16(14).value(), 0x1f1eu);
	EXPECT_EQ(v.le32(12).value(), 0x1f1e1d1cu);
	EXPECT_EQ(v.le64(8).value(), 0x1f1e1d1c1b1a1918ull);
	auto h = v.read<Header>(8);
	ASSERT(h.ok());
	EXPECT_EQ(h->flags, 0x1fu);
	u8 none[1] = { 0xaa };
	EXPECT(v.copy_to(16, none, 0).ok());
	EXPECT_EQ(none[0], 0xaau);
}

TEST(bytes, accessors_one_past_the_end_are_einval)
{
	ByteView v(SEQ);
	u8 out[8] = { 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa };

	EXPECT_ERR(v.u8_at(16), err::EINVAL);
	EXPECT_ERR(v.le16(15), err::EINVAL);
	EXPECT_ERR(v.le32(13), err::EINVAL);
	EXPECT_ERR(v.le64(9), err::EINVAL);
	EXPECT_ERR(v.read<Header>(9), err::EINVAL);
	EXPECT_ERR(v.copy_to(9, out, 8), err::EINVAL);
	/* A refused copy copies nothing. */
	for (u8 b : out)
		EXPECT_EQ(b, 0xaau);
	EXPECT_ERR(v.sub(15, 2), err::EINVAL);
	EXPECT_ERR(v.from(17), err::EINVAL);
	EXPECT(!v.matches(15, "\x1f\x20"));
}

TEST(bytes, offsets_near_size_max_are_einval_not_wrapped)
{
	ByteView v(SEQ);
	u8 out[4] = {};

	/* off + width wraps around to a small number that would pass a naive check. */
	EXPECT_ERR(v.u8_at(MAX), err::EINVAL);
	EXPECT_ERR(v.le16(MAX), err::EINVAL);
	EXPECT_ERR(v.le32(MAX - 2), err::EINVAL);
	EXPECT_ERR(v.le64(MAX - 6), err::EINVAL);
	EXPECT_ERR(v.le64(MAX - 3), err::EINVAL);
	EXPECT_ERR(v.read<Header>(MAX - 7), err::EINVAL);
	EXPECT_ERR(v.sub(MAX, 2), err::EINVAL);
	EXPECT_ERR(v.sub(2, MAX), err::EINVAL);
	EXPECT_ERR(v.from(MAX), err::EINVAL);
	EXPECT_ERR(v.copy_to(MAX - 1, out, 4), err::EINVAL);
	EXPECT(!v.matches(MAX, "\x10"));
	EXPECT_ERR(v.find("\x10", MAX), err::ENOENT);
}

TEST(bytes, empty_views_refuse_every_read)
{
	ByteView none;
	ByteView zero(SEQ, 0);

	const ByteView views[] = { none, zero };

	for (const ByteView &v : views) {
		EXPECT(v.is_empty());
		EXPECT_EQ(v.len(), 0u);
		EXPECT_ERR(v.u8_at(0), err::EINVAL);
		EXPECT_ERR(v.le16(0), err::EINVAL);
		EXPECT_ERR(v.le32(0), err::EINVAL);
		EXPECT_ERR(v.le64(0), err::EINVAL);
		EXPECT_ERR(v.read<Header>(0), err::EINVAL);
		EXPECT_ERR(v.find("\x10"), err::ENOENT);
		EXPECT(!v.matches(0, "\x10"));
		EXPECT_ERR(v.sub(0, 1), err::EINVAL);
		/* The empty range at the end is still a range. */
		auto s = v.sub(0, 0);
		ASSERT(s.ok());
		EXPECT(s->is_empty());
		EXPECT(v.from(0).ok());
		EXPECT_ERR(v.from(1), err::EINVAL);
		EXPECT(v.prefix(10).is_empty());
	}
}

TEST(bytes, sub_from_and_prefix_are_views_of_the_same_bytes)
{
	ByteView v(SEQ);

	auto s = v.sub(4, 8);
	ASSERT(s.ok());
	EXPECT_EQ(s->len(), 8u);
	EXPECT_EQ(s->u8_at(0).value(), 0x14u);
	EXPECT_EQ(s->le32(4).value(), 0x1b1a1918u);
	/* The subview's own end, not the parent's, bounds it. */
	EXPECT_ERR(s->u8_at(8), err::EINVAL);
	EXPECT_ERR(s->le16(7), err::EINVAL);

	auto f = v.from(12);
	ASSERT(f.ok());
	EXPECT_EQ(f->len(), 4u);
	EXPECT_EQ(f->le32(0).value(), 0x1f1e1d1cu);
	auto end = v.from(16);
	ASSERT(end.ok());
	EXPECT(end->is_empty());

	EXPECT_EQ(v.prefix(3).len(), 3u);
	EXPECT_EQ(v.prefix(3).u8_at(2).value(), 0x12u);
	EXPECT_ERR(v.prefix(3).u8_at(3), err::EINVAL);
	EXPECT_EQ(v.prefix(100).len(), 16u);
	EXPECT_EQ(v.prefix(MAX).len(), 16u);
}

TEST(bytes, struct_reads_at_unaligned_offsets)
{
	/* tag, len (le16), offset (le32), flags: at offset 3, nothing aligned. */
	constexpr u8 data[12] = { 0xee, 0xee, 0xee, 0x42, 0x34, 0x12,
				  0x78, 0x56, 0x34, 0x12, 0x81, 0xee };
	ByteView v(data);

	auto h = v.read<Header>(3);
	ASSERT(h.ok());
	EXPECT_EQ(h->tag, 0x42u);
	EXPECT_EQ(h->len, 0x1234u);
	EXPECT_EQ(h->offset, 0x12345678u);
	EXPECT_EQ(h->flags, 0x81u);
	EXPECT_EQ(v.read<u32>(5).value(), 0x34567812u);
	EXPECT_EQ(v.read<u16>(2).value(), 0x42eeu);
	EXPECT_ERR(v.read<Header>(5), err::EINVAL);
}

TEST(bytes, copy_to_copies_exactly_the_range)
{
	ByteView v(SEQ);
	u8 out[6] = { 0, 0, 0, 0, 0, 0xaa };

	ASSERT(v.copy_to(11, out, 5).ok());
	for (int i = 0; i < 5; i++)
		EXPECT_EQ(out[i], 0x1bu + i);
	EXPECT_EQ(out[5], 0xaau);
}

TEST(bytes, matches_signatures)
{
	constexpr u8 rom[8] = { 0x55, 0xaa, 'P', 'C', 'I', 'R', 0x00, 0x01 };
	constexpr u8 sig[2] = { 0x55, 0xaa };
	ByteView v(rom);

	EXPECT(v.matches(0, ByteView(sig)));
	EXPECT(v.matches(2, "PCIR"));
	EXPECT(!v.matches(1, "PCIR"));
	EXPECT(!v.matches(3, "PCIR"));
	/* Fits only partly: no match, whatever the bytes inside say. */
	EXPECT(!v.matches(6, "\x00\x01\x02"));
	EXPECT(v.matches(6, ByteView(rom + 6, 2)));
	/* An empty signature fits anywhere up to the end, and nowhere past it. */
	EXPECT(v.matches(8, ByteView()));
	EXPECT(!v.matches(9, ByteView()));
}

TEST(bytes, find_with_step_and_start)
{
	/* "NPDE" at 2 (unaligned) and at 8 (16-bit and 8-byte aligned). */
	constexpr u8 data[16] = { 0, 0, 'N', 'P', 'D', 'E', 0, 0, 'N', 'P', 'D', 'E', 0, 0, 0, 0 };
	ByteView v(data);

	EXPECT_EQ(v.find("NPDE").value(), 2u);
	EXPECT_EQ(v.find("NPDE", 3).value(), 8u);
	EXPECT_EQ(v.find("NPDE", 0, 4).value(), 8u);
	EXPECT_EQ(v.find("NPDE", 0, 8).value(), 8u);
	/* Stepping from 1 visits 1, 5, 9, 13: never a match. */
	EXPECT_ERR(v.find("NPDE", 1, 4), err::ENOENT);
	/* A step so large that off + step overflows ends the search. */
	EXPECT_ERR(v.find("NPDE", 3, MAX), err::ENOENT);
	EXPECT_EQ(v.find("NPDE", 2, MAX).value(), 2u);
	/* The last place the needle fits, and one past it. */
	EXPECT_EQ(v.find("\0\0\0\0", 12).value(), 12u);
	EXPECT_ERR(v.find("\0\0\0\0\0", 12), err::ENOENT);
}

TEST(bytes, find_not_found_past_the_end_or_too_long_is_enoent)
{
	ByteView v(SEQ);

	EXPECT_ERR(v.find("NPDE"), err::ENOENT);
	/* A start at or past the end. */
	EXPECT_ERR(v.find("\x1f", 16), err::ENOENT);
	EXPECT_ERR(v.find("\x1f", 17), err::ENOENT);
	EXPECT_EQ(v.find("\x1f", 15).value(), 15u);
	/* A needle longer than the view, even one that begins with it. */
	u8 longer[17];
	for (int i = 0; i < 17; i++)
		longer[i] = 0x10 + i;
	EXPECT_ERR(v.find(ByteView(longer)), err::ENOENT);
	EXPECT_EQ(v.find(ByteView(longer, 16)).value(), 0u);
}

TEST(bytes, find_empty_needle_or_zero_step_is_einval)
{
	ByteView v(SEQ);

	EXPECT_ERR(v.find(ByteView()), err::EINVAL);
	EXPECT_ERR(v.find(ByteView(SEQ, 0), 3), err::EINVAL);
	EXPECT_ERR(v.find("\x10", 0, 0), err::EINVAL);
	EXPECT_ERR(ByteView().find(ByteView()), err::EINVAL);
}

TEST(bytes, reader_moves_on_success_only)
{
	ByteReader r { ByteView(SEQ) };

	EXPECT_EQ(r.pos(), 0u);
	EXPECT_EQ(r.remaining(), 16u);
	EXPECT_EQ(r.read<u16>().value(), 0x1110u);
	EXPECT_EQ(r.pos(), 2u);
	ASSERT(r.skip(3).ok());
	EXPECT_EQ(r.pos(), 5u);
	auto t = r.take(4);
	ASSERT(t.ok());
	EXPECT_EQ(t->le32(0).value(), 0x18171615u);
	EXPECT_EQ(r.pos(), 9u);
	ASSERT(r.seek(8).ok());
	EXPECT_EQ(r.read<Header>().value().tag, 0x18u);
	EXPECT_EQ(r.pos(), 16u);
	EXPECT_EQ(r.remaining(), 0u);
}

TEST(bytes, reader_cursor_unchanged_on_failure)
{
	ByteReader r { ByteView(SEQ) };

	ASSERT(r.seek(13).ok());
	EXPECT_ERR(r.read<u32>(), err::EINVAL);
	EXPECT_EQ(r.pos(), 13u);
	EXPECT_ERR(r.read<Header>(), err::EINVAL);
	EXPECT_EQ(r.pos(), 13u);
	EXPECT_ERR(r.take(4), err::EINVAL);
	EXPECT_EQ(r.pos(), 13u);
	EXPECT_ERR(r.skip(4), err::EINVAL);
	EXPECT_EQ(r.pos(), 13u);
	EXPECT_ERR(r.skip(MAX), err::EINVAL);
	EXPECT_ERR(r.take(MAX - 12), err::EINVAL);
	EXPECT_EQ(r.pos(), 13u);
	EXPECT_ERR(r.seek(17), err::EINVAL);
	EXPECT_ERR(r.seek(MAX), err::EINVAL);
	EXPECT_EQ(r.pos(), 13u);
	EXPECT_EQ(r.remaining(), 3u);
	/* What fits still reads. */
	EXPECT_EQ(r.read<u16>().value(), 0x1e1du);
	EXPECT(r.skip(1).ok());
	EXPECT_EQ(r.remaining(), 0u);
	EXPECT(r.seek(16).ok());
	EXPECT(r.take(0).ok());
	EXPECT_ERR(r.read<u8>(), err::EINVAL);
}

TEST(bytes, view_of_a_kvec)
{
	KVec<u8> v;
	{
		ByteView empty(v);
		EXPECT(empty.is_empty());
		EXPECT_ERR(empty.u8_at(0), err::EINVAL);
	}
	for (u8 b : SEQ)
		ASSERT(v.push(b, gfp::KERNEL).ok());

	ByteView view(v);
	EXPECT_EQ(view.len(), 16u);
	EXPECT_EQ(view.le32(12).value(), 0x1f1e1d1cu);
	EXPECT_ERR(view.u8_at(16), err::EINVAL);
	/* The view sees the vector's current bytes, in place. */
	*v.get(12) = 0xaa;
	EXPECT_EQ(view.u8_at(12).value(), 0xaau);

	KVec<u8, KVmalloc> big;
	ASSERT(big.extend(4096, gfp::KERNEL).ok());
	*big.get(4095) = 0x5a;
	ByteView bv(big);
	EXPECT_EQ(bv.len(), 4096u);
	EXPECT_EQ(bv.u8_at(4095).value(), 0x5au);
	EXPECT_EQ(bv.le32(0).value(), 0u);
}
