// SPDX-License-Identifier: GPL-2.0
/*
 * Requesting, parsing and describing a GPU's firmware files. The text of
 * the debugfs file is a stable format (Documentation/firmware.rst) that
 * tools/fw-describe derives from the files on the host: change both, and
 * the documentation, together.
 */
#include <kernel/print.h>

#include "firmware/set.h"

using namespace kernel;

namespace nova::core::fw {

namespace {

constexpr File ALL_FILES[] = { File::BooterLoad, File::BooterUnload,
			       File::Bootloader, File::GenBootloader,
			       File::Scrubber,	 File::Fmc,
			       File::Gsp };
static_assert(sizeof(ALL_FILES) / sizeof(ALL_FILES[0]) == FILE_COUNT);

constexpr unsigned DMA_ADDRESS_BITS = 47;

/*
 * Parses @bytes as file @info.file; then the HS signature choice: the fuse
 * version from its register where the chip has them, else 0 (the last
 * signature), as upstream's Turing HAL answers.
 */
Result<void> parse(FileInfo &info, ByteView bytes, const ChipFirmware &chip,
		   const RegisterReader &regs, FwError *why)
{
	switch (info.file) {
	case File::BooterLoad:
	case File::BooterUnload:
	case File::Scrubber: {
		info.hs = TRY(parse_hs(bytes, why));
		info.bin = info.hs.bin;
		info.reg_fuse_version = 0;
		if (chip.fuse_registers) {
			auto reg = fuse_version_register(info.hs.params);
			if (!reg) {
				*why = FwError { reg.error(), info.hs.hs.meta_data_offset,
						 "HS signature parameters", "no fuse register" };
				return reg.error();
			}
			info.fuse_from_register = true;
			info.fuse_register = reg.value();
			u32 raw = TRY(regs.read32(info.fuse_register));
			info.reg_fuse_version = fuse_version_of(raw);
		}
		auto idx = select_signature(info.hs, info.reg_fuse_version);
		if (!idx) {
			*why = FwError { idx.error(), info.hs.hs.num_sig_offset, "HS signatures",
					 "none matches the fuse version" };
			return idx.error();
		}
		info.sig_index = idx.value();
		return ok();
	}
	case File::Bootloader:
		info.riscv = TRY(parse_riscv(bytes, why));
		info.bin = info.riscv.bin;
		return ok();
	case File::GenBootloader:
		info.gen = TRY(parse_gen_bootloader(bytes, why));
		info.bin = info.gen.bin;
		return ok();
	case File::Gsp:
		info.gsp = TRY(parse_gsp(bytes, chip.gsp_signature, why));
		return ok();
	case File::Fmc:
		info.fmc = TRY(parse_fmc(bytes, why));
		return ok();
	}
	return err::EINVAL;
}

/*
 * @info's ucode (the container's payload) in coherent memory of whole GSP
 * pages; for an HS file, with the signature its fuse version chose at
 * patch_loc (both checked in the file by parse_hs).
 */
Result<dma::Coherent> map_ucode(const Device &dev, const FileInfo &info, ByteView file)
{
	ByteView ucode = TRY(file.sub(info.bin.data.offset, info.bin.data.size));
	auto copy = TRY(dma::Coherent::alloc(dev, gsp_page_align(ucode.len())));
	TRY(copy.write(0, ucode));
	if ((info.file == File::BooterLoad || info.file == File::BooterUnload) &&
	    info.hs.sig_size) {
		const size_t at = info.hs.sig_start + size_t { info.sig_index } * info.hs.sig_size;
		TRY(copy.write(info.hs.patch_loc, TRY(file.sub(at, info.hs.sig_size))));
	}
	return copy;
}

/* A copy of @span of @file. */
Result<KVec<u8>> copy_span(const Span &span, ByteView file)
{
	ByteView src = TRY(file.sub(span.offset, span.size));
	KVec<u8> v;
	TRY(v.resize(src.len(), gfp::KERNEL));
	TRY(src.copy_to(0, v.begin(), src.len()));
	return v;
}

void copy_string(char *dst, size_t size, const char *src)
{
	size_t i = 0;
	for (; i + 1 < size && src[i]; i++)
		dst[i] = src[i];
	dst[i] = '\0';
}

} // namespace

Result<void> FirmwareSet::keep_fmc(const Device &dev, FirmwareSet &set, const FmcElf &fmc,
				   ByteView file)
{
	ByteView image = TRY(file.sub(fmc.image.offset, fmc.image.size));
	auto copy = TRY(dma::Coherent::alloc(dev, gsp_page_align(image.len())));
	TRY(copy.write(0, image));
	set.fmc_hash_ = TRY(copy_span(fmc.hash, file));
	set.fmc_public_key_ = TRY(copy_span(fmc.publickey, file));
	set.fmc_signature_ = TRY(copy_span(fmc.signature, file));
	set.fmc_image_ = ktl::move(copy);
	return ok();
}

Result<KBox<FirmwareSet>> FirmwareSet::load_from(const Device &dev, const Chipset &chipset,
						 const RegisterReader &regs)
{
	auto set = TRY(KBox<FirmwareSet>::create(gfp::KERNEL));
	/* The GPU's address width for the image, as upstream sets it. */
	if (!dma::set_mask(dev, DMA_ADDRESS_BITS)) {
		dev_warn(dev, "no %u-bit DMA: GSP firmware unavailable\n", DMA_ADDRESS_BITS);
		return KBox<FirmwareSet>();
	}
	const ChipFirmware &chip = chip_firmware(chipset);
	set->chipset_ = &chipset;
	set->files_ = &chip;

	for (File f : ALL_FILES) {
		if (!chip.needs(f))
			continue;
		FileInfo &info = set->info_[set->count_];
		info.file = f;
		TRY(Firmware::format_name(info.path, "nvidia/%s/gsp/%s-%s.bin", chipset.name,
					  file_name(f), VERSION));
		auto file = Firmware::request(dev, info.path);
		if (!file) {
			if (file.error() == err::ENOENT)
				dev_warn(dev, "firmware %s missing: GSP firmware unavailable\n",
					 info.path);
			else
				dev_warn(dev,
					 "firmware %s cannot be loaded (%d): GSP firmware "
					 "unavailable\n",
					 info.path, file.error().to_errno());
			return KBox<FirmwareSet>();
		}
		info.size = file->size();
		FwError why {};
		if (!parse(info, file->bytes(), chip, regs, &why)) {
			dev_warn(dev, "firmware %s unusable: %s at %#zx: %s (%d)\n", info.path,
				 why.structure, why.offset, why.problem, why.error.to_errno());
			return KBox<FirmwareSet>();
		}
		set->count_++;
		if (f == File::Bootloader || f == File::BooterLoad || f == File::BooterUnload) {
			/*
			 * Their ucode, for the GSP or SEC2 to load from, as
			 * upstream copies it; an HS file's with its signature.
			 */
			auto copy = map_ucode(dev, info, file->bytes());
			if (!copy) {
				dev_warn(dev,
					 "ucode of %s cannot be mapped (%d): GSP firmware "
					 "unavailable\n",
					 info.path, copy.error().to_errno());
				return KBox<FirmwareSet>();
			}
			if (f == File::Bootloader)
				set->bootloader_ = copy.take();
			else if (f == File::BooterLoad)
				set->booter_load_ = copy.take();
			else
				set->booter_unload_ = copy.take();
		}
		if (f == File::GenBootloader) {
			/* Its code, loaded by PIO in whole blocks. */
			ByteView code = TRY(
				file->bytes().sub(info.bin.data.offset, info.gen.desc.code_size));
			const size_t blocks = (code.len() + 255) / 256;
			TRY(set->gen_code_.resize(blocks * 256, gfp::KERNEL));
			TRY(code.copy_to(0, set->gen_code_.begin(), code.len()));
			set->gen_start_tag_ = info.gen.desc.start_tag;
		}
		if (f == File::Fmc) {
			/* The image for the FSP's DMA; the sections the COT carries. */
			auto kept = keep_fmc(dev, *set, info.fmc, file->bytes());
			if (!kept) {
				dev_warn(dev,
					 "fmc image of %s cannot be mapped (%d): GSP firmware "
					 "unavailable\n",
					 info.path, kept.error().to_errno());
				return KBox<FirmwareSet>();
			}
		}
		if (f == File::Gsp) {
			ByteView bytes = file->bytes();
			auto image = GspImage::build(
				dev, bytes.sub(info.gsp.image.offset, info.gsp.image.size).value(),
				bytes.sub(info.gsp.signature.offset, info.gsp.signature.size)
					.value());
			if (!image) {
				dev_warn(dev,
					 "GSP image of %s cannot be built (%d): GSP firmware "
					 "unavailable\n",
					 info.path, image.error().to_errno());
				return KBox<FirmwareSet>();
			}
			set->image_ = image.take();
		}
	}

	const FileInfo *gsp = set->find(File::Gsp);
	copy_string(set->version_, sizeof(set->version_), gsp->gsp.version);
	set->sizes_.fw_image = gsp->gsp.image.size;
	set->sizes_.signature = gsp->gsp.signature.size;
	set->sizes_.bootloader = set->bootloader_.size();
	set->sizes_.libos = chip.libos;
	radix3_sizes(set->sizes_.fw_image, set->sizes_);
	return set;
}

size_t FirmwareSet::release_boot_copies()
{
	size_t freed = bootloader_.size() + booter_load_.size();
	if (image_) {
		freed += image_->image_size() + image_->signature_size();
		released_image_ = image_->summary();
	}
	image_ = KBox<GspImage>();
	freed += fmc_image_.size();
	bootloader_ = dma::Coherent();
	booter_load_ = dma::Coherent();
	fmc_image_ = dma::Coherent();
	return freed;
}

void FirmwareSet::show_gsp_image(debugfs::SeqFile &m) const
{
	if (image_) {
		image_->show(m);
		return;
	}
	if (!released_image_.image_size) {
		show_unavailable(m);
		return;
	}
	released_image_.show(m);
	m.print("released after boot\n");
}

GspBootImage FirmwareSet::boot_image() const
{
	if (!image_)
		return GspBootImage {};
	const RiscvUcodeDesc &d = find(File::Bootloader)->riscv.desc;
	return GspBootImage {
		.radix3_elf_addr = image_->radix3_handle(),
		.bootloader_addr = bootloader_.handle(),
		.signature_addr = image_->signature_handle(),
		.signature_size = image_->signature_size(),
		.bootloader_code_offset = d.monitor_code_offset,
		.bootloader_data_offset = d.monitor_data_offset,
		.bootloader_manifest_offset = d.manifest_offset,
	};
}

const dma::Coherent *FirmwareSet::hs_ucode(File f) const
{
	const dma::Coherent *c = f == File::BooterLoad	   ? &booter_load_
				 : f == File::BooterUnload ? &booter_unload_
							   : nullptr;
	return c && c->size() ? c : nullptr;
}

const FileInfo *FirmwareSet::find(File f) const
{
	for (unsigned i = 0; i < count_; i++)
		if (info_[i].file == f)
			return &info_[i];
	return nullptr;
}

void show_unavailable(debugfs::SeqFile &m)
{
	m.print("unavailable\n");
}

namespace {

void show_span(debugfs::SeqFile &m, const char *name, Span s)
{
	m.print("%s_offset 0x%zx\n%s_size 0x%zx\n", name, s.offset, name, s.size);
}

void show_hs(debugfs::SeqFile &m, const FileInfo &f)
{
	const HsFirmware &h = f.hs;
	m.print("sig_prod_offset 0x%x\nsig_prod_size 0x%x\n", h.hs.sig_prod_offset,
		h.hs.sig_prod_size);
	m.print("patch_loc 0x%x\npatch_sig 0x%x\nnum_sig 0x%x\nsig_size 0x%x\n", h.patch_loc,
		h.patch_sig, h.num_sig, h.sig_size);
	m.print("fuse_ver 0x%x\nengine_id_mask 0x%x\nucode_id 0x%x\n", h.params.fuse_ver,
		h.params.engine_id_mask, h.params.ucode_id);
	m.print("os_code_offset 0x%x\nos_code_size 0x%x\nos_data_offset 0x%x\n"
		"os_data_size 0x%x\nnum_apps 0x%x\napp0_offset 0x%x\napp0_len 0x%x\n",
		h.load.os_code_offset, h.load.os_code_size, h.load.os_data_offset,
		h.load.os_data_size, h.load.num_apps, h.app0.offset, h.app0.len);
	if (f.fuse_from_register)
		m.print("fuse_register 0x%x\n", f.fuse_register);
	else
		m.print("fuse_register none\n");
	m.print("reg_fuse_version 0x%x\nsig_index 0x%x\n", f.reg_fuse_version, f.sig_index);
}

void show_riscv(debugfs::SeqFile &m, const RiscvUcodeDesc &d)
{
	m.print("desc_version 0x%x\napp_version 0x%x\n", d.version, d.app_version);
	m.print("manifest_offset 0x%x\nmanifest_size 0x%x\n", d.manifest_offset, d.manifest_size);
	m.print("monitor_data_offset 0x%x\nmonitor_data_size 0x%x\n", d.monitor_data_offset,
		d.monitor_data_size);
	m.print("monitor_code_offset 0x%x\nmonitor_code_size 0x%x\n", d.monitor_code_offset,
		d.monitor_code_size);
}

} // namespace

void FirmwareSet::show(debugfs::SeqFile &m) const
{
	m.print("version %s\nchip %s\nfiles 0x%x\n", version_, chipset_->name, count_);
	for (unsigned i = 0; i < count_; i++) {
		const FileInfo &f = info_[i];
		m.print("file %s\npath %s\nsize 0x%zx\n", file_name(f.file), f.path, f.size);
		switch (f.file) {
		case File::Gsp:
			m.print("sections 0x%x\nsignatures 0x%x\nfwversion %s\n", f.gsp.sections,
				f.gsp.signatures, f.gsp.version);
			show_span(m, "image", f.gsp.image);
			m.print("signature_section %s\n", files_->gsp_signature);
			show_span(m, "signature", f.gsp.signature);
			continue;
		case File::Fmc:
			m.print("sections 0x%x\n", f.fmc.sections);
			show_span(m, "image", f.fmc.image);
			show_span(m, "hash", f.fmc.hash);
			show_span(m, "signature", f.fmc.signature);
			show_span(m, "publickey", f.fmc.publickey);
			continue;
		default:
			break;
		}
		m.print("bin_ver 0x%x\nheader_offset 0x%x\ndata_offset 0x%x\ndata_size 0x%x\n",
			f.bin.hdr.bin_ver, f.bin.hdr.header_offset, f.bin.hdr.data_offset,
			f.bin.hdr.data_size);
		if (f.file == File::Bootloader)
			show_riscv(m, f.riscv.desc);
		else if (f.file == File::GenBootloader)
			m.print("start_tag 0x%x\ncode_size 0x%x\n", f.gen.desc.start_tag,
				f.gen.desc.code_size);
		else
			show_hs(m, f);
	}
}

} // namespace nova::core::fw
