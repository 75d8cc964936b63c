#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The GPU model's side of vfio-user, checked without QEMU: a small client
speaks the protocol (docs/interop/vfio-user.rst) to build/gpu-model/gpu-model
and checks each answer against the format and Documentation/gpu-model.rst.

  tests/gpu-model/protocol.py [MODEL]

Prints one line per check and ends with "N passed, M failed".
"""

import json
import mmap
import os
import re
import socket
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import booter  # noqa: E402
import fsp  # noqa: E402

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODEL = sys.argv[1] if len(sys.argv) > 1 else os.path.join(TOP, "build", "gpu-model",
							     "gpu-model")
VERSION, DMA_MAP, DMA_UNMAP, GET_INFO, REGION_INFO = 1, 2, 3, 4, 5
IRQ_INFO, SET_IRQS, REGION_READ, REGION_WRITE, RESET = 7, 8, 9, 10, 13
REPLY, NO_REPLY, ERROR = 1, 0x10, 0x20
CONFIG = 7
PORT_ADDR, PORT_DATA, PORT_CTRL, PORT_HOSTILE = 0xfff004, 0xfff008, 0xfff00c, 0xfff010
DMA_SRC, DMA_DST, DMA_LEN, DMA_GO = 0xfff020, 0xfff028, 0xfff030, 0xfff034
ENGINE_FAULT = 0xfff040

passed = failed = 0


def check(ok, what):
	global passed, failed
	print("%s - %s" % ("ok" if ok else "not ok", what), flush=True)
	if ok:
		passed += 1
	else:
		failed += 1


class Client:
	def __init__(self, path):
		self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
		self.sock.connect(path)
		self.sock.settimeout(10)
		self.id = 0

	def send(self, cmd, payload=b"", fds=(), flags=0):
		self.id += 1
		msg = struct.pack("<HHIII", self.id, cmd, 16 + len(payload), flags, 0) + payload
		if fds:
			socket.send_fds(self.sock, [msg], list(fds))
		else:
			self.sock.sendall(msg)
		return self.id

	def recv(self):
		"""(header tuple, payload, fds) of the next message."""
		data, fds, _, _ = socket.recv_fds(self.sock, 16, 4)
		while len(data) < 16:
			data += self.sock.recv(16 - len(data))
		mid, cmd, size, flags, err = struct.unpack("<HHIII", data)
		body = b""
		while len(body) < size - 16:
			chunk = self.sock.recv(size - 16 - len(body))
			if not chunk:
				raise EOFError
			body += chunk
		return (mid, cmd, size, flags, err), body, fds

	def call(self, cmd, payload=b"", fds=()):
		mid = self.send(cmd, payload, fds)
		hdr, body, rfds = self.recv()
		assert hdr[0] == mid and hdr[1] == cmd and hdr[3] & 0xf == REPLY, hdr
		return hdr, body, rfds

	def read(self, region, offset, count):
		hdr, body, _ = self.call(REGION_READ, struct.pack("<QII", offset, region, count))
		return body[16:] if not hdr[3] & ERROR else None

	def write(self, region, offset, data):
		hdr, _, _ = self.call(REGION_WRITE, struct.pack("<QII", offset, region, len(data)) + data)
		return hdr[4] if hdr[3] & ERROR else 0

	def r32(self, offset):
		return struct.unpack("<I", self.read(0, offset, 4))[0]

	def w32(self, offset, value):
		return self.write(0, offset, struct.pack("<I", value))


def parse_verdicts(out, engine=None):
	"""(kind, text) of each verdict line "gpu-model NAME: verdict KIND
	ENGINE: TEXT" in @out, of @engine's only when given."""
	found = []
	for line in out.splitlines():
		m = re.match(r"gpu-model [^ ]+: verdict (ok|note|fail) ([A-Z0-9-]+): (.*)$", line)
		if m and (engine is None or m.group(2) == engine):
			found.append((m.group(1), m.group(3)))
	return found


