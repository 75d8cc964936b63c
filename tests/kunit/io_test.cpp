// SPDX-License-Identifier: GPL-2.0
/*
 * kcxx_io: typed registers (Register32, REG_FIELD) and the bounds checks
 * of Io<Size> and its block reads (include/kernel/io.h). The "MMIO" is a kmalloc'ed buffer
 * behind a test subclass of Io: the accessors are plain moves on x86, so
 * normal memory stands in for a BAR.
 */
#include <kernel/alloc.h>
#include <kernel/io.h>

#include "kunit.h"
#include "tracked.h"

using namespace kernel;
using kcxx::kunit::CountingAlloc;
using kcxx::kunit::FailNth;
using ktl::u32;
using ktl::u8;

namespace {

/* Io over memory the test owns; Io's constructor is for mappings only. */
template <ktl::size_t Size> class BufferIo : public io::Io<Size> {
public:
	BufferIo(unsigned char *buf, ktl::size_t len) : io::Io<Size>(buf, len) {}
};

/* A zeroed kmalloc buffer; byte access for checking what the accessors did. */
class Buffer {
public:
	explicit Buffer(ktl::size_t len)
		: p_(static_cast<unsigned char *>(Kmalloc::alloc(len, gfp::KERNEL | gfp::ZERO)))
	{}
	Buffer(const Buffer &) = delete;
	~Buffer() { Kmalloc::free(p_); }

	unsigned char *get() const { return p_; }
	u32 word(ktl::size_t off) const
	{
		return p_[off] | p_[off + 1] << 8 | p_[off + 2] << 16 |
		       static_cast<u32>(p_[off + 3]) << 24;
	}
	void set_word(ktl::size_t off, u32 v)
	{
		for (int i = 0; i < 4; i++)
			p_[off + i] = v >> (8 * i);
	}

private:
	unsigned char *p_;
};

struct Ctrl : io::Register32<Ctrl, 0x8> {
	using Register32::Register32;
	REG_FIELD(top, 31, 28);
	REG_FIELD(mid, 15, 8);
	REG_FIELD(flag, 4, 4);
	REG_FIELD(low, 3, 0);
};

struct Whole : io::Register32<Whole, 0x0> {
	using Register32::Register32;
	REG_FIELD(all, 31, 0);
};

constexpr ktl::size_t MAX = ~ktl::size_t { 0 };

/* Fills @buf's first @len bytes with 0, 1, 2, ... (mod 256). */
void fill_counting(Buffer &buf, ktl::size_t len)
{
	for (ktl::size_t i = 0; i < len; i++)
		buf.get()[i] = static_cast<unsigned char>(i);
}

/* @v holds exactly @n bytes: @prefix, then the counting bytes from @from. */
template <typename A> bool holds_block(const KVec<u8, A> &v, ktl::size_t prefix, u8 prefix_byte,
				       ktl::size_t from, ktl::size_t n)
{
	if (v.len() != prefix + n)
		return false;
	for (ktl::size_t i = 0; i < prefix; i++)
		if (*v.get(i) != prefix_byte)
			return false;
	for (ktl::size_t i = 0; i < n; i++)
		if (*v.get(prefix + i) != static_cast<u8>(from + i))
			return false;
	return true;
}

} // namespace

TEST(io, field_reads_its_bits)
{
	constexpr Ctrl r(0xa0005a1f);

	static_assert(r.top() == 0xa && r.mid() == 0x5a,
		      "fields are usable in constant expressions");
	EXPECT_EQ(r.top(), 0xau);
	EXPECT_EQ(r.mid(), 0x5au);
	EXPECT_EQ(r.flag(), 1u);
	EXPECT_EQ(r.low(), 0xfu);
	EXPECT_EQ(Ctrl::OFFSET, 0x8u);
}

TEST(io, set_field_masks_oversized_values)
{
	Ctrl r;

	r.set_mid(0x1ff);
	EXPECT_EQ(r.mid(), 0xffu);
	EXPECT_EQ(r.raw(), 0xff00u);
	r.set_low(0x13);
	EXPECT_EQ(r.low(), 0x3u);
	r.set_flag(2);
	EXPECT_EQ(r.flag(), 0u);
	/* Nothing spilled into a neighbour. */
	EXPECT_EQ(r.raw(), 0xff03u);
}

