/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GSP-RM's image in system memory, as the GSP bootloader expects it: the
 * .fwimage copied into a vmalloc'd buffer mapped for the GPU, and the
 * "radix3" page tables that map it from GSP address 0 on
 * (Documentation/firmware.rst):
 *
 *	level 0: one GSP page; entry 0 is the bus address of level 1
 *	level 1: the bus addresses of the level-2 table's pages
 *	level 2: the bus addresses of the image's pages
 *
 * Entries are little-endian u64s, one per 4 KiB GSP page. Level 1 and 2
 * are vmalloc'd and mapped like the image, level 0 is coherent memory, as
 * upstream's GspFirmware builds them; the chip's signature section is
 * copied into coherent memory beside them, padded with zeroes to whole GSP
 * pages as upstream's copy is. One copy of the image, none of
 * the tables.
 */
#ifndef NOVA_CORE_GSP_IMAGE_H
#define NOVA_CORE_GSP_IMAGE_H

#include <kernel/alloc.h>
#include <kernel/debugfs.h>
#include <kernel/device.h>
#include <kernel/dma.h>

#include "firmware/files.h"

namespace nova::core::fw {

/*
 * What "gsp_radix3" shows of an image, as numbers: kept when the image's
 * memory is released after the boot, so that the file still reads the
 * same (with a last line saying so) without touching freed memory.
 */
struct GspImageSummary {
	static constexpr size_t FIRST = 4; /* entries shown of levels 1 and 2 */
	size_t image_size, image_pages;
	size_t level2_entries, level2_pages, level1_entries, level1_pages;
	size_t signature_len;
	u64 level0_dma, level0_0;
	u64 level1[FIRST], level2[FIRST];
	/* The debugfs "gsp_radix3" text. */
	void show(kernel::debugfs::SeqFile &m) const;
};

class GspImage {
public:
	/* @image: .fwimage's bytes; @signature: the chip's section. ENOMEM, or the mapping's errno.
	 */
	static kernel::Result<kernel::KBox<GspImage>>
	build(const kernel::Device &dev, kernel::ByteView image, kernel::ByteView signature);

	/* The bus address the GSP bootloader is given: level 0. */
	u64 radix3_handle() const { return level0_.handle(); }
	/* The signatures' copy: its bus address and size (whole GSP pages). */
	u64 signature_handle() const { return signature_.handle(); }
	size_t signature_size() const { return signature_.size(); }
	/* Pages (4 KiB) of a table, and its entries. */
	size_t image_size() const { return image_.size(); }

	/* The debugfs "gsp_radix3" text: summary().show(). */
	void show(kernel::debugfs::SeqFile &m) const { summary().show(m); }
	GspImageSummary summary() const;

	GspImage() = default;

private:
	kernel::dma::MappedSgBuffer image_;
	kernel::dma::MappedSgBuffer level2_;
	kernel::dma::MappedSgBuffer level1_;
	kernel::dma::Coherent level0_;
	kernel::dma::Coherent signature_;
	size_t signature_len_ = 0; /* of the section, before the padding */
	size_t level2_entries_ = 0;
	size_t level1_entries_ = 0;
};

} // namespace nova::core::fw

#endif /* NOVA_CORE_GSP_IMAGE_H */
