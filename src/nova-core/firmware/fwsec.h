/* SPDX-License-Identifier: GPL-2.0 */
/*
 * FWSEC-FRTS made ready: the FWSEC ucode the VBIOS's descriptor points at,
 * copied out of the ROM and patched to run the FRTS command, which carves
 * WPR2 out of VRAM and puts a verified copy of the VBIOS in the FRTS
 * region. Two patches, as upstream nova-core (firmware/fwsec.rs) and
 * nouveau (nvkm/subdev/gsp/fwsec.c) make them:
 *
 * - the DMEM: the "DMEMMAPPER" entry of the ucode's application interface
 *   table gets the FRTS command as its init command, and its command-in
 *   buffer the FRTS command (a ReadVbios and the FrtsRegion, in 4 KiB units);
 * - the signature (descriptor V3 with signatures): the one the fuse
 *   version of the descriptor's engine and ucode id selects is written at
 *   the descriptor's PKC data offset in the DMEM.
 *
 * Nothing here touches a falcon; running FWSEC comes later. An empty FRTS
 * region (GA100) needs no FWSEC-FRTS: the boot plan then prepares none.
 * Documentation/fb-layout.rst describes the structures and every check.
 */
#ifndef NOVA_CORE_FWSEC_H
#define NOVA_CORE_FWSEC_H

#include <kernel/alloc.h>
#include <kernel/bytes.h>
#include <kernel/error.h>

#include "fb/layout.h"
#include "firmware/fuse.h"
#include "vbios/vbios.h"
#include "gsp/wpr_meta.h"

namespace nova::core {

/* The application interface table at the DMEM's interface offset. */
struct [[gnu::packed]] FalconAppifHdrV1 {
	u8 version; /* 1 */
	u8 header_size;
	u8 entry_size;
	u8 entry_count;
	KERNEL_FROM_BYTES(FalconAppifHdrV1, 4);
};

struct [[gnu::packed]] FalconAppifV1 {
	u32 id;
	u32 dmem_base; /* DMEM offset of the application's interface */
	KERNEL_FROM_BYTES(FalconAppifV1, 8);
};

struct [[gnu::packed]] FalconAppifDmemmapperV3 {
	u32 signature;
	u16 version;
	u16 size;
	u32 cmd_in_buffer_offset;
	u32 cmd_in_buffer_size;
	u32 cmd_out_buffer_offset;
	u32 cmd_out_buffer_size;
	u32 nvf_img_data_buffer_offset;
	u32 nvf_img_data_buffer_size;
	u32 printf_buffer_hdr;
	u32 ucode_build_time_stamp;
	u32 ucode_signature;
	u32 init_cmd;
	u32 ucode_feature;
	u32 ucode_cmd_mask0;
	u32 ucode_cmd_mask1;
	u32 multi_tgt_tbl;
	KERNEL_FROM_BYTES(FalconAppifDmemmapperV3, 64);
};

struct [[gnu::packed]] ReadVbios {
	u32 ver;
	u32 hdr;
	u64 addr;
	u32 size;
	u32 flags;
	KERNEL_FROM_BYTES(ReadVbios, 24);
};

struct [[gnu::packed]] FrtsRegion {
	u32 ver;
	u32 hdr;
	u32 addr; /* in 4 KiB units */
	u32 size; /* in 4 KiB units */
	u32 ftype;
	KERNEL_FROM_BYTES(FrtsRegion, 20);
};

struct [[gnu::packed]] FrtsCmd {
	ReadVbios read_vbios;
	FrtsRegion frts_region;
	KERNEL_FROM_BYTES(FrtsCmd, 44);
};

inline constexpr u32 APPIF_ID_DMEMMAPPER = 0x4;
inline constexpr u32 DMEMMAPPER_CMD_FRTS = 0x15;
/* FWSEC-SB, run before the GSP is unloaded (upstream's FwsecCommand::Sb). */
inline constexpr u32 DMEMMAPPER_CMD_SB = 0x19;
inline constexpr u32 FRTS_REGION_TYPE_FB = 2;
inline constexpr u32 READ_VBIOS_FLAGS = 2;
/* A BCRT30 RSA-3K signature. */
inline constexpr size_t FWSEC_SIGNATURE_SIZE = 384;

/* Where the patches went; offsets are DMEM-relative unless named otherwise. */
struct FwsecFrtsFacts {
	size_t ucode_offset; /* PROM offset of the ucode (IMEM, then DMEM) */
	size_t ucode_size; /* IMEM + DMEM load sizes */
	size_t dmem_offset; /* of the DMEM in the ucode */
	size_t dmem_size;
	size_t appif_offset;
	size_t dmemmapper_offset;
	size_t cmd_offset;
	u64 frts_addr;
	u64 frts_size;
	bool signed_; /* a signature was patched in */
	u32 fuse_version;
	size_t signature_index;
	size_t signature_offset;
};

class FwsecFrts {
public:
	/*
	 * FWSEC-FRTS for @vbios's FWSEC application, its FRTS region @frts
	 * (4 KiB aligned), the fuse version read with @regs. On failure,
	 * *@why (if not nullptr) names the errno, the PROM offset and the
	 * structure: the Vbios's fwsec_error() when it has no FWSEC; ENOENT
	 * (no DMEMMAPPER application), ERANGE
	 * (a structure, buffer or signature outside the ucode's DMEM, the
	 * ucode outside its FwSec image, an FRTS region beyond 2^44),
	 * EINVAL (an unknown table version, sizes too small, an engine mask
	 * or ucode id without fuse, no signature for the fuse version),
	 * ENOMEM, or the register read's error. The ROM is not changed.
	 */
	static kernel::Result<FwsecFrts> prepare(const Vbios &vbios, const FbRegion &frts,
						 const RegisterReader &regs, kernel::Gfp gfp,
						 VbiosError *why);
	/*
	 * FWSEC patched for the SB command instead (init_cmd 0x19, no
	 * command input; its facts' FRTS region empty), signed alike; the
	 * same errors.
	 */
	static kernel::Result<FwsecFrts> prepare_sb(const Vbios &vbios, const RegisterReader &regs,
						    kernel::Gfp gfp, VbiosError *why);

