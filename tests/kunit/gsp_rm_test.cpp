// SPDX-License-Identifier: GPL-2.0
/*
 * kcxx_gsp_rm: what the driver does with GSP-RM's messages
 * (src/nova-core/gsp/cmdq.h, sequencer.h, Documentation/gsp-msgq.rst):
 * how a wait treats awaited messages, events, replies and unknown
 * functions; the CPU sequencer's executor on a register space of its own;
 * GSP_SET_SYSTEM_INFO's layout; the GPU name's check in the static info;
 * upstream's registry packed to r570's bytes.
 */
#include <kernel/alloc.h>
#include <kernel/bytes.h>

#include "kunit.h"
#include "src/nova-core/gsp/cmdq.cpp"
#include "src/nova-core/gsp/sequencer.h"

using namespace kernel;
using namespace nova::core;
using namespace nova::core::gsp;

namespace {

/* A GPU of 64 registers for the sequencer: BAR0 offsets 0..0xfc. */
struct FakeGpu {
	u32 regs[64] = {};
	u32 poll_reads = 0; /* of 0x10, which reads 0x5 from the third read on */
	u32 delayed = 0;
	char cores[8] = {}; /* R(eset) S(tart) H(alt) U (resume), in order */
	u32 ncores = 0;
	Error resume_error = err::EIO;
	bool resume_fails = false;

	Result<u32> read32(u32 addr)
	{
		if (addr >= sizeof(regs) || addr % 4)
			return err::EINVAL;
		if (addr == 0x10)
			return ++poll_reads >= 3 ? 0x5u : 0u;
		return regs[addr / 4];
	}
	Result<void> write32(u32 addr, u32 v)
	{
		if (addr >= sizeof(regs) || addr % 4)
			return err::EINVAL;
		regs[addr / 4] = v;
		return ok();
	}
	void delay_us(u32 us) { delayed += us; }
	Result<void> core(char c)
	{
		if (ncores < sizeof(cores) - 1)
			cores[ncores++] = c;
		return ok();
	}
	Result<void> core_reset() { return core('R'); }
	Result<void> core_start() { return core('S'); }
	Result<void> core_wait_for_halt() { return core('H'); }
	Result<void> core_resume()
	{
		if (resume_fails)
			return resume_error;
		return core('U');
	}
};

/* A sequencer payload of @words command words (cmdIndex = @words). */
struct SeqPayload {
	KVec<u8> bytes;
	u32 words = 0;
	bool add(u32 w)
	{
		if (!bytes.len() && !bytes.resize(SEQ_HEADER_SIZE, gfp::KERNEL).ok())
			return false;
		const size_t at = bytes.len();
		if (!bytes.resize(at + 4, gfp::KERNEL).ok())
			return false;
		for (int i = 0; i < 4; i++)
			bytes.begin()[at + i] = static_cast<u8>(w >> (8 * i));
		words++;
		for (int i = 0; i < 4; i++) {
			bytes.begin()[i] = static_cast<u8>(words >> (8 * i)); /* bufferSizeDWord */
			bytes.begin()[4 + i] = static_cast<u8>(words >> (8 * i)); /* cmdIndex */
		}
		return true;
	}
	template <typename... W> bool cmd(SeqOp op, W... args)
	{
		bool ok = add(static_cast<u32>(op));
		((ok = ok && add(args)), ...);
		return ok;
	}
};

u32 le32_at(const u8 *p, size_t at)
{
	return ByteView(p + at, 4).le32(0).value();
}

} // namespace

