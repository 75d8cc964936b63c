// SPDX-License-Identifier: GPL-2.0
/*
 * nova_core computes the framebuffer layout of the GSP boot from the VRAM
 * size and the display registers, and makes FWSEC-FRTS ready from the
 * VBIOS: debugfs nova_core/<BDF>/fb_layout, wpr_meta and fwsec_frts (the
 * patched DMEM), Documentation/fb-layout.rst. A ROM whose FWSEC-FRTS
 * structures are malformed, or that has no FWSEC, leaves fwsec_frts
 * "unavailable" and the GPU binds. A chip that boots through the FSP
 * (Hopper, Blackwell) has no layout the driver computes: fb_layout gives
 * the VRAM and the sizes the firmware is handed, and "offsets chosen by
 * the firmware"; wpr_meta, with the firmware, has those sizes and every
 * offset 0; no FWSEC-FRTS is prepared. GA100's FRTS region is empty: it
 * needs no FWSEC-FRTS, and fwsec_frts says "not needed: empty FRTS region".
 *
 * Each variant programs a model GPU while it is unbound, as the vbios test
 * does: through its test port the chip's BOOT registers, GFW boot complete,
 * the FB size registers and the registers tools/vbios-build
 * --print-registers gives (display fuse, VGA workspace, fuse version), and
 * a built ROM straight into the PROM window; then binds it and compares the
 * three files with what tools/vbios-build --describe --vram computed on its
 * own from the ROM and the registers. The ROMs and descriptions are built
 * with the test into fb_layout_roms/ next to it. On a GPU that is not a
 * model (no test port) it skips.
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

#define WAIT_MS			10000
#define NV_PFB_LOCAL_MEMORY_RANGE	0x100ce0
#define NV_GFW_PRIV_LEVEL_MASK	0x118128
#define NV_GFW_BOOT_PROGRESS	0x118234
#define NV_USABLE_FB_SIZE_IN_MB	0x1183a4
#define MAX_REGS		32
#define UNAVAILABLE		"unavailable\n"
#define NOT_NEEDED		"not needed: empty FRTS region\n"

static const char *const files[] = { "fb_layout", "wpr_meta", "fwsec_frts" };

FIXTURE(fb_layout) {
	struct nova_env env;
	char bdf[32];
	char dir[PATH_MAX];
	uint32_t off[MAX_REGS], old[MAX_REGS];
	int nregs;
	bool saved;
};

FIXTURE_VARIANT(fb_layout) {
	uint32_t arch, impl;
	const char *name;	/* fb_layout_roms/<name>.rom and <name>/ */
	uint32_t fb_range;	/* NV_PFB_LOCAL_MEMORY_RANGE, or 0 */
	uint32_t fb_mib;	/* NV_USABLE_FB_SIZE_IN_MB, or 0 */
	bool frts;		/* FWSEC-FRTS is ready */
	bool frts_empty;	/* the FRTS region is empty: FWSEC-FRTS not needed */
	bool layout;		/* the layout is computed */
	const char *fsp_sizes;	/* boots through the FSP: fb_layout reads this */
};

/* Turing, V2: 8 GiB (mag 8, scale 10) and 4 GiB. */
FIXTURE_VARIANT_ADD(fb_layout, tu102_8g) {
	.arch = 0x16, .impl = 0x2, .name = "tu102_8g", .fb_range = 8 << 4 | 10,
	.frts = true, .layout = true,
};
FIXTURE_VARIANT_ADD(fb_layout, tu117_4g) {
	.arch = 0x16, .impl = 0x7, .name = "tu117_4g", .fb_range = 4 << 4 | 10,
	.frts = true, .layout = true,
};
/*
 * GA100: display fused off, the workspace register not used; 40 GiB. Its
 * FRTS region is empty (upstream, and OpenRM's kgspGetFrtsSize): no
 * FWSEC-FRTS.
 */