	FwsecFrts(FwsecFrts &&) = default;
	FwsecFrts &operator=(FwsecFrts &&) = default;

	/* The patched ucode: IMEM then DMEM, as FWSEC is loaded. */
	kernel::ByteView image() const { return kernel::ByteView(image_); }
	/* The patched DMEM: what debugfs's fwsec_frts shows. */
	kernel::ByteView dmem() const
	{
		return kernel::ByteView(image_.begin() + facts_.dmem_offset, facts_.dmem_size);
	}
	const FwsecFrtsFacts &facts() const { return facts_; }

private:
	friend class FwsecPatcher;
	FwsecFrts() = default;

	kernel::KVec<u8> image_;
	FwsecFrtsFacts facts_ {};
};

/*
 * Whether the GSP boot runs FWSEC-FRTS for the FRTS region @frts: not for
 * an empty one (GA100), as upstream's GSP HAL skips it for an empty region
 * and OpenRM for a zero kgspGetFrtsSize.
 */
constexpr bool fwsec_frts_needed(const FbRegion &frts)
{
	return frts.size() != 0;
}

/* What debugfs's fwsec_frts reads without a patched DMEM. */
inline constexpr const char FWSEC_FRTS_UNAVAILABLE[] = "unavailable\n";
inline constexpr const char FWSEC_FRTS_NOT_NEEDED[] = "not needed: empty FRTS region\n";

/*
 * What the probe prepares for the GSP boot; each part empty when
 * unavailable (debugfs then reads "unavailable"). fwsec_frts is also
 * empty when FWSEC-FRTS is not needed (fwsec_frts_not_needed).
 */
struct BootPlan {
	kernel::KBox<FbLayout> layout;
	/* Hopper and Blackwell: sizes only (the firmware places the regions). */
	kernel::KBox<FbSizes> sizes;
	kernel::KBox<GspFwWprMeta> wpr_meta;
	kernel::KBox<FwsecFrts> fwsec_frts;
	kernel::KBox<FwsecFrts> fwsec_sb; /* made with fwsec_frts, run at unload */
	/* The layout's FRTS region is empty: FWSEC-FRTS is not run (GA100). */
	bool fwsec_frts_not_needed = false;

	/*
	 * FWSEC-FRTS for the layout's FRTS region, from @vbios, the fuse
	 * version read with @regs. Without a layout, nothing. For an empty
	 * FRTS region nothing is read or prepared: fwsec_frts_not_needed.
	 * Without a ROM or its FWSEC, nothing (the VBIOS's warning said
	 * why). Otherwise FwsecFrts::prepare's error and *@why, or ENOMEM.
	 */
	kernel::Result<void> prepare_fwsec_frts(const Vbios *vbios, const RegisterReader &regs,
						kernel::Gfp gfp, VbiosError *why);

	/* What debugfs's fwsec_frts reads when fwsec_frts is empty. */
	const char *fwsec_frts_text() const
	{
		return fwsec_frts_not_needed ? FWSEC_FRTS_NOT_NEEDED : FWSEC_FRTS_UNAVAILABLE;
	}
};

} // namespace nova::core

#endif /* NOVA_CORE_FWSEC_H */
