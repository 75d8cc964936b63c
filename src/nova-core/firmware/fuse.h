/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fuse versions that choose a signed ucode's signature on GA102 and
 * later: NV_FUSE_OPT_FPF_<engine>_UCODE<n>_VERSION, 16 registers for each
 * of SEC2, NVDEC and GSP (Documentation/firmware.rst, "The signature").
 * FWSEC (firmware/fwsec.cpp) and the HS firmware files (firmware/files.cpp) both read
 * them, through a RegisterReader, so that their parsers run in KUnit and
 * the fuzzers without a GPU.
 */
#ifndef NOVA_CORE_FUSE_H
#define NOVA_CORE_FUSE_H

#include <kernel/error.h>

namespace nova::core {

using ktl::size_t;
using ktl::u32;

/* Reads a 32-bit register by offset, or fails. */
class RegisterReader {
public:
	virtual kernel::Result<u32> read32(size_t offset) const = 0;

protected:
	~RegisterReader() = default;
};

/* A RegisterReader on any io::Io (its try_read32). */
template <typename Bar> class RegisterReaderOf final : public RegisterReader {
public:
	explicit RegisterReaderOf(const Bar &bar) : bar_(bar) {}
	kernel::Result<u32> read32(size_t offset) const override { return bar_.try_read32(offset); }

private:
	const Bar &bar_;
};

inline constexpr u32 FUSE_NVDEC_UCODE1_VERSION = 0x824100;
inline constexpr u32 FUSE_SEC2_UCODE1_VERSION = 0x824140;
inline constexpr u32 FUSE_GSP_UCODE1_VERSION = 0x8241c0;
inline constexpr u32 FUSE_UCODE_VERSIONS = 16;

/*
 * The fuse version register of ucode @ucode_id (1 to 16) on the first of
 * SEC2 (bit 0), NVDEC (bit 2) and GSP (bit 10) in @engine_id_mask; EINVAL
 * for an id or a mask without one.
 */
inline kernel::Result<u32> fuse_version_register(u32 engine_id_mask, u32 ucode_id)
{
	if (ucode_id < 1 || ucode_id > FUSE_UCODE_VERSIONS)
		return kernel::err::EINVAL;
	u32 idx = (ucode_id - 1) * 4;
	if (engine_id_mask & 0x0001)
		return FUSE_SEC2_UCODE1_VERSION + idx;
	if (engine_id_mask & 0x0004)
		return FUSE_NVDEC_UCODE1_VERSION + idx;
	if (engine_id_mask & 0x0400)
		return FUSE_GSP_UCODE1_VERSION + idx;
	return kernel::err::EINVAL;
}

/* The version a register holds: its highest set bit of the low 16, from 1; 0 for none. */
constexpr u32 fuse_version_of(u32 raw)
{
	u32 v = raw & 0xffff;
	return v ? 32 - static_cast<u32>(__builtin_clz(v)) : 0;
}

} // namespace nova::core

#endif /* NOVA_CORE_FUSE_H */
