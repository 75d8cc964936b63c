// SPDX-License-Identifier: GPL-2.0
/* The GSP image and its radix3 page tables (firmware/gsp_image.h). */
#include "firmware/gsp_image.h"

using namespace kernel;

namespace nova::core::fw {

namespace {

/* Entries for every GSP page of @m's DMA segments, in order. */
size_t count_pages(const dma::MappedSgBuffer &m)
{
	size_t n = 0;
	for (dma::Segment s : m.dma_segments())
		n += (s.len + GSP_PAGE_SIZE - 1) / GSP_PAGE_SIZE;
	return n;
}

/* A table of the bus addresses of @m's GSP pages, mapped. */
Result<dma::MappedSgBuffer> table_of(const Device &dev, const dma::MappedSgBuffer &m,
				     size_t *entries)
{
	*entries = count_pages(m);
	auto table = TRY(dma::SgBuffer::create(*entries * sizeof(u64)));
	size_t e = 0;
	for (dma::Segment s : m.dma_segments())
		for (u64 off = 0; off < s.len; off += GSP_PAGE_SIZE)
			TRY(table.write_le64(e++ * sizeof(u64), s.addr + off));
	return dma::MappedSgBuffer::map(dev, ktl::move(table));
}

u64 entry(ByteView table, size_t i)
{
	auto v = table.le64(i * sizeof(u64));
	return v ? v.value() : 0;
}

size_t pages(size_t bytes)
{
	return (bytes + GSP_PAGE_SIZE - 1) / GSP_PAGE_SIZE;
}

} // namespace

Result<KBox<GspImage>> GspImage::build(const Device &dev, ByteView image, ByteView signature)
{
	auto g = TRY(KBox<GspImage>::create(gfp::KERNEL));
	auto buf = TRY(dma::SgBuffer::create(image.len()));
	TRY(buf.write(0, image));
	g->image_ = TRY(dma::MappedSgBuffer::map(dev, ktl::move(buf)));
	g->level2_ = TRY(table_of(dev, g->image_, &g->level2_entries_));
	g->level1_ = TRY(table_of(dev, g->level2_, &g->level1_entries_));
	g->level0_ = TRY(dma::Coherent::alloc(dev, GSP_PAGE_SIZE));
	auto level1 = g->level1_.dma_segments();
	if (level1.empty())
		return err::ENOMEM;
	TRY(g->level0_.write_le64(0, (*level1.begin()).addr));
	g->signature_ = TRY(dma::Coherent::alloc(dev, gsp_page_align(signature.len())));
	TRY(g->signature_.write(0, signature));
	g->signature_len_ = signature.len();
	return g;
}

GspImageSummary GspImage::summary() const
{
	GspImageSummary s {};
	s.image_size = image_.size();
	s.image_pages = pages(image_.size());
	s.level2_entries = level2_entries_;
	s.level2_pages = pages(level2_.size());
	s.level1_entries = level1_entries_;
	s.level1_pages = pages(level1_.size());
	s.signature_len = signature_len_;
	s.level0_dma = level0_.handle();
	s.level0_0 = entry(level0_.bytes(), 0);
	for (size_t i = 0; i < GspImageSummary::FIRST && i < level1_entries_; i++)
		s.level1[i] = entry(level1_.bytes(), i);
	for (size_t i = 0; i < GspImageSummary::FIRST && i < level2_entries_; i++)
		s.level2[i] = entry(level2_.bytes(), i);
	return s;
}

void GspImageSummary::show(debugfs::SeqFile &m) const
{
	m.print("image_size 0x%zx\nimage_pages 0x%zx\n", image_size, image_pages);
	m.print("level2_entries 0x%zx\nlevel2_pages 0x%zx\n", level2_entries, level2_pages);
	m.print("level1_entries 0x%zx\nlevel1_pages 0x%zx\n", level1_entries, level1_pages);
	m.print("level0_entries 0x1\nlevel0_pages 0x1\n");
	m.print("signature_size 0x%zx\n", signature_len);
	m.print("level0_dma 0x%llx\n", static_cast<unsigned long long>(level0_dma));
	m.print("level0[0] 0x%llx\n", static_cast<unsigned long long>(level0_0));
	for (size_t i = 0; i < FIRST && i < level1_entries; i++)
		m.print("level1[%zu] 0x%llx\n", i, static_cast<unsigned long long>(level1[i]));
	for (size_t i = 0; i < FIRST && i < level2_entries; i++)
		m.print("level2[%zu] 0x%llx\n", i, static_cast<unsigned long long>(level2[i]));
}

} // namespace nova::core::fw
