// SPDX-License-Identifier: GPL-2.0
/*
 * nova_core reads the VRAM size from the FB register of the chip's
 * architecture and shows it in nova/vram_size (decimal bytes), or
 * "unavailable" when the register gives zero or an impossible size; the
 * GPU binds and its DRM device works either way.
 *
 * Each variant writes a chip and both size registers of a model GPU through
 * its test port while it is unbound (Documentation/gpu-model.rst), binds
 * it, checks the file and the render node, and puts the original registers
 * back. The register a chip must not read holds a different size, so
 * reading the wrong one shows. On a GPU that is not a model it skips.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nova_test.h"

#define WAIT_MS		10000

/* Documentation/hardware.rst, "VRAM size". */
#define LOCAL_MEMORY_RANGE	0x100ce0	/* Turing, GA100 */
#define LMR_ECC			(1u << 30)
#define USABLE_FB_SIZE_IN_MB	0x1183a4	/* GA102 and later */

#define LMR(mag, scale)		((uint32_t)(mag) << 4 | (scale))

static const uint32_t saved_regs[] = {
	NV_PMC_BOOT_0, NV_PMC_BOOT_42, LOCAL_MEMORY_RANGE, USABLE_FB_SIZE_IN_MB,
};
#define NSAVED (sizeof(saved_regs) / sizeof(saved_regs[0]))

FIXTURE(vram) {
	struct nova_env env;
	char bdf[32];
	uint32_t saved[NSAVED];
	bool have_saved;
};

FIXTURE_VARIANT(vram) {
	uint32_t arch, impl;
	uint32_t lmr, usable_mib;
	const char *want;	/* nova/vram_size without the newline */
};

/* 11 << 10 MiB: tu102's 11 GiB. */
FIXTURE_VARIANT_ADD(vram, tu102_local_memory_range) {
	.arch = 0x16, .impl = 0x2,
	.lmr = LMR(11, 10), .usable_mib = 4096,
	.want = "11811160064",
};

/* ECC keeps 15/16: 24 GiB with ECC is 22.5 GiB usable. */
FIXTURE_VARIANT_ADD(vram, tu104_ecc_keeps_fifteen_sixteenths) {
	.arch = 0x16, .impl = 0x4,
	.lmr = LMR_ECC | LMR(3, 13), .usable_mib = 4096,
	.want = "24159191040",
};

FIXTURE_VARIANT_ADD(vram, ga100_local_memory_range) {
	.arch = 0x17, .impl = 0x0,
	.lmr = LMR(5, 13), .usable_mib = 4096,
	.want = "42949672960",
};

FIXTURE_VARIANT_ADD(vram, ga102_usable_fb_size) {
	.arch = 0x17, .impl = 0x2,
	.lmr = LMR(1, 12), .usable_mib = 24576,
	.want = "25769803776",
};

FIXTURE_VARIANT_ADD(vram, gh100_usable_fb_size) {
	.arch = 0x18, .impl = 0x0,
	.lmr = LMR(1, 12), .usable_mib = 81920,
	.want = "85899345920",
};

FIXTURE_VARIANT_ADD(vram, ad107_usable_fb_size) {
	.arch = 0x19, .impl = 0x7,
	.lmr = LMR(1, 12), .usable_mib = 8192,
	.want = "8589934592",
};

FIXTURE_VARIANT_ADD(vram, gb100_usable_fb_size) {
	.arch = 0x1a, .impl = 0x0,
	.lmr = LMR(1, 12), .usable_mib = 196608,
	.want = "206158430208",
};

FIXTURE_VARIANT_ADD(vram, gb202_usable_fb_size) {
	.arch = 0x1b, .impl = 0x2,
	.lmr = LMR(1, 12), .usable_mib = 32768,
	.want = "34359738368",
};

/* Zero: devinit has not run. */
FIXTURE_VARIANT_ADD(vram, ad102_zero_is_unavailable) {
	.arch = 0x19, .impl = 0x2,
	.lmr = LMR(3, 13), .usable_mib = 0,
	.want = "unavailable",
};

FIXTURE_VARIANT_ADD(vram, tu102_zero_is_unavailable) {
	.arch = 0x16, .impl = 0x2,
	.lmr = LMR_ECC, .usable_mib = 24576,
	.want = "unavailable",
};

