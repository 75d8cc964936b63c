// SPDX-License-Identifier: GPL-2.0
/*
 * The chips the model can be: their chipset (BOOT_42's architecture and
 * implementation), the PCI device id and class of a board that carries
 * them, and the VRAM size of that board.
 */
#ifndef GPU_MODEL_CHIPS_H
#define GPU_MODEL_CHIPS_H

#include <cstdint>
#include <string_view>

namespace gpu_model {

enum class Family { Turing, GA100, Ampere, Hopper, Ada, Blackwell, Other };

struct Chip {
	const char *name;
	uint32_t chipset; /* architecture << 4 | implementation */
	uint16_t device; /* the PCI device id of a board */
	const char *board;
	uint32_t vram_gib;
	/* GSP-RM's gpuNameString for it (GET_GSP_STATIC_INFO), at most 63 bytes. */
	const char *gpu_name;
};

constexpr uint32_t CLASS_VGA = 0x030000;
constexpr uint32_t CLASS_3D = 0x030200;

constexpr Chip CHIPS[] = {
	{ "tu102", 0x162, 0x1e04, "GeForce RTX 2080 Ti", 11, "NVIDIA GeForce RTX 2080 Ti" },
	{ "tu104", 0x164, 0x1e82, "GeForce RTX 2080", 8, "NVIDIA GeForce RTX 2080" },
	{ "tu106", 0x166, 0x1f02, "GeForce RTX 2070", 8, "NVIDIA GeForce RTX 2070" },
	{ "tu117", 0x167, 0x1f82, "GeForce GTX 1650", 4, "NVIDIA GeForce GTX 1650" },
	{ "tu116", 0x168, 0x2182, "GeForce GTX 1660 Ti", 6, "NVIDIA GeForce GTX 1660 Ti" },
	{ "ga100", 0x170, 0x20b0, "A100-SXM4-40GB", 40, "NVIDIA A100-PCIE-40GB" },
	{ "ga102", 0x172, 0x2204, "GeForce RTX 3090", 24, "NVIDIA GeForce RTX 3090" },
	{ "ga103", 0x173, 0x2420, "GeForce RTX 3080 Ti Laptop GPU", 16,
	  "NVIDIA GeForce RTX 3080 Ti Laptop GPU" },
	{ "ga104", 0x174, 0x2484, "GeForce RTX 3070", 8, "NVIDIA GeForce RTX 3070" },
	{ "ga106", 0x176, 0x2503, "GeForce RTX 3060", 12, "NVIDIA GeForce RTX 3060" },
	{ "ga107", 0x177, 0x25a0, "GeForce RTX 3050 Ti Laptop GPU", 4,
	  "NVIDIA GeForce RTX 3050 Ti Laptop GPU" },
	{ "gh100", 0x180, 0x2330, "H100 80GB HBM3", 80, "NVIDIA H100 PCIe" },
	{ "ad102", 0x192, 0x2684, "GeForce RTX 4090", 24, "NVIDIA GeForce RTX 4090" },
	{ "ad103", 0x193, 0x2704, "GeForce RTX 4080", 16, "NVIDIA GeForce RTX 4080" },
	{ "ad104", 0x194, 0x2782, "GeForce RTX 4070 Ti", 12, "NVIDIA GeForce RTX 4070 Ti" },
	{ "ad106", 0x196, 0x2803, "GeForce RTX 4060 Ti", 8, "NVIDIA GeForce RTX 4060 Ti" },
	{ "ad107", 0x197, 0x2882, "GeForce RTX 4060", 8, "NVIDIA GeForce RTX 4060" },
	{ "gb100", 0x1a0, 0x2901, "B200", 192, "NVIDIA B200" },
	{ "gb102", 0x1a2, 0x2941, "GB200", 192, "NVIDIA GB200" },
	{ "gb202", 0x1b2, 0x2b85, "GeForce RTX 5090", 32, "NVIDIA GeForce RTX 5090" },
	{ "gb203", 0x1b3, 0x2c02, "GeForce RTX 5080", 16, "NVIDIA GeForce RTX 5080" },
	{ "gb205", 0x1b5, 0x2f04, "GeForce RTX 5070", 12, "NVIDIA GeForce RTX 5070" },
	{ "gb206", 0x1b6, 0x2d04, "GeForce RTX 5060 Ti", 8, "NVIDIA GeForce RTX 5060 Ti" },
	{ "gb207", 0x1b7, 0x2d83, "GeForce RTX 5050", 8, "NVIDIA GeForce RTX 5050" },
};

inline const Chip *find_chip(std::string_view name)
{
	for (const Chip &c : CHIPS)
		if (name == c.name)
			return &c;
	return nullptr;
}

inline const Chip *chip_of(uint32_t chipset)
{
	for (const Chip &c : CHIPS)
		if (c.chipset == chipset)
			return &c;
	return nullptr;
}

inline Family family_of(uint32_t chipset)
{
	switch (chipset >> 4) {
	case 0x16:
		return Family::Turing;
	case 0x17:
		return chipset == 0x170 ? Family::GA100 : Family::Ampere;
	case 0x18:
		return Family::Hopper;
	case 0x19:
		return Family::Ada;
	case 0x1a:
	case 0x1b:
		return Family::Blackwell;
	default:
		return Family::Other;
	}
}

/* Compute parts without display: the 3D controller class. */
inline uint32_t class_of(uint32_t chipset)
{
	return chipset == 0x170 || chipset == 0x180 || chipset >> 4 == 0x1a ? CLASS_3D : CLASS_VGA;
}

} // namespace gpu_model

#endif /* GPU_MODEL_CHIPS_H */