FIXTURE_VARIANT_ADD(fb_layout, ga100_40g) {
	.arch = 0x17, .impl = 0x0, .name = "ga100_40g", .fb_range = 40 << 4 | 10,
	.frts_empty = true, .layout = true,
};
/* GA102 and later, V3 with signatures. */
FIXTURE_VARIANT_ADD(fb_layout, ga102_24g) {
	.arch = 0x17, .impl = 0x2, .name = "ga102_24g", .fb_mib = 24576,
	.frts = true, .layout = true,
};
FIXTURE_VARIANT_ADD(fb_layout, ga106_12g) {
	.arch = 0x17, .impl = 0x6, .name = "ga106_12g", .fb_mib = 12288,
	.frts = true, .layout = true,
};
FIXTURE_VARIANT_ADD(fb_layout, ad102_24g) {
	.arch = 0x19, .impl = 0x2, .name = "ad102_24g", .fb_mib = 24576,
	.frts = true, .layout = true,
};
FIXTURE_VARIANT_ADD(fb_layout, ad107_8g) {
	.arch = 0x19, .impl = 0x7, .name = "ad107_8g", .fb_mib = 8192,
	.frts = true, .layout = true,
};
/* A size that is not a whole number of GiB. */
FIXTURE_VARIANT_ADD(fb_layout, ad104_5888m) {
	.arch = 0x19, .impl = 0x4, .name = "ad104_5888m", .fb_mib = 5888,
	.frts = true, .layout = true,
};
/* Bad inputs: no FWSEC, and one malformed structure each. */
FIXTURE_VARIANT_ADD(fb_layout, ad102_no_fwsec) {
	.arch = 0x19, .impl = 0x2, .name = "ad102_no_fwsec", .fb_mib = 16384,
	.layout = true,
};
FIXTURE_VARIANT_ADD(fb_layout, ad102_bad_appif) {
	.arch = 0x19, .impl = 0x2, .name = "ad102_bad_appif", .fb_mib = 16384,
	.layout = true,
};
FIXTURE_VARIANT_ADD(fb_layout, tu102_bad_dmemmapper) {
	.arch = 0x16, .impl = 0x2, .name = "tu102_bad_dmemmapper",
	.fb_range = 8 << 4 | 10, .layout = true,
};
FIXTURE_VARIANT_ADD(fb_layout, ga102_bad_signature) {
	.arch = 0x17, .impl = 0x2, .name = "ga102_bad_signature",
	.fb_mib = 24576, .layout = true,
};
/*
 * Hopper boots through the FSP: sizes only. 80 GiB; the WPR2 heap is
 * LIBOS3's 22 MiB, GH100's 14 MiB for the RM, 96 MiB for a client and
 * 80 * 96 KiB aligned up to 8 MiB; FRTS 2 MiB below the end of VRAM.
 */
FIXTURE_VARIANT_ADD(fb_layout, gh100_80g) {
	.arch = 0x18, .impl = 0x0, .name = "gh100_80g", .fb_mib = 81920,
	.fsp_sizes = "fb 0x0 0x1400000000 0x1400000000\n"
		     "non_wpr_heap size 0x200000\n"
		     "wpr2_heap size 0x8c00000\n"
		     "frts size 0x100000\n"
		     "vga_workspace size 0x20000\n"
		     "pmu_reserved size 0x0\n"
		     "frts_vidmem_offset 0x200000\n"
		     "offsets chosen by the firmware\n",
};

FIXTURE_SETUP(fb_layout)
{
	char why[128];

	self->saved = false;
	self->nregs = 0;
	if (nova_data_dir("NOVA_FB_LAYOUT_ROMS", "fb_layout_roms", self->dir, sizeof(self->dir)))
		SKIP(return, "no fb_layout_roms/ next to the test (built by its "
		     "Makefile with tools/vbios-build)");
	if (nova_env_up_model(&self->env, self->bdf, why, sizeof(why)))
		SKIP(return, "%s", why);
}

FIXTURE_TEARDOWN(fb_layout)
{
	struct nova_regs regs;
	struct nova_gpu gpu;
	int i;

	if (self->saved) {
		if (nova_is_bound(self->bdf))
			nova_unbind(self->bdf);
		if (nova_regs_map(self->bdf, &regs)) {
			TH_LOG("cannot restore the registers and PROM of %s", self->bdf);
		} else {
			for (i = self->nregs - 1; i >= 0; i--)
				nova_regs_write(&regs, self->off[i], self->old[i]);
			nova_prom_restore(&regs);
			nova_regs_unmap(&regs);
		}
	}
	if (!nova_is_bound(self->bdf) &&
	    (nova_bind(self->bdf) || nova_gpu_wait(self->bdf, &gpu, WAIT_MS)))
		TH_LOG("%s does not come back with its own registers and ROM", self->bdf);
	nova_env_down(&self->env);
}

