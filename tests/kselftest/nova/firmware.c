// SPDX-License-Identifier: GPL-2.0
/*
 * nova_core requests NVIDIA's GSP firmware files of the GPU's chip
 * (nvidia/<chip>/gsp/NAME-570.144.bin), parses them and shows what they hold
 * in debugfs nova_core/<BDF>/firmware (Documentation/firmware.rst). A file
 * that is missing or does not parse gives one warning naming it; the GPU
 * still binds, its DRM device works and the file reads "unavailable".
 *
 * The chip variants write the chip's BOOT registers and the SEC2 fuse
 * versions of a model GPU through its test port while it is unbound, bind
 * it and compare the debugfs text with firmware_desc/<chip>.txt, which
 * tools/fw-describe derived on the host from the same files (built with
 * the test). The failure variants bind-mount a directory of /tmp (tmpfs)
 * over the AD102's firmware directory, holding a damaged copy of the real
 * files: none, one missing,
 * a truncated GSP ELF, a booter with a wrong signature count. They need
 * the real files in the guest's /lib/firmware (tools/vm --firmware). On a
 * GPU that is not a model (no test port) it skips.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nova_test.h"

#define WAIT_MS		20000
#define FW_ROOT		"/lib/firmware/nvidia"
#define FW_VERSION	"570.144"
#define UNAVAILABLE	"unavailable\n"

/* GFW boot, as on a booted GPU; the SEC2 fuse versions of ucode 3 and 13. */
#define NV_GFW_PRIV_LEVEL_MASK	0x118128
#define NV_GFW_BOOT_PROGRESS	0x118234
#define NV_FUSE_SEC2_UCODE3	(0x824140 + 4 * 2)
#define NV_FUSE_SEC2_UCODE13	(0x824140 + 4 * 12)

static const uint32_t saved_regs[] = {
	NV_PMC_BOOT_0, NV_PMC_BOOT_42, NV_GFW_PRIV_LEVEL_MASK,
	NV_GFW_BOOT_PROGRESS, NV_FUSE_SEC2_UCODE3, NV_FUSE_SEC2_UCODE13,
};

enum damage { INTACT, NO_FILES, MISSING_FILE, TRUNCATED_GSP, SIGNATURE_COUNT };

FIXTURE(firmware) {
	struct nova_env env;
	char bdf[32];
	char desc[PATH_MAX];	/* firmware_desc/ */
	char over[PATH_MAX];	/* the directory mounted over, or "" */
	char stage[64];		/* what is mounted over it, or "" */
	uint32_t regs[ARRAY_SIZE(saved_regs)];
	bool saved;
};

FIXTURE_VARIANT(firmware) {
	const char *chip;
	uint32_t arch, impl;
	enum damage damage;
	const char *warned;	/* the file the warning names */
};

FIXTURE_VARIANT_ADD(firmware, tu102) { "tu102", 0x16, 0x2, INTACT, NULL };
FIXTURE_VARIANT_ADD(firmware, ga100) { "ga100", 0x17, 0x0, INTACT, NULL };
FIXTURE_VARIANT_ADD(firmware, ga102) { "ga102", 0x17, 0x2, INTACT, NULL };
FIXTURE_VARIANT_ADD(firmware, ad102) { "ad102", 0x19, 0x2, INTACT, NULL };
FIXTURE_VARIANT_ADD(firmware, gh100) { "gh100", 0x18, 0x0, INTACT, NULL };
FIXTURE_VARIANT_ADD(firmware, gb202) { "gb202", 0x1b, 0x2, INTACT, NULL };
FIXTURE_VARIANT_ADD(firmware, no_firmware) {
	"ad102", 0x19, 0x2, NO_FILES, "booter_load",
};
FIXTURE_VARIANT_ADD(firmware, file_missing) {
	"ad102", 0x19, 0x2, MISSING_FILE, "booter_unload",
};
FIXTURE_VARIANT_ADD(firmware, truncated_gsp) {
	"ad102", 0x19, 0x2, TRUNCATED_GSP, "gsp",
};
FIXTURE_VARIANT_ADD(firmware, wrong_signature_count) {
	"ad102", 0x19, 0x2, SIGNATURE_COUNT, "booter_load",
};

