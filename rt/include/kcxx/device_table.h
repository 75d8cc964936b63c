/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The symbol modpost reads a module's device table of one bus type from
 * (what MODULE_DEVICE_TABLE() defines in C), for the library's
 * PCI_DEVICE_TABLE() and AUXILIARY_DEVICE_TABLE(): named after the module
 * too where the kernel's modpost expects that (rt/conftest.sh probes it).
 * __KBUILD_MODNAME is kbuild's, the module's name as a token.
 */
#ifndef KCXX_DEVICE_TABLE_H
#define KCXX_DEVICE_TABLE_H

#include <kcxx/conftest.h>

#define KCXX_PASTE_(a, b) a##b
#define KCXX_PASTE(a, b) KCXX_PASTE_(a, b)

#ifdef KCXX_HAVE_MOD_DEVICE_TABLE_MODNAME
#define KCXX_DEVICE_TABLE_SYMBOL(type, name) \
	KCXX_PASTE(__mod_device_table__kmod_, KCXX_PASTE(__KBUILD_MODNAME, __##type##__##name))
#else
#define KCXX_DEVICE_TABLE_SYMBOL(type, name) __mod_##type##__##name##_device_table
#endif

#endif /* KCXX_DEVICE_TABLE_H */
