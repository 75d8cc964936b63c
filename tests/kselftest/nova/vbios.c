// SPDX-License-Identifier: GPL-2.0
/*
 * nova_core reads the GPU's VBIOS from the PROM window (BAR0 + 0x300000)
 * and its VRAM size from the FB registers, and publishes them: sysfs
 * vbios_version, fwsec and vram_size under the PCI device's nova/, and
 * debugfs vbios (the raw ROM), vbios_images and bit_tokens under
 * nova_core/<BDF>/. A GPU without a usable VBIOS still binds and its DRM
 * device works; the sysfs files then read "unavailable".
 *
 * Each variant programs a model GPU while it is unbound (like
 * chip_identification): the chip's BOOT registers, GFW boot complete and
 * the FB size registers through its test port, and a ROM built by
 * tools/vbios-build stored straight into the PROM window; then binds it and
 * compares every file with what the builder encoded. The ROMs and the
 * expected file contents (vbios-build --describe DIR) are built with the
 * test, into vbios_roms/ next to it; see Documentation/testing-kselftest.rst.
 * On a GPU that is not a model (no test port) it skips.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nova_test.h"

#define WAIT_MS		10000

/* Register offsets in BAR0. */
#define NV_PFB_LOCAL_MEMORY_RANGE	0x100ce0	/* Turing, GA100 */
#define NV_GFW_PRIV_LEVEL_MASK	0x118128	/* SCRATCH_GROUP_05 mask */
#define NV_GFW_BOOT_PROGRESS	0x118234	/* SCRATCH_GROUP_05(0) */
#define NV_USABLE_FB_SIZE_IN_MB	0x1183a4	/* GA102 and later */

/* What a variant changes besides the PROM window; [GFW_MASK] is kept. */
enum { GFW_MASK = 3 };
static const uint32_t saved_regs[] = {
	NV_PMC_BOOT_0, NV_PMC_BOOT_42, NV_PFB_LOCAL_MEMORY_RANGE,
	[GFW_MASK] = NV_GFW_PRIV_LEVEL_MASK, NV_GFW_BOOT_PROGRESS,
	NV_USABLE_FB_SIZE_IN_MB,
};

#define UNAVAILABLE	"unavailable\n"

FIXTURE(vbios) {
	struct nova_env env;
	char bdf[32];
	char dir[PATH_MAX];	/* vbios_roms/ */
	uint32_t regs[ARRAY_SIZE(saved_regs)];
	bool saved;
};

FIXTURE_VARIANT(vbios) {
	uint32_t arch, impl;
	const char *rom;	/* vbios_roms/<rom>.rom and <rom>/; NULL: none */
	bool usable;		/* nova-core can use the ROM */
	uint32_t fb_range;	/* NV_PFB_LOCAL_MEMORY_RANGE, or 0 */
	uint32_t fb_mib;	/* NV_USABLE_FB_SIZE_IN_MB, or 0 */
	uint64_t vram;		/* expected vram_size; 0: "unavailable" */
};

/* Turing, descriptor V2, FWSEC PROD; 11 GiB (lower_mag 11, scale 10). */
FIXTURE_VARIANT_ADD(vbios, tu102) {
	.arch = 0x16, .impl = 0x2, .rom = "tu102", .usable = true,
	.fb_range = 11 << 4 | 10, .vram = 11ULL << 30,
};

/* GA102 behind an IFR header, V3, PROD and DBG (PROD wins); 10 GiB. */
FIXTURE_VARIANT_ADD(vbios, ga102) {
	.arch = 0x17, .impl = 0x2, .rom = "ga102", .usable = true,
	.fb_mib = 10240, .vram = 10240ULL << 20,
};

/* Ada, V3, FWSEC DBG only; 24 GiB. */
FIXTURE_VARIANT_ADD(vbios, ad102) {
	.arch = 0x19, .impl = 0x2, .rom = "ad102", .usable = true,
	.fb_mib = 24576, .vram = 24576ULL << 20,
};

/* No ROM at all: the PROM window reads zeros. */
FIXTURE_VARIANT_ADD(vbios, none) {
	.arch = 0x19, .impl = 0x2,
};

/* An Ada ROM whose PC-AT image has a broken PCI data structure. */
FIXTURE_VARIANT_ADD(vbios, corrupt) {
	.arch = 0x19, .impl = 0x2, .rom = "corrupt",
};

