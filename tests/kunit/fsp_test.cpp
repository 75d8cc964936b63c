// SPDX-License-Identifier: GPL-2.0
/*
 * kcxx_fsp: what nova-core says to the FSP of Hopper and Blackwell and
 * what it accepts back (src/nova-core/fsp/messages.h,
 * Documentation/falcon.rst, "The FSP"): the COT's every field at the
 * offset of NVIDIA's packed NVDM_PAYLOAD_COT and its version per chip;
 * GSP_FMC_BOOT_PARAMS's layout; each refusal of the reply's checks; the
 * lockdown release's decision over HWCFG2 and the GSP's mailboxes.
 */
#include <kernel/bytes.h>

#include "kunit.h"
#include "src/nova-core/fsp/messages.cpp"

using namespace kernel;
using namespace nova::core;
using namespace nova::core::fsp;

namespace {

const Chipset GH100 { 0x180, "gh100", Architecture::Hopper };
const Chipset GB100 { 0x1a0, "gb100", Architecture::BlackwellGB10x };
const Chipset GB202 { 0x1b2, "gb202", Architecture::BlackwellGB20x };
const Chipset AD102 { 0x192, "ad102", Architecture::Ada };

u64 le(const u8 *p, size_t n)
{
	u64 v = 0;
	for (size_t i = 0; i < n; i++)
		v |= u64 { p[i] } << (8 * i);
	return v;
}

/* Section bytes: @seed + index, so that a misplaced byte shows. */
template <size_t N> void fill(u8 (&a)[N], u8 seed)
{
	for (size_t i = 0; i < N; i++)
		a[i] = static_cast<u8>(seed + i);
}

/* A reply of @len bytes (at most 64) with the given fields. */
struct Reply {
	u8 bytes[64] = {};
	size_t len = REPLY_HEADER_SIZE;

	Reply(u32 mctp, u32 nvdm, u32 command, u32 error)
	{
		const u32 words[] = { mctp, nvdm, 7 /* task id */, command, error };
		for (size_t w = 0; w < 5; w++)
			for (size_t i = 0; i < 4; i++)
				bytes[4 * w + i] = static_cast<u8>(words[w] >> (8 * i));
	}
	ByteView view() const { return ByteView(bytes, len); }
};

Reply good_reply()
{
	return Reply(MCTP_SINGLE_PACKET, nvdm_header(NVDM_TYPE_FSP_RESPONSE), NVDM_TYPE_COT, 0);
}

} // namespace

TEST(fsp, cot_puts_every_field_at_its_packed_offset)
{
	/* Off the stack, as the driver's: the message alone is 868 bytes. */
	static u8 hash[48], key[384], sig[384];
	fill(hash, 0x10);
	fill(key, 0x20);
	fill(sig, 0x30);
	const CotInput in {
		.version = 1,
		.fmc_image = 0x1122334455667788ull,
		.frts_vidmem_offset = 0x200000,
		.frts_vidmem_size = 0x100000,
		.hash = ByteView(hash),
		.public_key = ByteView(key),
		.signature = ByteView(sig),
		.boot_params = 0x99aabbccddeeff00ull,
	};
	static CotMessage m;
	__builtin_memset(m.bytes, 0xee, sizeof(m.bytes));
	ASSERT(build_cot(in, &m).ok());
	EXPECT_EQ(sizeof(m.bytes), 868u);
	EXPECT_EQ(le(m.bytes, 4), 0xc0000000ull);
	EXPECT_EQ(le(m.bytes + 4, 4), 0x1410de7eull);
	const u8 *p = m.bytes + 8;
	EXPECT_EQ(le(p + 0, 2), 1u);
	EXPECT_EQ(le(p + 2, 2), 860u);
	EXPECT_EQ(le(p + 4, 8), 0x1122334455667788ull);
	EXPECT_EQ(le(p + 12, 8), 0u);
	EXPECT_EQ(le(p + 20, 4), 0u);
	EXPECT_EQ(le(p + 24, 8), 0x200000u);
	EXPECT_EQ(le(p + 32, 4), 0x100000u);
	EXPECT_EQ(p[36], 0x10);
	EXPECT_EQ(p[36 + 47], static_cast<u8>(0x10 + 47));
	EXPECT_EQ(p[84], 0x20);
	EXPECT_EQ(p[84 + 383], static_cast<u8>(0x20 + 383));
	EXPECT_EQ(p[468], 0x30);
	EXPECT_EQ(p[468 + 383], static_cast<u8>(0x30 + 383));
	EXPECT_EQ(le(p + 852, 8), 0x99aabbccddeeff00ull);
}

