// SPDX-License-Identifier: GPL-2.0
/*
 * The freestanding C++ runtime: every allocation function g++ can emit a call
 * to, on the kernel's allocators, and the ABI's pure-virtual handler. None of
 * them throws; an allocation failure returns nullptr (g++ checks it because
 * the library builds with -fcheck-new and the library's own forms are
 * noexcept). The plain forms use GFP_KERNEL; kernel::Gfp selects others.
 */
#include <ktl/new.h>
#include <kcxx/bindings.h>
#include <kcxx/layout.h>

namespace {

bool is_pow2(ktl::size_t v)
{
	return v && !(v & (v - 1));
}

/*
 * kmalloc() aligns power-of-two sizes naturally, so an over-aligned request
 * is served by rounding the size up to a power of two no smaller than the
 * alignment.
 */
void *alloc_aligned(ktl::size_t size, std::align_val_t align)
{
	auto a = static_cast<ktl::size_t>(align);

	if (!is_pow2(a))
		return nullptr;
	if (a <= KCXX_ARCH_KMALLOC_MINALIGN)
		return kcxx_kmalloc(size, KCXX_GFP_KERNEL);
	ktl::size_t n = size < a ? a : size;
	ktl::size_t p = 1;
	while (p < n) {
		if (p > (~ktl::size_t { 0 } >> 1))
			return nullptr;
		p <<= 1;
	}
	return kcxx_kmalloc(p, KCXX_GFP_KERNEL);
}

} // namespace

const std::nothrow_t std::nothrow {};

void *operator new(ktl::size_t size)
{
	return kcxx_kmalloc(size, KCXX_GFP_KERNEL);
}

void *operator new[](ktl::size_t size)
{
	return kcxx_kmalloc(size, KCXX_GFP_KERNEL);
}

void *operator new(ktl::size_t size, std::align_val_t align)
{
	return alloc_aligned(size, align);
}

void *operator new[](ktl::size_t size, std::align_val_t align)
{
	return alloc_aligned(size, align);
}

void *operator new(ktl::size_t size, const std::nothrow_t &) noexcept
{
	return kcxx_kmalloc(size, KCXX_GFP_KERNEL);
}

void *operator new[](ktl::size_t size, const std::nothrow_t &) noexcept
{
	return kcxx_kmalloc(size, KCXX_GFP_KERNEL);
}

void *operator new(ktl::size_t size, std::align_val_t align, const std::nothrow_t &) noexcept
{
	return alloc_aligned(size, align);
}

void *operator new[](ktl::size_t size, std::align_val_t align, const std::nothrow_t &) noexcept
{
	return alloc_aligned(size, align);
}

void operator delete(void *p) noexcept
{
	kcxx_kfree(p);
}

void operator delete[](void *p) noexcept
{
	kcxx_kfree(p);
}

void operator delete(void *p, ktl::size_t) noexcept
{
	kcxx_kfree(p);
}

void operator delete[](void *p, ktl::size_t) noexcept
{
	kcxx_kfree(p);
}

void operator delete(void *p, std::align_val_t) noexcept
{
	kcxx_kfree(p);
}

void operator delete[](void *p, std::align_val_t) noexcept
{
	kcxx_kfree(p);
}

void operator delete(void *p, ktl::size_t, std::align_val_t) noexcept
{
	kcxx_kfree(p);
}

void operator delete[](void *p, ktl::size_t, std::align_val_t) noexcept
{
	kcxx_kfree(p);
}

void operator delete(void *p, const std::nothrow_t &) noexcept
{
	kcxx_kfree(p);
}

void operator delete[](void *p, const std::nothrow_t &) noexcept
{
	kcxx_kfree(p);
}

void operator delete(void *p, std::align_val_t, const std::nothrow_t &) noexcept
{
	kcxx_kfree(p);
}

void operator delete[](void *p, std::align_val_t, const std::nothrow_t &) noexcept
{
	kcxx_kfree(p);
}

extern "C" void __cxa_pure_virtual();
extern "C" void __cxa_deleted_virtual();

/*
 * Called through a vtable slot whose function is pure: an object used during
 * its construction or destruction. A bug in the caller; warn and carry on
 * rather than hang.
 */
extern "C" void __cxa_pure_virtual()
{
	kcxx_warn(__FILE__, __LINE__, "pure virtual function called");
}

extern "C" void __cxa_deleted_virtual()
{
	kcxx_warn(__FILE__, __LINE__, "deleted virtual function called");
}
