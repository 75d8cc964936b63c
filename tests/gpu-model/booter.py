# SPDX-License-Identifier: GPL-2.0
"""The GPU model's LIBOS hand-off, Booter and the GSP's RISC-V core, with
the driver played by hand from NVIDIA's firmware files (imported by
protocol.py, which gives it its client and its checks).

The test builds everything itself: the WPR metadata from tools/vbios-build's
layout (its own reading of Documentation/fb-layout.rst), the Booter load
map and signatures from tools/fw-describe and the files, the bootloader,
the signature and the radix3 tables of the GSP ELF's .fwimage, the LIBOS
page, its log buffers, GSP_ARGUMENTS_CACHED and the queues, all in one
memfd the model reaches by DMA."""

import json
import mmap
import os
import re
import struct
import subprocess

import gsprm

FW = os.path.join(os.environ.get("NOVA_CACHE") or
		  os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"),
			       "nova-cxx"), "firmware", "570.144")
GSP, GSP2, SEC2, SEC22 = 0x110000, 0x111000, 0x840000, 0x841000
WPR2_LO, WPR2_HI = 0x1fa824, 0x1fa828
PAGE = 0x1000

# Where the test puts things in guest memory (offsets in the memfd).
GUEST = 1 << 32				# its guest physical (DMA) address
SIZE = 80 << 20
AT = {"booter_load": 0x0, "booter_unload": 0x10000, "meta": 0x20000, "libos": 0x21000,
      "log": (0x30000, 0x40000, 0x50000), "rmargs": 0x60000, "gspmem": 0x100000,
      "bootloader": 0x200000, "signature": 0x210000, "l0": 0x220000, "l1": 0x221000,
      "l2": 0x230000, "fwsec": 0x280000, "image": 0x400000}

META = (("magic", 0, 8), ("revision", 8, 8), ("sysmemAddrOfRadix3Elf", 16, 8),
	("sizeOfRadix3Elf", 24, 8), ("sysmemAddrOfBootloader", 32, 8),
	("sizeOfBootloader", 40, 8), ("bootloaderCodeOffset", 48, 8),
	("bootloaderDataOffset", 56, 8), ("bootloaderManifestOffset", 64, 8),
	("sysmemAddrOfSignature", 72, 8), ("sizeOfSignature", 80, 8),
	("gspFwRsvdStart", 88, 8), ("nonWprHeapOffset", 96, 8), ("nonWprHeapSize", 104, 8),
	("gspFwWprStart", 112, 8), ("gspFwHeapOffset", 120, 8), ("gspFwHeapSize", 128, 8),
	("gspFwOffset", 136, 8), ("bootBinOffset", 144, 8), ("frtsOffset", 152, 8),
	("frtsSize", 160, 8), ("gspFwWprEnd", 168, 8), ("fbSize", 176, 8),
	("vgaWorkspaceOffset", 184, 8), ("vgaWorkspaceSize", 192, 8), ("bootCount", 200, 8),
	("gspFwHeapVfPartitionCount", 240, 1), ("flags", 241, 1), ("pmuReservedSize", 244, 4),
	("verified", 248, 8))


def describe(chip):
	"""fw-describe's reading of the chip's files: {file: {field: value}}."""
	out = subprocess.run([os.path.join(TOP, "tools", "fw-describe"), "--chip", chip, "--dir",
			      FW], check=True, capture_output=True, text=True).stdout
	files, cur = {}, None
	for line in out.splitlines():
		k, _, v = line.partition(" ")
		if k == "file":
			cur = files.setdefault(v, {})
		elif cur is not None:
			try:
				cur[k] = int(v, 0)
			except ValueError:
				cur[k] = v
	return files


def elf_section(data, name):
	"""(offset, size) of ELF64 section @name."""
	shoff, = struct.unpack_from("<Q", data, 0x28)
	shnum, shstrndx = struct.unpack_from("<HH", data, 0x3c)
	stroff, = struct.unpack_from("<Q", data, shoff + 64 * shstrndx + 24)
	for i in range(shnum):
		sh = shoff + 64 * i
		nm, = struct.unpack_from("<I", data, sh)
		end = data.index(b"\0", stroff + nm)
		if data[stroff + nm:end].decode() == name:
			return struct.unpack_from("<QQ", data, sh + 24)
	raise KeyError(name)


def write_gsp_memory(setup, at):
	"""What Booter or the FMC reads GSP-RM from, at @at's offsets: the image
	and its radix3 tables, the LIBOS page with its three logs and RMARGS, and
	GspMem's page table (setup has image, addr() and put())."""
	pages = (len(setup.image) + PAGE - 1) // PAGE
	setup.put(at["image"], setup.image)
	l2 = b"".join(struct.pack("<Q", setup.addr("image") + i * PAGE) for i in range(pages))
	setup.put(at["l2"], l2)
	l2pages = (len(l2) + PAGE - 1) // PAGE
	setup.put(at["l1"], b"".join(struct.pack("<Q", setup.addr("l2") + i * PAGE)
				     for i in range(l2pages)))
	setup.put(at["l0"], struct.pack("<Q", setup.addr("l1")))
	# LIBOS: three log buffers, RMARGS, the rest of the page zero.
	libos = bytearray(PAGE)
	names = (b"LOGINIT", b"LOGINTR", b"LOGRM", b"RMARGS")
	for i, name in enumerate(names):
		pa = setup.addr("rmargs") if i == 3 else setup.addr("log", i)
		size = 0x1000 if i == 3 else 0x10000
		struct.pack_into("<QQQBB", libos, 32 * i, int.from_bytes(name, "big"), pa, size, 1, 1)
		if i < 3:
			setup.put(at["log"][i], struct.pack("<Q", 0) + b"".join(
				struct.pack("<Q", pa + p * PAGE) for p in range(16)))
	setup.put(at["libos"], bytes(libos))
	shared = setup.addr("gspmem")
	args = bytearray(PAGE)
	struct.pack_into("<QQQQ", args, 0, shared, 129, 0x1000, 0x41000)
	args[48] = 1
	setup.put(at["rmargs"], bytes(args))
	setup.put(at["gspmem"], b"".join(struct.pack("<Q", shared + i * PAGE)
					 for i in range(129)))


