/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test types that count what is done to them: Tracked values report every
 * construction, copy, move and destruction to a Census the test owns (on
 * its stack, so no static state), and CountingAlloc is an allocator that
 * counts and fails on demand.
 */
#ifndef KCXX_KUNIT_TRACKED_H
#define KCXX_KUNIT_TRACKED_H

#include <kernel/alloc.h>

namespace kcxx::kunit {

struct Census {
	int constructed = 0;
	int copied = 0;
	int moved = 0;
	int destroyed = 0;

	/* Objects alive now: every way in, minus the way out. */
	int live() const { return constructed + copied + moved - destroyed; }
};

class Tracked {
public:
	Tracked(Census *c, int v) : c_(c), v_(v) { c_->constructed++; }
	Tracked(const Tracked &o) : c_(o.c_), v_(o.v_) { c_->copied++; }
	Tracked(Tracked &&o) noexcept : c_(o.c_), v_(ktl::exchange(o.v_, MOVED)) { c_->moved++; }
	Tracked &operator=(const Tracked &o)
	{
		v_ = o.v_;
		return *this;
	}
	Tracked &operator=(Tracked &&o) noexcept
	{
		v_ = ktl::exchange(o.v_, MOVED);
		return *this;
	}
	~Tracked() { c_->destroyed++; }

	int value() const { return v_; }

	/* What a moved-from Tracked holds. */
	static constexpr int MOVED = -1;

private:
	Census *c_;
	int v_;
};

/*
 * Kmalloc that counts allocations and frees, and fails the fail_at-th
 * allocation from now on (1: the next one; 0: never). Its state is
 * static because allocators are; every test that uses it starts with
 * reset().
 */
struct CountingAlloc {
	static inline constinit int allocs = 0;
	static inline constinit int frees = 0;
	static inline constinit int fail_at = 0;

	static void reset()
	{
		allocs = 0;
		frees = 0;
		fail_at = 0;
	}

	static void *alloc(ktl::size_t size, kernel::Gfp gfp) noexcept
	{
		if (fail_at && --fail_at == 0)
			return nullptr;
		allocs++;
		return kernel::Kmalloc::alloc(size, gfp);
	}

	static void free(void *p) noexcept
	{
		if (p)
			frees++;
		kernel::Kmalloc::free(p);
	}
};

} // namespace kcxx::kunit

#endif /* KCXX_KUNIT_TRACKED_H */
