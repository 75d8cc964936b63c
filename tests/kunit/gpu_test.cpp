// SPDX-License-Identifier: GPL-2.0
/*
 * kcxx_gpu: how nova-core tells a GPU that misbehaves from one it can
 * drive (src/nova-core/gpu.h, Documentation/hardware.rst "A GPU that
 * misbehaves"): two reads of an identification register that give all
 * ones, a priv error or two different values refuse the GPU with the
 * documented errno, before identify() sees them; a VRAM size register
 * read that failed is no size.
 */
#include "kunit.h"
/*
 * The VRAM size decoding, in this object; identify() and to_result() are
 * fb_layout_test.o's copy of src/nova-core/gpu.cpp (see vbios_test.cpp
 * for why a source file is built into one object only).
 */
#include "src/nova-core/fb/vram.cpp"

using namespace kernel;
using namespace nova::core;

namespace {

/* AD102 and GA100 as the GPU model's boot registers give them. */
constexpr u32 AD102_BOOT0 = 0x192000a1, AD102_BOOT42 = 0x192a1000;
constexpr u32 GA100_BOOT0 = 0x170000a1;
constexpr u32 PRIV_ERRORS[] = { 0xbadf0000, 0xbadf1000, 0xbadf1100, 0xbadf1201,
				0xbadf3000, 0xbadf5040, 0xbadfffff };

} // namespace

TEST(gpu, equal_reads_of_a_live_register_are_no_fault)
{
	EXPECT_EQ(check_reads(AD102_BOOT0, AD102_BOOT0), ReadFault::None);
	EXPECT_EQ(check_reads(AD102_BOOT42, AD102_BOOT42), ReadFault::None);
	EXPECT_EQ(check_reads(GA100_BOOT0, GA100_BOOT0), ReadFault::None);
	/* Zero is a value, not a fault: identify() refuses what it means. */
	EXPECT_EQ(check_reads(0, 0), ReadFault::None);
	EXPECT(to_result(ReadFault::None).ok());
}

TEST(gpu, all_ones_in_either_read_is_not_responding_and_enodev)
{
	EXPECT_EQ(check_reads(ALL_ONES, ALL_ONES), ReadFault::NotResponding);
	EXPECT_EQ(check_reads(ALL_ONES, AD102_BOOT0), ReadFault::NotResponding);
	EXPECT_EQ(check_reads(AD102_BOOT0, ALL_ONES), ReadFault::NotResponding);
	EXPECT_ERR(to_result(ReadFault::NotResponding), err::ENODEV);
}

TEST(gpu, priv_error_pattern_in_either_read_is_eio)
{
	for (u32 v : PRIV_ERRORS) {
		EXPECT(is_priv_error(v));
		EXPECT_EQ(check_reads(v, v), ReadFault::PrivError);
		EXPECT_EQ(check_reads(v, AD102_BOOT0), ReadFault::PrivError);
		EXPECT_EQ(check_reads(AD102_BOOT0, v), ReadFault::PrivError);
	}
	/* Only 0xbadf in the upper half is the pattern. */
	EXPECT(!is_priv_error(0xbadeffff));
	EXPECT(!is_priv_error(0xbae00000));
	EXPECT(!is_priv_error(0x0000badf));
	EXPECT(!is_priv_error(ALL_ONES));
	EXPECT_ERR(to_result(ReadFault::PrivError), err::EIO);
}

TEST(gpu, reads_that_differ_are_unstable_and_eio)
{
	/* One flipped bit anywhere is enough. */
	for (unsigned bit = 0; bit < 32; bit++) {
		u32 flipped = AD102_BOOT0 ^ (u32 { 1 } << bit);
		EXPECT_EQ(check_reads(AD102_BOOT0, flipped), ReadFault::Unstable);
		EXPECT_EQ(check_reads(flipped, AD102_BOOT0), ReadFault::Unstable);
	}
	EXPECT_EQ(check_reads(AD102_BOOT0, GA100_BOOT0), ReadFault::Unstable);
	EXPECT_ERR(to_result(ReadFault::Unstable), err::EIO);
}

TEST(gpu, all_ones_outranks_priv_error_which_outranks_a_difference)
{
	EXPECT_EQ(check_reads(ALL_ONES, 0xbadf1100), ReadFault::NotResponding);
	EXPECT_EQ(check_reads(0xbadf1100, ALL_ONES), ReadFault::NotResponding);
	/* Two different priv errors say more than that they differ. */
	EXPECT_EQ(check_reads(0xbadf1100, 0xbadf1201), ReadFault::PrivError);
}

TEST(gpu, identify_takes_steady_reads_of_known_chips_only)
{
	auto ad102 = identify(Boot0(AD102_BOOT0), Boot42(AD102_BOOT42));
	ASSERT(ad102.ok());
	EXPECT_EQ(ad102->chipset->id, 0x192u);
	EXPECT_EQ(ad102->revision.major, 0xau);
	EXPECT_EQ(ad102->revision.minor, 1u);
	/* A pre-Fermi BOOT0 (NV40) and an unknown chipset are not ours. */
	EXPECT_ERR(identify(Boot0(0x040000a1), Boot42(0)), err::ENODEV);
	EXPECT_ERR(identify(Boot0(AD102_BOOT0), Boot42(0x1ff00000)), err::ENODEV);
}

TEST(gpu, fb_size_from_a_failed_read_is_unavailable)
{
	const FbSizeRegister regs[] = { FbSizeRegister::LocalMemoryRange,
					FbSizeRegister::UsableFbSizeInMb };
	for (FbSizeRegister reg : regs) {
		EXPECT(!decode_fb_size(reg, ALL_ONES).available());
		for (u32 v : PRIV_ERRORS)
			EXPECT(!decode_fb_size(reg, v).available());
	}
	/* Whose bits would otherwise read 16 MiB of LOCAL_MEMORY_RANGE. */
	EXPECT_EQ(LocalMemoryRange(0xbadf1100).usable_size(), u64 { 16 } << 20);
	/* What a sane GPU says still decodes: 24 GiB, and 16 x 2^9 MiB. */
	EXPECT_EQ(decode_fb_size(FbSizeRegister::UsableFbSizeInMb, 24576).bytes, u64 { 24 } << 30);
	EXPECT_EQ(decode_fb_size(FbSizeRegister::LocalMemoryRange, 0x109).bytes, u64 { 8 } << 30);
}
