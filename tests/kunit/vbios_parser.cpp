// SPDX-License-Identifier: GPL-2.0
/*
 * nova-core's VBIOS parser, built into kcxx_kunit for vbios_test.cpp: an
 * object of its own, since src/nova-core/vbios.o belongs to nova_core.
 */
#include "src/nova-core/vbios.cpp"
