// SPDX-License-Identifier: GPL-2.0
/* Bindings: mutexes, spinlocks and id allocators. */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/idr.h>
#include <kcxx/bindings.h>

void kcxx_mutex_init(struct mutex *m, const char *name, struct lock_class_key *key)
{
	__mutex_init(m, name, key);
}
EXPORT_SYMBOL_GPL(kcxx_mutex_init);

void kcxx_mutex_destroy(struct mutex *m)
{
	mutex_destroy(m);
}
EXPORT_SYMBOL_GPL(kcxx_mutex_destroy);

void kcxx_mutex_lock(struct mutex *m)
{
	mutex_lock(m);
}
EXPORT_SYMBOL_GPL(kcxx_mutex_lock);

int kcxx_mutex_lock_interruptible(struct mutex *m)
{
	return mutex_lock_interruptible(m);
}
EXPORT_SYMBOL_GPL(kcxx_mutex_lock_interruptible);

int kcxx_mutex_trylock(struct mutex *m)
{
	return mutex_trylock(m);
}
EXPORT_SYMBOL_GPL(kcxx_mutex_trylock);

void kcxx_mutex_unlock(struct mutex *m)
{
	mutex_unlock(m);
}
EXPORT_SYMBOL_GPL(kcxx_mutex_unlock);

int kcxx_mutex_is_locked(struct mutex *m)
{
	return mutex_is_locked(m);
}
EXPORT_SYMBOL_GPL(kcxx_mutex_is_locked);

/*
 * Under PREEMPT_RT spinlock_t is an rt_mutex (include/linux/spinlock_rt.h)
 * with no raw lock inside: it is set up by its own initialiser, which takes
 * the caller's class when lockdep is on.
 */
void kcxx_spin_lock_init(void *l, const char *name, struct lock_class_key *key)
{
#if defined(CONFIG_PREEMPT_RT)
	__spin_lock_init((spinlock_t *)l, name, key, false);
#elif defined(CONFIG_DEBUG_SPINLOCK)
	__raw_spin_lock_init(spinlock_check(l), name, key, LD_WAIT_CONFIG);
#else
	spin_lock_init((spinlock_t *)l);
#endif
}
EXPORT_SYMBOL_GPL(kcxx_spin_lock_init);

void kcxx_spin_lock(void *l)
{
	spin_lock((spinlock_t *)l);
}
EXPORT_SYMBOL_GPL(kcxx_spin_lock);

void kcxx_spin_unlock(void *l)
{
	spin_unlock((spinlock_t *)l);
}
EXPORT_SYMBOL_GPL(kcxx_spin_unlock);

unsigned long kcxx_spin_lock_irqsave(void *l)
{
	unsigned long flags;

	spin_lock_irqsave((spinlock_t *)l, flags);
	return flags;
}
EXPORT_SYMBOL_GPL(kcxx_spin_lock_irqsave);

void kcxx_spin_unlock_irqrestore(void *l, unsigned long flags)
{
	spin_unlock_irqrestore((spinlock_t *)l, flags);
}
EXPORT_SYMBOL_GPL(kcxx_spin_unlock_irqrestore);

void kcxx_ida_init(void *ida)
{
	ida_init(ida);
}
EXPORT_SYMBOL_GPL(kcxx_ida_init);

void kcxx_ida_destroy(void *ida)
{
	ida_destroy(ida);
}
EXPORT_SYMBOL_GPL(kcxx_ida_destroy);

int kcxx_ida_alloc(void *ida, gfp_t gfp)
{
	return ida_alloc(ida, gfp);
}
EXPORT_SYMBOL_GPL(kcxx_ida_alloc);

void kcxx_ida_free(void *ida, unsigned int id)
{
	ida_free(ida, id);
}
EXPORT_SYMBOL_GPL(kcxx_ida_free);
