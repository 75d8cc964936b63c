/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory-mapped I/O and typed registers.
 *
 * Io<Size> is a mapping known to be at least Size bytes long: accesses at a
 * constant offset are checked against Size at compile time; accesses at a
 * run-time offset are checked against the real length and fail with EINVAL.
 *
 * A register is a value type that knows its offset and its fields:
 *
 *	struct Boot0 : io::Register32<Boot0, 0x0> {
 *		REG_FIELD(arch_0, 28, 24);
 *		REG_FIELD(minor, 3, 0);
 *	};
 *	auto boot0 = Boot0::read(bar);		// one 32-bit read
 *	u32 a = boot0.arch_0();
 *
 * A field definition that does not fit the register fails to compile.
 *
 * Blocks (a ROM image, say) are read with read_block(), 32 bits at a time,
 * into a KVec<u8> the caller then reads through a ByteView (kernel/bytes.h).
 */
#ifndef KERNEL_IO_H
#define KERNEL_IO_H

#include <kernel/alloc.h>
#include <kernel/error.h>
#include <kcxx/bindings.h>

namespace kernel::io {

template <ktl::size_t Size> class Io {
public:
	static constexpr ktl::size_t MIN_SIZE = Size;

	ktl::size_t len() const { return len_; }

	template <ktl::size_t Off> ktl::u8 read8() const
	{
		static_assert(Off + 1 <= Size, "MMIO access beyond the mapping");
		return kcxx_readb(addr_ + Off);
	}
	template <ktl::size_t Off> ktl::u16 read16() const
	{
		static_assert(Off + 2 <= Size && Off % 2 == 0,
			      "MMIO access beyond the mapping or unaligned");
		return kcxx_readw(addr_ + Off);
	}
	template <ktl::size_t Off> ktl::u32 read32() const
	{
		static_assert(Off + 4 <= Size && Off % 4 == 0,
			      "MMIO access beyond the mapping or unaligned");
		return kcxx_readl(addr_ + Off);
	}
	template <ktl::size_t Off> void write8(ktl::u8 v) const
	{
		static_assert(Off + 1 <= Size, "MMIO access beyond the mapping");
		kcxx_writeb(v, addr_ + Off);
	}
	template <ktl::size_t Off> void write16(ktl::u16 v) const
	{
		static_assert(Off + 2 <= Size && Off % 2 == 0,
			      "MMIO access beyond the mapping or unaligned");
		kcxx_writew(v, addr_ + Off);
	}
	template <ktl::size_t Off> void write32(ktl::u32 v) const
	{
		static_assert(Off + 4 <= Size && Off % 4 == 0,
			      "MMIO access beyond the mapping or unaligned");
		kcxx_writel(v, addr_ + Off);
	}

	Result<ktl::u8> try_read8(ktl::size_t off) const
	{
		TRY(check(off, 1));
		return kcxx_readb(addr_ + off);
	}
	Result<ktl::u16> try_read16(ktl::size_t off) const
	{
		TRY(check(off, 2));
		return kcxx_readw(addr_ + off);
	}
	Result<ktl::u32> try_read32(ktl::size_t off) const
	{
		TRY(check(off, 4));
		return kcxx_readl(addr_ + off);
	}
	Result<void> try_write8(ktl::size_t off, ktl::u8 v) const
	{
		TRY(check(off, 1));
		kcxx_writeb(v, addr_ + off);
		return ok();
	}
	Result<void> try_write16(ktl::size_t off, ktl::u16 v) const
	{
		TRY(check(off, 2));
		kcxx_writew(v, addr_ + off);
		return ok();
	}
	Result<void> try_write32(ktl::size_t off, ktl::u32 v) const
	{
		TRY(check(off, 4));
		kcxx_writel(v, addr_ + off);
		return ok();
	}

	/*
	 * Appends the @len bytes at @off to @out, read with 32-bit MMIO reads
	 * in address order (one call into the bindings for the whole block;
	 * it does not sleep, so a caller reading megabytes may read in
	 * pieces). EINVAL unless @off and @len are multiples of 4 and the
	 * block lies inside the mapping; ENOMEM if @out cannot grow. On
	 * error @out is unchanged.
	 */
	template <typename A> Result<void> read_block(ktl::size_t off, ktl::size_t len,
						      KVec<ktl::u8, A> &out, Gfp gfp) const
	{
		ktl::size_t end;
		if (off % 4 || len % 4 || ktl::add_overflows(off, len, &end) || end > len_)
			return err::EINVAL;
		ktl::size_t start = out.len();
		TRY(out.extend(len, gfp));
		kcxx_read_block32(addr_ + off, out.begin() + start, len / 4);
		return ok();
	}

protected:
	Io(unsigned char *addr, ktl::size_t len) : addr_(addr), len_(len) {}

	/* In range and naturally aligned. */
	Result<void> check(ktl::size_t off, ktl::size_t width) const
	{
		ktl::size_t end;
		if (ktl::add_overflows(off, width, &end) || end > len_ || off % width)
			return err::EINVAL;
		return ok();
	}

	unsigned char *addr_;
	ktl::size_t len_;
};

/* The value of a 32-bit register at Offset; fields are bit ranges [Hi:Lo]. */
template <typename Self, ktl::size_t Offset> class Register32 {
public:
	static constexpr ktl::size_t OFFSET = Offset;

	constexpr Register32() = default;
	constexpr explicit Register32(ktl::u32 v) : value_(v) {}
	constexpr ktl::u32 raw() const { return value_; }

	template <typename IoT> static Self read(const IoT &io)
	{
		Self r;
		r.value_ = io.template read32<Offset>();
		return r;
	}
	template <typename IoT> void write(const IoT &io) const
	{
		io.template write32<Offset>(value_);
	}
	/* Read, modify with @f(Self&), write back; unnamed bits are preserved. */
	template <typename IoT, typename F> static void update(const IoT &io, F f)
	{
		Self r = read(io);
		f(r);
		r.write(io);
	}

	template <unsigned Hi, unsigned Lo> constexpr ktl::u32 field() const
	{
		return (value_ >> Lo) & mask<Hi, Lo>();
	}
	template <unsigned Hi, unsigned Lo> constexpr Self &set_field(ktl::u32 v)
	{
		value_ = (value_ & ~(mask<Hi, Lo>() << Lo)) | ((v & mask<Hi, Lo>()) << Lo);
		return static_cast<Self &>(*this);
	}

protected:
	template <unsigned Hi, unsigned Lo> static constexpr ktl::u32 mask()
	{
		return Hi - Lo == 31 ? ~0u : ((1u << (Hi - Lo + 1)) - 1);
	}

	ktl::u32 value_ = 0;
};

/* Declares field @name as bits [hi:lo] of the enclosing register. */
#define REG_FIELD(name, hi, lo)                                                            \
	static_assert((hi) < 32 && (lo) <= (hi), "register field " #name " out of range"); \
	constexpr ktl::u32 name() const                                                    \
	{                                                                                  \
		return this->template field<(hi), (lo)>();                                 \
	}                                                                                  \
	constexpr auto &set_##name(ktl::u32 v)                                             \
	{                                                                                  \
		return this->template set_field<(hi), (lo)>(v);                            \
	}

} // namespace kernel::io

#endif /* KERNEL_IO_H */
