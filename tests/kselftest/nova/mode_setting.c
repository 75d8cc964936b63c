// SPDX-License-Identifier: GPL-2.0
/*
 * nova drives no display, but its primary node answers the mode-setting
 * queries with an empty configuration (drm::FEAT_MODESET): no CRTC,
 * encoder, connector or plane, a framebuffer size range of [0, 0], no
 * framebuffer and no dumb buffer accepted. The render node refuses every
 * mode-setting ioctl, as the DRM core does for any driver. Refusals change
 * nothing: the file's GEM objects stay as they were.
 */

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <drm_fourcc.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "nova_fixture.h"

#define FB_W	64
#define FB_H	64
#define FB_CPP	4
#define MAX_OBJECT_ID	256

/* The errno every mode-setting ioctl gets on the render node. */
static int expected(const FIXTURE_VARIANT(nova_node) *variant, int on_card)
{
	return variant->render ? -EACCES : on_card;
}

TEST_F_TIMEOUT(nova_node, resources_are_empty, NOVA_TEST_TIMEOUT)
{
	uint32_t ids[4] = { 0xdead, 0xdead, 0xdead, 0xdead };
	struct drm_mode_card_res res;
	drmModeResPtr lib;
	int i;

	/* Room for one id of each kind: the kernel must report and copy none. */
	memset(&res, 0, sizeof(res));
	res.fb_id_ptr = (uintptr_t)&ids[0];
	res.crtc_id_ptr = (uintptr_t)&ids[1];
	res.connector_id_ptr = (uintptr_t)&ids[2];
	res.encoder_id_ptr = (uintptr_t)&ids[3];
	res.count_fbs = res.count_crtcs = 1;
	res.count_connectors = res.count_encoders = 1;
	ASSERT_EQ(expected(variant, 0),
		  nova_ioctl(self->fd, DRM_IOCTL_MODE_GETRESOURCES, &res));
	for (i = 0; i < 4; i++)
		EXPECT_EQ(0xdead, ids[i]) TH_LOG("id array %d written", i);
	if (variant->render)
		return;
	EXPECT_EQ(0, res.count_fbs);
	EXPECT_EQ(0, res.count_crtcs);
	EXPECT_EQ(0, res.count_connectors);
	EXPECT_EQ(0, res.count_encoders);
	EXPECT_EQ(0, res.min_width);
	EXPECT_EQ(0, res.max_width);
	EXPECT_EQ(0, res.min_height);
	EXPECT_EQ(0, res.max_height);

	/* What drm_info and display servers call. */
	lib = drmModeGetResources(self->fd);
	ASSERT_NE(NULL, lib) TH_LOG("drmModeGetResources: %s", strerror(errno));
	EXPECT_EQ(0, lib->count_crtcs);
	EXPECT_EQ(0, lib->count_connectors);
	drmModeFreeResources(lib);
	/* libdrm's test for a device to display on: not this one. */
	EXPECT_FALSE(drmIsKMS(self->fd));
}

TEST_F_TIMEOUT(nova_node, plane_resources_are_empty, NOVA_TEST_TIMEOUT)
{
	uint32_t id = 0xdead;
	struct drm_mode_get_plane_res res = {
		.plane_id_ptr = (uintptr_t)&id,
		.count_planes = 1,
	};

	/* Every plane, not only the legacy overlays. */
	if (!variant->render)
		ASSERT_EQ(0, drmSetClientCap(self->fd,
					     DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1));
	ASSERT_EQ(expected(variant, 0),
		  nova_ioctl(self->fd, DRM_IOCTL_MODE_GETPLANERESOURCES, &res));
	EXPECT_EQ(0xdead, id);
	if (!variant->render)
		EXPECT_EQ(0, res.count_planes);
}

