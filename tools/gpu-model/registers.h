// SPDX-License-Identifier: GPL-2.0
/*
 * The registers the model answers, read from NVIDIA's published headers
 * (open-gpu-kernel-modules, src/common/inc/swref/published/<arch>/<chip>/
 * dev_*.h). Written here on their own, never shared with the driver: a
 * wrong offset in either reading shows up as a test failure.
 */
#ifndef GPU_MODEL_REGISTERS_H
#define GPU_MODEL_REGISTERS_H

#include <cstdint>

namespace gpu_model::reg {

/* dev_boot.h: the identification registers. */
constexpr uint32_t PMC_BOOT_0 = 0x00000000;
constexpr uint32_t PMC_BOOT_42 = 0x00000a00;

/*
 * dev_fb.h (Turing, GA100): NV_PFB_PRI_MMU_LOCAL_MEMORY_RANGE, the VRAM
 * size as LOWER_MAG (9:4) << LOWER_SCALE (3:0) MiB, ECC_MODE at bit 30.
 */
constexpr uint32_t PFB_PRI_MMU_LOCAL_MEMORY_RANGE = 0x00100ce0;
constexpr uint32_t LOCAL_MEMORY_RANGE_ECC_MODE = 1u << 30;

/*
 * dev_gc6_island.h: the always-on secure scratch. Group 42 holds the
 * usable FB size in MiB on GA102 and later (NV_USABLE_FB_SIZE_IN_MB);
 * group 05 register 0 the GFW boot progress (7:0, 0xff when done), readable
 * by the CPU when bit 0 of the group's PRIV_LEVEL_MASK is set.
 */
constexpr uint32_t PGC6_AON_SECURE_SCRATCH_GROUP_05_PRIV_LEVEL_MASK = 0x00118128;
constexpr uint32_t PGC6_AON_SECURE_SCRATCH_GROUP_05_0 = 0x00118234;
constexpr uint32_t PGC6_AON_SECURE_SCRATCH_GROUP_42 = 0x001183a4;
constexpr uint32_t GFW_BOOT_PROGRESS_COMPLETED = 0xff;

/* dev_bus.h / the PROM window: the VBIOS flash as BAR0 shows it. */
constexpr uint32_t PROM_DATA = 0x00300000;
constexpr uint32_t PROM_SIZE = 0x00100000;

/* Display present: dev_fuse.h, NV_FUSE_STATUS_OPT_DISPLAY (bit 0 = disabled). */
constexpr uint32_t FUSE_STATUS_OPT_DISPLAY_TU10X = 0x00021c04;
constexpr uint32_t FUSE_STATUS_OPT_DISPLAY_GA100 = 0x00820c04;

/*
 * dev_disp.h: NV_PDISP_VGA_WORKSPACE_BASE, the VGA workspace's VRAM
 * address >> 16 in ADDR (31:8), STATUS_VALID at bit 3.
 */
constexpr uint32_t PDISP_VGA_WORKSPACE_BASE = 0x00625f04;
constexpr uint32_t VGA_WORKSPACE_BASE_STATUS_VALID = 1u << 3;

/*
 * dev_fuse.h (GA102 and later): the fuse versions of the HS ucodes, one
 * register per ucode id (1..16) per engine:
 * NV_FUSE_OPT_FPF_<ENGINE>_UCODE<id>_VERSION = base + 4 * (id - 1).
 */
constexpr uint32_t FUSE_OPT_FPF_NVDEC_UCODE1_VERSION = 0x00824100;
constexpr uint32_t FUSE_OPT_FPF_SEC2_UCODE1_VERSION = 0x00824140;
constexpr uint32_t FUSE_OPT_FPF_GSP_UCODE1_VERSION = 0x008241c0;
constexpr uint32_t FUSE_UCODE_VERSION_COUNT = 16;

/*
 * dev_fb.h: NV_PFB_PRI_MMU_WPR2_ADDR_LO / _HI, the second write-protected
 * region FWSEC-FRTS sets up, each as VAL (31:4) = address >> 12; the model
 * keeps HI as the exclusive end (the driver's reading: WPR2 exists when
 * HI's VAL is nonzero).
 */
constexpr uint32_t PFB_PRI_MMU_WPR2_ADDR_LO = 0x001fa824;
constexpr uint32_t PFB_PRI_MMU_WPR2_ADDR_HI = 0x001fa828;
constexpr uint32_t WPR2_ADDR_VAL_SHIFT = 4;

/*
 * dev_bus.h: NV_PBUS_SW_SCRATCH(i) = 0x1400 + 4 * i. FWSEC-FRTS reports its
 * error code in bits 31:16 of SW_SCRATCH(0xe).
 */
constexpr uint32_t PBUS_SW_SCRATCH_0E = 0x00001400 + 4 * 0xe;
constexpr uint32_t SW_SCRATCH_FRTS_ERR_SHIFT = 16;

/*
 * dev_gsp.h: NV_PGSP_QUEUE_HEAD(i) = 0x110c00 + 8 * i. A write of
 * QUEUE_HEAD(0) is the command queue's doorbell for GSP-RM.
 */
constexpr uint32_t PGSP_QUEUE_HEAD0 = 0x00110c00;

/*
 * dev_therm.h: NV_THERM_I2CS_SCRATCH, where the FSP reports its own
 * secure boot (0xff when done): GH100 and GB10x, and GB20x.
 */
constexpr uint32_t THERM_I2CS_SCRATCH_GH100 = 0x000200bc;
constexpr uint32_t THERM_I2CS_SCRATCH_GB20X = 0x00ad00bc;
constexpr uint32_t I2CS_SCRATCH_FSP_BOOT_COMPLETE = 0xff;

/*
 * dev_fsp_pri.h: the FSP falcon's EMEM port 0 (EMEMC, EMEMD) and the
 * queues of channel 0: the command queue the driver writes (QUEUE_HEAD,
 * QUEUE_TAIL) and the message queue the FSP answers in (MSGQ_HEAD,
 * MSGQ_TAIL). Arrays of stride 8.
 */
constexpr uint32_t PFSP_EMEMC0 = 0x008f2ac0;
constexpr uint32_t PFSP_EMEMD0 = 0x008f2ac4;
constexpr uint32_t PFSP_QUEUE_HEAD0 = 0x008f2c00;
constexpr uint32_t PFSP_QUEUE_TAIL0 = 0x008f2c04;
constexpr uint32_t PFSP_MSGQ_HEAD0 = 0x008f2c80;
constexpr uint32_t PFSP_MSGQ_TAIL0 = 0x008f2c84;
constexpr uint32_t FSP_EMEM_SIZE = 1024; /* channel 0 */

/* The top page of BAR0: the model's test port (Documentation/gpu-model.rst). */
constexpr uint32_t PORT_BASE = 0x00fff000;
constexpr uint32_t PORT_ID = PORT_BASE + 0x000;
constexpr uint32_t PORT_ADDR = PORT_BASE + 0x004;
constexpr uint32_t PORT_DATA = PORT_BASE + 0x008;
constexpr uint32_t PORT_CTRL = PORT_BASE + 0x00c;
constexpr uint32_t PORT_HOSTILE = PORT_BASE + 0x010;
constexpr uint32_t PORT_DMA_SRC_LO = PORT_BASE + 0x020;
constexpr uint32_t PORT_DMA_SRC_HI = PORT_BASE + 0x024;
constexpr uint32_t PORT_DMA_DST_LO = PORT_BASE + 0x028;
constexpr uint32_t PORT_DMA_DST_HI = PORT_BASE + 0x02c;
constexpr uint32_t PORT_DMA_LEN = PORT_BASE + 0x030;
constexpr uint32_t PORT_DMA_GO = PORT_BASE + 0x034;
constexpr uint32_t PORT_ENGINE_FAULT = PORT_BASE + 0x040;
constexpr uint32_t PORT_ENGINE_FAULT_MAX = 26;
constexpr uint32_t PORT_ID_VALUE = 0x4e4f5641;
constexpr uint32_t PORT_CTRL_RESET = 1;
constexpr uint32_t PORT_CTRL_PROM_CLEAR = 2; /* the PROM window all zeros */
constexpr uint32_t PORT_CTRL_PROM_RESTORE = 3; /* the PROM window as at power-on */
constexpr uint32_t PORT_CTRL_DIE = 0xdead;
constexpr uint32_t PORT_DMA_MAX = 1u << 20;

/*
 * The register blocks of BAR0 by NVIDIA's device map (dev_*.h ranges), for
 * the trace and the summary's counts.
 */
struct Block {
	uint32_t start, end; /* inclusive */
	const char *name;
};

constexpr Block BLOCKS[] = {
	{ 0x000000, 0x000fff, "PMC" },	    { 0x001000, 0x001fff, "PBUS" },
	{ 0x002000, 0x003fff, "PFIFO" },    { 0x009000, 0x009fff, "PTIMER" },
	{ 0x021000, 0x021fff, "FUSE" },	    { 0x100000, 0x100fff, "PFB" },
	{ 0x110000, 0x111fff, "PGSP" },	    { 0x118000, 0x118fff, "PGC6" },
	{ 0x300000, 0x3fffff, "PROM" },	    { 0x610000, 0x6fffff, "PDISP" },
	{ 0x820000, 0x82ffff, "FUSE_OPT" }, { 0x840000, 0x84ffff, "PSEC" },
	{ 0x8f0000, 0x8f3fff, "FSP" },	    { 0xfff000, 0xffffff, "PORT" },
};

inline const char *block_name(uint32_t offset)
{
	for (const Block &b : BLOCKS)
		if (offset >= b.start && offset <= b.end)
			return b.name;
	return "other";
}

} // namespace gpu_model::reg

#endif /* GPU_MODEL_REGISTERS_H */
