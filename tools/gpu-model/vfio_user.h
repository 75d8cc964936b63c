// SPDX-License-Identifier: GPL-2.0
/*
 * The vfio-user wire format, as QEMU's docs/interop/vfio-user.rst defines
 * it: a 16-byte header, then a command's payload. Everything is
 * little-endian, which is what the host is (x86-64).
 */
#ifndef GPU_MODEL_VFIO_USER_H
#define GPU_MODEL_VFIO_USER_H

#include <cstdint>

namespace gpu_model::vfio_user {

enum Command : uint16_t {
	VERSION = 1,
	DMA_MAP = 2,
	DMA_UNMAP = 3,
	DEVICE_GET_INFO = 4,
	DEVICE_GET_REGION_INFO = 5,
	DEVICE_GET_REGION_IO_FDS = 6,
	DEVICE_GET_IRQ_INFO = 7,
	DEVICE_SET_IRQS = 8,
	REGION_READ = 9,
	REGION_WRITE = 10,
	DMA_READ = 11,
	DMA_WRITE = 12,
	DEVICE_RESET = 13,
	REGION_WRITE_MULTI = 15,
	DEVICE_FEATURE = 16,
};

struct Header {
	uint16_t id;
	uint16_t command;
	uint32_t size; /* the whole message, header included */
	uint32_t flags;
	uint32_t error;
};
static_assert(sizeof(Header) == 16);

constexpr uint32_t FLAG_TYPE_MASK = 0xf;
constexpr uint32_t FLAG_COMMAND = 0;
constexpr uint32_t FLAG_REPLY = 1;
constexpr uint32_t FLAG_NO_REPLY = 0x10;
constexpr uint32_t FLAG_ERROR = 0x20;

struct Version {
	uint16_t major;
	uint16_t minor;
	/* then NUL-terminated JSON */
};

struct DmaMap {
	uint32_t argsz;
	uint32_t flags; /* DMA_READ 1, DMA_WRITE 2 */
	uint64_t offset;
	uint64_t address;
	uint64_t size;
};
static_assert(sizeof(DmaMap) == 32);
constexpr uint32_t DMA_FLAG_READ = 1;
constexpr uint32_t DMA_FLAG_WRITE = 2;

struct DmaUnmap {
	uint32_t argsz;
	uint32_t flags;
	uint64_t address;
	uint64_t size;
};
static_assert(sizeof(DmaUnmap) == 24);
constexpr uint32_t DMA_UNMAP_FLAG_ALL = 2;

struct DeviceInfo {
	uint32_t argsz;
	uint32_t flags;
	uint32_t num_regions;
	uint32_t num_irqs;
};
static_assert(sizeof(DeviceInfo) == 16);
constexpr uint32_t DEVICE_FLAGS_RESET = 1;
constexpr uint32_t DEVICE_FLAGS_PCI = 2;

struct RegionInfo {
	uint32_t argsz;
	uint32_t flags;
	uint32_t index;
	uint32_t cap_offset;
	uint64_t size;
	uint64_t offset;
};
static_assert(sizeof(RegionInfo) == 32);
constexpr uint32_t REGION_FLAG_READ = 1;
constexpr uint32_t REGION_FLAG_WRITE = 2;
constexpr uint32_t REGION_FLAG_MMAP = 4;
constexpr uint32_t REGION_FLAG_CAPS = 8;

struct CapHeader {
	uint16_t id;
	uint16_t version;
	uint32_t next;
};
constexpr uint16_t CAP_SPARSE_MMAP = 1;

struct SparseMmap {
	CapHeader header;
	uint32_t nr_areas;
	uint32_t reserved;
	struct {
		uint64_t offset;
		uint64_t size;
	} areas[1];
};
static_assert(sizeof(SparseMmap) == 32);

/* The region indexes of a PCI device. */
enum Region : uint32_t {
	BAR0 = 0,
	BAR5 = 5,
	ROM = 6,
	CONFIG = 7,
	VGA = 8,
	NUM_REGIONS = 9,
};

struct IrqInfo {
	uint32_t argsz;
	uint32_t flags;
	uint32_t index;
	uint32_t count;
};
static_assert(sizeof(IrqInfo) == 16);
constexpr uint32_t IRQ_INFO_EVENTFD = 1;
constexpr uint32_t IRQ_INFO_MASKABLE = 2;
constexpr uint32_t IRQ_INFO_AUTOMASKED = 4;

enum Irq : uint32_t { INTX = 0, MSI = 1, MSIX = 2, ERR = 3, REQ = 4, NUM_IRQS = 5 };

struct IrqSet {
	uint32_t argsz;
	uint32_t flags;
	uint32_t index;
	uint32_t start;
	uint32_t count;
};
static_assert(sizeof(IrqSet) == 20);
constexpr uint32_t IRQ_SET_DATA_NONE = 1;
constexpr uint32_t IRQ_SET_DATA_BOOL = 2;
constexpr uint32_t IRQ_SET_DATA_EVENTFD = 4;
constexpr uint32_t IRQ_SET_ACTION_TRIGGER = 0x20;

struct RegionAccess {
	uint64_t offset;
	uint32_t region;
	uint32_t count;
	/* then the data */
};
static_assert(sizeof(RegionAccess) == 16);

} // namespace gpu_model::vfio_user

#endif /* GPU_MODEL_VFIO_USER_H */
