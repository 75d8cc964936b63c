#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Refuse a C++ object that needs a hosted runtime. Global constructors never
# run in a module (Debian kernels lack CONFIG_CONSTRUCTORS), and the C++ ABI's
# static-initialisation helpers do not exist in the kernel.
#
# usage: check-cxx-object.sh OBJECT SOURCE
obj=$1
src=$2
fail=0

# KASAN's global-variable registration is the one constructor allowed: the
# compiler emits it as _sub_I_<prio>_<n> calling __asan_register_globals, and
# KASAN kernels run module constructors (CONFIG_CONSTRUCTORS) for C objects
# alike. A C++ static constructor is a _GLOBAL__sub_I_* function.
sections=$(objdump -h "$obj" | awk '{print $2}' |
	grep -E '^\.(init_array|fini_array|ctors|dtors)' | sort -u)
user_ctors=$(nm "$obj" | awk '{print $3}' | grep -E '^_GLOBAL__sub_[ID]_|^_GLOBAL__[ID]_')
sanitizer_only=0
if [ -z "$user_ctors" ] && nm -u "$obj" | grep -q ' __asan_register_globals$' &&
	! echo "$sections" | grep -q -E 'ctors|dtors'; then
	sanitizer_only=1
fi
if [ -n "$sections" ] && [ $sanitizer_only -eq 0 ]; then
	echo "$src: error: static constructor or destructor (sections:" \
		$sections "); objects with static storage must be" \
		"constant-initialised" >&2
	fail=1
fi

syms=$(nm -u "$obj" | awk '{print $2}' |
	grep -E '^(__cxa_atexit|__cxa_guard_|__cxa_thread_atexit|__dso_handle|__cxa_throw|__cxa_begin_catch|__gxx_personality|_Unwind_)')
if [ -n "$syms" ]; then
	echo "$src: error: needs the hosted C++ runtime:" $syms >&2
	fail=1
fi

if [ $fail -ne 0 ]; then
	rm -f "$obj"
	exit 1
fi
exit 0
