// SPDX-License-Identifier: GPL-2.0
/*
 * kcxx_falcon: the planning of the falcon stage (src/nova-core/falcon/,
 * Documentation/falcon.rst): the registers of each engine at their
 * absolute offsets, the DMA and PIO load plans (chunks, offsets, tags,
 * control values and every bound with its errno), the boot ROM's
 * parameters of FWSEC and Booter per HAL, and the HAL of every chipset.
 * All of it is data: nothing here touches a GPU.
 */
#include <kernel/bytes.h>

#include "kunit.h"
/*
 * The falcon planning itself, in this object (nova_core owns its objects;
 * see vbios_test.cpp). find_chipset() is fb_layout_test.o's gpu.cpp,
 * FalconUcodeDesc::parse() vbios_test.o's, chip_firmware() firmware_test.o's.
 */
#include "src/nova-core/falcon/brom.cpp"
#include "src/nova-core/falcon/hal.cpp"
#include "src/nova-core/falcon/load.cpp"
#include "src/nova-core/firmware/gen_bootloader.cpp"

using namespace kernel;
using namespace nova::core;
using namespace nova::core::falcon;

namespace {

/* A DMA address with bits above 40 set, 256-aligned, below 2^49. */
constexpr u64 IMAGE_DMA = 0x123456789ab00;

constexpr u32 KiB = 1024;

/* A Booter-like image: secure IMEM from 0x100, DMEM from 0x2000. */
FirmwareLoad booter_like()
{
	FirmwareLoad l {};
	l.image_len = 0x3000;
	l.imem_sec = LoadTarget { 0x100, 0, 0x1234 };
	l.dmem = LoadTarget { 0x2000, 0, 0x300 };
	l.boot_addr = 0x100;
	return l;
}

/* The V3 descriptor of a GA102+ FWSEC, through the VBIOS parser. */
Result<FalconUcodeDesc> v3_desc(u32 pkc_data_offset, u16 engine_id_mask, u8 ucode_id)
{
	FalconUcodeDescV3 d {};
	d.hdr = 0x1 | 3 << 8 | u32 { sizeof(FalconUcodeDescV3) } << 16;
	d.pkc_data_offset = pkc_data_offset;
	d.engine_id_mask = engine_id_mask;
	d.ucode_id = ucode_id;
	u8 bytes[sizeof(FalconUcodeDescV3)];
	__builtin_memcpy(bytes, &d, sizeof(d));
	const char *problem = nullptr;
	return FalconUcodeDesc::parse(ByteView(bytes), &problem);
}

Result<FalconUcodeDesc> v2_desc(FalconUcodeDescV2 d = {})
{
	d.hdr = 0x1 | 2 << 8 | u32 { sizeof(FalconUcodeDescV2) } << 16;
	u8 bytes[sizeof(FalconUcodeDescV2)];
	__builtin_memcpy(bytes, &d, sizeof(d));
	const char *problem = nullptr;
	return FalconUcodeDesc::parse(ByteView(bytes), &problem);
}

/* booter_load's headers as 570.144 has them on GA102: SEC2, ucode id 3. */
fw::HsFirmware booter_hs(u32 patch_loc, u32 os_data_offset)
{
	fw::HsFirmware hs {};
	hs.patch_loc = patch_loc;
	hs.load.os_data_offset = os_data_offset;
	hs.params.engine_id_mask = 0x0001;
	hs.params.ucode_id = 3;
	hs.params.fuse_ver = 1;
	return hs;
}

struct ChipHal {
	u32 chipset;
	FalconHal hal;
};

/* The chipsets of the design brief's table, and their HAL. */
constexpr ChipHal CHIP_HALS[] = {
	{ 0x162, FalconHal::Tu102 }, { 0x164, FalconHal::Tu102 }, { 0x166, FalconHal::Tu102 },
	{ 0x167, FalconHal::Tu102 }, { 0x168, FalconHal::Tu102 }, { 0x170, FalconHal::Tu102 },
	{ 0x172, FalconHal::Ga102 }, { 0x173, FalconHal::Ga102 }, { 0x174, FalconHal::Ga102 },
	{ 0x176, FalconHal::Ga102 }, { 0x177, FalconHal::Ga102 }, { 0x180, FalconHal::Ga102 },
	{ 0x192, FalconHal::Ga102 }, { 0x193, FalconHal::Ga102 }, { 0x194, FalconHal::Ga102 },
	{ 0x196, FalconHal::Ga102 }, { 0x197, FalconHal::Ga102 }, { 0x1a0, FalconHal::Ga102 },
	{ 0x1a2, FalconHal::Ga102 }, { 0x1b2, FalconHal::Ga102 }, { 0x1b3, FalconHal::Ga102 },
	{ 0x1b5, FalconHal::Ga102 }, { 0x1b6, FalconHal::Ga102 }, { 0x1b7, FalconHal::Ga102 },
};

/* Offsets are compile-time facts: a wrong one fails the build as well. */
static_assert(Mailbox0<Gsp>::OFFSET == 0x110040);
static_assert(Cpuctl<Sec2>::OFFSET == 0x840100);
static_assert(RiscvCpuctl<Gsp>::OFFSET == 0x111388);
static_assert(Ememc<Fsp>::OFFSET == 0x8f2ac0);
static_assert(Dmatrfcmd<Gsp>::transfer_256(FalconMem::ImemSecure).raw() == 0x614);
static_assert(Dmatrfcmd<Gsp>::transfer_256(FalconMem::Dmem).raw() == 0x600);

/* EMEM is FSP's only. */
template <typename E>
concept HasEmem = requires
{
	Ememc<E>::OFFSET;
};
static_assert(HasEmem<Fsp> && !HasEmem<Gsp> && !HasEmem<Sec2>);

} // namespace