static int spill(const char *path, const uint8_t *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, buf, len);
	close(fd);
	return n == (ssize_t)len ? 0 : -EIO;
}

/* A copy of the real file @name of ad102 into @dir, @len bytes of it at most. */
static int copy_file(const char *dir, const char *name, size_t len,
		     uint32_t patch_at, uint32_t patch)
{
	char src[PATH_MAX], dst[PATH_MAX];
	uint8_t *buf;
	ssize_t n;
	int ret;

	snprintf(src, sizeof(src), "%s/ad102/gsp/%s-%s.bin", FW_ROOT, name, FW_VERSION);
	snprintf(dst, sizeof(dst), "%s/%s-%s.bin", dir, name, FW_VERSION);
	n = nova_slurp(src, &buf, len);
	if (n < 0)
		return (int)n;
	if (patch_at && patch_at + 4 <= (size_t)n)
		memcpy(buf + patch_at, &patch, 4);
	ret = spill(dst, buf, n);
	free(buf);
	return ret;
}

/* The damaged copy of ad102's files, bind-mounted from /tmp over its directory. */
static int damage(FIXTURE_DATA(firmware) *self, enum damage d)
{
	static const char *const small[] = { "booter_load", "booter_unload",
					     "bootloader", "scrubber" };
	char dir[PATH_MAX], link[PATH_MAX];
	uint8_t *hdr;
	ssize_t n;
	size_t i;
	uint32_t num_sig_off;
	int ret;

	snprintf(dir, sizeof(dir), "%s/ad102/gsp", FW_ROOT);
	if (access(dir, R_OK))
		return -ENOENT;
	/* Read what the copies need before the tmpfs hides the originals. */
	n = nova_slurp(FW_ROOT "/ad102/gsp/booter_load-" FW_VERSION ".bin", &hdr, 0);
	if (n < 0x40)
		return n < 0 ? (int)n : -EINVAL;
	/* The HS header v2 at header_offset; its num_sig_offset field. */
	memcpy(&num_sig_off, hdr + *(uint32_t *)(hdr + 12) + 24, 4);
	free(hdr);

	char *stage = self->stage;

	snprintf(self->stage, sizeof(self->stage), "/tmp/nova-fw.XXXXXX");
	if (!mkdtemp(self->stage)) {
		self->stage[0] = '\0';
		return -errno;
	}
	for (i = 0; d != NO_FILES && i < ARRAY_SIZE(small); i++) {
		if (d == MISSING_FILE && !strcmp(small[i], "booter_unload"))
			continue;
		ret = copy_file(stage, small[i], 0,
				d == SIGNATURE_COUNT && i == 0 ? num_sig_off : 0, 5);
		if (ret)
			return ret;
	}
	if (d == TRUNCATED_GSP) {
		/* The first MiB: the ELF header, not the section table. */
		ret = copy_file(stage, "gsp", 1 << 20, 0, 0);
		if (ret)
			return ret;
	} else if (d != NO_FILES) {
		snprintf(link, sizeof(link), "%s/gsp-%s.bin", stage, FW_VERSION);
		if (symlink("../../ga102/gsp/gsp-" FW_VERSION ".bin", link))
			return -errno;
	}
	if (mount(stage, dir, NULL, MS_BIND, NULL))
		return -errno;
	snprintf(self->over, sizeof(self->over), "%s", dir);
	return 0;
}

FIXTURE_SETUP(firmware)
{
	char why[128];

	self->saved = false;
	self->over[0] = '\0';
	self->stage[0] = '\0';
	if (nova_data_dir(NULL, "firmware_desc", self->desc, sizeof(self->desc)))
		SKIP(return, "no firmware_desc/ next to the test (built by its "
		     "Makefile with tools/fw-describe)");
	if (access(FW_ROOT "/ad102/gsp", R_OK))
		SKIP(return, "no firmware in " FW_ROOT " (tools/vm --firmware)");
	if (nova_env_up_model(&self->env, self->bdf, why, sizeof(why)))
		SKIP(return, "%s", why);
}

