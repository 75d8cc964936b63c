/* SPDX-License-Identifier: GPL-2.0 */
/*
 * FWSEC's load, and on the TU102 HAL (Turing; GA100 would, but needs no
 * FWSEC-FRTS) the generic bootloader that does it (Documentation/falcon.rst,
 * "FWSEC through the generic bootloader"). The TU102 HAL loads by PIO, and
 * FWSEC is too large for that to be quick and has a secure part PIO cannot
 * authenticate: the driver PIO-loads NVIDIA's small gen_bootloader just
 * below IMEM's first 64 KiB instead, and a BootloaderDmemDescV2 at DMEM 0
 * that tells it where FWSEC is in system memory; the bootloader then DMAs
 * FWSEC into IMEM and DMEM through FBIF context 4 and jumps to it.
 *
 * All of it is planning: pure functions of the descriptors, tested by the
 * KUnit suite kcxx_falcon.
 */
#ifndef NOVA_CORE_FIRMWARE_GEN_BOOTLOADER_H
#define NOVA_CORE_FIRMWARE_GEN_BOOTLOADER_H

#include <kernel/bytes.h>
#include <kernel/error.h>

#include "falcon/load.h"
#include "vbios/vbios.h"

namespace nova::core::fw {

/* BootloaderDmemDescV2: what gen_bootloader reads at DMEM 0 (84 bytes, packed). */
struct [[gnu::packed]] BootloaderDmemDescV2 {
	u32 reserved[4];
	u32 signature[4]; /* of the secure code; zero: none */
	u32 ctx_dma; /* the FBIF context of its DMA */
	u64 code_dma_base; /* 256-aligned: the image in system memory */
	u32 non_sec_code_off; /* from code_dma_base, and its IMEM offset */
	u32 non_sec_code_size;
	u32 sec_code_off; /* from code_dma_base, and its IMEM offset */
	u32 sec_code_size;
	u32 code_entry_point;
	u64 data_dma_base; /* 256-aligned: the DMEM image */
	u32 data_size;
	u32 argc;
	u32 argv;
	KERNEL_FROM_BYTES(BootloaderDmemDescV2, 84);
};

/* FALCON_DMAIDX_PHYS_SYS_NCOH: the context gen_bootloader's DMA goes through. */
inline constexpr u32 GEN_BOOTLOADER_CTX_DMA = 4;
/* gen_bootloader ends where IMEM's first 64 KiB end. */
inline constexpr u32 GEN_BOOTLOADER_CEILING = 0x10000;

/*
 * FWSEC's load from its VBIOS descriptor (upstream's FalconUCodeDescV2/V3
 * load parameters), @image_len the patched image's buffer length.
 * V3: secure IMEM {0, imem_phys_base, imem_load_size}, DMEM
 * {imem_load_size, dmem_phys_base, dmem_load_size}, boot at 0.
 * V2: non-secure IMEM {0, imem_phys_base, imem_load_size -
 * imem_sec_size}, secure IMEM {s, imem_phys_base + s, imem_sec_size} with
 * s = imem_sec_base - imem_virt_base, DMEM {dmem_offset, dmem_phys_base,
 * dmem_load_size}, boot at 0. EINVAL for a V2 whose secure part is larger
 * than its IMEM or starts below its virtual base; EOVERFLOW.
 */
kernel::Result<falcon::FirmwareLoad> fwsec_load(const FalconUcodeDesc &desc, size_t image_len);

/*
 * The descriptor gen_bootloader is given for @fwsec (a V2 load) at bus
 * address @fwsec_dma: code from @fwsec_dma (each part at its IMEM offset,
 * the image mirroring its loaded state), data from @fwsec_dma plus the
 * DMEM part's source, context 4, entry 0. EOVERFLOW.
 */
kernel::Result<BootloaderDmemDescV2> bootloader_dmem_desc(const falcon::FirmwareLoad &fwsec,
							  u64 fwsec_dma);

/*
 * gen_bootloader's own PIO load: an image of its code (@code_len bytes,
 * a multiple of 256) followed by the descriptor; the code to non-secure
 * IMEM ending at 64 KiB, tagged from @start_tag; the descriptor to DMEM 0;
 * booting at start_tag * 256. EINVAL (code_len 0 or not a multiple of
 * 256), ERANGE (more than 64 KiB, a tag past 16 bits).
 */
kernel::Result<falcon::FirmwareLoad> gen_bootloader_load(u32 code_len, u32 start_tag);

} // namespace nova::core::fw

#endif /* NOVA_CORE_FIRMWARE_GEN_BOOTLOADER_H */