TEST(falcon, registers_of_each_engine_at_their_absolute_offsets)
{
	/* GSP */
	EXPECT_EQ(Mailbox0<Gsp>::OFFSET, 0x110040u);
	EXPECT_EQ(Mailbox1<Gsp>::OFFSET, 0x110044u);
	EXPECT_EQ(Os<Gsp>::OFFSET, 0x110080u);
	EXPECT_EQ(Rm<Gsp>::OFFSET, 0x110084u);
	EXPECT_EQ(Hwcfg2<Gsp>::OFFSET, 0x1100f4u);
	EXPECT_EQ(Cpuctl<Gsp>::OFFSET, 0x110100u);
	EXPECT_EQ(Bootvec<Gsp>::OFFSET, 0x110104u);
	EXPECT_EQ(Dmatrfbase1<Gsp>::OFFSET, 0x110128u);
	EXPECT_EQ(Engine<Gsp>::OFFSET, 0x1103c0u);
	EXPECT_EQ(RiscvCoreSwitchStatus<Gsp>::OFFSET, 0x111240u);
	EXPECT_EQ(RiscvCpuctl<Gsp>::OFFSET, 0x111388u);
	EXPECT_EQ(RiscvBcrCtrl<Gsp>::OFFSET, 0x111668u);
	/* SEC2 */
	EXPECT_EQ(Irqsclr<Sec2>::OFFSET, 0x840004u);
	EXPECT_EQ(Cpuctl<Sec2>::OFFSET, 0x840100u);
	EXPECT_EQ(Dmactl<Sec2>::OFFSET, 0x84010cu);
	EXPECT_EQ(Dmatrfbase<Sec2>::OFFSET, 0x840110u);
	EXPECT_EQ(Dmatrfmoffs<Sec2>::OFFSET, 0x840114u);
	EXPECT_EQ(Dmatrfcmd<Sec2>::OFFSET, 0x840118u);
	EXPECT_EQ(Dmatrffboffs<Sec2>::OFFSET, 0x84011cu);
	EXPECT_EQ(Hwcfg1<Sec2>::OFFSET, 0x84012cu);
	EXPECT_EQ(CpuctlAlias<Sec2>::OFFSET, 0x840130u);
	EXPECT_EQ(FbifTranscfg<Sec2>::OFFSET, 0x840600u);
	EXPECT_EQ((FbifTranscfg<Sec2, 7>::OFFSET), 0x84061cu);
	EXPECT_EQ(FbifCtl<Sec2>::OFFSET, 0x840624u);
	EXPECT_EQ(ModSel<Sec2>::OFFSET, 0x841180u);
	EXPECT_EQ(BromCurrUcodeId<Sec2>::OFFSET, 0x841198u);
	EXPECT_EQ(BromEngidmask<Sec2>::OFFSET, 0x84119cu);
	EXPECT_EQ(BromParaaddr0<Sec2>::OFFSET, 0x841210u);
	/* FSP */
	EXPECT_EQ(Mailbox0<Fsp>::OFFSET, 0x8f2040u);
	EXPECT_EQ(Ememc<Fsp>::OFFSET, 0x8f2ac0u);
	EXPECT_EQ(Ememd<Fsp>::OFFSET, 0x8f2ac4u);
	EXPECT_EQ(RiscvCpuctl<Fsp>::OFFSET, 0x8f3388u);
	/* The PIO ports: IMEM 16 bytes apart, DMEM 8. */
	EXPECT_EQ(Imemc<Gsp>::OFFSET, 0x110180u);
	EXPECT_EQ(Imemd<Gsp>::OFFSET, 0x110184u);
	EXPECT_EQ(Imemt<Gsp>::OFFSET, 0x110188u);
	EXPECT_EQ((Imemc<Gsp, 3>::OFFSET), 0x1101b0u);
	EXPECT_EQ(Dmemc<Sec2>::OFFSET, 0x8401c0u);
	EXPECT_EQ(Dmemd<Sec2>::OFFSET, 0x8401c4u);
	EXPECT_EQ((Dmemc<Sec2, 1>::OFFSET), 0x8401c8u);
	/* Every engine's windows, through one register of each. */
	EXPECT_EQ(Bootvec<Sec2>::OFFSET - Bootvec<Gsp>::OFFSET, 0x840000u - 0x110000u);
	EXPECT_EQ(ModSel<Fsp>::OFFSET, 0x8f3180u);
	EXPECT_EQ(ModSel<Gsp>::RELATIVE, 0x180u);
}

TEST(falcon, register_fields_at_their_bits)
{
	EXPECT_EQ(Irqsclr<Gsp>().set_swgen0(1).raw(), 0x40u);
	EXPECT_EQ(Irqsclr<Gsp>().set_halt(1).raw(), 0x10u);
	EXPECT_EQ(Cpuctl<Gsp>().set_startcpu(1).raw(), 0x2u);
	EXPECT_EQ(CpuctlAlias<Gsp>().set_startcpu(1).raw(), 0x2u);
	EXPECT(Cpuctl<Gsp>(0x10).halted());
	EXPECT(Cpuctl<Gsp>(0x40).alias_en());

	/* Scrubbing: HWCFG2 bit 12 (GA102 HAL), DMACTL bits 1 and 2 (TU102 HAL). */
	EXPECT(!Hwcfg2<Gsp>(0x1000).mem_scrubbing_done());
	EXPECT(Hwcfg2<Gsp>(0xffffefff).mem_scrubbing_done());
	EXPECT(Hwcfg2<Gsp>(0x400).riscv());
	EXPECT(Hwcfg2<Gsp>(0x2000).riscv_br_priv_lockdown());
	EXPECT(Hwcfg2<Gsp>(0x80000000).reset_ready());
	EXPECT(!Dmactl<Gsp>(0x2).mem_scrubbing_done());
	EXPECT(!Dmactl<Gsp>(0x4).mem_scrubbing_done());
	EXPECT(Dmactl<Gsp>(0xf9).mem_scrubbing_done());

	/* The priv target mask: zero and 0xbadf41xx still hide the register. */
	EXPECT(!Hwcfg2<Gsp>(0).priv_target_mask_released());
	EXPECT(!Hwcfg2<Gsp>(0xbadf4100).priv_target_mask_released());
	EXPECT(!Hwcfg2<Gsp>(0xbadf41ff).priv_target_mask_released());
	EXPECT(Hwcfg2<Gsp>(0xbadf4200).priv_target_mask_released());
	EXPECT(Hwcfg2<Gsp>(0x1).priv_target_mask_released());

	/* HWCFG1: revisions 1..7, security models 0, 2, 3. */
	EXPECT(!Hwcfg1<Gsp>(0x0).core_rev_known());
	EXPECT(Hwcfg1<Gsp>(0x1).core_rev_known());
	EXPECT(Hwcfg1<Gsp>(0x7).core_rev_known());
	EXPECT(!Hwcfg1<Gsp>(0x8).core_rev_known());
	EXPECT(!Hwcfg1<Gsp>(0x10).security_model_known());
	EXPECT(Hwcfg1<Gsp>(0x30).security_model_known());
	EXPECT_EQ(Hwcfg1<Gsp>(0xc0).core_rev_subversion(), 3u);

	/* DMA: base 39:8 and 48:40, falcon offset 24 bits. */
	EXPECT_EQ(Dmatrfbase1<Gsp>().set_base(0xfff).raw(), 0x1ffu);
	EXPECT_EQ(Dmatrfmoffs<Gsp>().set_offs(0xffffffff).raw(), 0xffffffu);
	EXPECT(Dmatrfcmd<Gsp>(0x2).idle());
	EXPECT_EQ(FbifTranscfg<Gsp>()
			  .set_target(FBIF_TARGET_COHERENT_SYSMEM)
			  .set_mem_type(FBIF_MEM_TYPE_PHYSICAL)
			  .raw(),
		  0x5u);
	EXPECT_EQ(FbifCtl<Gsp>().set_allow_phys_no_ctx(1).raw(), 0x80u);
	EXPECT_EQ(Engine<Gsp>().set_reset(1).raw(), 0x1u);

	/* PIO control words. */
	EXPECT_EQ(Imemc<Gsp>().set_offs(0x1234).set_aincw(1).set_secure(1).raw(), 0x11001234u);
	EXPECT_EQ(Dmemc<Gsp>().set_offs(0x40).set_aincw(1).raw(), 0x01000040u);
	EXPECT_EQ(Imemt<Gsp>().set_tag(0x12345).raw(), 0x2345u);

	/* RISC-V state: bit 7 of RISCV_CPUCTL, bit 0 of the core switch status. */
	EXPECT(RiscvCpuctl<Gsp>(0x80).active_stat());
	EXPECT(!RiscvCpuctl<Gsp>(0x01).halted());
	EXPECT(RiscvCpuctl<Gsp>(0x10).halted());
	EXPECT(RiscvCoreSwitchStatus<Gsp>(0x1).active_stat());
	EXPECT(RiscvBcrCtrl<Gsp>(0x1).valid());
	EXPECT(RiscvBcrCtrl<Gsp>(0x10).core_select());
	EXPECT(RiscvBcrCtrl<Gsp>(0x100).br_fetch());

	/* FSP's EMEM control. */
	EXPECT_EQ(Ememc<Fsp>().set_aincw(1).raw(), 0x01000000u);
	EXPECT_EQ(Ememc<Fsp>().set_aincr(1).raw(), 0x02000000u);
	EXPECT_EQ(Ememc<Fsp>().set_blk(2).set_offs(3).raw(), 0x20cu);
}

