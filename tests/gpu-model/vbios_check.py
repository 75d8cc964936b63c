#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The GPU model's own reading of the VBIOS (tools/gpu-model/vbios.cpp,
Documentation/gpu-model.rst "The VBIOS as the model reads it"), checked
against tools/vbios-build, which builds the ROMs and describes them by its
own reading:

- ROMs of tu102, ga100, ga102 and ad102, plain, behind IFR headers
  (versions 1 to 3), with DBG, PROD and both, with 0xaa55 FwSec images:
  `gpu-model --describe-vbios` against `vbios-build --describe`, field by
  field, and each FWSEC field against the ROM's bytes and the builder's
  documented layout;
- the DMEM checks: the DMEM vbios-build patches for FWSEC-FRTS (--vram,
  --reg for the fuse version) carries the FRTS command and region, the
  signature the fuse version chooses, and nothing else changed; unpatched,
  wrongly signed and altered DMEMs are told apart;
- broken ROMs (vbios-build --corrupt and --corrupt-fwsec, truncations,
  hand-made ones for each refusal) refused with status 2 and one line
  naming the structure and its offset; a mutation run of thousands of
  broken ROMs under the address and undefined-behaviour sanitizers.

  tests/gpu-model/vbios_check.py [MODEL]

Builds the model (make -C tools/gpu-model) unless MODEL is given, and the
sanitized driver tests/gpu-model/vbios_probe.cpp into build/gpu-model/test/.
Prints one line per check and ends with "N passed, M failed".
"""

import json
import os
import struct
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VBIOS_BUILD = os.path.join(TOP, "tools", "vbios-build")
MODEL = sys.argv[1] if len(sys.argv) > 1 else os.path.join(TOP, "build", "gpu-model",
							     "gpu-model")
PROBE_DIR = os.path.join(TOP, "build", "gpu-model", "test")
PROBE = os.path.join(PROBE_DIR, "vbios_probe")
PROBE_SRCS = [os.path.join(TOP, "tests", "gpu-model", "vbios_probe.cpp"),
	      os.path.join(TOP, "tools", "gpu-model", "vbios.cpp")]
PROBE_DEPS = PROBE_SRCS + [os.path.join(TOP, "tools", "gpu-model", "vbios.h")]

CODE_NAMES = {0x00: "PciAt", 0x03: "Efi", 0x70: "Nbsi", 0xe0: "FwSec"}
CHIPS = ("tu102", "ga100", "ga102", "ad102")
V3 = ("ga102", "ad102")
FUSE_GSP_UCODE9 = 0x8241c0 + 4 * (9 - 1)
VRAM = "24G"

passed = failed = 0


def check(ok, what):
	global passed, failed
	print("%s - %s" % ("ok" if ok else "not ok", what), flush=True)
	if ok:
		passed += 1
	else:
		failed += 1
	return ok


def run(*cmd):
	p = subprocess.run(cmd, capture_output=True)
	return p.returncode, p.stdout, p.stderr.decode(errors="replace")


def build():
	if len(sys.argv) <= 1:
		rc, out, err = run("make", "-s", "-C", os.path.join(TOP, "tools", "gpu-model"))
		if rc:
			sys.stderr.write(out.decode() + err)
			sys.exit("vbios_check: the model does not build")
	if os.path.exists(PROBE) and all(os.path.getmtime(PROBE) >= os.path.getmtime(s)
					 for s in PROBE_DEPS):
		return
	os.makedirs(PROBE_DIR, exist_ok=True)
	rc, out, err = run("g++", "-std=c++20", "-Wall", "-Wextra", "-Werror", "-D_GNU_SOURCE",
			   "-O1", "-g", "-fsanitize=address,undefined",
			   "-fno-sanitize-recover=all", "-fno-omit-frame-pointer",
			   "-I" + os.path.join(TOP, "tools", "gpu-model"), "-o", PROBE,
			   *PROBE_SRCS)
	if rc:
		sys.stderr.write(err)
		sys.exit("vbios_check: the sanitized probe does not build")


def vbios_build(*args):
	rc, out, err = run(VBIOS_BUILD, *args)
	if rc:
		sys.exit("vbios_check: vbios-build %s: %s" % (" ".join(args), err))
	return json.loads(out) if "--describe" in args else None


def describe(rom):
	"""(status, JSON, stderr) of gpu-model --describe-vbios, and the same
	through the sanitized probe, which must say the same."""
	rc, out, err = run(MODEL, "--describe-vbios", rom)
	prc, pout, perr = run(PROBE, "describe", rom)
	same = (rc, out, err) == (prc, pout, perr)
	try:
		js = json.loads(out)
	except ValueError:
		js = None
	return rc, js, err, same


def probe_check(rom, dmem, fuse):
	rc, out, err = run(PROBE, "check", rom, dmem, str(fuse))
	if rc:
		return None
	return json.loads(out)


def u16(b, o):
	return struct.unpack_from("<H", b, o)[0]


def u32(b, o):
	return struct.unpack_from("<I", b, o)[0]


def lines(text):
	return [l.split() for l in text.splitlines()]


def compare(name, rom_path, want):
	"""gpu-model's description of a good ROM against vbios-build's."""
	rc, got, err, same = describe(rom_path)
	check(same, "%s: gpu-model and the sanitized probe say the same" % name)
	if not check(rc == 0 and got and "fwsec" in got and not err,
		     "%s: read, status 0 (%s)" % (name, err.strip() or "no message")):
		return None
	rom = open(rom_path, "rb").read()
	images = [["offset", hex(i["offset"]), "type", CODE_NAMES.get(i["code_type"],
		   "0x%02x" % i["code_type"]), "length", hex(i["length"]), "signature",
		   "0x%04x" % i["signature"]] for i in got["images"]]
	check(images == lines(want["vbios_images"]),
	      "%s: the image chain (%d images) as vbios-build walks it" % (name, len(images)))
	tokens = [["id", "0x%02x" % t["id"], "version", str(t["version"]), "length",
		   hex(t["size"]), "pointer", hex(t["pointer"])] for t in got["bit_tokens"]]
	check(tokens == lines(want["bit_tokens"]), "%s: the %d BIT tokens" % (name, len(tokens)))
	check(got["vbios_version"] + "\n" == want["vbios_version"],
	      "%s: BIOSDATA version %s" % (name, got["vbios_version"]))
	last = got["images"][-1]
	check(want["vbios_size"] == last["offset"] + last["length"], "%s: the ROM's size" % name)

	f = got["fwsec"]
	line = "%s v%d imem 0x%x dmem 0x%x stored 0x%x\n" % (f["application_name"], f["version"],
							   f["imem_load_size"], f["dmem_load_size"],
							   f["stored_size"])
	check(line == want["fwsec"], "%s: FWSEC %s" % (name, line.strip()))

	# Each place the model names, against the bytes there.
	pciat = got["images"][0]
	falcon = [t for t in got["bit_tokens"] if t["id"] == 0x70][0]
	fw = [i for i in got["images"] if i["code_type"] == 0xe0]
	base = pciat["length"]
	table = fw[0]["offset"] + f["falcon_data"] - base if f["falcon_data"] - base < \
		fw[0]["length"] else fw[-1]["offset"] + f["falcon_data"] - base - fw[0]["length"]
	d = f["descriptor"]
	hdr = u32(rom, d)
	entries = [(rom[f["pmu_table"] + rom[f["pmu_table"] + 1] + i * rom[f["pmu_table"] + 2]],
		    u32(rom, f["pmu_table"] + rom[f["pmu_table"] + 1] +
			i * rom[f["pmu_table"] + 2] + 2)) for i in range(rom[f["pmu_table"] + 3])]
	check(u32(rom, pciat["offset"] + falcon["pointer"]) == f["falcon_data"] and
	      table == f["pmu_table"] and (f["application"], f["descriptor_pointer"]) in entries and
	      fw[-1]["offset"] + f["descriptor_pointer"] - base - fw[0]["length"] == d and
	      f["image_end"] == fw[-1]["offset"] + fw[-1]["length"],
	      "%s: falcon data 0x%x, PMU lookup table at 0x%x, descriptor at 0x%x" %
	      (name, f["falcon_data"], f["pmu_table"], d))
	check(hdr == f["descriptor_size"] << 16 | f["version"] << 8 | 1 and
	      f["ucode"] == d + f["descriptor_size"] and
	      f["stored_size"] == f["imem_load_size"] + f["dmem_load_size"],
	      "%s: descriptor header 0x%08x, ucode at 0x%x" % (name, hdr, f["ucode"]))
	if f["version"] == 2:
		fields = [u32(rom, d + o) for o in range(4, 0x3c, 4)]
		check(fields == [f[k] for k in (
			"stored_size", "uncompressed_size", "virtual_entry", "interface_offset",
			"imem_phys_base", "imem_load_size", "imem_virt_base", "imem_sec_base",
			"imem_sec_size", "dmem_offset", "dmem_phys_base", "dmem_load_size",
			"alt_imem_load_size", "alt_dmem_load_size")] and
		      f["descriptor_size"] == 0x3c and
		      f["imem_ns_size"] == f["imem_load_size"] - 0x1000 and
		      f["imem_sec_offset"] == f["imem_load_size"] - 0x1000 and
		      f["imem_sec_size"] == 0x1000 and f["dmem_offset"] == f["imem_load_size"],
		      "%s: V2 descriptor: every field, the secure IMEM part the last 0x1000 "
		      "bytes" % name)
	else:
		fields = list(struct.unpack_from("<IIIIIIIIHBBH", rom, d + 4))
		check(fields == [f[k] for k in (
			"stored_size", "pkc_data_offset", "interface_offset", "imem_phys_base",
			"imem_load_size", "imem_virt_base", "dmem_phys_base", "dmem_load_size",
			"engine_id_mask", "ucode_id", "signature_count", "signature_versions")] and
		      f["dmem_offset"] == f["imem_load_size"] and
		      f["signatures"] == d + 0x2c and f["signature_size"] == 384,
		      "%s: V3 descriptor: every field, the signatures after it" % name)
		# The builder's documented values (Documentation/vbios-images.rst).
		check((f["pkc_data_offset"], f["engine_id_mask"], f["ucode_id"],
		       f["signature_count"], f["signature_versions"], f["descriptor_size"]) ==
		      (0x600, 0x400, 9, 3, 7, 0x2c + 3 * 384),
		      "%s: PKC offset 0x600, GSP, ucode id 9, 3 signatures, versions 0x7" % name)
		check(f["fuse_register"] == FUSE_GSP_UCODE9,
		      "%s: the fuse register 0x%x (GSP, ucode id 9)" % (name, f["fuse_register"]))
	a, m = f["appif"], f["dmemmapper"]
	check((a["offset"], a["version"], a["header_size"], a["entry_size"], a["entry_count"]) ==
	      (0x100, 1, 4, 8, 2) and
	      (m["offset"], m["signature"], m["version"], m["size"], m["cmd_in_offset"],
	       m["cmd_in_size"], m["cmd_out_offset"], m["cmd_out_size"], m["init_cmd"],
	       m["init_cmd_offset"]) ==
	      (0x200, 0x50414d44, 3, 64, 0x300, 0x100, 0x400, 0x80, 0x19, 0x22c),
	      "%s: the application interface table at DMEM 0x100, the DMEM mapper at 0x200 "
	      "(command in 0x300, out 0x400, init_cmd 0x19)" % name)
	return got


def dmem_of(rom_path, f):
	rom = open(rom_path, "rb").read()
	start = f["ucode"] + f["dmem_offset"]
	return bytearray(rom[start:start + f["dmem_load_size"]])


def patch(dmem, f, start, size, sig=None):
	"""What fb-layout.rst says the driver writes into DMEM."""
	m = f["dmemmapper"]
	d = bytearray(dmem)
	struct.pack_into("<I", d, m["init_cmd_offset"], 0x15)
	struct.pack_into("<IIQIIIIIII", d, m["cmd_in_offset"], 1, 24, 0, 0, 2, 1, 20,
			 start >> 12, size >> 12, 2)
	if sig is not None:
		d[f["pkc_data_offset"]:f["pkc_data_offset"] + 384] = sig
	return bytes(d)


def write(tmp, name, data):
	path = os.path.join(tmp, name)
	with open(path, "wb") as fp:
		fp.write(data)
	return path


def dmem_checks(tmp, chip, rom_path, js):
	"""The DMEM the builder patches for FWSEC-FRTS, and what is not it."""
	name = chip
	f = js["fwsec"]
	rom = open(rom_path, "rb").read()
	plain = dmem_of(rom_path, f)
	signed = f["version"] == 3
	sigs = [rom[f["signatures"] + 384 * i:f["signatures"] + 384 * (i + 1)]
		for i in range(f.get("signature_count", 0))]
	if chip == "ga100":
		# GA100 has an empty FRTS region: the builder patches nothing.
		# Patch as fb-layout.rst says and check that instead.
		start, size = 0x9ff00000, 1 << 20
		dm = write(tmp, chip + ".dmem", patch(plain, f, start, size))
		c = probe_check(rom_path, dm, 2)
		check(c and c["frts"]["ok"] and (c["frts"]["start"], c["frts"]["size"]) ==
		      (start, size) and c["signature"]["ok"] and not c["signature"]["needed"] and
		      c["unpatched_difference"] == -1,
		      "%s: a DMEM patched by fb-layout.rst's rules: FRTS 0x%x+0x%x, no "
		      "signature needed, nothing else changed" % (name, start, size))
		return
	for fuse_reg, fuse in ((0x3, 2), (0x1, 1), (0x0, 0)):
		if not signed and fuse_reg != 0x3:
			continue
		want = vbios_build("--parse", rom_path, "--chip", chip, "--vram", VRAM, "--reg",
				   "0x%x=0x%x" % (FUSE_GSP_UCODE9, fuse_reg), "--describe")
		frts = [l for l in lines(want["fb_layout"]) if l[0] == "frts"][0]
		start, size = int(frts[1], 16), int(frts[3], 16)
		if not check("fwsec_frts_error" not in want, "%s: vbios-build patches the DMEM for "
			     "fuse version %d" % (name, fuse)):
			continue
		patched = bytes.fromhex(want["fwsec_frts"])
		dm = write(tmp, "%s.%d.dmem" % (chip, fuse), patched)
		c = probe_check(rom_path, dm, fuse)
		check(c and c["frts"]["ok"] and c["frts"]["init_cmd"] == 0x15 and
		      (c["frts"]["start"], c["frts"]["size"], c["frts"]["type"]) == (start, size, 2),
		      "%s fuse %d: the builder's DMEM carries the FRTS command, region 0x%x+0x%x "
		      "as its fb_layout says" % (name, fuse, start, size))
		check(c and c["unpatched_difference"] == -1,
		      "%s fuse %d: the rest of the DMEM is the ROM's" % (name, fuse))
		if signed:
			check(c and c["signature"]["needed"] and c["signature"]["ok"] and
			      c["signature"]["index"] == fuse and c["signature"]["found"] == fuse,
			      "%s fuse %d: signature %d at the PKC offset" % (name, fuse, fuse))
			check(patch(plain, f, start, size, sigs[fuse]) == patched,
			      "%s fuse %d: the builder's patch is fb-layout.rst's" % (name, fuse))
			if fuse != 2:
				c2 = probe_check(rom_path, dm, 2)
				check(c2 and not c2["signature"]["ok"] and
				      c2["signature"]["index"] == 2 and
				      c2["signature"]["found"] == fuse,
				      "%s: a DMEM signed for fuse %d refused for fuse 2: %s" %
				      (name, fuse, c2 and c2["signature"]["why"]))
		else:
			check(c and not c["signature"]["needed"] and c["signature"]["ok"],
			      "%s: V2, no signature to check" % name)
			check(patch(plain, f, start, size) == patched,
			      "%s: the builder's patch is fb-layout.rst's" % name)
		if fuse == 2:
			# What is not an FRTS DMEM.
			d = bytearray(patched)
			d[0x10] ^= 0xff
			c = probe_check(rom_path, write(tmp, "x.dmem", d), 2)
			check(c and c["unpatched_difference"] == 0x10 and c["frts"]["ok"],
			      "%s: a DMEM byte changed outside the patches found at 0x10" % name)
			d = bytearray(patched)
			struct.pack_into("<I", d, f["dmemmapper"]["cmd_in_offset"] + 40, 3)
			c = probe_check(rom_path, write(tmp, "x.dmem", d), 2)
			check(c and not c["frts"]["ok"] and c["frts"]["type"] == 3,
			      "%s: an FRTS region of type 3 is not the command: %s" %
			      (name, c and c["frts"]["why"]))
			d = bytearray(patched)
			struct.pack_into("<I", d, f["dmemmapper"]["cmd_in_offset"] + 20, 0)
			c = probe_check(rom_path, write(tmp, "x.dmem", d), 2)
			check(c and not c["frts"]["ok"], "%s: ReadVbios flags 0 refused: %s" %
			      (name, c and c["frts"]["why"]))
			c = probe_check(rom_path, write(tmp, "x.dmem", patched[:0x2f0]), 2)
			check(c and not c["frts"]["ok"] and c["unpatched_difference"] == 0x2f0,
			      "%s: a DMEM cut before the command: %s" % (name, c and c["frts"]["why"]))
			c = probe_check(rom_path, write(tmp, "x.dmem", bytes(plain)), 2)
			check(c and not c["frts"]["ok"] and c["frts"]["init_cmd"] == 0x19 and
			      c["unpatched_difference"] == -1 and
			      (not signed or (not c["signature"]["ok"] and
					      c["signature"]["found"] == -1)),
			      "%s: the ROM's own DMEM carries no FRTS command (init_cmd 0x19)%s" %
			      (name, ", no signature" if signed else ""))
	if signed:
		# Fuse version 3 has no signature (versions 0x7): both refuse.
		want = vbios_build("--parse", rom_path, "--chip", chip, "--vram", VRAM, "--reg",
				   "0x%x=0x4" % FUSE_GSP_UCODE9, "--describe")
		c = probe_check(rom_path, write(tmp, "x.dmem", patched), 3)
		check("fwsec_frts_error" in want and c and c["signature"]["index"] == -1 and
		      not c["signature"]["ok"],
		      "%s: fuse version 3 chooses no signature (%s / %s)" %
		      (name, want.get("fwsec_frts_error"), c and c["signature"]["why"]))


def refused(name, rom_path, expect):
	rc, js, err, same = describe(rom_path)
	msg = err.strip()
	return check(rc == 2 and same and js is not None and "error" in js and
		     len(err.splitlines()) == 1 and " at 0x" in msg and expect in msg,
		     "%s: refused, status %d: %s" % (name, rc, msg))


def good_roms(tmp):
	"""Every chip and variant against vbios-build; the descriptions."""
	got = {}
	variants = [("", []), ("ifr", ["--ifr"]), ("ifr 0x800", ["--ifr", "0x800"]),
		    ("dbg", ["--fwsec", "dbg"]), ("both", ["--fwsec", "both"]),
		    ("aa55", ["--fwsec-signature", "aa55"])]
	for chip in CHIPS:
		for vname, args in variants:
			name = chip + (" " + vname if vname else "")
			path = os.path.join(tmp, name.replace(" ", "_") + ".rom")
			want = vbios_build("--chip", chip, *args, "-o", path, "--describe")
			js = compare(name, path, want)
			if js and not vname:
				got[chip] = (path, js)
			if js and vname == "dbg":
				check(js["fwsec"]["application"] == 0x45, name + ": DBG's descriptor")
			if js and vname == "both":
				check(js["fwsec"]["application"] == 0x85, name + ": PROD chosen first")
	# IFR versions 1 and 3, made here; vbios-build --parse is the oracle.
	path, js = got["ad102"]
	rom = open(path, "rb").read()
	v1 = bytearray(b"\xff" * 0x1000)
	v1[0:4] = b"NVGI"
	struct.pack_into("<IIIII", v1, 4, 0x14 << 16 | 1 << 8, 0x1c, 0, 0, 0)
	struct.pack_into("<I", v1, 0x18, 0x1000)
	v3 = bytearray(b"\xff" * 0x3000)
	v3[0:4] = b"NVGI"
	struct.pack_into("<II", v3, 4, 0x14 << 16 | 3 << 8, 0x100)
	struct.pack_into("<I", v3, 0x100, 0x800)		# flash status offset
	v3[0x1800:0x1804] = b"RFRD"				# ROM directory, 4 KiB past it
	struct.pack_into("<I", v3, 0x1808, 0x3000)
	for name, hdr in (("IFR version 1", v1), ("IFR version 3", v3)):
		p = write(tmp, name.replace(" ", "_") + ".rom", bytes(hdr) + rom)
		want = vbios_build("--parse", p, "--describe")
		r = compare("ad102 " + name, p, want)
		check(r and r["ifr_version"] == int(name[-1]) and r["first_image"] == len(hdr),
		      "ad102 %s: first image at 0x%x" % (name, len(hdr)))
	bad = bytearray(v3)
	bad[0x1800:0x1804] = b"RFRX"
	refused("IFR version 3, bad ROM directory", write(tmp, "x.rom", bytes(bad) + rom),
		"IFR ROM directory at 0x1800: bad signature")
	return got


def corruptions(tmp, good):
	for chip in CHIPS:
		for what, expect in (("pcir", "PCI data structure at 0x1a0: bad signature"),
				     ("romsig", "no VBIOS"),
				     ("bit", "PC-AT image at 0x0: no BIT header")):
			p = os.path.join(tmp, "c.rom")
			want = vbios_build("--chip", chip, "--corrupt", what, "-o", p, "--describe")
			check(want["fwsec"] == "unavailable\n", "%s --corrupt %s: vbios-build has no "
			      "FWSEC either" % (chip, what))
			refused("%s --corrupt %s" % (chip, what), p, expect)
		vbios_build("--chip", chip, "--ifr", "--corrupt", "ifr", "-o", p)
		refused(chip + " --ifr --corrupt ifr", p, "IFR header at 0x0: unsupported version 9")
		vbios_build("--chip", chip, "--ifr", "--corrupt", "pcir", "-o", p)
		refused(chip + " --ifr --corrupt pcir", p, "PCI data structure at 0x41a0")
		fwsec = [("appif", "application interface table at 0x"),
			 ("dmemmapper", "command-in buffer at DMEM 0xfffffff0")]
		if chip in V3:
			fwsec.append(("signature", "4 signatures run past its size 0x4ac"))
		for what, expect in fwsec:
			vbios_build("--chip", chip, "--corrupt-fwsec", what, "-o", p)
			want = vbios_build("--parse", p, "--chip", chip, "--vram", VRAM, "--describe")
			check(chip == "ga100" or "fwsec_frts_error" in want,
			      "%s --corrupt-fwsec %s: vbios-build cannot patch it either (%s)" %
			      (chip, what, want.get("fwsec_frts_error", "GA100: no FRTS")))
			refused("%s --corrupt-fwsec %s" % (chip, what), p, expect)
		vbios_build("--chip", chip, "--fwsec", "none", "-o", p)
		refused(chip + " --fwsec none", p, "no falcon data token")


def truncations(tmp, name, path, js):
	rom = open(path, "rb").read()
	f = js["fwsec"]
	cuts = {0, 1, 2, 3, 0x17, 0x19, len(rom) - 1, f["pmu_table"] + 2, f["descriptor"] + 2,
		f["descriptor"] + 0x20, f["ucode"] + 1,
		f["ucode"] + f["dmem_offset"] + f["dmemmapper"]["offset"] + 8, js["bit"] + 6,
		js["first_image"] + 0x1a4}
	for i in js["images"]:
		cuts |= {i["offset"], i["offset"] + 1, i["offset"] + 0x19, i["offset"] + 0x30,
			 i["offset"] + i["length"] - 1}
	if js["ifr_version"]:
		cuts |= {5, 0x10, 0x1a}
	bad = []
	for n in sorted(cuts):
		p = write(tmp, "t.rom", rom[:n])
		rc, out, err, same = describe(p)
		if not (rc == 2 and same and " at 0x" in err and
			("run past the end of the ROM" in err or n < 4)):
			bad.append((n, rc, err.strip()))
	check(not bad, "%s: cut at each of %d places, each refused with the offset%s" %
	      (name, len(cuts), "" if not bad else ": " + repr(bad[:3])))


def handmade(tmp, good):
	"""One ROM for each refusal vbios-build cannot make."""
	path, js = good["ad102"]
	rom = open(path, "rb").read()
	f = js["fwsec"]
	img = js["images"]

	def edit(name, expect, *changes):
		b = bytearray(rom)
		for off, fmt, val in changes:
			struct.pack_into("<" + fmt, b, off, val)
		refused(name, write(tmp, "h.rom", bytes(b)), expect)

	pcir = lambda i: img[i]["offset"] + u16(rom, img[i]["offset"] + 0x18)
	npde = lambda i: img[i]["offset"] + ((pcir(i) - img[i]["offset"] + 0x18 + 15) & ~15)
	refused("a ROM of zeros", write(tmp, "h.rom", bytes(4096)), "ROM at 0x0: no VBIOS")
	refused("an empty ROM", write(tmp, "h.rom", b""), "run past the end of the ROM")
	edit("a PCI data structure with image length 0", "image length 0",
	     (pcir(1) + 0x10, "H", 0), (npde(1) + 8, "H", 0))
	edit("the EFI image's PCIR and NPDE both last", "0 FwSec images, FWSEC needs two",
	     (npde(1) + 0xa, "B", 0x80))
	edit("an NBSI image in the middle ends the chain", "0 FwSec images",
	     (pcir(1) + 0x14, "B", 0x70))
	edit("the last image's NPDE length past the 1 MiB window", "past the 1 MiB PROM window",
	     (npde(3) + 8, "H", 0xffff))
	edit("a BIT header size of 11", "header size 11", (js["bit"] + 8, "B", 11))
	edit("255 BIT tokens of 255 bytes", "255 tokens run past the PC-AT image",
	     (js["bit"] + 9, "B", 255), (js["bit"] + 10, "B", 255))
	edit("no BIOSDATA token", "no BIOSDATA token",
	     (js["bit"] + 12 + 6 * 2, "B", 0x41))
	edit("a falcon data pointer in the PC-AT image", "inside the PC-AT image",
	     (img[0]["offset"] + [t for t in js["bit_tokens"] if t["id"] == 0x70][0]["pointer"],
	      "I", 0x100))
	edit("a falcon data pointer past the FwSec images", "past the FwSec images",
	     (img[0]["offset"] + [t for t in js["bit_tokens"] if t["id"] == 0x70][0]["pointer"],
	      "I", 0xfffffff0))
	t = f["pmu_table"]
	edit("a PMU lookup table entry size of 5", "entry size 5", (t + 2, "B", 5))
	edit("a PMU lookup table of 255 entries of 255 bytes", "255 entries run past",
	     (t + 2, "B", 255), (t + 3, "B", 255))
	edit("a PMU lookup table without FWSEC", "no FWSEC application", (t + 4 + 6, "B", 0x86))
	edit("a descriptor in the first FwSec image", "in the first FwSec image, not the second",
	     (t + 4 + 6 + 2, "I", img[0]["length"] + 0x100))
	d = f["descriptor"]
	hdr = u32(rom, d)
	edit("an unversioned descriptor", "unversioned header", (d, "I", hdr & ~1))
	edit("a descriptor version 4", "version 4, not 2 or 3", (d, "I", hdr & ~0xff00 | 4 << 8))
	edit("a V3 descriptor of 0x20 bytes", "V3 needs 0x2c", (d, "I", 0x20 << 16 | 0x301))
	edit("a descriptor size past its image", "runs past its FwSec image",
	     (d, "I", 0xffff << 16 | 0x301))
	edit("an IMEM load size past the image", "FWSEC ucode at 0x", (d + 0x14, "I", 0x100000))
	edit("a DMEM load size of 4 GiB - 1", "run past its FwSec image",
	     (d + 0x20, "I", 0xffffffff))
	edit("a PKC data offset past the DMEM", "signature patch at DMEM 0x3b00",
	     (d + 0x08, "I", 0x3b00))
	dmem = f["ucode"] + f["dmem_offset"]
	a = dmem + f["appif"]["offset"]
	edit("an application interface entry size of 7", "entry size 7", (a + 2, "B", 7))
	edit("255 application interface entries of 255 bytes", "outside the DMEM",
	     (a + 2, "B", 255), (a + 3, "B", 255))
	edit("no DMEMMAPPER application", "no DMEMMAPPER application", (a + 4 + 8, "I", 5))
	edit("a DMEM mapper past the DMEM", "DMEM mapper at 0x", (a + 4 + 8 + 4, "I", 0x3bf0))
	m = dmem + f["dmemmapper"]["offset"]
	edit("a command-in buffer of 43 bytes", "smaller than the FRTS command",
	     (m + 0x0c, "I", 43))
	# V2: the DMEM offset and the secure IMEM part.
	path2, js2 = good["tu102"]
	rom2 = open(path2, "rb").read()
	d2 = js2["fwsec"]["descriptor"]
	for name, off, val, expect in (
			("a V2 DMEM offset outside the ucode", 0x28, 0x9000, "outside the ucode"),
			("a V2 secure IMEM size over the load size", 0x24, 0x7000,
			 "secure IMEM size 0x7000"),
			("a V2 secure IMEM part past the IMEM", 0x20, 0x6000,
			 "secure IMEM part at virtual 0x6000")):
		b = bytearray(rom2)
		struct.pack_into("<I", b, d2 + off, val)
		refused(name, write(tmp, "h.rom", bytes(b)), expect)
	# 33 images of 512 bytes, none the last.
	chain = bytearray()
	for i in range(33):
		im = bytearray(512)
		struct.pack_into("<HH", im, 0, 0xaa55, 0)
		struct.pack_into("<H", im, 0x18, 0x20)
		struct.pack_into("<4sHHHHB3sHHBBH", im, 0x20, b"PCIR", 0x10de, 0x2684, 0, 0x18, 0,
				 b"\0\0\3", 1, 1, 0x00, 0, 0)
		chain += im
	refused("a chain of 33 images", write(tmp, "h.rom", bytes(chain)),
		"more than 32 images")
	# A ROM larger than the window: only the first 1 MiB counts.
	big = write(tmp, "big.rom", rom + bytes((2 << 20) - len(rom)))
	rc, r, err, same = describe(big)
	check(rc == 0 and same and r["fwsec"] == js["fwsec"],
	      "a ROM file of 2 MiB: the same FWSEC, read from its first MiB")


def main():
	build()
	tmp = tempfile.mkdtemp(prefix="gpu-model-vbios.")
	good = good_roms(tmp)
	for chip in CHIPS:
		if chip in good:
			dmem_checks(tmp, chip, *good[chip])
	corruptions(tmp, good)
	for chip in ("tu102", "ad102"):
		truncations(tmp, chip, *good[chip])
	p = os.path.join(tmp, "ifr.rom")
	vbios_build("--chip", "ga102", "--ifr", "-o", p)
	rc, js, _, _ = describe(p)
	if check(rc == 0, "ga102 --ifr read"):
		truncations(tmp, "ga102 --ifr", p, js)
	handmade(tmp, good)
	for name, path, seed in [(c, good[c][0], 7919 * (i + 1)) for i, c in enumerate(CHIPS)] + \
			[("ga102 --ifr", p, 104729)]:
		rc, out, err = run(PROBE, "mutate", path, str(seed), "4000")
		try:
			r = json.loads(out)
		except ValueError:
			r = {}
		check(rc == 0 and r.get("without_offset") == 0 and len(r.get("structures", [])) >= 10,
		      "%s: 4000 broken ROMs under ASan and UBSan, %s usable, %s refused at %d "
		      "kinds of structure%s" % (name, r.get("usable"), r.get("refused"),
						len(r.get("structures", [])),
						(": " + err.strip()[-600:]) if rc else ""))
	subprocess.run(["rm", "-rf", tmp])
	print("%d passed, %d failed" % (passed, failed))
	return 1 if failed else 0


if __name__ == "__main__":
	sys.exit(main())
