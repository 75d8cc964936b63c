// SPDX-License-Identifier: GPL-2.0
/*
 * The guest memory the device can reach: each DMA_MAP of QEMU names a range
 * of guest physical addresses (the DMA addresses: there is no IOMMU) and,
 * for RAM, the memfd that backs it. The model maps those memfds shared, so
 * a DMA is a memcpy into the guest's own pages: nothing travels in
 * messages.
 */
#ifndef GPU_MODEL_DMA_H
#define GPU_MODEL_DMA_H

#include <cstddef>
#include <cstdint>
#include <vector>

namespace gpu_model {

class DmaSpace {
public:
	DmaSpace() = default;
	DmaSpace(const DmaSpace &) = delete;
	DmaSpace &operator=(const DmaSpace &) = delete;
	~DmaSpace() { unmap_all(); }

	/*
	 * A range QEMU maps: with an fd, mapped here; without one (ROM, a
	 * BAR), known but not reachable. Returns 0 or a positive errno.
	 */
	int map(uint64_t address, uint64_t size, int fd, uint64_t offset, bool writable);
	/* Exactly a range mapped before; 0 or a positive errno. */
	int unmap(uint64_t address, uint64_t size);
	void unmap_all();

	/*
	 * Copy between guest memory and @buf: 0, or EFAULT when any byte is
	 * outside a reachable mapping (writes: a writable one).
	 */
	int read(uint64_t address, void *buf, size_t len) const;
	int write(uint64_t address, const void *buf, size_t len) const;

	size_t mappings() const { return maps_.size(); }

private:
	struct Mapping {
		uint64_t address, size;
		uint8_t *host; /* nullptr: no fd was given */
		bool writable;
	};
	uint8_t *find(uint64_t address, size_t len, bool write) const;
	template <typename Copy>
	int walk(uint64_t address, size_t len, bool write, Copy copy) const;

	std::vector<Mapping> maps_;
};

} // namespace gpu_model

#endif /* GPU_MODEL_DMA_H */
