// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side check that uapi/drm/nova_drm.h is ABI-identical to upstream's
 * nova_drm.h: structure sizes, field offsets and ioctl numbers.
 *
 * Every fact is checked twice: at compile time, so a wrong header does not
 * build, and at run time, so the output lists what was checked.
 */

#include <stddef.h>
#include <stdio.h>

#include <drm/nova_drm.h>

#define CHECK_EQ(a, b) _Static_assert((a) == (b), #a " == " #b)

/* The upstream ABI, written out independently of the header under test. */
CHECK_EQ(sizeof(struct drm_nova_getparam), 16);
CHECK_EQ(offsetof(struct drm_nova_getparam, param), 0);
CHECK_EQ(offsetof(struct drm_nova_getparam, value), 8);
CHECK_EQ(sizeof(((struct drm_nova_getparam *)0)->param), 8);
CHECK_EQ(sizeof(((struct drm_nova_getparam *)0)->value), 8);

CHECK_EQ(sizeof(struct drm_nova_gem_create), 16);
CHECK_EQ(offsetof(struct drm_nova_gem_create, handle), 0);
CHECK_EQ(offsetof(struct drm_nova_gem_create, pad), 4);
CHECK_EQ(offsetof(struct drm_nova_gem_create, size), 8);
CHECK_EQ(sizeof(((struct drm_nova_gem_create *)0)->handle), 4);
CHECK_EQ(sizeof(((struct drm_nova_gem_create *)0)->pad), 4);
CHECK_EQ(sizeof(((struct drm_nova_gem_create *)0)->size), 8);

CHECK_EQ(sizeof(struct drm_nova_gem_info), 16);
CHECK_EQ(offsetof(struct drm_nova_gem_info, handle), 0);
CHECK_EQ(offsetof(struct drm_nova_gem_info, pad), 4);
CHECK_EQ(offsetof(struct drm_nova_gem_info, size), 8);
CHECK_EQ(sizeof(((struct drm_nova_gem_info *)0)->handle), 4);
CHECK_EQ(sizeof(((struct drm_nova_gem_info *)0)->pad), 4);
CHECK_EQ(sizeof(((struct drm_nova_gem_info *)0)->size), 8);

CHECK_EQ(DRM_NOVA_GETPARAM, 0x00);
CHECK_EQ(DRM_NOVA_GEM_CREATE, 0x01);
CHECK_EQ(DRM_NOVA_GEM_INFO, 0x02);
CHECK_EQ(DRM_IOCTL_NOVA_GETPARAM, 0xc0106440u);
CHECK_EQ(DRM_IOCTL_NOVA_GEM_CREATE, 0xc0106441u);
CHECK_EQ(DRM_IOCTL_NOVA_GEM_INFO, 0xc0106442u);
CHECK_EQ(NOVA_GETPARAM_VRAM_BAR_SIZE, 0x1);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct fact {
	const char *what;
	unsigned long long got;
	unsigned long long want;
};

#define FACT(expr, want) { #expr, (unsigned long long)(expr), (want) }

static const struct fact facts[] = {
	FACT(sizeof(struct drm_nova_getparam), 16),
	FACT(offsetof(struct drm_nova_getparam, param), 0),
	FACT(offsetof(struct drm_nova_getparam, value), 8),
	FACT(sizeof(struct drm_nova_gem_create), 16),
	FACT(offsetof(struct drm_nova_gem_create, handle), 0),
	FACT(offsetof(struct drm_nova_gem_create, pad), 4),
	FACT(offsetof(struct drm_nova_gem_create, size), 8),
	FACT(sizeof(struct drm_nova_gem_info), 16),
	FACT(offsetof(struct drm_nova_gem_info, handle), 0),
	FACT(offsetof(struct drm_nova_gem_info, pad), 4),
	FACT(offsetof(struct drm_nova_gem_info, size), 8),
	FACT(DRM_IOCTL_NOVA_GETPARAM, 0xc0106440),
	FACT(DRM_IOCTL_NOVA_GEM_CREATE, 0xc0106441),
	FACT(DRM_IOCTL_NOVA_GEM_INFO, 0xc0106442),
	FACT(NOVA_GETPARAM_VRAM_BAR_SIZE, 0x1),
};

int main(void)
{
	const size_t n = ARRAY_SIZE(facts);
	unsigned int failed = 0;
	size_t i;

	printf("TAP version 13\n1..%zu\n", n);
	for (i = 0; i < n; i++) {
		const struct fact *f = &facts[i];
		int ok = f->got == f->want;

		printf("%sok %zu - %s == %#llx", ok ? "" : "not ", i + 1,
		       f->what, f->want);
		if (!ok)
			printf(" (got %#llx)", f->got);
		printf("\n");
		failed += !ok;
	}
	printf("uapi-abi: %zu passed, %u failed\n", n - failed, failed);
	return failed ? 1 : 0;
}
