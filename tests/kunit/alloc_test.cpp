// SPDX-License-Identifier: GPL-2.0
/*
 * kcxx_alloc: KBox, KVec and `new (gfp) T` (include/kernel/alloc.h),
 * including allocation failure, both from an allocator that fails on
 * demand and from the kernel's own fault injection (failslab).
 */
#include <kernel/alloc.h>

#include "kunit.h"
#include "tracked.h"

using namespace kernel;
using kcxx::kunit::Census;
using kcxx::kunit::CountingAlloc;
using kcxx::kunit::FailNth;
using kcxx::kunit::Tracked;

namespace {

/* Built by KBox::try_create(): default construction, then a fallible init(). */
class Initable {
public:
	Initable() = default;
	Initable(const Initable &) = delete;
	~Initable()
	{
		if (c_)
			c_->destroyed++;
	}

	Result<void> init(Census *c, int v, bool fail)
	{
		c_ = c;
		c_->constructed++;
		v_ = v;
		if (fail)
			return err::EIO;
		return ok();
	}

	int value() const { return v_; }

private:
	Census *c_ = nullptr;
	int v_ = 0;
};

/* Far larger than any allocator can give. */
struct Huge {
	explicit Huge(Census *c) : t(c, 0) {}
	char bytes[ktl::size_t { 1 } << 40];
	Tracked t;
};

template <typename A> bool holds_sequence(KVec<Tracked, A> &v, int n)
{
	if (v.len() != static_cast<ktl::size_t>(n))
		return false;
	for (int i = 0; i < n; i++)
		if (!v.get(i) || v.get(i)->value() != i)
			return false;
	return true;
}

template <typename A> bool holds_sequence_prefix(KVec<Tracked, A> &v, int n)
{
	for (int i = 0; i < n; i++)
		if (!v.get(i) || v.get(i)->value() != i)
			return false;
	return true;
}

template <typename A> Result<void> fill(KVec<Tracked, A> &v, Census *c, int n)
{
	for (int i = 0; i < n; i++)
		TRY(v.push(Tracked(c, i), gfp::KERNEL));
	return ok();
}

constexpr Gfp NOWAIT_QUIET = gfp::NOWAIT | gfp::NOWARN;

} // namespace

TEST(alloc, kbox_create_constructs_once_and_destroys_once)
{
	Census c;
	{
		auto r = KBox<Tracked>::create(gfp::KERNEL, &c, 7);
		ASSERT(r.ok());
		KBox<Tracked> b = r.take();
		ASSERT(static_cast<bool>(b));
		EXPECT_EQ(b->value(), 7);
		EXPECT_EQ((*b).value(), 7);
		EXPECT_EQ(c.constructed, 1);
		EXPECT_EQ(c.destroyed, 0);
	}
	EXPECT_EQ(c.constructed, 1);
	EXPECT_EQ(c.copied + c.moved, 0);
	EXPECT_EQ(c.destroyed, 1);
}

TEST(alloc, kbox_move_leaves_source_empty)
{
	Census c;
	{
		auto r = KBox<Tracked>::create(gfp::KERNEL, &c, 1);
		ASSERT(r.ok());
		KBox<Tracked> a = r.take();
		Tracked *obj = a.get();
		KBox<Tracked> b(ktl::move(a));
		EXPECT(!a);
		EXPECT(a.get() == nullptr);
		EXPECT(b.get() == obj);
		/* The object itself is not moved: the box hands over its pointer. */
		EXPECT_EQ(c.moved, 0);
	}
	EXPECT_EQ(c.destroyed, 1);
}

TEST(alloc, kbox_move_assignment_destroys_the_old_object)
{
	Census c;
	{
		auto r1 = KBox<Tracked>::create(gfp::KERNEL, &c, 1);
		auto r2 = KBox<Tracked>::create(gfp::KERNEL, &c, 2);
		ASSERT(r1.ok() && r2.ok());
		KBox<Tracked> a = r1.take();
		KBox<Tracked> b = r2.take();
		a = ktl::move(b);
		EXPECT_EQ(c.destroyed, 1);
		EXPECT(!b);
		ASSERT(static_cast<bool>(a));
		EXPECT_EQ(a->value(), 2);
	}
	EXPECT_EQ(c.constructed, 2);
	EXPECT_EQ(c.destroyed, 2);
}

