// SPDX-License-Identifier: GPL-2.0
/*
 * The firmware fuzzer's loop: build a well-formed file of a random kind
 * (tests/firmware/fw_builder.h: HS, RISC-V bootloader, FWSEC bootloader,
 * GSP ELF64, FMC ELF32), mutate it (byte flips, range fields set to edge
 * values, truncation), parse it from an exact-size copy, and classify the
 * outcome. A parse that succeeds must describe ranges inside its bytes; a
 * parse that fails must name a documented errno, a structure and a
 * problem. Everything random comes from one splitmix64 stream seeded by
 * the caller, so a seed names a run exactly.
 */
#include <kernel/alloc.h>
#include <kernel/bytes.h>

#include "fuzz.h"
/* The parsers themselves, in this object (see tests/kunit/vbios_test.cpp). */
#include "src/nova-core/firmware/files.cpp"
#include "tests/firmware/fw_builder.h"

using namespace kernel;
using namespace nova::core::fw;
using namespace nova::test;

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
	u64 below(u64 n) { return next() % n; }
	bool one_in(u64 n) { return below(n) == 0; }

private:
	u64 s_;
};

bool documented(Error e)
{
	return e == err::EINVAL || e == err::ERANGE || e == err::ENOENT || e == err::EOVERFLOW;
}

bool inside(Span s, size_t len)
{
	return s.offset <= len && s.size <= len - s.offset;
}

enum class Outcome { Parsed, Refused, Insane };

template <typename T> Outcome refused(const Result<T> &r, const FwError &why)
{
	return r.error() == why.error && documented(why.error) && why.structure && why.problem
		       ? Outcome::Refused
		       : Outcome::Insane;
}

[[gnu::noinline]] Outcome check_hs(ByteView f)
{
	FwError why {};
	auto r = parse_hs(f, &why);
	if (!r)
		return refused(r, why);
	const HsFirmware &h = r.value();
	if (!inside(h.bin.data, f.len()))
		return Outcome::Insane;
	if (h.num_sig &&
	    (!inside({ h.sig_start, static_cast<size_t>(h.hs.sig_prod_size) }, f.len()) ||
	     h.sig_size * h.num_sig != h.hs.sig_prod_size ||
	     h.patch_loc + static_cast<u64>(h.sig_size) > h.bin.data.size))
		return Outcome::Insane;
	if (h.app0.offset + static_cast<u64>(h.app0.len) > h.bin.data.size)
		return Outcome::Insane;
	for (u32 v = 0; v < 18; v++) {
		auto idx = select_signature(h, v);
		if (idx && idx.value() >= h.num_sig)
			return Outcome::Insane;
	}
	return Outcome::Parsed;
}

[[gnu::noinline]] Outcome check_riscv(ByteView f)
{
	FwError why {};
	auto r = parse_riscv(f, &why);
	if (!r)
		return refused(r, why);
	const RiscvUcodeDesc &d = r->desc;
	size_t u = r->bin.data.size;
	if (!inside(r->bin.data, f.len()) ||
	    !inside({ d.monitor_code_offset, d.monitor_code_size }, u) ||
	    !inside({ d.monitor_data_offset, d.monitor_data_size }, u) ||
	    !inside({ d.manifest_offset, d.manifest_size }, u))
		return Outcome::Insane;
	return Outcome::Parsed;
}

[[gnu::noinline]] Outcome check_gen(ByteView f)
{
	FwError why {};
	auto r = parse_gen_bootloader(f, &why);
	if (!r)
		return refused(r, why);
	if (!inside(r->bin.data, f.len()) || r->desc.code_size > r->bin.data.size)
		return Outcome::Insane;
	return Outcome::Parsed;
}

[[gnu::noinline]] Outcome check_gsp(ByteView f)
{
	FwError why {};
	auto r = parse_gsp(f, ".fwsignature_ad10x", &why);
	if (!r)
		return refused(r, why);
	if (!inside(r->image, f.len()) || !inside(r->signature, f.len()) || !r->image.size ||
	    r->version[sizeof(r->version) - 1] != '\0')
		return Outcome::Insane;
	return Outcome::Parsed;
}

