/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bounds-checked views of untrusted bytes: firmware images, ROMs, anything
 * a device or a file hands the kernel.
 *
 * The library's rule for such data: it is read through a ByteView, never
 * through a pointer. Every access names an offset and a width, is checked
 * against the view's length (with overflow-checked arithmetic) and returns
 * a Result: out of range is EINVAL, a search that finds nothing is ENOENT.
 * No access can read outside the view, whatever the offsets in the data.
 *
 * Multi-byte integers are little-endian in the data. Structs are read whole
 * (copied out, so alignment does not matter) and must be declared as
 * FromBytes types: trivially copyable, standard layout, no padding, and
 * marked with KERNEL_FROM_BYTES, which also asserts their size against the
 * format's:
 *
 *	struct [[gnu::packed]] PciRomHeader {
 *		u16 signature;
 *		u8 reserved[0x16];
 *		u16 pci_data_offset;
 *		KERNEL_FROM_BYTES(PciRomHeader, 0x1a);
 *	};
 *	auto hdr = TRY(rom.read<PciRomHeader>(offset));
 *
 * Such a struct's fields hold the data's little-endian bytes as they are,
 * so the library builds only for little-endian CPUs (asserted below).
 */
#ifndef KERNEL_BYTES_H
#define KERNEL_BYTES_H

#include <kernel/alloc.h>
#include <kernel/error.h>

namespace kernel {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	      "FromBytes structs hold little-endian fields as they are");

/*
 * Declares, inside struct T, that any bytes of the right length are a valid
 * T, and asserts T's size. A struct with padding or non-trivial members is
 * refused at compile time.
 */