TEST(fsp, cot_pads_a_short_key_and_signature_with_zeroes)
{
	/* Blackwell's fmc: a 97-byte public key and a 96-byte signature. */
	static u8 hash[48], key[97], sig[96];
	fill(hash, 1);
	fill(key, 2);
	fill(sig, 3);
	const CotInput in { .version = 2,
			    .hash = ByteView(hash),
			    .public_key = ByteView(key),
			    .signature = ByteView(sig) };
	static CotMessage m;
	__builtin_memset(m.bytes, 0xee, sizeof(m.bytes));
	ASSERT(build_cot(in, &m).ok());
	const u8 *p = m.bytes + 8;
	EXPECT_EQ(le(p, 2), 2u);
	EXPECT_EQ(p[84 + 96], static_cast<u8>(2 + 96));
	for (size_t i = 97; i < 384; i++)
		EXPECT_EQ(p[84 + i], 0);
	EXPECT_EQ(p[468 + 95], static_cast<u8>(3 + 95));
	for (size_t i = 96; i < 384; i++)
		EXPECT_EQ(p[468 + i], 0);
}

TEST(fsp, cot_version_per_chip)
{
	EXPECT_EQ(cot_version(GH100).value(), 1);
	EXPECT_EQ(cot_version(GB100).value(), 1);
	EXPECT_EQ(cot_version(GB202).value(), 2);
	EXPECT_ERR(cot_version(AD102), err::EOPNOTSUPP);
}

TEST(fsp, cot_refuses_sections_that_do_not_fit_and_writes_nothing)
{
	static u8 hash[49], key[385], sig[385];
	fill(hash, 1);
	fill(key, 2);
	fill(sig, 3);
	const ByteView h48 = ByteView(hash).prefix(48), k = ByteView(key).prefix(384),
		       s = ByteView(sig).prefix(384);
	const CotInput bad[] = {
		{ .hash = ByteView(hash).prefix(47), .public_key = k, .signature = s },
		{ .hash = ByteView(hash), .public_key = k, .signature = s },
		{ .hash = h48, .public_key = ByteView(key), .signature = s },
		{ .hash = h48, .public_key = ByteView(), .signature = s },
		{ .hash = h48, .public_key = k, .signature = ByteView(sig) },
		{ .hash = h48, .public_key = k, .signature = ByteView() },
	};
	static CotMessage m;
	for (const CotInput &in : bad) {
		__builtin_memset(m.bytes, 0xee, sizeof(m.bytes));
		EXPECT_ERR(build_cot(in, &m), err::EINVAL);
		EXPECT_EQ(m.bytes[0], 0xee);
		EXPECT_EQ(m.bytes[867], 0xee);
	}
	const CotInput fits { .hash = h48, .public_key = k, .signature = s };
	EXPECT(build_cot(fits, &m).ok());
}

