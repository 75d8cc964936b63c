// SPDX-License-Identifier: GPL-2.0
/*
 * Load planning: every bound of a load, checked once before anything is
 * written (Documentation/falcon.rst, "The load plan"). The bounds are
 * upstream nova-core's (falcon.rs: dma_wr, try_as_pio_loadable,
 * pio_wr_imem_slice, pio_wr_dmem_slice), in 32-bit arithmetic as there,
 * plus two of ours: a transfer's source must end below 2^49 too, not only
 * start there, and its falcon offset must fit DMATRFMOFFS.
 */
#include "load.h"

using namespace kernel;

namespace nova::core::falcon {

namespace {

constexpr u32 PIO_OFFSET_LIMIT = u32 { 1 } << 16; /* IMEMC/DMEMC offs */
constexpr u32 IMEM_TAG_LIMIT = u32 { 1 } << 16; /* IMEMT tag */

constexpr u32 blocks_of(u32 len)
{
	return len / MEM_BLOCK_SIZE + (len % MEM_BLOCK_SIZE != 0);
}

} // namespace

Result<DmaSegmentFacts> plan_dma_segment(FalconMem mem, const LoadTarget &target, size_t image_len,
					 u64 image_dma)
{
	DmaSegmentFacts f { mem, image_dma, target.src_start, target.dst_start, 0 };

	/* DMEM's start folds into the address, so its transfers read from offset 0. */
	if (mem == FalconMem::Dmem) {
		if (ktl::add_overflows(image_dma, u64 { target.src_start }, &f.dma_start))
			return err::EOVERFLOW;
		f.fb_start = 0;
	}
	if (f.dma_start % MEM_BLOCK_SIZE)
		return err::EINVAL;
	if (f.dma_start >= DMA_ADDRESS_LIMIT)
		return err::ERANGE;

	f.count = blocks_of(target.len);
	u32 bytes, src_end, mem_end;
	if (ktl::mul_overflows(f.count, MEM_BLOCK_SIZE, &bytes) ||
	    ktl::add_overflows(target.src_start, bytes, &src_end) ||
	    ktl::add_overflows(target.dst_start, bytes, &mem_end))
		return err::EOVERFLOW;
	if (src_end > image_len)
		return err::EINVAL;
	/* Both below 2^32: no overflow; dma_start is below the limit. */
	if (u64 { f.fb_start } + bytes > DMA_ADDRESS_LIMIT - f.dma_start)
		return err::ERANGE;
	if (mem_end > DMA_MEM_OFFSET_LIMIT)
		return err::ERANGE;
	return f;
}

Result<DmaFacts> plan_dma(const FirmwareLoad &load, u64 image_dma)
{
	if (load.imem_ns.len)
		return err::EINVAL;
	DmaFacts f {};
	f.imem_sec = TRY(
		plan_dma_segment(FalconMem::ImemSecure, load.imem_sec, load.image_len, image_dma));
	f.dmem = TRY(plan_dma_segment(FalconMem::Dmem, load.dmem, load.image_len, image_dma));
	f.boot_addr = load.boot_addr;
	return f;
}

Result<PioPartFacts> plan_pio_part(FalconMem mem, const LoadTarget &target, size_t image_len)
{
	u32 end;
	if (ktl::add_overflows(target.src_start, target.len, &end))
		return err::EOVERFLOW;
	if (end > image_len || target.dst_start >= PIO_OFFSET_LIMIT || target.len % 4)
		return err::EINVAL;

	PioPartFacts f {};
	f.mem = mem;
	f.present = true;
	f.src_start = target.src_start;
	f.len = target.len;
	f.dst_start = static_cast<u16>(target.dst_start);
	if (mem == FalconMem::Dmem)
		return f;

	/* start_tag is below 2^16 and blocks below 2^24: the sum cannot overflow. */
	if (target.start_tag == TAG_FROM_DST)
		f.start_tag = static_cast<u16>(target.dst_start / MEM_BLOCK_SIZE);
	else if (target.start_tag < IMEM_TAG_LIMIT)
		f.start_tag = static_cast<u16>(target.start_tag);
	else
		return err::ERANGE;
	f.blocks = blocks_of(target.len);
	if (f.blocks && f.start_tag + (f.blocks - 1) >= IMEM_TAG_LIMIT)
		return err::ERANGE;
	return f;
}

Result<PioFacts> plan_pio(const FirmwareLoad &load)
{
	PioFacts f {};
	f.imem_ns.mem = FalconMem::ImemNonSecure;
	f.imem_sec.mem = FalconMem::ImemSecure;
	if (load.imem_ns.len)
		f.imem_ns =
			TRY(plan_pio_part(FalconMem::ImemNonSecure, load.imem_ns, load.image_len));
	if (load.imem_sec.len)
		f.imem_sec =
			TRY(plan_pio_part(FalconMem::ImemSecure, load.imem_sec, load.image_len));
	f.dmem = TRY(plan_pio_part(FalconMem::Dmem, load.dmem, load.image_len));
	f.boot_addr = load.boot_addr;
	return f;
}

FirmwareLoad hs_firmware_load(FalconHal hal, const fw::HsFirmware &hs, size_t image_len)
{
	if (load_method(hal) == LoadMethod::Pio)
		return FirmwareLoad {
			.image_len = image_len,
			.imem_sec = { hs.app0.offset, hs.app0.offset, hs.app0.len },
			.imem_ns = { 0, hs.load.os_code_offset, hs.load.os_code_size },
			.dmem = { hs.load.os_data_offset, 0, hs.load.os_data_size },
			.boot_addr = hs.load.os_code_offset,
		};
	return FirmwareLoad {
		.image_len = image_len,
		.imem_sec = { hs.app0.offset, 0, hs.app0.len },
		.imem_ns = { 0, 0, 0 },
		.dmem = { hs.load.os_data_offset, 0, hs.load.os_data_size },
		.boot_addr = hs.app0.offset,
	};
}

} // namespace nova::core::falcon
