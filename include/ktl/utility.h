/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The small part of <utility> and <type_traits> the library needs, on
 * compiler builtins only: no libstdc++ header is usable in the kernel.
 */
#ifndef KTL_UTILITY_H
#define KTL_UTILITY_H

#include <ktl/types.h>

namespace ktl {

template <typename T> struct remove_reference {
	using type = T;
};
template <typename T> struct remove_reference<T &> {
	using type = T;
};
template <typename T> struct remove_reference<T &&> {
	using type = T;
};
template <typename T> using remove_reference_t = typename remove_reference<T>::type;

template <typename T> struct remove_cv {
	using type = T;
};
template <typename T> struct remove_cv<const T> {
	using type = T;
};
template <typename T> struct remove_cv<volatile T> {
	using type = T;
};
template <typename T> struct remove_cv<const volatile T> {
	using type = T;
};
template <typename T> using remove_cvref_t = typename remove_cv<remove_reference_t<T>>::type;

template <typename T, typename U> inline constexpr bool is_same_v = __is_same(T, U);
template <typename T>
inline constexpr bool is_trivially_destructible_v = __has_trivial_destructor(T);
template <typename T> inline constexpr bool is_trivially_copyable_v = __is_trivially_copyable(T);
template <typename T, typename... A>
inline constexpr bool is_constructible_v = __is_constructible(T, A...);
template <typename T> inline constexpr bool is_standard_layout_v = __is_standard_layout(T);
template <typename T> inline constexpr bool is_lvalue_reference_v = false;
template <typename T> inline constexpr bool is_lvalue_reference_v<T &> = true;

template <typename T, typename U>
concept same_as = __is_same(T, U) && __is_same(U, T);
template <typename From, typename To>
concept convertible_to = requires(From (&f)())
{
	static_cast<To>(f());
};

template <bool B, typename T = void> struct enable_if {};
template <typename T> struct enable_if<true, T> {
	using type = T;
};
template <bool B, typename T = void> using enable_if_t = typename enable_if<B, T>::type;

template <typename T> constexpr remove_reference_t<T> &&move(T &&t) noexcept
{
	return static_cast<remove_reference_t<T> &&>(t);
}

template <typename T> constexpr T &&forward(remove_reference_t<T> &t) noexcept
{
	return static_cast<T &&>(t);
}

template <typename T> constexpr T &&forward(remove_reference_t<T> &&t) noexcept
{
	return static_cast<T &&>(t);
}

template <typename T, typename U = T> constexpr T exchange(T &obj, U &&v)
{
	T old = move(obj);
	obj = forward<U>(v);
	return old;
}

template <typename T> constexpr void swap(T &a, T &b) noexcept
{
	T t = move(a);
	a = move(b);
	b = move(t);
}

template <typename T> constexpr const T &min(const T &a, const T &b)
{
	return b < a ? b : a;
}

template <typename T> constexpr const T &max(const T &a, const T &b)
{
	return a < b ? b : a;
}

template <typename T, size_t N> constexpr size_t size(const T (&)[N]) noexcept
{
	return N;
}

/* Checked arithmetic: false on overflow, like the kernel's check_*_overflow(). */
template <typename T> [[nodiscard]] constexpr bool add_overflows(T a, T b, T *res)
{
	return __builtin_add_overflow(a, b, res);
}

template <typename T> [[nodiscard]] constexpr bool mul_overflows(T a, T b, T *res)
{
	return __builtin_mul_overflow(a, b, res);
}

/*
 * A reference that can be copied, stored and returned in a Result (which
 * holds values): it always refers to an object, like T&, and never owns it.
 */
template <typename T> class reference_wrapper {
public:
	constexpr explicit reference_wrapper(T &r) noexcept : p_(&r) {}
	reference_wrapper(T &&) = delete; /* no reference to a temporary */

	constexpr T &get() const noexcept { return *p_; }
	constexpr operator T &() const noexcept { return *p_; }
	constexpr T *operator->() const noexcept { return p_; }

private:
	T *p_;
};

} // namespace ktl

#endif /* KTL_UTILITY_H */
