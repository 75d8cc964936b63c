// SPDX-License-Identifier: GPL-2.0
// A register field beyond bit 31 of a 32-bit register.
// expect: register field bad out of range
#include <kernel/io.h>

struct Reg : kernel::io::Register32<Reg, 0x0> {
	REG_FIELD(bad, 32, 30);
};
