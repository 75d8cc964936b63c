// SPDX-License-Identifier: GPL-2.0
/*
 * Must not build: an object with static storage and a constructor. Modules
 * never run global constructors, so the build refuses it (tests/build/run.sh).
 */
#include <kernel/module.h>

struct Foo {
	Foo();
	int v;
};

Foo::Foo() : v(kcxx_strlen("x"))
{}

static Foo foo;

int buildtest_value(void);
int buildtest_value(void)
{
	return foo.v;
}

KERNEL_MODULE_LICENSE("GPL");
