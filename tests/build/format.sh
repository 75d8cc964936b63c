#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The C++ sources follow the project's .clang-format (kernel style adapted to
# C++). Lists every file that does not, with the diff.
cd "$(dirname "$0")/../.." || exit 2
cf=$(command -v clang-format-14 || command -v clang-format) || { echo "clang-format not installed"; exit 1; }
fail=0
for f in $(git ls-files '*.cpp' '*.h' | grep -E '^(include|src|rt|tests|tools/gpu-model)/' |
	grep -v -E '^(rt/include|tests/(kselftest|uapi))/'); do
	case $f in *.h) grep -q 'namespace\|template\|class ' "$f" || continue ;; esac
	if ! "$cf" "$f" | diff -u "$f" - > /tmp/format.$$; then
		echo "$f: not formatted as .clang-format says:"
		head -20 /tmp/format.$$
		fail=1
	fi
done
rm -f /tmp/format.$$
[ $fail -eq 0 ] && echo "all C++ sources formatted"
exit $fail
