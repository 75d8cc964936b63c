// SPDX-License-Identifier: GPL-2.0
#include "text.h"
#include "fwfiles.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registers.h"

namespace gpu_model {

namespace {

/*
 * A bounds-checked view of a file's bytes: each read names the structure
 * it is part of, and a read outside the bytes records why and yields 0.
 */
class Reader {
public:
	explicit Reader(std::span<const uint8_t> bytes) : b_(bytes) {}

	bool fits(uint64_t off, uint64_t len) const
	{
		return off <= b_.size() && len <= b_.size() - off;
	}
	uint32_t u32(uint64_t off, const char *what)
	{
		return static_cast<uint32_t>(get(off, 4, what));
	}
	uint16_t u16(uint64_t off, const char *what)
	{
		return static_cast<uint16_t>(get(off, 2, what));
	}
	uint64_t u64(uint64_t off, const char *what) { return get(off, 8, what); }
	void fail(const std::string &why)
	{
		if (error.empty())
			error = why;
	}

	std::string error;

private:
	uint64_t get(uint64_t off, unsigned n, const char *what)
	{
		if (!fits(off, n)) {
			fail(std::string(what) + " at " + hex(off) +
			     ": past the end of the file (" + hex(b_.size()) + " bytes)");
			return 0;
		}
		uint64_t v = 0;
		for (unsigned i = 0; i < n; i++)
			v |= static_cast<uint64_t>(b_[off + i]) << (8 * i);
		return v;
	}

