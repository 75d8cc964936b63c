/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Allocation: GFP flags, allocators, owned boxes and growable vectors.
 *
 * Every allocation is fallible and says so: KBox::create(), KVec::push()
 * and KVec::extend() return a Result whose error is ENOMEM. An allocator is a type
 * with static alloc()/free(); Kmalloc and KVmalloc wrap the kernel's, and a
 * test can supply one that fails on demand.
 */
#ifndef KERNEL_ALLOC_H
#define KERNEL_ALLOC_H

#include <kernel/error.h>
#include <kcxx/bindings.h>

namespace kernel {

/* GFP flags: values come from the kernel being built against. */
class Gfp {
public:
	constexpr explicit Gfp(unsigned int v) : v_(v) {}
	constexpr unsigned int raw() const { return v_; }
	constexpr Gfp operator|(Gfp o) const { return Gfp(v_ | o.v_); }

private:
	unsigned int v_;
};

namespace gfp {
inline constexpr Gfp KERNEL { KCXX_GFP_KERNEL };
/*
 * KERNEL, charged to the memory cgroup of the calling task: for memory a
 * user request makes the driver allocate and that lives on after it
 * (a GEM object, the state of an open file), so that a client limited by
 * its cgroup pays for it instead of the machine.
 */
inline constexpr Gfp KERNEL_ACCOUNT { KCXX_GFP_KERNEL_ACCOUNT };
inline constexpr Gfp ATOMIC { KCXX_GFP_ATOMIC };
inline constexpr Gfp NOWAIT { KCXX_GFP_NOWAIT };
inline constexpr Gfp ZERO { KCXX_GFP_ZERO };
inline constexpr Gfp NOWARN { KCXX_GFP_NOWARN };
} // namespace gfp

inline constexpr ktl::size_t PAGE_SIZE = KCXX_PAGE_SIZE;

/* @v rounded up to a multiple of PAGE_SIZE in *out; false if that overflows. */
[[nodiscard]] constexpr bool page_align(ktl::u64 v, ktl::u64 *out)
{
	if (ktl::add_overflows(v, ktl::u64 { PAGE_SIZE - 1 }, out))
		return false;
	*out &= ~ktl::u64 { PAGE_SIZE - 1 };
	return true;
}

struct Kmalloc {
	static void *alloc(ktl::size_t size, Gfp gfp) noexcept
	{
		return kcxx_kmalloc(size, gfp.raw());
	}
	static void free(void *p) noexcept { kcxx_kfree(p); }
};

struct KVmalloc {
	static void *alloc(ktl::size_t size, Gfp gfp) noexcept
	{
		return kcxx_kvmalloc(size, gfp.raw());
	}
	static void free(void *p) noexcept { kcxx_kvfree(p); }
};

/*
 * An owned, heap-allocated T: move-only, freed with its allocator when the
 * box is destroyed. Alignments beyond kmalloc's minimum are refused at
 * compile time rather than silently broken.
 */
template <typename T, typename A = Kmalloc> class KBox {
	static_assert(alignof(T) <= KCXX_ARCH_KMALLOC_MINALIGN,
		      "KBox: alignment beyond what kmalloc guarantees");

public:
	constexpr KBox() = default;
	KBox(KBox &&o) noexcept : p_(ktl::exchange(o.p_, nullptr)) {}
	KBox &operator=(KBox &&o) noexcept
	{
		reset(ktl::exchange(o.p_, nullptr));
		return *this;
	}
	KBox(const KBox &) = delete;
	KBox &operator=(const KBox &) = delete;
	~KBox() { reset(); }

	template <typename... Args> static Result<KBox> create(Gfp gfp, Args &&...args)
	{
		void *mem = A::alloc(sizeof(T), gfp);
		if (!mem)
			return err::ENOMEM;
		return KBox(new (mem) T(ktl::forward<Args>(args)...));
	}

	/* Construct with a fallible init: T::init(args...) returns Result<void>. */
	template <typename... Args> static Result<KBox> try_create(Gfp gfp, Args &&...args)
	{
		KBox b = TRY(create(gfp));
		TRY(b->init(ktl::forward<Args>(args)...));
		return b;
	}

	/* Takes ownership of an object allocated by A; for C round trips. */
	static KBox from_raw(T *p) { return KBox(p); }
	/* Gives up ownership; the caller must hand it back with from_raw(). */
	[[nodiscard]] T *into_raw() { return ktl::exchange(p_, nullptr); }

	T *get() const { return p_; }
	T *operator->() const { return p_; }
	T &operator*() const { return *p_; }
	explicit operator bool() const { return p_ != nullptr; }

	void reset(T *p = nullptr)
	{
		T *old = ktl::exchange(p_, p);
		if (old) {
			old->~T();
			A::free(old);
		}
	}

private:
	explicit KBox(T *p) : p_(p) {}
	T *p_ = nullptr;
};

/* A growable array; growth is fallible and leaves the vector unchanged on failure. */
template <typename T, typename A = Kmalloc> class KVec {
public:
	constexpr KVec() = default;
	KVec(KVec &&o) noexcept
		: data_(ktl::exchange(o.data_, nullptr)), len_(ktl::exchange(o.len_, 0)),
		  cap_(ktl::exchange(o.cap_, 0))
	{}
	KVec &operator=(KVec &&o) noexcept
	{
		clear_and_free();
		data_ = ktl::exchange(o.data_, nullptr);
		len_ = ktl::exchange(o.len_, 0);
		cap_ = ktl::exchange(o.cap_, 0);
		return *this;
	}
	KVec(const KVec &) = delete;
	KVec &operator=(const KVec &) = delete;
	~KVec() { clear_and_free(); }

	ktl::size_t len() const { return len_; }
	ktl::size_t capacity() const { return cap_; }
	bool is_empty() const { return len_ == 0; }

	/* Makes room for @n more elements. */
	Result<void> reserve(ktl::size_t n, Gfp gfp)
	{
		ktl::size_t cap;
		T *bigger = TRY(grow(n, gfp, &cap));
		if (bigger)
			relocate(bigger, cap);
		return ok();
	}

	Result<void> push(T &&v, Gfp gfp) { return emplace(ktl::move(v), gfp); }
	Result<void> push(const T &v, Gfp gfp) { return emplace(v, gfp); }

	/*
	 * Appends @n value-initialised elements (zeroes for integers): room
	 * for a block a single call then fills in. ENOMEM, with the vector
	 * unchanged, if the allocation fails or len() + @n overflows.
	 */
	Result<void> extend(ktl::size_t n, Gfp gfp)
	{
		static_assert(ktl::is_constructible_v<T>, "KVec::extend: T has no default value");
		TRY(reserve(n, gfp));
		for (ktl::size_t i = 0; i < n; i++)
			new (&data_[len_ + i]) T();
		len_ += n;
		return ok();
	}

	/* Destroys the elements from index @n on; nothing if len() <= @n. */
	void truncate(ktl::size_t n)
	{
		while (len_ > n)
			data_[--len_].~T();
	}

	/* extend() or truncate() to exactly @n elements; ENOMEM as extend(). */
	Result<void> resize(ktl::size_t n, Gfp gfp)
	{
		if (n <= len_) {
			truncate(n);
			return ok();
		}
		return extend(n - len_, gfp);
	}

	/* Removes the last element into *out; false when empty. */
	bool pop(T *out)
	{
		if (!len_)
			return false;
		len_--;
		*out = ktl::move(data_[len_]);
		data_[len_].~T();
		return true;
	}

	/* Bounds-checked access: nullptr past the end. */
	T *get(ktl::size_t i) { return i < len_ ? &data_[i] : nullptr; }
	const T *get(ktl::size_t i) const { return i < len_ ? &data_[i] : nullptr; }

	T *begin() { return data_; }
	T *end() { return data_ + len_; }
	const T *begin() const { return data_; }
	const T *end() const { return data_ + len_; }

	void clear()
	{
		while (len_)
			data_[--len_].~T();
	}

private:
	/*
	 * A buffer with room for @n more elements, or nullptr when the current
	 * one has it already. Nothing changes until relocate().
	 */
	Result<T *> grow(ktl::size_t n, Gfp gfp, ktl::size_t *new_cap)
	{
		ktl::size_t want;
		if (ktl::add_overflows(len_, n, &want))
			return err::ENOMEM;
		if (want <= cap_)
			return static_cast<T *>(nullptr);
		ktl::size_t cap = cap_ ? cap_ : 4;
		while (cap < want) {
			if (ktl::mul_overflows(cap, ktl::size_t { 2 }, &cap))
				return err::ENOMEM;
		}
		ktl::size_t bytes;
		if (ktl::mul_overflows(cap, sizeof(T), &bytes))
			return err::ENOMEM;
		T *bigger = static_cast<T *>(A::alloc(bytes, gfp));
		if (!bigger)
			return err::ENOMEM;
		*new_cap = cap;
		return bigger;
	}

	/* Moves the elements into @bigger and frees the old buffer. */
	void relocate(T *bigger, ktl::size_t cap)
	{
		for (ktl::size_t i = 0; i < len_; i++) {
			new (&bigger[i]) T(ktl::move(data_[i]));
			data_[i].~T();
		}
		A::free(data_);
		data_ = bigger;
		cap_ = cap;
	}

	/*
	 * The new element is built before the old buffer goes: @v may be one
	 * of this vector's own elements (v.push(v[0])).
	 */
	template <typename U> Result<void> emplace(U &&v, Gfp gfp)
	{
		ktl::size_t cap;
		T *bigger = TRY(grow(1, gfp, &cap));
		if (!bigger) {
			new (&data_[len_]) T(ktl::forward<U>(v));
			len_++;
			return ok();
		}
		new (&bigger[len_]) T(ktl::forward<U>(v));
		relocate(bigger, cap);
		len_++;
		return ok();
	}

	void clear_and_free()
	{
		clear();
		A::free(data_);
		data_ = nullptr;
		cap_ = 0;
	}

	T *data_ = nullptr;
	ktl::size_t len_ = 0;
	ktl::size_t cap_ = 0;
};

} // namespace kernel

/* `new (kernel::gfp::ATOMIC) T(...)`: allocation with explicit flags, nullptr on failure. */
[[nodiscard]] inline void *operator new(ktl::size_t size, kernel::Gfp gfp) noexcept
{
	return kcxx_kmalloc(size, gfp.raw());
}

[[nodiscard]] inline void *operator new[](ktl::size_t size, kernel::Gfp gfp) noexcept
{
	return kcxx_kmalloc(size, gfp.raw());
}

inline void operator delete(void *p, kernel::Gfp) noexcept
{
	kcxx_kfree(p);
}

inline void operator delete[](void *p, kernel::Gfp) noexcept
{
	kcxx_kfree(p);
}

#endif /* KERNEL_ALLOC_H */