FIXTURE_SETUP(vbios)
{
	char why[128];

	self->saved = false;
	if (nova_data_dir("NOVA_VBIOS_ROMS", "vbios_roms", self->dir, sizeof(self->dir)))
		SKIP(return, "no vbios_roms/ next to the test (built by its "
		     "Makefile with tools/vbios-build)");
	if (nova_env_up_model(&self->env, self->bdf, why, sizeof(why)))
		SKIP(return, "%s", why);
}

FIXTURE_TEARDOWN(vbios)
{
	struct nova_regs regs;
	struct nova_gpu gpu;
	size_t i;

	if (self->saved) {
		if (nova_is_bound(self->bdf))
			nova_unbind(self->bdf);
		if (nova_regs_map(self->bdf, &regs)) {
			TH_LOG("cannot restore the registers and PROM of %s",
			       self->bdf);
		} else {
			for (i = 0; i < ARRAY_SIZE(saved_regs); i++)
				nova_regs_write(&regs, saved_regs[i],
						self->regs[i]);
			nova_prom_restore(&regs);
			nova_regs_unmap(&regs);
		}
	}
	if (!nova_is_bound(self->bdf) &&
	    (nova_bind(self->bdf) || nova_gpu_wait(self->bdf, &gpu, WAIT_MS)))
		TH_LOG("%s does not come back with its own registers and ROM",
		       self->bdf);
	nova_env_down(&self->env);
}

/*
 * Save what the variant changes in the GPU's registers, then write the
 * variant's registers and ROM (zeros after it, up to the end of the window;
 * the teardown puts the model's own ROM back, nova_prom_restore()). -ENODEV, with nothing saved or changed, if it is not a model.
 */
static int write_image(FIXTURE_DATA(vbios) *self,
		       const FIXTURE_VARIANT(vbios) *variant,
		       const uint8_t *rom, size_t rom_len)
{
	struct nova_regs regs;
	size_t i;
	int ret;

	ret = nova_regs_map(self->bdf, &regs);
	if (ret)
		return ret;
	for (i = 0; i < ARRAY_SIZE(saved_regs); i++)
		self->regs[i] = nova_regs_read(&regs, saved_regs[i]);
	self->saved = true;

	nova_regs_write(&regs, NV_PMC_BOOT_0,
			nova_boot0(variant->arch, variant->impl, 0xa, 0x1));
	nova_regs_write(&regs, NV_PMC_BOOT_42,
			nova_boot42(variant->arch, variant->impl, 0xa, 0x1));
	/* GFW boot done, readable at privilege level 0, as on a booted GPU. */
	nova_regs_write(&regs, NV_GFW_PRIV_LEVEL_MASK, self->regs[GFW_MASK] | 1);
	nova_regs_write(&regs, NV_GFW_BOOT_PROGRESS, 0xff);
	nova_regs_write(&regs, NV_PFB_LOCAL_MEMORY_RANGE, variant->fb_range);
	nova_regs_write(&regs, NV_USABLE_FB_SIZE_IN_MB, variant->fb_mib);
	ret = nova_prom_write(&regs, rom, rom_len);
	nova_regs_unmap(&regs);
	return ret;
}

/*
 * Compare a sysfs or debugfs file with the bytes it must hold; logs the
 * difference. -ENOENT when the file does not exist.
 */
static int check_file(struct __test_metadata *_metadata, const char *path,
		      const uint8_t *want, size_t want_len, bool text)
{
	uint8_t *got;
	ssize_t n;
	size_t i;

	n = nova_slurp(path, &got, 0);
	if (n < 0) {
		TH_LOG("%s: %s%s", path, strerror((int)-n),
		       n == -ENOENT ? " (file missing: the driver does not "
		       "publish it)" : "");
		return (int)n;
	}
	if ((size_t)n == want_len && !memcmp(got, want, want_len)) {
		free(got);
		return 0;
	}
	if (text) {
		TH_LOG("%s reads:\n%.*s", path, (int)n, got);
		TH_LOG("want:\n%.*s", (int)want_len, want);
	} else {
		for (i = 0; i < (size_t)n && i < want_len && got[i] == want[i];
		     i++)
			;
		TH_LOG("%s: %zd bytes, want %zu; first difference at 0x%zx",
		       path, n, want_len, i);
	}
	free(got);
	return -EINVAL;
}

