/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The load plan: what nova-core will write to a falcon to copy a
 * firmware image into its IMEM and DMEM (Documentation/falcon.rst, "The
 * load plan"). Planning touches no register: it checks every bound of
 * the image's load targets once, with checked arithmetic, and the plan
 * then yields the register values of each step on demand, so an image of
 * hundreds of KiB costs no allocation:
 *
 *	auto plan = TRY(LoadPlan<Sec2>::make(hal, load, image_dma));
 *	if (const DmaPlan<Sec2> *dma = plan.dma())
 *		for (const DmaSegment<Sec2> &seg : dma->segments()) {
 *			seg.base().write(bar);
 *			seg.base1().write(bar);
 *			for (u32 i = 0; i < seg.count(); i++) {
 *				DmaTransfer<Sec2> t = seg.transfer(i);
 *				t.moffs.write(bar);
 *				t.fboffs.write(bar);
 *				t.cmd.write(bar);
 *				... poll DMATRFCMD.idle (timeouts::DMA_IDLE)
 *			}
 *		}
 *
 * DMA (GA102 HAL) loads secure IMEM then DMEM, 256 bytes per transfer,
 * from a copy of the image at DMA address image_dma. PIO (TU102 HAL)
 * writes non-secure IMEM, secure IMEM, then DMEM through port 0, 32 bits
 * at a time, tagging each 256-byte IMEM block. Either ends with BOOTVEC.
 */
#ifndef NOVA_CORE_FALCON_LOAD_H
#define NOVA_CORE_FALCON_LOAD_H

#include <kernel/error.h>

#include "firmware/files.h"
#include "hal.h"
#include "regs.h"

namespace nova::core::falcon {

/* A DMA transfer's size, and an IMEM tag's block. */
inline constexpr u32 MEM_BLOCK_SIZE = 256;
/* DMATRFBASE and DMATRFBASE1 hold bits 48:8 of an address. */
inline constexpr u64 DMA_ADDRESS_LIMIT = u64 { 1 } << 49;
/* DMATRFMOFFS holds 24 bits. */
inline constexpr u32 DMA_MEM_OFFSET_LIMIT = u32 { 1 } << 24;

/* A PIO IMEM part's tags count from dst_start / 256 unless it names its first. */
inline constexpr u32 TAG_FROM_DST = ~u32 { 0 };

/*
 * Bytes [src_start, src_start + len) of the image go to offset dst_start
 * of a memory. Under PIO an IMEM part may name the tag of its first block
 * (the generic bootloader's start_tag); DMA tags are always the source's.
 */
struct LoadTarget {
	u32 src_start;
	u32 dst_start;
	u32 len;
	u32 start_tag = TAG_FROM_DST;
};

/*
 * What a firmware asks of a load (upstream's FalconLoadParams): the
 * image's length, where its parts go, and where the falcon starts.
 * A non-secure IMEM part (only Turing and GA100 firmware has one) is
 * absent when its len is 0; so is a secure IMEM part under PIO.
 */
struct FirmwareLoad {
	size_t image_len;
	LoadTarget imem_sec;
	LoadTarget imem_ns;
	LoadTarget dmem;
	u32 boot_addr;
};

/*
 * An HS firmware's load (booter_load, booter_unload: upstream's
 * BooterFirmware); @image_len is the ucode buffer's length. GA102 HAL: its
 * first application from the ucode to secure IMEM 0, its OS data to DMEM
 * 0, booting at the application's offset in the ucode. TU102 HAL (Turing,
 * GA100): first the OS code, from ucode 0 to non-secure IMEM at
 * os_code_offset, then the application to secure IMEM at its own offset,
 * the OS data to DMEM 0, booting at os_code_offset.
 */
FirmwareLoad hs_firmware_load(FalconHal hal, const fw::HsFirmware &hs, size_t image_len);

/* The checked facts of the plans, engine-independent; the plans below read them. */

/* One memory's DMA transfers. */
struct DmaSegmentFacts {
	FalconMem mem;
	u64 dma_start; /* the address DMATRFBASE/1 hold */
	u32 fb_start; /* DMATRFFBOFFS of transfer 0 */
	u32 mem_start; /* DMATRFMOFFS of transfer 0 */
	u32 count; /* of 256-byte transfers */
};

struct DmaFacts {
	DmaSegmentFacts imem_sec;
	DmaSegmentFacts dmem;
	u32 boot_addr;
};

/* One memory's PIO writes. */
struct PioPartFacts {
	FalconMem mem;
	bool present;
	u32 src_start; /* image offset of the first word */
	u32 len; /* bytes, a multiple of 4 */
	u16 dst_start; /* IMEMC/DMEMC offs */
	u16 start_tag; /* IMEM: the first block's tag */
	u32 blocks; /* IMEM: 256-byte blocks, the last one maybe partial */
};

struct PioFacts {
	PioPartFacts imem_ns;
	PioPartFacts imem_sec;
	PioPartFacts dmem;
	u32 boot_addr;
};

/*
 * The DMA transfers of @target into @mem, from an image of @image_len
 * bytes at DMA address @image_dma. IMEM transfers read the image from its
 * start (FBOFFS = src_start + 256 i); DMEM's read from image_dma +
 * src_start (FBOFFS = 256 i). Every transfer is 256 bytes: the last,
 * partial one reads past len, still inside the image. Errors, in this
 * order: EOVERFLOW (image_dma + src_start), EINVAL (the source address
 * not a multiple of 256), ERANGE (the source address at or past 2^49),
 * EOVERFLOW (src_start + the transfers' bytes, or dst_start + them,
 * past 32 bits), EINVAL (the transfers end past the image), ERANGE (the
 * transfers' source ends past 2^49, or their falcon offsets past 2^24).
 */
kernel::Result<DmaSegmentFacts> plan_dma_segment(FalconMem mem, const LoadTarget &target,
						 size_t image_len, u64 image_dma);

/*
 * Secure IMEM then DMEM (plan_dma_segment()); EINVAL for a non-secure
 * IMEM part, which nova-core only loads by PIO.
 */
kernel::Result<DmaFacts> plan_dma(const FirmwareLoad &load, u64 image_dma);

/*
 * The PIO writes of @target into @mem. Errors, in this order: EOVERFLOW
 * (src_start + len past 32 bits), EINVAL (past the image, dst_start past
 * 16 bits, len not a multiple of 4), ERANGE (IMEM: the last block's tag,
 * (dst_start >> 8) + blocks - 1, past 16 bits).
 */
kernel::Result<PioPartFacts> plan_pio_part(FalconMem mem, const LoadTarget &target,
					   size_t image_len);

/* Non-secure IMEM (if any), secure IMEM (if any), DMEM (plan_pio_part()). */
kernel::Result<PioFacts> plan_pio(const FirmwareLoad &load);

/* The plans, as the register values of engine E. */

template <FalconEngine E> struct DmaTransfer {
	Dmatrfmoffs<E> moffs;
	Dmatrffboffs<E> fboffs;
	Dmatrfcmd<E> cmd;
	/*
	 * IMEM: the tag the falcon gives the block at moffs: the block
	 * number of the source offset, as code addresses and BOOTVEC are
	 * the image's. 0 for DMEM.
	 */
	u32 imem_tag;
};

/* One memory's transfers: DMATRFBASE/1 once, then transfer(i) for each i. */
template <FalconEngine E> class DmaSegment {
public:
	explicit constexpr DmaSegment(const DmaSegmentFacts &f) : f_(f) {}

	constexpr FalconMem mem() const { return f_.mem; }
	constexpr u64 dma_start() const { return f_.dma_start; }
	constexpr Dmatrfbase<E> base() const
	{
		return Dmatrfbase<E>().set_base(static_cast<u32>(f_.dma_start >> 8));
	}
	constexpr Dmatrfbase1<E> base1() const
	{
		return Dmatrfbase1<E>().set_base(static_cast<u32>(f_.dma_start >> 40));
	}
	constexpr Dmatrfcmd<E> cmd() const { return Dmatrfcmd<E>::transfer_256(f_.mem); }
	constexpr u32 count() const { return f_.count; }

	/* Transfer @i, below count(). */
	constexpr DmaTransfer<E> transfer(u32 i) const
	{
		u32 pos = i * MEM_BLOCK_SIZE;
		u32 fb = f_.fb_start + pos;
		return DmaTransfer<E> { Dmatrfmoffs<E>().set_offs(f_.mem_start + pos),
					Dmatrffboffs<E>().set_offs(fb), cmd(),
					f_.mem == FalconMem::Dmem ? 0 : fb / MEM_BLOCK_SIZE };
	}

private:
	DmaSegmentFacts f_;
};

template <FalconEngine E> class DmaPlan {
public:
	explicit constexpr DmaPlan(const DmaFacts &f)
		: segments_ { DmaSegment<E>(f.imem_sec), DmaSegment<E>(f.dmem) },
		  boot_addr_(f.boot_addr)
	{}

	using Segments = DmaSegment<E>[2];

	/* In load order: secure IMEM, DMEM. */
	constexpr const Segments &segments() const { return segments_; }
	constexpr const DmaSegment<E> &imem_sec() const { return segments_[0]; }
	constexpr const DmaSegment<E> &dmem() const { return segments_[1]; }
	constexpr u32 transfers() const { return segments_[0].count() + segments_[1].count(); }
	constexpr Bootvec<E> bootvec() const { return Bootvec<E>().set_value(boot_addr_); }

private:
	Segments segments_;
	u32 boot_addr_;
};

/* One 256-byte IMEM block: its tag, then words IMEMD writes from src_offset on. */
template <FalconEngine E> struct PioBlock {
	Imemt<E> tag;
	u32 src_offset;
	u32 words;
};

/* IMEMC once, then for each block IMEMT and its words to IMEMD. */
template <FalconEngine E> class PioImem {
public:
	explicit constexpr PioImem(const PioPartFacts &f) : f_(f) {}

	constexpr bool secure() const { return f_.mem == FalconMem::ImemSecure; }
	constexpr Imemc<E> imemc() const
	{
		return Imemc<E>().set_offs(f_.dst_start).set_aincw(1).set_secure(secure());
	}
	constexpr u32 src_start() const { return f_.src_start; }
	constexpr u32 words() const { return f_.len / 4; }
	constexpr u32 blocks() const { return f_.blocks; }

	/* Block @n, below blocks(). */
	constexpr PioBlock<E> block(u32 n) const
	{
		u32 pos = n * MEM_BLOCK_SIZE;
		u32 bytes = ktl::min(MEM_BLOCK_SIZE, f_.len - pos);
		return PioBlock<E> { Imemt<E>().set_tag(f_.start_tag + n), f_.src_start + pos,
				     bytes / 4 };
	}

private:
	PioPartFacts f_;
};

/* DMEMC once, then the words to DMEMD. */
template <FalconEngine E> class PioDmem {
public:
	explicit constexpr PioDmem(const PioPartFacts &f) : f_(f) {}

	constexpr Dmemc<E> dmemc() const { return Dmemc<E>().set_offs(f_.dst_start).set_aincw(1); }
	constexpr u32 src_start() const { return f_.src_start; }
	constexpr u32 words() const { return f_.len / 4; }

private:
	PioPartFacts f_;
};

template <FalconEngine E> class PioPlan {
public:
	explicit constexpr PioPlan(const PioFacts &f)
		: imem_ns_(f.imem_ns), imem_sec_(f.imem_sec), dmem_(f.dmem),
		  has_imem_ns_(f.imem_ns.present), has_imem_sec_(f.imem_sec.present),
		  boot_addr_(f.boot_addr)
	{}

	/* In load order; nullptr for an absent part. */
	constexpr const PioImem<E> *imem_ns() const { return has_imem_ns_ ? &imem_ns_ : nullptr; }
	constexpr const PioImem<E> *imem_sec() const
	{
		return has_imem_sec_ ? &imem_sec_ : nullptr;
	}
	constexpr const PioDmem<E> &dmem() const { return dmem_; }
	constexpr Bootvec<E> bootvec() const { return Bootvec<E>().set_value(boot_addr_); }

	/* Every part's words lie inside an image of @image_len bytes. */
	constexpr bool fits(size_t image_len) const
	{
		auto in = [image_len](u32 src, u32 words) {
			return u64 { src } + u64 { words } * 4 <= image_len;
		};
		return (!has_imem_ns_ || in(imem_ns_.src_start(), imem_ns_.words())) &&
		       (!has_imem_sec_ || in(imem_sec_.src_start(), imem_sec_.words())) &&
		       in(dmem_.src_start(), dmem_.words());
	}

private:
	PioImem<E> imem_ns_;
	PioImem<E> imem_sec_;
	PioDmem<E> dmem_;
	bool has_imem_ns_;
	bool has_imem_sec_;
	u32 boot_addr_;
};

/*
 * The plan of a load on engine E under @hal: a DmaPlan (GA102 HAL, from
 * @image_dma) or a PioPlan (TU102 HAL; @image_dma unused). Errors: those
 * of plan_dma() or plan_pio().
 */
template <FalconEngine E> class LoadPlan {
public:
	static kernel::Result<LoadPlan> make(FalconHal hal, const FirmwareLoad &load, u64 image_dma)
	{
		if (load_method(hal) == LoadMethod::Dma) {
			DmaFacts dma = TRY(plan_dma(load, image_dma));
			return LoadPlan(DmaPlan<E>(dma));
		}
		PioFacts pio = TRY(plan_pio(load));
		return LoadPlan(PioPlan<E>(pio));
	}

	constexpr LoadMethod method() const { return method_; }
	/* The plan of its method; nullptr for the other. */
	constexpr const DmaPlan<E> *dma() const
	{
		return method_ == LoadMethod::Dma ? &dma_ : nullptr;
	}
	constexpr const PioPlan<E> *pio() const
	{
		return method_ == LoadMethod::Pio ? &pio_ : nullptr;
	}
	constexpr Bootvec<E> bootvec() const
	{
		return method_ == LoadMethod::Dma ? dma_.bootvec() : pio_.bootvec();
	}

private:
	explicit constexpr LoadPlan(const DmaPlan<E> &dma)
		: method_(LoadMethod::Dma), dma_(dma), pio_(PioFacts {})
	{}
	explicit constexpr LoadPlan(const PioPlan<E> &pio)
		: method_(LoadMethod::Pio), dma_(DmaFacts {}), pio_(pio)
	{}

	LoadMethod method_;
	DmaPlan<E> dma_;
	PioPlan<E> pio_;
};

} // namespace nova::core::falcon

#endif /* NOVA_CORE_FALCON_LOAD_H */
