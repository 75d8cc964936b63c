/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DMA: memory a device reads, owned by RAII objects.
 *
 * - dma::set_mask(dev, bits): the addresses the device can reach.
 * - dma::Coherent: dma_alloc_coherent() memory, zeroed, with its bus
 *   address; the CPU writes it through bounds-checked calls.
 * - dma::CoherentObject<T>: one structure of a fixed layout in coherent
 *   memory, handed to a device by its bus address.
 * - dma::SgBuffer: a vmalloc'd buffer (large, not physically contiguous),
 *   filled by the CPU first and then mapped for the device to read
 *   through a scatter-gather table. Its DMA segments are what a device
 *   page table lists. Once mapped it is read-only for the CPU: the
 *   mapping gave it to the device.
 *
 *	auto buf = TRY(dma::SgBuffer::create(size));
 *	TRY(buf.write(0, bytes));
 *	auto mapped = TRY(dma::MappedSgBuffer::map(dev, ktl::move(buf)));
 *	for (dma::Segment seg : mapped.dma_segments())	// bus address, length
 *		...
 *
 * The segments are walked in order, each in constant time: there is no
 * lookup by index, which would cost the table's length per segment (a
 * 64 MiB image has thousands of them).
 *
 * Destroying an object unmaps and frees what it holds; the device must
 * not be using it any more (the driver's teardown order).
 */
#ifndef KERNEL_DMA_H
#define KERNEL_DMA_H

#include <kernel/bytes.h>
#include <kernel/device.h>
#include <kernel/error.h>
#include <kcxx/bindings.h>

namespace kernel::dma {

/* The device reaches @bits-bit bus addresses (streaming and coherent); EIO if it cannot. */
template <typename D> Result<void> set_mask(const D &dev, unsigned int bits)
{
	return to_result(kcxx_dma_set_mask_and_coherent(dev.raw_device(), bits));
}

/* A contiguous range of bus addresses. */
struct Segment {
	ktl::u64 addr;
	ktl::u64 len;
};

/* Coherent memory: zeroed, @size bytes, at bus address handle(). Move-only. */
class Coherent {
public:
	Coherent() = default;
	Coherent(Coherent &&o) noexcept
		: dev_(ktl::exchange(o.dev_, nullptr)), cpu_(ktl::exchange(o.cpu_, nullptr)),
		  size_(ktl::exchange(o.size_, 0)), handle_(ktl::exchange(o.handle_, 0))
	{}
	Coherent &operator=(Coherent &&o) noexcept
	{
		if (this != &o) {
			release();
			dev_ = ktl::exchange(o.dev_, nullptr);
			cpu_ = ktl::exchange(o.cpu_, nullptr);
			size_ = ktl::exchange(o.size_, 0);
			handle_ = ktl::exchange(o.handle_, 0);
		}
		return *this;
	}
	Coherent(const Coherent &) = delete;
	Coherent &operator=(const Coherent &) = delete;
	~Coherent() { release(); }

	/* ENOMEM if it cannot be had; EINVAL for size 0. */
	template <typename D> static Result<Coherent> alloc(const D &dev, ktl::size_t size)
	{
		if (!size)
			return err::EINVAL;
		Coherent c;
		kcxx_u64 handle = 0;
		c.cpu_ = static_cast<ktl::u8 *>(kcxx_dma_alloc_coherent(
			dev.raw_device(), size, &handle, (gfp::KERNEL | gfp::ZERO).raw()));
		c.handle_ = handle;
		if (!c.cpu_)
			return err::ENOMEM;
		c.dev_ = dev.raw_device();
		c.size_ = size;
		return c;
	}

	ktl::u64 handle() const { return handle_; }
	ktl::size_t size() const { return size_; }
	ByteView bytes() const { return ByteView(cpu_, size_); }

	/* @src at @off; EINVAL (nothing written) unless it fits. */
	Result<void> write(ktl::size_t off, ByteView src)
	{
		TRY(ByteView(cpu_, size_).sub(off, src.len()));
		return src.copy_to(0, cpu_ + off, src.len());
	}
	/* An object of a fixed layout at @off; EINVAL (nothing written) unless it fits. */
	template <FromBytes T> Result<void> write_obj(ktl::size_t off, const T &v)
	{
		return write(off, ByteView(reinterpret_cast<const ktl::u8 *>(&v), sizeof(T)));
	}

	Result<void> write_le64(ktl::size_t off, ktl::u64 v)
	{
		ktl::u8 b[8];
		for (int i = 0; i < 8; i++)
			b[i] = static_cast<ktl::u8>(v >> (8 * i));
		return write(off, ByteView(b));
	}

	/*
	 * The u32 at @off as the device left it: one 32-bit read the
	 * compiler neither caches nor splits (a device updates such words
	 * concurrently: queue pointers). EINVAL unless it fits and @off is
	 * a multiple of 4.
	 */
	Result<ktl::u32> read32(ktl::size_t off) const
	{
		TRY(check32(off));
		const ktl::u32 v = *reinterpret_cast<const volatile ktl::u32 *>(cpu_ + off);
		return v;
	}
	/* One 32-bit write of @v at @off, as read32(); EINVAL (nothing written) likewise. */
	Result<void> write32(ktl::size_t off, ktl::u32 v)
	{
		TRY(check32(off));
		*reinterpret_cast<volatile ktl::u32 *>(cpu_ + off) = v;
		return ok();
	}

private:
	Result<void> check32(ktl::size_t off) const
	{
		if (off % 4 || off > size_ || size_ - off < 4)
			return err::EINVAL;
		return ok();
	}
	void release()
	{
		if (cpu_)
			kcxx_dma_free_coherent(dev_, size_, cpu_, handle_);
		cpu_ = nullptr;
	}

	struct device *dev_ = nullptr;
	ktl::u8 *cpu_ = nullptr;
	ktl::size_t size_ = 0;
	ktl::u64 handle_ = 0;
};

/*
 * A full memory barrier (the kernel's mb()): every memory access before it
 * is seen by a device before any after it, e.g. a queue element before the
 * write pointer that publishes it, and that pointer before the doorbell.
 */
inline void full_fence()
{
	kcxx_mb();
}

/*
 * One object of a fixed layout (a FromBytes type: no padding, every byte
 * pattern valid) in coherent memory of its own, for a device to read at
 * handle(): the structures a device is handed by address.
 *
 *	auto meta = TRY(dma::CoherentObject<WprMeta>::create(pdev, value));
 *	write_mailboxes(meta.handle());
 */
template <FromBytes T> class CoherentObject {
public:
	template <typename D> static Result<CoherentObject> create(const D &dev, const T &value)
	{
		Coherent mem = TRY(Coherent::alloc(dev, sizeof(T)));
		TRY(mem.write_obj(0, value));
		return CoherentObject(ktl::move(mem));
	}

	CoherentObject() = default;
	ktl::u64 handle() const { return mem_.handle(); }
	/* What the memory holds now (the device may have written it). */
	Result<T> read() const { return mem_.bytes().read<T>(0); }

private:
	explicit CoherentObject(Coherent mem) : mem_(ktl::move(mem)) {}

	Coherent mem_;
};

/* A vmalloc'd, zeroed buffer the CPU fills before it is mapped. Move-only. */
class SgBuffer {
public:
	SgBuffer() = default;
	SgBuffer(SgBuffer &&o) noexcept
		: buf_(ktl::exchange(o.buf_, nullptr)), size_(ktl::exchange(o.size_, 0))
	{}
	SgBuffer &operator=(SgBuffer &&o) noexcept
	{
		if (this != &o) {
			kcxx_vfree(buf_);
			buf_ = ktl::exchange(o.buf_, nullptr);
			size_ = ktl::exchange(o.size_, 0);
		}
		return *this;
	}
	SgBuffer(const SgBuffer &) = delete;
	SgBuffer &operator=(const SgBuffer &) = delete;
	~SgBuffer() { kcxx_vfree(buf_); }

	/* ENOMEM if it cannot be had; EINVAL for size 0. */
	static Result<SgBuffer> create(ktl::size_t size)
	{
		if (!size)
			return err::EINVAL;
		SgBuffer b;
		b.buf_ = static_cast<ktl::u8 *>(kcxx_vzalloc(size));
		if (!b.buf_)
			return err::ENOMEM;
		b.size_ = size;
		return b;
	}

	ktl::size_t size() const { return size_; }
	ByteView bytes() const { return ByteView(buf_, size_); }
	Result<void> write(ktl::size_t off, ByteView src)
	{
		TRY(bytes().sub(off, src.len()));
		return src.copy_to(0, buf_ + off, src.len());
	}
	Result<void> write_le64(ktl::size_t off, ktl::u64 v)
	{
		ktl::u8 b[8];
		for (int i = 0; i < 8; i++)
			b[i] = static_cast<ktl::u8>(v >> (8 * i));
		return write(off, ByteView(b));
	}

private:
	friend class MappedSgBuffer;
	ktl::u8 *buf_ = nullptr;
	ktl::size_t size_ = 0;
};

/* An SgBuffer mapped for a device to read. Move-only. */
class MappedSgBuffer {
public:
	MappedSgBuffer() = default;
	MappedSgBuffer(MappedSgBuffer &&o) noexcept
		: buf_(ktl::move(o.buf_)), dev_(ktl::exchange(o.dev_, nullptr)),
		  sgt_(ktl::exchange(o.sgt_, nullptr))
	{}
	MappedSgBuffer &operator=(MappedSgBuffer &&o) noexcept
	{
		if (this != &o) {
			unmap();
			buf_ = ktl::move(o.buf_);
			dev_ = ktl::exchange(o.dev_, nullptr);
			sgt_ = ktl::exchange(o.sgt_, nullptr);
		}
		return *this;
	}
	MappedSgBuffer(const MappedSgBuffer &) = delete;
	MappedSgBuffer &operator=(const MappedSgBuffer &) = delete;
	~MappedSgBuffer() { unmap(); }

	/* ENOMEM when the table or the mapping cannot be made (@buf is then freed). */
	template <typename D> static Result<MappedSgBuffer> map(const D &dev, SgBuffer buf)
	{
		MappedSgBuffer m;
		m.sgt_ = kcxx_sgt_map_vmalloc(dev.raw_device(), buf.buf_, buf.size_);
		if (!m.sgt_)
			return err::ENOMEM;
		m.dev_ = dev.raw_device();
		m.buf_ = ktl::move(buf);
		return m;
	}

	ktl::size_t size() const { return buf_.size(); }
	ByteView bytes() const { return buf_.bytes(); }
	unsigned int segments() const { return sgt_ ? kcxx_sgt_dma_segments(sgt_) : 0; }

	/* The DMA segments in order, for a range-for; none when not mapped. */
	class SegmentIterator {
	public:
		Segment operator*() const
		{
			kcxx_u64 addr = 0, len = 0;
			kcxx_sg_dma_segment(sg_, &addr, &len);
			return Segment { addr, len };
		}
		SegmentIterator &operator++()
		{
			sg_ = kcxx_sg_dma_next(sg_, &left_);
			return *this;
		}
		bool operator==(const SegmentIterator &o) const { return sg_ == o.sg_; }
		bool operator!=(const SegmentIterator &o) const { return sg_ != o.sg_; }

	private:
		friend class MappedSgBuffer;
		struct scatterlist *sg_ = nullptr;
		unsigned int left_ = 0;
	};
	struct SegmentRange {
		SegmentIterator first;
		SegmentIterator begin() const { return first; }
		SegmentIterator end() const { return SegmentIterator(); }
		bool empty() const { return first == end(); }
	};
	SegmentRange dma_segments() const
	{
		SegmentRange r;
		if (sgt_)
			r.first.sg_ = kcxx_sgt_dma_first(sgt_, &r.first.left_);
		return r;
	}

private:
	void unmap()
	{
		if (sgt_)
			kcxx_sgt_unmap_free(dev_, sgt_);
		sgt_ = nullptr;
	}

	SgBuffer buf_;
	struct device *dev_ = nullptr;
	struct sg_table *sgt_ = nullptr;
};

} // namespace kernel::dma

#endif /* KERNEL_DMA_H */