TEST(gsp_rm, a_wait_returns_the_awaited_and_drops_events_replies_and_unknowns)
{
	QueueCounts c {};
	EXPECT_EQ(classify(fn::GSP_INIT_DONE, fn::GSP_RUN_CPU_SEQUENCER, fn::GSP_INIT_DONE, c),
		  Disposition::Awaited);
	EXPECT_EQ(classify(fn::OS_ERROR_LOG, fn::GSP_INIT_DONE, fn::GSP_INIT_DONE, c),
		  Disposition::Event);
	EXPECT_EQ(classify(fn::GSP_LOCKDOWN_NOTICE, fn::GSP_INIT_DONE, fn::GSP_INIT_DONE, c),
		  Disposition::Event);
	/* The reply to a command sent without waiting. */
	EXPECT_EQ(classify(fn::SET_REGISTRY, fn::GSP_INIT_DONE, fn::GSP_INIT_DONE, c),
		  Disposition::Reply);
	/* RG_LINE_INTR (4103) is r570's but not in the table: dropped, counted. */
	EXPECT_EQ(classify(4103, fn::GSP_INIT_DONE, fn::GSP_INIT_DONE, c), Disposition::Unknown);
	EXPECT_EQ(classify(0xffffffff, fn::GSP_INIT_DONE, fn::GSP_INIT_DONE, c),
		  Disposition::Unknown);
	EXPECT_EQ(c.unknown, 2u);
	EXPECT_EQ(c.received[function_index(fn::GSP_INIT_DONE)], 1u);
	EXPECT_EQ(c.received[function_index(fn::OS_ERROR_LOG)], 1u);
	EXPECT_EQ(c.received[function_index(fn::SET_REGISTRY)], 1u);
	EXPECT_EQ(function_index(4103), KNOWN_FUNCTIONS);
	EXPECT(__builtin_strcmp(function_name(fn::GSP_RUN_CPU_SEQUENCER),
				"GSP_RUN_CPU_SEQUENCER") == 0);
	EXPECT(__builtin_strcmp(function_name(4103), "unknown") == 0);
}

TEST(gsp_rm, the_sequencer_runs_every_opcode_in_order)
{
	FakeGpu gpu;
	gpu.regs[0x20 / 4] = 0xff00ff00;
	gpu.regs[0x30 / 4] = 0x1234;
	SeqPayload p;
	ASSERT(p.cmd(SeqOp::RegWrite, 0x04u, 0xabcdu));
	ASSERT(p.cmd(SeqOp::RegModify, 0x20u, 0x0000ff00u, 0x00000011u));
	ASSERT(p.cmd(SeqOp::RegPoll, 0x10u, 0x7u, 0x5u, 100000u, 0xdeadu));
	ASSERT(p.cmd(SeqOp::DelayUs, 7u));
	ASSERT(p.cmd(SeqOp::RegStore, 0x30u, 3u));
	ASSERT(p.cmd(SeqOp::CoreReset));
	ASSERT(p.cmd(SeqOp::CoreStart));
	ASSERT(p.cmd(SeqOp::CoreWaitForHalt));
	ASSERT(p.cmd(SeqOp::CoreResume));
	KVec<SeqCommand> cmds;
	ASSERT(parse_sequencer(ByteView(p.bytes), cmds).ok());
	ASSERT_EQ(cmds.len(), 9u);

	u32 save[SEQ_REG_SAVE_SLOTS] = {};
	SeqFailure failed {};
	ASSERT(run_sequencer(gpu, cmds, save, &failed).ok());
	EXPECT_EQ(gpu.regs[0x04 / 4], 0xabcdu);
	EXPECT_EQ(gpu.regs[0x20 / 4], 0xff000011u); /* (0xff00ff00 & ~0xff00) | 0x11 */
	EXPECT(gpu.poll_reads >= 3u);
	EXPECT_EQ(gpu.delayed, 7u);
	EXPECT_EQ(save[3], 0x1234u);
	EXPECT(__builtin_strcmp(gpu.cores, "RSHU") == 0);
}

