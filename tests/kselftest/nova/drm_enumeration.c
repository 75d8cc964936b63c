// SPDX-License-Identifier: GPL-2.0
/*
 * Standard userspace finds every nova GPU the way it finds any other GPU:
 * libdrm's drmGetDevices2() lists one device per GPU bound to nova_core, on
 * the PCI bus, at the GPU's PCI address, with its PCI ids and both nodes;
 * drmGetDevice2() on an open render or primary node, and
 * drmGetDeviceFromDevId() on the node's device number, give the same.
 *
 * libdrm classifies a DRM device by the subsystem of its node's parent in
 * sysfs (/sys/dev/char/<major>:<minor>/device), so everything here rests on
 * that parent being the PCI device. Runs on any number of GPUs; the test
 * that unbinds one while others stay needs two, and the one that goes from
 * four bound GPUs to two and to one needs four.
 */

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <xf86drm.h>

#include "kselftest_harness.h"
#include "nova_test.h"

#define WAIT_MS		10000
#define MAX_DEVICES	64

FIXTURE(gpus) {
	struct nova_env env;
	char bdfs[NOVA_MAX_GPUS][32];
	struct nova_gpu_ref ref[NOVA_MAX_GPUS];
	int n;
};

FIXTURE_SETUP(gpus)
{
	char why[128];
	int i, ret = 0;

	if (nova_env_up(&self->env, why, sizeof(why)))
		SKIP(return, "%s", why);
	self->n = nova_bound_bdfs(self->bdfs, NOVA_MAX_GPUS);
	for (i = 0; i < self->n && !ret; i++) {
		ret = nova_gpu_ref_lookup(self->bdfs[i], &self->ref[i], WAIT_MS);
		if (ret)
			nova_log("%s: no DRM nodes or unreadable PCI attributes (%s)",
				 self->bdfs[i], strerror(-ret));
	}
	if (ret)
		nova_env_down(&self->env);
	ASSERT_EQ(0, ret);
}

FIXTURE_TEARDOWN(gpus)
{
	nova_rebind_all(self->bdfs, self->n);
	nova_env_down(&self->env);
}

static bool at_addr(drmDevicePtr dev, const struct nova_pci_addr *addr)
{
	return dev->bustype == DRM_BUS_PCI && dev->businfo.pci &&
	       dev->businfo.pci->domain == addr->domain &&
	       dev->businfo.pci->bus == addr->bus &&
	       dev->businfo.pci->dev == addr->dev &&
	       dev->businfo.pci->func == addr->func;
}

/* Does any node of @dev belong to the nova driver? */
static bool is_nova_device(drmDevicePtr dev)
{
	bool nova = false;
	int type, fd;

	for (type = 0; type < DRM_NODE_MAX && !nova; type++) {
		if (!(dev->available_nodes & (1 << type)))
			continue;
		fd = nova_open(dev->nodes[type]);
		if (fd < 0)
			continue;
		nova = nova_is_nova_fd(fd);
		close(fd);
	}
	return nova;
}

/*
 * @dev describes the GPU of @ref: PCI bus, its address, its ids, both of
 * its nodes. @revision: also compare the PCI revision (libdrm reads it only
 * when asked with DRM_DEVICE_GET_PCI_REVISION).
 */
