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

sections=$(objdump -h "$obj" | awk '{print $2}' |
	grep -E '^\.(init_array|fini_array|ctors|dtors)' | sort -u)
if [ -n "$sections" ]; then
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