TEST_F_TIMEOUT(nova_node, display_objects_do_not_exist, NOVA_TEST_TIMEOUT)
{
	uint32_t id;

	/*
	 * Low mode object ids are taken by the DRM core's standard
	 * properties; none of them, nor any other, is a display object.
	 */
	for (id = 1; id <= MAX_OBJECT_ID; id++) {
		struct drm_mode_crtc crtc = { .crtc_id = id };
		struct drm_mode_get_connector conn = { .connector_id = id };
		struct drm_mode_get_encoder enc = { .encoder_id = id };
		struct drm_mode_get_plane plane = { .plane_id = id };

		EXPECT_EQ(expected(variant, -ENOENT),
			  nova_ioctl(self->fd, DRM_IOCTL_MODE_GETCRTC, &crtc))
			TH_LOG("crtc %u", id);
		EXPECT_EQ(expected(variant, -ENOENT),
			  nova_ioctl(self->fd, DRM_IOCTL_MODE_GETCONNECTOR, &conn))
			TH_LOG("connector %u", id);
		EXPECT_EQ(expected(variant, -ENOENT),
			  nova_ioctl(self->fd, DRM_IOCTL_MODE_GETENCODER, &enc))
			TH_LOG("encoder %u", id);
		EXPECT_EQ(expected(variant, -ENOENT),
			  nova_ioctl(self->fd, DRM_IOCTL_MODE_GETPLANE, &plane))
			TH_LOG("plane %u", id);
		if (_metadata->exit_code != KSFT_PASS)
			break;
	}
}

TEST_F_TIMEOUT(nova_node, no_framebuffer_is_accepted, NOVA_TEST_TIMEOUT)
{
	struct drm_mode_fb_cmd2 fb2;
	struct drm_mode_fb_cmd fb;
	uint64_t size;
	uint32_t handle;

	ASSERT_EQ(0, nova_gem_create(self->fd, FB_W * FB_H * FB_CPP, &handle));

	/* A well-formed request for the object: too wide for [0, 0]. */
	memset(&fb2, 0, sizeof(fb2));
	fb2.width = FB_W;
	fb2.height = FB_H;
	fb2.pixel_format = DRM_FORMAT_XRGB8888;
	fb2.handles[0] = handle;
	fb2.pitches[0] = FB_W * FB_CPP;
	EXPECT_EQ(expected(variant, -EINVAL),
		  nova_ioctl(self->fd, DRM_IOCTL_MODE_ADDFB2, &fb2));
	EXPECT_EQ(0, fb2.fb_id);

	/* A modifier is refused as well: none is offered. */
	fb2.flags = DRM_MODE_FB_MODIFIERS;
	fb2.modifier[0] = DRM_FORMAT_MOD_LINEAR;
	EXPECT_EQ(expected(variant, -EINVAL),
		  nova_ioctl(self->fd, DRM_IOCTL_MODE_ADDFB2, &fb2));

	/* The legacy form, and the smallest size the range could hold. */
	memset(&fb, 0, sizeof(fb));
	fb.width = 0;
	fb.height = 0;
	fb.bpp = 32;
	fb.depth = 24;
	fb.pitch = FB_W * FB_CPP;
	fb.handle = handle;
	EXPECT_EQ(expected(variant, -EINVAL),
		  nova_ioctl(self->fd, DRM_IOCTL_MODE_ADDFB, &fb));
	EXPECT_EQ(0, fb.fb_id);

	/* The object is untouched and the file holds no framebuffer. */
	EXPECT_EQ(0, nova_gem_info(self->fd, handle, &size));
	EXPECT_EQ(FB_W * FB_H * FB_CPP, size);
	if (!variant->render) {
		drmModeResPtr res = drmModeGetResources(self->fd);

		ASSERT_NE(NULL, res);
		EXPECT_EQ(0, res->count_fbs);
		drmModeFreeResources(res);
	}
	EXPECT_EQ(0, nova_gem_close(self->fd, handle));
}

TEST_F_TIMEOUT(nova_node, no_dumb_buffers, NOVA_TEST_TIMEOUT)
{
	struct drm_mode_create_dumb dumb = {
		.width = FB_W, .height = FB_H, .bpp = 32,
	};
	uint64_t cap = 1;

	EXPECT_EQ(expected(variant, -ENOSYS),
		  nova_ioctl(self->fd, DRM_IOCTL_MODE_CREATE_DUMB, &dumb));
	EXPECT_EQ(0, dumb.handle);

	/* GET_CAP works on both nodes; a KMS cap only where KMS is. */
	ASSERT_EQ(0, drmGetCap(self->fd, DRM_CAP_DUMB_BUFFER, &cap));
	EXPECT_EQ(0, cap);
	cap = 1;
	ASSERT_EQ(0, drmGetCap(self->fd, DRM_CAP_ADDFB2_MODIFIERS, &cap));
	EXPECT_EQ(0, cap);
}

TEST_HARNESS_MAIN
