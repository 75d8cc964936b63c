// SPDX-License-Identifier: GPL-2.0
/*
 * Debian's stock DRM tools see the nova GPUs:
 *
 * - drmdevice (libdrm-tests) lists every GPU as a PCI device at its
 *   address, with its PCI ids and both nodes, and reads the same back from
 *   each node (with the PCI revision);
 * - drm_info (drm-info) describes every GPU's primary node, whether it
 *   lists them all or is given one node: driver "nova" ("Nvidia Graphics")
 *   on a PCI device with the GPU's ids. drm_info describes only nodes that
 *   answer drmModeGetResources(), which nova's empty mode-setting
 *   configuration does (see mode_setting.c).
 *
 * drmdevice prints no driver name for any PCI device; what it prints (bus,
 * address, ids, nodes) is checked instead. Every expectation comes from the
 * PCI device's sysfs attributes (vendor 10de and the chip's device id on
 * a model GPU), never from constants.
 *
 * The tools are looked up in PATH, then in ../bin next to this program (the
 * packaged kselftest tree that tests/kselftest/run-in-vm.sh gives the VM).
 * A missing tool skips its tests.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nova_test.h"

#define WAIT_MS		10000
#define OUT_MAX		(256 * 1024)
#define MAX_BLOCKS	64
#define DRM_BUS_PCI_NUM	0	/* libdrm's DRM_BUS_PCI */

FIXTURE(tools) {
	struct nova_env env;
	char bdfs[NOVA_MAX_GPUS][32];
	struct nova_gpu_ref ref[NOVA_MAX_GPUS];
	int n;
	char *out;
};

/* ---- running a tool ---- */

/* @name in PATH, or in ../bin relative to this program; false if neither. */
static bool find_tool(const char *name, char *path, size_t len)
{
	char self_path[PATH_MAX], *dir, *paths, *save = NULL, *p;
	const char *env = getenv("PATH");
	ssize_t n;

	if (env) {
		paths = strdup(env);
		for (p = paths ? strtok_r(paths, ":", &save) : NULL; p;
		     p = strtok_r(NULL, ":", &save)) {
			snprintf(path, len, "%s/%s", p, name);
			if (!access(path, X_OK)) {
				free(paths);
				return true;
			}
		}
		free(paths);
	}
	n = readlink("/proc/self/exe", self_path, sizeof(self_path) - 1);
	if (n <= 0)
		return false;
	self_path[n] = '\0';
	dir = strrchr(self_path, '/');
	if (!dir)
		return false;
	*dir = '\0';
	snprintf(path, len, "%s/../bin/%s", self_path, name);
	return !access(path, X_OK);
}

/*
 * Run @argv with stdout and stderr into @out (NUL-terminated, truncated at
 * @len - 1). Its exit status, or a negative errno.
 */
static int run_capture(char *const argv[], char *out, size_t len)
{
	size_t used = 0;
	int pipefd[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return -errno;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		if (null >= 0)
			dup2(null, STDIN_FILENO);
		dup2(pipefd[1], STDOUT_FILENO);
		dup2(pipefd[1], STDERR_FILENO);
		execv(argv[0], argv);
		_exit(127);
	}
	close(pipefd[1]);
	for (;;) {
		char sink[4096];

		if (used < len - 1)
			n = read(pipefd[0], out + used, len - 1 - used);
		else
			n = read(pipefd[0], sink, sizeof(sink));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (used < len - 1)
			used += n;
	}
	out[used] = '\0';
	close(pipefd[0]);
	if (waitpid(pid, &status, 0) != pid)
		return -errno;
	if (!WIFEXITED(status))
		return -EINTR;
	return WEXITSTATUS(status);
}

/* Print a tool's output as TAP comments, for the log of a failure. */
static void log_output(const char *tool, const char *out)
{
	const char *line = out, *nl;

	nova_log("%s said:", tool);
	while (*line) {
		nl = strchr(line, '\n');
		if (!nl)
			nl = line + strlen(line);
		fprintf(stderr, "#   %.*s\n", (int)(nl - line), line);
		line = *nl ? nl + 1 : nl;
	}
}

