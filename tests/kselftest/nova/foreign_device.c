// SPDX-License-Identifier: GPL-2.0
/*
 * An auxiliary device named nova_core.nova-drm that another nova-core
 * registered (the kernel's own does, CONFIG_NOVA_CORE) carries none of the
 * GPU facts nova-drm needs: nova-drm refuses it. The test module
 * nova_foreign_aux registers one; nova_drm, loaded for it by its alias,
 * leaves it unbound (probe: ENODEV), and so does a manual bind; no DRM
 * node appears; our own GPU stays bound and working beside it; the device
 * and its module go away cleanly, and the fixture unloads the driver. Any
 * WARN or oops fails the VM run.
 */

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nova_test.h"

#define FOREIGN_MODULE	"nova_foreign_aux"
#define FOREIGN_AUX	"nova_core.nova-drm.4096"
#define FOREIGN_DIR	"/sys/bus/auxiliary/devices/" FOREIGN_AUX

static int count(const char *pattern)
{
	glob_t g;
	int n;

	if (glob(pattern, 0, NULL, &g))
		return 0;
	n = (int)g.gl_pathc;
	globfree(&g);
	return n;
}

/*
 * Write @what to the bind file of the DRM module's auxiliary driver (named
 * after the module, "<module>" or "<module>.<name>"): 0 or -errno.
 */
static int bind_to_drm_driver(const char *what)
{
	char path[256];
	glob_t g;
	int fd, ret = 0;

	snprintf(path, sizeof(path), "/sys/bus/auxiliary/drivers/%s*/bind", NOVA_DRM);
	if (glob(path, 0, NULL, &g) || g.gl_pathc != 1) {
		globfree(&g);
		return -ENOENT;
	}
	fd = open(g.gl_pathv[0], O_WRONLY);
	globfree(&g);
	if (fd < 0)
		return -errno;
	if (write(fd, what, strlen(what)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

FIXTURE(foreign) {
	struct nova_env env;
	bool loaded;
};

FIXTURE_SETUP(foreign)
{
	char why[128];

	if (nova_env_up(&self->env, why, sizeof(why)))
		SKIP(return, "%s", why);
	self->loaded = false;
}

FIXTURE_TEARDOWN(foreign)
{
	if (self->loaded)
		nova_delete_module(FOREIGN_MODULE);
	nova_env_down(&self->env);
}

TEST_F_TIMEOUT(foreign, device_without_gpu_facts_is_refused, NOVA_TEST_TIMEOUT)
{
	struct nova_gpu gpu;
	char drv[64], bdf[32];
	int cards, renders;

	ASSERT_EQ(0, nova_first_gpu(&gpu));
	snprintf(bdf, sizeof(bdf), "%s", gpu.bdf);
	cards = count("/dev/dri/card*");
	renders = count("/dev/dri/renderD*");

	ASSERT_EQ(0, nova_modprobe(FOREIGN_MODULE, NULL));
	self->loaded = true;
	nova_settle();
	ASSERT_EQ(0, access(FOREIGN_DIR, F_OK)) TH_LOG("no %s", FOREIGN_DIR);

	/* nova_drm saw it (it is loaded and matches the name) and refused it. */
	EXPECT_EQ(-ENOENT, nova_aux_driver(FOREIGN_AUX, drv, sizeof(drv)))
		TH_LOG("%s bound to %s", FOREIGN_AUX, drv);
	EXPECT_EQ(-ENODEV, bind_to_drm_driver(FOREIGN_AUX));
	EXPECT_EQ(-ENOENT, nova_aux_driver(FOREIGN_AUX, drv, sizeof(drv)));
	EXPECT_EQ(cards, count("/dev/dri/card*"));
	EXPECT_EQ(renders, count("/dev/dri/renderD*"));

	/* Our GPU's device is still ours, and works. */
	EXPECT_EQ(0, nova_aux_driver(gpu.aux, drv, sizeof(drv)));
	EXPECT_EQ(0, nova_gpu_wait(bdf, &gpu, 10000));

	/* The foreign device and its module go; nothing of it stays. */
	ASSERT_EQ(0, nova_delete_module(FOREIGN_MODULE));
	self->loaded = false;
	EXPECT_NE(0, access(FOREIGN_DIR, F_OK));
	EXPECT_EQ(cards, count("/dev/dri/card*"));
}

TEST_HARNESS_MAIN
