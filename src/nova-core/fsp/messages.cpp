// SPDX-License-Identifier: GPL-2.0
/*
 * The FSP's messages: the COT packed byte by byte (its payload is packed,
 * so no structure stands for it), the reply checked field by field before
 * anything in it is believed.
 */
#include "fsp/messages.h"

using namespace kernel;

namespace nova::core::fsp {

namespace {

void put(u8 *p, size_t off, u64 v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[off + i] = static_cast<u8>(v >> (8 * i));
}

/* @src fits: build_cot checked every length first. */
void put_bytes(u8 *p, size_t off, ByteView src)
{
	(void)src.copy_to(0, p + off, src.len());
}

} // namespace

Result<u16> cot_version(const Chipset &chipset)
{
	switch (chipset.arch) {
	case Architecture::Hopper:
	case Architecture::BlackwellGB10x:
		return u16 { 1 };
	case Architecture::BlackwellGB20x:
		return u16 { 2 };
	case Architecture::Turing:
	case Architecture::Ampere:
	case Architecture::Ada:
		break;
	}
	return err::EOPNOTSUPP;
}

Result<void> build_cot(const CotInput &in, CotMessage *out)
{
	if (in.hash.len() != COT_HASH_SIZE || !in.public_key.len() ||
	    in.public_key.len() > COT_PUBLIC_KEY_SIZE || !in.signature.len() ||
	    in.signature.len() > COT_SIGNATURE_SIZE)
		return err::EINVAL;

	CotMessage m {};
	put(m.bytes, 0, MCTP_SINGLE_PACKET, 4);
	put(m.bytes, 4, nvdm_header(NVDM_TYPE_COT), 4);
	u8 *cot = m.bytes + MESSAGE_HEADER_SIZE;
	put(cot, CotOffsets::VERSION, in.version, 2);
	put(cot, CotOffsets::SIZE, COT_PAYLOAD_SIZE, 2);
	put(cot, CotOffsets::GSP_FMC_SYSMEM, in.fmc_image, 8);
	/* FRTS in system memory is for GPUs without VRAM: 0 here. */
	put(cot, CotOffsets::FRTS_VIDMEM, in.frts_vidmem_offset, 8);
	put(cot, CotOffsets::FRTS_VIDMEM_SIZE, in.frts_vidmem_size, 4);
	put_bytes(cot, CotOffsets::HASH, in.hash);
	put_bytes(cot, CotOffsets::PUBLIC_KEY, in.public_key);
	put_bytes(cot, CotOffsets::SIGNATURE, in.signature);
	put(cot, CotOffsets::GSP_BOOT_ARGS_SYSMEM, in.boot_params, 8);
	*out = m;
	return ok();
}

const char *reply_error_name(ReplyError e)
{
	switch (e) {
	case ReplyError::None:
		return "none";
	case ReplyError::Short:
		return "reply shorter than 20 bytes";
	case ReplyError::Oversize:
		return "reply larger than the EMEM channel";
	case ReplyError::NotOnePacket:
		return "reply not one MCTP packet";
	case ReplyError::NotAResponse:
		return "reply not an FSP response";
	case ReplyError::OtherCommand:
		return "reply to another command";
	case ReplyError::ErrorCode:
		break;
	}
	return "FSP error code";
}

Result<void> check_reply(ByteView reply, u8 command, ReplyError *why, u32 *code)
{
	ReplyError dummy;
	ReplyError &e = why ? *why : dummy;
	e = ReplyError::None;
	if (reply.len() > EMEM_CHANNEL_SIZE) {
		e = ReplyError::Oversize;
		return err::EMSGSIZE;
	}
	if (reply.len() < REPLY_HEADER_SIZE) {
		e = ReplyError::Short;
		return err::EPROTO;
	}
	const u32 mctp = reply.le32(0).value();
	const u32 nvdm = reply.le32(4).value();
	const u32 command_type = reply.le32(12).value();
	const u32 error_code = reply.le32(16).value();
	if ((mctp & MCTP_SINGLE_PACKET) != MCTP_SINGLE_PACKET) {
		e = ReplyError::NotOnePacket;
		return err::EPROTO;
	}
	if (nvdm != nvdm_header(NVDM_TYPE_FSP_RESPONSE)) {
		e = ReplyError::NotAResponse;
		return err::EPROTO;
	}
	if (command_type != command) {
		e = ReplyError::OtherCommand;
		return err::EPROTO;
	}
	if (code)
		*code = error_code;
	if (error_code != 0) {
		e = ReplyError::ErrorCode;
		return err::EIO;
	}
	return ok();
}

GspFmcBootParams fmc_boot_params(u64 wpr_meta, u64 libos)
{
	GspFmcBootParams p {};
	p.boot_target = DMA_TARGET_COHERENT_SYSTEM;
	p.rm_desc_size = 256; /* sizeof(GspFwWprMeta) */
	p.rm_desc_offset = wpr_meta;
	p.is_gsp_rm_boot = 1;
	p.rm_target = DMA_TARGET_NONCOHERENT_SYSTEM;
	p.boot_args_offset = libos;
	return p;
}

} // namespace nova::core::fsp