FIXTURE_SETUP(tools)
{
	char why[128];
	int i, ret = 0;

	self->out = NULL;
	if (nova_env_up(&self->env, why, sizeof(why)))
		SKIP(return, "%s", why);
	self->n = nova_bound_bdfs(self->bdfs, NOVA_MAX_GPUS);
	for (i = 0; i < self->n && !ret; i++) {
		ret = nova_gpu_ref_lookup(self->bdfs[i], &self->ref[i], WAIT_MS);
		if (ret)
			nova_log("%s: no DRM nodes or unreadable PCI attributes",
				 self->bdfs[i]);
	}
	self->out = malloc(OUT_MAX);
	if (!self->out)
		ret = -ENOMEM;
	if (ret)
		nova_env_down(&self->env);
	ASSERT_EQ(0, ret);
}

FIXTURE_TEARDOWN(tools)
{
	free(self->out);
	nova_env_down(&self->env);
}

/* ---- drmdevice ---- */

/* One "device[i]" block of drmdevice's output. */
struct block {
	char from_node[64];	/* "" in the listing; else the node it read */
	char nodes[3][64];	/* primary, control, render; "" when absent */
	long bustype;
	long domain, bus, dev, func;
	long vendor, device;
	long revision;		/* -1: "IGNORED" or absent */
};

static void block_init(struct block *b, const char *from_node)
{
	memset(b, 0, sizeof(*b));
	snprintf(b->from_node, sizeof(b->from_node), "%s", from_node);
	b->bustype = b->domain = b->bus = b->dev = b->func = -1;
	b->vendor = b->device = b->revision = -1;
}

static long hex_or(const char *s, long dflt)
{
	char *end;
	long v = strtol(s, &end, 16);

	return end == s || *end ? dflt : v;
}

/*
 * Parse drmdevice's tree, e.g.
 *   device[0]
 *   +-> nodes
 *   |   +-> nodes[2] /dev/dri/renderD128
 *   +-> bustype 0000
 *   |       +-> domain 0000
 *       +-> vendor_id     10de
 *       +-> device_id     2684
 * Blocks after "--- Retrieving device info, for node X ---" describe X.
 */
static int parse_drmdevice(char *out, struct block *blocks, int max)
{
	char pending[64] = "", key[64], val[64], *line, *save = NULL, *p;
	struct block *b = NULL;
	int n = 0, idx;

	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "---", 3)) {
			/* Only the line right before a block names its node. */
			p = strstr(line, "for node ");
			if (!p || sscanf(p + 9, "%63s", pending) != 1)
				pending[0] = '\0';
			continue;
		}
		p = line + strspn(line, " \t|+->");
		val[0] = '\0';
		if (sscanf(p, "%63s %63s", key, val) < 1)
			continue;
		if (!strncmp(key, "device[", 7)) {
			if (n == max)
				return n;
			b = &blocks[n++];
			block_init(b, pending);
			pending[0] = '\0';
			continue;
		}
		if (!b)
			continue;
		if (sscanf(key, "nodes[%d]", &idx) == 1) {
			if (idx >= 0 && idx < 3)
				snprintf(b->nodes[idx], sizeof(b->nodes[idx]),
					 "%s", val);
		} else if (!strcmp(key, "bustype")) {
			b->bustype = hex_or(val, -1);
		} else if (!strcmp(key, "domain")) {
			b->domain = hex_or(val, -1);
		} else if (!strcmp(key, "bus")) {
			b->bus = hex_or(val, -1);
		} else if (!strcmp(key, "dev")) {
			b->dev = hex_or(val, -1);
		} else if (!strcmp(key, "func")) {
			b->func = hex_or(val, -1);
		} else if (!strcmp(key, "vendor_id")) {
			b->vendor = hex_or(val, -1);
		} else if (!strcmp(key, "device_id")) {
			b->device = hex_or(val, -1);
		} else if (!strcmp(key, "revision_id")) {
			b->revision = hex_or(val, -1);
		}
	}
	return n;
}

