// SPDX-License-Identifier: GPL-2.0
/*
 * Smoke test of the C++ runtime in a real kernel: new/delete in their
 * forms, a virtual call, an RAII destructor and an allocation that fails;
 * then what holding the library's SpinLock means on this kernel, which
 * differs under PREEMPT_RT (include/kernel/sync.h). Each check prints one
 * TAP line that the host asserts (tools/check); the module refuses to load
 * if any check fails.
 */
#include <kernel/alloc.h>
#include <kernel/module.h>
#include <kernel/print.h>
#include <kernel/sync.h>
#include <kernel/time.h>

#include "glue.h"

using namespace kernel;

namespace {

struct Shape {
	virtual ~Shape() = default;
	virtual int sides() const = 0;
};

struct Triangle final : Shape {
	int sides() const override { return 3; }
};

struct Square final : Shape {
	int sides() const override { return 4; }
};

struct Counter {
	explicit Counter(int *n) : n_(n) {}
	~Counter() { ++*n_; }
	int *n_;
};

struct alignas(64) Aligned {
	char bytes[64];
};

struct Shared {
	int n = 0;
};

bool same(const kcxx_smoke_context &a, const kcxx_smoke_context &b)
{
	return a.preempt_count == b.preempt_count && a.in_atomic == b.in_atomic &&
	       a.preemptible == b.preemptible && a.irqs_disabled == b.irqs_disabled &&
	       a.migration_disabled == b.migration_disabled && a.rcu_depth == b.rcu_depth;
}

/* The competing thread's part: one increment under the lock. */
void bump_under_lock(void *arg)
{
	auto *lock = static_cast<SpinLock<Shared> *>(arg);
	lock->lock()->n++;
}

class Smoke {
public:
	static Result<KBox<Smoke>> init();

private:
	int run();
	void spinlock_checks();
	void check(bool ok, const char *name);
	int n_ = 0;
	int failed_ = 0;
};

void Smoke::check(bool ok, const char *name)
{
	n_++;
	if (!ok)
		failed_++;
	pr_info("%s %d - %s\n", ok ? "ok" : "not ok", n_, name);
}

/* Kept out of line so the compiler cannot devirtualize the calls. */
[[gnu::noinline]] int total_sides(Shape *const *shapes, int n)
{
	int sum = 0;

	for (int i = 0; i < n; i++)
		sum += shapes[i]->sides();
	return sum;
}

int Smoke::run()
{
	pr_info("TAP version 13\n");
	pr_info("1..10\n");

	int *p = new int(42);
	check(p && *p == 42, "new_delete");
	delete p;

	int *arr = new int[16]();
	bool zero = arr != nullptr;
	for (int i = 0; arr && i < 16; i++)
		zero = zero && arr[i] == 0;
	check(zero, "array_new_value_initialises");
	delete[] arr;

	auto *a = new Aligned;
	check(a && (reinterpret_cast<ktl::uintptr_t>(a) & 63) == 0, "aligned_new");
	delete a;

	Shape *shapes[2] = { new Triangle, new Square };
	check(shapes[0] && shapes[1] && total_sides(shapes, 2) == 7, "virtual_call");
	delete shapes[0];
	delete shapes[1];

	int destroyed = 0;
	{
		Counter c(&destroyed);
		Counter d(&destroyed);
	}
	check(destroyed == 2, "raii_destructor_runs_at_scope_exit");

	/* Larger than any allocator can give: must fail cleanly, not throw or hang. */
	void *huge = new (gfp::KERNEL | gfp::NOWARN) char[ktl::size_t { 1 } << 46];
	check(huge == nullptr, "failed_allocation_returns_nullptr");

	auto box = KBox<Counter, Kmalloc>::create(gfp::KERNEL, &destroyed);
	bool created = box.ok();
	if (created)
		box.value().reset();
	check(created && destroyed == 3, "kbox_frees_and_destroys");

	spinlock_checks();

	pr_info("%d passed, %d failed\n", n_ - failed_, failed_);
	return failed_;
}

/*
 * Holding a SpinLock: on a standard kernel the holder runs with preemption
 * off (atomic context); under PREEMPT_RT it stays preemptible, cannot
 * migrate, is in an RCU read-side section, and a task that wants the lock
 * sleeps on it. The context is sampled under the lock and judged after it.
 */
void Smoke::spinlock_checks()
{
	const bool rt = kcxx_smoke_preempt_rt();
	const bool counted = kcxx_smoke_preempt_count_enabled();
	SpinLock<Shared> lock { LOCK_CLASS("kcxx_smoke::spin"), Shared {} };
	kcxx_smoke_context before, held, after;

	pr_info("# SpinLock on this kernel: %s\n",
		rt ? "PREEMPT_RT, a sleeping lock" : "a spinning lock");

	kcxx_smoke_get_context(&before);
	{
		auto g = lock.lock();
		g->n++;
		kcxx_smoke_get_context(&held);
	}
	kcxx_smoke_get_context(&after);
	bool ok = !before.in_atomic && !held.irqs_disabled && same(before, after);
	if (rt)
		check(ok && held.preempt_count == before.preempt_count && !held.in_atomic &&
			      held.preemptible &&
			      held.migration_disabled > before.migration_disabled &&
			      (held.rcu_depth < 0 || held.rcu_depth > before.rcu_depth),
		      "rt_spinlock_holder_preemptible_not_migratable");
	else
		check(ok && held.migration_disabled == before.migration_disabled &&
			      (!counted || (held.preempt_count > before.preempt_count &&
					    held.in_atomic && !held.preemptible)),
		      "spinlock_holder_atomic");

	kcxx_smoke_get_context(&before);
	{
		auto g = lock.lock_irqsave();
		g->n++;
		kcxx_smoke_get_context(&held);
	}
	kcxx_smoke_get_context(&after);
	ok = !before.irqs_disabled && same(before, after);
	if (rt)
		check(ok && !held.irqs_disabled && !held.in_atomic && held.preemptible,
		      "rt_spinlock_irqsave_leaves_interrupts_on");
	else
		check(ok && held.irqs_disabled && (!counted || held.in_atomic),
		      "spinlock_irqsave_disables_interrupts");

	/*
	 * A higher-priority thread on the holder's CPU, woken while the lock
	 * is held. Standard kernel: it cannot run before the unlock. RT: it
	 * preempts the holder at once, then sleeps on the lock (the holder
	 * inherits its priority and goes on). Either way its increment comes
	 * after the holder's section: 100 + 1.
	 */
	lock.lock()->n = 0;
	kcxx_smoke_waiter *w = kcxx_smoke_waiter_create(bump_under_lock, &lock);
	bool ran_while_held = false, slept_on_lock = false, finished = false;
	if (w) {
		{
			auto g = lock.lock();
			kcxx_smoke_waiter_wake(w);
			const time::Instant start = time::Instant::now();
			while (!kcxx_smoke_waiter_ran(w) &&
			       start.elapsed() < time::Delta::from_ms(500))
				time::cpu_relax();
			ran_while_held = kcxx_smoke_waiter_ran(w);
			slept_on_lock = kcxx_smoke_waiter_sleeps_on_rtlock(w);
			g->n = 100;
		}
		finished = kcxx_smoke_waiter_finish(w);
	}
	if (!w)
		pr_info("# the competing thread could not be created\n");
	int n = lock.lock()->n;
	if (rt)
		check(finished && n == 101 && ran_while_held && slept_on_lock,
		      "rt_spinlock_holder_preempted_waiter_sleeps");
	else
		check(w && finished && n == 101 && !ran_while_held,
		      "spinlock_holder_not_preempted");
}

Result<KBox<Smoke>> Smoke::init()
{
	auto smoke = TRY(KBox<Smoke>::create(gfp::KERNEL));
	if (smoke->run())
		return err::EINVAL;
	return smoke;
}

} // namespace

KERNEL_MODULE(Smoke);
KERNEL_MODULE_LICENSE("GPL");
KERNEL_MODULE_DESCRIPTION("Smoke test of the kcxx C++ runtime");
