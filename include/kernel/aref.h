/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ARef<T>: an owned reference to a reference-counted kernel object.
 *
 * T declares how its count is taken and dropped:
 *
 *	void inc_ref() const noexcept;
 *	void dec_ref() const noexcept;
 *
 * ARef::adopt() takes over a reference the caller already holds (what a
 * kernel lookup function returns); ARef::from() takes a new one. Copies take
 * a reference, moves transfer it, destruction drops it.
 */
#ifndef KERNEL_AREF_H
#define KERNEL_AREF_H

#include <ktl/utility.h>

namespace kernel {

template <typename T>
concept RefCounted = requires(const T &t)
{
	{
		t.inc_ref()
	}
	noexcept;
	{
		t.dec_ref()
	}
	noexcept;
};

template <typename T> class ARef {
public:
	/* Takes over the caller's reference to @p (non-null). */
	static ARef adopt(T *p) { return ARef(p); }

	/* Takes a new reference to @t. */
	static ARef from(T &t)
	{
		t.inc_ref();
		return ARef(&t);
	}

	ARef(const ARef &o) : p_(o.p_) { p_->inc_ref(); }
	ARef(ARef &&o) noexcept : p_(ktl::exchange(o.p_, nullptr)) {}
	ARef &operator=(ARef o) noexcept
	{
		ktl::swap(p_, o.p_);
		return *this;
	}
	~ARef()
	{
		static_assert(RefCounted<T>,
			      "ARef<T>: T must declare inc_ref() and dec_ref() noexcept");
		if (p_)
			p_->dec_ref();
	}

	T *operator->() const { return p_; }
	T &operator*() const { return *p_; }
	T *get() const { return p_; }

	/* Gives the reference up to the caller, who must drop it. */
	[[nodiscard]] T *into_raw() { return ktl::exchange(p_, nullptr); }

private:
	explicit ARef(T *p) : p_(p) {}
	T *p_;
};

} // namespace kernel

#endif /* KERNEL_AREF_H */