TEST(io, set_field_preserves_other_bits)
{
	Ctrl r(0xffffffff);

	r.set_mid(0);
	EXPECT_EQ(r.raw(), 0xffff00ffu);
	r.set_flag(0).set_top(0x5);
	EXPECT_EQ(r.raw(), 0x5fff00efu);
	EXPECT_EQ(r.low(), 0xfu);
}

TEST(io, full_width_field)
{
	Whole w;

	w.set_all(0xdeadbeef);
	EXPECT_EQ(w.all(), 0xdeadbeefu);
	EXPECT_EQ(w.raw(), 0xdeadbeefu);
	w.set_all(0);
	EXPECT_EQ(w.raw(), 0u);
	EXPECT_EQ(Whole(0xffffffff).all(), 0xffffffffu);
}

TEST(io, register_read_write_at_its_offset)
{
	Buffer buf(16);
	ASSERT(buf.get() != nullptr);
	BufferIo<16> io(buf.get(), 16);

	Ctrl r;
	r.set_mid(0xab).set_top(0x1);
	r.write(io);
	EXPECT_EQ(buf.word(8), 0x1000ab00u);
	EXPECT_EQ(buf.word(0), 0u);
	EXPECT_EQ(buf.word(4), 0u);
	EXPECT_EQ(buf.word(12), 0u);

	buf.set_word(8, 0x3000c007);
	Ctrl back = Ctrl::read(io);
	EXPECT_EQ(back.raw(), 0x3000c007u);
	EXPECT_EQ(back.mid(), 0xc0u);
	EXPECT_EQ(back.low(), 0x7u);
}

TEST(io, update_is_read_modify_write)
{
	Buffer buf(16);
	ASSERT(buf.get() != nullptr);
	BufferIo<16> io(buf.get(), 16);

	buf.set_word(8, 0xa5a5a5a5);
	Ctrl::update(io, [](Ctrl &r) { r.set_low(3); });
	EXPECT_EQ(buf.word(8), 0xa5a5a5a3u);
	Ctrl::update(io, [](Ctrl &r) { r.set_mid(0); });
	EXPECT_EQ(buf.word(8), 0xa5a500a3u);
	EXPECT_EQ(buf.word(4), 0u);
}

TEST(io, constant_offset_accessors)
{
	Buffer buf(16);
	ASSERT(buf.get() != nullptr);
	BufferIo<16> io(buf.get(), 16);

	io.write8<1>(0x11);
	io.write16<2>(0x2233);
	io.write32<4>(0x44556677);
	EXPECT_EQ(buf.word(0), 0x22331100u);
	EXPECT_EQ(buf.word(4), 0x44556677u);
	EXPECT_EQ(io.read8<1>(), 0x11u);
	EXPECT_EQ(io.read16<2>(), 0x2233u);
	EXPECT_EQ(io.read32<4>(), 0x44556677u);
	EXPECT_EQ(io.len(), 16u);
}

TEST(io, try_access_in_bounds)
{
	Buffer buf(16);
	ASSERT(buf.get() != nullptr);
	BufferIo<8> io(buf.get(), 16);

	EXPECT(io.try_write32(12, 0xcafef00d).ok());
	EXPECT_EQ(buf.word(12), 0xcafef00du);
	auto v = io.try_read32(12);
	ASSERT(v.ok());
	EXPECT_EQ(v.value(), 0xcafef00du);
	EXPECT(io.try_write16(14, 0x1234).ok());
	EXPECT(io.try_write8(15, 0x56).ok());
	EXPECT_EQ(buf.word(12), 0x5634f00du);
	EXPECT_EQ(io.try_read16(14).value(), 0x5634u);
	EXPECT_EQ(io.try_read8(15).value(), 0x56u);
	EXPECT(io.try_read32(0).ok());
}