static void check_device(struct __test_metadata *_metadata, drmDevicePtr dev,
			 const struct nova_gpu_ref *ref, bool revision)
{
	const char *bdf = ref->gpu.bdf;

	ASSERT_EQ(DRM_BUS_PCI, dev->bustype)
		TH_LOG("%s: libdrm's bus type is %d, not PCI", bdf, dev->bustype);
	ASSERT_NE(NULL, dev->businfo.pci);
	ASSERT_NE(NULL, dev->deviceinfo.pci);
	EXPECT_EQ(ref->addr.domain, dev->businfo.pci->domain) TH_LOG("%s", bdf);
	EXPECT_EQ(ref->addr.bus, dev->businfo.pci->bus) TH_LOG("%s", bdf);
	EXPECT_EQ(ref->addr.dev, dev->businfo.pci->dev) TH_LOG("%s", bdf);
	EXPECT_EQ(ref->addr.func, dev->businfo.pci->func) TH_LOG("%s", bdf);
	EXPECT_EQ(ref->vendor, dev->deviceinfo.pci->vendor_id)
		TH_LOG("%s vendor", bdf);
	EXPECT_EQ(ref->device, dev->deviceinfo.pci->device_id)
		TH_LOG("%s device", bdf);
	EXPECT_EQ(ref->subvendor, dev->deviceinfo.pci->subvendor_id)
		TH_LOG("%s subsystem vendor", bdf);
	EXPECT_EQ(ref->subdevice, dev->deviceinfo.pci->subdevice_id)
		TH_LOG("%s subsystem device", bdf);
	if (revision) {
		EXPECT_EQ(ref->revision, dev->deviceinfo.pci->revision_id)
			TH_LOG("%s revision", bdf);
	}

	ASSERT_TRUE(dev->available_nodes & (1 << DRM_NODE_PRIMARY))
		TH_LOG("%s: no primary node (available_nodes %#x)", bdf,
		       dev->available_nodes);
	ASSERT_TRUE(dev->available_nodes & (1 << DRM_NODE_RENDER))
		TH_LOG("%s: no render node (available_nodes %#x)", bdf,
		       dev->available_nodes);
	EXPECT_STREQ(ref->gpu.card, dev->nodes[DRM_NODE_PRIMARY]);
	EXPECT_STREQ(ref->gpu.render, dev->nodes[DRM_NODE_RENDER]);
}

/* The device at @ref's address in @devs, and how many there are. */
static drmDevicePtr find_at(drmDevicePtr *devs, int ndevs,
			    const struct nova_gpu_ref *ref, int *count)
{
	drmDevicePtr found = NULL;
	int i;

	*count = 0;
	for (i = 0; i < ndevs; i++) {
		if (!at_addr(devs[i], &ref->addr))
			continue;
		(*count)++;
		if (!found)
			found = devs[i];
	}
	return found;
}

/* Where a node's "device" link in sysfs leads, as a final path component. */
static int node_parent(const char *node, char *name, size_t len,
		       char *subsys, size_t sublen)
{
	char link[128], target[PATH_MAX];
	const char *base;
	struct stat st;

	if (stat(node, &st))
		return -errno;
	snprintf(link, sizeof(link), "/sys/dev/char/%u:%u/device",
		 major(st.st_rdev), minor(st.st_rdev));
	if (!realpath(link, target))
		return -errno;
	base = strrchr(target, '/');
	snprintf(name, len, "%s", base ? base + 1 : target);

	snprintf(link, sizeof(link), "/sys/dev/char/%u:%u/device/subsystem",
		 major(st.st_rdev), minor(st.st_rdev));
	if (!realpath(link, target))
		return -errno;
	base = strrchr(target, '/');
	snprintf(subsys, sublen, "%s", base ? base + 1 : target);
	return 0;
}

/*
 * The contract libdrm relies on: the parent of both DRM nodes in sysfs is
 * the PCI device (while nova_core's auxiliary device still exists).
 */
TEST_F_TIMEOUT(gpus, nodes_hang_off_the_pci_device, NOVA_TEST_TIMEOUT)
{
	char parent[256], subsys[64];
	int i;

	for (i = 0; i < self->n; i++) {
		const struct nova_gpu *gpu = &self->ref[i].gpu;
		const char *nodes[] = { gpu->card, gpu->render };
		size_t k;

		EXPECT_NE(0, gpu->aux[0]) TH_LOG("%s has no auxiliary device",
						 gpu->bdf);
		for (k = 0; k < ARRAY_SIZE(nodes); k++) {
			ASSERT_EQ(0, node_parent(nodes[k], parent,
						 sizeof(parent), subsys,
						 sizeof(subsys)))
				TH_LOG("%s: no device link in sysfs", nodes[k]);
			EXPECT_STREQ(gpu->bdf, parent)
				TH_LOG("%s's parent is %s", nodes[k], parent);
			EXPECT_STREQ("pci", subsys)
				TH_LOG("%s's parent is on bus %s", nodes[k],
				       subsys);
		}
	}
}