#define KERNEL_FROM_BYTES(T, size)                                                         \
	static constexpr bool FROM_BYTES = true;                                           \
	static constexpr void assert_from_bytes_layout()                                   \
	{                                                                                  \
		static_assert(sizeof(T) == (size), #T ": size differs from the format");   \
		static_assert(__is_trivially_copyable(T) && __is_standard_layout(T),       \
			      #T ": not plain data");                                      \
		static_assert(__has_unique_object_representations(T), #T ": has padding"); \
	}

/* Types any bytes of sizeof(T) are a valid value of. */
template <typename T>
concept FromBytes = __is_same(T, ktl::u8) || __is_same(T, ktl::u16) || __is_same(T, ktl::u32) ||
		    __is_same(T, ktl::u64) || __is_same(T, ktl::s8) || __is_same(T, ktl::s16) ||
		    __is_same(T, ktl::s32) || __is_same(T, ktl::s64) || requires
{
	requires T::FROM_BYTES;
	T::assert_from_bytes_layout();
};

namespace detail {
/* The library's own access to a view's bytes in place (kernel/debugfs.h). */
struct ByteViewAccess;
} // namespace detail

/* A read-only, bounds-checked view of bytes it does not own. */
class ByteView {
public:
	constexpr ByteView() = default;
	constexpr ByteView(const ktl::u8 *data, ktl::size_t len) : data_(data), len_(len) {}
	template <ktl::size_t N> constexpr explicit ByteView(const ktl::u8 (&a)[N])
		: data_(a), len_(N)
	{}

	/* The bytes a vector holds now (until it next grows or shrinks). */
	template <typename A> ByteView(const KVec<ktl::u8, A> &v) : data_(v.begin()), len_(v.len())
	{}

	constexpr ktl::size_t len() const { return len_; }
	constexpr bool is_empty() const { return len_ == 0; }

	/* @len bytes from @off; EINVAL unless all of them are in the view. */
	Result<ByteView> sub(ktl::size_t off, ktl::size_t len) const
	{
		TRY(check(off, len));
		return ByteView(data_ + off, len);
	}
	/* The bytes from @off to the end (empty at @off == len()). */
	Result<ByteView> from(ktl::size_t off) const
	{
		if (off > len_)
			return err::EINVAL;
		return ByteView(data_ + off, len_ - off);
	}
	/* The first min(@n, len()) bytes: never fails. */
	ByteView prefix(ktl::size_t n) const { return ByteView(data_, n < len_ ? n : len_); }

	Result<ktl::u8> u8_at(ktl::size_t off) const
	{
		TRY(check(off, 1));
		return data_[off];
	}
	Result<ktl::u16> le16(ktl::size_t off) const
	{
		TRY(check(off, 2));
		return static_cast<ktl::u16>(data_[off] | data_[off + 1] << 8);
	}
	Result<ktl::u32> le32(ktl::size_t off) const
	{
		TRY(check(off, 4));
		return static_cast<ktl::u32>(data_[off]) |
		       static_cast<ktl::u32>(data_[off + 1]) << 8 |
		       static_cast<ktl::u32>(data_[off + 2]) << 16 |
		       static_cast<ktl::u32>(data_[off + 3]) << 24;
	}
	Result<ktl::u64> le64(ktl::size_t off) const
	{
		ktl::u32 lo = TRY(le32(off));
		ktl::size_t hi_off;
		if (ktl::add_overflows(off, ktl::size_t(4), &hi_off))
			return err::EINVAL;
		ktl::u32 hi = TRY(le32(hi_off));
		return static_cast<ktl::u64>(hi) << 32 | lo;
	}

	/* A copy of the sizeof(T) bytes at @off, as a T. */
	template <FromBytes T> Result<T> read(ktl::size_t off) const
	{
		TRY(check(off, sizeof(T)));
		T v;
		__builtin_memcpy(&v, data_ + off, sizeof(T));
		return v;
	}

	/* Whether @sig's bytes are at @off (false if they would not fit). */
	bool matches(ktl::size_t off, ByteView sig) const
	{
		if (!check(off, sig.len_))
			return false;
		for (ktl::size_t i = 0; i < sig.len_; i++)
			if (data_[off + i] != sig.data_[i])
				return false;
		return true;
	}
	/* As above, with a string literal's characters (without its NUL). */
	template <ktl::size_t N> bool matches(ktl::size_t off, const char (&sig)[N]) const
	{
		static_assert(N > 1, "empty signature");
		return matches(off, ByteView(reinterpret_cast<const ktl::u8 *>(sig), N - 1));
	}

	/*
	 * The first offset >= @start where @needle's bytes are, stepping by
	 * @step (a signature that is only valid at aligned offsets); ENOENT if
	 * there is none, EINVAL for an empty needle or a zero step.
	 */
	Result<ktl::size_t> find(ByteView needle, ktl::size_t start = 0, ktl::size_t step = 1) const
	{
		if (needle.is_empty() || step == 0)
			return err::EINVAL;
		for (ktl::size_t off = start; off < len_ && len_ - off >= needle.len_;) {
			if (matches(off, needle))
				return off;
			if (ktl::add_overflows(off, step, &off))
				break;
		}
		return err::ENOENT;
	}
	template <ktl::size_t N> Result<ktl::size_t>
	find(const char (&sig)[N], ktl::size_t start = 0, ktl::size_t step = 1) const
	{
		static_assert(N > 1, "empty signature");
		return find(ByteView(reinterpret_cast<const ktl::u8 *>(sig), N - 1), start, step);
	}

	/* Copies @n bytes at @off out; EINVAL (and nothing copied) if out of range. */
	Result<void> copy_to(ktl::size_t off, ktl::u8 *dst, ktl::size_t n) const
	{
		TRY(check(off, n));
		__builtin_memcpy(dst, data_ + off, n);
		return ok();
	}

private:
	/* [off, off + n) lies inside the view. */
	Result<void> check(ktl::size_t off, ktl::size_t n) const
	{
		ktl::size_t end;
		if (ktl::add_overflows(off, n, &end) || end > len_)
			return err::EINVAL;
		return ok();
	}

	friend struct detail::ByteViewAccess;
	const ktl::u8 *data_ = nullptr;
	ktl::size_t len_ = 0;
};

/* Sequential reads from a ByteView: a cursor that only moves on success. */
class ByteReader {
public:
	explicit ByteReader(ByteView view) : view_(view) {}

	ktl::size_t pos() const { return pos_; }
	ktl::size_t remaining() const { return view_.len() - pos_; }

	Result<void> seek(ktl::size_t pos)
	{
		if (pos > view_.len())
			return err::EINVAL;
		pos_ = pos;
		return ok();
	}
	Result<void> skip(ktl::size_t n)
	{
		TRY(view_.sub(pos_, n));
		pos_ += n;
		return ok();
	}
	Result<ByteView> take(ktl::size_t n)
	{
		ByteView v = TRY(view_.sub(pos_, n));
		pos_ += n;
		return v;
	}
	template <FromBytes T> Result<T> read()
	{
		T v = TRY(view_.read<T>(pos_));
		pos_ += sizeof(T);
		return v;
	}

private:
	ByteView view_;
	ktl::size_t pos_ = 0;
};

} // namespace kernel

#endif /* KERNEL_BYTES_H */
