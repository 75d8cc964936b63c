/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Printing: pr_*() and dev_*() with printf-format checking by the compiler.
 * Messages carry the module name as prefix, as the kernel's pr_fmt does.
 */
#ifndef KERNEL_PRINT_H
#define KERNEL_PRINT_H

#include <kcxx/bindings.h>

#define KCXX_SOH "\001"
/* KBUILD_MODNAME is a string literal, as kbuild defines it. */
#define KCXX_PR_FMT(fmt) KBUILD_MODNAME ": " fmt

#define pr_emerg(fmt, ...) kcxx_printk(KCXX_SOH "0" KCXX_PR_FMT(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...) kcxx_printk(KCXX_SOH "3" KCXX_PR_FMT(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...) kcxx_printk(KCXX_SOH "4" KCXX_PR_FMT(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...) kcxx_printk(KCXX_SOH "5" KCXX_PR_FMT(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...) kcxx_printk(KCXX_SOH "6" KCXX_PR_FMT(fmt), ##__VA_ARGS__)
/* No dynamic debug here: debug messages are compiled in only with DEBUG. */
#ifdef DEBUG
#define pr_debug(fmt, ...) kcxx_printk(KCXX_SOH "7" KCXX_PR_FMT(fmt), ##__VA_ARGS__)
#else
#define pr_debug(fmt, ...) ((void)sizeof(kcxx_snprintf(nullptr, 0, fmt, ##__VA_ARGS__)))
#endif

/* @dev: anything with raw_device() (kernel::Device, pci::Device, ...). */
#define dev_err(dev, fmt, ...) kcxx_dev_printk(KCXX_SOH "3", (dev).raw_device(), fmt, ##__VA_ARGS__)
#define dev_warn(dev, fmt, ...) \
	kcxx_dev_printk(KCXX_SOH "4", (dev).raw_device(), fmt, ##__VA_ARGS__)
#define dev_notice(dev, fmt, ...) \
	kcxx_dev_printk(KCXX_SOH "5", (dev).raw_device(), fmt, ##__VA_ARGS__)
#define dev_info(dev, fmt, ...) \
	kcxx_dev_printk(KCXX_SOH "6", (dev).raw_device(), fmt, ##__VA_ARGS__)
#ifdef DEBUG
#define dev_dbg(dev, fmt, ...) kcxx_dev_printk(KCXX_SOH "7", (dev).raw_device(), fmt, ##__VA_ARGS__)
#else
#define dev_dbg(dev, fmt, ...) \
	((void)(dev), (void)sizeof(kcxx_snprintf(nullptr, 0, fmt, ##__VA_ARGS__)))
#endif

/* WARN_ON(cond): a kernel warning with this file and line when cond holds. */
#define WARN_ON(cond)                                                        \
	({                                                                   \
		bool kcxx_c_ = static_cast<bool>(cond);                      \
		if (kcxx_c_) [[unlikely]]                                    \
			kcxx_warn(__FILE__, __LINE__, "WARN_ON(" #cond ")"); \
		kcxx_c_;                                                     \
	})

#endif /* KERNEL_PRINT_H */
