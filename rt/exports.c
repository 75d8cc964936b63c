// SPDX-License-Identifier: GPL-2.0
/*
 * Exports of the C++ runtime defined in rt/runtime.cpp. C++ cannot use
 * EXPORT_SYMBOL (it includes no kernel header), so the symbols are declared
 * here under their Itanium ABI names and exported from C.
 */
#include <linux/export.h>

#define KCXX_EXPORT_FN(sym)	\
	extern void sym(void);	\
	EXPORT_SYMBOL_GPL(sym)

KCXX_EXPORT_FN(_Znwm);				/* new(size_t) */
KCXX_EXPORT_FN(_Znam);				/* new[](size_t) */
KCXX_EXPORT_FN(_ZnwmSt11align_val_t);
KCXX_EXPORT_FN(_ZnamSt11align_val_t);
KCXX_EXPORT_FN(_ZnwmRKSt9nothrow_t);
KCXX_EXPORT_FN(_ZnamRKSt9nothrow_t);
KCXX_EXPORT_FN(_ZnwmSt11align_val_tRKSt9nothrow_t);
KCXX_EXPORT_FN(_ZnamSt11align_val_tRKSt9nothrow_t);
KCXX_EXPORT_FN(_ZdlPv);				/* delete(void *) */
KCXX_EXPORT_FN(_ZdaPv);
KCXX_EXPORT_FN(_ZdlPvm);
KCXX_EXPORT_FN(_ZdaPvm);
KCXX_EXPORT_FN(_ZdlPvSt11align_val_t);
KCXX_EXPORT_FN(_ZdaPvSt11align_val_t);
KCXX_EXPORT_FN(_ZdlPvmSt11align_val_t);
KCXX_EXPORT_FN(_ZdaPvmSt11align_val_t);
KCXX_EXPORT_FN(_ZdlPvRKSt9nothrow_t);
KCXX_EXPORT_FN(_ZdaPvRKSt9nothrow_t);
KCXX_EXPORT_FN(_ZdlPvSt11align_val_tRKSt9nothrow_t);
KCXX_EXPORT_FN(_ZdaPvSt11align_val_tRKSt9nothrow_t);
KCXX_EXPORT_FN(__cxa_pure_virtual);
KCXX_EXPORT_FN(__cxa_deleted_virtual);

extern const char _ZSt7nothrow[];		/* std::nothrow */
EXPORT_SYMBOL_GPL(_ZSt7nothrow);
