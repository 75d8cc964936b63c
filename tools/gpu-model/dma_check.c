// SPDX-License-Identifier: GPL-2.0
/*
 * dma_check BDF: a DMA round trip through a GPU model, from inside the
 * guest (tools/vm selftest). The model's test port copies one page of
 * guest memory into another by DMA (Documentation/gpu-model.rst); this
 * program checks that:
 *
 *   - with bus mastering off the model refuses (EPERM) and writes nothing;
 *   - with it on, the destination page holds the source's bytes;
 *   - an address the guest never mapped is refused (EFAULT).
 *
 * The device must be unbound. Prints one line per check; exits 0 when all
 * passed. Built static on the host, run from the share.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PORT_ID		0xfff000
#define PORT_DMA_SRC_LO	0xfff020
#define PORT_DMA_SRC_HI	0xfff024
#define PORT_DMA_DST_LO	0xfff028
#define PORT_DMA_DST_HI	0xfff02c
#define PORT_DMA_LEN	0xfff030
#define PORT_DMA_GO	0xfff034
#define PORT_ID_VALUE	0x4e4f5641
#define BAR0_SIZE	0x1000000
#define PCI_COMMAND	0x04
#define COMMAND_MEMORY	0x2
#define COMMAND_MASTER	0x4

static volatile uint32_t *bar0;
static int failed;

static void check(int ok, const char *what)
{
	printf("dma_check: %s: %s\n", ok ? "ok" : "FAIL", what);
	failed |= !ok;
}

static int command(const char *bdf, uint16_t *value, int write)
{
	char path[128];
	int fd, n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
	fd = open(path, O_RDWR);
	if (fd < 0)
		return -errno;
	n = write ? pwrite(fd, value, 2, PCI_COMMAND) : pread(fd, value, 2, PCI_COMMAND);
	close(fd);
	return n == 2 ? 0 : -EIO;
}

/* The physical address of a locked page of ours (root may read the PFN). */
static uint64_t phys(void *p)
{
	uint64_t entry = 0;
	long page = sysconf(_SC_PAGESIZE);
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0 || pread(fd, &entry, 8, (uintptr_t)p / page * 8) != 8)
		return 0;
	close(fd);
	if (!(entry >> 63))
		return 0;
	return (entry & ((1ull << 55) - 1)) * page + (uintptr_t)p % page;
}

static uint32_t copy(uint64_t src, uint64_t dst, uint32_t len)
{
	bar0[PORT_DMA_SRC_LO / 4] = (uint32_t)src;
	bar0[PORT_DMA_SRC_HI / 4] = (uint32_t)(src >> 32);
	bar0[PORT_DMA_DST_LO / 4] = (uint32_t)dst;
	bar0[PORT_DMA_DST_HI / 4] = (uint32_t)(dst >> 32);
	bar0[PORT_DMA_LEN / 4] = len;
	bar0[PORT_DMA_GO / 4] = 1;
	return bar0[PORT_DMA_GO / 4];
}

int main(int argc, char **argv)
{
	char path[128];
	uint16_t cmd, old;
	uint8_t *a, *b;
	uint64_t pa, pb;
	uint32_t status;
	int fd, i;

	if (argc != 2) {
		fprintf(stderr, "usage: dma_check BDF\n");
		return 2;
	}
	if (command(argv[1], &old, 0))
		return 2;
	cmd = (old | COMMAND_MEMORY) & ~COMMAND_MASTER;
	command(argv[1], &cmd, 1);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource0", argv[1]);
	fd = open(path, O_RDWR | O_SYNC);
	bar0 = fd < 0 ? MAP_FAILED : mmap(NULL, BAR0_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (bar0 == MAP_FAILED) {
		perror(path);
		return 2;
	}
	check(bar0[PORT_ID / 4] == PORT_ID_VALUE, "the model's test port answers");

	a = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED,
		 -1, 0);
	if (a == MAP_FAILED)
		return 2;
	b = a + 4096;
	for (i = 0; i < 4096; i++) {
		a[i] = (uint8_t)(i * 7 + 3);
		b[i] = 0x5a;
	}
	pa = phys(a);
	pb = phys(b);
	check(pa && pb, "the pages' physical addresses");

	status = copy(pa, pb, 4096);
	check(status == EPERM && b[0] == 0x5a && b[4095] == 0x5a,
	      "bus mastering off: refused with EPERM, nothing written");

	cmd |= COMMAND_MASTER;
	command(argv[1], &cmd, 1);
	status = copy(pa, pb, 4096);
	check(status == 0 && !memcmp(a, b, 4096), "a page copied by DMA, read and written back");
	status = copy(1ull << 46, pb, 4096);
	check(status == EFAULT, "an address the guest never mapped: EFAULT");

	command(argv[1], &old, 1);
	return failed;
}