/* Save, then write, one register. */
static int set_reg(FIXTURE_DATA(fb_layout) *self, struct nova_regs *regs,
		   uint32_t off, uint32_t value)
{
	if (self->nregs == MAX_REGS)
		return -E2BIG;
	self->off[self->nregs] = off;
	self->old[self->nregs++] = nova_regs_read(regs, off);
	nova_regs_write(regs, off, value);
	return 0;
}

/*
 * The variant's registers and ROM; <name>/registers: "offset value" lines.
 * -ENODEV, with nothing saved or changed, if the GPU is not a model.
 */
static int write_image(FIXTURE_DATA(fb_layout) *self,
		       const FIXTURE_VARIANT(fb_layout) *variant,
		       const uint8_t *rom, size_t rom_len, const char *reg_text)
{
	struct nova_regs regs;
	unsigned int off, val;
	const char *p = reg_text;
	int ret, n;

	ret = nova_regs_map(self->bdf, &regs);
	if (ret)
		return ret;
	self->saved = true;
	ret = set_reg(self, &regs, NV_PMC_BOOT_0,
		      nova_boot0(variant->arch, variant->impl, 0xa, 0x1));
	ret = ret ?: set_reg(self, &regs, NV_PMC_BOOT_42,
			     nova_boot42(variant->arch, variant->impl, 0xa, 0x1));
	ret = ret ?: set_reg(self, &regs, NV_GFW_PRIV_LEVEL_MASK,
			     nova_regs_read(&regs, NV_GFW_PRIV_LEVEL_MASK) | 1);
	ret = ret ?: set_reg(self, &regs, NV_GFW_BOOT_PROGRESS, 0xff);
	ret = ret ?: set_reg(self, &regs, NV_PFB_LOCAL_MEMORY_RANGE, variant->fb_range);
	ret = ret ?: set_reg(self, &regs, NV_USABLE_FB_SIZE_IN_MB, variant->fb_mib);
	while (!ret && sscanf(p, "%x %x%n", &off, &val, &n) == 2) {
		ret = set_reg(self, &regs, off, val);
		p += n;
	}
	ret = ret ?: nova_prom_write(&regs, rom, rom_len);
	nova_regs_unmap(&regs);
	return ret;
}

/*
 * wpr_meta @got against its description @want, line by line: where the
 * description reads "bus" (an address the kernel chose) @got must hold a
 * nonzero, GSP-page-aligned address, and for sysmemAddrOfRadix3Elf the
 * radix3 level 0's, @level0. 0 if they match, else -1 and @why.
 */
static int wpr_meta_differs(const char *got, const char *want, unsigned long long level0,
			    char *why, size_t len)
{
	static const char bus[] = " bus";
	const char *g = got, *w = want;
	unsigned long long v;
	size_t gl, wl, kl;
	char *end;

	while (*g || *w) {
		gl = strcspn(g, "\n");
		wl = strcspn(w, "\n");
		kl = strcspn(w, " \n");
		if (wl > kl && wl - kl == strlen(bus) && !strncmp(w + kl, bus, strlen(bus))) {
			if (strncmp(g, w, kl + 1)) {
				snprintf(why, len, "reads \"%.*s\", want %.*s", (int)gl, g,
					 (int)kl, w);
				return -1;
			}
			v = strtoull(g + kl + 1, &end, 16);
			if (end != g + gl || !v || v & 0xfff) {
				snprintf(why, len, "\"%.*s\" is no bus address", (int)gl, g);
				return -1;
			}
			if (!strncmp(w, "sysmemAddrOfRadix3Elf ", kl + 1) && v != level0) {
				snprintf(why, len, "\"%.*s\", but gsp_radix3's level0_dma is 0x%llx",
					 (int)gl, g, level0);
				return -1;
			}
		} else if (gl != wl || strncmp(g, w, wl)) {
			snprintf(why, len, "reads \"%.*s\", want \"%.*s\"", (int)gl, g, (int)wl, w);
			return -1;
		}
		g += gl + (g[gl] == '\n');
		w += wl + (w[wl] == '\n');
	}
	return 0;
}