TEST(io, try_access_past_the_end_is_einval)
{
	Buffer buf(16);
	ASSERT(buf.get() != nullptr);
	/* A mapping of 14 bytes in a 16-byte buffer: the checks use the length. */
	BufferIo<8> io(buf.get(), 14);

	EXPECT_ERR(io.try_read8(14), err::EINVAL);
	EXPECT_ERR(io.try_read16(14), err::EINVAL);
	/* Aligned, but straddling the end. */
	EXPECT_ERR(io.try_read32(12), err::EINVAL);
	EXPECT_ERR(io.try_read32(16), err::EINVAL);
	EXPECT_ERR(io.try_write32(12, 0xffffffff), err::EINVAL);
	EXPECT_ERR(io.try_write8(14, 0xff), err::EINVAL);
	EXPECT_EQ(buf.word(12), 0u);
	/* The last whole units are fine. */
	EXPECT(io.try_read16(12).ok());
	EXPECT(io.try_read8(13).ok());
}

TEST(io, try_access_unaligned_is_einval)
{
	Buffer buf(16);
	ASSERT(buf.get() != nullptr);
	BufferIo<8> io(buf.get(), 16);

	EXPECT_ERR(io.try_read32(1), err::EINVAL);
	EXPECT_ERR(io.try_read32(2), err::EINVAL);
	EXPECT_ERR(io.try_read16(3), err::EINVAL);
	EXPECT_ERR(io.try_write32(6, 0xffffffff), err::EINVAL);
	EXPECT_ERR(io.try_write16(9, 0xffff), err::EINVAL);
	EXPECT_EQ(buf.word(4), 0u);
	EXPECT_EQ(buf.word(8), 0u);
}

TEST(io, try_access_offset_overflow_is_einval)
{
	Buffer buf(16);
	ASSERT(buf.get() != nullptr);
	BufferIo<8> io(buf.get(), 16);

	/* Aligned offsets whose end wraps around to a small number. */
	EXPECT_ERR(io.try_read32(MAX - 3), err::EINVAL);
	EXPECT_ERR(io.try_read16(MAX - 1), err::EINVAL);
	EXPECT_ERR(io.try_read8(MAX), err::EINVAL);
	EXPECT_ERR(io.try_write32(MAX - 3, 0), err::EINVAL);
}

TEST(io, read_block_reads_the_bytes_in_address_order)
{
	Buffer buf(4096);
	ASSERT(buf.get() != nullptr);
	fill_counting(buf, 4096);
	BufferIo<16> io(buf.get(), 4096);
	KVec<u8> out;

	ASSERT(io.read_block(8, 64, out, gfp::KERNEL).ok());
	EXPECT(holds_block(out, 0, 0, 8, 64));
	/* The whole mapping, to its last byte, into a kvmalloc'ed vector. */
	KVec<u8, KVmalloc> all;
	ASSERT(io.read_block(0, 4096, all, gfp::KERNEL).ok());
	EXPECT(holds_block(all, 0, 0, 0, 4096));
	/* Nothing to read is a success that appends nothing. */
	ASSERT(io.read_block(4096, 0, out, gfp::KERNEL).ok());
	EXPECT_EQ(out.len(), 64u);
}

TEST(io, read_block_appends_after_existing_bytes)
{
	Buffer buf(64);
	ASSERT(buf.get() != nullptr);
	fill_counting(buf, 64);
	BufferIo<16> io(buf.get(), 64);
	KVec<u8> out;

	/* Three bytes first: the block lands unaligned in the vector. */
	for (int i = 0; i < 3; i++)
		ASSERT(out.push(0xee, gfp::KERNEL).ok());
	ASSERT(io.read_block(20, 12, out, gfp::KERNEL).ok());
	EXPECT(holds_block(out, 3, 0xee, 20, 12));
	ASSERT(io.read_block(32, 4, out, gfp::KERNEL).ok());
	EXPECT_EQ(out.len(), 19u);
	EXPECT_EQ(*out.get(15), 32u);
	EXPECT_EQ(*out.get(18), 35u);
}

