// SPDX-License-Identifier: GPL-2.0
/*
 * gpu-model: an NVIDIA GPU behind QEMU's vfio-user client
 * (Documentation/gpu-model.rst).
 */
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "chips.h"
#include "gpu.h"
#include "server.h"
#include "vbios.h"

using namespace gpu_model;

namespace {

[[noreturn]] void usage(const char *why)
{
	/* A bad option is one line: the runner shows a model's last words. */
	if (why) {
		std::fprintf(stderr, "gpu-model: %s\n", why);
		std::exit(2);
	}
	std::fprintf(stderr, "usage: gpu-model --socket PATH --chip CHIP [--vram SIZE[:ecc]|none]\n"
			     "                 [--vbios FILE|none] [--bar1 SIZE] [--trace FILE]\n"
			     "                 [--summary FILE] [--hostile SEED] [--name NAME]\n"
			     "                 [--firmware DIR|none]\n"
			     "       gpu-model --describe-vbios FILE\n"
			     "CHIP: tu102 ... gb207, nv40, or raw:BOOT0:BOOT42 (hex)\n");
	std::exit(2);
}

bool parse_u64(const std::string &s, uint64_t &out, int base = 0)
{
	if (s.empty())
		return false;
	char *end;
	errno = 0;
	out = std::strtoull(s.c_str(), &end, base);
	return !errno && *end == '\0';
}

/* A size in bytes, or with a K, M, G or T suffix (powers of 1024). */
bool parse_size(std::string s, uint64_t &out)
{
	unsigned shift = 0;
	if (s.size() > 1 && s.back() == 'B')
		s.pop_back();
	if (s.size() > 1 && s.back() == 'i')
		s.pop_back();
	switch (s.empty() ? 0 : s.back()) {
	case 'K':
	case 'k':
		shift = 10;
		break;
	case 'M':
	case 'm':
		shift = 20;
		break;
	case 'G':
	case 'g':
		shift = 30;
		break;
	case 'T':
	case 't':
		shift = 40;
		break;
	default:
		break;
	}
	if (shift)
		s.pop_back();
	uint64_t v;
	if (!parse_u64(s, v, 10) || (v << shift) >> shift != v)
		return false;
	out = v << shift;
	return true;
}

void set_chip(Options &o, const std::string &name)
{
	if (const Chip *c = find_chip(name)) {
		uint32_t arch = c->chipset >> 4, impl = c->chipset & 0xf;
		/* BOOT_0 and BOOT_42 of revision a1 (dev_boot.h field layouts). */
		o.boot0 = (arch & 0x1f) << 24 | impl << 20 | (arch >> 5 & 1) << 8 | 0xa << 4 | 1;
		o.boot42 = arch << 24 | impl << 20 | 0xa << 16 | 1 << 12;
		o.chipset = c->chipset;
		o.device = c->device;
		return;
	}
	if (name == "nv40") {
		/* Pre-Fermi: BOOT_0 alone names it; BOOT_42 does not exist. */
		o.boot0 = 0x4 << 24 | 0xa << 4 | 1;
		o.boot42 = 0;
		o.device = 0x0040;
		return;
	}
	uint64_t b0, b42;
	size_t colon = name.find(':', 4);
	if (name.rfind("raw:", 0) != 0 || colon == std::string::npos ||
	    !parse_u64(name.substr(4, colon - 4), b0, 16) ||
	    !parse_u64(name.substr(colon + 1), b42, 16) || b0 >> 32 || b42 >> 32)
		usage(("unknown chip " + name).c_str());
	o.boot0 = static_cast<uint32_t>(b0);
	o.boot42 = static_cast<uint32_t>(b42);
	if (const Chip *c = chip_of(o.boot42 >> 20 & 0xfff)) {
		o.chipset = c->chipset;
		o.device = c->device;
	}
}

volatile int stopping; /* sig_atomic_t is int here */

void on_signal(int)
{
	stopping = 1;
}

} // namespace

