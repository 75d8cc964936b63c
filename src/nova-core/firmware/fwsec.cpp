// SPDX-License-Identifier: GPL-2.0
/*
 * FWSEC-FRTS preparation. The ucode is copied out of the Vbios's bytes,
 * and every structure is read from and written to the copy through a
 * bounds check against the DMEM: a lying table can make the preparation
 * fail, never write outside the copy. Documentation/fb-layout.rst gives
 * the format.
 */
#include "firmware/fwsec.h"

using namespace kernel;

namespace nova::core {

namespace {

/* Upstream and NVIDIA leave ReadVbios's address and size zero: the whole VBIOS. */
constexpr u32 CMD_VERSION = 1;
constexpr u64 FRTS_MAX = u64 { 1 } << 44; /* 2^32 units of 4 KiB */

/* Set bits of @v (no popcount instruction assumed). */
size_t bits_set(u32 v)
{
	size_t n = 0;
	for (; v; v &= v - 1)
		n++;
	return n;
}

} // namespace

/* One preparation: the copy, the DMEM's place in it, and the first problem. */
class FwsecPatcher {
public:
	FwsecPatcher(const Vbios &vbios, const Fwsec &fwsec, VbiosError *why)
		: vbios_(vbios), fwsec_(fwsec), why_(why)
	{}

	Result<FwsecFrts> run(const FbRegion *frts, const RegisterReader &regs, Gfp gfp);

private:
	Error fail(Error e, size_t dmem_off, const char *structure, const char *problem)
	{
		if (why_)
			*why_ = VbiosError { e, prom(dmem_off), structure, problem };
		return e;
	}

	/* PROM offset of DMEM offset @off (saturating: only for messages). */
	size_t prom(size_t off) const
	{
		size_t r;
		if (ktl::add_overflows(out_.facts_.ucode_offset + out_.facts_.dmem_offset, off, &r))
			return ~size_t { 0 };
		return r;
	}

	/* [@off, @off + @len) inside the DMEM. */
	bool in_dmem(u64 off, u64 len) const
	{
		return off <= out_.facts_.dmem_size && len <= out_.facts_.dmem_size - off;
	}

	template <FromBytes T> Result<T> read(u64 off, const char *structure)
	{
		if (!in_dmem(off, sizeof(T)))
			return fail(err::ERANGE, off, structure, "outside the DMEM");
		return dmem().read<T>(off);
	}

	template <typename T> void write(size_t off, const T &v)
	{
		__builtin_memcpy(out_.image_.begin() + out_.facts_.dmem_offset + off, &v,
				 sizeof(T));
	}

	ByteView dmem() const { return out_.dmem(); }

	Result<void> copy_ucode(Gfp gfp);
	Result<void> patch_command(const FbRegion *frts);
	Result<void> patch_signature(const RegisterReader &regs);