/*
 * drmGetDevices2() lists each of the first @bound GPUs of @refs once, as
 * check_device() wants it, none of the other @total - @bound (unbound), and
 * no other nova device.
 */
static void check_devices2(struct __test_metadata *_metadata,
			   const struct nova_gpu_ref *refs, int total, int bound)
{
	drmDevicePtr devs[MAX_DEVICES], dev;
	int ndevs, all, i, j, count, nova = 0;
	bool ours;

	all = drmGetDevices2(0, NULL, 0);
	ASSERT_LE(0, all) TH_LOG("drmGetDevices2: %s", strerror(-all));
	ndevs = drmGetDevices2(0, devs, MAX_DEVICES);
	ASSERT_LE(0, ndevs) TH_LOG("drmGetDevices2: %s", strerror(-ndevs));
	EXPECT_EQ(all, ndevs);

	for (i = 0; i < total; i++) {
		dev = find_at(devs, ndevs, &refs[i], &count);
		EXPECT_EQ(i < bound ? 1 : 0, count)
			TH_LOG("libdrm lists %d devices at %s (%s; of %d devices)",
			       count, refs[i].gpu.bdf,
			       i < bound ? "bound" : "unbound", ndevs);
		if (dev && i < bound)
			check_device(_metadata, dev, &refs[i], false);
	}

	/* No nova device anywhere else, on another bus or address. */
	for (j = 0; j < ndevs; j++) {
		if (!is_nova_device(devs[j]))
			continue;
		nova++;
		ours = false;
		for (i = 0; i < bound; i++)
			ours |= at_addr(devs[j], &refs[i].addr);
		EXPECT_TRUE(ours)
			TH_LOG("a nova device (bus type %d, %s) is at no bound GPU's address",
			       devs[j]->bustype,
			       devs[j]->available_nodes & (1 << DRM_NODE_RENDER) ?
			       devs[j]->nodes[DRM_NODE_RENDER] : "no render node");
	}
	EXPECT_EQ(bound, nova);
	drmFreeDevices(devs, ndevs);
}

TEST_F_TIMEOUT(gpus, get_devices2_lists_each_gpu_once_on_pci,
	       NOVA_TEST_TIMEOUT)
{
	check_devices2(_metadata, self->ref, self->n, self->n);
}

/* drmGetDevice2() on an open node of each GPU, as Mesa and Vulkan do. */
static void check_get_device2(struct __test_metadata *_metadata,
			      struct nova_gpu_ref *refs, int n, bool render)
{
	drmDevicePtr devs[MAX_DEVICES], dev, listed;
	int ndevs, i, fd, ret, count;
	const char *node;

	ndevs = drmGetDevices2(0, devs, MAX_DEVICES);
	ASSERT_LE(0, ndevs);

	for (i = 0; i < n; i++) {
		node = render ? refs[i].gpu.render : refs[i].gpu.card;
		fd = nova_open(node);
		ASSERT_LE(0, fd) TH_LOG("open %s: %s", node, strerror(-fd));

		ret = drmGetDevice2(fd, 0, &dev);
		EXPECT_EQ(0, ret) TH_LOG("drmGetDevice2(%s): %s", node,
					 strerror(-ret));
		if (!ret) {
			check_device(_metadata, dev, &refs[i], false);
			listed = find_at(devs, ndevs, &refs[i], &count);
			EXPECT_NE(NULL, listed)
				TH_LOG("%s is not in drmGetDevices2()'s list",
				       refs[i].gpu.bdf);
			if (listed) {
				EXPECT_TRUE(drmDevicesEqual(dev, listed));
			}
			drmFreeDevice(&dev);
		}

		ret = drmGetDevice2(fd, DRM_DEVICE_GET_PCI_REVISION, &dev);
		EXPECT_EQ(0, ret) TH_LOG("drmGetDevice2(%s, PCI_REVISION): %s",
					 node, strerror(-ret));
		if (!ret) {
			check_device(_metadata, dev, &refs[i], true);
			drmFreeDevice(&dev);
		}
		close(fd);
	}
	drmFreeDevices(devs, ndevs);
}

