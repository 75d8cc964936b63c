#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every undefined symbol of every C++ object must resolve to the kernel, to
# kcxx.ko (the runtime and bindings) or to another object of the same module.
# Anything else (a libstdc++ or libsupc++ symbol, say) is an error naming the
# source file.
#
# usage: check-symbols.sh BUILD_DIR KERNEL_BUILD_DIR
set -euo pipefail
build=$1
kdir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Exports of the kernel and its modules, and of our own modules.
# (kcxx's exports read from its object: modpost may not have run yet.)
{
	awk '{print $2}' "$kdir/Module.symvers"
	[ -e "$build/Module.symvers" ] && awk '{print $2}' "$build/Module.symvers"
	[ -e "$build/kcxx.o" ] && nm --defined-only --extern-only "$build/kcxx.o" | awk '{print $3}'
} | sort -u > "$tmp/exported"
echo __this_module >> "$tmp/exported"

fail=0
# Only the modules of this build (modules.order), not stale ones.
for m in $(sed 's/\.\(o\|ko\)$//' "$build/modules.order" 2>/dev/null); do
	mod=$build/${m#"$build"/}.mod
	[ -e "$mod" ] || continue
	objs=$(tr ' ' '\n' < "$mod" | grep '\.o$' | sed "s|^|$build/|;s|^$build/$build/|$build/|")
	: > "$tmp/defined"
	for o in $objs; do
		nm --defined-only "$o" | awk '{print $3}' >> "$tmp/defined"
	done
	sort -u "$tmp/defined" "$tmp/exported" > "$tmp/known"
	for o in $objs; do
		src=${o%.o}.cpp
		[ -e "$src" ] || continue
		unknown=$(nm -u "$o" | awk '{print $2}' | sort -u | comm -23 - "$tmp/known")
		if [ -n "$unknown" ]; then
			rel=${src#"$build"/}
			echo "$rel: error: unresolved symbols (not in the kernel, kcxx or $(basename "$mod" .mod)):" >&2
			echo "$unknown" | sed 's/^/    /' >&2
			fail=1
		fi
	done
done
exit $fail
