// SPDX-License-Identifier: GPL-2.0
/*
 * nova-fuzz: the command-line front end of the ioctl fuzzer (fuzz.c).
 *
 *   nova-fuzz [-s SEED] [-n CALLS] [-t SECONDS] [-j THREADS] [-r MAX] [-v]
 *             [-B] [NODE...]
 *
 * Fuzzes every nova device in /dev/dri (or the given render nodes) as
 * root, with the driver loaded. The seed is printed first; the same seed,
 * call count and thread count give the same calls (see fuzz.c for what
 * several threads change). Exit status 0: every result was documented;
 * 1: at least one was not (each is printed); 2: the run could not start.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: nova-fuzz [-s SEED] [-n CALLS] [-t SECONDS] [-j THREADS] [-r MAX] [-v] [-B] [RENDER_NODE...]\n"
		"  -s SEED     64-bit seed (default: fresh, printed)\n"
		"  -n CALLS    total calls (default 20000)\n"
		"  -t SECONDS  time cap (default 60)\n"
		"  -j THREADS  threads (default 4)\n"
		"  -r MAX      unexpected results printed in full (default 20)\n"
		"  -v          print every call\n"
		"  -B          also make the calls that reach known DRM core bugs\n");
}

static bool parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return !errno && *s && !*end;
}

int main(int argc, char **argv)
{
	struct nova_fuzz_opts o = {
		.calls = 20000, .seconds = 60, .threads = 4, .max_report = 20,
	};
	struct nova_fuzz_result res;
	bool seeded = false;
	uint64_t v;
	int c, ret;

	while ((c = getopt(argc, argv, "s:n:t:j:r:vBh")) != -1) {
		if (c == 'v') {
			o.verbose = true;
			continue;
		}
		if (c == 'B') {
			o.core_bugs = true;
			continue;
		}
		if (c == 'h') {
			usage(stdout);
			return 0;
		}
		if (c == '?' || !parse_u64(optarg, &v)) {
			usage(stderr);
			return 2;
		}
		switch (c) {
		case 's':
			o.seed = v;
			seeded = true;
			break;
		case 'n':
			o.calls = v;
			break;
		case 't':
			o.seconds = v;
			break;
		case 'j':
			o.threads = v;
			break;
		case 'r':
			o.max_report = v;
			break;
		}
	}
	if (!seeded)
		o.seed = nova_fuzz_fresh_seed();

	if (optind < argc) {
		for (; optind < argc && o.ngpus < NOVA_FUZZ_MAX_GPUS; optind++) {
			struct nova_fuzz_opts one = { 0 };

			/* Keep the named render nodes among the nova ones found. */
			nova_fuzz_find_nodes(&one);
			for (c = 0; c < one.ngpus; c++) {
				if (strcmp(one.render[c], argv[optind]))
					continue;
				strcpy(o.render[o.ngpus], one.render[c]);
				strcpy(o.card[o.ngpus], one.card[c]);
				o.ngpus++;
			}
		}
	} else {
		nova_fuzz_find_nodes(&o);
	}
	if (!o.ngpus) {
		fprintf(stderr, "nova-fuzz: no nova device in /dev/dri\n");
		return 2;
	}

	ret = nova_fuzz_run(&o, &res, stdout);
	if (ret < 0) {
		fprintf(stderr, "nova-fuzz: cannot run: %s\n", strerror(-ret));
		return 2;
	}
	return ret;
}