TEST(alloc, kbox_into_raw_from_raw_round_trip)
{
	Census c;
	{
		auto r = KBox<Tracked>::create(gfp::KERNEL, &c, 3);
		ASSERT(r.ok());
		KBox<Tracked> a = r.take();
		Tracked *raw = a.into_raw();
		EXPECT(!a);
		ASSERT(raw != nullptr);
		/* Out of every box: nothing destroys it meanwhile. */
		a.reset();
		EXPECT_EQ(c.destroyed, 0);
		KBox<Tracked> back = KBox<Tracked>::from_raw(raw);
		EXPECT(back.get() == raw);
		EXPECT_EQ(back->value(), 3);
	}
	EXPECT_EQ(c.constructed, 1);
	EXPECT_EQ(c.destroyed, 1);
}

TEST(alloc, kbox_try_create_runs_init)
{
	Census c;
	{
		auto r = KBox<Initable>::try_create(gfp::KERNEL, &c, 9, false);
		ASSERT(r.ok());
		EXPECT_EQ(r.value()->value(), 9);
		EXPECT_EQ(c.constructed, 1);
	}
	EXPECT_EQ(c.destroyed, 1);
}

TEST(alloc, kbox_try_create_failed_init_destroys_the_object)
{
	Census c;
	auto r = KBox<Initable>::try_create(gfp::KERNEL, &c, 9, true);

	EXPECT(!r.ok());
	EXPECT_ERR(r, err::EIO);
	/* Built, init failed, destroyed and freed before the error came back. */
	EXPECT_EQ(c.constructed, 1);
	EXPECT_EQ(c.destroyed, 1);
}

TEST(alloc, kbox_allocation_failure_constructs_nothing)
{
	Census c;

	CountingAlloc::reset();
	CountingAlloc::fail_at = 1;
	auto r = KBox<Tracked, CountingAlloc>::create(gfp::KERNEL, &c, 1);
	EXPECT(!r.ok());
	EXPECT_ERR(r, err::ENOMEM);
	EXPECT_EQ(c.constructed + c.copied + c.moved, 0);
	EXPECT_EQ(CountingAlloc::allocs, 0);
	EXPECT_EQ(CountingAlloc::frees, 0);
}

TEST(alloc, kvec_growth_keeps_elements)
{
	Census c;

	CountingAlloc::reset();
	{
		KVec<Tracked, CountingAlloc> v;
		EXPECT(v.is_empty());
		ASSERT(fill(v, &c, 100).ok());
		EXPECT(holds_sequence(v, 100));
		EXPECT(v.capacity() >= 100);
		/* Every temporary and every element left behind by growth is gone. */
		EXPECT_EQ(c.live(), 100);
		EXPECT_EQ(c.copied, 0);
		/* Geometric growth: 4, 8, ..., 128; each old buffer freed. */
		EXPECT_EQ(CountingAlloc::allocs, 6);
		EXPECT_EQ(CountingAlloc::frees, 5);
	}
	EXPECT_EQ(c.live(), 0);
	EXPECT_EQ(CountingAlloc::frees, CountingAlloc::allocs);
}

TEST(alloc, kvec_reserve_allocates_once)
{
	Census c;

	CountingAlloc::reset();
	KVec<Tracked, CountingAlloc> v;
	ASSERT(v.reserve(10, gfp::KERNEL).ok());
	EXPECT(v.capacity() >= 10);
	EXPECT_EQ(v.len(), 0u);
	EXPECT_EQ(CountingAlloc::allocs, 1);
	ASSERT(fill(v, &c, 10).ok());
	EXPECT_EQ(CountingAlloc::allocs, 1);
	/* Enough room already: reserving again allocates nothing. */
	ASSERT(v.reserve(0, gfp::KERNEL).ok());
	EXPECT_EQ(CountingAlloc::allocs, 1);
}

