// SPDX-License-Identifier: GPL-2.0
/*
 * kcxx_time: Delta, Instant, fsleep() and read_poll_timeout()
 * (include/kernel/time.h), against the kernel's monotonic clock.
 */
#include <kernel/time.h>

#include "kunit.h"

using namespace kernel;
using time::Delta;
using time::Instant;

namespace {

constexpr ktl::s64 S64_MAX = static_cast<ktl::s64>(~ktl::u64 { 0 } >> 1);

/* A register that reads its count of reads: reaches @k on the k-th read. */
struct Counter {
	int reads = 0;
	int read() { return ++reads; }
};

} // namespace

TEST(time, delta_conversions_and_saturation)
{
	static_assert(Delta::from_ms(3).as_ns() == 3000000, "usable in constant expressions");
	EXPECT_EQ(Delta::from_us(7).as_ns(), 7000);
	EXPECT_EQ(Delta::from_secs(2).as_ms(), 2000);
	EXPECT_EQ(Delta::from_ns(1999).as_us(), 1);
	EXPECT_EQ(Delta::from_ns(1999).as_us_ceil(), 2);
	EXPECT_EQ(Delta::from_ns(2000).as_us_ceil(), 2);
	EXPECT_EQ(Delta::from_ns(1).as_us_ceil(), 1);
	EXPECT_EQ(Delta::from_ns(-1500).as_us_ceil(), -1);
	EXPECT(Delta().is_zero());
	EXPECT(Delta::from_ns(-1).is_negative());
	EXPECT(Delta::from_us(1) < Delta::from_ms(1));
	EXPECT_EQ((Delta::from_ms(1) + Delta::from_us(5)).as_us(), 1005);
	/* Huge values saturate instead of wrapping to a short or negative span. */
	EXPECT_EQ(Delta::from_secs(S64_MAX / 2).as_ns(), S64_MAX);
	EXPECT_EQ(Delta::from_ms(-S64_MAX).as_ns(), -S64_MAX - 1);
	EXPECT_EQ((Delta::from_ns(S64_MAX) + Delta::from_ns(1)).as_ns(), S64_MAX);
}

TEST(time, instant_is_monotonic_and_fsleep_waits_at_least)
{
	Instant a = Instant::now();
	Instant b = Instant::now();
	EXPECT(b >= a);
	EXPECT(!(b - a).is_negative());

	time::fsleep(Delta::from_us(5));
	EXPECT((Instant::now() - b) >= Delta::from_us(5));
	Instant c = Instant::now();
	time::fsleep(Delta::from_ms(2));
	EXPECT(c.elapsed() >= Delta::from_ms(2));
	/* Nothing to wait for. */
	time::fsleep(Delta());
	time::fsleep(Delta::from_ns(-5));
	EXPECT(Instant::now() + Delta::from_ns(S64_MAX) > Instant::now());
}

TEST(time, poll_immediate_success_reads_once)
{
	Counter reg;

	auto r = time::read_poll_timeout([&] { return reg.read(); }, [](int v) { return v >= 1; },
					 Delta::from_ms(10), Delta::from_secs(1));
	ASSERT(r.ok());
	EXPECT_EQ(r.value(), 1);
	EXPECT_EQ(reg.reads, 1);
}

TEST(time, poll_succeeds_after_k_reads_with_the_value_that_met_the_condition)
{
	Counter reg;
	Instant start = Instant::now();

	auto r = time::read_poll_timeout([&] { return reg.read(); },
					 [](const int &v) { return v == 5; }, Delta::from_us(100),
					 Delta::from_secs(5));
	ASSERT(r.ok());
	EXPECT_EQ(r.value(), 5);
	EXPECT_EQ(reg.reads, 5);
	/* Four sleeps of at least 100 us between the five reads. */
	EXPECT(start.elapsed() >= Delta::from_us(400));

	/* A busy poll (no sleep) works the same way. */
	Counter busy;
	auto b = time::read_poll_timeout([&] { return busy.read(); },
					 [](int v) { return v == 1000; }, Delta(),
					 Delta::from_secs(5));
	ASSERT(b.ok());
	EXPECT_EQ(b.value(), 1000);
	EXPECT_EQ(busy.reads, 1000);
}

TEST(time, poll_timeout_is_etimedout_after_at_least_the_timeout)
{
	Counter reg;
	Instant start = Instant::now();

	auto r = time::read_poll_timeout([&] { return reg.read(); }, [](int) { return false; },
					 Delta::from_ms(1), Delta::from_ms(20));
	Delta took = start.elapsed();
	EXPECT_ERR(r, err::ETIMEDOUT);
	EXPECT(took >= Delta::from_ms(20));
	/*
	 * Read more than once, but with a sleep of at least 1 ms between
	 * reads: at most one read per millisecond of the 20, the one that
	 * finds the deadline passed and the last one.
	 */
	EXPECT(reg.reads >= 2);
	EXPECT(reg.reads <= 23);

	/* A zero timeout still reads twice: once, and once after the deadline. */
	Counter once;
	auto z = time::read_poll_timeout([&] { return once.read(); }, [](int) { return false; },
					 Delta(), Delta());
	EXPECT_ERR(z, err::ETIMEDOUT);
	EXPECT_EQ(once.reads, 2);
}

TEST(time, poll_reads_once_more_after_the_deadline)
{
	/*
	 * The first read takes longer than the whole timeout (a preempted
	 * task); the condition holds by the next read, which must count.
	 */
	Counter reg;
	auto r = time::read_poll_timeout(
		[&] {
			if (reg.read() == 1)
				time::fsleep(Delta::from_ms(5));
			return reg.reads;
		},
		[](int v) { return v == 2; }, Delta::from_secs(1), Delta::from_ms(1));
	ASSERT(r.ok());
	EXPECT_EQ(r.value(), 2);
	EXPECT_EQ(reg.reads, 2);
}

TEST(time, poll_op_error_propagates_without_further_reads)
{
	Counter reg;
	bool cond_saw_error_read = false;

	auto r = time::read_poll_timeout(
		[&]() -> Result<int> {
			if (reg.read() == 3)
				return err::EIO;
			return reg.reads;
		},
		[&](int v) {
			cond_saw_error_read = cond_saw_error_read || v >= 3;
			return false;
		},
		Delta::from_us(10), Delta::from_secs(5));
	EXPECT_ERR(r, err::EIO);
	EXPECT_EQ(reg.reads, 3);
	EXPECT(!cond_saw_error_read);

	/* A Result op that succeeds yields its value, unwrapped. */
	Counter ok_reg;
	auto v =
		time::read_poll_timeout([&]() -> Result<int> { return ok_reg.read(); },
					[](int x) { return x == 2; }, Delta(), Delta::from_secs(1));
	ASSERT(v.ok());
	EXPECT_EQ(v.value(), 2);
}