static void check_block(struct __test_metadata *_metadata,
			const struct block *b, const struct nova_gpu_ref *ref,
			bool revision)
{
	const char *bdf = ref->gpu.bdf;

	EXPECT_EQ(DRM_BUS_PCI_NUM, b->bustype) TH_LOG("%s bustype", bdf);
	EXPECT_EQ((long)ref->addr.domain, b->domain) TH_LOG("%s domain", bdf);
	EXPECT_EQ((long)ref->addr.bus, b->bus) TH_LOG("%s bus", bdf);
	EXPECT_EQ((long)ref->addr.dev, b->dev) TH_LOG("%s dev", bdf);
	EXPECT_EQ((long)ref->addr.func, b->func) TH_LOG("%s func", bdf);
	EXPECT_EQ((long)ref->vendor, b->vendor) TH_LOG("%s vendor_id", bdf);
	EXPECT_EQ((long)ref->device, b->device) TH_LOG("%s device_id", bdf);
	EXPECT_STREQ(ref->gpu.card, b->nodes[0]) TH_LOG("%s primary", bdf);
	EXPECT_STREQ(ref->gpu.render, b->nodes[2]) TH_LOG("%s render", bdf);
	if (revision) {
		EXPECT_EQ((long)ref->revision, b->revision)
			TH_LOG("%s revision_id", bdf);
	}
}

TEST_F_TIMEOUT(tools, drmdevice_lists_each_gpu_as_pci_device,
	       NOVA_TEST_TIMEOUT)
{
	struct block blocks[MAX_BLOCKS];
	char tool[PATH_MAX], *argv[] = { tool, NULL };
	int nblocks, i, j, count, ret;
	const struct block *found;

	if (!find_tool("drmdevice", tool, sizeof(tool)))
		SKIP(return, "drmdevice not found (Debian package libdrm-tests)");
	ret = run_capture(argv, self->out, OUT_MAX);
	EXPECT_EQ(0, ret) TH_LOG("drmdevice exit status (77: no DRM device)");
	if (ret)
		log_output("drmdevice", self->out);
	nblocks = parse_drmdevice(self->out, blocks, MAX_BLOCKS);

	for (i = 0; i < self->n; i++) {
		count = 0;
		found = NULL;
		for (j = 0; j < nblocks; j++) {
			if (blocks[j].from_node[0] ||
			    strcmp(blocks[j].nodes[2], self->ref[i].gpu.render))
				continue;
			count++;
			found = &blocks[j];
		}
		EXPECT_EQ(1, count) TH_LOG("drmdevice lists %s %d times",
					   self->ref[i].gpu.render, count);
		if (found)
			check_block(_metadata, found, &self->ref[i], false);
	}
}

TEST_F_TIMEOUT(tools, drmdevice_reads_each_gpu_from_its_nodes,
	       NOVA_TEST_TIMEOUT)
{
	struct block blocks[MAX_BLOCKS];
	char tool[PATH_MAX], *argv[] = { tool, NULL };
	int nblocks, i, j, k, count, ret;
	const struct block *found;

	if (!find_tool("drmdevice", tool, sizeof(tool)))
		SKIP(return, "drmdevice not found (Debian package libdrm-tests)");
	ret = run_capture(argv, self->out, OUT_MAX);
	EXPECT_EQ(0, ret) TH_LOG("drmdevice exit status (77: no DRM device)");
	if (ret)
		log_output("drmdevice", self->out);
	nblocks = parse_drmdevice(self->out, blocks, MAX_BLOCKS);

	for (i = 0; i < self->n; i++) {
		const char *nodes[] = { self->ref[i].gpu.card,
					self->ref[i].gpu.render };

		for (k = 0; k < 2; k++) {
			count = 0;
			found = NULL;
			for (j = 0; j < nblocks; j++) {
				if (strcmp(blocks[j].from_node, nodes[k]))
					continue;
				count++;
				found = &blocks[j];
			}
			EXPECT_EQ(1, count)
				TH_LOG("drmdevice read %s %d times", nodes[k],
				       count);
			if (found)
				check_block(_metadata, found, &self->ref[i],
					    true);
		}
	}
}

/* ---- drm_info ---- */

/* What drm_info printed about one primary node. */
struct node_info {
	bool described;		/* a "Node: <node>" section */
	bool failed;		/* "Failed to retrieve information from <node>" */
	char driver[64];	/* "Driver: <name> (<desc>) version ..." */
	char desc[64];
	long vendor, device;	/* "Device: PCI <vendor>:<device> ..." */
};

/* The line of @out that holds @needle followed by end of line, or NULL. */
static const char *find_line_ending(const char *out, const char *needle)
{
	size_t len = strlen(needle);
	const char *p = out;

	while ((p = strstr(p, needle))) {
		if (p[len] == '\n' || p[len] == '\0')
			return p;
		p += len;
	}
	return NULL;
}

