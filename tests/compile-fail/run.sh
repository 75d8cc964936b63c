#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Compile-fail tests: each tests/compile-fail/*.cpp must fail to compile with
# the message its "// expect:" line names. The compiler command is the one
# kbuild used for a real C++ object of the last 6.12 build, so the tests see
# exactly the flags drivers see.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
rel=$(make -s --no-print-directory -C "$TOP" KVER="${1:-6.12}" print-kver)
build=$TOP/build/$rel
cmdfile=$build/src/nova-core/.gpu.o.cmd
[ -f "$cmdfile" ] || { echo "no C++ build to take flags from ($cmdfile); run make first"; exit 2; }

# "savedcmd_<obj> := <compiler> <flags> -c -o <obj> <src> && check ... ; objtool ..."
cmd=$(sed -n 's/^\(saved\)\?cmd_[^ ]* := //p' "$cmdfile" | head -1)
cmd=${cmd%% && *}
cmd=$(echo "$cmd" | sed -E 's/[[:space:]]+$//; s/ -c -o [^ ]+ [^ ]+$//; s/-Wp,-MMD,[^ ]+//')

fail=0
n=0
for t in "$TOP"/tests/compile-fail/*.cpp; do
	n=$((n + 1))
	name=$(basename "$t" .cpp)
	expect=$(sed -n 's|^// expect: ||p' "$t")
	out=$(cd "/lib/modules/$rel/build" && eval "$cmd -fsyntax-only -I$build/src $t" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		echo "not ok $n - $name: compiled, but must not"
		fail=1
	elif ! grep -q -F -- "$expect" <<<"$out"; then
		echo "not ok $n - $name: failed without the expected message '$expect'"
		echo "$out" | grep error | head -5 | sed 's/^/#  /'
		fail=1
	else
		echo "ok $n - $name"
	fi
done
exit $fail
