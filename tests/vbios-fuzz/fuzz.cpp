// SPDX-License-Identifier: GPL-2.0
/*
 * The VBIOS fuzzer's loop: build a well-formed ROM of a random variant
 * (tests/vbios/rom_builder.h), mutate it (byte flips, offset and length
 * fields set to edge values, splices of a second ROM, truncation), parse it
 * from a source that fails or pads past its end, and classify the outcome.
 * Each ROM that parses then goes through FWSEC-FRTS preparation
 * (src/nova-core/firmware/fwsec.h) for the FRTS region of a random VRAM size and
 * workspace register, with a random fuse version: half the variants carry
 * a patchable ucode whose DMEM tables the mutations aim at. Everything random comes from one
 * splitmix64 stream seeded by the caller, so a seed names a run exactly.
 */
#include <kernel/alloc.h>
#include <kernel/bytes.h>

#include "fuzz.h"
/* The parser, layout and preparation, in this object (see tests/kunit/vbios_test.cpp). */
#include "src/nova-core/fb/layout.cpp"
#include "src/nova-core/firmware/fwsec.cpp"
#include "src/nova-core/gpu.cpp"
#include "src/nova-core/vbios/vbios.cpp"
#include "tests/vbios/rom_builder.h"

using namespace kernel;
using namespace nova::core;
using namespace nova::test;
using ktl::u64;

namespace {

class Rng {
public:
	explicit Rng(u64 seed) : s_(seed) {}

	u64 next()
	{
		u64 z = (s_ += 0x9e3779b97f4a7c15ull);
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
		return z ^ (z >> 31);
	}
	/* Uniform enough in [0, n); n > 0. */
	u64 below(u64 n) { return next() % n; }
	bool one_in(u64 n) { return below(n) == 0; }

private:
	u64 s_;
};

RomOptions random_options(Rng &rng)
{
	RomOptions o;
	switch (rng.below(3)) {
	case 0:
		o = turing_v2();
		break;
	case 1:
		o = ga100_v2();
		break;
	default:
		o = ada_v3();
		break;
	}
	o.ifr_version = static_cast<u8>(rng.below(4));
	o.efi = rng.below(4) != 0;
	o.prod = rng.below(4) != 0;
	o.dbg = rng.below(2) != 0;
	o.pmu_in_first_fwsec = rng.one_in(4);
	o.nbsi = rng.one_in(8);
	o.pci_at_blocks = static_cast<u16>(1 + rng.below(3));
	o.efi_blocks = static_cast<u16>(1 + rng.below(2));
	o.fwsec1_blocks = static_cast<u16>(1 + rng.below(2));
	o.fwsec2_blocks = static_cast<u16>(2 + rng.below(2));
	o.bios_version = static_cast<u32>(rng.next());
	if (rng.one_in(2))
		o = with_ucode(o);
	return o;
}

struct Field {
	size_t off, width;
};

/* The offset and length fields of @l, where edge values do the most harm. */
constexpr size_t MAX_FIELDS = 72;

size_t fields_of(const RomLayout &l, Field (&f)[MAX_FIELDS])
{
	size_t n = 0;
	auto add = [&](size_t off, size_t width) {
		if (off && n < MAX_FIELDS)
			f[n++] = Field { off, width };
	};
	add(4, 4);
	add(8, 4);
	add(l.ifr_flash_status, 4);
	add(l.ifr_rom_pointer, 4);
	for (size_t i = 0; i < IMG_MAX; i++) {
		if (!l.image_len[i])
			continue;
		add(l.image[i] + 0x18, 2);
		add(l.pcir[i] + 0x0a, 2);
		add(l.pcir[i] + 0x10, 2);
		add(l.pcir[i] + 0x15, 1);
		add(l.npde[i] + 8, 2);
		add(l.npde[i] + 0x0a, 1);
	}
	add(l.bit + 8, 1);
	add(l.bit + 9, 1);
	add(l.bit + 10, 1);
	add(l.biosdata_token + 2, 2);
	add(l.biosdata_token + 4, 2);
	add(l.falcon_token + 2, 2);
	add(l.falcon_token + 4, 2);
	add(l.falcon_data, 4);
	add(l.pmu_table + 1, 1);
	add(l.pmu_table + 2, 1);
	add(l.pmu_table + 3, 1);
	add(l.prod_entry + 2, 4);
	add(l.dbg_entry + 2, 4);
	add(l.prod_desc, 4);
	add(l.dbg_desc, 4);
	if (l.ucode) {
		/* The descriptor's sizes and offsets, both versions' places. */
		const size_t desc_fields[] = { 8, 12, 16, 20, 24, 32, 40, 48 };
		for (size_t off : desc_fields)
			add(l.prod_desc + off, 4);
		add(l.prod_desc + 36, 2); /* V3 engine mask */
		add(l.prod_desc + 38, 1); /* ucode id */
		add(l.prod_desc + 39, 1); /* signature count */
		add(l.prod_desc + 40, 2); /* signature versions */
		size_t t = l.dmem + UCODE_APPIF;
		for (size_t i = 0; i < 4; i++)
			add(t + i, 1);
		add(t + 12, 4);
		add(t + 16, 4);
		size_t m = l.dmem + UCODE_DMEMMAPPER;
		add(m + 8, 4);
		add(m + 12, 4);
	}
	return n;
}

u32 edge_value(Rng &rng, const RomLayout &l)
{
	switch (rng.below(9)) {
	case 0:
		return 0;
	case 1:
		return 1;
	case 2:
		return 0xffffffff;
	case 3:
		return 0x7fffffff;
	case 4:
		return static_cast<u32>(l.total);
	case 5:
		return static_cast<u32>(l.total + 1);
	case 6:
		return static_cast<u32>(PROM_SIZE);
	case 7:
		return static_cast<u32>(PROM_SIZE - 1);
	default:
		return static_cast<u32>(rng.next());
	}
}

/* Applies 1 to 4 mutations to @rom; false if memory ran out. */
bool mutate(Rng &rng, KVec<u8> &rom, const RomLayout &l)
{
	Field fields[MAX_FIELDS];
	size_t nfields = fields_of(l, fields);
	u64 n = 1 + rng.below(4);

	for (u64 i = 0; i < n && rom.len(); i++) {
		switch (rng.below(5)) {
		case 0: { /* flip some bytes */
			u64 flips = 1 + rng.below(8);
			for (u64 j = 0; j < flips; j++)
				*rom.get(rng.below(rom.len())) ^=
					static_cast<u8>(1 + rng.below(255));
			break;
		}
		case 1:
		case 2: { /* an offset or length field to an edge value */
			const Field &f = fields[rng.below(nfields)];
			poke(rom, f.off, edge_value(rng, l), f.width);
			break;
		}
		case 3: { /* splice: a stretch of another ROM over this one */
			KVec<u8> other;
			RomLayout ol;
			if (!build_rom(random_options(rng), other, &ol))
				return false;
			size_t from = rng.below(other.len());
			size_t to = rng.below(rom.len());
			size_t len = 1 + rng.below(other.len() - from);
			for (size_t j = 0; j < len && to + j < rom.len(); j++)
				*rom.get(to + j) = *other.get(from + j);
			break;
		}
		default: { /* truncate */
			u8 dropped;
			size_t keep = rng.below(rom.len());
			while (rom.len() > keep)
				rom.pop(&dropped);
			break;
		}
		}
	}
	return true;
}

/*
 * The source, timed: copying the ROM stands in for the MMIO reads of a
 * real BAR, so the time it takes is not the parser's.
 */
class TimedSource {
public:
	TimedSource(const MemorySource &src, const nova_vbios_fuzz_ops *ops) : src_(src), ops_(ops)
	{}

