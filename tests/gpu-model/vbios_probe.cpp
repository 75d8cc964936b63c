// SPDX-License-Identifier: GPL-2.0
/*
 * The GPU model's VBIOS reading (tools/gpu-model/vbios.{h,cpp}), driven by
 * tests/gpu-model/vbios_check.py, which builds this with the address and
 * undefined-behaviour sanitizers:
 *
 *   vbios_probe describe ROM              what gpu-model --describe-vbios prints
 *   vbios_probe check ROM DMEM FUSE       the FRTS command, the signature the
 *                                         fuse version chooses and the bytes
 *                                         left alone, in DMEM (a file), as JSON
 *   vbios_probe mutate ROM SEED COUNT     COUNT ROMs made from ROM by breaking
 *                                         its structures or cutting it short,
 *                                         each read, and checked when usable
 *
 * Exit status 0, 2 for a ROM refused (describe, check) or a usage error, 1
 * when mutate finds a refusal without a message.
 */
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <iterator>
#include <string>
#include <vector>

#include "vbios.h"

using namespace gpu_model;

namespace {

std::vector<uint8_t> load(const char *path)
{
	std::ifstream f(path, std::ios::binary);
	if (!f) {
		std::fprintf(stderr, "vbios_probe: cannot read %s\n", path);
		std::exit(2);
	}
	return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)), {});
}

std::string quote(const std::string &s)
{
	std::string q = "\"";
	for (char c : s)
		q += c == '"' || c == '\\' ? std::string("\\") + c : std::string(1, c);
	return q + "\"";
}

int check(const char *rom_path, const char *dmem_path, unsigned fuse)
{
	std::vector<uint8_t> rom = load(rom_path), dmem = load(dmem_path);
	RomLayout layout;
	FwsecImage fw;
	std::string error = read_vbios(rom, layout, fw);
	if (!error.empty()) {
		std::fprintf(stderr, "vbios_probe: %s\n", error.c_str());
		return 2;
	}
	FrtsCheck f = check_frts(fw, dmem);
	SignatureCheck s = check_signature(fw, fuse, dmem);
	std::printf("{\"frts\": {\"ok\": %s, \"why\": %s, \"init_cmd\": %u, \"start\": %llu, "
		    "\"size\": %llu, \"type\": %u}, ",
		    f.ok ? "true" : "false", quote(f.why).c_str(), f.init_cmd,
		    static_cast<unsigned long long>(f.start),
		    static_cast<unsigned long long>(f.size), f.type);
	std::printf("\"signature\": {\"needed\": %s, \"ok\": %s, \"index\": %d, \"found\": %d, "
		    "\"why\": %s}, ",
		    s.needed ? "true" : "false", s.ok ? "true" : "false", s.index, s.found,
		    quote(s.why).c_str());
	std::printf("\"unpatched_difference\": %lld, \"fuse_register\": %u}\n",
		    static_cast<long long>(first_unpatched_difference(fw, dmem)),
		    fuse_register(fw));
	return 0;
}

/* xorshift64: the same seed breaks the ROM the same way. */
uint64_t next(uint64_t &s)
{
	s ^= s << 13;
	s ^= s >> 7;
	s ^= s << 17;
	return s;
}

/* The offsets of the structures a ROM's reading went through. */
std::vector<uint64_t> structures(const RomLayout &l, const FwsecImage &fw)
{
	std::vector<uint64_t> at = { 0, 4, 8, 0x14, 0x18, l.bit, fw.pmu_table, fw.descriptor };
	for (const RomImage &i : l.images) {
		at.push_back(i.offset);
		at.push_back(i.offset + 0x18);
	}
	for (size_t i = 0; i < l.images.size(); i++) {
		/* The PCIR and NPDE are near the start of every image. */
		for (uint64_t o = 0x18; o < 0x60; o += 4)
			at.push_back(l.images[i].offset + o);
		at.push_back(l.images[i].offset + 0x1a0);
		at.push_back(l.images[i].offset + 0x1c0);
	}
	for (uint64_t o = 0; o < 12 + 6 * l.tokens.size(); o += 2)
		at.push_back(l.bit + o);
	if (!l.images.empty())
		for (const BitToken &t : l.tokens)
			at.push_back(l.images[0].offset + t.pointer);
	for (uint64_t o = 0; o < 0x30; o += 2)
		at.push_back(fw.pmu_table + o);
	for (uint64_t o = 0; o < 0x40; o += 2)
		at.push_back(fw.descriptor + o);
	uint64_t dmem = static_cast<uint64_t>(fw.ucode) + fw.dmem_offset;
	for (uint64_t o = 0; o < 0x20; o += 2)
		at.push_back(dmem + fw.interface_offset + o);
	for (uint64_t o = 0; o < 0x40; o += 2)
		at.push_back(dmem + fw.dmemmapper.offset + o);
	return at;
}