TEST_F_TIMEOUT(gpus, get_device2_on_render_fd_names_the_gpu, NOVA_TEST_TIMEOUT)
{
	check_get_device2(_metadata, self->ref, self->n, true);
}

TEST_F_TIMEOUT(gpus, get_device2_on_card_fd_names_the_gpu, NOVA_TEST_TIMEOUT)
{
	check_get_device2(_metadata, self->ref, self->n, false);
}

/* The lookup by device number, as used by Vulkan's DRM display extension. */
TEST_F_TIMEOUT(gpus, get_device_from_dev_id_names_the_gpu, NOVA_TEST_TIMEOUT)
{
	drmDevicePtr dev;
	struct stat st;
	int i, k, ret;

	for (i = 0; i < self->n; i++) {
		const char *nodes[] = { self->ref[i].gpu.card,
					self->ref[i].gpu.render };

		for (k = 0; k < 2; k++) {
			ASSERT_EQ(0, stat(nodes[k], &st));
			ret = drmGetDeviceFromDevId(st.st_rdev, 0, &dev);
			EXPECT_EQ(0, ret)
				TH_LOG("drmGetDeviceFromDevId(%s): %s",
				       nodes[k], strerror(-ret));
			if (ret)
				continue;
			check_device(_metadata, dev, &self->ref[i], false);
			drmFreeDevice(&dev);
		}
	}
}

/*
 * An unbound GPU leaves libdrm's list and the others stay; bound again it
 * comes back at the same address. Needs two GPUs.
 */
TEST_F_TIMEOUT(gpus, unbound_gpu_leaves_the_list_and_others_stay,
	       NOVA_TEST_TIMEOUT)
{
	const int k = self->n - 1;

	if (self->n < 2)
		SKIP(return, "%d GPU(s) bound to %s, the test needs 2",
		     self->n, NOVA_CORE);

	ASSERT_EQ(0, nova_unbind(self->bdfs[k]));
	ASSERT_EQ(0, nova_gpu_wait_gone(self->bdfs[k], WAIT_MS));
	check_devices2(_metadata, self->ref, self->n, k);

	ASSERT_EQ(0, nova_bind(self->bdfs[k]));
	/* The nodes may get other minors: look them up again. */
	ASSERT_EQ(0, nova_gpu_ref_lookup(self->bdfs[k], &self->ref[k], WAIT_MS));
	check_devices2(_metadata, self->ref, self->n, self->n);
}

/*
 * With four, two and one GPU bound (the others unbound), libdrm lists
 * exactly the bound ones, and drmGetDevice2() on each one's render node
 * agrees. Needs four GPUs; the fixture binds them all again.
 */
TEST_F_TIMEOUT(gpus, four_two_and_one_gpus_are_each_enumerated,
	       NOVA_TEST_TIMEOUT)
{
	static const int counts[] = { 4, 2, 1 };
	int bound = self->n, c;

	if (self->n < 4)
		SKIP(return, "%d GPU(s) bound to %s, the test needs 4",
		     self->n, NOVA_CORE);

	for (c = 0; c < (int)ARRAY_SIZE(counts); c++) {
		while (bound > counts[c]) {
			bound--;
			ASSERT_EQ(0, nova_unbind(self->bdfs[bound]));
			ASSERT_EQ(0, nova_gpu_wait_gone(self->bdfs[bound],
							WAIT_MS));
		}
		check_devices2(_metadata, self->ref, self->n, bound);
		check_get_device2(_metadata, self->ref, bound, true);
		if (_metadata->exit_code != KSFT_PASS) {
			TH_LOG("with %d GPU(s) bound", bound);
			break;
		}
	}
}

TEST_HARNESS_MAIN