	Result<void> read_block(size_t off, size_t len, KVec<u8> &out, Gfp gfp) const
	{
		u64 start = ops_->now_ns();
		auto r = src_.read_block(off, len, out, gfp);
		spent_ns_ += ops_->now_ns() - start;
		return r;
	}

	u64 spent_ns() const { return spent_ns_; }

private:
	const MemorySource &src_;
	const nova_vbios_fuzz_ops *ops_;
	mutable u64 spent_ns_ = 0;
};

/* One parse of @src; *@took: the parser's own time. */
Result<Vbios> timed_parse(const MemorySource &src, const nova_vbios_fuzz_ops *ops, VbiosError *why,
			  u64 *took)
{
	TimedSource timed(src, ops);
	u64 start = ops->now_ns();
	auto v = Vbios::read(timed, gfp::KERNEL, why);
	*took = ops->now_ns() - start - timed.spent_ns();
	return v;
}

/* Whether a parsed Vbios agrees with the bytes it was read from. */
bool sane(const Vbios &v)
{
	if (v.images().is_empty() || v.bytes().len() > PROM_SIZE)
		return false;
	for (const VbiosImage &img : v.images())
		if (!img.length || img.offset + img.length > v.bytes().len())
			return false;
	if (v.bit_offset() >= v.bytes().len())
		return false;
	if (const Fwsec *f = v.fwsec()) {
		if (f->desc.version() != 2 && f->desc.version() != 3)
			return false;
		if (f->desc_offset + f->desc.size() > v.bytes().len())
			return false;
	}
	return true;
}

/* A fuse register file of one random value. */
class FuzzFuses final : public RegisterReader {
public:
	explicit FuzzFuses(u32 value, bool fail) : value_(value), fail_(fail) {}
	Result<u32> read32(size_t offset) const override
	{
		if (fail_)
			return err::EIO;
		if (offset < FUSE_NVDEC_UCODE1_VERSION || offset >= FUSE_GSP_UCODE1_VERSION + 64)
			return err::EINVAL;
		return value_;
	}

private:
	u32 value_;
	bool fail_;
};

/*
 * FWSEC-FRTS of a parsed ROM for a random layout; false if the outcome
 * contradicts its inputs (a failure without a documented errno and a
 * reason, or a patched DMEM that does not hold the FRTS command).
 */
bool prepare_frts(Rng &rng, const Vbios &v, nova_vbios_fuzz_result *res)
{
	const u32 chips[] = { 0x162, 0x170, 0x172, 0x192 };
	const Chipset &chip = *find_chipset(chips[rng.below(4)]);
	u64 vram = (1 + rng.below(96)) << 30;
	if (rng.one_in(8))
		vram = rng.below(u64 { 1 } << 41);
	u32 vga = rng.one_in(2) ? static_cast<u32>(rng.next())
				: VgaWorkspaceBase()
					  .set_addr(static_cast<u32>((vram - 0x80000) >> 16))
					  .set_status_valid(1)
					  .raw();
	auto layout = FbLayout::compute(chip, FbInputs { vram, 0, vga }, nullptr);
	if (!layout)
		return layout.error() == err::ERANGE || layout.error() == err::ENODEV;

	FuzzFuses fuses(static_cast<u32>(rng.next()) >> rng.below(32), rng.one_in(32));
	VbiosError why {};
	auto frts = FwsecFrts::prepare(v, layout->frts, fuses, gfp::KERNEL, &why);
	if (!frts) {
		res->frts_refused++;
		Error e = frts.error();
		bool documented = e == err::ENOENT || e == err::ERANGE || e == err::EINVAL ||
				  e == err::ENOMEM || e == err::EIO || e == err::EOPNOTSUPP ||
				  e == err::ENODEV || e == err::E2BIG;
		return documented && why.error == e && why.structure && why.problem;
	}
	res->frts++;
	const FwsecFrtsFacts &f = frts->facts();
	ByteView d = frts->dmem();
	auto init = d.le32(f.dmemmapper_offset + 44);
	auto addr = d.le32(f.cmd_offset + 32);
	return frts->image().len() == f.ucode_size && d.len() == f.dmem_size && init &&
	       *init == DMEMMAPPER_CMD_FRTS && addr && *addr == layout->frts.start >> 12;
}

} // namespace