TEST_F_TIMEOUT(vbios, sysfs_and_debugfs_show_the_rom, NOVA_TEST_TIMEOUT)
{
	static const char *const sysfs[] = { "vbios_version", "fwsec" };
	static const char *const debugfs[] = { "vbios_images", "bit_tokens" };
	char path[PATH_MAX + 96], vram[32];
	uint8_t *rom = NULL, *want;
	struct nova_gpu gpu;
	ssize_t rom_len = 0, n;
	uint64_t value, bar;
	size_t i;
	int ret, fd;

	if (variant->rom) {
		snprintf(path, sizeof(path), "%s/%s.rom", self->dir,
			 variant->rom);
		rom_len = nova_slurp(path, &rom, 0);
		ASSERT_LE(0, rom_len) TH_LOG("%s: %s", path,
					     strerror((int)-rom_len));
		ASSERT_GE(NOVA_PROM_SIZE, rom_len);
	}

	ASSERT_EQ(0, nova_unbind(self->bdf));
	ASSERT_EQ(0, nova_gpu_wait_gone(self->bdf, WAIT_MS));
	ret = write_image(self, variant, rom, rom_len);
	if (ret == -ENODEV && !self->saved) {
		free(rom);
		SKIP(return, "%s is not a model GPU (no test port)", self->bdf);
	}
	ASSERT_EQ(0, ret);
	TH_LOG("%s: %s, ROM %s (%zd bytes)", self->bdf,
	       variant->rom ? variant->rom : "-",
	       variant->rom ? path : "none", rom_len);

	/* The GPU binds and its DRM device answers, ROM or not. */
	ASSERT_EQ(0, nova_bind(self->bdf));
	ASSERT_EQ(0, nova_gpu_wait(self->bdf, &gpu, WAIT_MS));
	fd = nova_open(gpu.render);
	ASSERT_LE(0, fd);
	EXPECT_TRUE(nova_is_nova_fd(fd));
	EXPECT_EQ(0, nova_getparam(fd, NOVA_GETPARAM_VRAM_BAR_SIZE, &value));
	ASSERT_EQ(0, nova_expected_vram_bar(self->bdf, &bar));
	EXPECT_EQ(bar, value);
	close(fd);

	/* sysfs: what the builder encoded, or "unavailable". */
	for (i = 0; i < ARRAY_SIZE(sysfs); i++) {
		uint8_t *exp = (uint8_t *)UNAVAILABLE;
		ssize_t exp_len = strlen(UNAVAILABLE);
		char epath[PATH_MAX + 96];

		if (variant->usable) {
			snprintf(epath, sizeof(epath), "%s/%s/%s", self->dir,
				 variant->rom, sysfs[i]);
			exp_len = nova_slurp(epath, &want, 0);
			ASSERT_LE(0, exp_len) TH_LOG("%s: %s", epath,
						     strerror((int)-exp_len));
			exp = want;
		}
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/nova/%s",
			 self->bdf, sysfs[i]);
		EXPECT_EQ(0, check_file(_metadata, path, exp, exp_len, true));
		if (variant->usable)
			free(want);
	}
	if (variant->vram)
		snprintf(vram, sizeof(vram), "%llu\n",
			 (unsigned long long)variant->vram);
	else
		snprintf(vram, sizeof(vram), UNAVAILABLE);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/nova/vram_size",
		 self->bdf);
	EXPECT_EQ(0, check_file(_metadata, path, (uint8_t *)vram,
				strlen(vram), true));

	if (!variant->usable) {
		free(rom);
		return;
	}

	/* debugfs: the raw ROM, and the images and BIT tokens in it. */
	snprintf(path, sizeof(path), "/sys/kernel/debug/%s/%s/vbios",
		 NOVA_CORE, self->bdf);
	EXPECT_EQ(0, check_file(_metadata, path, rom, rom_len, false));
	for (i = 0; i < ARRAY_SIZE(debugfs); i++) {
		char epath[PATH_MAX + 96];

		snprintf(epath, sizeof(epath), "%s/%s/%s", self->dir,
			 variant->rom, debugfs[i]);
		n = nova_slurp(epath, &want, 0);
		ASSERT_LE(0, n) TH_LOG("%s: %s", epath, strerror((int)-n));
		snprintf(path, sizeof(path), "/sys/kernel/debug/%s/%s/%s",
			 NOVA_CORE, self->bdf, debugfs[i]);
		EXPECT_EQ(0, check_file(_metadata, path, want, n, true));
		free(want);
	}
	free(rom);
}

TEST_HARNESS_MAIN
