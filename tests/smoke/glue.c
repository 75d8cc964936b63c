// SPDX-License-Identifier: GPL-2.0
/*
 * C glue of the smoke test: context snapshots and a competing kernel
 * thread (glue.h).
 */
#include <linux/completion.h>
#include <linux/irqflags.h>
#include <linux/kthread.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smp.h>

#include "glue.h"

bool kcxx_smoke_preempt_rt(void)
{
	return IS_ENABLED(CONFIG_PREEMPT_RT);
}

bool kcxx_smoke_preempt_count_enabled(void)
{
	return IS_ENABLED(CONFIG_PREEMPT_COUNT);
}

void kcxx_smoke_get_context(struct kcxx_smoke_context *c)
{
	c->preempt_count = preempt_count();
	c->in_atomic = in_atomic();
	c->preemptible = preemptible();
	c->irqs_disabled = irqs_disabled();
#ifdef CONFIG_SMP
	c->migration_disabled = current->migration_disabled;
#else
	c->migration_disabled = -1;
#endif
#ifdef CONFIG_PREEMPT_RCU
	c->rcu_depth = rcu_preempt_depth();
#else
	c->rcu_depth = -1;
#endif
}

struct kcxx_smoke_waiter {
	struct task_struct *task;
	void (*fn)(void *arg);
	void *arg;
	bool ran;
	struct completion done;
};

static int kcxx_smoke_waiter_thread(void *data)
{
	struct kcxx_smoke_waiter *w = data;

	WRITE_ONCE(w->ran, true);
	w->fn(w->arg);
	complete(&w->done);
	/* kthread_stop() wants the thread alive until it asks. */
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

struct kcxx_smoke_waiter *kcxx_smoke_waiter_create(void (*fn)(void *), void *arg)
{
	struct kcxx_smoke_waiter *w = kzalloc(sizeof(*w), GFP_KERNEL);

	if (!w)
		return NULL;
	w->fn = fn;
	w->arg = arg;
	init_completion(&w->done);
	migrate_disable();
	w->task = kthread_create(kcxx_smoke_waiter_thread, w, "kcxx_smoke_waiter");
	if (IS_ERR(w->task)) {
		migrate_enable();
		kfree(w);
		return NULL;
	}
	kthread_bind(w->task, smp_processor_id());
	/* Above the caller (SCHED_NORMAL): it runs as soon as it may. */
	sched_set_fifo(w->task);
	return w;
}

void kcxx_smoke_waiter_wake(struct kcxx_smoke_waiter *w)
{
	wake_up_process(w->task);
}

bool kcxx_smoke_waiter_ran(struct kcxx_smoke_waiter *w)
{
	return READ_ONCE(w->ran);
}

bool kcxx_smoke_waiter_sleeps_on_rtlock(struct kcxx_smoke_waiter *w)
{
	return READ_ONCE(w->task->__state) == TASK_RTLOCK_WAIT;
}

bool kcxx_smoke_waiter_finish(struct kcxx_smoke_waiter *w)
{
	bool done = wait_for_completion_timeout(&w->done, 5 * HZ);

	kthread_stop(w->task);
	migrate_enable();
	kfree(w);
	return done;
}
