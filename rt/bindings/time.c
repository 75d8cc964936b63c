// SPDX-License-Identifier: GPL-2.0
/* Bindings: the monotonic clock, sleeping and busy-wait helpers. */
#include <linux/module.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include <linux/delay.h>
#include <linux/processor.h>
#include <kcxx/bindings.h>

u64 kcxx_ktime_get_ns(void)
{
	return ktime_get_ns();
}
EXPORT_SYMBOL_GPL(kcxx_ktime_get_ns);

/* Sleeps (or, for a few microseconds, spins) as the kernel's fsleep() chooses. */
void kcxx_fsleep(unsigned long usecs)
{
	fsleep(usecs);
}
EXPORT_SYMBOL_GPL(kcxx_fsleep);

void kcxx_cpu_relax(void)
{
	cpu_relax();
}
EXPORT_SYMBOL_GPL(kcxx_cpu_relax);