TEST(alloc, kvec_pop_moves_the_last_element_out)
{
	Census c;
	KVec<Tracked> v;
	ASSERT(fill(v, &c, 3).ok());

	Tracked out(&c, 100);
	EXPECT(v.pop(&out));
	EXPECT_EQ(out.value(), 2);
	EXPECT_EQ(v.len(), 2u);
	EXPECT_EQ(c.live(), 3);
	EXPECT(v.pop(&out));
	EXPECT(v.pop(&out));
	EXPECT_EQ(out.value(), 0);
	EXPECT(v.is_empty());
	EXPECT_EQ(c.live(), 1);

	EXPECT(!v.pop(&out));
	EXPECT_EQ(out.value(), 0);
}

TEST(alloc, kvec_get_out_of_range_is_null)
{
	Census c;
	KVec<Tracked> v;

	EXPECT(v.get(0) == nullptr);
	ASSERT(fill(v, &c, 5).ok());
	EXPECT(v.get(4) != nullptr);
	EXPECT(v.get(5) == nullptr);
	EXPECT(v.get(~ktl::size_t { 0 }) == nullptr);
	const KVec<Tracked> &cv = v;
	EXPECT(cv.get(4) != nullptr);
	EXPECT(cv.get(5) == nullptr);
}

TEST(alloc, kvec_push_failure_leaves_vector_unchanged)
{
	Census c;

	CountingAlloc::reset();
	KVec<Tracked, CountingAlloc> v;
	ASSERT(fill(v, &c, 4).ok());
	ASSERT_EQ(v.capacity(), 4u);
	Tracked *data = v.begin();
	int live = c.live();

	/* Full: the next push must grow, and that allocation fails. */
	Tracked t(&c, 99);
	CountingAlloc::fail_at = 1;
	Result<void> r = v.push(ktl::move(t), gfp::KERNEL);
	EXPECT(!r.ok());
	EXPECT_ERR(r, err::ENOMEM);
	EXPECT_EQ(v.len(), 4u);
	EXPECT_EQ(v.capacity(), 4u);
	EXPECT(v.begin() == data);
	EXPECT(holds_sequence(v, 4));
	/* Nothing built, nothing moved out of the argument. */
	EXPECT_EQ(t.value(), 99);
	EXPECT_EQ(c.live(), live + 1);

	CountingAlloc::fail_at = 1;
	r = v.push(t, gfp::KERNEL);
	EXPECT_ERR(r, err::ENOMEM);
	EXPECT_EQ(v.len(), 4u);
	EXPECT_EQ(c.copied, 0);

	/* And the vector still works. */
	EXPECT(v.push(ktl::move(t), gfp::KERNEL).ok());
	ASSERT_EQ(v.len(), 5u);
	EXPECT_EQ(v.get(4)->value(), 99);
	Tracked last(&c, 0);
	EXPECT(v.pop(&last));
	EXPECT(holds_sequence(v, 4));
}

TEST(alloc, kvec_push_of_its_own_element_while_growing)
{
	Census c;
	KVec<Tracked> v;
	ASSERT(fill(v, &c, 4).ok());
	ASSERT_EQ(v.capacity(), 4u);

	/* v.push(v[1]) when full: the copy must be made before the old buffer goes. */
	ASSERT(v.push(*v.get(1), gfp::KERNEL).ok());
	EXPECT_EQ(v.get(4)->value(), 1);
	EXPECT(holds_sequence_prefix(v, 4));
}

TEST(alloc, kvec_reserve_overflow_is_enomem_without_allocating)
{
	Census c;

	CountingAlloc::reset();
	KVec<Tracked, CountingAlloc> v;
	ASSERT(fill(v, &c, 1).ok());
	int allocs = CountingAlloc::allocs;

	/* len + n overflows. */
	Result<void> r = v.reserve(~ktl::size_t { 0 }, gfp::KERNEL);
	EXPECT_ERR(r, err::ENOMEM);
	/* The element count fits, its size in bytes does not. */
	r = v.reserve(~ktl::size_t { 0 } / 2, gfp::KERNEL);
	EXPECT_ERR(r, err::ENOMEM);
	EXPECT_EQ(CountingAlloc::allocs, allocs);
	EXPECT(holds_sequence(v, 1));
}

