// SPDX-License-Identifier: GPL-2.0
/*
 * Must not build: a call into the hosted C++ runtime (libstdc++'s
 * std::terminate), which neither the kernel nor kcxx provides.
 */
#include <kernel/module.h>

namespace std {
[[noreturn]] void terminate() noexcept;
}

void buildtest_fail(void);
void buildtest_fail(void)
{
	std::terminate();
}

KERNEL_MODULE_LICENSE("GPL");