class Setup:
	"""The files, the layout and guest memory laid out as a driver would."""

	def __init__(self, chip, vram, tmp):
		self.chip = chip
		self.vram = vram
		# Turing and GA100: the TU102 falcon HAL, and Booter makes WPR2 on GA100.
		self.tu102 = chip.startswith("tu") or chip == "ga100"
		self.files = describe(chip)
		d = os.path.join(FW, "nvidia", chip, "gsp")
		names = ("booter_load", "booter_unload", "bootloader", "gsp") + (
			("gen_bootloader",) if self.tu102 else ())
		self.raw = {n: open(os.path.join(d, "%s-570.144.bin" % n), "rb").read()
			    for n in names}
		bl, g = self.files["bootloader"], self.files["gsp"]
		blraw = self.raw["bootloader"]
		self.bl_ucode = blraw[bl["data_offset"]:bl["data_offset"] + bl["data_size"]]
		self.bl_size = (len(self.bl_ucode) + PAGE - 1) // PAGE * PAGE
		self.app_version = bl["app_version"]
		elf = self.raw["gsp"]
		io, isz = elf_section(elf, ".fwimage")
		so, ssz = elf_section(elf, g["signature_section"])
		self.image = elf[io:io + isz]
		self.sig = elf[so:so + ssz]
		self.sig_size = (ssz + PAGE - 1) // PAGE * PAGE
		want = json.loads(subprocess.run(
			[os.path.join(TOP, "tools", "vbios-build"), "--chip", chip, "--vram", vram,
			 "--gsp-firmware", "%#x,%#x,%#x,%#x,%#x,%#x" % (
				 self.bl_size, isz, self.sig_size, bl["monitor_code_offset"],
				 bl["monitor_data_offset"], bl["manifest_offset"]),
			 "--describe", "-o", os.path.join(tmp, chip + ".rom")],
			check=True, capture_output=True, text=True).stdout)
		self.rom = os.path.join(tmp, chip + ".rom")
		try:
			self.fwsec_frts = bytes.fromhex(want.get("fwsec_frts") or "")
		except ValueError:
			self.fwsec_frts = b""	# "unavailable", or "not needed" (GA100)
		self.layout = {l.split()[0]: (int(l.split()[1], 16), int(l.split()[2], 16))
			       for l in want["fb_layout"].splitlines()}
		self.meta_values = {}
		for l in want["wpr_meta"].splitlines():
			k, v = l.split()
			self.meta_values[k] = None if v == "bus" else int(v, 16)

		self.fd = os.memfd_create("guest")
		os.ftruncate(self.fd, SIZE)
		self.mem = mmap.mmap(self.fd, SIZE)
		self.write_all()

	def addr(self, what, i=None):
		return GUEST + (AT[what] if i is None else AT[what][i])

	def booter(self, name, sig_index=None):
		"""The HS file's ucode with a signature patched in (the fuse's by default)."""
		f, raw = self.files[name], self.raw[name]
		ucode = bytearray(raw[f["data_offset"]:f["data_offset"] + f["data_size"]])
		i = f["sig_index"] if sig_index is None else sig_index
		s = f["sig_prod_offset"] + f["patch_sig"] + i * f["sig_size"]
		ucode[f["patch_loc"]:f["patch_loc"] + f["sig_size"]] = raw[s:s + f["sig_size"]]
		return bytes(ucode)

	def put(self, off, data):
		self.mem[off:off + len(data)] = data

	def meta(self, **override):
		b = bytearray(256)
		v = dict(self.meta_values)
		v["sysmemAddrOfRadix3Elf"] = self.addr("l0")
		v["sysmemAddrOfBootloader"] = self.addr("bootloader")
		v["sysmemAddrOfSignature"] = self.addr("signature")
		v.update(override)
		for name, off, size in META:
			b[off:off + size] = v[name].to_bytes(size, "little")
		return bytes(b)

	def write_all(self):
		for n in ("booter_load", "booter_unload"):
			self.put(AT[n], self.booter(n))
		self.put(AT["meta"], self.meta())
		self.put(AT["bootloader"], self.bl_ucode)
		self.put(AT["signature"], self.sig)
		write_gsp_memory(self, AT)
		self.put(AT["gspmem"] + 0x1000, struct.pack("<IIIIIIII", 0, 0x40000, 0x1000, 0x3f,
							    0, 1, 0x20, 0x1000))


