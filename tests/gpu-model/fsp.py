# SPDX-License-Identifier: GPL-2.0
"""The GPU model's FSP on Hopper and Blackwell (imported by protocol.py):
the driver's side played here from NVIDIA's firmware files. The COT
message is built by hand (MCTP and NVDM headers, NVDM_PAYLOAD_COT), sent
through the FSP's EMEM channel 0 and its command queue, the FSP_RESPONSE
read from its message queue; GSP_FMC_BOOT_PARAMS, the WPR metadata, the
radix3 tables of the GSP ELF's .fwimage, the LIBOS page and the queues are
laid out in one memfd the model reaches by DMA. Then the FMC's lockdown
and its release are waited for as the drivers do, GSP-RM is driven to
GSP_INIT_DONE and unloaded; each wrong field and each engine fault from
21 to 26 is checked too."""

import mmap
import os
import struct

import booter
import gsprm

FW = booter.FW
GSP, GSP2 = 0x110000, 0x111000
EMEMC, EMEMD = 0x8f2ac0, 0x8f2ac4
QHEAD, QTAIL, MHEAD, MTAIL = 0x8f2c00, 0x8f2c04, 0x8f2c80, 0x8f2c84
ENGINE_FAULT, PORT_CTRL = 0xfff040, 0xfff00c
PAGE = 0x1000
MiB = 1 << 20

GUEST = 1 << 32
SIZE = 80 << 20
AT = {"meta": 0x20000, "libos": 0x21000, "log": (0x30000, 0x40000, 0x50000),
      "rmargs": 0x60000, "params": 0x70000, "gspmem": 0x100000, "bootloader": 0x200000,
      "signature": 0x240000, "l0": 0x250000, "l1": 0x251000, "l2": 0x260000, "fmc": 0x280000,
      "image": 0x400000}
CHIPS = {"gh100": ("80G", 0x0200bc, 1, 0x200000, 0, "NVIDIA H100 PCIe"),
	 "gb202": ("32G", 0xad00bc, 2, 0x220000, 0x1960000, "NVIDIA GeForce RTX 5090")}


def align_up(v, a):
	return (v + a - 1) // a * a


def heap_size(vram, base_rm=14 * MiB):
	"""GSP-RM's WPR heap (LIBOS3): carveout, RM, one client, 96 KiB per GiB, clamped."""
	gib = (vram + (1 << 30) - 1) >> 30
	size = 22 * MiB + base_rm + align_up(48 * 1024 * 2048, MiB) + align_up(96 * 1024 * gib, MiB)
	return min(max(size, 88 * MiB), 280 * MiB - 1)


