/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Errors and results.
 *
 * An Error is a negative errno with a name; a Result<T> holds a T or an
 * Error and must be looked at ([[nodiscard]]). TRY(expr) propagates the
 * error of a Result out of the enclosing function, or yields its value: the
 * C++ form of Rust's `?`. At a C boundary, to_errno() turns a Result into the
 * kernel's int convention.
 */
#ifndef KERNEL_ERROR_H
#define KERNEL_ERROR_H

#include <ktl/new.h>
#include <ktl/utility.h>
#include <kcxx/layout.h>

namespace kernel {

class Error {
public:
	/* @e: a negative errno; anything else is a bug, reported as EINVAL. */
	static constexpr Error from_errno(int e)
	{
		return Error(e < 0 && e >= -KCXX_MAX_ERRNO ? e : -KCXX_EINVAL);
	}

	constexpr int to_errno() const { return err_; }
	constexpr bool operator==(const Error &o) const = default;

private:
	constexpr explicit Error(int e) : err_(e) {}
	friend struct ErrorConstants;
	int err_;
};

/* Named errors, as in the kernel: err::EINVAL and so on. */
struct ErrorConstants {
	static constexpr Error make(int e) { return Error(-e); }
};

namespace err {
#define KCXX_ERR(name) inline constexpr Error name = ErrorConstants::make(KCXX_##name)
KCXX_ERR(EPERM);
KCXX_ERR(ENOENT);
KCXX_ERR(EIO);
KCXX_ERR(ENXIO);
KCXX_ERR(E2BIG);
KCXX_ERR(EBADF);
KCXX_ERR(EAGAIN);
KCXX_ERR(ENOMEM);
KCXX_ERR(EACCES);
KCXX_ERR(EFAULT);
KCXX_ERR(EBUSY);
KCXX_ERR(EEXIST);
KCXX_ERR(ENODEV);
KCXX_ERR(EINVAL);
KCXX_ERR(ENOSPC);
KCXX_ERR(ENOTTY);
KCXX_ERR(ERANGE);
KCXX_ERR(EOVERFLOW);
KCXX_ERR(EOPNOTSUPP);
KCXX_ERR(ETIMEDOUT);
KCXX_ERR(ENOSYS);
KCXX_ERR(EMSGSIZE);
KCXX_ERR(EPROTO);
#undef KCXX_ERR
} // namespace err

template <typename T> class [[nodiscard]] Result {
public:
	Result(const T &v) : ok_(true) { new (&value_) T(v); }
	Result(T &&v) : ok_(true) { new (&value_) T(ktl::move(v)); }
	Result(Error e) : err_(e), ok_(false) {}
	Result(Result &&o) : ok_(o.ok_)
	{
		if (ok_)
			new (&value_) T(ktl::move(o.value_));
		else
			err_ = o.err_;
	}
	Result(const Result &) = delete;
	Result &operator=(const Result &) = delete;
	Result &operator=(Result &&) = delete;
	~Result()
	{
		if (ok_)
			value_.~T();
	}

	bool ok() const { return ok_; }
	explicit operator bool() const { return ok_; }
	/* Meaningful only when !ok(); a success has no error (EINVAL is returned). */
	Error error() const { return ok_ ? err::EINVAL : err_; }

	T &value() & { return value_; }
	const T &value() const & { return value_; }
	T &&value() && { return ktl::move(value_); }
	/* Moves the value out; what TRY() yields. */
	T take() { return ktl::move(value_); }

	T *operator->() { return &value_; }
	T &operator*() { return value_; }

	int to_errno() const { return ok_ ? 0 : err_.to_errno(); }

private:
	union {
		T value_;
	};
	Error err_ = err::EINVAL;
	bool ok_;
};

template <> class [[nodiscard]] Result<void> {
public:
	Result() : ok_(true) {}
	Result(Error e) : err_(e), ok_(false) {}

	bool ok() const { return ok_; }
	explicit operator bool() const { return ok_; }
	Error error() const { return ok_ ? err::EINVAL : err_; }
	void take() {}
	int to_errno() const { return ok_ ? 0 : err_.to_errno(); }

private:
	Error err_ = err::EINVAL;
	bool ok_;
};

/* The success value of Result<void>: `return ok();`. */
inline Result<void> ok()
{
	return {};
}

/* A kernel int return (0 or a negative errno) as a Result. */
inline Result<void> to_result(int ret)
{
	if (ret < 0)
		return Error::from_errno(ret);
	return {};
}

} // namespace kernel

/*
 * TRY(expr): evaluate a Result; on error return it from the enclosing
 * function (whose return type must be a Result), else yield the value.
 */
#define TRY(expr)                                 \
	({                                        \
		auto &&kcxx_try_ = (expr);        \
		if (!kcxx_try_.ok())              \
			return kcxx_try_.error(); \
		kcxx_try_.take();                 \
	})

#endif /* KERNEL_ERROR_H */
