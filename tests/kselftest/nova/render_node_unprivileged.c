// SPDX-License-Identifier: GPL-2.0
/*
 * The render node serves an unprivileged user once udev's rule has made it
 * world-accessible (mode 0666): all three nova ioctls work for uid 65534.
 */

#include <errno.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nova_test.h"

#define NOBODY 65534

FIXTURE(render_node) {
	struct nova_env env;
	struct nova_gpu gpu;
	mode_t mode;		/* the node's mode before the test */
	bool chmodded;
};

FIXTURE_SETUP(render_node)
{
	struct stat st;
	char why[128];
	int ret;

	if (nova_env_up(&self->env, why, sizeof(why)))
		SKIP(return, "%s", why);
	ret = nova_first_gpu(&self->gpu);
	if (!ret && stat(self->gpu.render, &st))
		ret = -errno;
	if (ret)
		nova_env_down(&self->env);
	ASSERT_EQ(0, ret);
	self->mode = st.st_mode & 07777;
}

FIXTURE_TEARDOWN(render_node)
{
	if (self->chmodded && chmod(self->gpu.render, self->mode))
		TH_LOG("cannot restore the mode of %s", self->gpu.render);
	nova_env_down(&self->env);
}

/* Each step a distinct exit code, so the parent can say what failed. */
enum step {
	STEP_OK,
	STEP_DROP_PRIVILEGES,
	STEP_OPEN,
	STEP_GETPARAM,
	STEP_GEM_CREATE,
	STEP_GEM_INFO,
	STEP_GEM_CLOSE,
	STEP_GEM_INFO_AFTER_CLOSE,
};

static int as_nobody(const char *render)
{
	uint64_t value, size;
	uint32_t handle;
	int fd;

	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY) ||
	    getuid() != NOBODY || geteuid() != NOBODY)
		return STEP_DROP_PRIVILEGES;
	fd = nova_open(render);
	if (fd < 0)
		return STEP_OPEN;
	if (nova_getparam(fd, NOVA_GETPARAM_VRAM_BAR_SIZE, &value) || !value)
		return STEP_GETPARAM;
	if (nova_gem_create(fd, 4096, &handle))
		return STEP_GEM_CREATE;
	if (nova_gem_info(fd, handle, &size) || size != 4096)
		return STEP_GEM_INFO;
	if (nova_gem_close(fd, handle))
		return STEP_GEM_CLOSE;
	if (nova_gem_info(fd, handle, &size) != -ENOENT)
		return STEP_GEM_INFO_AFTER_CLOSE;
	close(fd);
	return STEP_OK;
}

TEST_F_TIMEOUT(render_node, nobody_uses_render_node_after_chmod_0666,
	       NOVA_TEST_TIMEOUT)
{
	int status;
	pid_t pid;

	ASSERT_EQ(0, chmod(self->gpu.render, 0666));
	self->chmodded = true;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(as_nobody(self->gpu.render));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(STEP_OK, WEXITSTATUS(status))
		TH_LOG("uid %d failed at step %d on %s", NOBODY,
		       WEXITSTATUS(status), self->gpu.render);
}

TEST_HARNESS_MAIN