class Driver:
	"""The driver's side of the falcons, through a protocol.py Client; @tu102:
	the TU102 HAL (scrub status in DMACTL, no core select, PIO loads, no boot
	ROM registers, the RISC-V status in RISCV_CORE_SWITCH_RISCV_STATUS)."""

	def __init__(self, c, tu102=False):
		self.c = c
		self.tu102 = tu102

	def reset(self, f, f2):
		c = self.c
		c.w32(f + 0x3c0, 1)
		c.w32(f + 0x3c0, 0)
		if self.tu102:
			while c.r32(f + 0x10c) & 6:
				pass
			return
		while c.r32(f + 0xf4) & 1 << 12:
			pass
		c.w32(f2 + 0x668, 0)

	def active(self):
		"""The GSP's RISC-V core active, as the HAL reads it."""
		if self.tu102:
			return self.c.r32(GSP2 + 0x240) & 1
		return self.c.r32(GSP2 + 0x388) >> 7 & 1

	def pio(self, f, imem, dst, data, secure=False, tag=None):
		"""PIO through port 0 with auto-increment; IMEM blocks tagged from @tag
		(dst / 256 by default)."""
		c = self.c
		if imem:
			c.w32(f + 0x180, dst | 1 << 24 | (1 << 28 if secure else 0))
			first = dst >> 8 if tag is None else tag
			for n in range(0, len(data), 256):
				c.w32(f + 0x188, first + n // 256)
				for w in range(n, min(n + 256, len(data)), 4):
					c.w32(f + 0x184, struct.unpack_from("<I", data, w)[0])
		else:
			c.w32(f + 0x1c0, dst | 1 << 24)
			for w in range(0, len(data), 4):
				c.w32(f + 0x1c4, struct.unpack_from("<I", data, w)[0])

	def load_booter_pio(self, s, name):
		"""SEC2 under the TU102 HAL: the OS code at IMEM os_code_offset, app 0
		secure at its own offset, the OS data at DMEM 0, BOOTVEC the OS code."""
		c, f = self.c, s.files[name]
		u = s.booter(name)
		self.reset(SEC2, SEC22)
		c.w32(SEC2 + 0x624, 1 << 7)
		c.w32(SEC2 + 0x10c, 0)
		self.pio(SEC2, True, f["os_code_offset"], u[:f["os_code_size"]])
		a = f["app0_offset"]
		self.pio(SEC2, True, a, u[a:a + f["app0_len"]], secure=True)
		d = f["os_data_offset"]
		self.pio(SEC2, False, 0, u[d:d + f["os_data_size"]])
		c.w32(SEC2 + 0x104, f["os_code_offset"])

	def boot(self, f, m0, m1):
		c = self.c
		c.w32(f + 0x40, m0)
		c.w32(f + 0x44, m1)
		c.w32(f + 0x100, 2)
		return c.r32(f + 0x100) & 0x10, c.r32(f + 0x40)

	def load_booter(self, s, name, base):
		"""SEC2: reset, the DMA load of Booter's ucode at @base, the boot ROM."""
		if self.tu102:
			return self.load_booter_pio(s, name)
		c, f = self.c, s.files[name]
		self.reset(SEC2, SEC22)
		c.w32(SEC2 + 0x624, 1 << 7)
		c.w32(SEC2 + 0x10c, 0)
		c.w32(SEC2 + 0x600, 1 | 4)

		def dma(src, dst, length, cmd):
			c.w32(SEC2 + 0x110, ((base + src) >> 8) & 0xffffffff)
			c.w32(SEC2 + 0x128, (base + src) >> 40)
			for pos in range(0, (length + 255) // 256 * 256, 256):
				c.w32(SEC2 + 0x114, dst + pos)
				c.w32(SEC2 + 0x11c, pos)
				c.w32(SEC2 + 0x118, cmd)
		dma(f["app0_offset"], 0, f["app0_len"], 0x614)
		dma(f["os_data_offset"], 0, f["os_data_size"], 0x600)
		c.w32(SEC22 + 0x210, f["patch_loc"] - f["os_data_offset"])
		c.w32(SEC22 + 0x19c, f["engine_id_mask"])
		c.w32(SEC22 + 0x198, f["ucode_id"])
		c.w32(SEC22 + 0x180, 1)
		c.w32(SEC2 + 0x104, f["app0_offset"])

	def wpr2(self, s):
		"""WPR2 as FWSEC-FRTS leaves it, through the test port."""
		lo, hi = s.layout["frts"]
		self.c.w32(0xfff004, WPR2_LO)
		self.c.w32(0xfff008, (lo >> 12) << 4)
		self.c.w32(0xfff008, (hi >> 12) << 4)

	def gsp_boot(self, s, meta_at=None, libos=True):
		"""The boot after FWSEC-FRTS: the LIBOS hand-off, booter_load, OS.
		(halted, SEC2 MAILBOX0, RISC-V active)."""
		c = self.c
		self.reset(GSP, GSP2)
		if libos:
			la = s.addr("libos")
			self.boot(GSP, la & 0xffffffff, la >> 32)
		self.load_booter(s, "booter_load", s.addr("booter_load"))
		m = s.addr("meta") if meta_at is None else meta_at
		halted, mbox = self.boot(SEC2, m & 0xffffffff, m >> 32)
		c.w32(GSP + 0x80, s.app_version)
		return halted, mbox, self.active()

	def unload(self, s):
		"""booter_unload: (halted, MAILBOX0, WPR2_HI, RISC-V active)."""
		c = self.c
		self.load_booter(s, "booter_unload", s.addr("booter_unload"))
		halted, mbox = self.boot(SEC2, 0xff, 0xff)
		return halted, mbox, c.r32(WPR2_HI), self.active()


def run(tmp, env):
	"""env: protocol.py's check, start, Client, parse_verdicts and constants."""
	global TOP
	TOP = env["TOP"]
	check, start, Client = env["check"], env["start"], env["Client"]
	def have(chip):
		return all(os.path.exists(os.path.join(FW, "nvidia", chip, "gsp", "%s-570.144.bin" % n))
			   for n in ("booter_load", "booter_unload", "bootloader", "gsp"))
	if not have("ad102"):
		print("skip - Booter: no AD102 firmware files in %s (tools/fw-fetch)" % FW, flush=True)
		return
	s = None

	def model(name, *opts, firmware=True, chip=None):
		args = ["--chip", chip or s.chip, "--vram", "24G" if chip else s.vram]
		if firmware:
			args += ["--firmware", FW]
		p, sock, _ = start(tmp, name, *(args + list(opts)))
		c = Client(sock)
		c.call(1, struct.pack("<HH", 0, 0) + b"{}\0")
		c.call(2, struct.pack("<IIQQQ", 32, 3, 0, GUEST, SIZE), [s.fd])
		c.write(7, 4, b"\x06\x00")
		return p, c, Driver(c, tu102=s.tu102)

	def finish(p, c):
		"""(kind, "ENGINE: text") of each verdict."""
		c.sock.close()
		p.terminate()
		p.wait()
		v = []
		for line in p.stderr.read().splitlines():
			m = re.match(r"gpu-model [^ ]+: verdict (ok|note|fail) (.*)$", line)
			if m:
				v.append((m.group(1), m.group(2)))
		return v

	def fails(v):
		return [t.partition(": ")[2] for k, t in v if k == "fail"]

	for chip, vram in (("ga102", "24G"), ("ad102", "24G"), ("tu102", "8G"), ("ga100", "40G")):
		if not have(chip):
			print("skip - Booter on %s: no firmware files in %s" % (chip, FW), flush=True)
			continue
		s = Setup(chip, vram, tmp)
		whole_boot(s, model, finish, fails, check)
		gsprm.run(s, model, finish, fails, check, AT)
		if chip == "tu102":
			tu102_fwsec(s, model, finish, fails, check, env["MODEL"])
		s.mem.close()
		os.close(s.fd)

	# Wrong cases: each one fail verdict, SEC2's MAILBOX0 the model's code,
	# the RISC-V core inactive.
	def wrong(name, what, code, expect, setup=None, **boot):
		p, c, d = model(name)
		d.wpr2(s)
		if setup:
			setup(c, d)
		halted, mbox, active = d.gsp_boot(s, **boot)
		v = finish(p, c)
		f = fails(v)
		check(halted and mbox == code and not active and any(expect in t for t in f) and
		      any(t.startswith("Booter-load failed: error %d " % code) for t in f),
		      "%s: MAILBOX0 %d, RISC-V inactive, the verdict: %s" % (what, mbox, expect))

	s = Setup("ad102", "24G", tmp)
	meta_bad = s.addr("meta") + 0x100
	s.put(AT["meta"] + 0x100, s.meta(magic=0x1234))
	wrong("magic", "a WPR metadata magic", 8, "WPR metadata at %#x: magic 0x1234 (offset "
	      "0x0)" % meta_bad, meta_at=meta_bad)
	heap = s.meta_values["gspFwHeapSize"]
	s.put(AT["meta"] + 0x100, s.meta(gspFwHeapSize=heap + 0x100000))
	wrong("field", "gspFwHeapSize 1 MiB off", 8, "WPR metadata gspFwHeapSize at offset 0x80: "
	      "%#x, expected %#x" % (heap + 0x100000, heap), meta_at=meta_bad)
	off = AT["image"] + 1000 * PAGE + 5
	s.mem[off] ^= 0xff
	wrong("radix3", "one byte of image page 1000", 11, "image page 1000 at %#x differs from "
	      ".fwimage at byte %#x" % (GUEST + AT["image"] + 1000 * PAGE, 1000 * PAGE + 5))
	s.mem[off] ^= 0xff
	# The walk follows the tables: two image pages swapped, with their entries.
	a, b = AT["image"] + 7 * PAGE, AT["image"] + 9000 * PAGE
	la, lb = AT["l2"] + 7 * 8, AT["l2"] + 9000 * 8

	def swap(x, y, n):
		tmp = s.mem[x:x + n]
		s.mem[x:x + n] = s.mem[y:y + n]
		s.mem[y:y + n] = tmp
	swap(a, b, PAGE)
	swap(la, lb, 8)
	p, c, d = model("swapped")
	d.wpr2(s)
	halted, mbox, active = d.gsp_boot(s)
	v = finish(p, c)
	check(mbox == 0 and active and not fails(v), "radix3 with two image pages swapped in "
	      "memory and in level 2: booted (%s)" % fails(v)[:1])
	swap(la, lb, 8)
	wrong("unswapped", "two image pages swapped, level 2 not", 11, "image page 7 at %#x "
	      "differs from .fwimage" % (GUEST + a))
	swap(a, b, PAGE)
	s.put(AT["booter_load"], s.booter("booter_load", sig_index=1))
	wrong("signature", "booter_load with the other signature", 3, "booter_load DMEM: the "
	      "signature at DMEM 0x10 is signature 1, the fuse chooses signature 0")
	s.put(AT["booter_load"], s.booter("booter_load"))
	s.mem[AT["rmargs"] + 48] = 0
	wrong("rmargs", "bDmemStack 0", 12, "bDmemStack (offset 0x30) is 0x0, expected 0x1")
	s.mem[AT["rmargs"] + 48] = 1
	wrong("nolibos", "no LIBOS hand-off", 12, "LIBOS page: none", libos=False)

	def gsp_reset_after_handoff(c, d):
		d.reset(GSP, GSP2)
		la = s.addr("libos")
		d.boot(GSP, la & 0xffffffff, la >> 32)
		d.reset(GSP, GSP2)
	wrong("gspreset", "the GSP reset after the hand-off", 12, "LIBOS page: the GSP's "
	      "MAILBOX1:MAILBOX0 read 0x0, not the page of the hand-off", gsp_reset_after_handoff,
	      libos=False)

	def no_wpr2(c, d):
		c.w32(0xfff004, WPR2_LO)
		c.w32(0xfff008, 0)
		c.w32(0xfff008, 0)
	wrong("nowpr2", "booter_load before FWSEC-FRTS", 7, "booter_load WPR2: none", no_wpr2)

	p, c, d = model("os")
	d.wpr2(s)
	d.gsp_boot(s)
	c.w32(GSP + 0x80, s.app_version ^ 0x100)
	d.reset(SEC2, SEC22)
	halted, mbox = d.boot(SEC2, 0x1234, 0)
	v = finish(p, c)
	check(any(t == "OS register written %#x, the bootloader's app_version is %#x" %
		  (s.app_version ^ 0x100, s.app_version) for t in fails(v)),
	      "the GSP's OS register written with another value than app_version: a fail verdict")
	check(halted and mbox == 0x1234 and any(t.startswith(
		"started at BOOTVEC 0x100: unknown image (neither IMEM nor DMEM is booter_load's or "
		"booter_unload's)") for t in fails(v)),
	      "SEC2 started with nothing loaded: an unknown image, halted, MAILBOX0 untouched: %s"
	      % fails(v)[-1:])

	# Files that do not parse: the model says so and fails the check, it
	# does not read past them.
	def broken(cut, at=None, value=None):
		f = bytearray(s.raw["booter_load"][:cut])
		if at is not None:
			f[at:at + 4] = struct.pack("<I", value)
		return bytes(f)
	hs = s.files["booter_load"]["header_offset"]
	for cut, data in ((0x20, broken(0x20)),
			  (0x100, broken(1 << 20, 0x0c, 0x7ffffff0)),
			  (0x200, broken(1 << 20, hs + 0x08, 0xffffff00)),
			  (0x300, broken(1 << 20, hs + 0x1c, 0xfffffff0))):
		bad = os.path.join(tmp, "badfw%x" % cut)
		gsp = os.path.join(bad, "nvidia", "ad102", "gsp")
		os.makedirs(gsp)
		for n in ("booter_unload", "bootloader", "gsp"):
			os.symlink(os.path.join(FW, "nvidia", "ad102", "gsp", "%s-570.144.bin" % n),
				   os.path.join(gsp, "%s-570.144.bin" % n))
		with open(os.path.join(gsp, "booter_load-570.144.bin"), "wb") as f:
			f.write(data)
		p, c, d = model("badfw%x" % cut, "--firmware", bad, firmware=False)
		d.wpr2(s)
		halted, mbox, active = d.gsp_boot(s)
		v = finish(p, c)
		check(halted and mbox == 1 and not active and p.returncode == 0 and
		      any("the model cannot check the image: " in t for t in fails(v)),
		      "a broken booter_load (%#x): MAILBOX0 1, %s" % (cut, fails(v)[:1]))

	p, c, d = model("nofw", firmware=False)
	d.wpr2(s)
	halted, mbox, active = d.gsp_boot(s)
	v = finish(p, c)
	check(mbox == 1 and not active and any("the model cannot check the image: it was given no "
					       "firmware (--firmware)" in t for t in fails(v)),
	      "without --firmware: a fail verdict, the model cannot check Booter, MAILBOX0 1")

	# The engine faults of Booter: notes, not failures.
	def fault(n, unload=False):
		p, c, d = model("fault%d" % n)
		if not unload:
			c.w32(0xfff040, n)
		d.wpr2(s)
		r = d.gsp_boot(s)
		if unload:
			c.w32(0xfff040, n)
			r = d.unload(s)
		v = finish(p, c)
		notes = [t for k, t in v if k == "note" and t.startswith("SEC2: hostile fault %d: " % n)]
		return r, fails(v), notes

	(halted, mbox, active), f, notes = fault(8)
	check(halted and mbox == 0 and not active and not f and notes,
	      "engine fault 8: MAILBOX0 0, the RISC-V core never active, a note: %s" % notes)
	p, c, d = model("fault9")
	c.w32(0xfff040, 9)
	d.wpr2(s)
	halted, mbox, active = d.gsp_boot(s)
	halted2, mbox2, hi, active2 = d.unload(s)
	v = finish(p, c)
	notes = [t for k, t in v if k == "note" and t.startswith("SEC2: hostile fault 9: ")]
	check(halted and mbox == 0xbad9 and not active and not fails(v) and len(notes) == 1 and
	      mbox2 == 0 and hi == 0, "engine fault 9: booter_load halts with MAILBOX0 0xbad9 "
	      "(0x%x), a note; booter_unload after it still removes WPR2" % mbox)
	(halted, mbox, hi, active), f, notes = fault(10, unload=True)
	check(halted and mbox == 0 and hi != 0 and not f and notes,
	      "engine fault 10: booter_unload leaves WPR2 set (WPR2_ADDR_HI 0x%x), MAILBOX0 0, a "
	      "note" % hi)


def whole_boot(s, model, finish, fails, check):
	"""The boot, the unload and a second bind and unbind on one model of
	@s's chip: every verdict ok or a note, GSP-RM's image in VRAM."""
	p, c, d = model("booter-" + s.chip)
	ga100 = s.chip == "ga100"
	riscv = "RISCV_CORE_SWITCH_RISCV_STATUS bit 0" if s.tu102 else "RISCV_CPUCTL bit 7"
	if not ga100:
		d.wpr2(s)
	halted, mbox, active = d.gsp_boot(s)
	check(halted and mbox == 0 and active, "%s booter_load: SEC2 halted, MAILBOX0 0 (0x%x), "
	      "the GSP's RISC-V core active (%s)" % (s.chip, mbox, riscv))
	if ga100:
		ws, we = s.meta_values["gspFwWprStart"], s.meta_values["gspFwWprEnd"]
		lo, hi = c.r32(WPR2_LO), c.r32(WPR2_HI)
		check(lo == (ws >> 12) << 4 and hi == (we >> 12) << 4,
		      "ga100: booter_load without WPR2 makes it, gspFwWprStart %#x to gspFwWprEnd "
		      "%#x (WPR2_ADDR_LO %#x, WPR2_ADDR_HI %#x)" % (ws, we, lo, hi))
	# BAR1's memfd is the whole VRAM: GSP-RM's image is at gspFwOffset.
	_, _, fds = c.call(5, struct.pack("<IIIIQQ", 32, 0, 1, 0, 0, 0))
	elf = s.layout["elf"][0]
	vram = mmap.mmap(fds[0], 2 * PAGE, offset=elf, prot=mmap.PROT_READ)
	check(vram[:] == s.image[:2 * PAGE], "%s: GSP-RM's image in VRAM at gspFwOffset %#x" %
	      (s.chip, elf))
	vram.close()
	for fd in fds:
		os.close(fd)
	halted, mbox, hi, active = d.unload(s)
	check(halted and mbox == 0 and hi == 0 and c.r32(WPR2_LO) == 0 and not active,
	      "booter_unload: MAILBOX0 0 (0x%x), WPR2 gone (WPR2_ADDR_HI 0x%x), RISC-V inactive"
	      % (mbox, hi))
	if not ga100:
		d.wpr2(s)
	halted, mbox, active = d.gsp_boot(s)
	check(mbox == 0 and active, "a second bind on the same model: booted again")
	halted, mbox, hi, active = d.unload(s)
	check(mbox == 0 and hi == 0, "and unloaded again")
	v = finish(p, c)
	texts = [t for _, t in v]
	order = [t.split(":")[0] + ": " + t.split(": ")[1].split(" ")[0] for t in texts
		 if t.startswith(("GSP: started empty", "SEC2: Booter", "GSP: OS register"))]
	check(order[:3] == ["GSP: started", "SEC2: Booter-load", "GSP: OS"],
	      "%s: the verdicts in the order they were made, across engines: %s" %
	      (s.chip, order[:3]))
	check(not fails(v), "%s: every verdict of two binds and unbinds is ok or a note%s" %
	      (s.chip, ": " + "; ".join(fails(v)) if fails(v) else ""))
	tu102 = ("SEC2: booter_load IMEM non-secure: ok", "SEC2: booter_load IMEM tags: ok")
	for want in ("GSP: started empty (LIBOS hand-off): MAILBOX1:MAILBOX0 %#x, the LIBOS page, "
		     "recorded; halted" % s.addr("libos"),
		     "SEC2: booter_load IMEM: ok", "SEC2: booter_load DMEM: ok",
		     "SEC2: booter_load BOOTVEC: ok") + (
			     tu102 if s.tu102 else ("SEC2: booter_load BROM_PARAADDR(0): ok (0x10)",)) + (
		     "SEC2: booter_load WPR2: ok, none yet (GA100: Booter creates it)" if ga100 else
		     "SEC2: booter_load WPR2: ok, set up",
		     "SEC2: booter_load WPR metadata at %#x: ok" % s.addr("meta"),
		     "SEC2: booter_load bootloader at %#x: ok" % s.addr("bootloader"),
		     "SEC2: booter_load %s at %#x: ok" % (s.files["gsp"]["signature_section"],
							   s.addr("signature")),
		     "SEC2: booter_load radix3 at %#x: ok" % s.addr("l0"),
		     "SEC2: booter_load LIBOS entry 3 (page offset 0x60) RMARGS: ok",
		     "SEC2: booter_load LIBOS GSP_ARGUMENTS_CACHED",
		     "SEC2: booter_load LIBOS GspMem page table at %#x: ok" % s.addr("gspmem"),
		     "SEC2: booter_load LIBOS command queue header",
		     ("SEC2: Booter-load: WPR2 " if ga100 else "SEC2: Booter-load: GSP-RM's image (") +
		     ("" if ga100 else "%#x bytes) in VRAM at %#x" % (len(s.image), s.layout["elf"][0])),
		     "GSP: OS register written %#x: ok" % s.app_version,
		     "SEC2: booter_unload MAILBOX0, MAILBOX1: ok (0xff, 0xff)",
		     "SEC2: Booter-unload: WPR2 removed"):
		check(any(t.startswith(want) for t in texts), "%s verdict: %s" % (s.chip, want))



def fwsec_image(s, fw, dmem):
	"""FWSEC as the driver hands it to gen_bootloader: the ROM's ucode up to its
	DMEM, then @dmem (patched), in whole pages."""
	rom = open(s.rom, "rb").read()
	image = rom[fw["ucode"]:fw["ucode"] + fw["dmem_offset"]] + dmem
	return image + bytes(-len(image) % PAGE)


def run_gen_bootloader(c, d, s, fw, dmem, start_tag=None, ctx=True):
	"""The GSP under the TU102 HAL: reset, gen_bootloader's code at the top of
	IMEM's first 64 KiB by PIO, its descriptor at DMEM 0 pointing at FWSEC
	in guest memory, FBIF context 4, BOOTVEC, the start. (halted, MAILBOX0,
	WPR2_LO, WPR2_HI)."""
	s.put(AT["fwsec"], fwsec_image(s, fw, dmem))
	base = s.addr("fwsec")
	gb, raw = s.files["gen_bootloader"], s.raw["gen_bootloader"]
	code = raw[gb["data_offset"]:gb["data_offset"] + gb["code_size"]]
	code += bytes(-len(code) % 256)
	tag = gb["start_tag"] if start_tag is None else start_tag
	desc = bytes(32) + struct.pack("<IQIIIIIQIII", 4, base, fw["imem_ns_offset"],
				       fw["imem_ns_size"], fw["imem_sec_offset"],
				       fw["imem_sec_size"], 0, base + fw["dmem_offset"],
				       fw["dmem_load_size"], 0, 0)
	d.reset(GSP, GSP2)
	c.w32(GSP + 0x624, 1 << 7)
	c.w32(GSP + 0x10c, 0)
	d.pio(GSP, True, 0x10000 - len(code), code, tag=tag)
	d.pio(GSP, False, 0, desc)
	if ctx:
		c.w32(GSP + 0x610, (c.r32(GSP + 0x610) & ~7) | 1 | 4)
	c.w32(GSP + 0x104, tag * 256)
	c.w32(GSP + 0x40, 0)
	c.w32(GSP + 0x100, 2)
	return c.r32(GSP + 0x100) & 0x10, c.r32(GSP + 0x40), c.r32(WPR2_LO), c.r32(WPR2_HI)


def tu102_fwsec(s, model, finish, fails, check, model_path):
	"""Turing's whole bind and unbind: FWSEC-FRTS through gen_bootloader,
	Booter by PIO, FWSEC-SB and booter_unload; then gen_bootloader's own
	failures; then a model started as AD102 made a TU102 through the test
	port."""
	fw = json.loads(subprocess.run([model_path, "--describe-vbios", s.rom], check=True,
				       capture_output=True, text=True).stdout)["fwsec"]
	dmem = s.fwsec_frts
	fs, fe = s.layout["frts"]
	sb = bytearray(dmem)
	at = fw["dmemmapper"]["init_cmd_offset"]
	sb[at:at + 4] = struct.pack("<I", 0x19)

	def bind_unbind(c, d, who):
		halted, mbox, lo, hi = run_gen_bootloader(c, d, s, fw, dmem)
		check(halted and mbox == 0 and lo == (fs >> 12) << 4 and hi == (fe >> 12) << 4,
		      "%s: FWSEC-FRTS through gen_bootloader: MAILBOX0 0 (%#x), WPR2 over the FRTS "
		      "region %#x..%#x (WPR2_ADDR_LO %#x, WPR2_ADDR_HI %#x)" % (who, mbox, fs, fe, lo, hi))
		halted, mbox, active = d.gsp_boot(s)
		check(halted and mbox == 0 and active, "%s: booter_load by PIO: MAILBOX0 0, the RISC-V "
		      "core active in RISCV_CORE_SWITCH_RISCV_STATUS (0x111240 bit 0)" % who)
		halted, mbox, lo, hi = run_gen_bootloader(c, d, s, fw, bytes(sb))
		check(halted and mbox == 0 and hi == (fe >> 12) << 4,
		      "%s: FWSEC-SB through gen_bootloader: MAILBOX0 0, WPR2 in place" % who)
		halted, mbox, hi, active = d.unload(s)
		check(halted and mbox == 0 and hi == 0 and not active,
		      "%s: booter_unload by PIO: WPR2 gone, the RISC-V core inactive" % who)

	p, c, d = model("tu102-fwsec", "--vbios", s.rom)
	bind_unbind(c, d, "tu102")
	v = finish(p, c)
	texts = [t for _, t in v]
	check(not fails(v), "tu102: every verdict of FWSEC-FRTS, Booter, FWSEC-SB and the unload "
	      "ok or a note%s" % (": " + "; ".join(fails(v)) if fails(v) else ""))
	for want in ("GSP: started at BOOTVEC 0xfd00: gen_bootloader (0x200 bytes, start_tag 0xfd)",
		     "GSP: gen_bootloader IMEM at 0xfe00: ok", "GSP: gen_bootloader IMEM tags: ok",
		     "GSP: gen_bootloader BOOTVEC: ok (0xfd00", "GSP: gen_bootloader descriptor at "
		     "DMEM 0: ok", "GSP: gen_bootloader FBIF_TRANSCFG(4): ok",
		     "GSP: gen_bootloader DMA of FWSEC through context 4: non-secure code",
		     "GSP: started at BOOTVEC 0xfd00: gen_bootloader, then FWSEC (PROD, descriptor V2)",
		     "GSP: FWSEC IMEM at 0x0: ok", "GSP: FWSEC DMEM at 0x0: ok",
		     "GSP: FWSEC-FRTS: WPR2 %#x..%#x" % (fs, fe), "GSP: FWSEC-SB: nothing changed",
		     "SEC2: booter_load IMEM tags: ok"):
		check(any(t.startswith(want) for t in texts), "tu102 verdict: %s" % want)

	# gen_bootloader's failures: FWSEC does not run, WPR2 stays unset.
	def wrong(name, what, code, expect, bm=True, **kw):
		p, c, d = model(name, "--vbios", s.rom)
		if not bm:
			c.write(7, 4, b"\x02\x00")
		halted, mbox, lo, hi = run_gen_bootloader(c, d, s, fw, dmem, **kw)
		f = fails(finish(p, c))
		check(halted and mbox == code and hi == 0 and any(expect in t for t in f) and
		      any(t.startswith("gen_bootloader failed: error %d " % code) for t in f),
		      "%s: MAILBOX0 %d, no WPR2, the verdict: %s" % (what, mbox, expect))
	wrong("bl-tag", "gen_bootloader tagged from 0xfe, not its start_tag", 7,
	      "gen_bootloader IMEM tags: block 0xfe (IMEM 0xfe00) has tag 0xfe, expected 0xfd",
	      start_tag=0xfe)
	wrong("bl-ctx", "gen_bootloader without FBIF context 4", 7,
	      "gen_bootloader FBIF_TRANSCFG(4) is 0x0", ctx=False)
	wrong("bl-bm", "gen_bootloader with bus mastering off", 8,
	      "DMA of FWSEC's non-secure code (0x5a00 bytes from %#x to IMEM 0x0): bus mastering "
	      "is off" % s.addr("fwsec"), bm=False)

	# Engine fault 3: the bootloader's DMA never ends, the falcon never halts.
	p, c, d = model("bl-fault3", "--vbios", s.rom)
	c.w32(0xfff040, 3)
	halted, mbox, lo, hi = run_gen_bootloader(c, d, s, fw, dmem)
	v = finish(p, c)
	check(not halted and hi == 0 and not fails(v) and any(
		k == "note" and t.startswith("GSP: hostile fault 3: gen_bootloader's DMA") for k, t in v),
	      "engine fault 3 on the TU102 HAL: gen_bootloader's DMA never ends, no halt, a note")

	# The falcon DMA path refuses without bus mastering too.
	p, c, d = model("dma-bm", "--vbios", s.rom)
	c.write(7, 4, b"\x02\x00")
	c.w32(GSP + 0x624, 1 << 7)
	c.w32(GSP + 0x600, 1 | 4)
	c.w32(GSP + 0x110, s.addr("fwsec") >> 8)
	c.w32(GSP + 0x118, 0x610)
	f = fails(finish(p, c))
	check(any("bus mastering is off (PCI COMMAND bit 2), nothing read" in t for t in f),
	      "a DMATRFCMD transfer with bus mastering off: a fail verdict, nothing read")

	# An AD102 made a TU102 through the test port: its falcons the TU102 HAL's.
	p, c, d = model("ad102-as-tu102", chip="ad102")
	_, _, fds = c.call(5, struct.pack("<IIIIQQ", 32, 0, 0, 0, 0, 0))
	prom = mmap.mmap(fds[0], 1 << 20, offset=0x300000)
	rom = open(s.rom, "rb").read()
	prom[:] = bytes(1 << 20)
	prom[:len(rom)] = rom
	prom.close()
	for fd in fds:
		os.close(fd)
	before = c.r32(GSP2 + 0x668)
	regs = [(0x0, 0x162000a1), (0xa00, 0x162a1000), (0x100ce0, 8 << 4 | 10)]
	out = subprocess.run([os.path.join(TOP, "tools", "vbios-build"), "--chip", "tu102",
			      "--vram", s.vram, "--print-registers"], check=True,
			     capture_output=True, text=True).stdout
	regs += [tuple(int(x, 16) for x in l.split()) for l in out.splitlines()]
	for off, val in regs:
		c.w32(0xfff004, off)
		c.w32(0xfff008, val)
	check(before == 0x11 and c.r32(GSP2 + 0x668) == 0 and not c.r32(GSP + 0xf4) >> 31,
	      "an AD102 made a TU102 through the test port: no core select, no reset_ready (the "
	      "TU102 HAL)")
	bind_unbind(c, d, "ad102 made tu102")
	v = finish(p, c)
	check(not fails(v), "ad102 made tu102: every verdict ok or a note%s" %
	      (": " + "; ".join(fails(v)) if fails(v) else ""))
