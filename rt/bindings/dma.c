// SPDX-License-Identifier: GPL-2.0
/*
 * Bindings: DMA. Coherent buffers, and vmalloc'd buffers mapped for a
 * device through a scatter-gather table (APIs stable from 6.1 on:
 * dma_alloc_coherent, vmalloc_to_page, sg_alloc_table_from_pages,
 * dma_map_sgtable).
 */
#include <linux/module.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <kcxx/bindings.h>

int kcxx_dma_set_mask_and_coherent(struct device *dev, unsigned int bits)
{
	return dma_set_mask_and_coherent(dev, DMA_BIT_MASK(bits));
}
EXPORT_SYMBOL_GPL(kcxx_dma_set_mask_and_coherent);

void *kcxx_dma_alloc_coherent(struct device *dev, kcxx_size_t size, kcxx_u64 *handle,
			      kcxx_gfp_t gfp)
{
	dma_addr_t h;
	void *p = dma_alloc_coherent(dev, size, &h, gfp);

	*handle = p ? h : 0;
	return p;
}
EXPORT_SYMBOL_GPL(kcxx_dma_alloc_coherent);

void kcxx_dma_free_coherent(struct device *dev, kcxx_size_t size, void *cpu, kcxx_u64 handle)
{
	dma_free_coherent(dev, size, cpu, handle);
}
EXPORT_SYMBOL_GPL(kcxx_dma_free_coherent);

void *kcxx_vzalloc(kcxx_size_t size)
{
	return vzalloc(size);
}
EXPORT_SYMBOL_GPL(kcxx_vzalloc);

void kcxx_vfree(const void *p)
{
	vfree(p);
}
EXPORT_SYMBOL_GPL(kcxx_vfree);

/*
 * The pages of the vmalloc'd @buf (@size bytes, page-aligned start) in a
 * new scatter-gather table, mapped to @dev for the device to read. NULL
 * (nothing allocated or mapped) on failure.
 */
struct sg_table *kcxx_sgt_map_vmalloc(struct device *dev, void *buf, kcxx_size_t size)
{
	unsigned int n = DIV_ROUND_UP(size, PAGE_SIZE), i;
	struct sg_table *sgt;
	struct page **pages;
	int ret;

	if (!n || size > (kcxx_size_t)UINT_MAX * PAGE_SIZE)
		return NULL;
	pages = kvmalloc_array(n, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return NULL;
	for (i = 0; i < n; i++)
		pages[i] = vmalloc_to_page((u8 *)buf + (size_t)i * PAGE_SIZE);
	sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	if (!sgt)
		goto free_pages;
	ret = sg_alloc_table_from_pages(sgt, pages, n, 0, size, GFP_KERNEL);
	if (ret)
		goto free_sgt;
	ret = dma_map_sgtable(dev, sgt, DMA_TO_DEVICE, 0);
	if (ret)
		goto free_table;
	kvfree(pages);
	return sgt;

free_table:
	sg_free_table(sgt);
free_sgt:
	kfree(sgt);
free_pages:
	kvfree(pages);
	return NULL;
}
EXPORT_SYMBOL_GPL(kcxx_sgt_map_vmalloc);

void kcxx_sgt_unmap_free(struct device *dev, struct sg_table *sgt)
{
	dma_unmap_sgtable(dev, sgt, DMA_TO_DEVICE, 0);
	sg_free_table(sgt);
	kfree(sgt);
}
EXPORT_SYMBOL_GPL(kcxx_sgt_unmap_free);

/*
 * The DMA segments of a mapped table, walked in order: the first one (NULL
 * when there is none), and the one after @sg (NULL after the last; @left
 * counts the segments still to come). A walk is linear: a segment found by
 * its index would cost the table's length each time.
 */
struct scatterlist *kcxx_sgt_dma_first(struct sg_table *sgt, unsigned int *left)
{
	*left = sgt->nents;
	return sgt->nents ? sgt->sgl : NULL;
}
EXPORT_SYMBOL_GPL(kcxx_sgt_dma_first);

struct scatterlist *kcxx_sg_dma_next(struct scatterlist *sg, unsigned int *left)
{
	if (*left <= 1) {
		*left = 0;
		return NULL;
	}
	(*left)--;
	return sg_next(sg);
}
EXPORT_SYMBOL_GPL(kcxx_sg_dma_next);

void kcxx_sg_dma_segment(struct scatterlist *sg, kcxx_u64 *addr, kcxx_u64 *len)
{
	*addr = sg_dma_address(sg);
	*len = sg_dma_len(sg);
}
EXPORT_SYMBOL_GPL(kcxx_sg_dma_segment);

unsigned int kcxx_sgt_dma_segments(struct sg_table *sgt)
{
	return sgt->nents;
}
EXPORT_SYMBOL_GPL(kcxx_sgt_dma_segments);

/* A full memory barrier: what the CPU wrote to memory a device reads is ordered. */
void kcxx_mb(void)
{
	mb();
}
EXPORT_SYMBOL_GPL(kcxx_mb);
