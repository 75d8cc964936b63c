/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GPU identification: the boot registers and what they say about the chip.
 */
#ifndef NOVA_CORE_GPU_H
#define NOVA_CORE_GPU_H

#include <kernel/error.h>
#include <kernel/io.h>

namespace nova::core {

using ktl::u32;

/* NV_PMC_BOOT_0: identifies pre-Fermi chips, which nova does not drive. */
struct Boot0 : kernel::io::Register32<Boot0, 0x0> {
	REG_FIELD(arch_0, 28, 24);
	REG_FIELD(impl, 23, 20);
	REG_FIELD(arch_1, 8, 8);
	REG_FIELD(major_revision, 7, 4);
	REG_FIELD(minor_revision, 3, 0);

	constexpr u32 architecture() const { return arch_0() | arch_1() << 5; }
	constexpr bool is_older_than_fermi() const { return arch_1() == 0 && arch_0() < 0xc; }
};

/* NV_PMC_BOOT_42: the chip's identity on Fermi and later. */
struct Boot42 : kernel::io::Register32<Boot42, 0xa00> {
	REG_FIELD(architecture, 29, 24);
	REG_FIELD(impl, 23, 20);
	REG_FIELD(major_revision, 19, 16);
	REG_FIELD(minor_revision, 15, 12);

	constexpr u32 chipset() const { return architecture() << 4 | impl(); }
};

enum class Architecture : u32 {
	Turing = 0x16,
	Ampere = 0x17,
	Hopper = 0x18,
	Ada = 0x19,
	BlackwellGB10x = 0x1a,
	BlackwellGB20x = 0x1b,
};

struct Chipset {
	u32 id;
	const char *name;
	Architecture arch;
};

struct Revision {
	u32 major;
	u32 minor;
};

struct Spec {
	const Chipset *chipset;
	Revision revision;

	const char *chipset_name() const { return chipset->name; }
	const char *architecture_name() const;
};

/* The chip described by the boot registers; ENODEV if nova does not drive it. */
kernel::Result<Spec> identify(Boot0 boot0, Boot42 boot42);

/* The known chipsets, for tests and messages. */
const Chipset *find_chipset(u32 id);

} // namespace nova::core

#endif /* NOVA_CORE_GPU_H */
