// SPDX-License-Identifier: GPL-2.0
#include "gpu.h"

#include <cerrno>
#include <cstdarg>
#include <cstring>
#include <sys/mman.h>
#include <unistd.h>

#include "vfio_user.h"

namespace gpu_model {

namespace {

constexpr uint64_t BAR0_SIZE = 16ull << 20;
constexpr uint64_t BAR3_SIZE = 32ull << 20;
constexpr uint8_t REVISION = 0xa1;

/* Where config space holds its parts. */
constexpr unsigned CFG_BAR0 = 0x10, CFG_BAR1 = 0x14, CFG_BAR3 = 0x1c;
constexpr unsigned CAP_PM = 0x60, CAP_MSI = 0x68, CAP_EXP = 0x78;

int new_memfd(const char *name, uint64_t size)
{
	int fd = memfd_create(name, MFD_CLOEXEC);
	if (fd < 0)
		return -1;
	if (ftruncate(fd, static_cast<off_t>(size))) {
		close(fd);
		return -1;
	}
	return fd;
}

bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

} // namespace

std::string Gpu::check(const Options &o)
{
	if (!is_pow2(o.bar1) || o.bar1 < (1u << 20))
		return "--bar1 must be a power of two of 1 MiB or more";
	if (!o.vram_set || !o.chipset)
		return "";
	Family f = family_of(o.chipset);
	uint64_t mib = o.vram >> 20;
	if (!mib || o.vram % (1 << 20))
		return "--vram must be a whole, nonzero number of MiB";
	if (f == Family::Turing || f == Family::GA100) {
		for (unsigned scale = 0; scale < 16; scale++)
			if (mib % (1ull << scale) == 0 && mib >> scale < 64)
				return "";
		return "--vram: LOCAL_MEMORY_RANGE holds MAG (< 64) << SCALE (< 16) MiB";
	}
	if (o.ecc)
		return "--vram: ECC is a flag of Turing and GA100 only";
	if (mib >> 32)
		return "--vram: more MiB than NV_USABLE_FB_SIZE_IN_MB holds";
	return "";
}

Gpu::Gpu(const Options &o) : opt_(o)
{
	if (!opt_.trace.empty()) {
		trace_ = std::fopen(opt_.trace.c_str(), "w");
		if (trace_)
			setvbuf(trace_, nullptr, _IOFBF, 1 << 20);
	}
	bar0_fd_ = new_memfd("gpu-model-bar0", BAR0_SIZE);
	void *p = mmap(nullptr, reg::PROM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, bar0_fd_,
		       reg::PROM_DATA);
	prom_ = p == MAP_FAILED ? nullptr : static_cast<uint8_t *>(p);
	vram_bytes_ = std::max(opt_.vram, opt_.bar1);
	vram_fd_ = new_memfd("gpu-model-vram", vram_bytes_);
	bar3_fd_ = new_memfd("gpu-model-bar3", BAR3_SIZE);
	/* The falcons of NVIDIA's device map (dev_falcon_v4.h bases), by family. */
	if (opt_.chipset) {
		FalconHal hal = opt_.chipset < 0x172 ? FalconHal::Tu102 : FalconHal::Ga102;
		falcons_.emplace_back("GSP", 0x110000, 0x111000, hal);
		falcons_.emplace_back("SEC2", 0x840000, 0x841000, hal);
		if (opt_.chipset >= 0x180)
			falcons_.emplace_back("FSP", 0x8f2000, 0x8f3000, hal);
	}
	build_config();
	power_on();
}

Gpu::~Gpu()
{
	if (prom_)
		munmap(prom_, reg::PROM_SIZE);
	for (int fd : { bar0_fd_, vram_fd_, bar3_fd_ })
		if (fd >= 0)
			close(fd);
	if (trace_)
		std::fclose(trace_);
}

/*
 * What the VBIOS's devinit leaves in a GPU's registers before any driver
 * runs (Documentation/gpu-model.rst, "Registers").
 */
void Gpu::power_on()
{
	regs_.clear();
	read_only_.clear();
	auto fixed = [this](uint32_t offset, uint32_t value) {
		regs_[offset] = value;
		read_only_[offset] = true;
	};
	fixed(reg::PMC_BOOT_0, opt_.boot0);
	fixed(reg::PMC_BOOT_42, opt_.boot42);
	fixed(reg::PGC6_AON_SECURE_SCRATCH_GROUP_05_PRIV_LEVEL_MASK, 1);
	fixed(reg::PGC6_AON_SECURE_SCRATCH_GROUP_05_0, reg::GFW_BOOT_PROGRESS_COMPLETED);
	/* The SEC2 ucodes booter (id 3) and the scrubber (id 13) at fuse version 1. */
	if (opt_.chipset >= 0x172)
		for (uint32_t id : { 3u, 13u })
			fixed(reg::FUSE_OPT_FPF_SEC2_UCODE1_VERSION + 4 * (id - 1), 1);

	if (opt_.chipset && opt_.vram_set) {
		Family f = family_of(opt_.chipset);
		uint64_t mib = opt_.vram >> 20;
		uint64_t usable = opt_.ecc ? opt_.vram / 16 * 15 : opt_.vram;
		if (f == Family::Turing || f == Family::GA100) {
			unsigned scale = 0;
			while (mib % (1ull << scale) || mib >> scale >= 64)
				scale++;
			fixed(reg::PFB_PRI_MMU_LOCAL_MEMORY_RANGE,
			      (opt_.ecc ? reg::LOCAL_MEMORY_RANGE_ECC_MODE : 0) |
				      static_cast<uint32_t>(mib >> scale) << 4 | scale);
		} else {
			fixed(reg::PGC6_AON_SECURE_SCRATCH_GROUP_42, static_cast<uint32_t>(mib));
		}
		if (f == Family::Turing || f == Family::GA100 || f == Family::Ampere ||
		    f == Family::Ada) {
			/* GA100 has no display; the others have one. */
			fixed(f == Family::Turing ? reg::FUSE_STATUS_OPT_DISPLAY_TU10X
						  : reg::FUSE_STATUS_OPT_DISPLAY_GA100,
			      f == Family::GA100 ? 1 : 0);
			/* The VGA workspace: the last 512 KiB below the end of usable VRAM. */
			regs_[reg::PDISP_VGA_WORKSPACE_BASE] =
				static_cast<uint32_t>((usable - (512 << 10)) >> 16) << 8 |
				reg::VGA_WORKSPACE_BASE_STATUS_VALID;
			/* The GSP's FWSEC (ucode id 9) at fuse version 2 (bits 0 and 1). */
			fixed(reg::FUSE_OPT_FPF_GSP_UCODE1_VERSION + 4 * (9 - 1), 3);
		}
	}

	if (prom_) {
		std::memset(prom_, 0, reg::PROM_SIZE);
		std::memcpy(prom_, opt_.vbios.data(),
			    std::min<size_t>(opt_.vbios.size(), reg::PROM_SIZE));
	}
	for (Falcon &f : falcons_)
		f.power_on();
	port_addr_ = 0;
	dma_src_ = dma_dst_ = 0;
	dma_len_ = dma_status_ = 0;
	hostile_.reseed(opt_.hostile_seed);
}

void Gpu::build_config()
{
	std::memset(config_, 0, sizeof(config_));
	std::memset(config_wmask_, 0, sizeof(config_wmask_));
	auto put = [this](unsigned at, uint64_t value, unsigned bytes, uint64_t wmask = 0) {
		for (unsigned i = 0; i < bytes; i++) {
			config_[at + i] = static_cast<uint8_t>(value >> (8 * i));
			config_wmask_[at + i] = static_cast<uint8_t>(wmask >> (8 * i));
		}
	};
	uint32_t cls = opt_.chipset ? class_of(opt_.chipset) : CLASS_VGA;
	put(0x00, 0x10de, 2);
	put(0x02, opt_.device, 2);
	/* COMMAND: I/O, memory, bus master, parity, SERR, INTx disable. */
	put(0x04, 0, 2, 0x0547);
	put(0x06, 0x0010, 2); /* STATUS: a capability list */
	put(0x08, REVISION, 1);
	put(0x09, cls, 3);
	put(0x0c, 0, 2, 0xffff); /* cache line size, latency timer */
	/* BAR0 32-bit; BAR1 and BAR3 64-bit prefetchable: the low bits are fixed. */
	put(CFG_BAR0, 0, 4, ~(BAR0_SIZE - 1) & 0xfffffff0);
	uint64_t bar1_mask = ~(opt_.bar1 - 1) & ~0xfull;
	put(CFG_BAR1, 0xc, 4, bar1_mask & 0xffffffff);
	put(CFG_BAR1 + 4, 0, 4, bar1_mask >> 32);
	uint64_t bar3_mask = ~(BAR3_SIZE - 1) & ~0xfull;
	put(CFG_BAR3, 0xc, 4, bar3_mask & 0xffffffff);
	put(CFG_BAR3 + 4, 0, 4, bar3_mask >> 32);
	put(0x2c, 0x10de, 2);
	put(0x2e, opt_.device, 2);
	put(0x34, CAP_PM, 1);
	put(0x3c, 0, 1, 0xff); /* interrupt line; pin 0: no INTx, MSI only */

	/* Power management: version 3, D0..D3hot; PMCSR's power state is written. */
	put(CAP_PM, 0x01 | CAP_MSI << 8, 2);
	put(CAP_PM + 2, 0x0003, 2);
	put(CAP_PM + 4, 0x0008, 2, 0x0003);
	/* MSI: one vector, 64-bit addresses. */
	put(CAP_MSI, 0x05 | CAP_EXP << 8, 2);
	put(CAP_MSI + 2, 0x0080, 2, 0x0071);
	put(CAP_MSI + 4, 0, 4, 0xfffffffc);
	put(CAP_MSI + 8, 0, 4, 0xffffffff);
	put(CAP_MSI + 12, 0, 2, 0xffff);
	/* PCI Express v2, endpoint; a 16 GT/s x16 link. */
	put(CAP_EXP, 0x10, 2);
	put(CAP_EXP + 2, 0x0002, 2);
	put(CAP_EXP + 4, 0x00008021, 4); /* DevCap: 256-byte payload, RBER */
	put(CAP_EXP + 8, 0x2810, 2, 0x7fff); /* DevCtl */
	put(CAP_EXP + 12, 0x00000104 | 0x3 << 10, 4); /* LnkCap: 16 GT/s x16, ASPM */
	put(CAP_EXP + 16, 0x0000, 2, 0x0fff); /* LnkCtl */
	put(CAP_EXP + 18, 0x0104, 2); /* LnkSta: 16 GT/s x16 */
	put(CAP_EXP + 0x24, 0x00000000, 4); /* DevCap2 */
	put(CAP_EXP + 0x2c, 0x1e, 4); /* LnkCap2: 2.5 to 16 GT/s */
}

void Gpu::reset()
{
	trace("reset\n");
	build_config();
}

void Gpu::attach(DmaSpace *dma)
{
	dma_ = dma;
	for (Falcon &f : falcons_)
		f.attach(dma, [this](const std::string &line) { trace("%s", line.c_str()); });
}

std::vector<std::string> Gpu::verdicts() const
{
	std::vector<std::string> all;
	for (const Falcon &f : falcons_)
		all.insert(all.end(), f.verdicts().begin(), f.verdicts().end());
	return all;
}

void Gpu::power_cycle()
{
	trace("power cycle\n");
	build_config();
	power_on();
	blocks_.clear();
	reads_ = writes_ = port_ = readonly_writes_ = 0;
	dma_reads_ = dma_read_bytes_ = dma_writes_ = dma_write_bytes_ = dma_refused_ = 0;
}

RegionDesc Gpu::region(uint32_t index) const
{
	using namespace vfio_user;
	RegionDesc d;
	const uint32_t rw = REGION_FLAG_READ | REGION_FLAG_WRITE;
	switch (index) {
	case 0:
		d.size = BAR0_SIZE;
		d.flags = rw;
		/* The PROM window is memory unless the PROM may lie. */
		if (!opt_.hostile && bar0_fd_ >= 0) {
			d.flags |= REGION_FLAG_MMAP | REGION_FLAG_CAPS;
			d.fd = bar0_fd_;
			d.sparse.push_back({ reg::PROM_DATA, reg::PROM_SIZE });
		}
		break;
	case 1:
		d.size = opt_.bar1;
		d.flags = rw | REGION_FLAG_MMAP;
		d.fd = vram_fd_;
		break;
	case 3:
		d.size = BAR3_SIZE;
		d.flags = rw | REGION_FLAG_MMAP;
		d.fd = bar3_fd_;
		break;
	case CONFIG:
		d.size = sizeof(config_);
		d.flags = rw;
		break;
	default: /* BAR2, BAR4 (upper halves), BAR5, ROM, VGA: none */
		break;
	}
	return d;
}

void Gpu::trace(const char *fmt, ...)
{
	if (!trace_)
		return;
	va_list ap;
	va_start(ap, fmt);
	std::vfprintf(trace_, fmt, ap);
	va_end(ap);
}

void Gpu::count(uint32_t offset, bool write)
{
	const char *block = reg::block_name(offset);
	Counts &c = blocks_[block];
	(write ? c.writes : c.reads)++;
	if (offset >= reg::PORT_BASE) {
		port_++;
		return;
	}
	(write ? writes_ : reads_)++;
}

uint32_t Gpu::stored(uint32_t offset) const
{
	if (offset >= reg::PROM_DATA && offset < reg::PROM_DATA + reg::PROM_SIZE) {
		uint32_t v = 0;
		if (prom_)
			std::memcpy(&v, prom_ + (offset - reg::PROM_DATA), 4);
		return v;
	}
	auto it = regs_.find(offset);
	return it == regs_.end() ? 0 : it->second;
}

void Gpu::store(uint32_t offset, uint32_t value)
{
	if (offset >= reg::PROM_DATA && offset < reg::PROM_DATA + reg::PROM_SIZE) {
		if (prom_)
			std::memcpy(prom_ + (offset - reg::PROM_DATA), &value, 4);
		return;
	}
	regs_[offset] = value;
}

uint32_t Gpu::bar0_read(uint32_t offset)
{
	count(offset, false);
	if (offset >= reg::PORT_BASE)
		return port_read(offset);
	Falcon *falcon = nullptr;
	for (Falcon &f : falcons_)
		if (f.owns(offset))
			falcon = &f;
	uint32_t truth = falcon ? falcon->read(offset) : stored(offset);
	bool prom = offset >= reg::PROM_DATA && offset < reg::PROM_DATA + reg::PROM_SIZE;
	uint32_t value = hostile_.lie(offset, truth, prom);
	if (value != truth)
		trace("bar0 r 0x%06x 0x%08x %s lie (true 0x%08x)\n", offset, value,
		      reg::block_name(offset), truth);
	else
		trace("bar0 r 0x%06x 0x%08x %s\n", offset, value, reg::block_name(offset));
	return value;
}

void Gpu::bar0_write(uint32_t offset, uint32_t value)
{
	count(offset, true);
	if (offset >= reg::PORT_BASE) {
		port_write(offset, value);
		return;
	}
	bool prom = offset >= reg::PROM_DATA && offset < reg::PROM_DATA + reg::PROM_SIZE;
	auto ro = read_only_.find(offset);
	if (prom || (ro != read_only_.end() && ro->second)) {
		readonly_writes_++;
		trace("bar0 w 0x%06x 0x%08x %s ignored (read-only)\n", offset, value,
		      reg::block_name(offset));
		return;
	}
	trace("bar0 w 0x%06x 0x%08x %s\n", offset, value, reg::block_name(offset));
	for (Falcon &f : falcons_) {
		if (f.owns(offset)) {
			f.write(offset, value);
			return;
		}
	}
	regs_[offset] = value;
}

uint32_t Gpu::port_read(uint32_t offset)
{
	uint32_t value = 0;
	switch (offset) {
	case reg::PORT_ID:
		value = reg::PORT_ID_VALUE;
		break;
	case reg::PORT_ADDR:
		value = port_addr_;
		break;
	case reg::PORT_DATA:
		value = stored(port_addr_ & ~3u);
		port_addr_ += 4;
		break;
	case reg::PORT_HOSTILE:
		value = static_cast<uint32_t>(hostile_.seed());
		break;
	case reg::PORT_DMA_SRC_LO:
		value = static_cast<uint32_t>(dma_src_);
		break;
	case reg::PORT_DMA_SRC_HI:
		value = static_cast<uint32_t>(dma_src_ >> 32);
		break;
	case reg::PORT_DMA_DST_LO:
		value = static_cast<uint32_t>(dma_dst_);
		break;
	case reg::PORT_DMA_DST_HI:
		value = static_cast<uint32_t>(dma_dst_ >> 32);
		break;
	case reg::PORT_DMA_LEN:
		value = dma_len_;
		break;
	case reg::PORT_DMA_GO:
		value = dma_status_;
		break;
	default:
		break;
	}
	trace("port r 0x%06x 0x%08x\n", offset, value);
	return value;
}

void Gpu::port_write(uint32_t offset, uint32_t value)
{
	trace("port w 0x%06x 0x%08x\n", offset, value);
	auto set_lo = [](uint64_t &v, uint32_t lo) { v = (v & ~0xffffffffull) | lo; };
	auto set_hi = [](uint64_t &v, uint32_t hi) {
		v = (v & 0xffffffffull) | static_cast<uint64_t>(hi) << 32;
	};
	switch (offset) {
	case reg::PORT_ADDR:
		port_addr_ = value;
		break;
	case reg::PORT_DATA:
		if ((port_addr_ & ~3u) < reg::PORT_BASE)
			store(port_addr_ & ~3u, value);
		port_addr_ += 4;
		break;
	case reg::PORT_CTRL:
		if (value == reg::PORT_CTRL_RESET)
			power_on();
		else if (value == reg::PORT_CTRL_DIE)
			dying_ = true;
		break;
	case reg::PORT_HOSTILE:
		hostile_.reseed(value);
		trace("hostile %s\n", hostile_.describe().c_str());
		break;
	case reg::PORT_DMA_SRC_LO:
		set_lo(dma_src_, value);
		break;
	case reg::PORT_DMA_SRC_HI:
		set_hi(dma_src_, value);
		break;
	case reg::PORT_DMA_DST_LO:
		set_lo(dma_dst_, value);
		break;
	case reg::PORT_DMA_DST_HI:
		set_hi(dma_dst_, value);
		break;
	case reg::PORT_DMA_LEN:
		dma_len_ = value;
		break;
	case reg::PORT_DMA_GO:
		dma_status_ = static_cast<uint32_t>(dma_copy());
		break;
	default:
		break;
	}
}

/*
 * The port's copy engine: the guest's memory read and written through
 * DMA, as a bus master. A device whose bus mastering is off makes no
 * access at all.
 */
int Gpu::dma_copy()
{
	if (!(config_[0x04] & 0x04)) {
		dma_refused_++;
		trace("dma refused: bus mastering is off\n");
		return EPERM;
	}
	if (!dma_len_ || dma_len_ > reg::PORT_DMA_MAX)
		return EINVAL;
	if (!dma_)
		return EFAULT;
	std::vector<uint8_t> buf(dma_len_);
	int err = dma_->read(dma_src_, buf.data(), buf.size());
	trace("dma r 0x%016llx 0x%x%s\n", static_cast<unsigned long long>(dma_src_), dma_len_,
	      err ? " fault" : "");
	if (err)
		return err;
	dma_reads_++;
	dma_read_bytes_ += dma_len_;
	err = dma_->write(dma_dst_, buf.data(), buf.size());
	trace("dma w 0x%016llx 0x%x%s\n", static_cast<unsigned long long>(dma_dst_), dma_len_,
	      err ? " fault" : "");
	if (err)
		return err;
	dma_writes_++;
	dma_write_bytes_ += dma_len_;
	return 0;
}

int Gpu::config_read(uint64_t offset, uint8_t *buf, uint32_t count) const
{
	if (offset > sizeof(config_) || count > sizeof(config_) - offset)
		return EINVAL;
	std::memcpy(buf, config_ + offset, count);
	return 0;
}

int Gpu::config_write(uint64_t offset, const uint8_t *buf, uint32_t count)
{
	if (offset > sizeof(config_) || count > sizeof(config_) - offset)
		return EINVAL;
	for (uint32_t i = 0; i < count; i++) {
		uint8_t m = config_wmask_[offset + i];
		config_[offset + i] = (config_[offset + i] & ~m) | (buf[i] & m);
	}
	return 0;
}

/*
 * BAR1 and BAR3 are memory QEMU maps; should it access them through
 * messages instead (a failed mmap), they read and write the same memfds.
 */
int Gpu::memory_access(uint32_t region, uint64_t offset, uint8_t *buf, uint32_t count, bool write)
{
	uint64_t size = region == 1 ? opt_.bar1 : BAR3_SIZE;
	int fd = region == 1 ? vram_fd_ : bar3_fd_;
	if (offset >= size || count > size - offset)
		return EINVAL;
	ssize_t n = write ? pwrite(fd, buf, count, static_cast<off_t>(offset))
			  : pread(fd, buf, count, static_cast<off_t>(offset));
	return n == static_cast<ssize_t>(count) ? 0 : EIO;
}

int Gpu::read(uint32_t region, uint64_t offset, uint8_t *buf, uint32_t count)
{
	if (region == vfio_user::CONFIG)
		return config_read(offset, buf, count);
	if (region == 1 || region == 3)
		return memory_access(region, offset, buf, count, false);
	if (region != vfio_user::BAR0)
		return EINVAL;
	if (offset >= BAR0_SIZE || count > BAR0_SIZE - offset)
		return EINVAL;
	/* Registers are 32-bit: a narrower or wider access reads whole words. */
	uint64_t first = offset & ~3ull, last = (offset + count + 3) & ~3ull;
	for (uint64_t w = first; w < last; w += 4) {
		uint32_t v = bar0_read(static_cast<uint32_t>(w));
		for (unsigned b = 0; b < 4; b++) {
			uint64_t at = w + b;
			if (at >= offset && at < offset + count)
				buf[at - offset] = static_cast<uint8_t>(v >> (8 * b));
		}
	}
	return 0;
}

int Gpu::write(uint32_t region, uint64_t offset, const uint8_t *buf, uint32_t count)
{
	if (region == vfio_user::CONFIG)
		return config_write(offset, buf, count);
	if (region == 1 || region == 3)
		return memory_access(region, offset, const_cast<uint8_t *>(buf), count, true);
	if (region != vfio_user::BAR0)
		return EINVAL;
	if (offset >= BAR0_SIZE || count > BAR0_SIZE - offset)
		return EINVAL;
	uint64_t first = offset & ~3ull, last = (offset + count + 3) & ~3ull;
	for (uint64_t w = first; w < last; w += 4) {
		/* A partial word keeps the stored bytes it does not cover. */
		uint32_t v = offset <= w && w + 4 <= offset + count ? 0 : stored(w);
		for (unsigned b = 0; b < 4; b++) {
			uint64_t at = w + b;
			if (at >= offset && at < offset + count) {
				v &= ~(0xffu << (8 * b));
				v |= static_cast<uint32_t>(buf[at - offset]) << (8 * b);
			}
		}
		bar0_write(static_cast<uint32_t>(w), v);
	}
	return 0;
}

std::string Gpu::summary() const
{
	char head[512];
	std::snprintf(head, sizeof(head),
		      "gpu-model %s: summary bar0_reads=%llu bar0_writes=%llu readonly_writes=%llu "
		      "port=%llu dma_reads=%llu dma_read_bytes=%llu dma_writes=%llu "
		      "dma_write_bytes=%llu dma_refused=%llu lies=%llu",
		      opt_.name.c_str(), static_cast<unsigned long long>(reads_),
		      static_cast<unsigned long long>(writes_),
		      static_cast<unsigned long long>(readonly_writes_),
		      static_cast<unsigned long long>(port_),
		      static_cast<unsigned long long>(dma_reads_),
		      static_cast<unsigned long long>(dma_read_bytes_),
		      static_cast<unsigned long long>(dma_writes_),
		      static_cast<unsigned long long>(dma_write_bytes_),
		      static_cast<unsigned long long>(dma_refused_),
		      static_cast<unsigned long long>(hostile_.lies()));
	std::string s = head;
	for (const auto &[block, c] : blocks_)
		if (block != "PORT")
			s += " " + block + "=" + std::to_string(c.reads) + "/" +
			     std::to_string(c.writes);
	return s;
}

} // namespace gpu_model
