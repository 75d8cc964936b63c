/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The C side of the smoke test (glue.c): the execution context the kernel
 * sees (preemption, interrupts, migration, RCU) and a kernel thread that
 * competes for a lock, so that the C++ test body can check what holding
 * the library's SpinLock does on the kernel it runs on. Test code only:
 * like rt/bindings, but never part of the library.
 */
#ifndef KCXX_SMOKE_GLUE_H
#define KCXX_SMOKE_GLUE_H

#ifdef __cplusplus
extern "C" {
#endif

/* The kernel is built with PREEMPT_RT: spinlock_t is an rt_mutex. */
bool kcxx_smoke_preempt_rt(void);
/* The kernel counts preemption-disabled sections (CONFIG_PREEMPT_COUNT). */
bool kcxx_smoke_preempt_count_enabled(void);

/* A snapshot of the calling task's context. */
struct kcxx_smoke_context {
	int preempt_count;	/* preempt_count() */
	bool in_atomic;		/* in_atomic() */
	bool preemptible;	/* preemptible() */
	bool irqs_disabled;	/* irqs_disabled() */
	int migration_disabled;	/* current->migration_disabled; -1 without SMP */
	int rcu_depth;		/* rcu_preempt_depth(); -1 without PREEMPT_RCU */
};

void kcxx_smoke_get_context(struct kcxx_smoke_context *c);

/*
 * A SCHED_FIFO kernel thread bound to the caller's CPU, created asleep.
 * Once woken it records that it ran, calls @fn(@arg) and records that it
 * finished. From create to finish the caller stays on its CPU
 * (migrate_disable()), so the two compete for one CPU. NULL on failure.
 */
struct kcxx_smoke_waiter;
struct kcxx_smoke_waiter *kcxx_smoke_waiter_create(void (*fn)(void *), void *arg);
void kcxx_smoke_waiter_wake(struct kcxx_smoke_waiter *w);
bool kcxx_smoke_waiter_ran(struct kcxx_smoke_waiter *w);
/* The thread sleeps waiting for a PREEMPT_RT spinlock (TASK_RTLOCK_WAIT). */
bool kcxx_smoke_waiter_sleeps_on_rtlock(struct kcxx_smoke_waiter *w);
/*
 * Waits up to 5 s for @fn to return, stops and frees the thread, lets the
 * caller migrate again. True if @fn returned.
 */
bool kcxx_smoke_waiter_finish(struct kcxx_smoke_waiter *w);

#ifdef __cplusplus
}
#endif

#endif /* KCXX_SMOKE_GLUE_H */