TEST(falcon, dmatrfcmd_of_each_memory_on_every_engine)
{
	EXPECT_EQ(Dmatrfcmd<Gsp>::transfer_256(FalconMem::ImemSecure).raw(), 0x614u);
	EXPECT_EQ(Dmatrfcmd<Gsp>::transfer_256(FalconMem::ImemNonSecure).raw(), 0x610u);
	EXPECT_EQ(Dmatrfcmd<Gsp>::transfer_256(FalconMem::Dmem).raw(), 0x600u);
	EXPECT_EQ(Dmatrfcmd<Sec2>::transfer_256(FalconMem::ImemSecure).raw(), 0x614u);
	EXPECT_EQ(Dmatrfcmd<Sec2>::transfer_256(FalconMem::Dmem).raw(), 0x600u);
	EXPECT_EQ(Dmatrfcmd<Fsp>::transfer_256(FalconMem::ImemSecure).raw(), 0x614u);

	auto c = Dmatrfcmd<Gsp>::transfer_256(FalconMem::ImemSecure);
	EXPECT_EQ(c.size(), DMATRFCMD_SIZE_256B);
	EXPECT_EQ(c.imem(), 1u);
	EXPECT_EQ(c.sec(), 1u);
	EXPECT_EQ(c.is_write(), 0u);
	EXPECT_EQ(c.ctxdma(), 0u);
}

TEST(falcon, dma_chunks_offsets_and_the_last_partial_chunk)
{
	auto plan = plan_dma(booter_like(), IMAGE_DMA);
	ASSERT(plan.ok());
	DmaPlan<Sec2> dma(*plan);

	/* 0x1234 bytes: 18 whole chunks and one of 0x34, rounded up to 256. */
	const DmaSegment<Sec2> &imem = dma.imem_sec();
	EXPECT_EQ(imem.mem(), FalconMem::ImemSecure);
	ASSERT_EQ(imem.count(), 0x13u);
	EXPECT_EQ(imem.dma_start(), IMAGE_DMA);
	EXPECT_EQ(imem.base().raw(), 0x456789abu); /* bits 39:8 */
	EXPECT_EQ(imem.base1().raw(), 0x123u); /* bits 48:40 */
	EXPECT_EQ(imem.base().OFFSET, 0x840110u);
	EXPECT_EQ(imem.base1().OFFSET, 0x840128u);
	for (u32 i = 0; i < imem.count(); i++) {
		DmaTransfer<Sec2> t = imem.transfer(i);
		EXPECT_EQ(t.moffs.raw(), i * 256);
		EXPECT_EQ(t.fboffs.raw(), 0x100 + i * 256);
		EXPECT_EQ(t.cmd.raw(), 0x614u);
	}
	EXPECT_EQ(imem.transfer(0x12).moffs.raw(), 0x1200u);
	EXPECT_EQ(imem.transfer(0x12).fboffs.raw(), 0x1300u);

	/* DMEM reads from the image plus its start: FBOFFS counts from 0. */
	const DmaSegment<Sec2> &dmem = dma.dmem();
	EXPECT_EQ(dmem.mem(), FalconMem::Dmem);
	ASSERT_EQ(dmem.count(), 3u);
	EXPECT_EQ(dmem.dma_start(), IMAGE_DMA + 0x2000);
	EXPECT_EQ(dmem.base().raw(), static_cast<u32>((IMAGE_DMA + 0x2000) >> 8));
	EXPECT_EQ(dmem.base1().raw(), 0x123u);
	for (u32 i = 0; i < dmem.count(); i++) {
		DmaTransfer<Sec2> t = dmem.transfer(i);
		EXPECT_EQ(t.moffs.raw(), i * 256);
		EXPECT_EQ(t.fboffs.raw(), i * 256);
		EXPECT_EQ(t.cmd.raw(), 0x600u);
		EXPECT_EQ(t.imem_tag, 0u);
	}

	/* Load order, totals and the boot vector. */
	EXPECT_EQ(dma.segments()[0].mem(), FalconMem::ImemSecure);
	EXPECT_EQ(dma.segments()[1].mem(), FalconMem::Dmem);
	EXPECT_EQ(dma.transfers(), 0x16u);
	EXPECT_EQ(dma.bootvec().raw(), 0x100u);
	EXPECT_EQ(dma.bootvec().OFFSET, 0x840104u);

	/* A chunk count of every length around a block. */
	const u32 lens[] = { 0, 1, 4, 255, 256, 257, 511, 512, 513 };
	const u32 counts[] = { 0, 1, 1, 1, 1, 2, 2, 2, 3 };
	for (size_t i = 0; i < ktl::size(lens); i++) {
		auto seg = plan_dma_segment(FalconMem::ImemSecure, LoadTarget { 0, 0, lens[i] },
					    4 * KiB, IMAGE_DMA);
		ASSERT(seg.ok());
		EXPECT_EQ(seg->count, counts[i]);
	}
}

TEST(falcon, dma_imem_blocks_are_tagged_with_their_source_block)
{
	FirmwareLoad l = booter_like();
	l.imem_sec = LoadTarget { 0x700, 0x200, 0x300 };
	auto plan = plan_dma(l, IMAGE_DMA);
	ASSERT(plan.ok());
	DmaSegment<Gsp> imem(plan->imem_sec);
	ASSERT_EQ(imem.count(), 3u);
	for (u32 i = 0; i < 3; i++) {
		DmaTransfer<Gsp> t = imem.transfer(i);
		EXPECT_EQ(t.moffs.raw(), 0x200 + i * 256);
		EXPECT_EQ(t.fboffs.raw(), 0x700 + i * 256);
		EXPECT_EQ(t.imem_tag, 7 + i);
	}
}

