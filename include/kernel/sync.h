/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Locks that own their data.
 *
 * Mutex<T> and SpinLock<T> hold a T that is reachable only through the
 * guard lock() returns; the guard unlocks when it goes out of scope, on every
 * path. Each lock is given a lockdep class at its declaration site:
 *
 *	Mutex<State> state_{LOCK_CLASS("nova::state"), State{...}};
 *
 * LOCK_CLASS() creates a static lock_class_key unique to the place it is
 * written, as the kernel's mutex_init() macro does.
 *
 * SpinLock is the kernel's spinlock_t, so what holding it means depends on
 * the kernel (Documentation/locking/locktypes.rst):
 *
 * - A standard kernel: the holder spins while it waits and runs with
 *   preemption disabled (atomic context); lock_irqsave() also disables
 *   local interrupts.
 * - PREEMPT_RT: spinlock_t is an rt_mutex, a sleeping lock with priority
 *   inheritance. A task that finds it held may sleep until it is free (so
 *   lock() may sleep: never take it in hard-IRQ context, with interrupts
 *   disabled or under a raw spinlock). The holder stays preemptible by
 *   higher-priority tasks, cannot migrate to another CPU (per-CPU data it
 *   looked up stays its own) and is in an RCU read-side section.
 *   lock_irqsave() leaves interrupts enabled: interrupt handlers run in
 *   threads there, and the lock excludes them as it excludes other tasks.
 *
 * Code written for both: inside a SpinLock section, never sleep (no Mutex,
 * no GFP_KERNEL allocation, no fsleep()): a bug on a standard kernel, and
 * on PREEMPT_RT a voluntary sleep inside the implied RCU read-side section.
 * Only the lock's own waiting sleeps there. A SpinLock may be taken under
 * a Mutex, never the other way round, on either kernel.
 *
 * There is no RawSpinLock (raw_spinlock_t, spinning on every kernel).
 * PREEMPT_RT keeps raw spinlocks for short sections that must not be
 * preempted: the scheduler, interrupt controllers, hard-IRQ handlers. The
 * library registers no hard-IRQ handler and calls no driver code under a
 * raw spinlock, and under one even a GFP_ATOMIC allocation is forbidden on
 * PREEMPT_RT, so a RawSpinLock would offer nothing the drivers need and an
 * easy way to break PREEMPT_RT. A hard-IRQ handler (IRQF_NO_THREAD) that
 * shares state with tasks would be the reason to add one.
 */
#ifndef KERNEL_SYNC_H
#define KERNEL_SYNC_H

#include <kernel/error.h>
#include <kcxx/bindings.h>

