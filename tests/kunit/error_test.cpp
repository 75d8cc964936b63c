// SPDX-License-Identifier: GPL-2.0
/*
 * kcxx_error: Error, Result<T>, Result<void>, TRY and the errno boundary
 * (include/kernel/error.h).
 */
#include <kernel/error.h>

#include "kunit.h"
#include "tracked.h"

using namespace kernel;
using kcxx::kunit::Census;
using kcxx::kunit::Tracked;

namespace {

Result<int> value(int v)
{
	return v;
}

Result<int> failure(Error e)
{
	return e;
}

/* Three fallible steps; *reached counts the steps that ran. */
Result<int> three_steps(int *reached, Error second)
{
	int a = TRY(value(1));
	(*reached)++;
	int b = TRY(failure(second));
	(*reached)++;
	int c = TRY(failure(err::EIO));
	(*reached)++;
	return a + b + c;
}

Result<int> sum_of_two()
{
	int a = TRY(value(20));
	int b = TRY(value(22));
	return a + b;
}

Result<void> void_step(bool fail)
{
	if (fail)
		return err::EAGAIN;
	return ok();
}

Result<void> void_chain(bool fail_first, int *reached)
{
	TRY(void_step(fail_first));
	(*reached)++;
	TRY(void_step(false));
	(*reached)++;
	return ok();
}

} // namespace

TEST(error, result_holds_value)
{
	Result<int> r = value(7);

	ASSERT(r.ok());
	EXPECT(static_cast<bool>(r));
	EXPECT_EQ(r.value(), 7);
	EXPECT_EQ(*r, 7);
	EXPECT_EQ(r.to_errno(), 0);
}

TEST(error, result_holds_error)
{
	Result<int> r = failure(err::ENOENT);

	EXPECT(!r.ok());
	EXPECT(!static_cast<bool>(r));
	EXPECT_ERR(r, err::ENOENT);
	EXPECT_EQ(r.to_errno(), kcxx_kunit_kernel_errno("ENOENT"));
}

TEST(error, result_destroys_its_value_once)
{
	Census c;
	{
		Result<Tracked> r = Tracked(&c, 5);
		ASSERT(r.ok());
		EXPECT_EQ(r->value(), 5);
		Result<Tracked> moved(ktl::move(r));
		EXPECT_EQ(moved->value(), 5);
		EXPECT_EQ(c.live(), 2);
	}
	EXPECT_EQ(c.constructed, 1);
	EXPECT_EQ(c.copied, 0);
	EXPECT_EQ(c.live(), 0);
}

TEST(error, result_of_error_constructs_no_value)
{
	Census c;
	{
		Result<Tracked> r = err::ENOMEM;
		EXPECT(!r.ok());
		Result<Tracked> moved(ktl::move(r));
		EXPECT_ERR(moved, err::ENOMEM);
	}
	EXPECT_EQ(c.constructed + c.copied + c.moved, 0);
	EXPECT_EQ(c.destroyed, 0);
}

TEST(error, try_yields_the_value)
{
	Result<int> r = sum_of_two();

	ASSERT(r.ok());
	EXPECT_EQ(r.value(), 42);
}

TEST(error, try_propagates_first_error_and_stops)
{
	int reached = 0;
	Result<int> r = three_steps(&reached, err::ENOSPC);

	EXPECT(!r.ok());
	/* The second step's error, not the third's; nothing after it ran. */
	EXPECT_ERR(r, err::ENOSPC);
	EXPECT_EQ(reached, 1);
}

TEST(error, result_void_carries_success_or_error)
{
	int reached = 0;
	Result<void> good = void_chain(false, &reached);

	EXPECT(good.ok());
	EXPECT_EQ(good.to_errno(), 0);
	EXPECT_EQ(reached, 2);

	reached = 0;
	Result<void> bad = void_chain(true, &reached);
	EXPECT(!bad.ok());
	EXPECT_ERR(bad, err::EAGAIN);
	EXPECT_EQ(bad.to_errno(), kcxx_kunit_kernel_errno("EAGAIN"));
	EXPECT_EQ(reached, 0);
}

TEST(error, to_result_maps_kernel_returns)
{
	EXPECT(to_result(0).ok());
	/* Positive returns (a count, say) are success too. */
	EXPECT(to_result(3).ok());

	Result<void> r = to_result(kcxx_kunit_kernel_errno("EIO"));
	EXPECT(!r.ok());
	EXPECT_ERR(r, err::EIO);
}

TEST(error, to_errno_is_zero_or_the_negative_errno)
{
	EXPECT_EQ(value(1).to_errno(), 0);
	EXPECT_EQ(failure(err::EBUSY).to_errno(), kcxx_kunit_kernel_errno("EBUSY"));
	EXPECT(err::EBUSY.to_errno() < 0);
}

TEST(error, from_errno_keeps_valid_errors)
{
	int max = kcxx_kunit_max_errno();

	EXPECT_EQ(Error::from_errno(-1).to_errno(), -1);
	EXPECT_EQ(Error::from_errno(-max).to_errno(), -max);
	EXPECT_EQ(Error::from_errno(kcxx_kunit_kernel_errno("ENODEV")), err::ENODEV);
}

TEST(error, from_errno_clamps_bad_values_to_einval)
{
	int max = kcxx_kunit_max_errno();
	const int bad[] = { 0, 1, 4096, __INT_MAX__, -max - 1, -__INT_MAX__ - 1 };

	for (int e : bad) {
		if (!EXPECT_EQ(Error::from_errno(e), err::EINVAL))
			kcxx_kunit_note(test, "from_errno(%d)", e);
	}
}

TEST(error, named_errors_equal_the_kernels)
{
	struct Named {
		const char *name;
		Error error;
	};
	static constexpr Named named[] = {
		{ "EPERM", err::EPERM },
		{ "ENOENT", err::ENOENT },
		{ "EIO", err::EIO },
		{ "ENXIO", err::ENXIO },
		{ "E2BIG", err::E2BIG },
		{ "EBADF", err::EBADF },
		{ "EAGAIN", err::EAGAIN },
		{ "ENOMEM", err::ENOMEM },
		{ "EACCES", err::EACCES },
		{ "EFAULT", err::EFAULT },
		{ "EBUSY", err::EBUSY },
		{ "EEXIST", err::EEXIST },
		{ "ENODEV", err::ENODEV },
		{ "EINVAL", err::EINVAL },
		{ "ENOSPC", err::ENOSPC },
		{ "ENOTTY", err::ENOTTY },
		{ "ERANGE", err::ERANGE },
		{ "EOVERFLOW", err::EOVERFLOW },
		{ "EOPNOTSUPP", err::EOPNOTSUPP },
		{ "ETIMEDOUT", err::ETIMEDOUT },
		{ "ENOSYS", err::ENOSYS },
		{ "EMSGSIZE", err::EMSGSIZE },
	};

	for (const Named &n : named) {
		int kernel = kcxx_kunit_kernel_errno(n.name);
		/* The glue knows every name, and each is the kernel's -E<name>. */
		if (!EXPECT(kernel < 0) || !EXPECT_EQ(n.error.to_errno(), kernel))
			kcxx_kunit_note(test, "err::%s", n.name);
	}
}

TEST(error, errors_compare_by_value)
{
	EXPECT(Error::from_errno(kcxx_kunit_kernel_errno("EIO")) == err::EIO);
	EXPECT(!(err::EIO == err::ENOENT));
	EXPECT(err::EIO != err::ENOENT);
}
