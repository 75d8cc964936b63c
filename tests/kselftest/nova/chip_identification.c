// SPDX-License-Identifier: GPL-2.0
/*
 * nova_core identifies every supported chipset from its BOOT0/BOOT42
 * registers and publishes it in sysfs; it refuses pre-Fermi and unknown
 * chips with ENODEV and creates no DRM device for them.
 *
 * Each variant writes BOOT0 and BOOT42 of a model GPU through its test port
 * while it is unbound (Documentation/gpu-model.rst), binds it, checks the
 * outcome, and puts the original registers back. On a GPU that is not a
 * model (no test port) it skips.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nova_test.h"

#define WAIT_MS		10000
#define SETTLE_MS	200

FIXTURE(chip) {
	struct nova_env env;
	char bdf[32];
	uint32_t boot0, boot42;	/* the original registers */
	bool saved;
};

FIXTURE_VARIANT(chip) {
	const char *chipset;	/* NULL: the driver must refuse the chip */
	const char *architecture;
	uint32_t arch;		/* BOOT42 architecture, 6 bits */
	uint32_t impl;
	bool pre_fermi;		/* BOOT0 says NV04-class; BOOT42 is 0 */
};

/* The chipsets of the design brief, section 4. */
FIXTURE_VARIANT_ADD(chip, tu102) {
	.chipset = "tu102",
	.architecture = "Turing",
	.arch = 0x16,
	.impl = 0x2,
};

FIXTURE_VARIANT_ADD(chip, tu104) {
	.chipset = "tu104",
	.architecture = "Turing",
	.arch = 0x16,
	.impl = 0x4,
};

FIXTURE_VARIANT_ADD(chip, tu106) {
	.chipset = "tu106",
	.architecture = "Turing",
	.arch = 0x16,
	.impl = 0x6,
};

FIXTURE_VARIANT_ADD(chip, tu117) {
	.chipset = "tu117",
	.architecture = "Turing",
	.arch = 0x16,
	.impl = 0x7,
};

FIXTURE_VARIANT_ADD(chip, tu116) {
	.chipset = "tu116",
	.architecture = "Turing",
	.arch = 0x16,
	.impl = 0x8,
};

FIXTURE_VARIANT_ADD(chip, ga100) {
	.chipset = "ga100",
	.architecture = "Ampere",
	.arch = 0x17,
	.impl = 0x0,
};

FIXTURE_VARIANT_ADD(chip, ga102) {
	.chipset = "ga102",
	.architecture = "Ampere",
	.arch = 0x17,
	.impl = 0x2,
};

FIXTURE_VARIANT_ADD(chip, ga103) {
	.chipset = "ga103",
	.architecture = "Ampere",
	.arch = 0x17,
	.impl = 0x3,
};

FIXTURE_VARIANT_ADD(chip, ga104) {
	.chipset = "ga104",
	.architecture = "Ampere",
	.arch = 0x17,
	.impl = 0x4,
};

FIXTURE_VARIANT_ADD(chip, ga106) {
	.chipset = "ga106",
	.architecture = "Ampere",
	.arch = 0x17,
	.impl = 0x6,
};

FIXTURE_VARIANT_ADD(chip, ga107) {
	.chipset = "ga107",
	.architecture = "Ampere",
	.arch = 0x17,
	.impl = 0x7,
};

FIXTURE_VARIANT_ADD(chip, gh100) {
	.chipset = "gh100",
	.architecture = "Hopper",
	.arch = 0x18,
	.impl = 0x0,
};

FIXTURE_VARIANT_ADD(chip, ad102) {
	.chipset = "ad102",
	.architecture = "Ada",
	.arch = 0x19,
	.impl = 0x2,
};

FIXTURE_VARIANT_ADD(chip, ad103) {
	.chipset = "ad103",
	.architecture = "Ada",
	.arch = 0x19,
	.impl = 0x3,
};

FIXTURE_VARIANT_ADD(chip, ad104) {
	.chipset = "ad104",
	.architecture = "Ada",
	.arch = 0x19,
	.impl = 0x4,
};

FIXTURE_VARIANT_ADD(chip, ad106) {
	.chipset = "ad106",
	.architecture = "Ada",
	.arch = 0x19,
	.impl = 0x6,
};

FIXTURE_VARIANT_ADD(chip, ad107) {
	.chipset = "ad107",
	.architecture = "Ada",
	.arch = 0x19,
	.impl = 0x7,
};

FIXTURE_VARIANT_ADD(chip, gb100) {
	.chipset = "gb100",
	.architecture = "Blackwell",
	.arch = 0x1a,
	.impl = 0x0,
};

FIXTURE_VARIANT_ADD(chip, gb102) {
	.chipset = "gb102",
	.architecture = "Blackwell",
	.arch = 0x1a,
	.impl = 0x2,
};

FIXTURE_VARIANT_ADD(chip, gb202) {
	.chipset = "gb202",
	.architecture = "Blackwell",
	.arch = 0x1b,
	.impl = 0x2,
};

FIXTURE_VARIANT_ADD(chip, gb203) {
	.chipset = "gb203",
	.architecture = "Blackwell",
	.arch = 0x1b,
	.impl = 0x3,
};

FIXTURE_VARIANT_ADD(chip, gb205) {
	.chipset = "gb205",
	.architecture = "Blackwell",
	.arch = 0x1b,
	.impl = 0x5,
};

FIXTURE_VARIANT_ADD(chip, gb206) {
	.chipset = "gb206",
	.architecture = "Blackwell",
	.arch = 0x1b,
	.impl = 0x6,
};

FIXTURE_VARIANT_ADD(chip, gb207) {
	.chipset = "gb207",
	.architecture = "Blackwell",
	.arch = 0x1b,
	.impl = 0x7,
};

