// SPDX-License-Identifier: GPL-2.0
/*
 * FWSEC's load plan and gen_bootloader's (gen_bootloader.h), as upstream
 * nova-core's FalconUCodeDesc load parameters and FwsecFirmwareWithBl.
 */
#include <ktl/utility.h>

#include "firmware/gen_bootloader.h"

using namespace kernel;

namespace nova::core::fw {

Result<falcon::FirmwareLoad> fwsec_load(const FalconUcodeDesc &desc, size_t image_len)
{
	if (const FalconUcodeDescV3 *d = desc.v3())
		return falcon::FirmwareLoad {
			.image_len = image_len,
			.imem_sec = { 0, d->imem_phys_base, d->imem_load_size },
			.imem_ns = { 0, 0, 0 },
			.dmem = { d->imem_load_size, d->dmem_phys_base, d->dmem_load_size },
			.boot_addr = 0,
		};
	const FalconUcodeDescV2 *d = desc.v2();
	if (!d || d->imem_sec_size > d->imem_load_size || d->imem_sec_base < d->imem_virt_base)
		return err::EINVAL;
	const u32 sec = d->imem_sec_base - d->imem_virt_base;
	u32 sec_dst;
	if (ktl::add_overflows(d->imem_phys_base, sec, &sec_dst))
		return err::EOVERFLOW;
	return falcon::FirmwareLoad {
		.image_len = image_len,
		.imem_sec = { sec, sec_dst, d->imem_sec_size },
		.imem_ns = { 0, d->imem_phys_base, d->imem_load_size - d->imem_sec_size },
		.dmem = { d->dmem_offset, d->dmem_phys_base, d->dmem_load_size },
		.boot_addr = 0,
	};
}

Result<BootloaderDmemDescV2> bootloader_dmem_desc(const falcon::FirmwareLoad &fwsec, u64 fwsec_dma)
{
	BootloaderDmemDescV2 d {};
	if (ktl::add_overflows(fwsec_dma, u64 { fwsec.dmem.src_start }, &d.data_dma_base))
		return err::EOVERFLOW;
	d.ctx_dma = GEN_BOOTLOADER_CTX_DMA;
	d.code_dma_base = fwsec_dma;
	d.non_sec_code_off = fwsec.imem_ns.dst_start;
	d.non_sec_code_size = fwsec.imem_ns.len;
	d.sec_code_off = fwsec.imem_sec.dst_start;
	d.sec_code_size = fwsec.imem_sec.len;
	d.code_entry_point = 0;
	d.data_size = fwsec.dmem.len;
	return d;
}

Result<falcon::FirmwareLoad> gen_bootloader_load(u32 code_len, u32 start_tag)
{
	if (!code_len || code_len % falcon::MEM_BLOCK_SIZE)
		return err::EINVAL;
	if (code_len > GEN_BOOTLOADER_CEILING || start_tag >= 0x10000)
		return err::ERANGE;
	return falcon::FirmwareLoad {
		.image_len = size_t { code_len } + sizeof(BootloaderDmemDescV2),
		.imem_sec = { 0, 0, 0 },
		.imem_ns = { 0, GEN_BOOTLOADER_CEILING - code_len, code_len, start_tag },
		.dmem = { code_len, 0, sizeof(BootloaderDmemDescV2) },
		.boot_addr = start_tag * falcon::MEM_BLOCK_SIZE,
	};
}

} // namespace nova::core::fw
