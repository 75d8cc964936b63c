// SPDX-License-Identifier: GPL-2.0
/*
 * nova-core's VBIOS parser, built into nova_vbios_fuzz: an object of its
 * own, since src/nova-core/vbios.o belongs to nova_core.
 */
#include "src/nova-core/vbios.cpp"
