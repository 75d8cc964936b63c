// SPDX-License-Identifier: GPL-2.0
/*
 * kcxx.ko: the freestanding C++ runtime and the bindings the C++ kernel
 * library is built on. It has no state of its own beyond the id allocator of
 * auxiliary devices.
 */
#include <linux/module.h>

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("C++ runtime and kernel bindings for C++ drivers");
MODULE_AUTHOR("The nova-cxx authors");
