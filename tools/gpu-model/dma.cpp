// SPDX-License-Identifier: GPL-2.0
#include "dma.h"

#include <cerrno>
#include <cstring>
#include <sys/mman.h>

namespace gpu_model {

int DmaSpace::map(uint64_t address, uint64_t size, int fd, uint64_t offset, bool writable)
{
	if (!size || address + size < address)
		return EINVAL;
	for (const Mapping &m : maps_)
		if (address < m.address + m.size && m.address < address + size)
			return EEXIST;
	uint8_t *host = nullptr;
	if (fd >= 0) {
		int prot = PROT_READ | (writable ? PROT_WRITE : 0);
		void *p = mmap(nullptr, size, prot, MAP_SHARED, fd, static_cast<off_t>(offset));
		if (p == MAP_FAILED)
			return errno;
		host = static_cast<uint8_t *>(p);
	}
	maps_.push_back({ address, size, host, writable });
	return 0;
}

int DmaSpace::unmap(uint64_t address, uint64_t size)
{
	for (auto it = maps_.begin(); it != maps_.end(); ++it) {
		if (it->address != address || it->size != size)
			continue;
		if (it->host)
			munmap(it->host, it->size);
		maps_.erase(it);
		return 0;
	}
	return ENOENT;
}

void DmaSpace::unmap_all()
{
	for (const Mapping &m : maps_)
		if (m.host)
			munmap(m.host, m.size);
	maps_.clear();
}

uint8_t *DmaSpace::find(uint64_t address, size_t len, bool write) const
{
	if (address + len < address)
		return nullptr;
	for (const Mapping &m : maps_) {
		if (address < m.address || address + len > m.address + m.size)
			continue;
		if (!m.host || (write && !m.writable))
			return nullptr;
		return m.host + (address - m.address);
	}
	return nullptr;
}

/*
 * One access may span two mappings QEMU made of adjacent sections; it is
 * split where a mapping ends, and @copy(host, done, chunk) does each part.
 */
template <typename Copy>
int DmaSpace::walk(uint64_t address, size_t len, bool write, Copy copy) const
{
	for (size_t done = 0; done < len;) {
		size_t chunk = len - done;
		uint8_t *host = nullptr;
		for (const Mapping &m : maps_) {
			if (address >= m.address && address < m.address + m.size) {
				chunk = std::min<uint64_t>(chunk, m.address + m.size - address);
				host = find(address, chunk, write);
				break;
			}
		}
		if (!host)
			return EFAULT;
		copy(host, done, chunk);
		address += chunk;
		done += chunk;
	}
	return 0;
}

int DmaSpace::read(uint64_t address, void *buf, size_t len) const
{
	auto *out = static_cast<uint8_t *>(buf);
	return walk(address, len, false,
		    [out](uint8_t *host, size_t at, size_t n) { std::memcpy(out + at, host, n); });
}

int DmaSpace::write(uint64_t address, const void *buf, size_t len) const
{
	const auto *in = static_cast<const uint8_t *>(buf);
	return walk(address, len, true,
		    [in](uint8_t *host, size_t at, size_t n) { std::memcpy(host, in + at, n); });
}

} // namespace gpu_model