FIXTURE_VARIANT_ADD(chip, pre_fermi_nv40) {
	.arch = 0x4,
	.pre_fermi = true,
};

/* A known architecture with an implementation nova does not know. */
FIXTURE_VARIANT_ADD(chip, unknown_ad100) {
	.arch = 0x19,
	.impl = 0x0,
};

/* Volta: Fermi or later, but not supported. */
FIXTURE_VARIANT_ADD(chip, unknown_gv100) {
	.arch = 0x14,
	.impl = 0x0,
};

/* An architecture newer than any nova knows. */
FIXTURE_VARIANT_ADD(chip, unknown_arch_1f) {
	.arch = 0x1f,
	.impl = 0x2,
};

FIXTURE_SETUP(chip)
{
	char why[128];

	self->saved = false;
	if (nova_env_up_model(&self->env, self->bdf, why, sizeof(why)))
		SKIP(return, "%s", why);
}

/*
 * Write BOOT0 and BOOT42 and read them back; with @old0, the old values
 * first, and *@saved true once they are read.
 */
static int write_image(const char *bdf, uint32_t boot0, uint32_t boot42,
		       uint32_t *old0, uint32_t *old42, bool *saved)
{
	struct nova_regs regs;
	int ret;

	ret = nova_regs_map(bdf, &regs);
	if (ret)
		return ret;
	if (old0) {
		*old0 = nova_regs_read(&regs, NV_PMC_BOOT_0);
		*old42 = nova_regs_read(&regs, NV_PMC_BOOT_42);
		*saved = true;
	}
	nova_regs_write(&regs, NV_PMC_BOOT_0, boot0);
	nova_regs_write(&regs, NV_PMC_BOOT_42, boot42);
	ret = nova_regs_read(&regs, NV_PMC_BOOT_0) == boot0 &&
	      nova_regs_read(&regs, NV_PMC_BOOT_42) == boot42 ? 0 : -EIO;
	nova_regs_unmap(&regs);
	return ret;
}

FIXTURE_TEARDOWN(chip)
{
	struct nova_gpu gpu;

	if (self->saved) {
		if (nova_is_bound(self->bdf))
			nova_unbind(self->bdf);
		if (write_image(self->bdf, self->boot0, self->boot42, NULL,
				NULL, NULL))
			TH_LOG("cannot restore BOOT0 and BOOT42 of %s",
			       self->bdf);
	}
	if (!nova_is_bound(self->bdf) &&
	    (nova_bind(self->bdf) || nova_gpu_wait(self->bdf, &gpu, WAIT_MS)))
		TH_LOG("%s does not come back with its own registers", self->bdf);
	nova_env_down(&self->env);
}

TEST_F_TIMEOUT(chip, boot_registers_decide_the_probe, NOVA_TEST_TIMEOUT)
{
	/* Vary the revision with the chip so that both digits are checked. */
	const uint32_t major = 0xa + (variant->impl & 1);
	const uint32_t minor = variant->impl;
	char attr[64], revision[16];
	uint32_t boot0, boot42;
	struct nova_gpu gpu;
	uint64_t value, bar;
	int ret, fd;

	if (variant->pre_fermi) {
		boot0 = nova_boot0(variant->arch, 0x0, 0xa, 0x1);
		boot42 = 0;
	} else {
		boot0 = nova_boot0(variant->arch, variant->impl, major, minor);
		boot42 = nova_boot42(variant->arch, variant->impl, major, minor);
	}

	ASSERT_EQ(0, nova_unbind(self->bdf));
	ASSERT_EQ(0, nova_gpu_wait_gone(self->bdf, WAIT_MS));
	ret = write_image(self->bdf, boot0, boot42, &self->boot0, &self->boot42,
			  &self->saved);
	if (ret == -ENODEV && !self->saved)
		SKIP(return, "%s is not a model GPU (no test port)", self->bdf);
	ASSERT_EQ(0, ret);
	TH_LOG("%s: BOOT0 0x%08x BOOT42 0x%08x", self->bdf, boot0, boot42);

	ret = nova_bind(self->bdf);
	if (!variant->chipset) {
		EXPECT_EQ(-ENODEV, ret);
		EXPECT_FALSE(nova_is_bound(self->bdf));
		usleep(SETTLE_MS * 1000);
		nova_gpu_lookup(self->bdf, &gpu);
		EXPECT_EQ(0, gpu.naux);
		EXPECT_EQ(0, gpu.ncard);
		EXPECT_EQ(0, gpu.nrender);
		return;
	}

	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, nova_gpu_wait(self->bdf, &gpu, WAIT_MS));
	ASSERT_EQ(0, nova_pci_attr(self->bdf, "nova/chipset", attr, sizeof(attr)));
	EXPECT_STREQ(variant->chipset, attr);
	ASSERT_EQ(0, nova_pci_attr(self->bdf, "nova/architecture", attr,
				   sizeof(attr)));
	EXPECT_STREQ(variant->architecture, attr);
	snprintf(revision, sizeof(revision), "%x.%x", major, minor);
	ASSERT_EQ(0, nova_pci_attr(self->bdf, "nova/revision", attr, sizeof(attr)));
	EXPECT_STREQ(revision, attr);

	fd = nova_open(gpu.render);
	ASSERT_LE(0, fd);
	EXPECT_TRUE(nova_is_nova_fd(fd));
	EXPECT_EQ(0, nova_getparam(fd, NOVA_GETPARAM_VRAM_BAR_SIZE, &value));
	ASSERT_EQ(0, nova_expected_vram_bar(self->bdf, &bar));
	EXPECT_EQ(bar, value);
	close(fd);
}

TEST_HARNESS_MAIN
