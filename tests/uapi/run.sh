#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Host-side ABI check of uapi/drm/nova_drm.h (see Makefile beside this).
exec make -s --no-print-directory -C "$(dirname "$0")" check
