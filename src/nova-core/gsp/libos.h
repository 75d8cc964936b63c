/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The memory GSP-RM is given at boot (Documentation/falcon.rst, "Booter
 * and the GSP"), in the layouts of r570.144's libos_init_args.h,
 * gsp_init_args.h and msgq_priv.h:
 *
 *	LIBOS page	128 LibosMemoryRegionInitArgument entries; the GSP
 *			falcon's MAILBOX0/1 carry its bus address to Booter
 *	  LOGINIT	}
 *	  LOGINTR	} log buffers of 16 pages: u64 0 the put pointer
 *	  LOGRM		} (GSP-RM's), u64 1..16 the buffer's own pages
 *	  RMARGS	GSP_ARGUMENTS_CACHED, padded to one page: where the
 *			command and message queues are
 *	GspMem		the queues' shared memory: a page of PTEs, then the
 *			command queue (CPU to GSP) and the status queue
 *			(GSP to CPU), 0x40000 bytes each
 *
 * All of it is coherent memory that lives as long as the GSP may use it.
 * The command queue's header is written here; gsp/cmdq.h drives the
 * queues' traffic.
 */
#ifndef NOVA_CORE_GSP_LIBOS_H
#define NOVA_CORE_GSP_LIBOS_H

#include <kernel/bytes.h>
#include <kernel/dma.h>
#include <kernel/error.h>
#include <kernel/pci.h>

namespace nova::core::gsp {

using ktl::size_t;
using ktl::u32;
using ktl::u64;
using ktl::u8;

/* LIBOS_MEMORY_REGION_INIT_ARGUMENT: one region of the LIBOS page. */
struct LibosMemoryRegionInitArgument {
	u64 id8; /* the name, read big-endian into a u64 */
	u64 pa;
	u64 size;
	u8 kind; /* LIBOS_MEMORY_REGION_CONTIGUOUS */
	u8 loc; /* LIBOS_MEMORY_REGION_LOC_SYSMEM */
	u8 reserved[6];
	KERNEL_FROM_BYTES(LibosMemoryRegionInitArgument, 32);
};

inline constexpr u8 LIBOS_MEMORY_REGION_CONTIGUOUS = 1;
inline constexpr u8 LIBOS_MEMORY_REGION_LOC_SYSMEM = 1;

/* A region's id8: its name's bytes as a big-endian number. */
constexpr u64 libos_id8(const char *name)
{
	u64 v = 0;
	for (; *name; name++)
		v = v << 8 | static_cast<u8>(*name);
	return v;
}

static_assert(libos_id8("LOGINIT") == 0x004c4f47494e4954ull);
static_assert(libos_id8("RMARGS") == 0x0000524d41524753ull);

/* MESSAGE_QUEUE_INIT_ARGUMENTS: where GspMem and its two queues are. */
struct MessageQueueInitArguments {
	u64 shared_mem_phys_addr;
	u32 page_table_entry_count;
	u32 reserved;
	u64 cmd_queue_offset;
	u64 stat_queue_offset;
	KERNEL_FROM_BYTES(MessageQueueInitArguments, 32);
};

/* GSP_SR_INIT_ARGUMENTS: no suspend/resume at a first boot. */
struct GspSrInitArguments {
	u32 old_level;
	u32 flags;
	u8 in_pm_transition;
	u8 reserved[3];
	KERNEL_FROM_BYTES(GspSrInitArguments, 12);
};

/* GSP_ARGUMENTS_CACHED: RMARGS's content. */
struct GspArgumentsCached {
	MessageQueueInitArguments message_queue;
	GspSrInitArguments sr;
	u32 gpu_instance;
	u8 dmem_stack; /* bDmemStack */
	u8 reserved[7];
	u64 profiler_pa;
	u64 profiler_size;
	KERNEL_FROM_BYTES(GspArgumentsCached, 72);
};

/* msgqTxHeader: the head of a queue, written by its producer. */
struct MsgqTxHeader {
	u32 version;
	u32 size;
	u32 msg_size;
	u32 msg_count;
	u32 write_ptr;
	u32 flags;
	u32 rx_hdr_off;
	u32 entry_off;
	KERNEL_FROM_BYTES(MsgqTxHeader, 32);
};

/* GspMem's shape (OpenRM's _getMsgQueueParams; upstream's GspMem). */
inline constexpr size_t GSP_PAGE = 0x1000;
inline constexpr size_t MSGQ_SIZE = 0x40000;
inline constexpr u32 MSGQ_NUM_PAGES = 0x3f; /* ring pages after the headers' page */
inline constexpr size_t CMDQ_OFFSET = GSP_PAGE;
inline constexpr size_t STATQ_OFFSET = CMDQ_OFFSET + MSGQ_SIZE;
inline constexpr size_t GSP_MEM_SIZE = STATQ_OFFSET + MSGQ_SIZE;
inline constexpr u32 GSP_MEM_PTES = GSP_MEM_SIZE / GSP_PAGE;
inline constexpr u32 MSGQ_FLAGS_SWAP_RX = 1;
inline constexpr u32 MSGQ_RX_HDR_OFF = 0x20;
inline constexpr size_t LOG_SIZE = 0x10000;
inline constexpr unsigned LIBOS_REGIONS = GSP_PAGE / sizeof(LibosMemoryRegionInitArgument);

static_assert(GSP_MEM_SIZE == 0x81000 && GSP_MEM_PTES == 129);

class LibosMemory {
public:
	/* Allocates and fills everything above for @pdev: ENOMEM, EINVAL. */
	static kernel::Result<LibosMemory> create(const kernel::pci::Device &pdev);

	LibosMemory() = default;
	/* What the GSP falcon's mailboxes carry: the LIBOS page's bus address. */
	u64 handle() const { return libos_.handle(); }
	u64 gsp_mem_handle() const { return gsp_mem_.handle(); }
	/* GspMem, whose queues cmdq.h drives. */
	kernel::dma::Coherent &gsp_mem() { return gsp_mem_; }
	/* The log buffers as GSP-RM writes them (debugfs's loginit, logintr, logrm). */
	kernel::ByteView loginit() const { return loginit_.bytes(); }
	kernel::ByteView logintr() const { return logintr_.bytes(); }
	kernel::ByteView logrm() const { return logrm_.bytes(); }

private:
	kernel::dma::Coherent libos_;
	kernel::dma::Coherent loginit_, logintr_, logrm_;
	kernel::dma::Coherent rmargs_;
	kernel::dma::Coherent gsp_mem_;
};

} // namespace nova::core::gsp

#endif /* NOVA_CORE_GSP_LIBOS_H */
