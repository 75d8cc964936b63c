/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's uAPI headers, as they sit in the source tree, include
 * <linux/compiler_types.h>; the copies installed for user space have that
 * line removed. C++ sees only uAPI headers, so this stands in for it with
 * the annotations uAPI headers use, all empty as they are for user space.
 */
#ifndef KCXX_UAPI_COMPAT_COMPILER_TYPES_H
#define KCXX_UAPI_COMPAT_COMPILER_TYPES_H

#define __user
#define __force
#define __iomem
#define __bitwise
#define __must_check
#define __always_inline inline __attribute__((__always_inline__))

#endif