/*
 * On a chip that boots through the FSP: fb_layout (@layout) must read
 * @sizes exactly; wpr_meta must read "unavailable" without the firmware,
 * and with it have GH100's sizes for 80 GiB (the one such variant), every
 * offset and the FB size 0.
 * Returns 0, or 1 after logging why not.
 */
static int fsp_text_differs(const char *got, bool layout, bool with_fw, const char *sizes)
{
	static const char *const zero[] = {
		"gspFwRsvdStart 0x0\n", "nonWprHeapOffset 0x0\n", "gspFwWprStart 0x0\n",
		"gspFwHeapOffset 0x0\n", "gspFwOffset 0x0\n", "bootBinOffset 0x0\n",
		"frtsOffset 0x0\n", "gspFwWprEnd 0x0\n", "fbSize 0x0\n",
		"vgaWorkspaceOffset 0x0\n",
	};
	static const char *const sized[] = {
		"nonWprHeapSize 0x200000\n", "gspFwHeapSize 0x8c00000\n", "frtsSize 0x100000\n",
		"vgaWorkspaceSize 0x20000\n", "pmuReservedSize 0x0\n",
		"magic 0xdc3aae21371a60b3\n",
	};
	size_t k;

	if (layout)
		return strcmp(got, sizes) != 0;
	if (!with_fw)
		return strcmp(got, UNAVAILABLE) != 0;
	for (k = 0; k < sizeof(zero) / sizeof(zero[0]); k++)
		if (!strstr(got, zero[k])) {
			fprintf(stderr, "# wpr_meta lacks %s", zero[k]);
			return 1;
		}
	for (k = 0; k < sizeof(sized) / sizeof(sized[0]); k++)
		if (!strstr(got, sized[k])) {
			fprintf(stderr, "# wpr_meta lacks %s", sized[k]);
			return 1;
		}
	return 0;
}

/* Whether @text (of @len bytes) is exactly @want. */
static bool reads(const uint8_t *text, ssize_t len, const char *want)
{
	return len == (ssize_t)strlen(want) && !memcmp(text, want, len);
}

/* The size of fb_layout's frts line, or -1 without one. */
static long long frts_region_size(const uint8_t *text, ssize_t len)
{
	char buf[1024];
	unsigned long long start, end, size;
	const char *at;

	snprintf(buf, sizeof(buf), "%.*s", (int)len, (const char *)text);
	at = strstr(buf, "\nfrts ");
	if (!at || sscanf(at, "\nfrts %llx %llx %llx", &start, &end, &size) != 3)
		return -1;
	return end - start == size ? (long long)size : -1;
}

/* gsp_radix3's level0_dma, or 0. */
static unsigned long long radix3_level0(const char *bdf)
{
	char path[PATH_MAX];
	unsigned long long v = 0;
	uint8_t *text;
	char *at;

	snprintf(path, sizeof(path), "/sys/kernel/debug/%s/%s/gsp_radix3", NOVA_CORE, bdf);
	if (nova_slurp(path, &text, 0) < 0)
		return 0;
	at = strstr((char *)text, "level0_dma ");
	if (at)
		v = strtoull(at + strlen("level0_dma "), NULL, 16);
	free(text);
	return v;
}

