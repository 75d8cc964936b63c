/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What nova-core says to the FSP of Hopper and Blackwell, and what it
 * accepts back (Documentation/falcon.rst, "The FSP"), as upstream
 * nova-core 7.2's fsp.rs and mctp.rs frame it and NVIDIA's
 * open-gpu-kernel-modules (r570.144) lays it out:
 *
 *	COT (868 bytes)	 MCTP header, NVDM header (type 0x14),
 *			 NVDM_PAYLOAD_COT (860 bytes, packed)
 *	reply (>= 20)	 MCTP header, NVDM header (type 0x15, FSP_RESPONSE),
 *			 task id, the command's NVDM type, error code
 *
 * and the GSP_FMC_BOOT_PARAMS the COT points at. Everything here is a
 * pure function of its arguments: the transport is fsp/fsp.h.
 */
#ifndef NOVA_CORE_FSP_MESSAGES_H
#define NOVA_CORE_FSP_MESSAGES_H

#include <kernel/bytes.h>
#include <kernel/error.h>

#include "falcon/regs.h"
#include "gpu.h"

namespace nova::core::fsp {

using ktl::size_t;
using ktl::u16;
using ktl::u32;
using ktl::u64;
using ktl::u8;

/* FSP's EMEM channel 0: the largest message either way. */
inline constexpr size_t EMEM_CHANNEL_SIZE = 1024;

/* MCTP transport header: start and end of message, sequence 0, endpoint 0. */
inline constexpr u32 MCTP_SOM = 1u << 31;
inline constexpr u32 MCTP_EOM = 1u << 30;
inline constexpr u32 MCTP_SINGLE_PACKET = MCTP_SOM | MCTP_EOM;

/* NVDM header: type in 31:24, PCI vendor in 23:8, MCTP message type in 6:0. */
inline constexpr u8 NVDM_TYPE_COT = 0x14;
inline constexpr u8 NVDM_TYPE_FSP_RESPONSE = 0x15;
inline constexpr u32 NVDM_VENDOR_NVIDIA = 0x10de;
inline constexpr u32 MCTP_MSG_TYPE_VENDOR_PCI = 0x7e;

constexpr u32 nvdm_header(u8 type)
{
	return u32 { type } << 24 | NVDM_VENDOR_NVIDIA << 8 | MCTP_MSG_TYPE_VENDOR_PCI;
}

/* NVDM_PAYLOAD_COT, packed: the offsets of its fields. */
struct CotOffsets {
	static constexpr size_t VERSION = 0;
	static constexpr size_t SIZE = 2;
	static constexpr size_t GSP_FMC_SYSMEM = 4;
	static constexpr size_t FRTS_SYSMEM = 12;
	static constexpr size_t FRTS_SYSMEM_SIZE = 20;
	static constexpr size_t FRTS_VIDMEM = 24;
	static constexpr size_t FRTS_VIDMEM_SIZE = 32;
	static constexpr size_t HASH = 36;
	static constexpr size_t PUBLIC_KEY = 84;
	static constexpr size_t SIGNATURE = 468;
	static constexpr size_t GSP_BOOT_ARGS_SYSMEM = 852;
};

inline constexpr size_t COT_HASH_SIZE = 48; /* SHA-384 */
inline constexpr size_t COT_PUBLIC_KEY_SIZE = 384; /* at most; zero-padded */
inline constexpr size_t COT_SIGNATURE_SIZE = 384; /* at most; zero-padded */
inline constexpr size_t COT_PAYLOAD_SIZE = 860;
inline constexpr size_t MESSAGE_HEADER_SIZE = 8;
inline constexpr size_t COT_MESSAGE_SIZE = MESSAGE_HEADER_SIZE + COT_PAYLOAD_SIZE;
static_assert(CotOffsets::GSP_BOOT_ARGS_SYSMEM + 8 == COT_PAYLOAD_SIZE);
static_assert(COT_MESSAGE_SIZE == 868 && COT_MESSAGE_SIZE % 4 == 0);
static_assert(COT_MESSAGE_SIZE <= EMEM_CHANNEL_SIZE);

/* The COT's version: 1 on GH100 and GB10x, 2 on GB20x; EOPNOTSUPP elsewhere. */
kernel::Result<u16> cot_version(const Chipset &chipset);

/* What the COT carries. */
struct CotInput {
	u16 version;
	u64 fmc_image; /* the fmc image's bus address */
	u64 frts_vidmem_offset; /* FbSizes::frts_vidmem_offset() */
	u32 frts_vidmem_size;
	kernel::ByteView hash, public_key, signature; /* the fmc file's sections */
	u64 boot_params; /* GSP_FMC_BOOT_PARAMS's bus address */
};

/* The COT message, ready for the EMEM: little-endian bytes. */
struct CotMessage {
	u8 bytes[COT_MESSAGE_SIZE];
};

/*
 * Packs @in into *@out (every byte written; the FRTS-in-system-memory
 * fields 0). EINVAL, *@out untouched, for a hash that is not 48 bytes or
 * a public key or signature empty or longer than its 384-byte field.
 */
kernel::Result<void> build_cot(const CotInput &in, CotMessage *out);

/* The first 20 bytes of the FSP's reply. */
inline constexpr size_t REPLY_HEADER_SIZE = 20;

/* Why a reply was refused, for the boot's line. */
enum class ReplyError : u8 {
	None,
	Short, /* EPROTO: shorter than 20 bytes */
	Oversize, /* EMSGSIZE: longer than the EMEM channel */
	NotOnePacket, /* EPROTO: MCTP SOM or EOM clear */
	NotAResponse, /* EPROTO: NVDM header not FSP_RESPONSE from NVIDIA */
	OtherCommand, /* EPROTO: the reply of another command than @command */
	ErrorCode, /* EIO: the FSP's error code is not 0 */
};

const char *reply_error_name(ReplyError e);

/*
 * Checks the FSP's reply @reply to the command of NVDM type @command.
 * Errors as ReplyError says, with the reason in *@why and the FSP's
 * error code in *@code (both may be nullptr).
 */
kernel::Result<void> check_reply(kernel::ByteView reply, u8 command, ReplyError *why, u32 *code);

/*
 * GSP_FMC_BOOT_PARAMS (r570.144's gspifpub.h, 80 bytes): where GSP-FMC
 * finds the WPR metadata and the LIBOS arguments.
 */
struct GspFmcBootParams {
	u32 regkeys; /* initParams */
	u32 pad0;
	u32 boot_target; /* bootGspRmParams */
	u32 rm_desc_size;
	u64 rm_desc_offset;
	u64 wpr_carveout_offset;
	u32 wpr_carveout_size;
	u8 is_gsp_rm_boot;
	u8 pad1[3];
	u32 rm_target; /* gspRmParams */
	u32 pad2;
	u64 boot_args_offset;
	u32 spdm_target; /* gspSpdmParams */
	u32 pad3;
	u64 spdm_payload_offset;
	u32 spdm_payload_size;
	u32 pad4;
	KERNEL_FROM_BYTES(GspFmcBootParams, 80);
};

static_assert(sizeof(GspFmcBootParams) == 80);
static_assert(__builtin_offsetof(GspFmcBootParams, boot_target) == 8);
static_assert(__builtin_offsetof(GspFmcBootParams, rm_desc_offset) == 16);
static_assert(__builtin_offsetof(GspFmcBootParams, wpr_carveout_size) == 32);
static_assert(__builtin_offsetof(GspFmcBootParams, is_gsp_rm_boot) == 36);
static_assert(__builtin_offsetof(GspFmcBootParams, rm_target) == 40);
static_assert(__builtin_offsetof(GspFmcBootParams, boot_args_offset) == 48);
static_assert(__builtin_offsetof(GspFmcBootParams, spdm_target) == 56);
static_assert(__builtin_offsetof(GspFmcBootParams, spdm_payload_offset) == 64);
static_assert(__builtin_offsetof(GspFmcBootParams, spdm_payload_size) == 72);

/* GSP_DMA_TARGET */
inline constexpr u32 DMA_TARGET_COHERENT_SYSTEM = 1;
inline constexpr u32 DMA_TARGET_NONCOHERENT_SYSTEM = 2;

/*
 * The boot parameters for the WPR metadata (256 bytes) at bus address
 * @wpr_meta and the LIBOS arguments at @libos.
 */
GspFmcBootParams fmc_boot_params(u64 wpr_meta, u64 libos);

/* Where the GSP is after the COT, read from its HWCFG2 and mailboxes. */
enum class Lockdown : u8 {
	Masked, /* the priv target mask still hides the GSP: wait */
	Held, /* GSP-FMC has not released the lockdown yet: wait */
	Released, /* MAILBOX0 0 and HWCFG2's lockdown bit clear: done */
	FmcError, /* MAILBOX0 holds an error code: stop (EIO) */
};

/*
 * The lockdown release's decision (upstream 7.2's gh100.rs): nothing is
 * read while the priv target mask is not released; a MAILBOX0 that is not
 * 0 is an error code unless MAILBOX1:MAILBOX0 still hold @boot_params (the
 * boot parameters' address, which GSP-FMC clears early); with MAILBOX0 0
 * the lockdown is released when HWCFG2.riscv_br_priv_lockdown clears.
 */
constexpr Lockdown lockdown_state(u32 hwcfg2, u32 mbox0, u32 mbox1, u64 boot_params)
{
	const falcon::Hwcfg2<falcon::Gsp> h(hwcfg2);
	if (!h.priv_target_mask_released())
		return Lockdown::Masked;
	if (mbox0 != 0)
		return (u64 { mbox1 } << 32 | mbox0) == boot_params ? Lockdown::Held
								    : Lockdown::FmcError;
	return h.riscv_br_priv_lockdown() ? Lockdown::Held : Lockdown::Released;
}

/*
 * Whether the GSP already runs (a GSP-RM left by an earlier boot that could
 * not be unloaded): HWCFG2 readable and RISCV_CPUCTL active and not
 * halted. The FSP refuses a COT then; only a GPU reset stops that GSP.
 */
constexpr bool gsp_already_running(u32 hwcfg2, u32 riscv_cpuctl)
{
	const falcon::RiscvCpuctl<falcon::Gsp> c(riscv_cpuctl);
	return falcon::Hwcfg2<falcon::Gsp>(hwcfg2).priv_target_mask_released() && c.active_stat() &&
	       !c.halted();
}

} // namespace nova::core::fsp

#endif /* NOVA_CORE_FSP_MESSAGES_H */
