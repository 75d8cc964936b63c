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
	using Register32::Register32;
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
	using Register32::Register32;
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

/*
 * What a read of a register says about the GPU itself, before what it says
 * about the chip (Documentation/hardware.rst, "A GPU that misbehaves").
 * A device that has fallen off the bus answers every read with all ones;
 * a register the priv ring could not reach reads NVIDIA's priv-error
 * pattern, 0xbadf in the upper 16 bits (the lower say which error).
 */
inline constexpr u32 ALL_ONES = 0xffffffff;

constexpr bool is_priv_error(u32 v)
{
	return (v >> 16) == 0xbadf;
}

enum class ReadFault {
	None,
	/* A read gave all ones: the GPU does not answer. ENODEV. */
	NotResponding,
	/* A read gave a priv error. EIO. */
	PrivError,
	/* The reads differ: what the GPU answers cannot be trusted. EIO. */
	Unstable,
};

/*
 * Two reads of the same identification register (BOOT0 or BOOT42, which
 * never change): all ones in either first, then a priv error in either,
 * then a difference.
 */
constexpr ReadFault check_reads(u32 first, u32 second)
{
	if (first == ALL_ONES || second == ALL_ONES)
		return ReadFault::NotResponding;
	if (is_priv_error(first) || is_priv_error(second))
		return ReadFault::PrivError;
	if (first != second)
		return ReadFault::Unstable;
	return ReadFault::None;
}

/* The errno of @fault, as its enumerator says; success for None. */
kernel::Result<void> to_result(ReadFault fault);

/* The chip described by the boot registers; ENODEV if nova does not drive it. */
kernel::Result<Spec> identify(Boot0 boot0, Boot42 boot42);

/* The known chipsets, for tests and messages. */
const Chipset *find_chipset(u32 id);

} // namespace nova::core

#endif /* NOVA_CORE_GPU_H */
