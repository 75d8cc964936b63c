/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GSP-RM's message queues as bytes (Documentation/gsp-msgq.rst): the
 * format of r570.144's msgq_priv.h and the RPC header of its
 * g_rpc-structures.h, with the arithmetic and the checks the command
 * queue (the driver's side) and the status queue (GSP-RM's side) need.
 * A queue is a ring of MSGQ_NUM_PAGES slots of 4 KiB after its headers'
 * page; an element is a 48-byte element header, a 32-byte RPC header and
 * the payload, taking whole slots, wrapping past the last slot to the
 * first.
 *
 * Everything GSP-RM writes is untrusted here: receive() checks the
 * pointers, the lengths, the RPC signature and version, the element
 * count and the checksum before a byte of payload is used, and never
 * reads outside the ring. All of it is pure code on byte views, tested
 * by the KUnit suite kcxx_gsp_msgq; the queues' driver uses it.
 */
#ifndef NOVA_CORE_GSP_MSGQ_H
#define NOVA_CORE_GSP_MSGQ_H

#include <kernel/alloc.h>
#include <kernel/bytes.h>
#include <kernel/error.h>

#include "gsp/libos.h"

namespace nova::core::gsp {

using ktl::u16;

/* GSP_MSG_QUEUE_ELEMENT's header, before the RPC. */
struct MsgqElementHeader {
	u8 auth_tag[16];
	u8 aad[16];
	u32 checksum; /* makes the element's checksum 0 */
	u32 seq_num; /* per queue, from 0, continuation records included */
	u32 elem_count; /* slots the element takes */
	u32 pad;
	KERNEL_FROM_BYTES(MsgqElementHeader, 48);
};

/* rpc_message_header_v: the RPC header. */
struct RpcHeader {
	u32 header_version;
	u32 signature;
	u32 length; /* this header and the payload */
	u32 function;
	u32 rpc_result;
	u32 rpc_result_private;
	u32 sequence;
	u32 spare;
	KERNEL_FROM_BYTES(RpcHeader, 32);
};

inline constexpr u32 RPC_HEADER_VERSION = 0x03000000; /* major 3, minor 0 */
inline constexpr u32 RPC_SIGNATURE = 0x43505256; /* "VRPC" */
inline constexpr size_t ELEMENT_HEADER_SIZE = sizeof(MsgqElementHeader);
inline constexpr size_t MESSAGE_HEADER_SIZE = ELEMENT_HEADER_SIZE + sizeof(RpcHeader);
/* GSP_MSG_QUEUE_ELEMENT_SIZE_MAX: one element's bytes at most. */
inline constexpr size_t ELEMENT_MAX = 16 * GSP_PAGE;
inline constexpr size_t PAYLOAD_MAX = ELEMENT_MAX - MESSAGE_HEADER_SIZE;
inline constexpr size_t RING_SIZE = size_t { MSGQ_NUM_PAGES } * GSP_PAGE;

/* Function and event numbers (NV_VGPU_MSG_FUNCTION_*, NV_VGPU_MSG_EVENT_*). */
namespace fn {
inline constexpr u32 UNLOADING_GUEST_DRIVER = 47;
inline constexpr u32 GET_GSP_STATIC_INFO = 65;
inline constexpr u32 CONTINUATION_RECORD = 71;
inline constexpr u32 GSP_SET_SYSTEM_INFO = 72;
inline constexpr u32 SET_REGISTRY = 73;
inline constexpr u32 GSP_INIT_DONE = 4097;
inline constexpr u32 GSP_RUN_CPU_SEQUENCER = 4098;
inline constexpr u32 POST_EVENT = 4099;
inline constexpr u32 RC_TRIGGERED = 4100;
inline constexpr u32 MMU_FAULT_QUEUED = 4101;
inline constexpr u32 OS_ERROR_LOG = 4102;
inline constexpr u32 UCODE_LIBOS_PRINT = 4108;
inline constexpr u32 GSP_LOCKDOWN_NOTICE = 4124;
inline constexpr u32 GSP_POST_NOCAT_RECORD = 4128;
} // namespace fn

/*
 * The element checksum of OpenRM's _checkSum32: the bytes as
 * little-endian u64s (the last one zero-padded) XORed together, the two
 * halves of the result XORed. An element is whole when it is 0.
 */
u32 element_checksum(kernel::ByteView element);

/* Slots an element of @bytes takes. */
constexpr u32 slots_for(size_t bytes)
{
	return static_cast<u32>((bytes + GSP_PAGE - 1) / GSP_PAGE);
}

/*
 * Slots the producer at @write may fill before it reaches the consumer at
 * @read: one is always left empty, so a full ring is not an empty one.
 * Both below MSGQ_NUM_PAGES.
 */
constexpr u32 free_slots(u32 write, u32 read)
{
	return (read + MSGQ_NUM_PAGES - write - 1) % MSGQ_NUM_PAGES;
}

/* Slots written at @write and not yet read at @read. */
constexpr u32 pending_slots(u32 read, u32 write)
{
	return (write + MSGQ_NUM_PAGES - read) % MSGQ_NUM_PAGES;
}

/*
 * How a command of @payload bytes is sent: the first element carries as
 * much of it as fits (PAYLOAD_MAX), each CONTINUATION_RECORD element the
 * next PAYLOAD_MAX bytes at most.
 */
struct SendPlan {
	u32 elements;
	size_t first; /* payload bytes of the first element */
	size_t last; /* of the last element (== first for one element) */
};
SendPlan plan_send(size_t payload);

/*
 * One element, built into @out (header, RPC header, @payload; the
 * checksum last): @function, @seq the queue's sequence number. EMSGSIZE
 * past ELEMENT_MAX; ENOMEM.
 */
kernel::Result<void> build_element(kernel::KVec<u8> &out, u32 function, u32 seq,
				   kernel::ByteView payload);

/*
 * @data into the ring @ring (RING_SIZE bytes) from the start of slot
 * @slot on, wrapping past the last slot. EINVAL (nothing written) for a
 * slot out of range or data longer than the ring.
 */
kernel::Result<void> ring_write(u8 *ring, u32 slot, kernel::ByteView data);
/* @len bytes of the ring from slot @slot on, wrapping, into @out. EINVAL as ring_write(). */
kernel::Result<void> ring_read(kernel::ByteView ring, u32 slot, size_t len, u8 *out);

/* Why a message was refused: the first check that failed. */
enum class MsgError : u8 {
	None,
	Pointer, /* a read or write pointer out of range */
	Short, /* fewer bytes written than the headers or the length say */
	Length, /* an RPC length below its header or past ELEMENT_MAX */
	Header, /* the RPC signature or version */
	Count, /* elemCount is not the slots the length takes */
	Checksum,
};
const char *msg_error_name(MsgError e);

/* A message taken from the ring: its headers, its payload, the slots it took. */
struct Received {
	MsgqElementHeader element;
	RpcHeader rpc;
	u32 slots;
};

/*
 * The message at @read of a ring (@ring, RING_SIZE bytes) whose producer
 * is at @write: its payload into @payload. EAGAIN: nothing pending. EIO
 * with *@why: a pointer out of range, fewer bytes pending than the
 * headers or the RPC length need, an RPC length below 32 or past
 * ELEMENT_MAX, a bad signature or major version, an elemCount other than
 * the length's, a checksum other than 0. ENOMEM. The ring is only read.
 */
kernel::Result<Received> receive(kernel::ByteView ring, u32 read, u32 write,
				 kernel::KVec<u8> &payload, MsgError *why);

/* A DWORD registry entry. */
struct RegistryDword {
	const char *name;
	u32 value;
};

/* SET_REGISTRY's entries: upstream nova-core's three DWORDs. */
inline constexpr RegistryDword REGISTRY_ENTRIES[] = {
	{ "RMSecBusResetEnable", 1 },
	{ "RMForcePcieConfigSave", 1 },
	{ "RMDevidCheckIgnore", 1 },
};

/*
 * SET_REGISTRY's payload (PACKED_REGISTRY_TABLE) as OpenRM's
 * RmPackageRegistry packs it: {size: the whole table's bytes,
 * numEntries}, the entries {nameOffset from the table's start, type 1
 * (DWORD), data, length 4}, then the names, NUL-terminated. ENOMEM;
 * EINVAL for a name longer than 63 bytes or empty.
 */
kernel::Result<kernel::KVec<u8>> pack_registry(const RegistryDword *entries, size_t count);

/*
 * pciConfigMirrorBase on Turing, Ampere and Ada; on Hopper and Blackwell
 * (upstream's GH100 GPU HAL); pciConfigMirrorSize on all.
 */
inline constexpr u32 PCI_CONFIG_MIRROR_BASE = 0x88000;
inline constexpr u32 PCI_CONFIG_MIRROR_BASE_GH100 = 0x92000;
inline constexpr u32 PCI_CONFIG_MIRROR_SIZE = 0x1000;

/* What GSP_SET_SYSTEM_INFO tells GSP-RM about the PCI device. */
struct SystemInfoInput {
	u64 bar0; /* gpuPhysAddr */
	u64 fb; /* gpuPhysFbAddr: the VRAM aperture (BAR1) */
	u64 inst; /* gpuPhysInstAddr: the instance aperture (BAR3) */
	u16 bus_devfn; /* nvDomainBusDeviceFunc: bus << 8 | devfn */
	u16 vendor, device, subsystem_vendor, subsystem_device;
	u8 revision;
	u32 config_mirror = PCI_CONFIG_MIRROR_BASE; /* pciConfigMirrorBase */
};

/* GspSystemInfo of r570.144: 928 bytes. */
inline constexpr size_t SYSTEM_INFO_SIZE = 928;
/* maxUserVa: 47 bits of user address space, less a page. */
inline constexpr u64 MAX_USER_VA = (u64 { 1 } << 47) - 4096;

/*
 * GSP_SET_SYSTEM_INFO's payload as upstream fills it (the rest zero):
 * the apertures at 0, 8 and 16, the bus/devfn at 32, maxUserVa at 72, the
 * PCI config mirror at 80/84, device << 16 | vendor at 88, the subsystem's
 * likewise at 92, the revision at 96.
 */
void build_system_info(const SystemInfoInput &in, u8 (&out)[SYSTEM_INFO_SIZE]);

/* GspStaticConfigInfo of r570.144: 1656 bytes; gpuNameString 64 bytes at 1260. */
inline constexpr size_t STATIC_INFO_SIZE = 1656;
inline constexpr size_t STATIC_INFO_NAME = 1260;
inline constexpr size_t GPU_NAME_SIZE = 64;

/*
 * The GPU's marketing name from a GET_GSP_STATIC_INFO reply @payload into
 * @out, NUL-terminated. EPROTO: a payload shorter than the structure, or a
 * name without its NUL in its 64 bytes (@out is then left alone).
 */
kernel::Result<void> static_info_name(kernel::ByteView payload, char (&out)[GPU_NAME_SIZE]);

/* GSP_RUN_CPU_SEQUENCER's opcodes (GSP_SEQ_BUF_OPCODE_*). */
enum class SeqOp : u32 {
	RegWrite = 0, /* addr, val */
	RegModify = 1, /* addr, mask, val */
	RegPoll = 2, /* addr, mask, val, timeout (µs; 0: the default), error */
	DelayUs = 3, /* val */
	RegStore = 4, /* addr, index */
	CoreReset = 5,
	CoreStart = 6,
	CoreWaitForHalt = 7,
	CoreResume = 8,
};
inline constexpr u32 SEQ_OPS = 9;
inline constexpr u32 SEQ_MAX_ARGS = 5;
/* Words of each opcode's arguments. */
constexpr u32 seq_args(SeqOp op)
{
	constexpr u32 args[SEQ_OPS] = { 2, 3, 5, 1, 2, 0, 0, 0, 0 };
	return args[static_cast<u32>(op)];
}

struct SeqCommand {
	SeqOp op;
	u32 args[SEQ_MAX_ARGS];
};

/* The sequencer payload's head: rpc_run_cpu_sequencer_v17_00 up to the commands. */
inline constexpr size_t SEQ_HEADER_SIZE = 40;
inline constexpr u32 SEQ_REG_SAVE_SLOTS = 8;

/*
 * The commands of a sequencer payload: bufferSizeDWord@0, cmdIndex@4 (the
 * words the commands take, as OpenRM's kgspExecuteSequencerBuffer reads
 * it), regSaveArea@8, the commands from 40. EINVAL: cmdIndex past
 * bufferSizeDWord or past the payload, an unknown opcode, a command whose
 * arguments run past cmdIndex's words, a REG_STORE index past the save
 * area; ENOMEM. The commands are appended to @out.
 */
kernel::Result<void> parse_sequencer(kernel::ByteView payload, kernel::KVec<SeqCommand> &out);

} // namespace nova::core::gsp

#endif /* NOVA_CORE_GSP_MSGQ_H */
