#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Drivers in src/ see only the library: they include <kernel/...>, <ktl/...>,
# the types nova's drivers share (<nova/...>, in include/), their own headers
# (by their path inside the driver: "gpu.h", "falcon/regs.h", never "../")
# and this project's uAPI headers (<uapi/...>), never a kernel header or the
# raw bindings.
cd "$(dirname "$0")/../.."
bad=$(grep -rn '^[[:space:]]*#[[:space:]]*include' src |
	grep -v -E '#[[:space:]]*include[[:space:]]*(<kernel/[^>]+>|<ktl/[^>]+>|<nova/[^>]+>|<uapi/drm/nova_drm\.h>|"([a-z0-9_]+/)?[^"/.][^"/]*\.h")')
if [ -n "$bad" ]; then
	echo "src/ includes what only the library may include:"
	echo "$bad"
	exit 1
fi
raw=$(grep -rn -E 'kcxx_[a-z_]+\(|KCXX_[A-Z_]+' src)
if [ -n "$raw" ]; then
	echo "src/ uses the raw bindings:"
	echo "$raw"
	exit 1
fi
echo "src/ uses only the library"
