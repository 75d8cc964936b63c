/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Time: spans (Delta), points of the monotonic clock (Instant), sleeping,
 * and polling a register until it says what the caller waits for.
 *
 *	auto v = TRY(time::read_poll_timeout([&] { return Status::read(bar); },
 *					     [](Status s) { return s.done(); },
 *					     time::Delta::from_us(10), time::Delta::from_ms(20)));
 *
 * Durations are signed 64-bit nanoseconds, as the kernel's ktime_t; the
 * constructors saturate instead of overflowing.
 */
#ifndef KERNEL_TIME_H
#define KERNEL_TIME_H

#include <kernel/error.h>
#include <kcxx/bindings.h>

namespace kernel::time {

/* A span of time in nanoseconds; may be negative (a difference of Instants). */
class Delta {
public:
	constexpr Delta() = default;

	static constexpr Delta from_ns(ktl::s64 ns) { return Delta(ns); }
	static constexpr Delta from_us(ktl::s64 us) { return scaled(us, 1000); }
	static constexpr Delta from_ms(ktl::s64 ms) { return scaled(ms, 1000 * 1000); }
	static constexpr Delta from_secs(ktl::s64 s) { return scaled(s, 1000 * 1000 * 1000); }

	constexpr ktl::s64 as_ns() const { return ns_; }
	/* Whole microseconds, rounded toward zero. */
	constexpr ktl::s64 as_us() const { return ns_ / 1000; }
	/* Microseconds rounded up: a sleep of this many is never shorter. */
	constexpr ktl::s64 as_us_ceil() const
	{
		return ns_ > 0 ? ns_ / 1000 + (ns_ % 1000 != 0) : ns_ / 1000;
	}
	constexpr ktl::s64 as_ms() const { return ns_ / (1000 * 1000); }

	constexpr bool is_zero() const { return ns_ == 0; }
	constexpr bool is_negative() const { return ns_ < 0; }

	constexpr bool operator==(const Delta &) const = default;
	constexpr bool operator<(Delta o) const { return ns_ < o.ns_; }
	constexpr bool operator>(Delta o) const { return ns_ > o.ns_; }
	constexpr bool operator<=(Delta o) const { return ns_ <= o.ns_; }
	constexpr bool operator>=(Delta o) const { return ns_ >= o.ns_; }
	constexpr Delta operator+(Delta o) const { return Delta(saturating_add(ns_, o.ns_)); }

private:
	constexpr explicit Delta(ktl::s64 ns) : ns_(ns) {}

	static constexpr ktl::s64 MAX = static_cast<ktl::s64>(~ktl::u64 { 0 } >> 1);
	static constexpr ktl::s64 MIN = -MAX - 1;

	static constexpr Delta scaled(ktl::s64 v, ktl::s64 unit)
	{
		ktl::s64 ns;
		if (ktl::mul_overflows(v, unit, &ns))
			return Delta(v < 0 ? MIN : MAX);
		return Delta(ns);
	}
	static constexpr ktl::s64 saturating_add(ktl::s64 a, ktl::s64 b)
	{
		ktl::s64 r;
		if (ktl::add_overflows(a, b, &r))
			return b < 0 ? MIN : MAX;
		return r;
	}

	friend class Instant;
	ktl::s64 ns_ = 0;
};

/* A point of the monotonic clock (ktime_get()): never jumps, counts from boot. */
class Instant {
public:
	static Instant now() { return Instant(static_cast<ktl::s64>(kcxx_ktime_get_ns())); }

	/* The time since this instant. */
	Delta elapsed() const { return now() - *this; }

	constexpr Delta operator-(Instant o) const { return Delta::from_ns(ns_ - o.ns_); }
	constexpr Instant operator+(Delta d) const
	{
		return Instant(Delta::saturating_add(ns_, d.ns_));
	}
	constexpr bool operator==(const Instant &) const = default;
	constexpr bool operator<(Instant o) const { return ns_ < o.ns_; }
	constexpr bool operator>(Instant o) const { return ns_ > o.ns_; }
	constexpr bool operator<=(Instant o) const { return ns_ <= o.ns_; }
	constexpr bool operator>=(Instant o) const { return ns_ >= o.ns_; }

private:
	constexpr explicit Instant(ktl::s64 ns) : ns_(ns) {}
	ktl::s64 ns_;
};

/*
 * Waits at least @d: busy-waits for a few microseconds, sleeps beyond
 * that (the kernel's fsleep()). May sleep; nothing for @d <= 0.
 */
inline void fsleep(Delta d)
{
	kcxx_might_sleep();
	if (d.as_ns() <= 0)
		return;
	ktl::s64 us = d.as_us_ceil();
	constexpr unsigned long MAX_US = ~0ul;
	kcxx_fsleep(static_cast<ktl::u64>(us) > MAX_US ? MAX_US : static_cast<unsigned long>(us));
}

/* A hint to the CPU inside a busy-wait loop. */
inline void cpu_relax()
{
	kcxx_cpu_relax();
}

namespace detail {
template <typename R> struct PollValue {
	using type = R;
	static constexpr bool IS_RESULT = false;
};
template <typename T> struct PollValue<Result<T>> {
	using type = T;
	static constexpr bool IS_RESULT = true;
};

/* One read: op()'s value, or its error. */
template <typename Op> auto poll_once(Op &op) -> Result<typename PollValue<decltype(op())>::type>
{
	if constexpr (PollValue<decltype(op())>::IS_RESULT)
		return op();
	else
		return Result<typename PollValue<decltype(op())>::type>(op());
}
} // namespace detail

/*
 * Calls @op until @cond holds for what it returned, and returns that
 * value; the C++ form of the kernel's read_poll_timeout().
 *
 * @op returns a T or a Result<T>: a failed Result ends the poll at once
 * and is returned, with no further call. @cond takes the value (by const
 * reference or by value) and returns bool. Between reads the task sleeps
 * @sleep (fsleep(); zero: it only relaxes the CPU). Once @timeout has
 * passed since the start, @op is called one last time, as the kernel's
 * macro does, so that a task that was preempted past the deadline does
 * not report a timeout for a condition that has come true meanwhile;
 * ETIMEDOUT if it still does not hold. A zero timeout is not "forever"
 * (unlike the C macro): it gives those two reads.
 *
 * May sleep, whatever @sleep is (might_sleep() checks it): not for atomic
 * context.
 */
template <typename Op, typename Cond>
auto read_poll_timeout(Op op, Cond cond, Delta sleep, Delta timeout)
	-> Result<typename detail::PollValue<decltype(op())>::type>
{
	using T = typename detail::PollValue<decltype(op())>::type;
	static_assert(!ktl::is_same_v<T, void>, "read_poll_timeout: op() returns no value");

	kcxx_might_sleep();
	const Instant deadline = Instant::now() + timeout;
	for (;;) {
		T v = TRY(detail::poll_once(op));
		if (cond(static_cast<const T &>(v)))
			return v;
		if (Instant::now() > deadline) {
			T last = TRY(detail::poll_once(op));
			if (cond(static_cast<const T &>(last)))
				return last;
			return err::ETIMEDOUT;
		}
		if (!sleep.is_zero())
			fsleep(sleep);
		cpu_relax();
	}
}

} // namespace kernel::time

#endif /* KERNEL_TIME_H */