	std::span<const uint8_t> b_;
};

std::string parse_bin(Reader &r, std::span<const uint8_t> file, BinHeader &h,
		      std::vector<uint8_t> &ucode)
{
	h.magic = r.u32(0x00, "container header");
	h.version = r.u32(0x04, "container header");
	h.bin_size = r.u32(0x08, "container header");
	h.header_offset = r.u32(0x0c, "container header");
	h.data_offset = r.u32(0x10, "container header");
	h.data_size = r.u32(0x14, "container header");
	if (!r.error.empty())
		return r.error;
	if (h.magic != 0x10de)
		return "container header at 0x0: magic " + hex(h.magic) + ", not 0x10de";
	if (!h.data_size || !r.fits(h.data_offset, h.data_size))
		return "container header at 0x0: payload " + hex(h.data_offset) + "+" +
		       hex(h.data_size) + " outside the file";
	ucode.assign(file.begin() + h.data_offset, file.begin() + h.data_offset + h.data_size);
	return "";
}

bool inside(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

} // namespace

std::string firmware_path(const std::string &dir, const std::string &chip, const std::string &name)
{
	return dir + "/nvidia/" + chip + "/gsp/" + name + "-" + FIRMWARE_VERSION + ".bin";
}

std::string read_file(const std::string &path, std::vector<uint8_t> &out)
{
	int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return path + ": " + std::strerror(errno);
	struct stat st;
	if (fstat(fd, &st)) {
		int e = errno;
		close(fd);
		return path + ": " + std::strerror(e);
	}
	out.resize(static_cast<size_t>(st.st_size));
	size_t got = 0;
	while (got < out.size()) {
		ssize_t n = pread(fd, out.data() + got, out.size() - got, static_cast<off_t>(got));
		if (n <= 0) {
			int e = n ? errno : EIO;
			close(fd);
			return path + ": " + std::strerror(e);
		}
		got += static_cast<size_t>(n);
	}
	close(fd);
	return "";
}

std::string parse_hs(std::span<const uint8_t> file, HsFirmware &f)
{
	Reader r(file);
	std::string e = parse_bin(r, file, f.bin, f.ucode);
	if (!e.empty())
		return e;
	uint64_t h = f.bin.header_offset;
	uint32_t sig_prod_offset = r.u32(h + 0x00, "HS header");
	uint32_t sig_prod_size = r.u32(h + 0x04, "HS header");
	uint64_t patch_loc_offset = r.u32(h + 0x08, "HS header");
	uint64_t patch_sig_offset = r.u32(h + 0x0c, "HS header");
	uint64_t meta_offset = r.u32(h + 0x10, "HS header");
	uint32_t meta_size = r.u32(h + 0x14, "HS header");
	uint64_t num_sig_offset = r.u32(h + 0x18, "HS header");
	uint64_t load_offset = r.u32(h + 0x1c, "HS header");
	f.patch_loc = r.u32(patch_loc_offset, "patch location");
	uint32_t patch_sig = r.u32(patch_sig_offset, "signature offset");
	f.num_sig = r.u32(num_sig_offset, "signature count");
	if (meta_size != 12)
		r.fail("HS header at " + hex(h) + ": signature parameters of " + hex(meta_size) +
		       " bytes, not 12");
	f.fuse_ver = r.u32(meta_offset, "signature parameters");
	f.engine_id_mask = r.u32(meta_offset + 4, "signature parameters");
	f.ucode_id = r.u32(meta_offset + 8, "signature parameters");
	f.os_code_offset = r.u32(load_offset + 0x00, "load header");
	f.os_code_size = r.u32(load_offset + 0x04, "load header");
	f.os_data_offset = r.u32(load_offset + 0x08, "load header");
	f.os_data_size = r.u32(load_offset + 0x0c, "load header");
	uint32_t num_apps = r.u32(load_offset + 0x10, "load header");
	f.app0_offset = r.u32(load_offset + 0x14, "load header app 0");
	f.app0_len = r.u32(load_offset + 0x18, "load header app 0");
	if (!r.error.empty())
		return r.error;
	if (!num_apps)
		return "load header at " + hex(load_offset) + ": no apps";
	if (!f.num_sig || !sig_prod_size || sig_prod_size % f.num_sig)
		return "HS header at " + hex(h) + ": " + std::to_string(f.num_sig) +
		       " signatures in " + hex(sig_prod_size) + " bytes";
	f.sig_size = sig_prod_size / f.num_sig;
	uint64_t sigs = static_cast<uint64_t>(sig_prod_offset) + patch_sig;
	if (!r.fits(sigs, sig_prod_size))
		return "signatures at " + hex(sigs) + ": past the end of the file";
	f.signatures.assign(file.begin() + sigs, file.begin() + sigs + sig_prod_size);
	uint64_t size = f.ucode.size();
	if (!inside(f.patch_loc, f.sig_size, size) || f.patch_loc < f.os_data_offset)
		return "patch location " + hex(f.patch_loc) +
		       ": not inside the OS data of the ucode";
	if (!inside(f.os_data_offset, f.os_data_size, size) ||
	    !inside(f.os_code_offset, f.os_code_size, size) ||
	    !inside(f.app0_offset, f.app0_len, size))
		return "load header at " + hex(load_offset) + ": a part outside the ucode (" +
		       hex(size) + " bytes)";
	return "";
}

int HsFirmware::signature_index(unsigned version, std::string *why) const
{
	if (version == 0)
		return static_cast<int>(num_sig) - 1;
	if (version > fuse_ver || fuse_ver - version >= num_sig) {
		if (why)
			*why = "no signature for fuse version " + std::to_string(version) +
			       " (fuse_ver " + std::to_string(fuse_ver) + ", " +
			       std::to_string(num_sig) + " signatures)";
		return -1;
	}
	return static_cast<int>(fuse_ver - version);
}

std::vector<uint8_t> HsFirmware::patched(unsigned index) const
{
	std::vector<uint8_t> u = ucode;
	if (index < num_sig)
		std::memcpy(u.data() + patch_loc, signatures.data() + index * sig_size, sig_size);
	return u;
}

std::string parse_riscv(std::span<const uint8_t> file, RiscvFirmware &f)
{
	Reader r(file);
	std::string e = parse_bin(r, file, f.bin, f.ucode);
	if (!e.empty())
		return e;
	uint64_t d = f.bin.header_offset;
	f.desc_version = r.u32(d + 0x00, "RISC-V ucode descriptor");
	f.app_version = r.u32(d + 0x1c, "RISC-V ucode descriptor");
	f.manifest_offset = r.u32(d + 0x20, "RISC-V ucode descriptor");
	f.manifest_size = r.u32(d + 0x24, "RISC-V ucode descriptor");
	f.monitor_data_offset = r.u32(d + 0x28, "RISC-V ucode descriptor");
	f.monitor_data_size = r.u32(d + 0x2c, "RISC-V ucode descriptor");
	f.monitor_code_offset = r.u32(d + 0x30, "RISC-V ucode descriptor");
	f.monitor_code_size = r.u32(d + 0x34, "RISC-V ucode descriptor");
	return r.error;
}

std::string parse_gen_bootloader(std::span<const uint8_t> file, GenBootloader &f)
{
	Reader r(file);
	std::vector<uint8_t> payload;
	std::string e = parse_bin(r, file, f.bin, payload);
	if (!e.empty())
		return e;
	/* BootloaderDesc: start_tag, dmem_load_off, code_off, code_size, data_off, data_size. */
	uint64_t d = f.bin.header_offset;
	f.start_tag = r.u32(d + 0x00, "bootloader descriptor");
	f.code_size = r.u32(d + 0x0c, "bootloader descriptor");
	if (!r.error.empty())
		return r.error;
	if (!f.code_size || f.code_size > payload.size())
		return "bootloader descriptor at " + hex(d) + ": code of " + hex(f.code_size) +
		       " bytes outside the payload (" + hex(payload.size()) + " bytes)";
	f.code.assign(payload.begin(), payload.begin() + f.code_size);
	return "";
}

std::string elf_section(std::span<const uint8_t> file, const std::string &name, ElfSection &out)
{
	Reader r(file);
	static const uint8_t ident[] = { 0x7f, 'E', 'L', 'F', 2, 1 };
	if (file.size() < 64 || std::memcmp(file.data(), ident, sizeof(ident)))
		return "ELF header at 0x0: not a little-endian ELF64";
	uint64_t shoff = r.u64(0x28, "ELF header");
	uint16_t shentsize = r.u16(0x3a, "ELF header");
	uint16_t shnum = r.u16(0x3c, "ELF header");
	uint16_t shstrndx = r.u16(0x3e, "ELF header");
	if (shentsize != 64 || shstrndx >= shnum || !r.fits(shoff, uint64_t(shnum) * 64))
		return "ELF header at 0x0: section table at " + hex(shoff) + " (" +
		       std::to_string(shnum) + " of " + std::to_string(shentsize) +
		       " bytes) not inside the file";
	uint64_t strtab = r.u64(shoff + 64 * shstrndx + 24, "section header");
	uint64_t strsize = r.u64(shoff + 64 * shstrndx + 32, "section header");
	if (!r.fits(strtab, strsize))
		return "section name table at " + hex(strtab) + ": past the end of the file";
	for (unsigned i = 0; i < shnum; i++) {
		uint64_t sh = shoff + 64 * i;
		uint32_t nm = r.u32(sh, "section header");
		if (nm >= strsize)
			return "section header at " + hex(sh) + ": name outside the name table";
		const char *s = reinterpret_cast<const char *>(file.data() + strtab + nm);
		size_t max = strsize - nm;
		if (strnlen(s, max) != name.size() || std::memcmp(s, name.data(), name.size()))
			continue;
		out.offset = r.u64(sh + 24, "section header");
		out.size = r.u64(sh + 32, "section header");
		if (!r.fits(out.offset, out.size))
			return "section " + name + " at " + hex(out.offset) + "+" + hex(out.size) +
			       ": past the end of the file";
		return "";
	}
	return "no section " + name;
}

uint32_t hs_fuse_register(uint32_t engine_id_mask, uint32_t ucode_id)
{
	static const struct {
		uint32_t engine, reg;
	} fuses[] = {
		{ 1u << 0, reg::FUSE_OPT_FPF_SEC2_UCODE1_VERSION },
		{ 1u << 2, reg::FUSE_OPT_FPF_NVDEC_UCODE1_VERSION },
		{ 1u << 10, reg::FUSE_OPT_FPF_GSP_UCODE1_VERSION },
	};
	if (ucode_id < 1 || ucode_id > 16)
		return 0;
	for (const auto &f : fuses)
		if (engine_id_mask & f.engine)
			return f.reg + 4 * (ucode_id - 1);
	return 0;
}

} // namespace gpu_model