class Setup:
	"""The files and guest memory as a driver lays them out for the FSP."""

	def __init__(self, chip):
		self.chip = chip
		vram, self.i2cs, self.version, self.nonwpr, self.pmu, self.name = CHIPS[chip]
		self.vram = vram
		self.files = booter.describe(chip)
		d = os.path.join(FW, "nvidia", chip, "gsp")
		self.raw = {n: open(os.path.join(d, "%s-570.144.bin" % n), "rb").read()
			    for n in ("fmc", "bootloader", "gsp")}
		f = self.files["fmc"]
		fmc = self.raw["fmc"]
		self.sec = {n: fmc[f[n + "_offset"]:f[n + "_offset"] + f[n + "_size"]]
			    for n in ("image", "hash", "publickey", "signature")}
		bl = self.files["bootloader"]
		blraw = self.raw["bootloader"]
		self.bl = bl
		self.bl_ucode = blraw[bl["data_offset"]:bl["data_offset"] + bl["data_size"]]
		self.bl_size = align_up(len(self.bl_ucode), PAGE)
		elf = self.raw["gsp"]
		io, isz = booter.elf_section(elf, ".fwimage")
		so, ssz = booter.elf_section(elf, self.files["gsp"]["signature_section"])
		self.image, self.sig = elf[io:io + isz], elf[so:so + ssz]
		self.sig_size = align_up(ssz, PAGE)
		self.fd = os.memfd_create("guest")
		os.ftruncate(self.fd, SIZE)
		self.mem = mmap.mmap(self.fd, SIZE)
		self.AT_GSPMEM = AT["gspmem"]
		self.write_all()

	def addr(self, what, i=None):
		return GUEST + (AT[what] if i is None else AT[what][i])

	def put(self, off, data):
		self.mem[off:off + len(data)] = data

	def meta(self, **over):
		v = {"magic": 0xdc3aae21371a60b3, "revision": 1,
		     "sysmemAddrOfRadix3Elf": self.addr("l0"), "sizeOfRadix3Elf": len(self.image),
		     "sysmemAddrOfBootloader": self.addr("bootloader"),
		     "sizeOfBootloader": self.bl_size,
		     "bootloaderCodeOffset": self.bl["monitor_code_offset"],
		     "bootloaderDataOffset": self.bl["monitor_data_offset"],
		     "bootloaderManifestOffset": self.bl["manifest_offset"],
		     "sysmemAddrOfSignature": self.addr("signature"), "sizeOfSignature": self.sig_size,
		     "nonWprHeapSize": self.nonwpr,
		     "gspFwHeapSize": heap_size(int(self.vram[:-1]) << 30), "frtsSize": MiB,
		     "vgaWorkspaceSize": 0x20000, "pmuReservedSize": self.pmu}
		v.update(over)
		b = bytearray(256)
		for name, off, size in booter.META:
			b[off:off + size] = v.get(name, 0).to_bytes(size, "little")
		return bytes(b)

	def params(self, **over):
		v = {"regkeys": 0, "target": 1, "descSize": 256, "descOffset": self.addr("meta"),
		     "isRmBoot": 1, "rmTarget": 2, "bootArgs": self.addr("libos")}
		v.update(over)
		b = bytearray(80)
		struct.pack_into("<QIIQQIB", b, 0, v["regkeys"], v["target"], v["descSize"],
				 v["descOffset"], 0, 0, v["isRmBoot"])
		struct.pack_into("<IIQ", b, 40, v["rmTarget"], 0, v["bootArgs"])
		return bytes(b)

	def frts_vidmem_offset(self):
		if self.pmu:
			return align_up(self.nonwpr + self.pmu, 2 * MiB)
		return self.nonwpr

	def cot(self, mctp=0xc0000000, nvdm=0x1410de7e, **over):
		v = {"version": self.version, "size": 860, "fmc": self.addr("fmc"),
		     "frtsSysmemOffset": 0, "frtsSysmemSize": 0,
		     "frtsVidmemOffset": self.frts_vidmem_offset(), "frtsVidmemSize": MiB,
		     "hash": self.sec["hash"], "publickey": self.sec["publickey"],
		     "signature": self.sec["signature"], "args": self.addr("params")}
		v.update(over)
		p = bytearray(860)
		struct.pack_into("<HHQQIQI", p, 0, v["version"], v["size"], v["fmc"],
				 v["frtsSysmemOffset"], v["frtsSysmemSize"], v["frtsVidmemOffset"],
				 v["frtsVidmemSize"])
		p[36:36 + len(v["hash"])] = v["hash"]
		p[84:84 + len(v["publickey"])] = v["publickey"]
		p[468:468 + len(v["signature"])] = v["signature"]
		struct.pack_into("<Q", p, 852, v["args"])
		return struct.pack("<II", mctp, nvdm) + bytes(p)

	def write_all(self):
		self.put(AT["fmc"], self.sec["image"])
		self.put(AT["meta"], self.meta())
		self.put(AT["params"], self.params())
		self.put(AT["bootloader"], self.bl_ucode)
		self.put(AT["signature"], self.sig)
		booter.write_gsp_memory(self, AT)
		gsprm.fresh(self, AT["gspmem"])


