/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The firmware files of one GPU: each file its chip needs (firmware/files.h's
 * chip_firmware()) requested, parsed and described, the HS signatures
 * chosen by the fuse version, and the sizes the framebuffer layout needs.
 *
 * The files themselves are released once parsed, and the copies only
 * Booter's load reads once GSP-RM runs (release_boot_copies()): what
 * stays is their description, which the debugfs file "firmware" shows in the format
 * Documentation/firmware.rst defines, and the GSP image built from the
 * GSP ELF's .fwimage (firmware/gsp_image.h, debugfs "gsp_radix3").
 */
#ifndef NOVA_CORE_FIRMWARE_SET_H
#define NOVA_CORE_FIRMWARE_SET_H

#include <kernel/alloc.h>
#include <kernel/debugfs.h>
#include <kernel/device.h>
#include <kernel/dma.h>
#include <kernel/firmware.h>

#include "firmware/files.h"
#include "firmware/fuse.h"
#include "firmware/gsp_image.h"
#include "gsp/wpr_meta.h"

namespace nova::core::fw {

/* Where the fuse version registers are read from: the GPU's BAR0. */
struct FileInfo {
	File file;
	char path[kernel::Firmware::NAME_SIZE];
	size_t size;
	BinFile bin; /* all but gsp and fmc */
	HsFirmware hs; /* booter_load, booter_unload, scrubber */
	RiscvFirmware riscv; /* bootloader */
	GenBootloader gen; /* gen_bootloader */
	GspElf gsp; /* gsp */
	FmcElf fmc; /* fmc */
	/* HS files: the signature chosen. */
	bool fuse_from_register;
	u32 fuse_register;
	u32 reg_fuse_version;
	u32 sig_index;
};

class FirmwareSet {
public:
	/*
	 * Requests and parses every file @chipset needs for @dev, reading
	 * fuse versions through @regs. A file that is missing or does not
	 * parse is reported in one warning naming it and leaves the set
	 * unavailable: an empty KBox. Only ENOMEM fails.
	 */
	template <typename D, typename Bar> static kernel::Result<kernel::KBox<FirmwareSet>>
	load(const D &dev, const Chipset &chipset, const Bar &bar)
	{
		return load_from(kernel::Device::from_raw(dev.raw_device()), chipset,
				 RegisterReaderOf<Bar>(bar));
	}
	static kernel::Result<kernel::KBox<FirmwareSet>>
	load_from(const kernel::Device &dev, const Chipset &chipset, const RegisterReader &regs);

	/* .fwversion of the GSP ELF. */
	const char *version() const { return version_; }
	const GspSizes &sizes() const { return sizes_; }
	const FileInfo *find(File f) const;

	/* The debugfs "firmware" text. */
	void show(kernel::debugfs::SeqFile &m) const;
	/* The GSP image in system memory and its radix3 tables; nullptr once released. */
	const GspImage *gsp_image() const { return image_.get(); }
	/*
	 * The debugfs "gsp_radix3" text: the image's, or once released what
	 * it was, then "released after boot".
	 */
	void show_gsp_image(kernel::debugfs::SeqFile &m) const;
	/*
	 * Frees what only Booter's load (or the FSP's) reads: the GSP
	 * image's copy and its radix3 tables, the bootloader's ucode,
	 * booter_load, fmc's image. Once GSP-RM
	 * said INIT_DONE it runs from WPR2 and no longer needs them; what
	 * the unload needs (booter_unload, gen_bootloader) stays. Returns
	 * the bytes freed; boot_image() is then all zeroes.
	 */
	size_t release_boot_copies();
	/*
	 * What the WPR metadata takes from the set: the bus addresses of
	 * the radix3 tables, the bootloader's ucode and the signatures, the
	 * signatures' size, and the bootloader's code, data and manifest
	 * offsets in its ucode.
	 */
	GspBootImage boot_image() const;
	/*
	 * booter_load's or booter_unload's ucode with its signature patched
	 * in, in coherent memory of whole GSP pages for SEC2's DMA; nullptr
	 * for another file or one the chip does not have.
	 */
	const kernel::dma::Coherent *hs_ucode(File f) const;
	/*
	 * gen_bootloader's code, zero-padded to whole 256-byte blocks, and
	 * its start tag; an empty view for a chip without the file.
	 */
	kernel::ByteView gen_bootloader_code() const { return kernel::ByteView(gen_code_); }
	/*
	 * fmc's image in coherent memory for the FSP's DMA (nullptr for a
	 * chip without the file, or once released), and its hash, public
	 * key and signature as the file holds them (empty views likewise).
	 */
	const kernel::dma::Coherent *fmc_image() const
	{
		return fmc_image_.size() ? &fmc_image_ : nullptr;
	}
	kernel::ByteView fmc_hash() const { return kernel::ByteView(fmc_hash_); }
	kernel::ByteView fmc_public_key() const { return kernel::ByteView(fmc_public_key_); }
	kernel::ByteView fmc_signature() const { return kernel::ByteView(fmc_signature_); }
	u32 gen_bootloader_start_tag() const { return gen_start_tag_; }

	FirmwareSet() = default;

private:
	static kernel::Result<void> keep_fmc(const kernel::Device &dev, FirmwareSet &set,
					     const FmcElf &fmc, kernel::ByteView file);

	const Chipset *chipset_ = nullptr;
	const ChipFirmware *files_ = nullptr;
	FileInfo info_[FILE_COUNT] = {};
	unsigned count_ = 0;
	char version_[sizeof(GspElf::version)] = {};
	GspSizes sizes_ {};
	kernel::KBox<GspImage> image_;
	GspImageSummary released_image_ {}; /* once image_ is released */
	kernel::dma::Coherent bootloader_; /* its ucode, whole GSP pages */
	kernel::dma::Coherent booter_load_, booter_unload_; /* signed ucode, whole GSP pages */
	kernel::KVec<u8> gen_code_;
	u32 gen_start_tag_ = 0;
	kernel::dma::Coherent fmc_image_; /* whole GSP pages */
	kernel::KVec<u8> fmc_hash_, fmc_public_key_, fmc_signature_;
};

/* "unavailable" for a GPU without a usable set (debugfs). */
void show_unavailable(kernel::debugfs::SeqFile &m);

} // namespace nova::core::fw

#endif /* NOVA_CORE_FIRMWARE_SET_H */
