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
      "l2": 0x230000, "image": 0x400000}

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


class Setup:
	"""The files, the layout and guest memory laid out as a driver would."""

	def __init__(self, chip, vram, tmp):
		self.chip = chip
		self.files = describe(chip)
		d = os.path.join(FW, "nvidia", chip, "gsp")
		self.raw = {n: open(os.path.join(d, "%s-570.144.bin" % n), "rb").read()
			    for n in ("booter_load", "booter_unload", "bootloader", "gsp")}
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
		pages = (len(self.image) + PAGE - 1) // PAGE
		self.put(AT["image"], self.image)
		l2 = b"".join(struct.pack("<Q", self.addr("image") + i * PAGE) for i in range(pages))
		self.put(AT["l2"], l2)
		l2pages = (len(l2) + PAGE - 1) // PAGE
		self.put(AT["l1"], b"".join(struct.pack("<Q", self.addr("l2") + i * PAGE)
					    for i in range(l2pages)))
		self.put(AT["l0"], struct.pack("<Q", self.addr("l1")))
		# LIBOS: three log buffers, RMARGS, the rest of the page zero.
		libos = bytearray(PAGE)
		names = (b"LOGINIT", b"LOGINTR", b"LOGRM", b"RMARGS")
		for i, name in enumerate(names):
			pa = self.addr("rmargs") if i == 3 else self.addr("log", i)
			size = 0x1000 if i == 3 else 0x10000
			struct.pack_into("<QQQBB", libos, 32 * i, int.from_bytes(name, "big"), pa,
					 size, 1, 1)
			if i < 3:
				self.put(AT["log"][i], struct.pack("<Q", 0) + b"".join(
					struct.pack("<Q", pa + p * PAGE) for p in range(16)))
		self.put(AT["libos"], bytes(libos))
		shared = self.addr("gspmem")
		args = bytearray(PAGE)
		struct.pack_into("<QQQQ", args, 0, shared, 129, 0x1000, 0x41000)
		args[48] = 1
		self.put(AT["rmargs"], bytes(args))
		self.put(AT["gspmem"], b"".join(struct.pack("<Q", shared + i * PAGE)
						for i in range(129)))
		self.put(AT["gspmem"] + 0x1000, struct.pack("<IIIIIIII", 0, 0x40000, 0x1000, 0x3f,
							    0, 1, 0x20, 0x1000))


class Driver:
	"""The driver's side of the falcons, through a protocol.py Client."""

	def __init__(self, c):
		self.c = c

	def reset(self, f, f2):
		c = self.c
		c.w32(f + 0x3c0, 1)
		c.w32(f + 0x3c0, 0)
		while c.r32(f + 0xf4) & 1 << 12:
			pass
		c.w32(f2 + 0x668, 0)

	def boot(self, f, m0, m1):
		c = self.c
		c.w32(f + 0x40, m0)
		c.w32(f + 0x44, m1)
		c.w32(f + 0x100, 2)
		return c.r32(f + 0x100) & 0x10, c.r32(f + 0x40)

	def load_booter(self, s, name, base):
		"""SEC2: reset, the DMA load of Booter's ucode at @base, the boot ROM."""
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
		return halted, mbox, c.r32(GSP2 + 0x388) >> 7 & 1

	def unload(self, s):
		"""booter_unload: (halted, MAILBOX0, WPR2_HI, RISC-V active)."""
		c = self.c
		self.load_booter(s, "booter_unload", s.addr("booter_unload"))
		halted, mbox = self.boot(SEC2, 0xff, 0xff)
		return halted, mbox, c.r32(WPR2_HI), c.r32(GSP2 + 0x388) >> 7 & 1


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

	def model(name, *opts, firmware=True):
		args = ["--chip", s.chip, "--vram", "24G"]
		if firmware:
			args += ["--firmware", FW]
		p, sock, _ = start(tmp, name, *(args + list(opts)))
		c = Client(sock)
		c.call(1, struct.pack("<HH", 0, 0) + b"{}\0")
		c.call(2, struct.pack("<IIQQQ", 32, 3, 0, GUEST, SIZE), [s.fd])
		c.write(7, 4, b"\x06\x00")
		return p, c, Driver(c)

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

	for chip in ("ga102", "ad102"):
		if not have(chip):
			print("skip - Booter on %s: no firmware files in %s" % (chip, FW), flush=True)
			continue
		s = Setup(chip, "24G", tmp)
		whole_boot(s, model, finish, fails, check)
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
	d.wpr2(s)
	halted, mbox, active = d.gsp_boot(s)
	check(halted and mbox == 0 and active, "%s booter_load: SEC2 halted, MAILBOX0 0 (0x%x), "
	      "the GSP's RISC-V core active (RISCV_CPUCTL bit 7)" % (s.chip, mbox))
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
	for want in ("GSP: started empty (LIBOS hand-off): MAILBOX1:MAILBOX0 %#x, the LIBOS page, "
		     "recorded; halted" % s.addr("libos"),
		     "SEC2: booter_load IMEM: ok", "SEC2: booter_load DMEM: ok",
		     "SEC2: booter_load BROM_PARAADDR(0): ok (0x10)", "SEC2: booter_load BOOTVEC: ok",
		     "SEC2: booter_load WPR metadata at %#x: ok" % s.addr("meta"),
		     "SEC2: booter_load bootloader at %#x: ok" % s.addr("bootloader"),
		     "SEC2: booter_load %s at %#x: ok" % (s.files["gsp"]["signature_section"],
							   s.addr("signature")),
		     "SEC2: booter_load radix3 at %#x: ok" % s.addr("l0"),
		     "SEC2: booter_load LIBOS entry 3 (page offset 0x60) RMARGS: ok",
		     "SEC2: booter_load LIBOS GSP_ARGUMENTS_CACHED",
		     "SEC2: booter_load LIBOS GspMem page table at %#x: ok" % s.addr("gspmem"),
		     "SEC2: booter_load LIBOS command queue header",
		     "SEC2: Booter-load: GSP-RM's image (0x3c99000 bytes) in VRAM at %#x" %
		     s.layout["elf"][0],
		     "GSP: OS register written %#x: ok" % s.app_version,
		     "SEC2: booter_unload MAILBOX0, MAILBOX1: ok (0xff, 0xff)",
		     "SEC2: Booter-unload: WPR2 removed"):
		check(any(t.startswith(want) for t in texts), "%s verdict: %s" % (s.chip, want))

