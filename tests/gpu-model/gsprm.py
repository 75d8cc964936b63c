# SPDX-License-Identifier: GPL-2.0
"""The GPU model's GSP-RM peer, with the driver's side of the queues played
here (imported by booter.py, which boots the GSP first): command elements
built with their checksum, the doorbell rung, the status queue read, the
sequencer executed through BAR0, the static configuration and the unload;
then wrong elements, both registry layouts and the engine faults 11 to 20."""

import struct
import time

PAGE = 0x1000
CPUQ, GSPQ = 0x1000, 0x41000	# in GspMem
SLOTS = 0x3f
DOORBELL = 0x110c00
GSP = 0x110000
ENGINE_FAULT = 0xfff040
CONFIG = 7
NAMES = {"ad102": "NVIDIA GeForce RTX 4090", "tu102": "NVIDIA GeForce RTX 2080 Ti",
	 "ga100": "NVIDIA A100-PCIE-40GB", "ga102": "NVIDIA GeForce RTX 3090"}


def checksum(b):
	"""u64 little-endian words XORed, zero-padded; the halves XORed."""
	b = bytes(b) + bytes(-len(b) % 8)
	x = 0
	for (w,) in struct.iter_unpack("<Q", b):
		x ^= w
	return (x >> 32) ^ (x & 0xffffffff)


def fresh(s, base):
	"""GspMem as a driver leaves it before the boot: the queues empty, the
	command queue's header written."""
	s.mem[base + PAGE:base + 0x81000] = bytes(0x80000)
	s.mem[base + CPUQ:base + CPUQ + 32] = struct.pack("<IIIIIIII", 0, 0x40000, 0x1000, 0x3f, 0,
							  1, 0x20, 0x1000)


