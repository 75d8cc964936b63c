// SPDX-License-Identifier: GPL-2.0
/*
 * kcxx_sync: Mutex, SpinLock, their guards and lockdep classes
 * (include/kernel/sync.h). "Unlocked" is checked three ways: the lock's
 * own state, the number of locks lockdep sees this task holding, and
 * (for spinlocks) the preemption count and interrupt state.
 */
#include <kernel/sync.h>

#include "kunit.h"

using namespace kernel;
using kcxx::kunit::streq;

namespace {

/* Lockdep's count of held locks is @base + @extra (true without lockdep). */
bool holds(int base, int extra)
{
	return base < 0 || kcxx_kunit_held_locks() == base + extra;
}

struct Counter {
	int n = 0;
};

Result<void> bump(Mutex<Counter> &m, bool early)
{
	auto g = m.lock();
	g->n++;
	if (early)
		return ok();
	g->n++;
	return ok();
}

Result<void> bump_then_fail(Mutex<Counter> &m, int *reached)
{
	auto g = m.lock();
	g->n++;
	TRY(to_result(kcxx_kunit_kernel_errno("EIO")));
	(*reached)++;
	return ok();
}

Result<int> read_if_free(Mutex<Counter> &m)
{
	auto g = TRY(m.try_lock());
	return g->n;
}

LockClass one_site()
{
	return LOCK_CLASS("kunit::one_site");
}

} // namespace

TEST(sync, mutex_guard_gives_access_and_unlocks)
{
	Mutex<Counter> m { LOCK_CLASS("kunit::guard"), Counter { 3 } };
	int base = kcxx_kunit_held_locks();

	EXPECT(!m.is_locked());
	{
		auto g = m.lock();
		EXPECT(m.is_locked());
		EXPECT(holds(base, 1));
		EXPECT_EQ(g->n, 3);
		(*g).n = 5;
	}
	EXPECT(!m.is_locked());
	EXPECT(holds(base, 0));
	auto g = m.lock();
	EXPECT_EQ(g->n, 5);
}

TEST(sync, mutex_unlocks_on_early_return)
{
	Mutex<Counter> m { LOCK_CLASS("kunit::early"), Counter {} };
	int base = kcxx_kunit_held_locks();

	EXPECT(bump(m, true).ok());
	EXPECT(!m.is_locked());
	EXPECT(holds(base, 0));
	EXPECT(bump(m, false).ok());
	EXPECT(!m.is_locked());
	EXPECT_EQ(m.lock()->n, 3);
}

TEST(sync, mutex_unlocks_on_try_error_path)
{
	Mutex<Counter> m { LOCK_CLASS("kunit::try_path"), Counter {} };
	int base = kcxx_kunit_held_locks();
	int reached = 0;

	Result<void> r = bump_then_fail(m, &reached);
	EXPECT_ERR(r, err::EIO);
	EXPECT_EQ(reached, 0);
	EXPECT(!m.is_locked());
	EXPECT(holds(base, 0));
	EXPECT_EQ(m.lock()->n, 1);
}

TEST(sync, mutex_try_lock_is_ebusy_when_held)
{
	Mutex<Counter> m { LOCK_CLASS("kunit::trylock"), Counter { 7 } };
	int base = kcxx_kunit_held_locks();
	{
		auto g = m.lock();
		auto r = m.try_lock();
		EXPECT(!r.ok());
		EXPECT_ERR(r, err::EBUSY);
		EXPECT_ERR(read_if_free(m), err::EBUSY);
		EXPECT(holds(base, 1));
	}
	EXPECT(!m.is_locked());

	/* Free: try_lock succeeds, and its guard (through TRY) unlocks too. */
	Result<int> v = read_if_free(m);
	ASSERT(v.ok());
	EXPECT_EQ(v.value(), 7);
	EXPECT(!m.is_locked());
	{
		auto r = m.try_lock();
		ASSERT(r.ok());
		EXPECT(m.is_locked());
		r.value()->n = 8;
	}
	EXPECT(!m.is_locked());
	EXPECT(holds(base, 0));
}

TEST(sync, mutex_lock_interruptible_locks_and_unlocks)
{
	Mutex<Counter> m { LOCK_CLASS("kunit::interruptible"), Counter {} };
	{
		auto r = m.lock_interruptible();
		ASSERT(r.ok());
		EXPECT(m.is_locked());
		r.value()->n = 1;
	}
	EXPECT(!m.is_locked());
	EXPECT_EQ(m.lock()->n, 1);
}