TEST(io, read_block_misaligned_is_einval_and_leaves_out_unchanged)
{
	Buffer buf(64);
	ASSERT(buf.get() != nullptr);
	BufferIo<16> io(buf.get(), 64);
	KVec<u8> out;
	ASSERT(out.push(0xee, gfp::KERNEL).ok());
	u8 *data = out.begin();

	EXPECT_ERR(io.read_block(2, 8, out, gfp::KERNEL), err::EINVAL);
	EXPECT_ERR(io.read_block(1, 4, out, gfp::KERNEL), err::EINVAL);
	EXPECT_ERR(io.read_block(0, 6, out, gfp::KERNEL), err::EINVAL);
	EXPECT_ERR(io.read_block(4, 1, out, gfp::KERNEL), err::EINVAL);
	EXPECT_EQ(out.len(), 1u);
	EXPECT(out.begin() == data);
	EXPECT_EQ(*out.get(0), 0xeeu);
}

TEST(io, read_block_out_of_range_or_overflow_is_einval)
{
	Buffer buf(64);
	ASSERT(buf.get() != nullptr);
	/* A 60-byte mapping in a 64-byte buffer: the run-time length counts. */
	BufferIo<16> io(buf.get(), 60);
	KVec<u8> out;

	EXPECT_ERR(io.read_block(56, 8, out, gfp::KERNEL), err::EINVAL);
	EXPECT_ERR(io.read_block(0, 64, out, gfp::KERNEL), err::EINVAL);
	EXPECT_ERR(io.read_block(60, 4, out, gfp::KERNEL), err::EINVAL);
	EXPECT_ERR(io.read_block(64, 0, out, gfp::KERNEL), err::EINVAL);
	/* Aligned values whose sum wraps around to a small number. */
	EXPECT_ERR(io.read_block(MAX - 3, 8, out, gfp::KERNEL), err::EINVAL);
	EXPECT_ERR(io.read_block(8, MAX - 3, out, gfp::KERNEL), err::EINVAL);
	EXPECT_ERR(io.read_block(MAX - 3, 4, out, gfp::KERNEL), err::EINVAL);
	EXPECT(out.is_empty());
	EXPECT_EQ(out.capacity(), 0u);
	/* The last word, and the empty block at the end, are fine. */
	EXPECT(io.read_block(56, 4, out, gfp::KERNEL).ok());
	EXPECT(io.read_block(60, 0, out, gfp::KERNEL).ok());
	EXPECT_EQ(out.len(), 4u);
}

TEST(io, read_block_allocation_failure_leaves_out_unchanged)
{
	Buffer buf(64);
	ASSERT(buf.get() != nullptr);
	fill_counting(buf, 64);
	BufferIo<16> io(buf.get(), 64);

	CountingAlloc::reset();
	KVec<u8, CountingAlloc> out;
	ASSERT(io.read_block(0, 4, out, gfp::KERNEL).ok());
	ASSERT_EQ(out.capacity(), 4u);
	u8 *data = out.begin();

	CountingAlloc::fail_at = 1;
	EXPECT_ERR(io.read_block(4, 32, out, gfp::KERNEL), err::ENOMEM);
	EXPECT(holds_block(out, 0, 0, 0, 4));
	EXPECT_EQ(out.capacity(), 4u);
	EXPECT(out.begin() == data);
	/* And the next read works. */
	ASSERT(io.read_block(4, 32, out, gfp::KERNEL).ok());
	EXPECT(holds_block(out, 0, 0, 0, 36));
}

TEST(io, failslab_read_block_leaves_out_unchanged)
{
	if (!kcxx_kunit_fail_nth_available())
		SKIP("no failslab in this kernel");
	Buffer buf(64);
	ASSERT(buf.get() != nullptr);
	fill_counting(buf, 64);
	BufferIo<16> io(buf.get(), 64);
	KVec<u8> out;
	ASSERT(io.read_block(0, 4, out, gfp::KERNEL).ok());

	FailNth fail(1);
	Result<void> r = io.read_block(4, 32, out, gfp::NOWAIT | gfp::NOWARN);
	EXPECT(fail.fired());
	EXPECT_ERR(r, err::ENOMEM);
	EXPECT(holds_block(out, 0, 0, 0, 4));
}
