// SPDX-License-Identifier: GPL-2.0
/*
 * The LIBOS page, the log buffers, RMARGS and GspMem (libos.h), filled as
 * upstream nova-core's Gsp::new and OpenRM's kgspPopulateGspRmInitArgs
 * fill them.
 */
#include "gsp/libos.h"

using namespace kernel;

namespace nova::core::gsp {

namespace {

/* A log buffer: after the put pointer, the bus address of each of its pages. */
Result<dma::Coherent> log_buffer(const pci::Device &pdev)
{
	auto log = TRY(dma::Coherent::alloc(pdev, LOG_SIZE));
	for (size_t i = 0; i < LOG_SIZE / GSP_PAGE; i++)
		TRY(log.write_le64(8 * (i + 1), log.handle() + i * GSP_PAGE));
	return log;
}

LibosMemoryRegionInitArgument region(const char *name, const dma::Coherent &mem)
{
	return LibosMemoryRegionInitArgument {
		.id8 = libos_id8(name),
		.pa = mem.handle(),
		.size = mem.size(),
		.kind = LIBOS_MEMORY_REGION_CONTIGUOUS,
		.loc = LIBOS_MEMORY_REGION_LOC_SYSMEM,
		.reserved = {},
	};
}

} // namespace

Result<LibosMemory> LibosMemory::create(const pci::Device &pdev)
{
	LibosMemory m;
	m.libos_ = TRY(dma::Coherent::alloc(pdev, GSP_PAGE));
	m.loginit_ = TRY(log_buffer(pdev));
	m.logintr_ = TRY(log_buffer(pdev));
	m.logrm_ = TRY(log_buffer(pdev));
	m.rmargs_ = TRY(dma::Coherent::alloc(pdev, GSP_PAGE));
	m.gsp_mem_ = TRY(dma::Coherent::alloc(pdev, GSP_MEM_SIZE));

	/* GspMem: its page table, then the command queue's header. */
	for (u32 i = 0; i < GSP_MEM_PTES; i++)
		TRY(m.gsp_mem_.write_le64(8 * size_t { i }, m.gsp_mem_.handle() + i * GSP_PAGE));
	const MsgqTxHeader cmdq {
		.version = 0,
		.size = MSGQ_SIZE,
		.msg_size = GSP_PAGE,
		.msg_count = MSGQ_NUM_PAGES,
		.write_ptr = 0,
		.flags = MSGQ_FLAGS_SWAP_RX,
		.rx_hdr_off = MSGQ_RX_HDR_OFF,
		.entry_off = GSP_PAGE,
	};
	TRY(m.gsp_mem_.write_obj(CMDQ_OFFSET, cmdq));

	const GspArgumentsCached args {
		.message_queue = {
			.shared_mem_phys_addr = m.gsp_mem_.handle(),
			.page_table_entry_count = GSP_MEM_PTES,
			.reserved = 0,
			.cmd_queue_offset = CMDQ_OFFSET,
			.stat_queue_offset = STATQ_OFFSET,
		},
		.sr = {},
		.gpu_instance = 0,
		.dmem_stack = 1,
		.reserved = {},
		.profiler_pa = 0,
		.profiler_size = 0,
	};
	TRY(m.rmargs_.write_obj(0, args));

	const LibosMemoryRegionInitArgument regions[] = {
		region("LOGINIT", m.loginit_),
		region("LOGINTR", m.logintr_),
		region("LOGRM", m.logrm_),
		region("RMARGS", m.rmargs_),
	};
	for (size_t i = 0; i < sizeof(regions) / sizeof(regions[0]); i++)
		TRY(m.libos_.write_obj(i * sizeof(regions[0]), regions[i]));
	return m;
}

} // namespace nova::core::gsp