TEST(alloc, kvec_destruction_destroys_every_element_and_frees)
{
	Census c;

	CountingAlloc::reset();
	{
		KVec<Tracked, CountingAlloc> v;
		ASSERT(fill(v, &c, 5).ok());
		KVec<Tracked, CountingAlloc> w(ktl::move(v));
		EXPECT(v.is_empty());
		EXPECT_EQ(v.capacity(), 0u);
		EXPECT(holds_sequence(w, 5));
	}
	EXPECT_EQ(c.live(), 0);
	EXPECT(CountingAlloc::allocs > 0);
	EXPECT_EQ(CountingAlloc::frees, CountingAlloc::allocs);
}

TEST(alloc, kvec_on_kvmalloc_grows_past_kmalloc_sizes)
{
	/* 2 Mi ints: the last buffer is 8 MiB, beyond kmalloc's largest. */
	constexpr int N = 1 << 21;
	KVec<int, KVmalloc> v;

	for (int i = 0; i < N; i++)
		ASSERT(v.push(i, gfp::KERNEL).ok());
	EXPECT_EQ(v.len(), static_cast<ktl::size_t>(N));
	long long sum = 0;
	for (int x : v)
		sum += x;
	EXPECT_EQ(sum, static_cast<long long>(N) * (N - 1) / 2);
	EXPECT_EQ(*v.get(N - 1), N - 1);
}

TEST(alloc, gfp_new_returns_null_without_constructing)
{
	Census c;

	Huge *h = new (gfp::KERNEL | gfp::NOWARN) Huge(&c);
	EXPECT(h == nullptr);
	EXPECT_EQ(c.constructed, 0);
	delete h;

	Tracked *t = new (gfp::KERNEL) Tracked(&c, 5);
	ASSERT(t != nullptr);
	EXPECT_EQ(t->value(), 5);
	delete t;
	EXPECT_EQ(c.constructed, 1);
	EXPECT_EQ(c.destroyed, 1);
}

TEST(alloc, failslab_kbox_create_returns_enomem)
{
	if (!kcxx_kunit_fail_nth_available())
		SKIP("no failslab in this kernel");
	Census c;

	FailNth fail(1);
	auto r = KBox<Tracked>::create(NOWAIT_QUIET, &c, 1);
	EXPECT(fail.fired());
	EXPECT(!r.ok());
	EXPECT_ERR(r, err::ENOMEM);
	EXPECT_EQ(c.constructed, 0);
}

TEST(alloc, failslab_kvec_push_leaves_vector_unchanged)
{
	if (!kcxx_kunit_fail_nth_available())
		SKIP("no failslab in this kernel");
	Census c;
	KVec<Tracked> v;
	ASSERT(fill(v, &c, 4).ok());
	ASSERT_EQ(v.capacity(), 4u);

	FailNth fail(1);
	Result<void> r = v.push(Tracked(&c, 4), NOWAIT_QUIET);
	EXPECT(fail.fired());
	EXPECT_ERR(r, err::ENOMEM);
	EXPECT_EQ(v.capacity(), 4u);
	EXPECT(holds_sequence(v, 4));
	EXPECT_EQ(c.live(), 4);
}

TEST(alloc, failslab_gfp_kernel_kbox_create_returns_enomem)
{
	if (!kcxx_kunit_fail_nth_available() || !kcxx_kunit_failslab_sleeping())
		SKIP("failslab passes GFP_KERNEL over: echo N > "
		     "/sys/kernel/debug/failslab/ignore-gfp-wait");
	Census c;

	FailNth fail(1);
	auto r = KBox<Tracked>::create(gfp::KERNEL, &c, 1);
	EXPECT(fail.fired());
	EXPECT_ERR(r, err::ENOMEM);
	EXPECT_EQ(c.constructed, 0);
}