int mutate(const char *rom_path, uint64_t seed, unsigned count)
{
	std::vector<uint8_t> rom = load(rom_path);
	RomLayout layout;
	FwsecImage fw;
	std::string error = read_vbios(rom, layout, fw);
	if (!error.empty()) {
		std::fprintf(stderr, "vbios_probe: the ROM to mutate is refused: %s\n",
			     error.c_str());
		return 2;
	}
	std::vector<uint64_t> at = structures(layout, fw);
	uint64_t s = seed | 1;
	unsigned usable = 0, refused = 0, silent = 0;
	std::set<std::string> seen; /* the structures refused */
	/* Sizes, counts and offsets at their edges. */
	static const uint32_t VALUES[] = { 0, 1, 2, 3, 4, 0xff, 0x100, 0x7fff, 0x8000, 0xffff };
	static const uint32_t BIG[] = { 0xfffff, 0x100000, 0x7fffffff, 0xfffffff0, 0xffffffff };
	for (unsigned n = 0; n < count; n++) {
		std::vector<uint8_t> m = rom;
		unsigned changes = 1 + next(s) % 3;
		for (unsigned c = 0; c < changes; c++) {
			uint64_t off = at[next(s) % at.size()] + next(s) % 8;
			uint32_t v = static_cast<uint32_t>(next(s));
			if (next(s) % 3 == 0)
				v = VALUES[next(s) % std::size(VALUES)];
			else if (next(s) % 2)
				v = BIG[next(s) % std::size(BIG)];
			unsigned width = 1u << (next(s) % 3);
			for (unsigned b = 0; b < width && off + b < m.size(); b++)
				m[off + b] = v >> (8 * b);
		}
		if (next(s) % 4 == 0)
			m.resize(next(s) % (m.size() + 1));
		RomLayout l;
		FwsecImage f;
		std::string e = read_vbios(m, l, f);
		if (e.empty()) {
			usable++;
			/* What a driver could load: the ROM's DMEM, short or long. */
			std::vector<uint8_t> d = f.dmem;
			d.resize(next(s) % (d.size() + 64));
			check_frts(f, d);
			check_signature(f, next(s) % 20, d);
			first_unpatched_difference(f, d);
			describe_vbios_json(l, f, e);
		} else {
			refused++;
			seen.insert(e.substr(0, e.find(" at 0x")));
			if (e.find(" at 0x") == std::string::npos) {
				silent++;
				std::fprintf(stderr,
					     "vbios_probe: a refusal without an offset: %s\n",
					     e.c_str());
			}
			describe_vbios_json(l, f, e);
		}
	}
	std::string kinds;
	for (const std::string &k : seen)
		kinds += (kinds.empty() ? "\"" : ", \"") + k + "\"";
	std::printf("{\"usable\": %u, \"refused\": %u, \"without_offset\": %u, "
		    "\"structures\": [%s]}\n",
		    usable, refused, silent, kinds.c_str());
	return silent ? 1 : 0;
}

} // namespace

int main(int argc, char **argv)
{
	std::string mode = argc > 1 ? argv[1] : "";
	if (mode == "describe" && argc == 3)
		return describe_vbios(argv[2]);
	if (mode == "check" && argc == 5)
		return check(argv[2], argv[3], static_cast<unsigned>(std::strtoul(argv[4], 0, 0)));
	if (mode == "mutate" && argc == 5)
		return mutate(argv[2], std::strtoull(argv[3], 0, 0),
			      static_cast<unsigned>(std::strtoul(argv[4], 0, 0)));
	std::fprintf(stderr, "usage: vbios_probe describe ROM | check ROM DMEM FUSE_VERSION | "
			     "mutate ROM SEED COUNT\n");
	return 2;
}