extern "C" void nova_vbios_fuzz_run(unsigned long long seed, unsigned int count,
				    unsigned long long hang_ns,
				    const struct nova_vbios_fuzz_ops *ops,
				    struct nova_vbios_fuzz_result *res)
{
	Rng rng(seed);

	for (unsigned int i = 0; i < count; i++) {
		ops->relax();
		res->images++;
		KVec<u8> rom;
		RomLayout l;
		if (!build_rom(random_options(rng), rom, &l) || !mutate(rng, rom, l)) {
			res->nomem++;
			continue;
		}
		int fill = -1;
		switch (rng.below(3)) {
		case 0:
			fill = 0;
			break;
		case 1:
			fill = 0xff;
			break;
		}
		MemorySource src(ByteView(rom), fill);
		VbiosError why;
		u64 took;
		auto v = timed_parse(src, ops, &why, &took);
		/*
		 * The VM's clock runs on while the host has its CPU elsewhere:
		 * a slow parse is timed again, and hung only if it is slow twice.
		 */
		if (took > hang_ns) {
			MemorySource again_src(ByteView(rom), fill);
			VbiosError again_why;
			u64 again;
			auto w = timed_parse(again_src, ops, &again_why, &again);
			res->retimed++;
			/* The same bytes, the same answer. */
			if (w.ok() != v.ok())
				res->insane++;
			if (again < took)
				took = again;
			if (took > hang_ns)
				res->hung++;
		}
		if (took > res->slowest_ns)
			res->slowest_ns = took;
		if (src.reread() || src.total() > PROM_SIZE) {
			res->insane++;
		} else if (v) {
			res->parsed++;
			if (v->fwsec())
				res->fwsec++;
			if (!sane(*v))
				res->insane++;
			if (!prepare_frts(rng, *v, res))
				res->insane++;
		} else {
			res->refused++;
			if (why.error != v.error() || !why.structure || !why.problem)
				res->insane++;
		}
	}
}