TEST(falcon, hs_firmware_load_of_booter_and_its_dma_plan)
{
	/* booter_load's shape: the app at 0x100 of the ucode, OS data at 0x2000. */
	fw::HsFirmware hs = booter_hs(0x2010, 0x2000);
	hs.app0 = fw::HsLoadHeaderV2App { 0x100, 0x1234 };
	hs.load.os_data_size = 0x300;
	FirmwareLoad l = hs_firmware_load(FalconHal::Ga102, hs, 0x3000);
	EXPECT_EQ(l.image_len, 0x3000u);
	EXPECT_EQ(l.imem_sec.src_start, 0x100u);
	EXPECT_EQ(l.imem_sec.dst_start, 0u);
	EXPECT_EQ(l.imem_sec.len, 0x1234u);
	EXPECT_EQ(l.imem_ns.len, 0u);
	EXPECT_EQ(l.dmem.src_start, 0x2000u);
	EXPECT_EQ(l.dmem.dst_start, 0u);
	EXPECT_EQ(l.dmem.len, 0x300u);
	EXPECT_EQ(l.boot_addr, 0x100u);

	auto plan = LoadPlan<Sec2>::make(FalconHal::Ga102, l, IMAGE_DMA);
	ASSERT(plan.ok());
	const DmaPlan<Sec2> *dma = plan->dma();
	ASSERT(dma != nullptr);
	EXPECT_EQ(plan->bootvec().raw(), 0x100u);
	static_assert(Bootvec<Sec2>::OFFSET == 0x840104);
	/* 0x1234 bytes are 19 blocks; the tags count the ucode's blocks from 0x100. */
	DmaSegment<Sec2> imem(dma->segments()[0]);
	ASSERT_EQ(imem.count(), 19u);
	EXPECT_EQ(imem.transfer(0).imem_tag, 1u);
	EXPECT_EQ(imem.transfer(18).fboffs.raw(), 0x100u + 18 * 256);
	DmaSegment<Sec2> dmem(dma->segments()[1]);
	ASSERT_EQ(dmem.count(), 3u);
	/* DMEM's source offset is in its base address: its transfers count from 0. */
	EXPECT_EQ(dmem.base().raw(), static_cast<u32>((IMAGE_DMA + 0x2000) >> 8));
	EXPECT_EQ(dmem.transfer(2).moffs.raw(), 0x200u);
	EXPECT_EQ(dmem.transfer(2).fboffs.raw(), 0x200u);

	/* An app past the ucode is refused as any load past its image. */
	hs.app0 = fw::HsLoadHeaderV2App { 0x2f00, 0x200 };
	EXPECT_ERR(plan_dma(hs_firmware_load(FalconHal::Ga102, hs, 0x3000), IMAGE_DMA),
		   err::EINVAL);
}

TEST(falcon, hs_firmware_load_on_tu102_adds_the_os_code_by_pio)
{
	fw::HsFirmware hs = booter_hs(0x2010, 0x2000);
	hs.app0 = fw::HsLoadHeaderV2App { 0x1000, 0x800 };
	hs.load.os_code_offset = 0;
	hs.load.os_code_size = 0x1000;
	hs.load.os_data_size = 0x300;
	FirmwareLoad l = hs_firmware_load(FalconHal::Tu102, hs, 0x3000);
	EXPECT_EQ(l.imem_ns.src_start, 0u);
	EXPECT_EQ(l.imem_ns.dst_start, 0u);
	EXPECT_EQ(l.imem_ns.len, 0x1000u);
	EXPECT_EQ(l.imem_sec.src_start, 0x1000u);
	EXPECT_EQ(l.imem_sec.dst_start, 0x1000u);
	EXPECT_EQ(l.imem_sec.len, 0x800u);
	EXPECT_EQ(l.dmem.src_start, 0x2000u);
	EXPECT_EQ(l.boot_addr, 0u);

	auto plan = LoadPlan<Sec2>::make(FalconHal::Tu102, l, IMAGE_DMA);
	ASSERT(plan.ok());
	const PioPlan<Sec2> *pio = plan->pio();
	ASSERT(pio != nullptr);
	ASSERT(pio->imem_ns() != nullptr && pio->imem_sec() != nullptr);
	EXPECT_EQ(pio->imem_sec()->block(0).tag.raw(), 0x10u);
	EXPECT(pio->imem_sec()->secure());
	EXPECT(pio->fits(0x3000));
	EXPECT(!pio->fits(0x22ff));
}

TEST(falcon, pio_imem_part_with_its_own_start_tag)
{
	FirmwareLoad l {};
	l.image_len = 0x300;
	l.imem_ns = LoadTarget { 0, 0xfe00, 0x200, 0xfd };
	l.dmem = LoadTarget { 0x200, 0, 0x54 };
	auto facts = plan_pio(l);
	ASSERT(facts.ok());
	PioPlan<Gsp> pio(*facts);
	ASSERT(pio.imem_ns() != nullptr);
	EXPECT_EQ(pio.imem_ns()->imemc().offs(), 0xfe00u);
	EXPECT_EQ(pio.imem_ns()->block(0).tag.raw(), 0xfdu);
	EXPECT_EQ(pio.imem_ns()->block(1).tag.raw(), 0xfeu);
	/* The last tag must fit 16 bits, a named one as a computed one. */
	l.imem_ns.start_tag = 0xffff;
	EXPECT_ERR(plan_pio(l), err::ERANGE);
	l.imem_ns.start_tag = 0x10000;
	EXPECT_ERR(plan_pio(l), err::ERANGE);
}

TEST(falcon, gen_bootloader_load_below_64k_with_its_tag)
{
	auto l = fw::gen_bootloader_load(0x200, 0xfd);
	ASSERT(l.ok());
	EXPECT_EQ(l->image_len, 0x200u + 84);
	EXPECT_EQ(l->imem_ns.dst_start, 0xfe00u);
	EXPECT_EQ(l->imem_ns.len, 0x200u);
	EXPECT_EQ(l->imem_ns.start_tag, 0xfdu);
	EXPECT_EQ(l->imem_sec.len, 0u);
	EXPECT_EQ(l->dmem.src_start, 0x200u);
	EXPECT_EQ(l->dmem.dst_start, 0u);
	EXPECT_EQ(l->dmem.len, 84u);
	EXPECT_EQ(l->boot_addr, 0xfd00u);
	auto plan = LoadPlan<Gsp>::make(FalconHal::Tu102, *l, 0);
	ASSERT(plan.ok());
	EXPECT_EQ(plan->bootvec().raw(), 0xfd00u);
	EXPECT_EQ(plan->pio()->dmem().words(), 21u);

	EXPECT_ERR(fw::gen_bootloader_load(0, 0xfd), err::EINVAL);
	EXPECT_ERR(fw::gen_bootloader_load(0x201, 0xfd), err::EINVAL);
	EXPECT_ERR(fw::gen_bootloader_load(0x10100, 0), err::ERANGE);
	EXPECT_ERR(fw::gen_bootloader_load(0x200, 0x10000), err::ERANGE);
	EXPECT(fw::gen_bootloader_load(0x10000, 0).ok());
}