FIXTURE_TEARDOWN(firmware)
{
	struct nova_regs regs;
	struct nova_gpu gpu;
	size_t i;

	if (self->saved) {
		if (nova_is_bound(self->bdf))
			nova_unbind(self->bdf);
		if (nova_regs_map(self->bdf, &regs)) {
			TH_LOG("cannot restore the registers of %s", self->bdf);
		} else {
			for (i = 0; i < ARRAY_SIZE(saved_regs); i++)
				nova_regs_write(&regs, saved_regs[i], self->regs[i]);
			nova_regs_unmap(&regs);
		}
	}
	if (self->over[0] && umount2(self->over, 0))
		TH_LOG("cannot unmount %s: %s", self->over, strerror(errno));
	if (self->stage[0]) {
		const char *const argv[] = { "rm", "-rf", self->stage, NULL };

		if (nova_run(argv))
			TH_LOG("cannot remove %s", self->stage);
	}
	if (!nova_is_bound(self->bdf) &&
	    (nova_bind(self->bdf) || nova_gpu_wait(self->bdf, &gpu, WAIT_MS)))
		TH_LOG("%s does not come back with its own registers", self->bdf);
	nova_env_down(&self->env);
}

/* -ENODEV, with nothing saved or changed, if the GPU is not a model. */
static int write_image(FIXTURE_DATA(firmware) *self,
		       const FIXTURE_VARIANT(firmware) *variant)
{
	struct nova_regs regs;
	size_t i;
	int ret = nova_regs_map(self->bdf, &regs);

	if (ret)
		return ret;
	for (i = 0; i < ARRAY_SIZE(saved_regs); i++)
		self->regs[i] = nova_regs_read(&regs, saved_regs[i]);
	self->saved = true;
	nova_regs_write(&regs, NV_PMC_BOOT_0,
			nova_boot0(variant->arch, variant->impl, 0xa, 0x1));
	nova_regs_write(&regs, NV_PMC_BOOT_42,
			nova_boot42(variant->arch, variant->impl, 0xa, 0x1));
	nova_regs_write(&regs, NV_GFW_PRIV_LEVEL_MASK, self->regs[2] | 1);
	nova_regs_write(&regs, NV_GFW_BOOT_PROGRESS, 0xff);
	/* Version 1: with the files' fuse_ver 1, signature 0 (tools/fw-describe's default). */
	nova_regs_write(&regs, NV_FUSE_SEC2_UCODE3, 0x1);
	nova_regs_write(&regs, NV_FUSE_SEC2_UCODE13, 0x1);
	nova_regs_unmap(&regs);
	return 0;
}

/* Warnings (level 4) the kernel logged from @fd on that mention "firmware". */
static int firmware_warnings(int fd, const char *bdf, char *last, size_t len)
{
	char rec[2048];
	int n = 0;

	while (nova_kmsg_next(fd, rec, sizeof(rec)) > 0) {
		if ((atoi(rec) & 7) != 4 || !strstr(rec, bdf) || !strstr(rec, "firmware"))
			continue;
		n++;
		snprintf(last, len, "%s", strchr(rec, ';') ? strchr(rec, ';') + 1 : rec);
	}
	return n;
}