/* All ones, as a read from a GPU off the bus: no GPU has 4 PiB. */
FIXTURE_VARIANT_ADD(vram, ad102_all_ones_is_unavailable) {
	.arch = 0x19, .impl = 0x2,
	.lmr = LMR(3, 13), .usable_mib = 0xffffffff,
	.want = "unavailable",
};

/* 63 << 15 MiB is 2016 GiB: beyond any GPU. */
FIXTURE_VARIANT_ADD(vram, tu102_largest_encoding_is_unavailable) {
	.arch = 0x16, .impl = 0x2,
	.lmr = LMR(63, 15), .usable_mib = 4096,
	.want = "unavailable",
};

/*
 * Writes @vals to the registers of saved_regs, keeping the old values in
 * @old (*@saved true once they are all read).
 */
static int write_regs(const char *bdf, const uint32_t *vals, uint32_t *old,
		      bool *saved)
{
	struct nova_regs regs;
	unsigned int i;
	int ret = 0;

	ret = nova_regs_map(bdf, &regs);
	if (ret)
		return ret;
	for (i = 0; old && i < NSAVED; i++)
		old[i] = nova_regs_read(&regs, saved_regs[i]);
	if (old)
		*saved = true;
	for (i = 0; i < NSAVED; i++) {
		nova_regs_write(&regs, saved_regs[i], vals[i]);
		if (nova_regs_read(&regs, saved_regs[i]) != vals[i])
			ret = -EIO;
	}
	nova_regs_unmap(&regs);
	return ret;
}

FIXTURE_SETUP(vram)
{
	char why[128];

	self->have_saved = false;
	if (nova_env_up_model(&self->env, self->bdf, why, sizeof(why)))
		SKIP(return, "%s", why);
}

FIXTURE_TEARDOWN(vram)
{
	struct nova_gpu gpu;

	if (self->have_saved) {
		if (nova_is_bound(self->bdf))
			nova_unbind(self->bdf);
		if (write_regs(self->bdf, self->saved, NULL, NULL))
			TH_LOG("cannot restore the registers of %s", self->bdf);
	}
	if (!nova_is_bound(self->bdf) &&
	    (nova_bind(self->bdf) || nova_gpu_wait(self->bdf, &gpu, WAIT_MS)))
		TH_LOG("%s does not come back with its own registers", self->bdf);
	nova_env_down(&self->env);
}

TEST_F_TIMEOUT(vram, size_register_of_the_architecture, NOVA_TEST_TIMEOUT)
{
	uint32_t vals[NSAVED] = {
		nova_boot0(variant->arch, variant->impl, 0xa, 0x1),
		nova_boot42(variant->arch, variant->impl, 0xa, 0x1),
		variant->lmr,
		variant->usable_mib,
	};
	struct nova_gpu gpu;
	char attr[64];
	uint64_t value, bar;
	int ret, fd;

	ASSERT_EQ(0, nova_unbind(self->bdf));
	ASSERT_EQ(0, nova_gpu_wait_gone(self->bdf, WAIT_MS));
	ret = write_regs(self->bdf, vals, self->saved, &self->have_saved);
	if (ret == -ENODEV && !self->have_saved)
		SKIP(return, "%s is not a model GPU (no test port)", self->bdf);
	ASSERT_EQ(0, ret);

	ASSERT_EQ(0, nova_bind(self->bdf));
	ASSERT_EQ(0, nova_gpu_wait(self->bdf, &gpu, WAIT_MS));
	ASSERT_EQ(0, nova_pci_attr(self->bdf, "nova/vram_size", attr, sizeof(attr)));
	EXPECT_STREQ(variant->want, attr);

	/* nova-drm's answer comes from nova-core's facts, size known or not. */
	fd = nova_open(gpu.render);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, nova_getparam(fd, NOVA_GETPARAM_VRAM_BAR_SIZE, &value));
	ASSERT_EQ(0, nova_expected_vram_bar(self->bdf, &bar));
	EXPECT_EQ(bar, value);
	close(fd);
}

TEST_HARNESS_MAIN