namespace kernel {

/* A lockdep class: a static key and a name. */
struct LockClass {
	struct lock_class_key *key;
	const char *name;
};

namespace detail {
/* One key per distinct Site type; zero-initialised static storage. */
template <typename Site> struct LockClassKey {
	alignas(8) static inline unsigned char storage[KCXX_LOCK_CLASS_KEY_SIZE
							       ? KCXX_LOCK_CLASS_KEY_SIZE
							       : 1];
};
} // namespace detail

#define LOCK_CLASS(name)                                                                          \
	(::kernel::LockClass { reinterpret_cast<struct lock_class_key *>(                         \
				       ::kernel::detail::LockClassKey<decltype([] {})>::storage), \
			       name })

template <typename T> class Mutex;
template <typename T> class SpinLock;

template <typename T> class MutexGuard {
public:
	MutexGuard(const MutexGuard &) = delete;
	MutexGuard &operator=(const MutexGuard &) = delete;
	MutexGuard(MutexGuard &&o) noexcept : lock_(ktl::exchange(o.lock_, nullptr)) {}
	~MutexGuard()
	{
		if (lock_)
			kcxx_mutex_unlock(lock_->raw());
	}

	T *operator->() const { return &lock_->data_; }
	T &operator*() const { return lock_->data_; }

private:
	friend class Mutex<T>;
	explicit MutexGuard(Mutex<T> *l) : lock_(l) {}
	Mutex<T> *lock_;
};

template <typename T> class Mutex {
public:
	template <typename... Args> explicit Mutex(LockClass cls, Args &&...args)
		: data_(ktl::forward<Args>(args)...)
	{
		kcxx_mutex_init(raw(), cls.name, cls.key);
	}
	Mutex(const Mutex &) = delete;
	Mutex &operator=(const Mutex &) = delete;
	~Mutex() { kcxx_mutex_destroy(raw()); }

	[[nodiscard]] MutexGuard<T> lock()
	{
		kcxx_mutex_lock(raw());
		return MutexGuard<T>(this);
	}

	/* EINTR-style error (ERESTARTSYS) when a signal arrives while waiting. */
	[[nodiscard]] Result<MutexGuard<T>> lock_interruptible()
	{
		TRY(to_result(kcxx_mutex_lock_interruptible(raw())));
		return MutexGuard<T>(this);
	}

	/* EBUSY if the lock is held. */
	[[nodiscard]] Result<MutexGuard<T>> try_lock()
	{
		if (!kcxx_mutex_trylock(raw()))
			return err::EBUSY;
		return MutexGuard<T>(this);
	}

	bool is_locked() { return kcxx_mutex_is_locked(raw()); }

private:
	friend class MutexGuard<T>;
	struct mutex *raw() { return reinterpret_cast<struct mutex *>(raw_); }

	alignas(KCXX_MUTEX_ALIGN) unsigned char raw_[KCXX_MUTEX_SIZE];
	T data_;
};

template <typename T, bool Irq> class SpinGuard {
public:
	SpinGuard(const SpinGuard &) = delete;
	SpinGuard &operator=(const SpinGuard &) = delete;
	SpinGuard(SpinGuard &&o) noexcept : lock_(ktl::exchange(o.lock_, nullptr)), flags_(o.flags_)
	{}
	~SpinGuard()
	{
		if (!lock_)
			return;
		if constexpr (Irq)
			kcxx_spin_unlock_irqrestore(lock_->raw(), flags_);
		else
			kcxx_spin_unlock(lock_->raw());
	}

	T *operator->() const { return &lock_->data_; }
	T &operator*() const { return lock_->data_; }

private:
	friend class SpinLock<T>;
	SpinGuard(SpinLock<T> *l, unsigned long flags) : lock_(l), flags_(flags) {}
	SpinLock<T> *lock_;
	unsigned long flags_;
};

/*
 * A spinlock_t that owns a T. Spins (preemption off) on a standard kernel;
 * under PREEMPT_RT a sleeping, priority-inheriting lock whose holder stays
 * preemptible but cannot migrate (see the top of this file). Either way:
 * no sleeping while it is held.
 */
template <typename T> class SpinLock {
public:
	template <typename... Args> explicit SpinLock(LockClass cls, Args &&...args)
		: data_(ktl::forward<Args>(args)...)
	{
		kcxx_spin_lock_init(raw(), cls.name, cls.key);
	}
	SpinLock(const SpinLock &) = delete;
	SpinLock &operator=(const SpinLock &) = delete;

	[[nodiscard]] SpinGuard<T, false> lock()
	{
		kcxx_spin_lock(raw());
		return SpinGuard<T, false>(this, 0);
	}

	/*
	 * Also disables local interrupts; restored when the guard goes.
	 * Under PREEMPT_RT interrupts stay enabled (handlers are threads).
	 */
	[[nodiscard]] SpinGuard<T, true> lock_irqsave()
	{
		unsigned long flags = kcxx_spin_lock_irqsave(raw());
		return SpinGuard<T, true>(this, flags);
	}

private:
	friend class SpinGuard<T, false>;
	friend class SpinGuard<T, true>;
	void *raw() { return raw_; }

	alignas(KCXX_SPINLOCK_ALIGN) unsigned char raw_[KCXX_SPINLOCK_SIZE];
	T data_;
};

} // namespace kernel

#endif /* KERNEL_SYNC_H */