int main(int argc, char **argv)
{
	Options o;
	std::string chip, vram, vbios;
	bool bar1_set = false;
	if (argc < 2 || !std::strcmp(argv[1], "--help"))
		usage(nullptr);
	for (int i = 1; i < argc; i++) {
		std::string a = argv[i];
		if (i + 1 >= argc)
			usage(("no value for " + a).c_str());
		std::string v = argv[++i];
		if (a == "--socket")
			o.socket = v;
		else if (a == "--chip")
			chip = v;
		else if (a == "--vram")
			vram = v;
		else if (a == "--vbios")
			vbios = v;
		else if (a == "--describe-vbios")
			return describe_vbios(v);
		else if (a == "--bar1") {
			if (!parse_size(v, o.bar1))
				usage("--bar1: not a size");
			bar1_set = true;
		} else if (a == "--trace")
			o.trace = v;
		else if (a == "--summary")
			o.summary = v;
		else if (a == "--name")
			o.name = v;
		else if (a == "--firmware") {
			struct stat st;
			if (v != "none" && (stat(v.c_str(), &st) || !S_ISDIR(st.st_mode)))
				usage(("--firmware " + v + ": not a directory").c_str());
			o.firmware = v == "none" ? "" : v;
		} else if (a == "--hostile") {
			if (!parse_u64(v, o.hostile_seed))
				usage("--hostile: not a number");
			o.hostile = true;
		} else
			usage(("unknown option " + a).c_str());
	}
	if (o.socket.empty() || chip.empty())
		usage("--socket and --chip are required");
	set_chip(o, chip);

	if (vram.empty() || vram == "default") {
		if (const Chip *c = chip_of(o.chipset)) {
			o.vram = static_cast<uint64_t>(c->vram_gib) << 30;
			o.vram_set = true;
		}
	} else if (vram != "none") {
		std::string size = vram;
		if (size.size() > 4 && size.compare(size.size() - 4, 4, ":ecc") == 0) {
			o.ecc = true;
			size.resize(size.size() - 4);
		}
		if (!parse_size(size, o.vram))
			usage("--vram: want bytes or K/M/G/T, ':ecc', or none");
		o.vram_set = true;
	}
	if (!bar1_set && o.vram_set && o.vram < o.bar1) {
		/* A board's aperture is at most its VRAM, rounded up to a power of two. */
		o.bar1 = 1ull << 20;
		while (o.bar1 < o.vram)
			o.bar1 <<= 1;
	}
	if (!vbios.empty() && vbios != "none") {
		std::ifstream f(vbios, std::ios::binary);
		if (!f) {
			std::fprintf(stderr, "gpu-model: --vbios %s: %s\n", vbios.c_str(),
				     std::strerror(errno));
			return 2;
		}
		o.vbios.assign(std::istreambuf_iterator<char>(f), {});
	}
	std::string why = Gpu::check(o);
	if (!why.empty())
		usage(why.c_str());

	struct sigaction sa {};
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, nullptr);
	sigaction(SIGINT, &sa, nullptr);
	signal(SIGPIPE, SIG_IGN);

	sockaddr_un addr {};
	addr.sun_family = AF_UNIX;
	if (o.socket.size() >= sizeof(addr.sun_path)) {
		std::fprintf(stderr, "gpu-model: --socket %s: path too long\n", o.socket.c_str());
		return 2;
	}
	std::memcpy(addr.sun_path, o.socket.c_str(), o.socket.size());
	int listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	unlink(o.socket.c_str());
	if (listener < 0 || bind(listener, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)) ||
	    listen(listener, 1)) {
		std::fprintf(stderr, "gpu-model %s: cannot listen on %s: %s\n", o.name.c_str(),
			     o.socket.c_str(), std::strerror(errno));
		return 1;
	}

	Gpu gpu(o);
	std::printf("gpu-model %s: listening on %s (%04x:%04x, BOOT0 0x%08x, BOOT42 0x%08x, "
		    "VRAM %llu MiB%s, BAR1 %llu MiB, PROM %zu bytes%s)\n",
		    o.name.c_str(), o.socket.c_str(), 0x10de, o.device, o.boot0, o.boot42,
		    static_cast<unsigned long long>(o.vram_set ? o.vram >> 20 : 0),
		    o.ecc ? " ECC" : "", static_cast<unsigned long long>(o.bar1 >> 20),
		    std::min<size_t>(o.vbios.size(), 1 << 20),
		    o.hostile ? (", hostile seed " + std::to_string(o.hostile_seed)).c_str() : "");
	std::fflush(stdout);

	/*
	 * One client at a time. A client that hangs up is a machine that
	 * ended; the next one (a VM booted again) finds a GPU just powered
	 * on. SIGTERM between clients ends the model.
	 */
	int rc = 0;
	for (bool first = true; !stopping; first = false) {
		int conn = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
		if (conn < 0) {
			if (errno == EINTR)
				continue;
			std::fprintf(stderr, "gpu-model %s: accept: %s\n", o.name.c_str(),
				     std::strerror(errno));
			rc = 1;
			break;
		}
		if (!first)
			gpu.power_cycle();
		Server server(conn, gpu, &stopping);
		rc = server.run();
		if (rc)
			break;
	}
	close(listener);
	unlink(o.socket.c_str());
	std::string line = gpu.summary();
	std::fprintf(stderr, "%s\n", line.c_str());
	for (const std::string &v : gpu.verdicts())
		std::fprintf(stderr, "gpu-model %s: verdict %s\n", o.name.c_str(), v.c_str());
	if (!o.summary.empty()) {
		if (FILE *f = std::fopen(o.summary.c_str(), "w")) {
			std::fprintf(f, "%s\n", line.c_str());
			for (const std::string &v : gpu.verdicts())
				std::fprintf(f, "gpu-model %s: verdict %s\n", o.name.c_str(),
					     v.c_str());
			std::fclose(f);
		}
	}
	return rc;
}