TEST_F_TIMEOUT(fb_layout, debugfs_matches_the_independent_description, NOVA_TEST_TIMEOUT)
{
	char path[PATH_MAX + 96];
	uint8_t *rom, *reg_text, *want, *got;
	ssize_t rom_len, reg_len, want_len, got_len;
	struct nova_gpu gpu;
	bool with_fw;
	size_t i, k;
	int ret, fd;

	snprintf(path, sizeof(path), "%s/%s.rom", self->dir, variant->name);
	rom_len = nova_slurp(path, &rom, 0);
	ASSERT_LE(0, rom_len) TH_LOG("%s: %s", path, strerror((int)-rom_len));
	snprintf(path, sizeof(path), "%s/%s/registers", self->dir, variant->name);
	reg_len = nova_slurp(path, &reg_text, 0);
	ASSERT_LE(0, reg_len) TH_LOG("%s: %s", path, strerror((int)-reg_len));

	ASSERT_EQ(0, nova_unbind(self->bdf));
	ASSERT_EQ(0, nova_gpu_wait_gone(self->bdf, WAIT_MS));
	ret = write_image(self, variant, rom, rom_len, (char *)reg_text);
	if (ret == -ENODEV && !self->saved) {
		free(rom);
		free(reg_text);
		SKIP(return, "%s is not a model GPU (no test port)", self->bdf);
	}
	ASSERT_EQ(0, ret);

	/* The GPU binds and its DRM device answers, whatever the ROM. */
	ASSERT_EQ(0, nova_bind(self->bdf));
	ASSERT_EQ(0, nova_gpu_wait(self->bdf, &gpu, WAIT_MS));
	fd = nova_open(gpu.render);
	ASSERT_LE(0, fd);
	EXPECT_TRUE(nova_is_nova_fd(fd));
	close(fd);

	/*
	 * With the chip's firmware files in the guest, the layout has the
	 * firmware's regions too: <name>.fw/ describes that.
	 */
	snprintf(path, sizeof(path), "/sys/kernel/debug/%s/%s/firmware", NOVA_CORE, self->bdf);
	got_len = nova_slurp(path, &got, 0);
	ASSERT_LE(0, got_len) TH_LOG("%s: %s", path, strerror((int)-got_len));
	with_fw = !(got_len == strlen(UNAVAILABLE) && !memcmp(got, UNAVAILABLE, got_len));
	free(got);
	TH_LOG("%s: firmware %s", variant->name, with_fw ? "loaded" : "unavailable");

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), "%s/%s%s/%s", self->dir, variant->name,
			 with_fw ? ".fw" : "", files[i]);
		want_len = nova_slurp(path, &want, 0);
		ASSERT_LE(0, want_len) TH_LOG("%s: %s", path, strerror((int)-want_len));
		snprintf(path, sizeof(path), "/sys/kernel/debug/%s/%s/%s", NOVA_CORE,
			 self->bdf, files[i]);
		got_len = nova_slurp(path, &got, 0);
		ASSERT_LE(0, got_len) TH_LOG("%s: %s", path, strerror((int)-got_len));
		if (variant->fsp_sizes && i < 2) {
			/* The FSP's chips: what the driver gives, not a layout. */
			EXPECT_EQ(0, fsp_text_differs((char *)got, i == 0, with_fw,
						      variant->fsp_sizes))
				TH_LOG("%s reads:\n%s", path, got);
			free(want);
			free(got);
			continue;
		}
		if (i == 1) {
			/* wpr_meta: text, with the bus addresses checked apart. */
			char why[256];

			EXPECT_EQ(0, wpr_meta_differs((char *)got, (char *)want,
						      radix3_level0(self->bdf), why, sizeof(why)))
				TH_LOG("%s: %s\nreads:\n%s\nwant:\n%s", path, why, got, want);
			free(want);
			free(got);
			continue;
		}
		if (got_len != want_len || memcmp(got, want, want_len)) {
			for (k = 0; k < (size_t)got_len && k < (size_t)want_len &&
				    got[k] == want[k]; k++)
				;
			TH_LOG("%s: %zd bytes, want %zd; first difference at 0x%zx",
			       path, got_len, want_len, k);
			if (i == 0)
				TH_LOG("reads:\n%.*s\nwant:\n%.*s", (int)got_len, got,
				       (int)want_len, want);
		}
		EXPECT_TRUE(got_len == want_len && !memcmp(got, want, want_len));
		/* The variant's expectation, so a description cannot hide a change. */
		if (i == 0)
			EXPECT_EQ(!variant->layout, reads(got, got_len, UNAVAILABLE));
		if (i == 0 && variant->layout)
			EXPECT_EQ(variant->frts_empty ? 0 : 0x100000,
				  frts_region_size(got, got_len));
		if (i == 2) {
			EXPECT_EQ(!variant->frts && !variant->frts_empty,
				  reads(got, got_len, UNAVAILABLE));
			EXPECT_EQ(variant->frts_empty, reads(got, got_len, NOT_NEEDED));
		}
		free(want);
		free(got);
	}
	free(rom);
	free(reg_text);
}

TEST_HARNESS_MAIN