[[gnu::noinline]] Outcome check_fmc(ByteView f)
{
	FwError why {};
	auto r = parse_fmc(f, &why);
	if (!r)
		return refused(r, why);
	if (!inside(r->image, f.len()) || !inside(r->hash, f.len()) ||
	    !inside(r->signature, f.len()) || !inside(r->publickey, f.len()))
		return Outcome::Insane;
	return Outcome::Parsed;
}

constexpr unsigned KINDS = 5;

Result<BuiltFile> build(unsigned kind, Rng &rng)
{
	switch (kind) {
	case 0:
		return build_hs(static_cast<u32>(rng.below(4)), static_cast<u32>(rng.below(4)));
	case 1:
		return build_riscv();
	case 2:
		return build_gen_bootloader();
	case 3:
		return build_gsp();
	default:
		return build_fmc();
	}
}

Outcome check(unsigned kind, ByteView f)
{
	switch (kind) {
	case 0:
		return check_hs(f);
	case 1:
		return check_riscv(f);
	case 2:
		return check_gen(f);
	case 3:
		return check_gsp(f);
	default:
		return check_fmc(f);
	}
}

u64 edge_value(Rng &rng, u64 len)
{
	switch (rng.below(8)) {
	case 0:
		return 0;
	case 1:
		return len;
	case 2:
		return len - 1;
	case 3:
		return len + 1;
	case 4:
		return 0xffffffffull;
	case 5:
		return 0x80000000ull;
	case 6:
		return 0xffffffffffffffffull;
	default:
		return rng.below(len + 16);
	}
}

/* Changes @f in place: some range fields, some bytes, maybe its length. */
void mutate(BuiltFile &f, Rng &rng)
{
	u64 len = f.bytes.len();
	unsigned rounds = 1 + static_cast<unsigned>(rng.below(4));
	for (unsigned i = 0; i < rounds; i++) {
		switch (rng.below(3)) {
		case 0:
			if (f.nfields) {
				const RangeField &fld = f.fields[rng.below(f.nfields)];
				u64 v = edge_value(rng, len);
				if (fld.wide)
					f.put64(fld.offset, v);
				else
					f.put32(fld.offset, static_cast<u32>(v));
			}
			break;
		case 1:
			f.put8(rng.below(len), static_cast<u8>(rng.next()));
			break;
		default:
			/* A field-sized value anywhere, aligned as headers are. */
			f.put32(rng.below(len / 4) * 4, static_cast<u32>(edge_value(rng, len)));
			break;
		}
	}
}

/* One file: built, mutated, parsed from an exact-size copy, classified. */
[[gnu::noinline]] void one_file(Rng &rng, unsigned long long hang_ns,
				const struct nova_fw_fuzz_ops *ops, struct nova_fw_fuzz_result *res)
{
	res->files++;
	unsigned kind = static_cast<unsigned>(rng.below(KINDS));
	auto built = build(kind, rng);
	if (!built) {
		res->nomem++;
		return;
	}
	BuiltFile &f = built.value();
	if (!rng.one_in(16))
		mutate(f, rng);
	size_t n = f.bytes.len();
	if (rng.one_in(4))
		n = static_cast<size_t>(rng.below(n + 1));
	/* An exact-size copy, so KASAN sees a read past the end. */
	KVec<u8> copy;
	if (!copy.resize(n ? n : 1, gfp::KERNEL)) {
		res->nomem++;
		return;
	}
	__builtin_memcpy(copy.begin(), f.bytes.begin(), n);
	u64 t0 = ops->now_ns();
	Outcome o = check(kind, ByteView(copy.begin(), n));
	u64 dt = ops->now_ns() - t0;
	if (dt > res->slowest_ns)
		res->slowest_ns = dt;
	if (dt > hang_ns)
		res->hung++;
	if (o == Outcome::Parsed)
		res->parsed++;
	else if (o == Outcome::Refused)
		res->refused++;
	else
		res->insane++;
}

} // namespace

extern "C" void nova_fw_fuzz_run(unsigned long long seed, unsigned int count,
				 unsigned long long hang_ns, const struct nova_fw_fuzz_ops *ops,
				 struct nova_fw_fuzz_result *res)
{
	Rng rng(seed);
	for (unsigned int i = 0; i < count; i++) {
		one_file(rng, hang_ns, ops, res);
		ops->relax();
	}
}