TEST(gsp_rm, a_failing_sequencer_command_stops_the_run_and_is_named)
{
	/* REG_POLL that never matches: ETIMEDOUT after its own (short) timeout. */
	{
		FakeGpu gpu;
		KVec<SeqCommand> cmds;
		ASSERT(cmds.push(SeqCommand { SeqOp::RegPoll, { 0x08, 0x1, 0x1, 200, 0x77 } },
				 gfp::KERNEL)
			       .ok());
		ASSERT(cmds.push(SeqCommand { SeqOp::RegWrite, { 0x04, 1 } }, gfp::KERNEL).ok());
		u32 save[SEQ_REG_SAVE_SLOTS] = {};
		SeqFailure failed {};
		ASSERT_ERR(run_sequencer(gpu, cmds, save, &failed), err::ETIMEDOUT);
		EXPECT_EQ(failed.index, 0u);
		EXPECT_EQ(failed.command.args[4], 0x77u);
		EXPECT_EQ(gpu.regs[1], 0u); /* nothing after it ran */
	}
	/* An address outside the registers; a DELAY_US past 1 s; a failing resume. */
	{
		FakeGpu gpu;
		KVec<SeqCommand> cmds;
		ASSERT(cmds.push(SeqCommand { SeqOp::RegWrite, { 0x04, 1 } }, gfp::KERNEL).ok());
		ASSERT(cmds.push(SeqCommand { SeqOp::RegModify, { 0x1000, 1, 1 } }, gfp::KERNEL)
			       .ok());
		u32 save[SEQ_REG_SAVE_SLOTS] = {};
		SeqFailure failed {};
		ASSERT_ERR(run_sequencer(gpu, cmds, save, &failed), err::EINVAL);
		EXPECT_EQ(failed.index, 1u);
		EXPECT_EQ(gpu.regs[1], 1u);
	}
	{
		FakeGpu gpu;
		KVec<SeqCommand> cmds;
		ASSERT(cmds.push(SeqCommand { SeqOp::DelayUs, { SEQ_DELAY_MAX_US + 1 } },
				 gfp::KERNEL)
			       .ok());
		u32 save[SEQ_REG_SAVE_SLOTS] = {};
		ASSERT_ERR(run_sequencer(gpu, cmds, save, nullptr), err::EINVAL);
		EXPECT_EQ(gpu.delayed, 0u);
	}
	{
		FakeGpu gpu;
		gpu.resume_fails = true;
		KVec<SeqCommand> cmds;
		ASSERT(cmds.push(SeqCommand { SeqOp::CoreReset, {} }, gfp::KERNEL).ok());
		ASSERT(cmds.push(SeqCommand { SeqOp::CoreResume, {} }, gfp::KERNEL).ok());
		ASSERT(cmds.push(SeqCommand { SeqOp::CoreStart, {} }, gfp::KERNEL).ok());
		u32 save[SEQ_REG_SAVE_SLOTS] = {};
		SeqFailure failed {};
		ASSERT_ERR(run_sequencer(gpu, cmds, save, &failed), err::EIO);
		EXPECT_EQ(failed.index, 1u);
		EXPECT(__builtin_strcmp(gpu.cores, "R") == 0);
	}
}

TEST(gsp_rm, system_info_puts_each_field_where_r570_reads_it)
{
	const SystemInfoInput in {
		.bar0 = 0xf0000000,
		.fb = 0x7000000000ull,
		.inst = 0x7800000000ull,
		.bus_devfn = 0x0108,
		.vendor = 0x10de,
		.device = 0x2684,
		.subsystem_vendor = 0x1043,
		.subsystem_device = 0x889d,
		.revision = 0xa1,
	};
	u8 out[SYSTEM_INFO_SIZE];
	__builtin_memset(out, 0xee, sizeof(out));
	build_system_info(in, out);
	EXPECT_EQ(le32_at(out, 0), 0xf0000000u);
	EXPECT_EQ(le32_at(out, 4), 0u);
	EXPECT_EQ(le32_at(out, 8), 0x00000000u);
	EXPECT_EQ(le32_at(out, 12), 0x70u);
	EXPECT_EQ(le32_at(out, 20), 0x78u);
	EXPECT_EQ(le32_at(out, 24), 0u); /* gpuPhysIoAddr */
	EXPECT_EQ(le32_at(out, 32), 0x0108u);
	EXPECT_EQ(le32_at(out, 72), 0xfffff000u);
	EXPECT_EQ(le32_at(out, 76), 0x7fffu);
	EXPECT_EQ(le32_at(out, 80), 0x88000u);
	EXPECT_EQ(le32_at(out, 84), 0x1000u);
	EXPECT_EQ(le32_at(out, 88), 0x268410deu);
	EXPECT_EQ(le32_at(out, 92), 0x889d1043u);
	EXPECT_EQ(le32_at(out, 96), 0xa1u);
	/* Everything else zero, to the last byte. */
	for (size_t at = 100; at < SYSTEM_INFO_SIZE; at++)
		if (out[at]) {
			EXPECT_EQ(at, 0u);
			break;
		}

	/* Hopper and Blackwell mirror the PCI configuration elsewhere in BAR0. */
	SystemInfoInput hopper = in;
	hopper.config_mirror = PCI_CONFIG_MIRROR_BASE_GH100;
	build_system_info(hopper, out);
	EXPECT_EQ(le32_at(out, 80), 0x92000u);
	EXPECT_EQ(le32_at(out, 84), 0x1000u);
}