TEST(sync, mutex_moved_guard_unlocks_once)
{
	Mutex<Counter> m { LOCK_CLASS("kunit::moved_guard"), Counter {} };
	int base = kcxx_kunit_held_locks();
	{
		auto g = m.lock();
		MutexGuard<Counter> h(ktl::move(g));
		h->n = 4;
		EXPECT(m.is_locked());
		EXPECT(holds(base, 1));
	}
	/* A second unlock would be a lockdep "bad unlock balance" report. */
	EXPECT(!m.is_locked());
	EXPECT(holds(base, 0));
	EXPECT(base < 0 || kcxx_kunit_lockdep_ok());
}

TEST(sync, spinlock_guard_holds_until_scope_exit)
{
	SpinLock<Counter> s { LOCK_CLASS("kunit::spin"), Counter {} };
	int base = kcxx_kunit_held_locks();
	int preempt = kcxx_kunit_preempt_count();
	int preempt_held, locks_held;

	/* Observed under the lock, checked after it: a failing check may sleep. */
	{
		auto g = s.lock();
		g->n = 1;
		preempt_held = kcxx_kunit_preempt_count();
		locks_held = kcxx_kunit_held_locks();
	}
	EXPECT(preempt_held > preempt);
	EXPECT(base < 0 || locks_held == base + 1);
	EXPECT_EQ(kcxx_kunit_preempt_count(), preempt);
	EXPECT(holds(base, 0));
	/* Still held would mean a deadlock (and a lockdep report) here. */
	int n = s.lock()->n;
	EXPECT_EQ(n, 1);
}

TEST(sync, spinlock_irqsave_guards_restore_interrupts_nested)
{
	SpinLock<Counter> outer { LOCK_CLASS("kunit::irq_outer"), Counter {} };
	SpinLock<Counter> inner { LOCK_CLASS("kunit::irq_inner"), Counter {} };
	int base = kcxx_kunit_held_locks();
	bool off_outer, off_inner, off_after_inner;
	int locks_inner, locks_after_inner;

	ASSERT(!kcxx_kunit_irqs_disabled());
	{
		auto go = outer.lock_irqsave();
		off_outer = kcxx_kunit_irqs_disabled();
		{
			auto gi = inner.lock_irqsave();
			auto moved = ktl::move(gi);
			moved->n = 2;
			off_inner = kcxx_kunit_irqs_disabled();
			locks_inner = kcxx_kunit_held_locks();
		}
		off_after_inner = kcxx_kunit_irqs_disabled();
		locks_after_inner = kcxx_kunit_held_locks();
		go->n = 1;
	}
	EXPECT(off_outer);
	EXPECT(off_inner);
	/* The inner guard restored what it found: still disabled. */
	EXPECT(off_after_inner);
	EXPECT(base < 0 || locks_inner == base + 2);
	EXPECT(base < 0 || locks_after_inner == base + 1);
	EXPECT(!kcxx_kunit_irqs_disabled());
	EXPECT(holds(base, 0));
	int n_outer = outer.lock()->n;
	int n_inner = inner.lock_irqsave()->n;
	EXPECT_EQ(n_outer, 1);
	EXPECT_EQ(n_inner, 2);
}

TEST(sync, lock_class_differs_per_site_same_within_one)
{
	LockClass a = LOCK_CLASS("kunit::a");
	LockClass b = LOCK_CLASS("kunit::b");

	EXPECT(a.key != nullptr);
	EXPECT(a.key != b.key);
	EXPECT(streq(a.name, "kunit::a"));
	/* One site, evaluated twice (every lock a loop creates): one class. */
	EXPECT(one_site().key == one_site().key);
	EXPECT(one_site().key != a.key);
}

TEST(sync, nested_mutexes_of_distinct_sites_no_lockdep_report)
{
	if (!kcxx_kunit_have_lockdep())
		SKIP("no lockdep in this kernel");
	if (!kcxx_kunit_lockdep_ok())
		SKIP("lockdep was turned off by an earlier report (see the console)");

	/*
	 * Same type, different declarations: with one class for both,
	 * lockdep would report "possible recursive locking" here (and the
	 * VM run would fail on it).
	 */
	Mutex<Counter> a { LOCK_CLASS("kunit::nest_outer"), Counter {} };
	Mutex<Counter> b { LOCK_CLASS("kunit::nest_inner"), Counter {} };
	int base = kcxx_kunit_held_locks();
	{
		auto ga = a.lock();
		auto gb = b.lock();
		ga->n = gb->n + 1;
		EXPECT(holds(base, 2));
	}
	EXPECT(holds(base, 0));
	EXPECT(kcxx_kunit_lockdep_ok());
}