	const Vbios &vbios_;
	const Fwsec &fwsec_;
	VbiosError *why_;
	FwsecFrts out_;
};

/*
 * The ucode follows the descriptor in its FwSec image: IMEM then DMEM. On
 * V3 the DMEM starts after the IMEM; on V2 at the descriptor's DMEM offset.
 */
Result<void> FwsecPatcher::copy_ucode(Gfp gfp)
{
	const FalconUcodeDesc &desc = fwsec_.desc;
	FwsecFrtsFacts &f = out_.facts_;
	VbiosError *why = why_;
	auto fail_rom = [why](Error e, size_t off, const char *problem) {
		if (why)
			*why = VbiosError { e, off, "FWSEC ucode", problem };
		return e;
	};

	const VbiosImage *holder = nullptr;
	for (const VbiosImage &image : vbios_.images())
		if (fwsec_.desc_offset >= image.offset &&
		    fwsec_.desc_offset - image.offset < image.length)
			holder = &image;
	if (!holder)
		return fail_rom(err::ERANGE, fwsec_.desc_offset, "descriptor outside the images");

	f.ucode_offset = fwsec_.desc_offset + desc.size();
	f.ucode_size = size_t { desc.imem_load_size() } + desc.dmem_load_size();
	size_t end = holder->offset + holder->length;
	if (f.ucode_offset > end || f.ucode_size > end - f.ucode_offset)
		return fail_rom(err::ERANGE, f.ucode_offset, "runs past its FwSec image");
	auto ucode = vbios_.bytes().sub(f.ucode_offset, f.ucode_size);
	if (!ucode)
		return fail_rom(err::ERANGE, f.ucode_offset, "runs past the bytes read");

	f.dmem_size = desc.dmem_load_size();
	if (const FalconUcodeDescV2 *v2 = desc.v2()) {
		f.dmem_offset = v2->dmem_offset;
		if (f.dmem_offset > f.ucode_size || f.dmem_size > f.ucode_size - f.dmem_offset)
			return fail_rom(err::ERANGE, f.ucode_offset, "DMEM outside the ucode");
	} else {
		f.dmem_offset = desc.imem_load_size();
	}

	auto extended = out_.image_.extend(f.ucode_size, gfp);
	if (!extended)
		return fail_rom(extended.error(), f.ucode_offset, "no memory for its copy");
	for (size_t i = 0; i < f.ucode_size; i++)
		*out_.image_.get(i) = *ucode->u8_at(i);
	return ok();
}

/*
 * The application table at the descriptor's interface offset, its
 * DMEMMAPPER entry, and for @frts the FRTS command in that interface's
 * command-in buffer; without, the SB command, which takes no input. The
 * first DMEMMAPPER entry is the one patched.
 */
Result<void> FwsecPatcher::patch_command(const FbRegion *frts)
{
	const FalconUcodeDesc &desc = fwsec_.desc;
	FwsecFrtsFacts &f = out_.facts_;
	u32 interface = desc.v2() ? desc.v2()->interface_offset : desc.v3()->interface_offset;

	f.appif_offset = interface;
	auto hdr = TRY(read<FalconAppifHdrV1>(interface, "application interface table"));
	if (hdr.version != 1)
		return fail(err::EINVAL, interface, "application interface table",
			    "unknown version");
	if (hdr.header_size < sizeof(FalconAppifHdrV1))
		return fail(err::EINVAL, interface, "application interface table",
			    "header size too small");
	if (hdr.entry_size < sizeof(FalconAppifV1))
		return fail(err::EINVAL, interface, "application interface table",
			    "entry size too small");
	u64 entries = u64 { interface } + hdr.header_size;
	if (!in_dmem(entries, u64 { hdr.entry_count } * hdr.entry_size))
		return fail(err::ERANGE, interface, "application interface table",
			    "entries outside the DMEM");

	for (size_t i = 0; i < hdr.entry_count; i++) {
		u64 at = entries + i * hdr.entry_size;
		auto app = TRY(read<FalconAppifV1>(at, "application interface entry"));
		if (app.id != APPIF_ID_DMEMMAPPER)
			continue;

		f.dmemmapper_offset = app.dmem_base;
		auto map = TRY(read<FalconAppifDmemmapperV3>(app.dmem_base, "DMEM mapper"));
		f.cmd_offset = map.cmd_in_buffer_offset;
		if (!frts) {
			map.init_cmd = DMEMMAPPER_CMD_SB;
			write(app.dmem_base, map);
			return ok();
		}
		if (!in_dmem(map.cmd_in_buffer_offset, sizeof(FrtsCmd)))
			return fail(err::ERANGE, app.dmem_base, "DMEM mapper",
				    "command-in buffer outside the DMEM");
		if (map.cmd_in_buffer_size < sizeof(FrtsCmd))
			return fail(err::EINVAL, app.dmem_base, "DMEM mapper",
				    "command-in buffer smaller than the FRTS command");
		if (frts->start > frts->end || frts->start % SZ_4K || frts->end % SZ_4K ||
		    frts->end > FRTS_MAX)
			return fail(err::ERANGE, map.cmd_in_buffer_offset, "FRTS command",
				    "FRTS region not expressible in 4 KiB units");

		map.init_cmd = DMEMMAPPER_CMD_FRTS;
		write(app.dmem_base, map);
		FrtsCmd cmd {};
		cmd.read_vbios =
			ReadVbios { CMD_VERSION, sizeof(ReadVbios), 0, 0, READ_VBIOS_FLAGS };
		cmd.frts_region =
			FrtsRegion { CMD_VERSION, sizeof(FrtsRegion),
				     static_cast<u32>(frts->start >> 12),
				     static_cast<u32>(frts->size() >> 12), FRTS_REGION_TYPE_FB };
		write(map.cmd_in_buffer_offset, cmd);
		f.frts_addr = frts->start;
		f.frts_size = frts->size();
		return ok();
	}
	return fail(err::ENOENT, interface, "application interface table",
		    "no DMEMMAPPER application");
}

/*
 * V3 signatures follow the descriptor's 44 bytes, one per bit of its
 * signature versions. The fuse version (the highest set bit of the
 * engine's register for the ucode id, from 1) picks the signature whose
 * bit it is; its index counts the versions below it.
 */
Result<void> FwsecPatcher::patch_signature(const RegisterReader &regs)
{
	const FalconUcodeDescV3 *v3 = fwsec_.desc.v3();
	FwsecFrtsFacts &f = out_.facts_;
	if (!v3 || !v3->signature_count)
		return ok();

	VbiosError *why = why_;
	size_t desc_off = fwsec_.desc_offset;
	auto fail_desc = [why, desc_off](Error e, const char *problem) {
		if (why)
			*why = VbiosError { e, desc_off, "FWSEC signatures", problem };
		return e;
	};
	size_t sigs = sizeof(FalconUcodeDescV3);
	size_t sigs_len = size_t { v3->signature_count } * FWSEC_SIGNATURE_SIZE;
	if (sigs_len > fwsec_.desc.size() - sigs)
		return fail_desc(err::ERANGE, "run past the descriptor");

	auto reg = fuse_version_register(v3->engine_id_mask, v3->ucode_id);
	if (!reg)
		return fail_desc(reg.error(),
				 "no fuse register for the ucode id on SEC2, NVDEC or GSP");
	auto fuse = regs.read32(*reg);
	if (!fuse)
		return fail_desc(fuse.error(), "fuse version register not readable");
	f.fuse_version = fuse_version_of(*fuse);
	u32 bit = u32 { 1 } << f.fuse_version;
	if (!(v3->signature_versions & bit))
		return fail_desc(err::EINVAL, "no signature for the fuse version");
	f.signature_index = bits_set(v3->signature_versions & (bit - 1));
	if (f.signature_index >= v3->signature_count)
		return fail_desc(err::EINVAL, "signature index past the signature count");

	f.signature_offset = v3->pkc_data_offset;
	if (!in_dmem(v3->pkc_data_offset, FWSEC_SIGNATURE_SIZE))
		return fail(err::ERANGE, v3->pkc_data_offset, "FWSEC signature patch",
			    "outside the DMEM");
	auto sig = vbios_.bytes().sub(desc_off + sigs + f.signature_index * FWSEC_SIGNATURE_SIZE,
				      FWSEC_SIGNATURE_SIZE);
	if (!sig)
		return fail_desc(err::ERANGE, "run past the ROM");
	for (size_t i = 0; i < FWSEC_SIGNATURE_SIZE; i++)
		write(v3->pkc_data_offset + i, *sig->u8_at(i));
	f.signed_ = true;
	return ok();
}

Result<FwsecFrts> FwsecPatcher::run(const FbRegion *frts, const RegisterReader &regs, Gfp gfp)
{
	TRY(copy_ucode(gfp));
	TRY(patch_command(frts));
	TRY(patch_signature(regs));
	return ktl::move(out_);
}

namespace {

/* FWSEC of @vbios patched for the FRTS command over @frts, or for SB without one. */
Result<FwsecFrts> patch_fwsec(const Vbios &vbios, const FbRegion *frts, const RegisterReader &regs,
			      Gfp gfp, VbiosError *why)
{
	const Fwsec *fwsec = vbios.fwsec();
	if (!fwsec) {
		if (why)
			*why = vbios.fwsec_error();
		return vbios.fwsec_error().error;
	}
	FwsecPatcher patcher(vbios, *fwsec, why);
	return patcher.run(frts, regs, gfp);
}

} // namespace

Result<FwsecFrts> FwsecFrts::prepare(const Vbios &vbios, const FbRegion &frts,
				     const RegisterReader &regs, Gfp gfp, VbiosError *why)
{
	return patch_fwsec(vbios, &frts, regs, gfp, why);
}

Result<FwsecFrts> FwsecFrts::prepare_sb(const Vbios &vbios, const RegisterReader &regs, Gfp gfp,
					VbiosError *why)
{
	return patch_fwsec(vbios, nullptr, regs, gfp, why);
}

Result<void> BootPlan::prepare_fwsec_frts(const Vbios *vbios, const RegisterReader &regs, Gfp gfp,
					  VbiosError *why)
{
	if (!layout)
		return ok();
	if (!fwsec_frts_needed(layout->frts)) {
		fwsec_frts_not_needed = true;
		return ok();
	}
	if (!vbios || !vbios->fwsec())
		return ok();
	auto frts = TRY(FwsecFrts::prepare(*vbios, layout->frts, regs, gfp, why));
	fwsec_frts = TRY(KBox<FwsecFrts>::create(gfp, ktl::move(frts)));
	/* The same FWSEC, patched the same way but for the command: no new failure. */
	auto sb = TRY(FwsecFrts::prepare_sb(*vbios, regs, gfp, why));
	fwsec_sb = TRY(KBox<FwsecFrts>::create(gfp, ktl::move(sb)));
	return ok();
}

} // namespace nova::core