def start(tmp, name, *opts):
	sock = os.path.join(tmp, name + ".sock")
	proc = subprocess.Popen([MODEL, "--name", name, "--socket", sock] + list(opts),
				stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
	line = proc.stdout.readline()
	return proc, sock, line


def falcons(tmp):
	"""The falcons: reset and scrubbing, PIO and DMA loads, start and halt."""
	GSP, GSP2 = 0x110000, 0x111000
	p, s, _ = start(tmp, "f", "--chip", "ga102")
	c = Client(s)
	c.call(VERSION, struct.pack("<HH", 0, 0) + b"{}\0")
	check(c.r32(GSP + 0x12c) & 0x3f == 0x37 and c.r32(GSP + 0xf4) & (1 << 10),
	      "GA102 GSP: HWCFG1 core 7, heavy secure; HWCFG2 RISC-V")
	c.w32(GSP + 0x3c0, 1)
	c.w32(GSP + 0x3c0, 0)
	scrub = [c.r32(GSP + 0xf4) >> 12 & 1 for _ in range(4)]
	check(scrub == [1, 1, 0, 0], "reset: HWCFG2 scrubbing for two reads, then done")
	check(c.r32(GSP2 + 0x668) == 0x11, "after reset the RISC-V core is selected (BCR_CTRL)")
	c.w32(GSP2 + 0x668, 0)
	check(c.r32(GSP2 + 0x668) == 0x1, "core select: the falcon, and BCR_CTRL valid")

	mfd = os.memfd_create("guest")
	os.ftruncate(mfd, 1 << 20)
	guest = mmap.mmap(mfd, 1 << 20)
	guest[0x2000:0x2200] = bytes((i * 3 + 1) & 0xff for i in range(512))
	c.call(DMA_MAP, struct.pack("<IIQQQ", 32, 3, 0, 0x100000, 1 << 20), [mfd])
	c.write(CONFIG, 4, b"\x06\x00")
	c.w32(GSP + 0x110, 0x102000 >> 8)	# DMATRFBASE
	c.w32(GSP + 0x128, 0)
	c.w32(GSP + 0x114, 0x100)		# MOFFS
	c.w32(GSP + 0x11c, 0x100)		# FBOFFS
	c.w32(GSP + 0x118, 0x614)		# secure IMEM, 256 bytes: no DMA context set up
	c.w32(GSP + 0x624, 1 << 7)		# FBIF_CTL allow_phys_no_ctx
	c.w32(GSP + 0x600, 1 | 4)		# TRANSCFG[0]: coherent sysmem, physical
	c.w32(GSP + 0x118, 0x614)
	check(c.r32(GSP + 0x118) & 2, "DMATRFCMD idle after the transfer")
	c.w32(GSP + 0x180, 0x100 | 1 << 25)	# IMEMC, read auto-increment
	words = b"".join(struct.pack("<I", c.r32(GSP + 0x184)) for _ in range(64))
	check(words == bytes(guest[0x2100:0x2200]), "a DMA of 256 bytes into IMEM at 0x100")
	c.w32(GSP + 0x1c0, 0x40 | 1 << 24)	# DMEMC, write auto-increment
	for w in range(8):
		c.w32(GSP + 0x1c4, 0x1000 + w)
	c.w32(GSP + 0x1c0, 0x44 | 1 << 25)
	check(c.r32(GSP + 0x1c4) == 0x1001 and c.r32(GSP + 0x1c4) == 0x1002,
	      "DMEM by PIO, with auto-increment")
	c.w32(GSP + 0x104, 0x100)		# BOOTVEC
	c.w32(GSP + 0x100, 2)			# CPUCTL startcpu
	check(c.r32(GSP + 0x100) & 0x10, "started, the falcon halts (the model runs no firmware)")
	c.sock.close()
	p.terminate()
	p.wait()
	err = p.stderr.read()
	check("verdict fail GSP: IMEM DMA to 0x100 from 0x102100: DMA context 0 is not physical"
	      in err and "verdict fail GSP: started at BOOTVEC 0x100: unknown image" in err,
	      "the verdicts: a DMA without its context refused, the start reported")

	# The test port's engine faults: set, read back, cleared by power-on.
	trace = os.path.join(tmp, "fault.trace")
	p, s, _ = start(tmp, "fault", "--chip", "ga102", "--trace", trace)
	c = Client(s)
	c.call(VERSION, struct.pack("<HH", 0, 0) + b"{}\0")
	check(c.r32(ENGINE_FAULT) == 0, "PORT_ENGINE_FAULT: 0 at power-on")
	c.w32(ENGINE_FAULT, 2)
	check(c.r32(ENGINE_FAULT) == 2, "PORT_ENGINE_FAULT: 2 written, 2 read back")
	c.w32(GSP + 0x3c0, 1)
	c.w32(GSP + 0x3c0, 0)
	scrub = [c.r32(GSP + 0xf4) >> 12 & 1 for _ in range(8)]
	check(scrub == [1] * 8, "engine fault 2: after a reset HWCFG2 scrubbing never ends")
	c.w32(ENGINE_FAULT, 99)
	check(c.r32(ENGINE_FAULT) == 0, "PORT_ENGINE_FAULT: an unknown fault reads 0 (none)")
	c.w32(ENGINE_FAULT, 3)
	c.w32(PORT_CTRL, 1)
	check(c.r32(ENGINE_FAULT) == 0, "PORT_ENGINE_FAULT: PORT_CTRL 1 clears it")
	c.w32(ENGINE_FAULT, 1)
	c.w32(GSP + 0x104, 0x100)		# BOOTVEC
	c.w32(GSP + 0x100, 2)			# CPUCTL startcpu
	check(c.r32(GSP + 0x100) & 0x10 == 0, "engine fault 1: started, CPUCTL.halted stays 0")
	c.sock.close()
	p.terminate()
	p.wait()
	err = p.stderr.read()
	with open(trace) as f:
		text = f.read()
	check("verdict note GSP: hostile fault 1: started at BOOTVEC 0x100, never halts" in err and
	      "engine fault 1: the GSP falcon never halts after a start\n" in text and
	      "verdict note GSP: hostile fault 1: started at BOOTVEC 0x100, never halts\n" in text,
	      "engine fault 1: its trace lines and its verdict")


def fwsec_frts(tmp):
	"""FWSEC-FRTS on a GA102 with a vbios-build ROM, the driver played by
	hand: the GSP reset, IMEM and the patched DMEM loaded by DMA from guest
	memory, the boot ROM programmed, the start; WPR2, MAILBOX0, the FRTS
	error in SW_SCRATCH(0xe) and the verdicts. Then one DMEM byte wrong."""
	GSP, GSP2 = 0x110000, 0x111000
	WPR2_LO, WPR2_HI, SCRATCH_E = 0x1fa824, 0x1fa828, 0x001438
	FUSE = 0x8241c0 + 4 * (9 - 1)
	vbios_build = os.path.join(TOP, "tools", "vbios-build")
	rom = os.path.join(tmp, "ga102.rom")
	subprocess.run([vbios_build, "--chip", "ga102", "-o", rom], check=True,
		       capture_output=True)
	f = json.loads(subprocess.run([MODEL, "--describe-vbios", rom], check=True,
				      capture_output=True, text=True).stdout)["fwsec"]
	want = json.loads(subprocess.run([vbios_build, "--parse", rom, "--chip", "ga102", "--vram",
					  "24G", "--reg", "0x%x=0x3" % FUSE, "--describe"],
					 check=True, capture_output=True, text=True).stdout)
	frts = [l.split() for l in want["fb_layout"].splitlines() if l.startswith("frts ")][0]
	fs, fe = int(frts[1], 16), int(frts[2], 16)
	romb = open(rom, "rb").read()
	imem = romb[f["ucode"]:f["ucode"] + f["imem_load_size"]]
	dmem = bytes.fromhex(want["fwsec_frts"])
	check(len(imem) == f["imem_load_size"] and len(dmem) == f["dmem_load_size"] and
	      f["version"] == 3, "FWSEC-FRTS: the ROM's IMEM (0x%x bytes) and the builder's "
	      "patched DMEM (0x%x bytes), FRTS 0x%x..0x%x" % (len(imem), len(dmem), fs, fe))

	base, dmem_at = 0x100000, 0x10000
	mfd = os.memfd_create("guest")
	os.ftruncate(mfd, 1 << 20)
	guest = mmap.mmap(mfd, 1 << 20)

	def model(name):
		p, s, _ = start(tmp, name, "--chip", "ga102", "--vram", "24G", "--vbios", rom)
		c = Client(s)
		c.call(VERSION, struct.pack("<HH", 0, 0) + b"{}\0")
		c.call(DMA_MAP, struct.pack("<IIQQQ", 32, 3, 0, base, 1 << 20), [mfd])
		c.write(CONFIG, 4, b"\x06\x00")
		return p, c

	def verdicts(p, c):
		c.sock.close()
		p.terminate()
		p.wait()
		out = p.stderr.read() + p.stdout.read()
		kinds.clear()
		texts = []
		for kind, text in parse_verdicts(out, "GSP"):
			kinds[text] = kind
			texts.append(text)
		return out, texts

	kinds = {}

	WANT = ("started at BOOTVEC 0x0: FWSEC (PROD, descriptor V3)",
		"FWSEC IMEM at 0x0: ok",
		"FWSEC DMEM at 0x0: ok (the ROM's outside the patches)",
		"FWSEC FRTS command: ok, region 0x%x..0x%x" % (fs, fe),
		"FWSEC signature: ok, signature 2 at DMEM 0x%x (fuse 0x%x = 0x3, version 2)"
		% (f["pkc_data_offset"], FUSE),
		"FWSEC BROM_PARAADDR(0): ok (0x%x)" % f["pkc_data_offset"],
		"FWSEC BROM_ENGIDMASK: ok (0x400)", "FWSEC BROM_CURR_UCODE_ID: ok (0x9)",
		"FWSEC MOD_SEL: ok (0x1)",
		"FWSEC BOOTVEC 0x0: note, the descriptor's IMEM virtual base is 0x0 (same)",
		"FWSEC WPR2: ok, none yet",
		"FWSEC-FRTS: WPR2 0x%x..0x%x (WPR2_ADDR_LO 0x%x, WPR2_ADDR_HI 0x%x), "
		"MAILBOX0 0, halted" % (fs, fe, (fs >> 12) << 4, (fe >> 12) << 4))
	p, c = model("fw")
	check(c.r32(WPR2_LO) == 0 and c.r32(WPR2_HI) == 0 and c.r32(SCRATCH_E) == 0,
	      "FWSEC-FRTS: at power-on no WPR2, no FRTS error")

	def run_fwsec(dm):
		guest[0:len(imem)] = imem
		guest[dmem_at:dmem_at + len(dm)] = dm
		c.w32(GSP + 0x3c0, 1)			# ENGINE reset
		c.w32(GSP + 0x3c0, 0)
		while c.r32(GSP + 0xf4) & 1 << 12:	# HWCFG2 scrubbing
			pass
		c.w32(GSP2 + 0x668, 0)			# BCR_CTRL: the falcon core
		c.w32(GSP + 0x624, 1 << 7)		# FBIF_CTL allow_phys_no_ctx
		c.w32(GSP + 0x10c, 0)			# DMACTL
		c.w32(GSP + 0x600, 1 | 4)		# TRANSCFG[0]: coherent sysmem, physical
		c.w32(GSP + 0x110, base >> 8)
		c.w32(GSP + 0x128, 0)
		for pos in range(0, (len(imem) + 255) // 256 * 256, 256):
			c.w32(GSP + 0x114, f["imem_phys_base"] + pos)
			c.w32(GSP + 0x11c, pos)
			c.w32(GSP + 0x118, 0x614)
		c.w32(GSP + 0x110, (base + dmem_at) >> 8)
		for pos in range(0, (len(dm) + 255) // 256 * 256, 256):
			c.w32(GSP + 0x114, f["dmem_phys_base"] + pos)
			c.w32(GSP + 0x11c, pos)
			c.w32(GSP + 0x118, 0x600)
		c.w32(GSP2 + 0x210, f["pkc_data_offset"])	# BROM_PARAADDR(0)
		c.w32(GSP2 + 0x19c, f["engine_id_mask"])	# BROM_ENGIDMASK
		c.w32(GSP2 + 0x198, f["ucode_id"])		# BROM_CURR_UCODE_ID
		c.w32(GSP2 + 0x180, 1)				# MOD_SEL: RSA3K
		c.w32(GSP + 0x104, 0)				# BOOTVEC
		c.w32(GSP + 0x40, 0)				# MAILBOX0
		c.w32(GSP + 0x100, 2)				# CPUCTL startcpu
		return (c.r32(GSP + 0x100) & 0x10, c.r32(GSP + 0x40), c.r32(SCRATCH_E),
			c.r32(WPR2_LO), c.r32(WPR2_HI))

	halted, mbox, scratch, lo, hi = run_fwsec(dmem)
	check(halted and mbox == 0 and scratch >> 16 == 0,
	      "FWSEC-FRTS: halted, MAILBOX0 0, no FRTS error in SW_SCRATCH(0xe) (0x%x, 0x%x)" %
	      (mbox, scratch))
	check(lo == (fs >> 12) << 4 and hi == (fe >> 12) << 4 and (lo >> 4) << 12 == fs and
	      (hi >> 4) << 12 == fe, "FWSEC-FRTS: WPR2_LO 0x%x, WPR2_HI 0x%x: the FRTS region "
	      "0x%x..0x%x, its end exclusive" % (lo, hi, fs, fe))
	for r in (WPR2_LO, WPR2_HI, SCRATCH_E):
		c.w32(r, 0xffffffff)
	check((c.r32(WPR2_LO), c.r32(WPR2_HI), c.r32(SCRATCH_E)) == (lo, hi, scratch),
	      "WPR2 and SW_SCRATCH(0xe) ignore the driver's writes")
	c.write(CONFIG, 4, b"\x00\x00")
	c.call(RESET)
	c.write(CONFIG, 4, b"\x06\x00")
	check((c.r32(WPR2_LO), c.r32(WPR2_HI)) == (lo, hi), "WPR2 kept across a device reset")
	# FWSEC-SB (init_cmd 0x19), as before booter_unload: accepted, nothing changes.
	sb = bytearray(dmem)
	at = f["dmemmapper"]["init_cmd_offset"]
	sb[at:at + 4] = struct.pack("<I", 0x19)
	halted, mbox, scratch2, lo2, hi2 = run_fwsec(bytes(sb))
	check(halted and mbox == 0 and scratch2 == scratch and (lo2, hi2) == (lo, hi),
	      "FWSEC-SB with WPR2 in place: halted, MAILBOX0 0, WPR2 and SW_SCRATCH(0xe) as they "
	      "were")
	halted, mbox, scratch, lo2, hi2 = run_fwsec(dmem)
	check(halted and mbox == 6 and scratch >> 16 == 6 and (lo2, hi2) == (lo, hi),
	      "FWSEC-FRTS again: WPR2 already exists, error 6 in MAILBOX0 and SW_SCRATCH(0xe), "
	      "WPR2 untouched")
	err, v = verdicts(p, c)
	first = v[:[i for i, x in enumerate(v) if x.startswith("FWSEC-FRTS")][0] + 1]
	for want_v in WANT:
		want_k = "note" if want_v.startswith(("started", "FWSEC BOOTVEC")) else "ok"
		check(want_v in first and kinds.get(want_v) == want_k,
		      "verdict %s: %s" % (want_k, want_v))
	check(kinds.get("FWSEC SB command: ok (init_cmd 0x19, no FRTS region)") == "ok" and
	      kinds.get("FWSEC-SB: nothing changed, MAILBOX0 0, halted") == "ok",
	      "verdicts ok: FWSEC SB command, FWSEC-SB: nothing changed")
	check(any("FWSEC WPR2: already exists" in x for x in v) and
	      any(x.startswith("FWSEC-FRTS failed: error 6 (WPR2 already exists)") for x in v),
	      "verdict: WPR2 already exists, error 6")
	check("readonly_writes=3 " in err, "the three writes to WPR2 and the scratch counted")

	p, c = model("fw2")
	bad = bytearray(dmem)
	bad[0x10] ^= 0xff
	halted, mbox, scratch, lo, hi = run_fwsec(bytes(bad))
	check(halted and mbox == 2 and scratch >> 16 == 2 and (lo, hi) == (0, 0),
	      "FWSEC-FRTS with one DMEM byte wrong: error 2 in MAILBOX0 and SW_SCRATCH(0xe), no "
	      "WPR2 (0x%x, 0x%x)" % (mbox, scratch))
	c.w32(GSP + 0x104, 0x100)
	c.w32(GSP + 0x3c0, 1)
	c.w32(GSP + 0x3c0, 0)
	while c.r32(GSP + 0xf4) & 1 << 12:
		pass
	c.w32(GSP + 0x40, 0x1234)
	c.w32(GSP + 0x100, 2)
	check(c.r32(GSP + 0x100) & 0x10 and c.r32(GSP + 0x40) == 0x1234 and
	      c.r32(SCRATCH_E) >> 16 == 2 and c.r32(WPR2_HI) == 0,
	      "an empty start: halted, MAILBOX0 and SW_SCRATCH(0xe) as they were")
	err, v = verdicts(p, c)
	check("FWSEC DMEM at 0x0: differs from the ROM's at DMEM offset 0x10 (falcon DMEM 0x10)"
	      in v and any(x.startswith("FWSEC-FRTS failed: error 2 (DMEM is not the ROM's), "
					 "MAILBOX0 0x2, SW_SCRATCH(0xe) 0x20000") for x in v),
	      "verdict: the wrong DMEM byte at offset 0x10, error 2")
	check(v[-1] == "started empty (LIBOS hand-off): MAILBOX1:MAILBOX0 0x1234: not the address "
	      "of a 4 KiB page, halted" and kinds[v[-1]] == "fail",
	      "verdict fail: a scrubbed GSP started with 0x1234 in MAILBOX0: " + v[-1])

	# Power-on (PORT_CTRL 1, the verdicts with it) clears WPR2 and the scratch.
	p, c = model("fw3")
	halted, mbox, scratch, lo, hi = run_fwsec(dmem)
	c.w32(PORT_CTRL, 1)
	check(hi and (c.r32(WPR2_LO), c.r32(WPR2_HI), c.r32(SCRATCH_E)) == (0, 0, 0),
	      "PORT_CTRL 1 clears WPR2 and SW_SCRATCH(0xe)")
	verdicts(p, c)

	# Engine fault 7: every check passes, WPR2 1 MiB below the FRTS region.
	p, c = model("fw4")
	c.w32(ENGINE_FAULT, 7)
	halted, mbox, scratch, lo, hi = run_fwsec(dmem)
	low = fs - (1 << 20)
	check(halted and mbox == 0 and scratch >> 16 == 0 and lo == (low >> 12) << 4 and
	      hi == (fe >> 12) << 4, "engine fault 7: WPR2_LO 0x%x, WPR2_HI 0x%x: 1 MiB below "
	      "the FRTS region 0x%x..0x%x, MAILBOX0 0" % (lo, hi, fs, fe))
	err, v = verdicts(p, c)
	check("hostile fault 7: every check passed, WPR2 set 1 MiB below the FRTS region, at "
	      "0x%x" % low in v, "verdict: hostile fault 7")


def main():
	tmp = tempfile.mkdtemp(prefix="gpu-model-test.")
	rom = os.path.join(tmp, "rom")
	with open(rom, "wb") as f:
		f.write(bytes(range(256)) * 16)
	proc, sock, line = start(tmp, "g", "--chip", "ga100", "--vram", "40G", "--vbios", rom)
	check("listening on" in line and "10de:20b0" in line, "the first line: " + line.strip())
	c = Client(sock)

	hdr, body, _ = c.call(REGION_READ, struct.pack("<QII", 0, CONFIG, 4))
	check(hdr[3] & ERROR and hdr[4] == 22, "a command before VERSION: EINVAL")
	caps = b'{"capabilities":{"max_msg_fds":16,"max_data_xfer_size":1048576,"pgsizes":4096}}\0'
	hdr, body, _ = c.call(VERSION, struct.pack("<HH", 0, 0) + caps)
	major, minor = struct.unpack("<HH", body[:4])
	js = json.loads(body[4:-1].decode())
	check(major == 0 and minor == 0 and body[-1] == 0 and hdr[2] <= 16 + 4 + len(caps) and
	      js["capabilities"]["max_msg_fds"] == 8, "VERSION: 0.0, a NUL-terminated JSON "
	      "object no longer than the request")

	_, body, _ = c.call(GET_INFO, struct.pack("<IIII", 16, 0, 0, 0))
	check(struct.unpack("<IIII", body) == (16, 3, 9, 5), "DEVICE_GET_INFO: PCI, reset, 9 "
	      "regions, 5 interrupt indexes")

	_, body, fds = c.call(REGION_INFO, struct.pack("<IIIIQQ", 32, 0, 0, 0, 0, 0))
	argsz, flags, index, capoff, size, off = struct.unpack("<IIIIQQ", body[:32])
	check(argsz == 64 and flags == 0xf and size == 16 << 20 and len(body) == 32 and len(fds) == 1,
	      "REGION_INFO BAR0 with argsz 32: 16 MiB, MMAP|CAPS, argsz 64 asked for, one fd")
	for fd in fds:
		os.close(fd)
	_, body, fds = c.call(REGION_INFO, struct.pack("<IIIIQQ", 64, 0, 0, 0, 0, 0))
	cid, cver, cnext, nr, _, aoff, asize = struct.unpack("<HHIIIQQ", body[32:64])
	check((cid, cver, cnext, nr, aoff, asize) == (1, 1, 0, 1, 0x300000, 0x100000),
	      "BAR0's sparse mmap: the PROM window alone")
	prom = mmap.mmap(fds[0], 0x100000, offset=0x300000)
	check(prom[:16] == bytes(range(16)) and prom[4096:4100] == b"\0\0\0\0",
	      "the fd maps the ROM at the PROM window, zeros after it")
	for fd in fds:
		os.close(fd)
	for i, want_size, want_flags in ((1, 256 << 20, 7), (2, 0, 0), (3, 32 << 20, 7),
					 (5, 0, 0), (6, 0, 0), (7, 4096, 3)):
		_, body, fds = c.call(REGION_INFO, struct.pack("<IIIIQQ", 32, 0, i, 0, 0, 0))
		_, flags, _, _, size, _ = struct.unpack("<IIIIQQ", body[:32])
		check(size == want_size and flags == want_flags and len(fds) == (1 if flags & 4 else 0),
		      "REGION_INFO %d: size %#x flags %#x" % (i, size, flags))
		for fd in fds:
			os.close(fd)
	hdr, _, _ = c.call(REGION_INFO, struct.pack("<IIIIQQ", 32, 0, 9, 0, 0, 0))
	check(hdr[3] & ERROR and hdr[4] == 22, "REGION_INFO 9: EINVAL")

	cfg = c.read(CONFIG, 0, 4096)
	vendor, device = struct.unpack("<HH", cfg[:4])
	cls = int.from_bytes(cfg[9:12], "little")
	check((vendor, device, cls, cfg[0x3d]) == (0x10de, 0x20b0, 0x030200, 0),
	      "config: 10de:20b0, class 0x030200 (GA100), no interrupt pin")
	caps, at = [], cfg[0x34]
	while at:
		caps.append(cfg[at])
		at = cfg[at + 1]
	check(caps == [0x01, 0x05, 0x10] and cfg[0x7a] & 0xf0 == 0,
	      "capabilities: power management, MSI, PCI Express endpoint")
	c.write(CONFIG, 0x10, b"\xff\xff\xff\xff")
	c.write(CONFIG, 0x14, b"\xff\xff\xff\xff")
	bar0, bar1 = struct.unpack("<II", c.read(CONFIG, 0x10, 8))
	check(bar0 == 0xff000000 and bar1 == 0xf000000c, "BAR sizing: 16 MiB 32-bit, 256 MiB 64-bit "
	      "prefetchable")
	c.write(CONFIG, 0x00, b"\x00\x00\x00\x00")
	check(c.read(CONFIG, 0, 2) == b"\xde\x10", "the vendor id ignores writes")

	check(c.r32(0xa00) == 0x170a1000 and c.r32(0) == 0x170000a1, "BOOT_42 and BOOT_0 of a GA100")
	check(c.r32(0x100ce0) == (40960 >> 10) << 4 | 10, "LOCAL_MEMORY_RANGE: 40 GiB as 40 << 10 MiB")
	check(c.r32(0x118234) & 0xff == 0xff and c.r32(0x118128) & 1, "GFW boot complete")
	check(c.r32(0x820c04) == 1, "GA100's display fuse: no display")
	c.w32(0, 0x12345678)
	check(c.r32(0) == 0x170000a1, "BOOT_0 ignores writes")
	c.w32(0x1234, 0xcafe)
	check(c.r32(0x1234) == 0xcafe, "another register stores what is written")
	check(c.read(0, 0xa01, 2) == b"\x10\x0a", "a 2-byte read inside BOOT_42")
	check(c.read(0, 16 << 20, 4) is None, "a read past BAR0: an error")

	c.w32(PORT_ADDR, 0)
	c.w32(PORT_DATA, 0x192000a1)
	check(c.r32(0) == 0x192000a1, "the test port stores a read-only register")
	c.w32(PORT_ADDR, 0x300000)
	c.w32(PORT_DATA, 0xaa55aa55)
	check(prom[:4] == b"\x55\xaa\x55\xaa", "the test port writes the PROM window")
	c.w32(PORT_CTRL, 1)
	check(c.r32(0) == 0x170000a1 and c.r32(0x1234) == 0 and prom[:4] == bytes(range(4)),
	      "PORT_CTRL 1: the power-on state again")

	# DMA: a "guest memory" memfd, mapped at 1 MiB.
	mfd = os.memfd_create("guest")
	os.ftruncate(mfd, 1 << 20)
	guest = mmap.mmap(mfd, 1 << 20)
	guest[0:4096] = bytes((i * 5) & 0xff for i in range(4096))
	hdr, _, _ = c.call(DMA_MAP, struct.pack("<IIQQQ", 32, 3, 0, 0x100000, 1 << 20), [mfd])
	check(not hdr[3] & ERROR, "DMA_MAP of a memfd")
	hdr, _, _ = c.call(DMA_MAP, struct.pack("<IIQQQ", 32, 3, 0, 0x180000, 4096))
	check(hdr[3] & ERROR and hdr[4] == 17, "an overlapping DMA_MAP: EEXIST")

	def copy(src, dst, n):
		c.w32(DMA_SRC, src & 0xffffffff)
		c.w32(DMA_SRC + 4, src >> 32)
		c.w32(DMA_DST, dst & 0xffffffff)
		c.w32(DMA_DST + 4, dst >> 32)
		c.w32(DMA_LEN, n)
		c.w32(DMA_GO, 1)
		return c.r32(DMA_GO)
	check(copy(0x100000, 0x101000, 4096) == 1 and guest[4096] == 0,
	      "DMA with bus mastering off: EPERM, nothing written")
	c.write(CONFIG, 4, b"\x06\x00")
	check(copy(0x100000, 0x101000, 4096) == 0 and guest[4096:8192] == guest[0:4096],
	      "DMA with bus mastering on: a page copied")
	check(copy(0x100000 + (1 << 20) - 8, 0x102000, 16) == 14, "DMA past the mapping: EFAULT")
	hdr, _, _ = c.call(DMA_UNMAP, struct.pack("<IIQQ", 24, 0, 0x100000, 4096))
	check(hdr[3] & ERROR and hdr[4] == 2, "DMA_UNMAP of a range never mapped: ENOENT")
	hdr, _, _ = c.call(DMA_UNMAP, struct.pack("<IIQQ", 24, 0, 0x100000, 1 << 20))
	check(not hdr[3] & ERROR and copy(0x100000, 0x101000, 16) == 14,
	      "DMA_UNMAP: the range unreachable after it")

	mid = c.send(REGION_WRITE, struct.pack("<QII", 0x2000, 0, 4) + b"\x01\0\0\0", flags=NO_REPLY)
	hdr, body, _ = c.call(REGION_READ, struct.pack("<QII", 0x2000, 0, 4))
	check(hdr[0] == mid + 1 and body[16:] == b"\x01\0\0\0", "NO_REPLY: no reply, and the write "
	      "done before the next read")
	hdr, _, _ = c.call(99)
	check(hdr[3] & ERROR and hdr[4] == 38, "an unknown command: ENOSYS")
	hdr, _, _ = c.call(REGION_READ, b"\0" * 8)
	check(hdr[3] & ERROR and hdr[4] == 22, "a short payload: EINVAL")
	hdr, _, _ = c.call(RESET)
	check(not hdr[3] & ERROR and c.read(CONFIG, 4, 2) == b"\0\0", "DEVICE_RESET: COMMAND cleared")

	# A header that lies about its size ends the connection, with a line.
	c.sock.sendall(struct.pack("<HHIII", 77, REGION_READ, 8, 0, 0))
	proc.wait(timeout=10)
	err = proc.stderr.read()
	check(proc.returncode == 1 and "a message of 8 bytes" in err, "a header of 8 bytes: the "
	      "model ends with status 1 and says why")

	# The same hostile seed lies the same way; another seed otherwise.
	def boot0s(seed):
		p, s, _ = start(tmp, "h%d" % seed, "--chip", "ad102", "--hostile", str(seed))
		h = Client(s)
		h.call(VERSION, struct.pack("<HH", 0, 0) + b"{}\0")
		vals = [h.r32(0) for _ in range(200)] + [h.r32(0xa00) for _ in range(200)]
		h.w32(PORT_ADDR, 0)
		true = h.r32(PORT_DATA)
		h.sock.close()
		p.terminate()
		p.wait()
		return vals, true
	a, t = boot0s(7)
	b, _ = boot0s(7)
	d, _ = boot0s(8)
	check(a == b and a != d and t == 0x192000a1, "hostile seeds: the same seed lies the same "
	      "way, another seed another way, the port never lies")
	lies = 0
	for seed in range(1, 40):
		v, _ = boot0s(seed)
		lies += sum(x != v[0] for x in v[:200]) + sum(x != 0x192a1000 for x in v[200:])
	check(lies > 0, "hostile seeds 1 to 39 lie (%d lying reads of 15600)" % lies)

	falcons(tmp)
	fwsec_frts(tmp)
	env = {"TOP": TOP, "MODEL": MODEL, "check": check, "start": start, "Client": Client}
	booter.run(tmp, env)
	fsp.run(tmp, env)
	print("%d passed, %d failed" % (passed, failed))
	return 1 if failed else 0


if __name__ == "__main__":
	sys.exit(main())