/* @key's first occurrence in [@p, @end) (@end NULL: the end of @p), or NULL. */
static const char *find_before(const char *p, const char *end, const char *key)
{
	const char *k = strstr(p, key);

	return k && (!end || k < end) ? k : NULL;
}

/*
 * Parse drm_info's tree for @node, e.g.
 *   Node: /dev/dri/card0
 *   ├───Driver: nova (Nvidia Graphics) version 0.0.0 (0)
 *   ├───Device: PCI 10de:2684 Device 10de:2684
 * (a model AD102; the words after the ids are libpci's names, from pci.ids
 * when the guest has one, and are not checked). A node's section runs up
 * to the next "Node: ".
 */
static void drm_info_about(const char *out, const char *node,
			   struct node_info *info)
{
	char needle[96];
	const char *p, *end, *k;

	memset(info, 0, sizeof(*info));
	info->vendor = info->device = -1;
	snprintf(needle, sizeof(needle),
		 "Failed to retrieve information from %s", node);
	info->failed = find_line_ending(out, needle);
	snprintf(needle, sizeof(needle), "Node: %s", node);
	p = find_line_ending(out, needle);
	if (!p)
		return;
	info->described = true;
	p += strlen(needle);
	end = strstr(p, "Node: ");
	k = find_before(p, end, "Driver: ");
	if (k && sscanf(k, "Driver: %63s (%63[^)])", info->driver,
			info->desc) < 1)
		info->driver[0] = '\0';
	k = find_before(p, end, "Device: PCI ");
	if (k && sscanf(k, "Device: PCI %lx:%lx", &info->vendor,
			&info->device) != 2)
		info->vendor = info->device = -1;
}

/* drm_info's description of @ref's primary node in @out. */
static void check_node_info(struct __test_metadata *_metadata,
			    const char *out, const struct nova_gpu_ref *ref)
{
	const char *card = ref->gpu.card;
	struct node_info info;

	drm_info_about(out, card, &info);
	EXPECT_FALSE(info.failed) TH_LOG("drm_info failed on %s", card);
	EXPECT_TRUE(info.described) TH_LOG("drm_info does not describe %s",
					   card);
	if (!info.described)
		return;
	EXPECT_STREQ(NOVA_DRV_NAME, info.driver) TH_LOG("%s driver", card);
	EXPECT_STREQ(NOVA_DRV_DESC, info.desc) TH_LOG("%s description", card);
	EXPECT_EQ((long)ref->vendor, info.vendor) TH_LOG("%s vendor", card);
	EXPECT_EQ((long)ref->device, info.device) TH_LOG("%s device", card);
}

TEST_F_TIMEOUT(tools, drm_info_describes_each_gpu, NOVA_TEST_TIMEOUT)
{
	char tool[PATH_MAX], *argv[] = { tool, NULL };
	int i, ret;

	if (!find_tool("drm_info", tool, sizeof(tool)))
		SKIP(return, "drm_info not found (Debian package drm-info)");
	ret = run_capture(argv, self->out, OUT_MAX);
	EXPECT_EQ(0, ret) TH_LOG("drm_info exit status");
	for (i = 0; i < self->n; i++)
		check_node_info(_metadata, self->out, &self->ref[i]);
	if (_metadata->exit_code != KSFT_PASS)
		log_output("drm_info", self->out);
}

TEST_F_TIMEOUT(tools, drm_info_describes_a_node_it_is_given, NOVA_TEST_TIMEOUT)
{
	char tool[PATH_MAX], *argv[] = { tool, NULL, NULL };
	int i, ret;

	if (!find_tool("drm_info", tool, sizeof(tool)))
		SKIP(return, "drm_info not found (Debian package drm-info)");
	for (i = 0; i < self->n && _metadata->exit_code == KSFT_PASS; i++) {
		argv[1] = self->ref[i].gpu.card;
		ret = run_capture(argv, self->out, OUT_MAX);
		EXPECT_EQ(0, ret) TH_LOG("drm_info %s exit status", argv[1]);
		check_node_info(_metadata, self->out, &self->ref[i]);
		if (_metadata->exit_code != KSFT_PASS)
			log_output("drm_info", self->out);
	}
}

TEST_HARNESS_MAIN