TEST_F_TIMEOUT(firmware, debugfs_describes_the_files, NOVA_TEST_TIMEOUT)
{
	char path[PATH_MAX + 64], want_path[PATH_MAX + 64], warning[1024] = "";
	uint8_t *want = NULL, *got = NULL;
	ssize_t want_len, got_len;
	struct nova_gpu gpu;
	uint64_t value;
	int ret, fd, kmsg;

	ASSERT_EQ(0, nova_unbind(self->bdf));
	ASSERT_EQ(0, nova_gpu_wait_gone(self->bdf, WAIT_MS));
	ret = write_image(self, variant);
	if (ret == -ENODEV && !self->saved)
		SKIP(return, "%s is not a model GPU (no test port)", self->bdf);
	ASSERT_EQ(0, ret);
	if (variant->damage != INTACT)
		ASSERT_EQ(0, damage(self, variant->damage));

	kmsg = nova_kmsg_open();
	ASSERT_LE(0, kmsg);
	ASSERT_EQ(0, nova_bind(self->bdf));
	ASSERT_EQ(0, nova_gpu_wait(self->bdf, &gpu, WAIT_MS));

	/* The DRM device works, with or without firmware. */
	fd = nova_open(gpu.render);
	ASSERT_LE(0, fd);
	EXPECT_TRUE(nova_is_nova_fd(fd));
	EXPECT_EQ(0, nova_getparam(fd, NOVA_GETPARAM_VRAM_BAR_SIZE, &value));
	close(fd);

	/* One warning, naming the file, when something is wrong; else none. */
	if (variant->warned) {
		char name[64];

		snprintf(name, sizeof(name), "nvidia/%s/gsp/%s-%s.bin", variant->chip,
			 variant->warned, FW_VERSION);
		EXPECT_EQ(1, firmware_warnings(kmsg, self->bdf, warning, sizeof(warning)));
		EXPECT_NE(NULL, strstr(warning, name)) TH_LOG("warning: %s", warning);
	} else {
		EXPECT_EQ(0, firmware_warnings(kmsg, self->bdf, warning, sizeof(warning)))
			TH_LOG("warning: %s", warning);
	}
	close(kmsg);

	snprintf(path, sizeof(path), "/sys/kernel/debug/%s/%s/firmware", NOVA_CORE, self->bdf);
	got_len = nova_slurp(path, &got, 0);
	ASSERT_LE(0, got_len) TH_LOG("%s: %s", path, strerror((int)-got_len));
	if (variant->damage == INTACT) {
		snprintf(want_path, sizeof(want_path), "%s/%s.txt", self->desc, variant->chip);
		want_len = nova_slurp(want_path, &want, 0);
		ASSERT_LE(0, want_len) TH_LOG("%s: %s", want_path, strerror((int)-want_len));
	} else {
		want = (uint8_t *)strdup(UNAVAILABLE);
		want_len = strlen(UNAVAILABLE);
	}
	EXPECT_TRUE(got_len == want_len && !memcmp(got, want, want_len))
		TH_LOG("%s reads:\n%.*s\nwant:\n%.*s", path, (int)got_len, got,
		       (int)want_len, want);
	free(got);
	free(want);

	/*
	 * gsp_radix3: the sizes and counts tools/fw-describe --radix3 derives,
	 * then bus addresses: level 0's, and the first entries of each level,
	 * each a page (4 KiB) aligned, non-zero address.
	 */
	snprintf(path, sizeof(path), "/sys/kernel/debug/%s/%s/gsp_radix3", NOVA_CORE, self->bdf);
	got_len = nova_slurp(path, &got, 0);
	ASSERT_LE(0, got_len) TH_LOG("%s: %s", path, strerror((int)-got_len));
	if (variant->damage != INTACT) {
		EXPECT_TRUE((size_t)got_len == strlen(UNAVAILABLE) &&
			    !memcmp(got, UNAVAILABLE, got_len));
		free(got);
		return;
	}
	snprintf(want_path, sizeof(want_path), "%s/%s.radix3", self->desc, variant->chip);
	want_len = nova_slurp(want_path, &want, 0);
	ASSERT_LE(0, want_len) TH_LOG("%s: %s", want_path, strerror((int)-want_len));
	ASSERT_TRUE(got_len > want_len && !memcmp(got, want, want_len))
		TH_LOG("%s reads:\n%.*s\nwant first:\n%.*s", path, (int)got_len, got,
		       (int)want_len, want);
	{
		static const char *const keys[] = { "level0_dma ", "level0[0] ", "level1[0] ",
						    "level2[0] ", "level2[3] " };
		char *text = (char *)got;
		size_t i;

		text[got_len] = '\0';
		for (i = 0; i < ARRAY_SIZE(keys); i++) {
			char *at = strstr(text + want_len, keys[i]);
			unsigned long long v;

			ASSERT_NE(NULL, at) TH_LOG("no %s in %s", keys[i], path);
			v = strtoull(at + strlen(keys[i]), NULL, 16);
			EXPECT_NE(0ULL, v) TH_LOG("%s0", keys[i]);
			EXPECT_EQ(0ULL, v & 0xfff) TH_LOG("%s0x%llx", keys[i], v);
		}
	}
	free(got);
	free(want);
}

TEST_HARNESS_MAIN
