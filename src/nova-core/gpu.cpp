// SPDX-License-Identifier: GPL-2.0
/* GPU identification from the boot registers. */
#include "gpu.h"

namespace nova::core {

namespace {

constexpr Chipset chipsets[] = {
	{ 0x162, "tu102", Architecture::Turing },
	{ 0x164, "tu104", Architecture::Turing },
	{ 0x166, "tu106", Architecture::Turing },
	{ 0x167, "tu117", Architecture::Turing },
	{ 0x168, "tu116", Architecture::Turing },
	{ 0x170, "ga100", Architecture::Ampere },
	{ 0x172, "ga102", Architecture::Ampere },
	{ 0x173, "ga103", Architecture::Ampere },
	{ 0x174, "ga104", Architecture::Ampere },
	{ 0x176, "ga106", Architecture::Ampere },
	{ 0x177, "ga107", Architecture::Ampere },
	{ 0x180, "gh100", Architecture::Hopper },
	{ 0x192, "ad102", Architecture::Ada },
	{ 0x193, "ad103", Architecture::Ada },
	{ 0x194, "ad104", Architecture::Ada },
	{ 0x196, "ad106", Architecture::Ada },
	{ 0x197, "ad107", Architecture::Ada },
	{ 0x1a0, "gb100", Architecture::BlackwellGB10x },
	{ 0x1a2, "gb102", Architecture::BlackwellGB10x },
	{ 0x1b2, "gb202", Architecture::BlackwellGB20x },
	{ 0x1b3, "gb203", Architecture::BlackwellGB20x },
	{ 0x1b5, "gb205", Architecture::BlackwellGB20x },
	{ 0x1b6, "gb206", Architecture::BlackwellGB20x },
	{ 0x1b7, "gb207", Architecture::BlackwellGB20x },
};

} // namespace

const Chipset *find_chipset(u32 id)
{
	for (const Chipset &c : chipsets)
		if (c.id == id)
			return &c;
	return nullptr;
}

const char *Spec::architecture_name() const
{
	switch (chipset->arch) {
	case Architecture::Turing:
		return "Turing";
	case Architecture::Ampere:
		return "Ampere";
	case Architecture::Hopper:
		return "Hopper";
	case Architecture::Ada:
		return "Ada";
	case Architecture::BlackwellGB10x:
	case Architecture::BlackwellGB20x:
		return "Blackwell";
	}
	return "unknown";
}

kernel::Result<void> to_result(ReadFault fault)
{
	switch (fault) {
	case ReadFault::None:
		return kernel::ok();
	case ReadFault::NotResponding:
		return kernel::err::ENODEV;
	case ReadFault::PrivError:
	case ReadFault::Unstable:
		return kernel::err::EIO;
	}
	return kernel::err::EIO;
}

kernel::Result<Spec> identify(Boot0 boot0, Boot42 boot42)
{
	if (boot0.is_older_than_fermi())
		return kernel::err::ENODEV;
	const Chipset *chipset = find_chipset(boot42.chipset());
	if (!chipset)
		return kernel::err::ENODEV;
	return Spec { chipset, { boot42.major_revision(), boot42.minor_revision() } };
}

} // namespace nova::core