class Queues:
	"""The driver's side of GspMem in the test's guest memory (booter.Setup)."""

	def __init__(self, s, c):
		self.s, self.c = s, c
		self.base = s.AT_GSPMEM
		self.seq = 0
		fresh(s, self.base)

	def u32(self, off, value=None):
		at = self.base + off
		if value is None:
			return struct.unpack_from("<I", self.s.mem, at)[0]
		struct.pack_into("<I", self.s.mem, at, value)

	def element(self, function, payload, seq=None, fix=None):
		length = 32 + len(payload)
		count = (48 + length + PAGE - 1) // PAGE
		e = bytearray(count * PAGE)
		struct.pack_into("<IIII", e, 36, self.seq if seq is None else seq, count, 0, 0x03000000)
		struct.pack_into("<IIIIIII", e, 52, 0x43505256, length, function, 0xffffffff,
				 0xffffffff, 0, 0)
		e[80:80 + len(payload)] = payload
		if fix:
			fix(e)
		end = 48 + struct.unpack_from("<I", e, 56)[0]
		struct.pack_into("<I", e, 32, checksum(e[:min(end, len(e))]))
		return e

	def send(self, function, payload, ring=True, spoil=None, **kw):
		"""One element at cpuq.tx.writePtr, the pointer moved past it, the doorbell."""
		e = self.element(function, payload, **kw)
		if spoil:
			spoil(e)
		tx = self.u32(CPUQ + 16)
		for i in range(len(e) // PAGE):
			at = self.base + CPUQ + PAGE + ((tx + i) % SLOTS) * PAGE
			self.s.mem[at:at + PAGE] = e[i * PAGE:(i + 1) * PAGE]
		self.seq += 1
		self.u32(CPUQ + 16, (tx + len(e) // PAGE) % SLOTS)
		if ring:
			self.c.w32(DOORBELL, 0)

	def slot(self, i):
		"""The status queue's slot @i."""
		at = self.base + GSPQ + PAGE + i * PAGE
		return bytes(self.s.mem[at:at + PAGE])

	def pending(self):
		return self.u32(CPUQ + 0x20) != self.u32(GSPQ + 16) % SLOTS

	def recv(self, wait=2.0):
		"""(seqNum, function, rpc_result, payload, checksum ok) of the next message, or None."""
		end = time.time() + wait
		while not self.pending():
			if time.time() > end:
				return None
			time.sleep(0.001)
		rx = self.u32(CPUQ + 0x20)
		head = self.slot(rx)[:80]
		seq, count = struct.unpack_from("<II", head, 36)
		length, function, result = struct.unpack_from("<III", head, 56)
		n = (48 + length + PAGE - 1) // PAGE if length < 0x10000 else 1
		e = b"".join(self.slot((rx + i) % SLOTS) for i in range(n))
		ok = length < 0x10000 and checksum(e[:48 + length]) == 0
		self.u32(CPUQ + 0x20, (rx + n) % SLOTS)
		return seq, function, result, e[80:48 + length] if ok else b"", ok, count, length

	def recv_all(self, wait=0.2):
		out = []
		while True:
			m = self.recv(wait)
			if m is None:
				return out
			out.append(m)


def system_info(c):
	"""GspSystemInfo (928 bytes) from the model's config space."""
	cfg = c.read(CONFIG, 0, 0x30)
	p = bytearray(928)
	struct.pack_into("<Q", p, 72, (1 << 47) - 4096)
	struct.pack_into("<II", p, 80, 0x88000, 0x1000)
	struct.pack_into("<II", p, 88, struct.unpack_from("<I", cfg, 0)[0],
			 struct.unpack_from("<I", cfg, 0x2c)[0])
	p[96] = cfg[8]
	return bytes(p)


def registry(openrm, names=(b"RMSecBusResetEnable", b"RMForcePcieConfigSave",
			    b"RMDevidCheckIgnore")):
	"""DWORD entries of value 1 (three by default), in upstream's layout or OpenRM's."""
	at = 8 + 16 * len(names)
	entries, strings = b"", b""
	for n in names:
		entries += struct.pack("<IBxxxII", at + len(strings), 1, 1, 4 if openrm else 0)
		strings += n + b"\0"
	total = 8 + len(entries) + len(strings)
	return struct.pack("<II", total if openrm else total - 8, len(names)) + entries + strings


def run_sequencer(c, payload):
	"""GSP_RUN_CPU_SEQUENCER's commands through BAR0; the number run."""
	size, index = struct.unpack_from("<II", payload, 0)
	words = struct.unpack_from("<%dI" % ((len(payload) - 40) // 4), payload, 40)
	i = n = 0
	while i < len(words) and i < index:
		op = words[i]
		if op == 0:
			c.w32(words[i + 1], words[i + 2])
			i += 3
		elif op == 1:
			a, mask, val = words[i + 1:i + 4]
			c.w32(a, (c.r32(a) & ~mask & 0xffffffff) | val)
			i += 4
		elif op == 2:
			a, mask, val, timeout, _ = words[i + 1:i + 6]
			end = time.time() + (timeout or 4000000) / 1e6 + 0.5
			while c.r32(a) & mask != val and time.time() < end:
				pass
			i += 6
		elif op == 3:
			time.sleep(words[i + 1] / 1e6)
			i += 2
		elif op == 4:
			c.r32(words[i + 1])
			i += 3
		else:
			return -1
		n += 1
	return n


def boot(q, c, openrm=False):
	"""SET_SYSTEM_INFO, SET_REGISTRY, the sequencer; the messages up to GSP_INIT_DONE."""
	q.send(72, system_info(c))
	q.send(73, registry(openrm))
	got = []
	while True:
		m = q.recv()
		if m is None:
			return got
		got.append(m)
		if m[1] == 4098 and m[4]:
			run_sequencer(c, m[3])
		if m[1] == 4097:
			return got


def run(s, model, finish, fails, check, AT):
	"""@s: a booter.Setup and @AT its places in guest memory; @model(name) a
	new model with guest memory mapped (booter.py's)."""
	s.AT_GSPMEM = AT["gspmem"]
	try:
		cases(s, model, finish, fails, check, AT)
	finally:
		fresh(s, AT["gspmem"])


def cases(s, model, finish, fails, check, AT):
	chip = s.chip

	def booted(name, fault=0):
		p, c, d = model(name)
		q = Queues(s, c)
		if fault:
			c.w32(ENGINE_FAULT, fault)
		if chip != "ga100":
			d.wpr2(s)
		halted, mbox, active = d.gsp_boot(s)
		return p, c, d, q, active

	# The whole protocol, upstream's registry layout.
	p, c, d, q, active = booted("gsprm-" + chip)
	hdr = struct.unpack_from("<8I", s.mem, s.AT_GSPMEM + GSPQ)
	check(active and hdr == (0, 0x40000, 0x1000, 0x3f, 0, 1, 0x20, 0x1000),
	      "%s GSP-RM: the status queue's header written at start (%s)" % (chip, hdr))
	got = boot(q, c)
	fns = [m[1] for m in got]
	check(fns == [4098, 4124, 4097] and all(m[4] for m in got) and
	      [m[0] for m in got] == [0, 1, 2],
	      "%s GSP-RM: GSP_RUN_CPU_SEQUENCER, GSP_LOCKDOWN_NOTICE, GSP_INIT_DONE, seqNum 0, 1, 2, "
	      "checksums 0 (%s)" % (chip, fns))
	seqp = got[0][3] if got else b""
	if len(seqp) >= 8:
		index = struct.unpack_from("<I", seqp, 4)[0]
		check(len(seqp) == 40 + 4 * index, "%s GSP-RM: the sequencer's payload ends at its last "
		      "command (40 + 4 * cmdIndex %d = %d bytes)" % (chip, index, len(seqp)))
	q.send(65, bytes(1656))
	m = q.recv()
	name = m[3][1260:1324].split(b"\0")[0].decode() if m else ""
	fb, = struct.unpack_from("<Q", m[3], 1224) if m else (0,)
	nregions, base, limit = struct.unpack_from("<I4xQQ", m[3], 344) if m else (0, 0, 0)
	check(m and m[1] == 65 and m[2] == 0 and len(m[3]) == 1656 and name == NAMES.get(chip, name) and
	      fb > 0 and nregions == 1 and base == 0 and limit < fb,
	      "%s GSP-RM: GET_GSP_STATIC_INFO answered, rpc_result 0, 1656 bytes, gpuNameString \"%s\", "
	      "fb_length %#x, one FB region 0..%#x" % (chip, name, fb, limit))
	log = AT["log"][2]
	put, = struct.unpack_from("<Q", s.mem, log)
	text = bytes(s.mem[log + 17 * 8:log + put * 8]).replace(b"\0", b"").decode()
	check(put > 17 and "GET_GSP_STATIC_INFO" in text and "GSP_INIT_DONE" in text,
	      "%s GSP-RM: LOGRM's put pointer %d words, lines for each RPC" % (chip, put))
	q.send(47, bytes(8))
	m = q.recv()
	mbox = c.r32(GSP + 0x40)
	check(m and m[1] == 47 and mbox >> 31 and not d.active(),
	      "%s GSP-RM: UNLOADING_GUEST_DRIVER answered, MAILBOX0 bit 31 (%#x), the RISC-V core "
	      "stopped" % (chip, mbox))
	d.unload(s)
	v = finish(p, c)
	texts = [t for _, t in v]
	check(not fails(v), "%s GSP-RM: every verdict ok or a note%s" %
	      (chip, ": " + "; ".join(fails(v)) if fails(v) else ""))
	for want in ("GSP-RM: started: LIBOS page at ",
		     "GSP-RM: command seq# 0 at slot 0 (GSP_SET_SYSTEM_INFO): ok",
		     "GSP-RM: GSP_SET_SYSTEM_INFO: ok (928 bytes",
		     "GSP-RM: SET_REGISTRY: ok, 3 entries in upstream's layout",
		     "GSP-RM: sequencer: ok",
		     "GSP-RM: GSP_INIT_DONE posted after ",
		     "GSP-RM: GET_GSP_STATIC_INFO: answered",
		     "GSP-RM: unloaded: "):
		check(any(t.startswith(want) for t in texts), "%s verdict: %s" % (chip, want))
	check(not any("never asked to unload" in t for t in texts),
	      "%s GSP-RM: unloaded before booter_unload: no note" % chip)
	if chip != "ad102":
		return

	# OpenRM's registry layout, then wrong elements: one fail verdict each.
	p, c, d, q, active = booted("gsprm-wrong")
	got = boot(q, c, openrm=True)
	q.send(65, bytes(1656), spoil=lambda e: e.__setitem__(100, 1))
	q.send(65, bytes(1656), seq=7)
	q.send(4103, b"")
	q.send(65, bytes(1656), fix=lambda e: struct.pack_into("<I", e, 52, 0x12345678))
	after = q.recv_all()
	d.unload(s)
	v = finish(p, c)
	f, texts = fails(v), [t for _, t in v]
	check([m[1] for m in got][-1:] == [4097] and
	      any(t.startswith("GSP-RM: SET_REGISTRY: ok, 3 entries in OpenRM's layout") and
		  "DWORD length 4" in t for t in texts),
	      "OpenRM's registry layout (size the whole table, DWORD length 4): accepted, named")
	check(any(t.startswith("command seq# 2 at slot 2 (GET_GSP_STATIC_INFO): bad checksum") for t in f),
	      "a command with one payload byte changed: a fail verdict, bad checksum")
	check(any("seqNum 7, expected 3" in t for t in f) and not any("expected 8" in t for t in f),
	      "a command with seqNum 7 for 3: fail; the next one, 4, is the one expected")
	check(any("(RG_LINE_INTR): an event number, which only GSP-RM sends" in t for t in f),
	      "an event number sent as a command: fail")
	check(any("rpc.signature 0x12345678, expected 0x43505256" in t for t in f),
	      "a wrong signature: fail")
	check(not [m for m in after if m[1] == 65],
	      "the wrong commands are not answered (%s)" % [m[1] for m in after])
	check(any(t.startswith("GSP-RM: booter_unload with GSP-RM never asked to unload") for k, t in v
		  if k == "note"), "booter_unload without UNLOADING_GUEST_DRIVER: a note")

	# A registry of more than 64 KiB: its first element full, then a CONTINUATION_RECORD.
	p, c, d, q, active = booted("gsprm-continued")
	q.send(72, system_info(c))
	table = registry(False, [b"RMModelKey%020d" % i for i in range(2000)])
	first = 0x10000 - 80
	q.send(73, table[:first])
	q.send(71, table[first:])
	m = q.recv()
	v = finish(p, c)
	check(len(table) > first and m and m[1] == 4098 and not fails(v) and
	      any(t.startswith("GSP-RM: SET_REGISTRY: ok, 2000 entries in upstream's layout")
		  for _, t in v),
	      "a registry of %d bytes in a full element and a CONTINUATION_RECORD: joined, "
	      "checked, the sequencer follows%s" % (len(table), "; ".join(fails(v))))

	# A size past the ring: the pending elements dropped.
	p, c, d, q, active = booted("gsprm-length")
	q.send(72, system_info(c), fix=lambda e: struct.pack_into("<I", e, 56, 0x7ffffff0))
	v = finish(p, c)
	check(any("rpc.length 0x7ffffff0 is outside 0x20 and its 1 pages" in t for t in fails(v)),
	      "rpc.length past its element: a fail verdict, the element dropped")

	# The engine faults 11 to 20.
	def fault(n, then=None):
		p, c, d, q, active = booted("gsprm-fault%d" % n, n)
		r = then(q, c, d) if then else boot(q, c)
		v = finish(p, c)
		notes = [t for k, t in v if k == "note" and t.startswith("GSP-RM: hostile fault %d: " % n)]
		return r, fails(v), notes

	def first_only(q, c, d):
		q.send(72, system_info(c))
		q.send(73, registry(False))
		return q.recv(), q.u32(GSPQ + 16)

	(m, wp), f, notes = fault(11, first_only)
	check(m and m[1] == 4098 and not m[4] and not f and notes,
	      "engine fault 11: the sequencer posted with a bad checksum, a note")
	(m, wp), f, notes = fault(12, first_only)
	check(m and m[6] == 0x7ffffff0 and not f and notes,
	      "engine fault 12: the first message's rpc.length 0x7ffffff0, a note")
	(m, wp), f, notes = fault(13, first_only)
	check(m and m[5] == 0x10000 and m[4] and not f and notes,
	      "engine fault 13: the first message's elemCount 0x10000 (checksum right), a note")
	(m, wp), f, notes = fault(15, first_only)
	check(wp >= 0x3f and wp % 0x3f == 1 and not f and notes,
	      "engine fault 15: gspq.tx.writePtr %#x after the first message, a note" % wp)
	got, f, notes = fault(14)
	check([m[1] for m in got] == [4103, 4098, 4124, 4097] and not f and notes,
	      "engine fault 14: RG_LINE_INTR first, then the usual flow (%s)" % [m[1] for m in got])

	def static(q, c, d):
		boot(q, c)
		q.send(65, bytes(1656))
		return q.recv_all()
	got, f, notes = fault(16, static)
	check(got and got[-1][1] == 65 and b"\0" not in got[-1][3][1260:1324] and not f and notes,
	      "engine fault 16: gpuNameString 64 bytes without a NUL, a note")
	got, f, notes = fault(19, static)
	check([m[1] for m in got] == [73, 65] and not f and notes,
	      "engine fault 19: a stale SET_REGISTRY reply before the static configuration (%s)" %
	      [m[1] for m in got])
	got, f, notes = fault(17)
	check(got == [] and not f and notes, "engine fault 17: no answer at all, a note")
	got, f, notes = fault(18)
	kinds = sorted(set(m[1] for m in got))
	check(len(got) == 2003 and got[-1][1] == 4097 and kinds == [4097, 4098, 4108, 4124] and
	      all(m[4] for m in got) and [m[0] for m in got] == list(range(2003)) and not f and notes,
	      "engine fault 18: 2001 events then GSP_INIT_DONE, through a 63-slot ring as it drains "
	      "(%d messages)" % len(got))

	def unload(q, c, d):
		boot(q, c)
		q.send(47, bytes(8))
		return q.recv(0.3), c.r32(GSP + 0x40), d.active()
	(m, mbox, act), f, notes = fault(20, unload)
	check(m is None and not mbox >> 31 and act and not f and notes,
	      "engine fault 20: UNLOADING_GUEST_DRIVER never answered, MAILBOX0 bit 31 clear")
