/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit for C++ test bodies.
 *
 *	TEST(sync, mutex_try_lock_is_ebusy_when_held)
 *	{
 *		Mutex<int> m{ LOCK_CLASS("kunit::m"), 0 };
 *		auto g = m.lock();
 *		auto r = m.try_lock();
 *		EXPECT_ERR(r, err::EBUSY);
 *		EXPECT(m.is_locked());
 *	}
 *
 * TEST(suite, name) defines the body of a case listed in cases.h; the
 * checks report through KUnit (glue.c) with the C++ file and line:
 * EXPECT(cond), EXPECT_EQ(a, b) (integers, enums, Errors; both values are
 * printed) and EXPECT_ERR(r, e) (the Result r failed with the Error e).
 *
 * EXPECT_* record a failure and go on. ASSERT_* record it and *return*
 * from the enclosing void function: unlike KUnit's C assertions, which
 * end the test thread on the spot, this runs the destructors of all the
 * test holds (locks, registrations, boxes), so a failed case leaves
 * nothing behind for the next one or for kmemleak. Checks may allocate
 * when they fail: none belongs under a spinlock.
 */
#ifndef KCXX_KUNIT_KUNIT_H
#define KCXX_KUNIT_KUNIT_H

#include <kernel/error.h>
#include <ktl/utility.h>

#include "cases.h"
#include "glue.h"

extern "C" {
#define KCXX_KUNIT_DECLARE(suite, name) void kcxx_test_##suite##_##name(struct kunit *test);
KCXX_KUNIT_ALL_CASES(KCXX_KUNIT_DECLARE)
#undef KCXX_KUNIT_DECLARE
}

#define TEST(suite, name) extern "C" void kcxx_test_##suite##_##name(struct kunit *test)

namespace kcxx::kunit {

/* @path from its "tests/" on: the source tree's name, not the build copy's. */
constexpr const char *source_name(const char *path)
{
	const char *name = path;

	for (const char *p = path; *p; p++)
		if (p[0] == '/' && p[1] == 't' && p[2] == 'e' && p[3] == 's' && p[4] == 't' &&
		    p[5] == 's' && p[6] == '/')
			name = p + 1;
	return name;
}

/* What EXPECT_EQ prints: integers, enums and Errors (as their errno). */
template <typename T> constexpr long long value_of(const T &v)
{
	return static_cast<long long>(v);
}

inline constexpr long long value_of(const kernel::Error &e)
{
	return e.to_errno();
}

template <typename A, typename B> bool check_eq(struct kunit *test, bool assertion, const A &a,
						const B &b, const char *ta, const char *tb,
						const char *file, int line)
{
	long long va = value_of(a);
	long long vb = value_of(b);

	return kcxx_kunit_check_op(test, va == vb, assertion, "==", ta, tb, va, vb, file, line);
}

/*
 * A Result that failed with @e. (Result::error() of a success is EINVAL,
 * so comparing error() alone cannot tell a success from EINVAL.)
 */
template <typename R> bool check_err(struct kunit *test, bool assertion, const R &r,
				     kernel::Error e, const char *tr, const char *te,
				     const char *file, int line)
{
	long long got = r.ok() ? 0 : r.error().to_errno();

	return kcxx_kunit_check_op(test, got == e.to_errno(), assertion, "fails with", tr, te, got,
				   e.to_errno(), file, line);
}

/* Whether two C strings are equal (no library strcmp in C++). */
constexpr bool streq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/*
 * Failslab, scoped: the @n-th fault-injection point this task reaches
 * while the object lives fails (as writing n to /proc/self/fail-nth
 * does). Disarmed at the end of the scope or by fired().
 */
class FailNth {
public:
	explicit FailNth(unsigned int n) { kcxx_kunit_fail_nth_set(n); }
	FailNth(const FailNth &) = delete;
	FailNth &operator=(const FailNth &) = delete;
	~FailNth() { disarm(); }

	/* Whether the failure was injected; disarms. */
	bool fired()
	{
		disarm();
		return fired_;
	}

private:
	void disarm()
	{
		if (armed_)
			fired_ = kcxx_kunit_fail_nth_reset() == 0;
		armed_ = false;
	}

	bool armed_ = true;
	bool fired_ = false;
};

} // namespace kcxx::kunit

/* Where a check is written, as the source tree names it. */
#define KCXX_KUNIT_HERE ::kcxx::kunit::source_name(__FILE__), __LINE__

#define KCXX_KUNIT_OR_RETURN(check) \
	do {                        \
		if (!(check))       \
			return;     \
	} while (0)

#define EXPECT(cond) kcxx_kunit_check(test, static_cast<bool>(cond), false, #cond, KCXX_KUNIT_HERE)
#define ASSERT(cond)          \
	KCXX_KUNIT_OR_RETURN( \
		kcxx_kunit_check(test, static_cast<bool>(cond), true, #cond, KCXX_KUNIT_HERE))

#define EXPECT_EQ(a, b) ::kcxx::kunit::check_eq(test, false, (a), (b), #a, #b, KCXX_KUNIT_HERE)
#define ASSERT_EQ(a, b) \
	KCXX_KUNIT_OR_RETURN(::kcxx::kunit::check_eq(test, true, (a), (b), #a, #b, KCXX_KUNIT_HERE))

#define EXPECT_ERR(r, e) ::kcxx::kunit::check_err(test, false, (r), (e), #r, #e, KCXX_KUNIT_HERE)
#define ASSERT_ERR(r, e)      \
	KCXX_KUNIT_OR_RETURN( \
		::kcxx::kunit::check_err(test, true, (r), (e), #r, #e, KCXX_KUNIT_HERE))

/* Skips the case (KTAP "# SKIP") and returns from it. */
#define SKIP(why)                           \
	do {                                \
		kcxx_kunit_skip(test, why); \
		return;                     \
	} while (0)

/*
 * The case proves a library bug not fixed yet: it skips ("known bug: @what")
 * unless the module is loaded with known_bugs=1. Remove the line with the fix.
 */
#define KNOWN_BUG(what)                           \
	do {                                      \
		if (!kcxx_kunit_known_bugs())     \
			SKIP("known bug: " what); \
	} while (0)

#endif /* KCXX_KUNIT_KUNIT_H */
