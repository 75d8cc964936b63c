/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The part of <new> the language itself needs: the allocation functions'
 * declarations and the two std types their mangled names refer to. The
 * definitions live in rt/runtime.cpp (kcxx.ko). Nothing throws: every
 * allocation function returns nullptr on failure, and the library checks it.
 */
#ifndef KTL_NEW_H
#define KTL_NEW_H

#include <ktl/types.h>

namespace std {
enum class align_val_t : ktl::size_t {};
struct nothrow_t {
	explicit nothrow_t() = default;
};
extern const nothrow_t nothrow;
} // namespace std

[[nodiscard]] void *operator new(ktl::size_t size);
[[nodiscard]] void *operator new[](ktl::size_t size);
[[nodiscard]] void *operator new(ktl::size_t size, std::align_val_t align);
[[nodiscard]] void *operator new[](ktl::size_t size, std::align_val_t align);
[[nodiscard]] void *operator new(ktl::size_t size, const std::nothrow_t &) noexcept;
[[nodiscard]] void *operator new[](ktl::size_t size, const std::nothrow_t &) noexcept;
[[nodiscard]] void *operator new(ktl::size_t size, std::align_val_t align,
				 const std::nothrow_t &) noexcept;
[[nodiscard]] void *operator new[](ktl::size_t size, std::align_val_t align,
				   const std::nothrow_t &) noexcept;
void operator delete(void *p) noexcept;
void operator delete[](void *p) noexcept;
void operator delete(void *p, ktl::size_t size) noexcept;
void operator delete[](void *p, ktl::size_t size) noexcept;
void operator delete(void *p, std::align_val_t align) noexcept;
void operator delete[](void *p, std::align_val_t align) noexcept;
void operator delete(void *p, ktl::size_t size, std::align_val_t align) noexcept;
void operator delete[](void *p, ktl::size_t size, std::align_val_t align) noexcept;
void operator delete(void *p, const std::nothrow_t &) noexcept;
void operator delete[](void *p, const std::nothrow_t &) noexcept;
void operator delete(void *p, std::align_val_t align, const std::nothrow_t &) noexcept;
void operator delete[](void *p, std::align_val_t align, const std::nothrow_t &) noexcept;

/* Placement forms: no allocation, so they are inline and never exported. */
[[nodiscard]] inline void *operator new(ktl::size_t, void *where) noexcept
{
	return where;
}
[[nodiscard]] inline void *operator new[](ktl::size_t, void *where) noexcept
{
	return where;
}
inline void operator delete(void *, void *) noexcept
{}
inline void operator delete[](void *, void *) noexcept
{}

#endif /* KTL_NEW_H */