TEST(fsp, fmc_boot_params_are_80_bytes_in_r570s_layout)
{
	const GspFmcBootParams p = fmc_boot_params(0x123456789000ull, 0xabcdef000ull);
	u8 b[80];
	__builtin_memcpy(b, &p, sizeof(b));
	EXPECT_EQ(sizeof(p), 80u);
	EXPECT_EQ(le(b + 0, 4), 0u); /* regkeys */
	EXPECT_EQ(le(b + 8, 4), 1u); /* COHERENT_SYSTEM */
	EXPECT_EQ(le(b + 12, 4), 256u);
	EXPECT_EQ(le(b + 16, 8), 0x123456789000ull);
	EXPECT_EQ(le(b + 24, 8), 0u);
	EXPECT_EQ(le(b + 32, 4), 0u);
	EXPECT_EQ(b[36], 1); /* bIsGspRmBoot */
	EXPECT_EQ(le(b + 37, 3), 0u);
	EXPECT_EQ(le(b + 40, 4), 2u); /* NONCOHERENT_SYSTEM */
	EXPECT_EQ(le(b + 48, 8), 0xabcdef000ull);
	for (size_t i = 56; i < 80; i++)
		EXPECT_EQ(b[i], 0);
}

TEST(fsp, every_check_of_the_reply_refuses_with_its_own_reason)
{
	ReplyError why;
	u32 code = 0;

	Reply ok_reply = good_reply();
	EXPECT(check_reply(ok_reply.view(), NVDM_TYPE_COT, &why, &code).ok());
	EXPECT(why == ReplyError::None);
	/* A longer reply is accepted: only the first 20 bytes are read. */
	ok_reply.len = 64;
	EXPECT(check_reply(ok_reply.view(), NVDM_TYPE_COT, &why, nullptr).ok());

	Reply r = good_reply();
	r.len = 19;
	EXPECT_ERR(check_reply(r.view(), NVDM_TYPE_COT, &why, &code), err::EPROTO);
	EXPECT(why == ReplyError::Short);
	EXPECT_ERR(check_reply(ByteView(), NVDM_TYPE_COT, &why, &code), err::EPROTO);
	EXPECT(why == ReplyError::Short);

	static u8 big[EMEM_CHANNEL_SIZE + 4];
	__builtin_memcpy(big, good_reply().bytes, REPLY_HEADER_SIZE);
	EXPECT_ERR(check_reply(ByteView(big), NVDM_TYPE_COT, &why, &code), err::EMSGSIZE);
	EXPECT(why == ReplyError::Oversize);
	EXPECT(check_reply(ByteView(big).prefix(EMEM_CHANNEL_SIZE), NVDM_TYPE_COT, &why, &code)
		       .ok());

	const u32 nvdm = nvdm_header(NVDM_TYPE_FSP_RESPONSE);
	r = Reply(MCTP_SOM, nvdm, NVDM_TYPE_COT, 0);
	EXPECT_ERR(check_reply(r.view(), NVDM_TYPE_COT, &why, &code), err::EPROTO);
	EXPECT(why == ReplyError::NotOnePacket);
	r = Reply(MCTP_EOM, nvdm, NVDM_TYPE_COT, 0);
	EXPECT_ERR(check_reply(r.view(), NVDM_TYPE_COT, &why, &code), err::EPROTO);
	EXPECT(why == ReplyError::NotOnePacket);

	const u32 wrong_nvdm[] = {
		nvdm_header(NVDM_TYPE_COT), /* our own message echoed */
		nvdm & ~0x7fu, /* not a vendor-defined MCTP message */
		(nvdm & ~0xffff00u) | 0x1234u << 8, /* another vendor */
	};
	for (u32 h : wrong_nvdm) {
		r = Reply(MCTP_SINGLE_PACKET, h, NVDM_TYPE_COT, 0);
		EXPECT_ERR(check_reply(r.view(), NVDM_TYPE_COT, &why, &code), err::EPROTO);
		EXPECT(why == ReplyError::NotAResponse);
	}

	r = Reply(MCTP_SINGLE_PACKET, nvdm, 0x13, 0);
	EXPECT_ERR(check_reply(r.view(), NVDM_TYPE_COT, &why, &code), err::EPROTO);
	EXPECT(why == ReplyError::OtherCommand);
	r = Reply(MCTP_SINGLE_PACKET, nvdm, 0x114, 0);
	EXPECT_ERR(check_reply(r.view(), NVDM_TYPE_COT, &why, &code), err::EPROTO);
	EXPECT(why == ReplyError::OtherCommand);

	r = Reply(MCTP_SINGLE_PACKET, nvdm, NVDM_TYPE_COT, 0x2a);
	EXPECT_ERR(check_reply(r.view(), NVDM_TYPE_COT, &why, &code), err::EIO);
	EXPECT(why == ReplyError::ErrorCode);
	EXPECT_EQ(code, 0x2au);

	/* Every reason has a name of its own. */
	const ReplyError all[] = { ReplyError::Short,	     ReplyError::Oversize,
				   ReplyError::NotOnePacket, ReplyError::NotAResponse,
				   ReplyError::OtherCommand, ReplyError::ErrorCode };
	for (size_t i = 0; i < 6; i++)
		for (size_t j = i + 1; j < 6; j++)
			EXPECT(!kcxx::kunit::streq(reply_error_name(all[i]),
						   reply_error_name(all[j])));
}