TEST(falcon, fwsec_load_of_v2_and_v3_descriptors)
{
	auto v3 = v3_desc(0x600, 0x400, 9);
	ASSERT(v3.ok());
	auto l3 = fw::fwsec_load(*v3, 0x2000);
	ASSERT(l3.ok());
	EXPECT_EQ(l3->imem_ns.len, 0u);
	EXPECT_EQ(l3->image_len, 0x2000u);

	FalconUcodeDescV2 d {};
	d.imem_phys_base = 0x100;
	d.imem_load_size = 0x5000;
	d.imem_virt_base = 0x200;
	d.imem_sec_base = 0x4200;
	d.imem_sec_size = 0x1000;
	d.dmem_offset = 0x5000;
	d.dmem_phys_base = 0;
	d.dmem_load_size = 0x800;
	auto v2 = v2_desc(d);
	ASSERT(v2.ok());
	auto l2 = fw::fwsec_load(*v2, 0x6000);
	ASSERT(l2.ok());
	EXPECT_EQ(l2->imem_ns.src_start, 0u);
	EXPECT_EQ(l2->imem_ns.dst_start, 0x100u);
	EXPECT_EQ(l2->imem_ns.len, 0x4000u);
	EXPECT_EQ(l2->imem_sec.src_start, 0x4000u);
	EXPECT_EQ(l2->imem_sec.dst_start, 0x4100u);
	EXPECT_EQ(l2->imem_sec.len, 0x1000u);
	EXPECT_EQ(l2->dmem.src_start, 0x5000u);
	EXPECT_EQ(l2->dmem.len, 0x800u);

	/* The descriptor gen_bootloader reads: where each part is, context 4. */
	auto bl = fw::bootloader_dmem_desc(*l2, 0x12345600);
	ASSERT(bl.ok());
	EXPECT_EQ(bl->ctx_dma, 4u);
	EXPECT_EQ(bl->code_dma_base, 0x12345600u);
	EXPECT_EQ(bl->non_sec_code_off, 0x100u);
	EXPECT_EQ(bl->non_sec_code_size, 0x4000u);
	EXPECT_EQ(bl->sec_code_off, 0x4100u);
	EXPECT_EQ(bl->sec_code_size, 0x1000u);
	EXPECT_EQ(bl->data_dma_base, 0x12345600u + 0x5000);
	EXPECT_EQ(bl->data_size, 0x800u);
	EXPECT_EQ(bl->code_entry_point, 0u);
	EXPECT_ERR(fw::bootloader_dmem_desc(*l2, ~u64 { 0 } - 0x100), err::EOVERFLOW);

	/* A secure part larger than the IMEM, or below the virtual base. */
	FalconUcodeDescV2 bad = d;
	bad.imem_sec_size = 0x5001;
	EXPECT_ERR(fw::fwsec_load(*v2_desc(bad), 0x6000), err::EINVAL);
	bad = d;
	bad.imem_sec_base = 0x100;
	EXPECT_ERR(fw::fwsec_load(*v2_desc(bad), 0x6000), err::EINVAL);
}

static_assert(__builtin_offsetof(fw::BootloaderDmemDescV2, ctx_dma) == 32);
static_assert(__builtin_offsetof(fw::BootloaderDmemDescV2, code_dma_base) == 36);
static_assert(__builtin_offsetof(fw::BootloaderDmemDescV2, data_dma_base) == 64);
static_assert(__builtin_offsetof(fw::BootloaderDmemDescV2, argv) == 80);

TEST(falcon, dma_transfers_up_to_the_image_end_and_not_past_it)
{
	FirmwareLoad l = booter_like();
	l.image_len = 0x1000;
	l.dmem = LoadTarget { 0, 0, 0 };

	/* Exactly to the end: 0xf00 + 256. */
	l.imem_sec = LoadTarget { 0xf00, 0, 0x100 };
	EXPECT(plan_dma(l, IMAGE_DMA).ok());
	/* One byte more is one chunk more: 0xf00 + 512 > 0x1000. */
	l.imem_sec = LoadTarget { 0xf00, 0, 0x101 };
	EXPECT_ERR(plan_dma(l, IMAGE_DMA), err::EINVAL);
	/* A start past the end, even with nothing to send. */
	l.imem_sec = LoadTarget { 0x1001, 0, 0 };
	EXPECT_ERR(plan_dma(l, IMAGE_DMA), err::EINVAL);

	/* DMEM alike. */
	l.imem_sec = LoadTarget { 0, 0, 0x100 };
	l.dmem = LoadTarget { 0xf00, 0, 0x100 };
	EXPECT(plan_dma(l, IMAGE_DMA).ok());
	l.dmem = LoadTarget { 0xf00, 0, 0x101 };
	EXPECT_ERR(plan_dma(l, IMAGE_DMA), err::EINVAL);
}

TEST(falcon, dma_misaligned_dmem_source_or_image_is_einval)
{
	FirmwareLoad l = booter_like();
	const u32 offsets[] = { 0x1, 0x4, 0x80, 0xff };
	for (u32 off : offsets) {
		l.dmem = LoadTarget { 0x2000 + off, 0, 0x100 };
		EXPECT_ERR(plan_dma(l, IMAGE_DMA), err::EINVAL);
	}
	/* An image at a misaligned address fails IMEM already. */
	l = booter_like();
	EXPECT_ERR(plan_dma(l, IMAGE_DMA + 0x80), err::EINVAL);
	/* A misaligned IMEM source is fine: the address is the image's. */
	l.imem_sec = LoadTarget { 0x104, 0, 0x100 };
	EXPECT(plan_dma(l, IMAGE_DMA).ok());
}

TEST(falcon, dma_length_arithmetic_that_overflows_is_eoverflow)
{
	FirmwareLoad l = booter_like();
	l.image_len = ~size_t { 0 };
	/* src_start + 512 past 32 bits. */
	l.imem_sec = LoadTarget { 0xffffff00, 0, 0x200 };
	EXPECT_ERR(plan_dma(l, IMAGE_DMA), err::EOVERFLOW);
	/* The chunk count times 256 past 32 bits. */
	l.imem_sec = LoadTarget { 0, 0, 0xffffffff };
	EXPECT_ERR(plan_dma(l, IMAGE_DMA), err::EOVERFLOW);
	/* dst_start + 512 past 32 bits. */
	l.imem_sec = LoadTarget { 0, 0xffffff00, 0x200 };
	EXPECT_ERR(plan_dma(l, IMAGE_DMA), err::EOVERFLOW);
	/* The DMEM address, image + src_start, past 64 bits. */
	l.imem_sec = LoadTarget { 0, 0, 0x100 };
	l.dmem = LoadTarget { 0x100, 0, 0x100 };
	EXPECT_ERR(plan_dma_segment(FalconMem::Dmem, l.dmem, l.image_len, ~u64 { 0xff }),
		   err::EOVERFLOW);
	/* The largest sum that fits does not overflow. */
	l.imem_sec = LoadTarget { 0xfffffe00, 0, 0x100 };
	EXPECT(plan_dma(l, 0).ok());
}

TEST(falcon, dma_address_past_49_bits_is_erange)
{
	FirmwareLoad l = booter_like();
	l.dmem = LoadTarget { 0, 0, 0 };
	l.imem_sec = LoadTarget { 0, 0, 0x100 };
	const u64 limit = u64 { 1 } << 49;

	EXPECT_ERR(plan_dma(l, limit), err::ERANGE);
	EXPECT_ERR(plan_dma(l, ~u64 { 0xff }), err::ERANGE);
	/* The start is checked even with nothing to send. */
	EXPECT_ERR(plan_dma_segment(FalconMem::ImemSecure, LoadTarget { 0, 0, 0 }, 0x100, limit),
		   err::ERANGE);
	EXPECT(plan_dma_segment(FalconMem::ImemSecure, LoadTarget { 0, 0, 0 }, 0x100, limit - 256)
		       .ok());
	/* The last 256 bytes below the limit. */
	EXPECT(plan_dma(l, limit - 256).ok());
	/* A source that would run past it (ours: upstream checks the start only). */
	l.imem_sec = LoadTarget { 0, 0, 0x200 };
	EXPECT_ERR(plan_dma(l, limit - 256), err::ERANGE);
	/* DMEM whose own start, image + src_start, reaches it. */
	l.imem_sec = LoadTarget { 0, 0, 0 };
	l.dmem = LoadTarget { 0x1000, 0, 0x100 };
	EXPECT_ERR(plan_dma(l, limit - 0x1000), err::ERANGE);
	EXPECT(plan_dma(l, limit - 0x1100).ok());
	/* The address registers of the highest start. */
	auto top = plan_dma_segment(FalconMem::ImemSecure, LoadTarget { 0, 0, 0x100 }, 0x100,
				    limit - 256);
	ASSERT(top.ok());
	DmaSegment<Gsp> seg(*top);
	EXPECT_EQ(seg.base().raw(), 0xffffffffu);
	EXPECT_EQ(seg.base1().raw(), 0x1ffu);
}

