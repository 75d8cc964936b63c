// SPDX-License-Identifier: GPL-2.0
/*
 * On the primary node the GEM ioctls need DRM master or authentication: a
 * second opener without CAP_SYS_ADMIN gets EACCES from GEM_CREATE and
 * GEM_INFO until the master authenticates it, while GETPARAM answers
 * anyone, as upstream declares it. The render node needs neither.
 */

#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xf86drm.h>

#include "kselftest_harness.h"
#include "nova_test.h"

FIXTURE(primary_node) {
	struct nova_env env;
	struct nova_gpu gpu;
	int master;
};

FIXTURE_SETUP(primary_node)
{
	char why[128];
	int ret;

	self->master = -1;
	if (nova_env_up(&self->env, why, sizeof(why)))
		SKIP(return, "%s", why);
	ret = nova_first_gpu(&self->gpu);
	if (!ret) {
		self->master = nova_open(self->gpu.card);
		ret = self->master < 0 ? self->master : 0;
	}
	if (ret)
		nova_env_down(&self->env);
	ASSERT_EQ(0, ret);

	/* The first opener is master, unless someone else holds it. */
	if (!drmIsMaster(self->master)) {
		close(self->master);
		nova_env_down(&self->env);
		SKIP(return, "another process is DRM master of %s",
		     self->gpu.card);
	}
}

FIXTURE_TEARDOWN(primary_node)
{
	if (self->master >= 0)
		close(self->master);
	nova_env_down(&self->env);
}

enum step {
	STEP_OK,
	STEP_DROP_SYS_ADMIN,
	STEP_OPEN,
	STEP_IS_MASTER,
	STEP_UNAUTHENTICATED_GETPARAM,
	STEP_GEM_CREATE_NOT_EACCES,
	STEP_GEM_INFO_NOT_EACCES,
	STEP_GET_MAGIC,
	STEP_HANDSHAKE,
	STEP_GETPARAM,
	STEP_GEM_CREATE,
	STEP_GEM_INFO,
	STEP_GEM_CLOSE,
};

/*
 * A client without CAP_SYS_ADMIN on the primary node. With @auth_pipe it
 * then sends its magic through auth_pipe[1], waits for the master's answer
 * on auth_pipe[0] and must be served.
 */
static int second_opener(const char *card, const int *auth_pipe)
{
	uint64_t value, size;
	drm_magic_t magic;
	uint32_t handle;
	int fd, answer;

	if (nova_drop_sys_admin())
		return STEP_DROP_SYS_ADMIN;
	fd = nova_open(card);
	if (fd < 0)
		return STEP_OPEN;
	if (drmIsMaster(fd))
		return STEP_IS_MASTER;
	if (nova_getparam(fd, NOVA_GETPARAM_VRAM_BAR_SIZE, &value) || !value)
		return STEP_UNAUTHENTICATED_GETPARAM;
	if (nova_gem_create(fd, 4096, &handle) != -EACCES)
		return STEP_GEM_CREATE_NOT_EACCES;
	if (nova_gem_info(fd, 1, &size) != -EACCES)
		return STEP_GEM_INFO_NOT_EACCES;
	if (!auth_pipe)
		return STEP_OK;

	if (drmGetMagic(fd, &magic))
		return STEP_GET_MAGIC;
	if (write(auth_pipe[1], &magic, sizeof(magic)) != sizeof(magic) ||
	    read(auth_pipe[0], &answer, sizeof(answer)) != sizeof(answer) ||
	    answer != 0)
		return STEP_HANDSHAKE;
	if (nova_getparam(fd, NOVA_GETPARAM_VRAM_BAR_SIZE, &value))
		return STEP_GETPARAM;
	if (nova_gem_create(fd, 4096, &handle))
		return STEP_GEM_CREATE;
	if (nova_gem_info(fd, handle, &size) || size != 4096)
		return STEP_GEM_INFO;
	if (nova_gem_close(fd, handle))
		return STEP_GEM_CLOSE;
	close(fd);
	return STEP_OK;
}

static int wait_step(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

TEST_F_TIMEOUT(primary_node, master_is_served, NOVA_TEST_TIMEOUT)
{
	uint64_t value, size;
	uint32_t handle;

	EXPECT_EQ(0, nova_getparam(self->master, NOVA_GETPARAM_VRAM_BAR_SIZE,
				   &value));
	ASSERT_EQ(0, nova_gem_create(self->master, 4096, &handle));
	EXPECT_EQ(0, nova_gem_info(self->master, handle, &size));
	EXPECT_EQ(0, nova_gem_close(self->master, handle));
}

TEST_F_TIMEOUT(primary_node, unauthenticated_opener_queries_but_gets_no_gem,
	       NOVA_TEST_TIMEOUT)
{
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(second_opener(self->gpu.card, NULL));
	EXPECT_EQ(STEP_OK, wait_step(pid));
}

TEST_F_TIMEOUT(primary_node, authenticated_opener_is_served,
	       NOVA_TEST_TIMEOUT)
{
	int to_master[2], to_client[2], child_pipe[2], answer;
	drm_magic_t magic;
	pid_t pid;

	ASSERT_EQ(0, pipe(to_master));
	ASSERT_EQ(0, pipe(to_client));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		child_pipe[0] = to_client[0];
		child_pipe[1] = to_master[1];
		_exit(second_opener(self->gpu.card, child_pipe));
	}
	close(to_master[1]);
	close(to_client[0]);

	/* EOF here means the child failed before it asked. */
	if (read(to_master[0], &magic, sizeof(magic)) == sizeof(magic)) {
		answer = drmAuthMagic(self->master, magic);
		EXPECT_EQ(0, answer);
		EXPECT_EQ(sizeof(answer),
			  write(to_client[1], &answer, sizeof(answer)));
	}
	close(to_master[0]);
	close(to_client[1]);
	EXPECT_EQ(STEP_OK, wait_step(pid));
}

TEST_F_TIMEOUT(primary_node, render_node_needs_no_authentication,
	       NOVA_TEST_TIMEOUT)
{
	uint64_t value, size;
	uint32_t handle;
	pid_t pid;
	int fd;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (nova_drop_sys_admin())
			_exit(1);
		fd = nova_open(self->gpu.render);
		if (fd < 0)
			_exit(2);
		if (nova_getparam(fd, NOVA_GETPARAM_VRAM_BAR_SIZE, &value))
			_exit(3);
		if (nova_gem_create(fd, 4096, &handle))
			_exit(4);
		if (nova_gem_info(fd, handle, &size) || nova_gem_close(fd, handle))
			_exit(5);
		_exit(0);
	}
	EXPECT_EQ(0, wait_step(pid));
}

TEST_HARNESS_MAIN
