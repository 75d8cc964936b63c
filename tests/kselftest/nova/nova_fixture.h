/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fixture most nova tests share: the driver loaded, the first GPU, and
 * one open file on its render node or its primary node (one variant each),
 * so that every ioctl behaviour is proven on both kinds of node.
 *
 * On the primary node the fixture's file is the first opener and so the DRM
 * master; further files opened by root are authenticated (CAP_SYS_ADMIN).
 */

#ifndef NOVA_FIXTURE_H
#define NOVA_FIXTURE_H

#include <unistd.h>

#include "kselftest_harness.h"
#include "nova_test.h"

FIXTURE(nova_node) {
	struct nova_env env;
	struct nova_gpu gpu;
	const char *path;
	int fd;
};

FIXTURE_VARIANT(nova_node) {
	bool render;
};

FIXTURE_VARIANT_ADD(nova_node, render) {
	.render = true,
};

FIXTURE_VARIANT_ADD(nova_node, card) {
	.render = false,
};

FIXTURE_SETUP(nova_node)
{
	char why[128], drv[64];
	int ret;

	self->fd = -1;
	if (nova_env_up(&self->env, why, sizeof(why)))
		SKIP(return, "%s", why);
	ret = nova_first_gpu(&self->gpu);
	if (ret)
		nova_env_down(&self->env);
	ASSERT_EQ(0, ret) TH_LOG("the GPU bound to nova_core has no DRM nodes");

	/* The nodes are those of the driver under test (NOVA_DRM_MODULE). */
	nova_aux_driver(self->gpu.aux, drv, sizeof(drv));
	if (strcmp(drv, NOVA_DRM))
		nova_env_down(&self->env);
	ASSERT_STREQ(NOVA_DRM, drv) TH_LOG("%s is bound to '%s'", self->gpu.aux, drv);

	self->path = variant->render ? self->gpu.render : self->gpu.card;
	self->fd = nova_open(self->path);
	if (self->fd < 0)
		nova_env_down(&self->env);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", self->path,
				      strerror(-self->fd));
}

FIXTURE_TEARDOWN(nova_node)
{
	if (self->fd >= 0)
		close(self->fd);
	nova_env_down(&self->env);
}

#endif /* NOVA_FIXTURE_H */