TEST(falcon, dma_falcon_offset_past_24_bits_is_erange)
{
	FirmwareLoad l = booter_like();
	l.image_len = 0x1000;
	l.dmem = LoadTarget { 0, 0, 0 };
	l.imem_sec = LoadTarget { 0, 0xffff00, 0x100 };
	EXPECT(plan_dma(l, IMAGE_DMA).ok());
	l.imem_sec = LoadTarget { 0, 0xffff00, 0x101 };
	EXPECT_ERR(plan_dma(l, IMAGE_DMA), err::ERANGE);
	l.imem_sec = LoadTarget { 0, 0, 0 };
	l.dmem = LoadTarget { 0, 0x1000000, 0x100 };
	EXPECT_ERR(plan_dma(l, IMAGE_DMA), err::ERANGE);
}

TEST(falcon, dma_refuses_a_non_secure_imem_part)
{
	FirmwareLoad l = booter_like();
	l.imem_ns = LoadTarget { 0, 0, 0x100 };
	EXPECT_ERR(plan_dma(l, IMAGE_DMA), err::EINVAL);
	/* A length of zero is no part. */
	l.imem_ns = LoadTarget { 0x100, 0x200, 0 };
	EXPECT(plan_dma(l, IMAGE_DMA).ok());
}

TEST(falcon, pio_words_blocks_tags_and_control_values)
{
	FirmwareLoad l {};
	l.image_len = 0x1000;
	l.imem_ns = LoadTarget { 0, 0x1000, 0x104 };
	l.imem_sec = LoadTarget { 0x200, 0x3000, 0x200 };
	l.dmem = LoadTarget { 0x400, 0x10, 0x40 };
	l.boot_addr = 0x1000;
	auto facts = plan_pio(l);
	ASSERT(facts.ok());
	PioPlan<Gsp> pio(*facts);

	/* Non-secure IMEM: tags from dst_start >> 8, the last block partial. */
	const PioImem<Gsp> *ns = pio.imem_ns();
	ASSERT(ns != nullptr);
	EXPECT(!ns->secure());
	EXPECT_EQ(ns->imemc().raw(), 0x01001000u);
	EXPECT_EQ(ns->imemc().OFFSET, 0x110180u);
	EXPECT_EQ(ns->words(), 0x41u);
	ASSERT_EQ(ns->blocks(), 2u);
	EXPECT_EQ(ns->block(0).tag.raw(), 0x10u);
	EXPECT_EQ(ns->block(0).tag.OFFSET, 0x110188u);
	EXPECT_EQ(ns->block(0).src_offset, 0u);
	EXPECT_EQ(ns->block(0).words, 64u);
	EXPECT_EQ(ns->block(1).tag.raw(), 0x11u);
	EXPECT_EQ(ns->block(1).src_offset, 0x100u);
	EXPECT_EQ(ns->block(1).words, 1u);

	/* Secure IMEM: bit 28 in IMEMC. */
	const PioImem<Gsp> *sec = pio.imem_sec();
	ASSERT(sec != nullptr);
	EXPECT(sec->secure());
	EXPECT_EQ(sec->imemc().raw(), 0x11003000u);
	EXPECT_EQ(sec->src_start(), 0x200u);
	ASSERT_EQ(sec->blocks(), 2u);
	EXPECT_EQ(sec->block(0).tag.raw(), 0x30u);
	EXPECT_EQ(sec->block(1).tag.raw(), 0x31u);
	EXPECT_EQ(sec->block(1).src_offset, 0x300u);
	EXPECT_EQ(sec->block(1).words, 64u);

	/* DMEM: no tags. */
	EXPECT_EQ(pio.dmem().dmemc().raw(), 0x01000010u);
	EXPECT_EQ(pio.dmem().dmemc().OFFSET, 0x1101c0u);
	EXPECT_EQ(pio.dmem().src_start(), 0x400u);
	EXPECT_EQ(pio.dmem().words(), 0x10u);

	EXPECT_EQ(pio.bootvec().raw(), 0x1000u);
	EXPECT_EQ(pio.bootvec().OFFSET, 0x110104u);

	/* Words per block add up to the part's, whatever its length. */
	for (u32 len = 0; len <= 0x404; len += 4) {
		auto part =
			plan_pio_part(FalconMem::ImemSecure, LoadTarget { 0, 0x700, len }, 0x1000);
		ASSERT(part.ok());
		PioImem<Gsp> imem(*part);
		u32 words = 0;
		for (u32 n = 0; n < imem.blocks(); n++) {
			EXPECT_EQ(imem.block(n).tag.raw(), 7 + n);
			EXPECT_EQ(imem.block(n).src_offset, n * 256);
			words += imem.block(n).words;
		}
		EXPECT_EQ(words, len / 4);
		EXPECT_EQ(imem.blocks(), (len + 255) / 256);
	}
}

TEST(falcon, pio_parts_of_length_zero_are_absent_but_dmem)
{
	FirmwareLoad l {};
	l.image_len = 0x100;
	auto facts = plan_pio(l);
	ASSERT(facts.ok());
	PioPlan<Sec2> pio(*facts);
	EXPECT(pio.imem_ns() == nullptr);
	EXPECT(pio.imem_sec() == nullptr);
	EXPECT_EQ(pio.dmem().words(), 0u);
	EXPECT_EQ(pio.dmem().dmemc().raw(), 0x01000000u);

	/* The Turing FWSEC case: the generic bootloader, non-secure only. */
	l.imem_ns = LoadTarget { 0, 0x200, 0x100 };
	auto bl_facts = plan_pio(l);
	ASSERT(bl_facts.ok());
	PioPlan<Sec2> bl(*bl_facts);
	EXPECT(bl.imem_ns() != nullptr);
	EXPECT(bl.imem_sec() == nullptr);
}

TEST(falcon, pio_length_not_a_multiple_of_4_is_einval)
{
	const FalconMem mems[] = { FalconMem::ImemNonSecure, FalconMem::ImemSecure,
				   FalconMem::Dmem };
	const u32 lens[] = { 1, 2, 3, 5, 0x101, 0x3ff };
	for (FalconMem mem : mems) {
		for (u32 len : lens)
			EXPECT_ERR(plan_pio_part(mem, LoadTarget { 0, 0, len }, 0x1000),
				   err::EINVAL);
		EXPECT(plan_pio_part(mem, LoadTarget { 0, 0, 0x100 }, 0x1000).ok());
	}
	FirmwareLoad l {};
	l.image_len = 0x1000;
	l.dmem = LoadTarget { 0, 0, 0x102 };
	EXPECT_ERR(plan_pio(l), err::EINVAL);
	l.dmem = LoadTarget { 0, 0, 0x100 };
	l.imem_ns = LoadTarget { 0, 0, 0x2 };
	EXPECT_ERR(plan_pio(l), err::EINVAL);
	l.imem_ns = LoadTarget { 0, 0, 0 };
	l.imem_sec = LoadTarget { 0, 0, 0x6 };
	EXPECT_ERR(plan_pio(l), err::EINVAL);
}