TEST(gsp_rm, the_gpu_name_must_be_terminated_inside_its_field)
{
	KVec<u8> info;
	ASSERT(info.resize(STATIC_INFO_SIZE, gfp::KERNEL).ok());
	const char name[] = "NVIDIA GeForce RTX 4090";
	__builtin_memcpy(info.begin() + STATIC_INFO_NAME, name, sizeof(name));
	char out[GPU_NAME_SIZE] = "old";
	ASSERT(static_info_name(ByteView(info), out).ok());
	EXPECT(__builtin_strcmp(out, name) == 0);

	/* 64 bytes without a NUL: refused, nothing copied. */
	__builtin_memset(info.begin() + STATIC_INFO_NAME, 'A', GPU_NAME_SIZE);
	char kept[GPU_NAME_SIZE] = "old";
	ASSERT_ERR(static_info_name(ByteView(info), kept), err::EPROTO);
	EXPECT(__builtin_strcmp(kept, "old") == 0);
	/* The NUL in the field's last byte is enough. */
	info.begin()[STATIC_INFO_NAME + GPU_NAME_SIZE - 1] = 0;
	ASSERT(static_info_name(ByteView(info), out).ok());
	EXPECT_EQ(__builtin_strlen(out), GPU_NAME_SIZE - 1);
	/* A reply shorter than the structure. */
	ASSERT_ERR(static_info_name(ByteView(info).prefix(STATIC_INFO_SIZE - 1), kept),
		   err::EPROTO);
	ASSERT_ERR(static_info_name(ByteView(), kept), err::EPROTO);
}

TEST(gsp_rm, upstreams_registry_is_117_bytes_as_openrm_packs_it)
{
	auto t = pack_registry(REGISTRY_ENTRIES,
			       sizeof(REGISTRY_ENTRIES) / sizeof(REGISTRY_ENTRIES[0]));
	ASSERT(t.ok());
	const ByteView v(*t);
	ASSERT_EQ(v.len(), 117u);
	EXPECT_EQ(v.le32(0).value(), 117u); /* size: the whole table */
	EXPECT_EQ(v.le32(4).value(), 3u);
	EXPECT_EQ(v.le32(8).value(), 56u);
	EXPECT_EQ(v.le32(8 + 16).value(), 76u);
	EXPECT_EQ(v.le32(8 + 32).value(), 98u);
	for (u32 i = 0; i < 3; i++) {
		EXPECT_EQ(*v.u8_at(8 + 16 * i + 4), 1u); /* DWORD */
		EXPECT_EQ(v.le32(8 + 16 * i + 8).value(), 1u);
		EXPECT_EQ(v.le32(8 + 16 * i + 12).value(), 4u);
	}
	EXPECT(v.matches(98, "RMDevidCheckIgnore"));
	EXPECT_EQ(*v.u8_at(116), 0u);
}