class Driver:
	"""The driver's side of the FSP and the GSP falcon."""

	def __init__(self, c):
		self.c = c

	def send(self, msg):
		"""EMEM from 0 with auto-increment, then QUEUE_TAIL = len - 4, QUEUE_HEAD = 0."""
		c = self.c
		c.w32(EMEMC, 1 << 24)
		for w in range(0, len(msg), 4):
			c.w32(EMEMD, struct.unpack_from("<I", msg, w)[0])
		c.w32(QTAIL, len(msg) - 4)
		c.w32(QHEAD, 0)

	def recv(self, polls=50):
		"""The message queue's reply, read from EMEM 0, both pointers cleared; or None."""
		c = self.c
		for _ in range(polls):
			head, tail = c.r32(MHEAD), c.r32(MTAIL)
			if head != tail:
				break
		else:
			return None
		size = tail - head + 4
		c.w32(EMEMC, 1 << 25)
		data = b"".join(struct.pack("<I", c.r32(EMEMD)) for _ in range(size // 4))
		c.w32(MTAIL, 0)
		c.w32(MHEAD, 0)
		return data

	def lockdown(self, args, polls=60):
		"""The release wait: ("released", reads of 0xbadf41xx), ("fmc error", MAILBOX0)
		or ("timeout", MAILBOX0)."""
		c = self.c
		masked = 0
		m0 = 0
		for _ in range(polls):
			hw = c.r32(GSP + 0xf4)
			if hw == 0 or hw & 0xffffff00 == 0xbadf4100:
				masked += 1
				continue
			m0 = c.r32(GSP + 0x40)
			if m0:
				if (c.r32(GSP + 0x44) << 32 | m0) != args:
					return "fmc error", m0
				continue
			if not hw & 1 << 13:
				return "released", masked
		return "timeout", m0

	def active(self):
		return self.c.r32(GSP2 + 0x388) >> 7 & 1

	def halted(self):
		return self.c.r32(GSP2 + 0x388) >> 4 & 1


def reply_fields(r):
	"""(mctp, nvdm, taskId, commandNvdmType, errorCode) of a 20-byte reply."""
	return struct.unpack("<5I", r) if r and len(r) == 20 else None


def run(tmp, env):
	check, start, Client = env["check"], env["start"], env["Client"]
	booter.TOP = env["TOP"]

	def have(chip):
		return all(os.path.exists(os.path.join(FW, "nvidia", chip, "gsp", "%s-570.144.bin" % n))
			   for n in ("fmc", "bootloader", "gsp"))

	for chip in CHIPS:
		if not have(chip):
			print("skip - FSP on %s: no firmware files in %s (tools/fw-fetch)" % (chip, FW),
			      flush=True)
			continue
		s = Setup(chip)
		try:
			cases(s, tmp, start, Client, check)
		finally:
			s.mem.close()
			os.close(s.fd)


def cases(s, tmp, start, Client, check):
	chip = s.chip

	def model(name, fault=0):
		p, sock, _ = start(tmp, name, "--chip", chip, "--vram", s.vram, "--firmware", FW)
		c = Client(sock)
		c.call(1, struct.pack("<HH", 0, 0) + b"{}\0")
		c.call(2, struct.pack("<IIQQQ", 32, 3, 0, GUEST, SIZE), [s.fd])
		c.write(7, 4, b"\x06\x00")
		if fault:
			c.w32(ENGINE_FAULT, fault)
		return p, c, Driver(c)

	def finish(p, c):
		c.sock.close()
		p.terminate()
		return booter_verdicts(p.communicate()[1])

	def fails(v):
		return [t for k, t in v if k == "fail"]

	def rm_boot(q, c):
		"""GSP-RM to GSP_INIT_DONE and its static info: (functions, name)."""
		info = bytearray(gsprm.system_info(c))
		struct.pack_into("<I", info, 80, 0x92000)
		q.send(72, bytes(info))
		q.send(73, gsprm.registry(False))
		got = q.recv_all(0.5)
		q.send(65, bytes(1656))
		m = q.recv()
		name = m[3][1260:1324].split(b"\0")[0].decode() if m and m[4] else ""
		return [g[1] for g in got], name

	def cot_boot(d, **over):
		d.send(s.cot(**over))
		return d.recv()

	# The happy path: I2CS_SCRATCH, the COT, the reply, the lockdown, GSP-RM, the unload, again.
	p, c, d = model("fsp-" + chip)
	check(c.r32(s.i2cs) == 0xff and d.halted() and not d.active(),
	      "%s FSP: NV_THERM_I2CS_SCRATCH (%#x) reads 0xff, its secure boot done; the GSP's "
	      "RISC-V core halted (HALTED_INIT), not active" % (chip, s.i2cs))
	rounds_ok = 0
	for n in range(10):
		q = gsprm.Queues(s, c)	# GspMem as before a boot
		r = reply_fields(cot_boot(d))
		qh, qt = c.r32(QHEAD), c.r32(QTAIL)
		mh, mt = c.r32(MHEAD), c.r32(MTAIL)
		state, masked = d.lockdown(s.addr("params"))
		act = d.active()
		fns, name = rm_boot(q, c)
		q.send(47, bytes(8))
		m = q.recv()
		mbox = c.r32(GSP + 0x40)
		hw = c.r32(GSP + 0xf4)
		down = m and m[1] == 47 and mbox >> 31 and not d.active() and d.halted() and \
			hw & 0xffffff00 != 0xbadf4100 and not hw & 1 << 13
		ok = (r == (0xc0000000, 0x1510de7e, 0, 0x14, 0) and qh == qt and (mh, mt) == (0, 0) and
		      state == "released" and masked > 0 and act and fns[-1:] == [4097] and
		      name == s.name and down)
		if n == 0:
			check(r == (0xc0000000, 0x1510de7e, 0, 0x14, 0),
			      "%s FSP: the COT answered: FSP_RESPONSE 0x1510de7e, commandNvdmType 0x14, "
			      "errorCode 0 (%s)" % (chip, r))
			check(qh == qt and (mh, mt) == (0, 0), "%s FSP: the command queue consumed "
			      "(HEAD = TAIL = %#x), the message queue cleared by the driver" % (chip, qt))
			check(state == "released" and masked > 0 and act,
			      "%s FMC: %d reads of 0xbadf41xx, then the lockdown released, MAILBOX0 0, "
			      "the RISC-V core active (%s)" % (chip, masked, state))
			check(fns[-1:] == [4097] and 4098 not in fns and name == s.name,
			      "%s GSP-RM: GSP_INIT_DONE without a sequencer (%s), gpuNameString \"%s\"" %
			      (chip, fns, name))
			check(down, "%s unload: UNLOADING_GUEST_DRIVER answered, MAILBOX0 bit 31 (%#x), the "
			      "RISC-V core halted and inactive, the priv mask released (HWCFG2 %#x)" %
			      (chip, mbox, hw))
		rounds_ok += ok
	check(rounds_ok == 10, "%s: ten boots and unloads on one model GPU (%d whole)" %
	      (chip, rounds_ok))
	# The test port's reset: everything as at power-on, and a boot again.
	c.w32(PORT_CTRL, 1)
	fresh_state = (c.r32(QHEAD), c.r32(QTAIL), c.r32(MHEAD), c.r32(MTAIL), d.active(),
		       c.r32(GSP + 0xf4) >> 13 & 1, c.r32(s.i2cs))
	gsprm.fresh(s, AT["gspmem"])
	r = reply_fields(cot_boot(d))
	state, _ = d.lockdown(s.addr("params"))
	check(fresh_state == (0, 0, 0, 0, 0, 0, 0xff) and r and r[4] == 0 and state == "released",
	      "%s: the test port's reset: queues 0, the core inactive, no lockdown, I2CS 0xff; "
	      "a COT boots again (%s)" % (chip, fresh_state))
	v = finish(p, c)
	texts = [t for _, t in v]
	check(not fails(v), "%s FSP: every verdict ok or a note%s" %
	      (chip, ": " + "; ".join(fails(v)[:3]) if fails(v) else ""))
	for want in ("FSP: COT MCTP header: 0xc0000000, ok", "FSP: COT NVDM header: 0x1410de7e, ok",
		     "FSP: COT version (offset 0x0): %d, ok" % s.version,
		     "FSP: COT gspFmcSysmemOffset (offset 0x4): %#x: ok" % s.addr("fmc"),
		     "FSP: COT hash384 (offset 0x24): ok", "FSP: COT publicKey (offset 0x54): ok",
		     "FSP: COT signature (offset 0x1d4): ok",
		     "FSP: COT frtsVidmemOffset (offset 0x18): %#x, ok" % s.frts_vidmem_offset(),
		     "FSP: GSP_FMC_BOOT_PARAMS gspRmParams.bootArgsOffset (offset 0x30): ok",
		     "FSP: WPR metadata at %#x: ok" % s.addr("meta"),
		     "FSP: WPR metadata radix3 at %#x: ok" % s.addr("l0"),
		     "FSP: COT accepted", "GSP: FMC: the lockdown released",
		     "GSP-RM: GSP_INIT_DONE posted", "GSP-RM: unloaded: "):
		check(any(t.startswith(want) for t in texts), "%s verdict: %s" % (chip, want))

	# Each wrong field: errorCode the model's, the verdict naming it, no boot.
	def wrong(what, code, expect, cot=None, setup=None, undo=None):
		p, c, d = model("fsp-wrong")
		if setup:
			setup()
		try:
			r = reply_fields(cot_boot(d, **(cot or {})))
			hw = c.r32(GSP + 0xf4)
			act = d.active()
			halted = d.halted()
		finally:
			if undo:
				undo()
		v = finish(p, c)
		f = fails(v)
		check(r and r[3] == 0x14 and r[4] == code and not act and halted and
		      hw & 0xffffff00 != 0xbadf4100 and any(expect in t for t in f) and
		      any(t.startswith("FSP: COT refused: error %d " % code) for t in f),
		      "%s %s: errorCode %s, the GSP not booted (halted), the verdict: %s" %
		      (chip, what, r and r[4], expect))

	wrong("MCTP header", 2, "COT MCTP header: 0x40000000, expected SOM", {"mctp": 0x40000000})
	wrong("NVDM header", 2, "COT NVDM header: 0x14aaaa7e, expected", {"nvdm": 0x14aaaa7e})
	wrong("version", 3, "COT version (offset 0x0): 7, expected", {"version": 7})
	wrong("size", 3, "COT size (offset 0x2): 859, expected 860", {"size": 859})
	wrong("FMC image address", 4, "COT gspFmcSysmemOffset (offset 0x4): %#x: differs from the "
	      "fmc file's image section at byte" % s.addr("l0"), {"fmc": s.addr("l0")})
	h = bytearray(s.sec["hash"])
	h[5] ^= 1
	wrong("hash384", 5, "COT hash384 (offset 0x24): differs from the fmc file's hash section, "
	      "zero-padded, at byte 0x5", {"hash": bytes(h)})
	wrong("publicKey", 5, "COT publicKey (offset 0x54): differs", {"publickey": b"\1" * 384})
	wrong("signature", 5, "COT signature (offset 0x1d4): differs", {"signature": b""})
	wrong("frtsSysmemOffset", 6, "COT frtsSysmemOffset (offset 0xc): 0x1000, expected 0",
	      {"frtsSysmemOffset": 0x1000})
	wrong("frtsSysmemSize", 6, "COT frtsSysmemSize (offset 0x14): 0x10, expected 0",
	      {"frtsSysmemSize": 0x10})
	wrong("frtsVidmemOffset", 6, "COT frtsVidmemOffset (offset 0x18): 0x100000, expected %#x" %
	      s.frts_vidmem_offset(), {"frtsVidmemOffset": MiB})
	wrong("frtsVidmemSize", 6, "COT frtsVidmemSize (offset 0x20): 0x200000, expected 0x100000",
	      {"frtsVidmemSize": 2 * MiB})
	wrong("boot parameters address", 7, "COT gspBootArgsSysmemOffset (offset 0x354): 0x1000: "
	      "GSP_FMC_BOOT_PARAMS (80 bytes) not readable", {"args": 0x1000})
	alt = AT["params"] + 0x100
	for name, over, expect in (
			("bootGspRmParams.target", {"target": 2}, "bootGspRmParams.target (offset 0x8) "
			 "is 0x2, expected 0x1"),
			("gspRmDescSize", {"descSize": 128}, "gspRmDescSize (offset 0xc) is 0x80, "
			 "expected 0x100"),
			("bIsGspRmBoot", {"isRmBoot": 0}, "bIsGspRmBoot (offset 0x24) is 0x0"),
			("gspRmParams.target", {"rmTarget": 1}, "gspRmParams.target (offset 0x28) is "
			 "0x1, expected 0x2"),
			("bootArgsOffset", {"bootArgs": 0x123}, "bootArgsOffset (offset 0x30) is 0x123, "
			 "not the address")):
		s.put(alt, s.params(**over))
		wrong("GSP_FMC_BOOT_PARAMS " + name, 7, expect, {"args": GUEST + alt})
	s.put(alt, s.params(regkeys=5))
	wrong("GSP_FMC_BOOT_PARAMS regkeys", 7, "initParams.regkeys (offset 0x0) is 0x5",
	      {"args": GUEST + alt})
	meta_alt = AT["meta"] + 0x100
	heap = heap_size(int(s.vram[:-1]) << 30)
	for name, over, code, expect in (
			("magic", {"magic": 0x1234}, 8, "magic 0x1234 (offset 0x0)"),
			("gspFwHeapSize", {"gspFwHeapSize": heap + MiB}, 8, "gspFwHeapSize at offset "
			 "0x80: %#x, expected %#x" % (heap + MiB, heap)),
			("nonWprHeapSize", {"nonWprHeapSize": 0x100000}, 8, "nonWprHeapSize at offset "
			 "0x68: 0x100000, expected %#x" % s.nonwpr),
			("gspFwOffset", {"gspFwOffset": 0x1000000}, 8, "gspFwOffset at offset 0x88: "
			 "0x1000000, expected 0x0"),
			("frtsSize", {"frtsSize": 0}, 8, "frtsSize at offset 0xa0: 0x0, expected 0x100000"),
			("pmuReservedSize", {"pmuReservedSize": 0x1000}, 8, "pmuReservedSize at offset "
			 "0xf4: 0x1000, expected"),
			("sizeOfRadix3Elf", {"sizeOfRadix3Elf": len(s.image) - PAGE}, 9,
			 "sizeOfRadix3Elf at offset 0x18"),
			("the bootloader", {"sysmemAddrOfBootloader": s.addr("signature")}, 9,
			 "WPR metadata bootloader at %#x: differs" % s.addr("signature"))):
		s.put(meta_alt, s.meta(**over))
		s.put(alt, s.params(descOffset=GUEST + meta_alt))
		wrong("WPR metadata " + name, code, expect, {"args": GUEST + alt})
	off = AT["image"] + 77 * PAGE + 3

	def flip():
		s.mem[off] ^= 0xff
	wrong("one byte of the GSP-RM image", 9, "WPR metadata radix3 at %#x: image page 77" %
	      s.addr("l0"), setup=flip, undo=flip)

	# A second COT while GSP-RM runs is refused; an unknown NVDM type is answered with an error.
	p, c, d = model("fsp-busy")
	r1 = reply_fields(cot_boot(d))
	d.lockdown(s.addr("params"))
	r2 = reply_fields(cot_boot(d))
	d.send(struct.pack("<IIIIII", 0xc0000000, 0x1310de7e, 0x0c, 0x02, 0x29, 0))
	r3 = reply_fields(d.recv())
	v = finish(p, c)
	check(r1 and r1[4] == 0 and r2 and r2[4] == 10 and r3 and r3[3] == 0x13 and r3[4] == 11 and
	      any("COT while the GSP runs GSP-RM" in t for t in fails(v)),
	      "%s FSP: a COT while GSP-RM runs refused (error 10), a PRC message (0x13) answered "
	      "with error 11 (%s, %s)" % (chip, r2, r3))

	# The engine faults 21 to 26.
	def notes(v, n):
		return any(t.startswith("FSP: hostile fault %d" % n) or
			   t.startswith("GSP: hostile fault %d" % n) for k, t in v if k == "note")

	p, c, d = model("fsp-21", 21)
	i2cs = [c.r32(s.i2cs) for _ in range(20)]
	v = finish(p, c)
	check(all(x != 0xff for x in i2cs) and not fails(v),
	      "%s engine fault 21: I2CS_SCRATCH never 0xff (%#x)" % (chip, i2cs[0]))
	p, c, d = model("fsp-22", 22)
	r = cot_boot(d)
	v = finish(p, c)
	check(r is None and notes(v, 22) and not fails(v),
	      "%s engine fault 22: the COT never answered" % chip)
	p, c, d = model("fsp-23", 23)
	r = reply_fields(cot_boot(d))
	hw = c.r32(GSP + 0xf4)
	act = d.active()
	v = finish(p, c)
	check(r and r[4] == 0xbad23 and hw & 0xffffff00 != 0xbadf4100 and not act and
	      notes(v, 23) and not fails(v),
	      "%s engine fault 23: errorCode 0xbad23, the GSP not booted" % chip)
	for n, want in ((24, ("timeout", s.addr("params") & 0xffffffff)),
			(25, ("fmc error", 0xbad25))):
		p, c, d = model("fsp-%d" % n, n)
		r = reply_fields(cot_boot(d))
		got = d.lockdown(s.addr("params"))
		hw = c.r32(GSP + 0xf4)
		act = d.active()
		v = finish(p, c)
		check(r and r[4] == 0 and got == want and hw >> 13 & 1 and not act and
		      notes(v, n) and not fails(v),
		      "%s engine fault %d: %s (%s), HWCFG2 bit 13 set, the core inactive" %
		      (chip, n, want[0], got))
	# A boot stuck in the lockdown is given up by the next COT once the fault is gone.
	p, c, d = model("fsp-24-again", 24)
	r1 = reply_fields(cot_boot(d))
	first = d.lockdown(s.addr("params"), polls=10)
	c.w32(ENGINE_FAULT, 0)
	gsprm.fresh(s, AT["gspmem"])
	r2 = reply_fields(cot_boot(d))
	second = d.lockdown(s.addr("params"))
	act = d.active()
	v = finish(p, c)
	check(r1 and r1[4] == 0 and first[0] == "timeout" and r2 and r2[4] == 0 and
	      second[0] == "released" and act and not fails(v) and
	      any("that boot is given up" in t for k, t in v if k == "note"),
	      "%s: after engine fault 24 is cleared a new COT boots the GSP (%s, %s)" %
	      (chip, first[0], second[0]))
	p, c, d = model("fsp-26", 26)
	r = reply_fields(cot_boot(d))
	got = d.lockdown(s.addr("params"))
	act = [d.active() for _ in range(20)]
	v = finish(p, c)
	check(r and r[4] == 0 and got[0] == "released" and not any(act) and notes(v, 26) and
	      not fails(v), "%s engine fault 26: released, MAILBOX0 0, the RISC-V core never "
	      "active" % chip)


def booter_verdicts(err):
	"""(kind, "ENGINE: text") of each verdict line."""
	import re
	out = []
	for line in err.splitlines():
		m = re.match(r"gpu-model [^ ]+: verdict (ok|note|fail) (.*)$", line)
		if m:
			out.append((m.group(1), m.group(2)))
	return out