TEST(falcon, pio_bounds_of_source_destination_and_tags)
{
	const FalconMem mems[] = { FalconMem::ImemNonSecure, FalconMem::ImemSecure,
				   FalconMem::Dmem };
	for (FalconMem mem : mems) {
		/* The part inside the image, to its last byte. */
		EXPECT(plan_pio_part(mem, LoadTarget { 0xf00, 0, 0x100 }, 0x1000).ok());
		EXPECT_ERR(plan_pio_part(mem, LoadTarget { 0xf00, 0, 0x104 }, 0x1000), err::EINVAL);
		EXPECT_ERR(plan_pio_part(mem, LoadTarget { 0x1004, 0, 0 }, 0x1000), err::EINVAL);
		/* src_start + len past 32 bits. */
		EXPECT_ERR(plan_pio_part(mem, LoadTarget { 0xfffffffc, 0, 0x8 }, ~size_t { 0 }),
			   err::EOVERFLOW);
		/* IMEMC and DMEMC hold a 16-bit offset. */
		EXPECT(plan_pio_part(mem, LoadTarget { 0, 0xfffc, 0x4 }, 0x1000).ok());
		EXPECT_ERR(plan_pio_part(mem, LoadTarget { 0, 0x10000, 0x4 }, 0x1000), err::EINVAL);
	}

	/* The last IMEM tag must fit 16 bits: 0x10000 blocks from tag 0, not from 1. */
	const size_t big = size_t { 32 } << 20;
	auto fits = plan_pio_part(FalconMem::ImemSecure, LoadTarget { 0, 0, 0x1000000 }, big);
	ASSERT(fits.ok());
	EXPECT_EQ(fits->blocks, 0x10000u);
	EXPECT_EQ(PioImem<Gsp>(*fits).block(0xffff).tag.raw(), 0xffffu);
	EXPECT_ERR(plan_pio_part(FalconMem::ImemSecure, LoadTarget { 0, 0x100, 0x1000000 }, big),
		   err::ERANGE);
	/* From the highest start tag, 0xff: 0xff01 blocks fit, 0xff02 do not. */
	EXPECT(plan_pio_part(FalconMem::ImemNonSecure, LoadTarget { 0, 0xff00, 0xff0100 }, big)
		       .ok());
	EXPECT_ERR(plan_pio_part(FalconMem::ImemNonSecure, LoadTarget { 0, 0xff00, 0xff0104 }, big),
		   err::ERANGE);
	/* DMEM has no tags. */
	EXPECT(plan_pio_part(FalconMem::Dmem, LoadTarget { 0, 0x100, 0x1000000 }, big).ok());
}

TEST(falcon, load_plan_follows_the_hal)
{
	FirmwareLoad l = booter_like();

	auto dma = LoadPlan<Sec2>::make(FalconHal::Ga102, l, IMAGE_DMA);
	ASSERT(dma.ok());
	EXPECT_EQ(dma->method(), LoadMethod::Dma);
	ASSERT(dma->dma() != nullptr);
	EXPECT(dma->pio() == nullptr);
	EXPECT_EQ(dma->dma()->imem_sec().count(), 0x13u);
	EXPECT_EQ(dma->bootvec().raw(), 0x100u);
	EXPECT_EQ(dma->bootvec().OFFSET, 0x840104u);

	/* PIO takes the same image by its bytes: no DMA address, so none checked. */
	auto pio = LoadPlan<Sec2>::make(FalconHal::Tu102, l, IMAGE_DMA + 0x80);
	ASSERT(pio.ok());
	EXPECT_EQ(pio->method(), LoadMethod::Pio);
	EXPECT(pio->dma() == nullptr);
	ASSERT(pio->pio() != nullptr);
	ASSERT(pio->pio()->imem_sec() != nullptr);
	EXPECT_EQ(pio->pio()->imem_sec()->words(), 0x1234u / 4);
	EXPECT_EQ(pio->bootvec().raw(), 0x100u);

	/* Each method's errors come through. */
	EXPECT_ERR(LoadPlan<Sec2>::make(FalconHal::Ga102, l, IMAGE_DMA + 0x80), err::EINVAL);
	l.dmem.len = 0x302;
	EXPECT(LoadPlan<Sec2>::make(FalconHal::Ga102, l, IMAGE_DMA).ok());
	EXPECT_ERR(LoadPlan<Sec2>::make(FalconHal::Tu102, l, IMAGE_DMA), err::EINVAL);
}

TEST(falcon, hal_of_every_chipset)
{
	for (const ChipHal &c : CHIP_HALS) {
		const Chipset *chip = find_chipset(c.chipset);
		ASSERT(chip != nullptr);
		auto hal = falcon_hal(*chip);
		ASSERT(hal.ok());
		EXPECT_EQ(*hal, c.hal);
	}
	/* Every chipset nova-core knows is in the table. */
	size_t known = 0;
	for (u32 id = 0x100; id < 0x200; id++)
		known += find_chipset(id) != nullptr;
	EXPECT_EQ(known, ktl::size(CHIP_HALS));

	const Chipset unknown { 0x175, "ga105", Architecture::Ampere };
	EXPECT_ERR(falcon_hal(unknown), err::EOPNOTSUPP);
}

TEST(falcon, hal_differences_and_timeouts)
{
	EXPECT_EQ(load_method(FalconHal::Tu102), LoadMethod::Pio);
	EXPECT_EQ(load_method(FalconHal::Ga102), LoadMethod::Dma);
	EXPECT_EQ(scrub_status(FalconHal::Tu102), ScrubStatus::Dmactl);
	EXPECT_EQ(scrub_status(FalconHal::Ga102), ScrubStatus::Hwcfg2);
	EXPECT(!waits_reset_ready(FalconHal::Tu102));
	EXPECT(waits_reset_ready(FalconHal::Ga102));
	EXPECT(!selects_core(FalconHal::Tu102));
	EXPECT(selects_core(FalconHal::Ga102));
	EXPECT(!programs_brom(FalconHal::Tu102));
	EXPECT(programs_brom(FalconHal::Ga102));
	EXPECT_EQ(riscv_status(FalconHal::Tu102), RiscvStatus::CoreSwitchStatus);
	EXPECT_EQ(riscv_status(FalconHal::Ga102), RiscvStatus::RiscvCpuctl);
	EXPECT(kcxx::kunit::streq(hal_name(FalconHal::Tu102), "tu102"));
	EXPECT(kcxx::kunit::streq(hal_name(FalconHal::Ga102), "ga102"));

	EXPECT_EQ(mem_scrub_timing(FalconHal::Tu102).timeout.as_ms(), 10);
	EXPECT_EQ(mem_scrub_timing(FalconHal::Ga102).timeout.as_ms(), 20);
	EXPECT(mem_scrub_timing(FalconHal::Ga102).interval.is_zero());
	EXPECT_EQ(timeouts::RESET_READY.timeout.as_us(), 150);
	EXPECT_EQ(timeouts::ENGINE_RESET_PULSE.as_us(), 10);
	EXPECT_EQ(timeouts::BCR_VALID.timeout.as_ms(), 10);
	EXPECT_EQ(timeouts::DMA_IDLE.timeout.as_ms(), 2000);
	EXPECT(timeouts::DMA_IDLE.interval.is_zero());
	EXPECT_EQ(timeouts::HALT.timeout.as_ms(), 2000);
	EXPECT_EQ(timeouts::RISCV_ACTIVE.interval.as_ms(), 10);
	EXPECT_EQ(timeouts::RISCV_ACTIVE.timeout.as_ms(), 5000);
	EXPECT_EQ(timeouts::CMDQ_SPACE.interval.as_us(), 1);
	EXPECT_EQ(timeouts::CMDQ_SPACE.timeout.as_ms(), 1000);
	EXPECT_EQ(timeouts::RECEIVE.interval.as_ms(), 1);
	EXPECT_EQ(timeouts::RECEIVE.timeout.as_ms(), 5000);
	EXPECT_EQ(timeouts::GSP_STATIC_INFO_REPLY.as_ms(), 5000);
	EXPECT_EQ(timeouts::SEQUENCER_REG_POLL_DEFAULT.as_ms(), 4000);
	EXPECT_EQ(timeouts::CORE_RESUME.timeout.as_ms(), 2000);
	EXPECT_EQ(timeouts::UNLOAD_SUSPEND.timeout.as_ms(), 5000);
	EXPECT_EQ(timeouts::FSP_SECURE_BOOT.timeout.as_ms(), 5000);
	EXPECT_EQ(timeouts::FSP_REPLY.timeout.as_ms(), 2000);
	EXPECT_EQ(timeouts::GSP_LOCKDOWN_RELEASE.interval.as_ms(), 10);
	EXPECT_EQ(timeouts::GSP_LOCKDOWN_RELEASE.timeout.as_ms(), 30000);
}

