// SPDX-License-Identifier: GPL-2.0
/*
 * A planted use-after-free, built only for tests/detectors/run.sh: loading
 * this module on the debug kernel must produce a KASAN report, proving the
 * detectors watch C++ code too.
 */
#include <kernel/alloc.h>
#include <kernel/module.h>
#include <kernel/print.h>

namespace {

[[gnu::noinline]] int read_back(volatile int *p)
{
	return *p;
}

class Uaf {
public:
	static kernel::Result<kernel::KBox<Uaf>> init()
	{
		int *p = new int(7);
		delete p;
		pr_info("read after free: %d\n", read_back(p));
		return kernel::err::EINVAL;
	}
};

} // namespace

KERNEL_MODULE(Uaf);
KERNEL_MODULE_LICENSE("GPL");
KERNEL_MODULE_DESCRIPTION("Planted use-after-free (detector test)");
