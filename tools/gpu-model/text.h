// SPDX-License-Identifier: GPL-2.0
/*
 * Small helpers the model's files share: a value as the verdicts and the
 * trace print it, and a little-endian field of guest or file bytes.
 */
#ifndef GPU_MODEL_TEXT_H
#define GPU_MODEL_TEXT_H

#include <cstdint>
#include <cstdio>
#include <string>

namespace gpu_model {

/* "0x..." in lower-case hex. */
inline std::string hex(uint64_t v)
{
	char buf[24];
	std::snprintf(buf, sizeof(buf), "0x%llx", static_cast<unsigned long long>(v));
	return buf;
}

/* The @n-byte little-endian number at @p (n up to 8). */
inline uint64_t le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= static_cast<uint64_t>(p[i]) << (8 * i);
	return v;
}

} // namespace gpu_model

#endif /* GPU_MODEL_TEXT_H */