TEST(falcon, brom_of_fwsec_from_its_v3_descriptor)
{
	auto v3 = v3_desc(0x2c40, 0x0400, 9);
	ASSERT(v3.ok());
	auto params = fwsec_brom_params(*v3);
	ASSERT(params.ok());
	EXPECT_EQ(params->pkc_data_offset, 0x2c40u);
	EXPECT_EQ(params->engine_id_mask, 0x400u);
	EXPECT_EQ(params->ucode_id, 9u);

	auto plan = BromPlan<Gsp>::fwsec(FalconHal::Ga102, *v3);
	ASSERT(plan.ok());
	EXPECT(plan->programmed());
	EXPECT_EQ(plan->paraaddr0().raw(), 0x2c40u);
	EXPECT_EQ(plan->paraaddr0().OFFSET, 0x111210u);
	EXPECT_EQ(plan->engidmask().raw(), 0x400u);
	EXPECT_EQ(plan->engidmask().OFFSET, 0x11119cu);
	EXPECT_EQ(plan->curr_ucode_id().raw(), 9u);
	EXPECT_EQ(plan->curr_ucode_id().OFFSET, 0x111198u);
	EXPECT_EQ(plan->mod_sel().raw(), MOD_SEL_ALGO_RSA3K);
	EXPECT_EQ(plan->mod_sel().raw(), 1u);
	EXPECT_EQ(plan->mod_sel().OFFSET, 0x111180u);

	/* The TU102 HAL programs nothing, whatever the descriptor. */
	auto v2 = v2_desc();
	ASSERT(v2.ok());
	auto none = BromPlan<Gsp>::fwsec(FalconHal::Tu102, *v2);
	ASSERT(none.ok());
	EXPECT(!none->programmed());
	auto none_v3 = BromPlan<Gsp>::fwsec(FalconHal::Tu102, *v3);
	ASSERT(none_v3.ok());
	EXPECT(!none_v3->programmed());

	/* A V2 descriptor has no parameters to give the GA102 HAL. */
	EXPECT_ERR(fwsec_brom_params(*v2), err::EINVAL);
	EXPECT_ERR(BromPlan<Gsp>::fwsec(FalconHal::Ga102, *v2), err::EINVAL);
}

TEST(falcon, brom_of_booter_from_its_hs_headers)
{
	/* The signature's DMEM offset: patch_loc - os_data_offset. */
	fw::HsFirmware hs = booter_hs(0x6a80, 0x5000);
	auto params = hs_brom_params(hs);
	ASSERT(params.ok());
	EXPECT_EQ(params->pkc_data_offset, 0x1a80u);
	EXPECT_EQ(params->engine_id_mask, 0x1u);
	EXPECT_EQ(params->ucode_id, 3u);

	auto plan = BromPlan<Sec2>::hs(FalconHal::Ga102, hs);
	ASSERT(plan.ok());
	EXPECT(plan->programmed());
	EXPECT_EQ(plan->paraaddr0().raw(), 0x1a80u);
	EXPECT_EQ(plan->paraaddr0().OFFSET, 0x841210u);
	EXPECT_EQ(plan->engidmask().raw(), 0x1u);
	EXPECT_EQ(plan->curr_ucode_id().raw(), 3u);
	EXPECT_EQ(plan->mod_sel().raw(), 1u);

	/* At the data's start: offset 0. */
	EXPECT_EQ(hs_brom_params(booter_hs(0x5000, 0x5000))->pkc_data_offset, 0u);

	/* Turing: nothing programmed, the parameters still checked. */
	auto turing = BromPlan<Sec2>::hs(FalconHal::Tu102, hs);
	ASSERT(turing.ok());
	EXPECT(!turing->programmed());
	EXPECT_EQ(turing->params().pkc_data_offset, 0x1a80u);

	/* A patch location below the data underflows. */
	fw::HsFirmware below = booter_hs(0x4ffc, 0x5000);
	EXPECT_ERR(hs_brom_params(below), err::EINVAL);
	EXPECT_ERR(BromPlan<Sec2>::hs(FalconHal::Ga102, below), err::EINVAL);
	EXPECT_ERR(BromPlan<Sec2>::hs(FalconHal::Tu102, below), err::EINVAL);

	/* The mask must fit BROM's 16 bits, the id its 8. */
	fw::HsFirmware wide = hs;
	wide.params.engine_id_mask = 0x10000;
	EXPECT_ERR(hs_brom_params(wide), err::EINVAL);
	wide.params.engine_id_mask = 0xffff;
	EXPECT(hs_brom_params(wide).ok());
	wide.params.ucode_id = 0x100;
	EXPECT_ERR(hs_brom_params(wide), err::EINVAL);
	wide.params.ucode_id = 0xff;
	EXPECT(hs_brom_params(wide).ok());
}

TEST(falcon, brom_programmed_on_ga102_and_later_only)
{
	auto v3 = v3_desc(0x100, 0x0400, 9);
	ASSERT(v3.ok());
	fw::HsFirmware hs = booter_hs(0x6a80, 0x5000);
	for (const ChipHal &c : CHIP_HALS) {
		const Chipset *chip = find_chipset(c.chipset);
		ASSERT(chip != nullptr);
		FalconHal hal = falcon_hal(*chip).take();
		bool turing_or_ga100 = chip->arch == Architecture::Turing || chip->id == 0x170;

		auto fwsec = BromPlan<Gsp>::fwsec(hal, *v3);
		ASSERT(fwsec.ok());
		EXPECT_EQ(fwsec->programmed(), !turing_or_ga100);
		auto booter = BromPlan<Sec2>::hs(hal, hs);
		ASSERT(booter.ok());
		EXPECT_EQ(booter->programmed(), !turing_or_ga100);

		/*
		 * Booter's signature is chosen by a fuse register exactly on
		 * the chips whose boot ROM is told about it (Hopper and
		 * Blackwell run no Booter).
		 */
		if (chip->arch != Architecture::Hopper &&
		    chip->arch != Architecture::BlackwellGB10x &&
		    chip->arch != Architecture::BlackwellGB20x)
			EXPECT_EQ(fw::chip_firmware(*chip).fuse_registers, programs_brom(hal));
	}
}