TEST(alloc, kvec_extend_appends_value_initialised_elements)
{
	CountingAlloc::reset();
	KVec<ktl::u8, CountingAlloc> v;

	ASSERT(v.push(0x5a, gfp::KERNEL).ok());
	ASSERT(v.extend(100, gfp::KERNEL).ok());
	ASSERT_EQ(v.len(), 101u);
	EXPECT_EQ(*v.get(0), 0x5au);
	bool zero = true;
	for (ktl::size_t i = 1; i < v.len(); i++)
		zero = zero && *v.get(i) == 0;
	EXPECT(zero);
	/* One allocation of the right size, not a hundred pushes. */
	EXPECT_EQ(CountingAlloc::allocs, 2);
	EXPECT(v.capacity() >= 101);

	/* Extending by nothing changes nothing and allocates nothing. */
	ASSERT(v.extend(0, gfp::KERNEL).ok());
	EXPECT_EQ(v.len(), 101u);
	EXPECT_EQ(CountingAlloc::allocs, 2);

	KVec<int> empty;
	ASSERT(empty.extend(0, gfp::KERNEL).ok());
	EXPECT(empty.is_empty());
}

TEST(alloc, kvec_extend_failure_leaves_vector_unchanged)
{
	CountingAlloc::reset();
	KVec<ktl::u8, CountingAlloc> v;
	ASSERT(v.extend(4, gfp::KERNEL).ok());
	*v.get(3) = 7;
	ktl::u8 *data = v.begin();
	ktl::size_t cap = v.capacity();

	CountingAlloc::fail_at = 1;
	EXPECT_ERR(v.extend(cap, gfp::KERNEL), err::ENOMEM);
	EXPECT_EQ(v.len(), 4u);
	EXPECT_EQ(v.capacity(), cap);
	EXPECT(v.begin() == data);
	EXPECT_EQ(*v.get(3), 7u);

	/* len() + n overflows: ENOMEM without trying to allocate. */
	int allocs = CountingAlloc::allocs;
	EXPECT_ERR(v.extend(~ktl::size_t { 0 } - 1, gfp::KERNEL), err::ENOMEM);
	EXPECT_EQ(CountingAlloc::allocs, allocs);
	EXPECT_EQ(v.len(), 4u);
}

TEST(alloc, kvec_truncate_destroys_the_tail)
{
	Census c;
	KVec<Tracked> v;
	ASSERT(fill(v, &c, 6).ok());

	v.truncate(10);
	EXPECT_EQ(v.len(), 6u);
	EXPECT_EQ(c.live(), 6);
	v.truncate(2);
	EXPECT_EQ(v.len(), 2u);
	EXPECT_EQ(c.live(), 2);
	EXPECT(holds_sequence(v, 2));
	v.truncate(0);
	EXPECT(v.is_empty());
	EXPECT_EQ(c.live(), 0);
}

TEST(alloc, kvec_resize_grows_with_zeroes_and_shrinks)
{
	KVec<int> v;

	ASSERT(v.resize(3, gfp::KERNEL).ok());
	ASSERT_EQ(v.len(), 3u);
	EXPECT_EQ(*v.get(0) + *v.get(1) + *v.get(2), 0);
	*v.get(0) = 9;
	ASSERT(v.resize(1, gfp::KERNEL).ok());
	EXPECT_EQ(v.len(), 1u);
	EXPECT_EQ(*v.get(0), 9);
	ASSERT(v.resize(1, gfp::KERNEL).ok());
	EXPECT_EQ(v.len(), 1u);
	ASSERT(v.resize(5, gfp::KERNEL).ok());
	EXPECT_EQ(*v.get(0), 9);
	EXPECT_EQ(*v.get(4), 0);
	EXPECT_ERR(v.resize(~ktl::size_t { 0 }, gfp::KERNEL), err::ENOMEM);
	EXPECT_EQ(v.len(), 5u);
}

TEST(alloc, failslab_kvec_extend_leaves_vector_unchanged)
{
	if (!kcxx_kunit_fail_nth_available())
		SKIP("no failslab in this kernel");
	KVec<ktl::u8> v;
	ASSERT(v.extend(4, gfp::KERNEL).ok());
	ktl::u8 *data = v.begin();

	FailNth fail(1);
	Result<void> r = v.extend(64, NOWAIT_QUIET);
	EXPECT(fail.fired());
	EXPECT_ERR(r, err::ENOMEM);
	EXPECT_EQ(v.len(), 4u);
	EXPECT(v.begin() == data);
}
