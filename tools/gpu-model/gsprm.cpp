// SPDX-License-Identifier: GPL-2.0
#include "gsprm.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstring>

#include "gpu.h"
#include "text.h"

namespace gpu_model {

namespace {

using Kind = Falcon::Kind;

constexpr uint64_t PAGE = 4096;
/* GspMem: the page table, the command queue (cpuq), the status queue (gspq). */
constexpr uint64_t GSPMEM_PAGES = 129;
constexpr uint64_t CPUQ = 0x1000, GSPQ = 0x41000;
/* A queue: its tx header (writePtr at 16), its rx header at 0x20, its ring at 0x1000. */
constexpr uint64_t WRITE_PTR = 16, RX_HDR = 0x20, RING = 0x1000;
constexpr uint32_t SLOTS = 0x3f;
constexpr uint32_t ELEMENT_MAX = 16 * PAGE; /* GSP_MSG_QUEUE_ELEMENT_SIZE_MAX */
constexpr uint32_t ELEMENT_HEADER = 48; /* authTag, aad, checkSum, seqNum, elemCount, pad */
constexpr uint32_t RPC_HEADER = 32;
constexpr uint32_t RPC_VERSION = 0x03000000;
constexpr uint32_t RPC_SIGNATURE = 0x43505256; /* "VRPC" */
constexpr uint32_t NV_ERR_NOT_SUPPORTED = 0x56;

/* The functions (NV_VGPU_MSG_FUNCTION_*) and events (NV_VGPU_MSG_EVENT_*) of r570. */
enum : uint32_t {
	FN_UNLOADING_GUEST_DRIVER = 47,
	FN_GET_GSP_STATIC_INFO = 65,
	FN_CONTINUATION_RECORD = 71,
	FN_GSP_SET_SYSTEM_INFO = 72,
	FN_SET_REGISTRY = 73,
	EV_GSP_INIT_DONE = 4097,
	EV_GSP_RUN_CPU_SEQUENCER = 4098,
	EV_RG_LINE_INTR = 4103,
	EV_UCODE_LIBOS_PRINT = 4108,
	EV_GSP_LOCKDOWN_NOTICE = 4124,
};

/* Sizes of what r570.144's GSP-RM reads and writes. */
constexpr uint32_t SYSTEM_INFO_SIZE = 928, SYSTEM_INFO_MIN = 920;
constexpr uint32_t STATIC_INFO_SIZE = 1656;
constexpr uint32_t UNLOADING_SIZE = 8;

/* The sequencer's commands (GSP_SEQ_BUF_OPCODE_*). */
enum : uint32_t {
	SEQ_REG_WRITE = 0,
	SEQ_REG_MODIFY = 1,
	SEQ_REG_POLL = 2,
	SEQ_DELAY_US = 3,
	SEQ_REG_STORE = 4
};
/* What the sequencer writes, modifies, polls and closes with. */
constexpr uint32_t SEQ_WRITE_VALUE = 0x4e4f5641, SEQ_MODIFY_MASK = 0x0000ff00;
constexpr uint32_t SEQ_MODIFY_VALUE = 0x00005a00, SEQ_DONE_VALUE = 0x00c0ffee;
constexpr uint32_t SEQ_RESULT = (SEQ_WRITE_VALUE & ~SEQ_MODIFY_MASK) | SEQ_MODIFY_VALUE;

/* LIBOS_INTERRUPT_PROCESSOR_SUSPENDED in the GSP falcon's MAILBOX0. */
constexpr uint32_t SUSPENDED = 1u << 31;

/* Engine fault 18's events, in all. */
constexpr unsigned FLOOD = 2000;

/* The static configuration's handles (hInternalClient, -Device, -Subdevice). */
constexpr uint32_t H_CLIENT = 0xc1d00001, H_DEVICE = 0xde1d0001, H_SUBDEVICE = 0x5d1d0001;

/* The names of the functions and events the model speaks of. */
constexpr struct {
	uint32_t number;
	const char *name;
} FUNCTIONS[] = {
	{ 0, "NOP" },
	{ 1, "SET_GUEST_SYSTEM_INFO" },
	{ 2, "ALLOC_ROOT" },
	{ 3, "ALLOC_DEVICE" },
	{ 4, "ALLOC_MEMORY" },
	{ 5, "ALLOC_CTX_DMA" },
	{ 6, "ALLOC_CHANNEL_DMA" },
	{ 7, "MAP_MEMORY" },
	{ 8, "BIND_CTX_DMA" },
	{ 9, "ALLOC_OBJECT" },
	{ 10, "FREE" },
	{ 11, "LOG" },
	{ 47, "UNLOADING_GUEST_DRIVER" },
	{ 51, "GET_STATIC_INFO" },
	{ 65, "GET_GSP_STATIC_INFO" },
	{ 71, "CONTINUATION_RECORD" },
	{ 72, "GSP_SET_SYSTEM_INFO" },
	{ 73, "SET_REGISTRY" },
	{ 74, "GSP_INIT_POST_OBJGPU" },
	{ 76, "GSP_RM_CONTROL" },
	{ 103, "GSP_RM_ALLOC" },
	{ 4097, "GSP_INIT_DONE" },
	{ 4098, "GSP_RUN_CPU_SEQUENCER" },
	{ 4099, "POST_EVENT" },
	{ 4100, "RC_TRIGGERED" },
	{ 4101, "MMU_FAULT_QUEUED" },
	{ 4102, "OS_ERROR_LOG" },
	{ 4103, "RG_LINE_INTR" },
	{ 4108, "UCODE_LIBOS_PRINT" },
	{ 4124, "GSP_LOCKDOWN_NOTICE" },
	{ 4128, "GSP_POST_NOCAT_RECORD" },
};

const char *function_name(uint32_t f)
{
	for (const auto &fn : FUNCTIONS)
		if (fn.number == f)
			return fn.name;
	return nullptr;
}

std::string fname(uint32_t f)
{
	const char *n = function_name(f);
	if (n)
		return n;
	if (f >= 4097 && f <= 4130)
		return "event " + std::to_string(f);
	return "function " + std::to_string(f);
}

uint32_t get32(const std::vector<uint8_t> &b, size_t at)
{
	return at + 4 <= b.size() ? static_cast<uint32_t>(le(b.data() + at, 4)) : 0;
}

void put32(std::vector<uint8_t> &b, size_t at, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		b[at + i] = static_cast<uint8_t>(v >> (8 * i));
}

void put64(std::vector<uint8_t> &b, size_t at, uint64_t v)
{
	for (unsigned i = 0; i < 8; i++)
		b[at + i] = static_cast<uint8_t>(v >> (8 * i));
}

/*
 * The queues' checksum: the first @len bytes as little-endian u64 words
 * (the last one zero-padded) XORed together, the two halves of the
 * result XORed. Over an element with its checksum in place it is 0.
 */
uint32_t checksum(const uint8_t *p, size_t len)
{
	uint64_t x = 0;
	for (size_t i = 0; i < len; i += 8)
		x ^= le(p + i, static_cast<unsigned>(std::min<size_t>(8, len - i)));
	return static_cast<uint32_t>(x >> 32) ^ static_cast<uint32_t>(x);
}

uint32_t elements_for(uint32_t rpc_length)
{
	return (ELEMENT_HEADER + rpc_length + PAGE - 1) / PAGE;
}

/* LIBOS region ids: the name's bytes read as a big-endian number. */
uint64_t id8(const char *name)
{
	uint64_t v = 0;
	for (const char *p = name; *p; p++)
		v = v << 8 | static_cast<uint8_t>(*p);
	return v;
}

bool known_command(uint32_t f)
{
	return f <= 11 || f == 47 || f == 51 || f == 65 || f == 71 || f == 72 || f == 73 ||
	       f == 74 || f == 76 || f == 103;
}

} // namespace

void GspRm::verdict(Kind kind, const std::string &what)
{
	std::string line = std::string(Falcon::kind_name(kind)) + " GSP-RM: " + what;
	trace("verdict " + line);
	verdicts_.push_back({ Falcon::next_seq(), std::move(line) });
}

void GspRm::trace(const std::string &line)
{
	gpu_.trace("%s\n", line.c_str());
}

void GspRm::power_on()
{
	state_ = State::Off;
	queues_ = false;
	out_.clear();
	started_ = false;
}

/*
 * GSP-RM runs while the GSP's RISC-V core is active: a reset of the GSP
 * (FWSEC-SB's, a new boot's) ends it.
 */
bool GspRm::running() const
{
	return (state_ == State::Running || state_ == State::Sequencer || state_ == State::Ready) &&
	       gpu_.falcons_[0].riscv_active();
}

bool GspRm::mem(uint64_t offset, void *buf, size_t len, bool write)
{
	const DmaSpace *dma = gpu_.bus_master() ? gpu_.dma_ : nullptr;
	auto *p = static_cast<uint8_t *>(buf);
	while (len) {
		uint64_t page = offset / PAGE, in = offset % PAGE;
		size_t n = std::min<size_t>(len, PAGE - in);
		if (!dma || page >= pages_.size())
			return false;
		int err = write ? dma->write(pages_[page] + in, p, n)
				: dma->read(pages_[page] + in, p, n);
		if (err)
			return false;
		if (write) {
			gpu_.dma_writes_++;
			gpu_.dma_write_bytes_ += n;
		} else {
			gpu_.dma_reads_++;
			gpu_.dma_read_bytes_ += n;
		}
		p += n;
		offset += n;
		len -= n;
	}
	return true;
}

uint32_t GspRm::rd32(uint64_t offset)
{
	uint8_t b[4] = {};
	mem(offset, b, 4, false);
	return static_cast<uint32_t>(le(b, 4));
}

void GspRm::wr32(uint64_t offset, uint32_t value)
{
	uint8_t b[4];
	for (unsigned i = 0; i < 4; i++)
		b[i] = static_cast<uint8_t>(value >> (8 * i));
	mem(offset, b, 4, true);
}

/*
 * A line of text in a LIBOS log: after the put pointer (u64 0) and the
 * page list (u64 1 to 16), NUL-padded to whole u64 words; the put pointer
 * is the index of the next free word. A full log takes no more.
 */
void GspRm::log(Log &l, const std::string &line)
{
	const DmaSpace *dma = gpu_.bus_master() ? gpu_.dma_ : nullptr;
	if (!l.pa || !dma)
		return;
	std::vector<uint8_t> b(line.begin(), line.end());
	b.push_back('\n');
	b.resize((b.size() + 7) / 8 * 8, 0);
	if (l.put * 8 + b.size() > 16 * PAGE)
		return;
	if (dma->write(l.pa + l.put * 8, b.data(), b.size()))
		return;
	l.put += b.size() / 8;
	dma->write(l.pa, &l.put, 8);
}

void GspRm::start(uint64_t libos, const Vram &vram)
{
	state_ = State::Off;
	queues_ = false;
	out_.clear();
	pages_.clear();
	libos_ = libos;
	vram_ = vram;
	loginit_ = logrm_ = Log();
	cmd_read_ = cmd_seq_ = msg_write_ = msg_seq_ = 0;
	posted_ = 0;
	bad_read_ptr_ = joining_ = false;
	system_info_ = registry_ = init_done_ = false;
	started_ = true;
	start_reads_ = gpu_.reads_;
	start_writes_ = gpu_.writes_;

	/* The LIBOS page as it is now, at Booter's start. */
	const DmaSpace *dma = gpu_.bus_master() ? gpu_.dma_ : nullptr;
	uint8_t page[PAGE];
	if (!dma || dma->read(libos, page, PAGE)) {
		verdict(Kind::Fail, "LIBOS page at " + hex(libos) +
					    ": not readable by DMA; GSP-RM cannot start");
		return;
	}
	uint64_t rmargs = 0;
	for (unsigned i = 0; i < 128; i++) {
		const uint8_t *e = page + 32 * i;
		uint64_t id = le(e, 8), pa = le(e + 8, 8);
		if (id == id8("RMARGS"))
			rmargs = pa;
		else if (id == id8("LOGINIT"))
			loginit_.pa = pa;
		else if (id == id8("LOGRM"))
			logrm_.pa = pa;
	}
	for (Log *l : { &loginit_, &logrm_ })
		if (l->pa)
			l->put = 17;
	if (!rmargs) {
		verdict(Kind::Fail, "LIBOS page at " + hex(libos) +
					    ": no RMARGS region; GSP-RM cannot find its queues");
		return;
	}
	uint8_t args[32];
	if (dma->read(rmargs, args, sizeof(args))) {
		verdict(Kind::Fail, "RMARGS at " + hex(rmargs) + ": not readable by DMA");
		return;
	}
	uint64_t shared = le(args, 8), count = le(args + 8, 8);
	uint64_t cmdq = le(args + 16, 8), statq = le(args + 24, 8);
	if (count != GSPMEM_PAGES || cmdq != CPUQ || statq != GSPQ || !shared || shared % PAGE) {
		verdict(Kind::Fail,
			"MESSAGE_QUEUE_INIT_ARGUMENTS at " + hex(rmargs) + ": sharedMemPhysAddr " +
				hex(shared) + ", pageTableEntryCount " + hex(count) +
				", cmdQueueOffset " + hex(cmdq) + ", statQueueOffset " +
				hex(statq) + "; expected a page, 0x81, 0x1000, 0x41000");
		return;
	}
	std::vector<uint64_t> pte(GSPMEM_PAGES);
	if (dma->read(shared, pte.data(), GSPMEM_PAGES * 8)) {
		verdict(Kind::Fail,
			"GspMem page table at " + hex(shared) + ": not readable by DMA");
		return;
	}
	for (uint64_t i = 0; i < GSPMEM_PAGES; i++) {
		if (!pte[i] || pte[i] % PAGE) {
			verdict(Kind::Fail, "GspMem page table at " + hex(shared) + ": entry " +
						    std::to_string(i) + " is " + hex(pte[i]) +
						    ", not a page");
			return;
		}
	}
	pages_ = pte;
	queues_ = true;
	state_ = State::Running;

	/* The status queue's header is GSP-RM's to write; so is the command queue's read pointer.
	 */
	std::vector<uint8_t> tx(32, 0);
	put32(tx, 4, 0x40000);
	put32(tx, 8, PAGE);
	put32(tx, 12, SLOTS);
	put32(tx, 20, 1); /* MSGQ_FLAGS_SWAP_RX */
	put32(tx, 24, RX_HDR);
	put32(tx, 28, RING);
	mem(GSPQ, tx.data(), tx.size(), true);
	wr32(GSPQ + RX_HDR, 0);
	/* The hand-off's address is read: the mailboxes are GSP-RM's now. */
	gpu_.falcons_[0].set_mailbox(0, 0);
	gpu_.falcons_[0].set_mailbox(1, 0);
	verdict(Kind::Ok, "started: LIBOS page at " + hex(libos) + ", RMARGS at " + hex(rmargs) +
				  ", GspMem at " + hex(shared) +
				  " (129 pages); status queue header written (msgCount 0x3f, "
				  "SWAP_RX), MAILBOX0 0");
	const Chip *c = gpu_.chip();
	log(loginit_, "GSP-RM r570.144 (gpu-model) on " + std::string(c ? c->name : "a GPU") +
			      ": LIBOS page " + hex(libos));
	log(loginit_,
	    "msgq: command queue at " + hex(pages_[1]) + ", status queue at " + hex(pages_[65]));
	log(logrm_, "RM init: waiting for GSP_SET_SYSTEM_INFO and SET_REGISTRY");

	uint32_t f = gpu_.engine_fault_;
	if (f == 17)
		verdict(Kind::Note, "hostile fault 17: GSP-RM reads and checks its commands and "
				    "answers none (no sequencer, no GSP_INIT_DONE)");
	if (f == 14) {
		verdict(Kind::Note, "hostile fault 14: RG_LINE_INTR (4103), an event the driver "
				    "does not know, posted first; then the usual flow");
		post(EV_RG_LINE_INTR, std::vector<uint8_t>(16, 0));
	}
	/* Commands queued before the core ran are read now. */
	doorbell();
}

void GspRm::booter_unload()
{
	if (started_ && state_ != State::Unloaded)
		verdict(Kind::Note, "booter_unload with GSP-RM never asked to unload (no "
				    "UNLOADING_GUEST_DRIVER answered): it is gone");
	state_ = State::Off;
	queues_ = false;
	out_.clear();
	started_ = false;
}

void GspRm::bar0_read(uint32_t offset)
{
	if (state_ != State::Sequencer)
		return;
	if (offset == SEQ_SCRATCH)
		seq_scratch_reads_++;
	else if (offset == reg::PMC_BOOT_42)
		seq_poll_reads_++;
}

void GspRm::bar0_write(uint32_t offset, uint32_t value)
{
	if (offset == reg::PGSP_QUEUE_HEAD0) {
		if (running())
			doorbell();
		else
			trace("gsp-rm: doorbell, GSP-RM not running");
		return;
	}
	if (offset == SEQ_DONE && state_ == State::Sequencer && running())
		sequencer_done(value);
}

void GspRm::tick()
{
	if (running())
		flush();
}

/*
 * The doorbell: every element between gspq.rx.readPtr and
 * cpuq.tx.writePtr, checked; one verdict for each element that passes,
 * one for each check that fails. An element whose size cannot be trusted
 * ends the reading: the pending elements are dropped, the read pointer
 * set to the write pointer.
 */
void GspRm::doorbell()
{
	if (!queues_)
		return;
	uint32_t wp = rd32(CPUQ + WRITE_PTR);
	if (wp >= SLOTS) {
		verdict(Kind::Fail, "command queue: cpuq.tx.writePtr is " + hex(wp) +
					    ", not a slot of 0x3f; nothing read");
		return;
	}
	while (cmd_read_ != wp) {
		uint32_t slot = cmd_read_;
		uint32_t avail = (wp + SLOTS - slot) % SLOTS;
		std::vector<uint8_t> head(ELEMENT_HEADER + RPC_HEADER);
		if (!mem(CPUQ + RING + slot * PAGE, head.data(), head.size(), false)) {
			verdict(Kind::Fail, "command queue: slot " + std::to_string(slot) +
						    " not readable by DMA");
			return;
		}
		uint32_t seq = get32(head, 36), count = get32(head, 40);
		uint32_t length = get32(head, 56), function = get32(head, 60);
		std::string at = "command seq# " + std::to_string(seq) + " at slot " +
				 std::to_string(slot) + " (" + fname(function) + ")";
		auto drop = [&](const std::string &why) {
			verdict(Kind::Fail, at + ": " + why + "; the " + std::to_string(avail) +
						    " pending slots dropped");
			cmd_read_ = wp;
			wr32(GSPQ + RX_HDR, cmd_read_);
		};
		if (!count || count > ELEMENT_MAX / PAGE || count > avail) {
			drop("elemCount " + hex(count) + ", with " + std::to_string(avail) +
			     " slots written and 16 at most");
			return;
		}
		if (length < RPC_HEADER || ELEMENT_HEADER + uint64_t(length) > count * PAGE) {
			drop("rpc.length " + hex(length) + " is outside 0x20 and its " +
			     std::to_string(count) + " pages");
			return;
		}
		std::vector<uint8_t> e(count * PAGE);
		for (uint32_t i = 0; i < count; i++)
			mem(CPUQ + RING + ((slot + i) % SLOTS) * PAGE, e.data() + i * PAGE, PAGE,
			    false);
		cmd_read_ = (slot + count) % SLOTS;
		wr32(GSPQ + RX_HDR, cmd_read_);

		bool ok = true;
		auto bad = [&](const std::string &why) {
			verdict(Kind::Fail, at + ": " + why);
			ok = false;
		};
		if (count != elements_for(length))
			bad("elemCount " + std::to_string(count) + ", rpc.length " + hex(length) +
			    " needs " + std::to_string(elements_for(length)));
		if (get32(e, 48) != RPC_VERSION)
			bad("rpc.header_version " + hex(get32(e, 48)) + ", expected 0x3000000");
		if (get32(e, 52) != RPC_SIGNATURE)
			bad("rpc.signature " + hex(get32(e, 52)) + ", expected 0x43505256 (VRPC)");
		uint32_t sum = checksum(e.data(), ELEMENT_HEADER + length);
		if (sum)
			bad("bad checksum: the element's words fold to " + hex(sum) + ", not 0");
		if (seq != cmd_seq_)
			bad("seqNum " + std::to_string(seq) + ", expected " +
			    std::to_string(cmd_seq_));
		cmd_seq_++;
		if (!known_command(function))
			bad(function >= 4096 ? "an event number, which only GSP-RM sends"
					     : "a function GSP-RM r570 does not know");
		if (!ok)
			continue;
		verdict(Kind::Ok, at + ": ok (" + std::to_string(count) + " element" +
					  (count > 1 ? "s" : "") + ", rpc.length " + hex(length) +
					  ", header_version, signature VRPC, checksum, seqNum)");
		std::vector<uint8_t> payload(e.begin() + ELEMENT_HEADER + RPC_HEADER,
					     e.begin() + ELEMENT_HEADER + length);
		bool full = ELEMENT_HEADER + length == ELEMENT_MAX;
		if (function == FN_CONTINUATION_RECORD) {
			if (!joining_) {
				verdict(Kind::Fail, at + ": a CONTINUATION_RECORD with no command "
							 "to continue");
				continue;
			}
			join_payload_.insert(join_payload_.end(), payload.begin(), payload.end());
			if (!full) {
				joining_ = false;
				command(join_function_, join_seq_, join_payload_);
			}
			continue;
		}
		if (joining_) {
			joining_ = false;
			command(join_function_, join_seq_, join_payload_);
		}
		if (full) {
			/* The largest element: CONTINUATION_RECORDs may follow. */
			joining_ = true;
			join_function_ = function;
			join_seq_ = seq;
			join_payload_ = payload;
			continue;
		}
		command(function, seq, payload);
	}
	flush();
}

void GspRm::command(uint32_t function, uint32_t seq, const std::vector<uint8_t> &payload)
{
	log(logrm_, "rpc: " + fname(function) + " seq# " + std::to_string(seq) + ", " +
			    std::to_string(payload.size()) + " bytes");
	switch (function) {
	case FN_GSP_SET_SYSTEM_INFO:
		set_system_info(payload);
		break;
	case FN_SET_REGISTRY:
		set_registry(payload);
		break;
	case FN_GET_GSP_STATIC_INFO:
		static_info(payload);
		break;
	case FN_UNLOADING_GUEST_DRIVER:
		unloading(payload);
		break;
	default:
		verdict(Kind::Note, fname(function) + " (seq# " + std::to_string(seq) +
					    "): not modelled, answered with rpc_result "
					    "NV_ERR_NOT_SUPPORTED (0x56)");
		post(function, {}, NV_ERR_NOT_SUPPORTED);
		break;
	}
}

/* GspSystemInfo: the PCI identity against config space, BAR0, the config mirror. */
void GspRm::set_system_info(const std::vector<uint8_t> &p)
{
	std::string n = "GSP_SET_SYSTEM_INFO";
	if (p.size() < SYSTEM_INFO_MIN) {
		verdict(Kind::Fail, n + ": payload " + std::to_string(p.size()) +
					    " bytes, GspSystemInfo is 928 (920 at least)");
		return;
	}
	system_info_ = true;
	const uint8_t *cfg = gpu_.config_;
	Family fam = family_of(gpu_.chipset_);
	uint32_t mirror = fam == Family::Hopper || fam == Family::Blackwell ? 0x92000 : 0x88000;
	struct {
		const char *name;
		uint32_t offset;
		uint32_t want;
		const char *from;
	} fields[] = {
		{ "PCIDeviceID", 88, static_cast<uint32_t>(le(cfg, 4)), "config space" },
		{ "PCISubDeviceID", 92, static_cast<uint32_t>(le(cfg + 0x2c, 4)), "config space" },
		{ "PCIRevisionID", 96, cfg[8], "config space" },
		{ "pciConfigMirrorBase", 80, mirror, "the chip's" },
		{ "pciConfigMirrorSize", 84, 0x1000, "the chip's" },
	};
	bool ok = true;
	for (const auto &f : fields) {
		uint32_t got = get32(p, f.offset);
		if (got != f.want) {
			verdict(Kind::Fail, n + " " + f.name + " (offset " + hex(f.offset) +
						    ") is " + hex(got) + ", " + f.from + " is " +
						    hex(f.want));
			ok = false;
		}
	}
	uint64_t phys = le(p.data(), 8);
	uint32_t bar0 = static_cast<uint32_t>(le(cfg + 0x10, 4)) & ~0xfu;
	std::string bar;
	if (!bar0 || bar0 == 0xff000000) {
		verdict(Kind::Note, n + " gpuPhysAddr " + hex(phys) +
					    ": not checked, the model does not know the guest's "
					    "BAR0 (config space holds " +
					    hex(bar0) + ")");
		bar = ", gpuPhysAddr not checked";
	} else if (phys != bar0) {
		verdict(Kind::Fail, n + " gpuPhysAddr (offset 0x0) is " + hex(phys) +
					    ", the guest's BAR0 is at " + hex(bar0));
		ok = false;
	} else {
		bar = ", gpuPhysAddr " + hex(phys) + " the guest's BAR0";
	}
	if (ok)
		verdict(Kind::Ok,
			n + ": ok (" + std::to_string(p.size()) + " bytes" +
				(p.size() == SYSTEM_INFO_SIZE ? "" : ", accepted") +
				"; PCIDeviceID " + hex(get32(p, 88)) + ", PCISubDeviceID " +
				hex(get32(p, 92)) + ", PCIRevisionID " + hex(get32(p, 96)) +
				", pciConfigMirror " + hex(mirror) + " size 0x1000" + bar + ")");
}

/*
 * PACKED_REGISTRY_TABLE in either layout: upstream nova's (size without
 * the 8-byte header, DWORD length 0) or OpenRM's (size of the whole
 * table, DWORD length 4).
 */
void GspRm::set_registry(const std::vector<uint8_t> &p)
{
	std::string n = "SET_REGISTRY";
	bool ok = true;
	auto bad = [&](const std::string &why) {
		verdict(Kind::Fail, n + ": " + why);
		ok = false;
	};
	uint32_t size = get32(p, 0), count = get32(p, 4);
	uint64_t names = 8 + 16ull * count;
	std::string layout;
	if (p.size() < 8) {
		bad("payload " + std::to_string(p.size()) + " bytes, shorter than its header");
	} else if (names > p.size()) {
		bad("numEntries " + std::to_string(count) + ": the entries end at " + hex(names) +
		    ", past the payload's " + hex(p.size()) + " bytes");
	} else if (size == p.size()) {
		layout = "OpenRM's layout (size " + hex(size) + " the whole table)";
	} else if (size + 8 == p.size()) {
		layout = "upstream's layout (size " + hex(size) + " without the 8-byte header)";
	} else {
		bad("size " + hex(size) + " is neither the table's " + hex(p.size()) +
		    " (OpenRM's layout) nor " + hex(p.size() - 8) +
		    " without the header (upstream's)");
	}
	/* The verdict names the first eight entries, each name cut at 64 bytes. */
	std::string list, lengths;
	auto show = [&list](uint32_t i, const std::string &item) {
		if (i < 8)
			list += (list.empty() ? "" : ", ") + item;
		else if (i == 8)
			list += ", ...";
	};
	for (uint32_t i = 0; ok && i < count; i++) {
		size_t e = 8 + 16 * i;
		uint32_t off = get32(p, e), type = p[e + 4], data = get32(p, e + 8);
		uint32_t length = get32(p, e + 12);
		std::string at = "entry " + std::to_string(i) + " ";
		if (off < names || off >= p.size()) {
			bad(at + "nameOffset " + hex(off) + " outside the names (" + hex(names) +
			    ".." + hex(p.size()) + ")");
			break;
		}
		auto end = std::find(p.begin() + off, p.end(), 0);
		if (end == p.end()) {
			bad(at + "name at " + hex(off) + " not NUL-terminated in the table");
			break;
		}
		std::string name(p.begin() + off, std::min(end, p.begin() + off + 64));
		if (type == 1) {
			if (length != 0 && length != 4) {
				bad(at + name + ": a DWORD of length " + std::to_string(length) +
				    ", expected 0 (upstream) or 4 (OpenRM)");
				break;
			}
			std::string l = std::to_string(length);
			if (lengths.empty())
				lengths = l;
			else if (lengths.find(l) == std::string::npos)
				lengths += " and " + l;
			show(i, name + "=" + hex(data));
		} else if (type == 2 || type == 3) {
			if (uint64_t(data) + length > p.size()) {
				bad(at + name + ": data " + hex(data) + " + length " + hex(length) +
				    " past the table");
				break;
			}
			show(i, name + (type == 2 ? " (binary)" : " (string)"));
		} else {
			bad(at + name + ": type " + std::to_string(type) +
			    ", not DWORD (1), binary (2) or string (3)");
			break;
		}
	}
	if (ok)
		verdict(Kind::Ok, n + ": ok, " + std::to_string(count) + " entries in " + layout +
					  (lengths.empty() ? "" : ", DWORD length " + lengths) +
					  ": " + list);
	if (!system_info_)
		verdict(Kind::Fail, n + " before GSP_SET_SYSTEM_INFO: GSP-RM knows nothing of its "
					"system");
	registry_ = true;
	if (state_ == State::Running)
		send_sequencer();
}

/*
 * GSP_RUN_CPU_SEQUENCER on Turing, Ampere and Ada: a write, a modify and a
 * store of NV_PBUS_SW_SCRATCH(0x10), a poll of BOOT_42's chipset (true), a
 * delay, and a closing write of SW_SCRATCH(0x11) the model watches. The
 * payload ends at the last command.
 */
void GspRm::send_sequencer()
{
	Family fam = family_of(gpu_.chipset_);
	if (fam == Family::Hopper || fam == Family::Blackwell || fam == Family::Other) {
		init_done();
		return;
	}
	uint32_t chipset = gpu_.chipset_ << 20;
	std::vector<uint32_t> cmds;
	auto add = [&cmds](std::initializer_list<uint32_t> words) {
		cmds.insert(cmds.end(), words);
	};
	add({ SEQ_REG_WRITE, SEQ_SCRATCH, SEQ_WRITE_VALUE });
	add({ SEQ_REG_MODIFY, SEQ_SCRATCH, SEQ_MODIFY_MASK, SEQ_MODIFY_VALUE });
	/* addr, mask, value, timeout (µs), error code */
	add({ SEQ_REG_POLL, reg::PMC_BOOT_42, 0xfff00000, chipset, 1000, 0 });
	add({ SEQ_DELAY_US, 10 });
	add({ SEQ_REG_STORE, SEQ_SCRATCH, 0 }); /* addr, regSaveArea index */
	add({ SEQ_REG_WRITE, SEQ_DONE, SEQ_DONE_VALUE });
	std::vector<uint8_t> p(40 + 4 * cmds.size(), 0);
	put32(p, 0, static_cast<uint32_t>(cmds.size()));
	put32(p, 4, static_cast<uint32_t>(cmds.size()));
	for (size_t i = 0; i < cmds.size(); i++)
		put32(p, 40 + 4 * i, cmds[i]);
	state_ = State::Sequencer;
	seq_scratch_reads_ = seq_poll_reads_ = 0;
	verdict(Kind::Note,
		"GSP_RUN_CPU_SEQUENCER: 6 commands (" + std::to_string(cmds.size()) +
			" DWORDs, payload " + std::to_string(p.size()) +
			" bytes): REG_WRITE, REG_MODIFY of SW_SCRATCH(0x10), REG_POLL of "
			"BOOT_42, DELAY_US, REG_STORE, REG_WRITE of SW_SCRATCH(0x11)");
	post(EV_GSP_RUN_CPU_SEQUENCER, std::move(p));
}

/* The sequencer's closing write: its effects checked, then GSP_INIT_DONE. */
void GspRm::sequencer_done(uint32_t value)
{
	std::string n = "sequencer";
	bool ok = true;
	auto bad = [&](const std::string &why) {
		verdict(Kind::Fail, n + ": " + why + "; no GSP_INIT_DONE");
		ok = false;
	};
	uint32_t got = gpu_.stored(SEQ_SCRATCH);
	if (value != SEQ_DONE_VALUE)
		bad("SW_SCRATCH(0x11) written " + hex(value) + ", the closing REG_WRITE is " +
		    hex(SEQ_DONE_VALUE));
	if (got != SEQ_RESULT)
		bad("SW_SCRATCH(0x10) is " + hex(got) + ", REG_WRITE " + hex(SEQ_WRITE_VALUE) +
		    " then REG_MODIFY (mask " + hex(SEQ_MODIFY_MASK) + ", value " +
		    hex(SEQ_MODIFY_VALUE) + ") make " + hex(SEQ_RESULT));
	if (!seq_poll_reads_)
		bad("BOOT_42 never read: the REG_POLL was not made");
	if (seq_scratch_reads_ < 2)
		bad("SW_SCRATCH(0x10) read " + std::to_string(seq_scratch_reads_) +
		    " times, REG_MODIFY and REG_STORE read it twice");
	state_ = State::Running;
	if (!ok)
		return;
	verdict(Kind::Ok, n + ": ok, its commands' effects seen (SW_SCRATCH(0x10) " + hex(got) +
				  ", BOOT_42 polled, SW_SCRATCH(0x10) read " +
				  std::to_string(seq_scratch_reads_) +
				  " times), closed by SW_SCRATCH(0x11) " + hex(value));
	init_done();
}

void GspRm::init_done()
{
	state_ = State::Ready;
	std::vector<uint8_t> lockdown(1, 0); /* bLockdownEngaging 0 */
	post(EV_GSP_LOCKDOWN_NOTICE, lockdown);
	if (gpu_.engine_fault_ == 18) {
		verdict(Kind::Note,
			"hostile fault 18: " + std::to_string(FLOOD) +
				" GSP_LOCKDOWN_NOTICE and UCODE_LIBOS_PRINT events "
				"before GSP_INIT_DONE, posted as the status queue has room");
		for (unsigned i = 0; i < FLOOD; i++) {
			if (i % 2) {
				post(EV_GSP_LOCKDOWN_NOTICE, lockdown);
				continue;
			}
			std::string text = "flood " + std::to_string(i) + "\n";
			std::vector<uint8_t> p(8 + text.size(), 0);
			put32(p, 4, static_cast<uint32_t>(text.size()));
			std::copy(text.begin(), text.end(), p.begin() + 8);
			post(EV_UCODE_LIBOS_PRINT, std::move(p));
		}
	}
	post(EV_GSP_INIT_DONE, {});
	log(logrm_, "RM init done");
}

/* GspStaticConfigInfo: the name, the usable VRAM, the page directories, the handles. */
void GspRm::static_info(const std::vector<uint8_t> &p)
{
	std::string n = "GET_GSP_STATIC_INFO";
	if (!init_done_)
		verdict(Kind::Fail, n + " before GSP_INIT_DONE was posted");
	if (p.size() < STATIC_INFO_SIZE)
		verdict(Kind::Fail, n + ": payload " + std::to_string(p.size()) +
					    " bytes, GspStaticConfigInfo is 1656");
	std::vector<uint8_t> s(STATIC_INFO_SIZE, 0);
	/* fbRegionInfoParams: one region, usable VRAM below the reserved area (limit inclusive). */
	uint64_t top = vram_.reserved ? vram_.reserved : vram_.size;
	put32(s, 344, 1);
	put64(s, 352, 0);
	put64(s, 360, top ? top - 1 : 0);
	s[352 + 28] = 1; /* supportCompressed */
	s[352 + 29] = 1; /* supportISO */
	put64(s, 1224, vram_.size); /* fb_length */
	const Chip *c = gpu_.chip();
	std::string name = c ? c->gpu_name : "NVIDIA GPU";
	std::string shortname = c ? c->name : "GPU";
	for (char &ch : shortname)
		ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
	if (gpu_.engine_fault_ == 16) {
		name.resize(64, '.');
		verdict(Kind::Note,
			"hostile fault 16: gpuNameString is 64 bytes without a NUL (\"" + name +
				"\")");
	}
	std::copy(name.begin(), name.begin() + std::min<size_t>(name.size(), 64), s.begin() + 1260);
	std::copy(shortname.begin(), shortname.end(), s.begin() + 1324);
	uint64_t bar2 = vram_.heap, bar1 = vram_.heap + 0x10000;
	put64(s, 1536, bar1);
	put64(s, 1544, bar2);
	s[1552] = 1; /* bVbiosValid */
	put32(s, 1556, static_cast<uint32_t>(le(gpu_.config_ + 0x2c, 2)));
	put32(s, 1560, static_cast<uint32_t>(le(gpu_.config_ + 0x2e, 2)));
	put32(s, 1600, H_CLIENT);
	put32(s, 1604, H_DEVICE);
	put32(s, 1608, H_SUBDEVICE);
	put64(s, 1640, vram_.reserved); /* fwWprLayoutOffset.nonWprHeapOffset */
	put64(s, 1648, vram_.frts);
	if (gpu_.engine_fault_ == 19) {
		verdict(Kind::Note, "hostile fault 19: a stale SET_REGISTRY reply posted before "
				    "the GET_GSP_STATIC_INFO reply");
		post(FN_SET_REGISTRY, {});
	}
	verdict(Kind::Ok, n + ": answered, gpuNameString \"" + name.substr(0, 64) +
				  "\", one FB region 0x0.." + hex(top ? top - 1 : 0) +
				  ", fb_length " + hex(vram_.size) + ", bar1PdeBase " + hex(bar1) +
				  ", bar2PdeBase " + hex(bar2));
	post(FN_GET_GSP_STATIC_INFO, std::move(s));
}

void GspRm::unloading(const std::vector<uint8_t> &p)
{
	std::string n = "UNLOADING_GUEST_DRIVER";
	if (p.size() < UNLOADING_SIZE) {
		verdict(Kind::Fail, n + ": payload " + std::to_string(p.size()) +
					    " bytes, rpc_unloading_guest_driver_v1F_07 is 8");
		return;
	}
	uint32_t level = get32(p, 4);
	if (level != 0 && level != 3 && level != 7) {
		verdict(Kind::Fail, n + ": newLevel " + std::to_string(level) +
					    ", not 0, 3 (S3) or 7 (hibernate)");
		return;
	}
	std::string what = n + " (bInPMTransition " + std::to_string(p[0]) + ", bGc6Entering " +
			   std::to_string(p[1]) + ", newLevel " + std::to_string(level) + ")";
	if (gpu_.engine_fault_ == 20) {
		verdict(Kind::Note, "hostile fault 20: " + what +
					    " read, never answered; MAILBOX0 bit 31 never set");
		return;
	}
	verdict(Kind::Ok, what + ": ok, answered; then MAILBOX0 bit 31 and the RISC-V core "
				 "stops");
	Out o;
	o.function = FN_UNLOADING_GUEST_DRIVER;
	o.payload.assign(p.begin(), p.begin() + UNLOADING_SIZE);
	o.suspend = true;
	out_.push_back(std::move(o));
	flush();
}

void GspRm::post(uint32_t function, std::vector<uint8_t> payload, uint32_t result)
{
	if (gpu_.engine_fault_ == 17)
		return;
	Out o;
	o.function = function;
	o.result = result;
	o.payload = std::move(payload);
	out_.push_back(std::move(o));
}

/*
 * The messages that wait, in order, while the status queue has room
 * (one slot always left empty): each written with GSP-RM's own seqNum
 * and its checksum, then gspq.tx.writePtr moved past it.
 */
void GspRm::flush()
{
	while (!out_.empty() && queues_) {
		uint32_t rp = rd32(CPUQ + RX_HDR);
		if (rp >= SLOTS) {
			if (!bad_read_ptr_)
				verdict(Kind::Fail, "status queue: cpuq.rx.readPtr is " + hex(rp) +
							    ", not a slot of 0x3f; nothing posted");
			bad_read_ptr_ = true;
			return;
		}
		Out &o = out_.front();
		uint32_t length = RPC_HEADER + static_cast<uint32_t>(o.payload.size());
		uint32_t count = elements_for(length);
		uint32_t room = (rp + SLOTS - msg_write_ - 1) % SLOTS;
		if (count > room)
			return;
		std::vector<uint8_t> e(count * PAGE, 0);
		put32(e, 36, msg_seq_);
		put32(e, 40, count);
		put32(e, 48, RPC_VERSION);
		put32(e, 52, RPC_SIGNATURE);
		put32(e, 56, length);
		put32(e, 60, o.function);
		put32(e, 64, o.result);
		put32(e, 68, o.result);
		std::copy(o.payload.begin(), o.payload.end(),
			  e.begin() + ELEMENT_HEADER + RPC_HEADER);
		/* Engine faults 11, 12, 13 and 15 spoil the first message GSP-RM posts. */
		uint32_t fault = posted_ ? 0 : gpu_.engine_fault_;
		std::string at = fname(o.function) + " (seq# " + std::to_string(msg_seq_) + ")";
		if (fault == 12) {
			put32(e, 56, 0x7ffffff0);
			verdict(Kind::Note,
				"hostile fault 12: " + at +
					" posted with rpc.length 0x7ffffff0, past the ring");
		}
		if (fault == 13) {
			put32(e, 40, 0x10000);
			verdict(Kind::Note,
				"hostile fault 13: " + at + " posted with elemCount 0x10000");
		}
		uint32_t sum = checksum(e.data(), ELEMENT_HEADER + length);
		put32(e, 32, fault == 11 ? sum ^ 1 : sum);
		if (fault == 11)
			verdict(Kind::Note,
				"hostile fault 11: " + at +
					" posted with a bad checksum (its checkSum ^ 1)");
		for (uint32_t i = 0; i < count; i++)
			mem(GSPQ + RING + ((msg_write_ + i) % SLOTS) * PAGE, e.data() + i * PAGE,
			    PAGE, true);
		std::atomic_thread_fence(std::memory_order_seq_cst);
		uint32_t slot = msg_write_;
		msg_write_ = (msg_write_ + count) % SLOTS;
		wr32(GSPQ + WRITE_PTR, fault == 15 ? msg_write_ + SLOTS : msg_write_);
		if (fault == 15)
			verdict(Kind::Note,
				"hostile fault 15: " + at + " posted with gspq.tx.writePtr " +
					hex(msg_write_ + SLOTS) + ", past the 0x3f slots");
		trace("gsp-rm: posted " + at + " at slot " + std::to_string(slot) + ", " +
		      std::to_string(count) + " element(s), rpc.length " + hex(length));
		msg_seq_++;
		posted_++;
		if (o.function != EV_GSP_LOCKDOWN_NOTICE && o.function != EV_UCODE_LIBOS_PRINT)
			log(logrm_, "rpc: posted " + at);
		if (o.function == EV_GSP_INIT_DONE) {
			init_done_ = true;
			verdict(Kind::Note,
				"GSP_INIT_DONE posted after " +
					std::to_string(gpu_.reads_ - gpu_.power_on_reads_) +
					" BAR0 reads, " +
					std::to_string(gpu_.writes_ - gpu_.power_on_writes_) +
					" writes since power-on (" +
					std::to_string(gpu_.reads_ - start_reads_) + " reads, " +
					std::to_string(gpu_.writes_ - start_writes_) +
					" writes since Booter started GSP-RM)");
		}
		bool suspend = o.suspend;
		out_.pop_front();
		if (suspend) {
			Falcon &gsp = gpu_.falcons_[0];
			gsp.set_mailbox(0, gsp.reg(0x040) | SUSPENDED);
			gsp.set_riscv_active(false);
			/* An FMC-booted core (Hopper and later) reports itself halted. */
			if (gpu_.chipset_ >= 0x180)
				gsp.set_riscv_halted(true);
			state_ = State::Unloaded;
			out_.clear();
			verdict(Kind::Ok,
				"unloaded: the UNLOADING_GUEST_DRIVER reply posted, "
				"MAILBOX0 bit 31 (LIBOS_INTERRUPT_PROCESSOR_SUSPENDED) set, "
				"the RISC-V core stopped");
			return;
		}
	}
}

} // namespace gpu_model