TEST(fsp, lockdown_release_decision_over_hwcfg2_and_the_mailboxes)
{
	constexpr u32 LOCKDOWN = 1u << 13;
	constexpr u32 HWCFG2 = 0x400; /* riscv, nothing else */
	constexpr u64 PARAMS = 0x0000001234567000ull;

	/* The priv target mask: 0 and 0xbadf41xx hide the GSP. */
	EXPECT(lockdown_state(0, 0, 0, PARAMS) == Lockdown::Masked);
	EXPECT(lockdown_state(0xbadf4100, 0, 0, PARAMS) == Lockdown::Masked);
	EXPECT(lockdown_state(0xbadf41ff, 0x5, 0, PARAMS) == Lockdown::Masked);
	/* MAILBOX1:MAILBOX0 still the parameters' address: GSP-FMC not done. */
	EXPECT(lockdown_state(HWCFG2, 0x34567000, 0x12, PARAMS) == Lockdown::Held);
	EXPECT(lockdown_state(HWCFG2 | LOCKDOWN, 0x34567000, 0x12, PARAMS) == Lockdown::Held);
	/* Anything else in MAILBOX0 is GSP-FMC's error code, lockdown or not. */
	EXPECT(lockdown_state(HWCFG2, 0x34567000, 0x13, PARAMS) == Lockdown::FmcError);
	EXPECT(lockdown_state(HWCFG2 | LOCKDOWN, 0xbad25, 0, PARAMS) == Lockdown::FmcError);
	/* MAILBOX0 0: released when the lockdown bit clears, whatever MAILBOX1. */
	EXPECT(lockdown_state(HWCFG2 | LOCKDOWN, 0, 0, PARAMS) == Lockdown::Held);
	EXPECT(lockdown_state(HWCFG2, 0, 0, PARAMS) == Lockdown::Released);
	EXPECT(lockdown_state(HWCFG2, 0, 0x12, PARAMS) == Lockdown::Released);
}

TEST(fsp, a_gsp_already_running_is_told_from_hwcfg2_and_riscv_cpuctl)
{
	constexpr u32 HWCFG2 = 0x400, ACTIVE = 1u << 7, HALTED = 1u << 4;

	EXPECT(gsp_already_running(HWCFG2, ACTIVE));
	EXPECT(!gsp_already_running(HWCFG2, 0));
	EXPECT(!gsp_already_running(HWCFG2, ACTIVE | HALTED));
	EXPECT(!gsp_already_running(HWCFG2, HALTED));
	/* Behind the priv target mask nothing read means anything. */
	EXPECT(!gsp_already_running(0xbadf4100, ACTIVE));
	EXPECT(!gsp_already_running(0, ACTIVE));
}
