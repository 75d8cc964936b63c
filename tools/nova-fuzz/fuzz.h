/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nova-fuzz: a seeded, bounded, multi-threaded ioctl fuzzer for nova's DRM
 * nodes, with an oracle: every call must succeed or fail with an errno the
 * uAPI documents for that ioctl (Documentation/uapi.rst for nova's ioctls,
 * the table in fuzz.c and Documentation/fuzzing.rst for the DRM core's).
 *
 * The engine is shared by the command-line tool (main.c) and the
 * "ioctl_fuzz" kselftest.
 */

#ifndef NOVA_FUZZ_H
#define NOVA_FUZZ_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define NOVA_FUZZ_MAX_THREADS	64
#define NOVA_FUZZ_MAX_GPUS	4

struct nova_fuzz_opts {
	uint64_t seed;		/* the run is a function of seed, calls, threads */
	uint64_t calls;		/* total calls, split evenly over the threads */
	unsigned int seconds;	/* time cap; the run stops at whichever is first */
	unsigned int threads;
	unsigned int max_report; /* unexpected results printed in full */
	bool verbose;		/* print every call */
	bool core_bugs;		/* also reach known DRM core bugs (fuzz.c) */
	/* The nodes to fuzz: one card and one render node per GPU. */
	int ngpus;
	char card[NOVA_FUZZ_MAX_GPUS][64];
	char render[NOVA_FUZZ_MAX_GPUS][64];
};

struct nova_fuzz_result {
	uint64_t calls;		/* ioctls made */
	uint64_t unexpected;	/* ioctls whose result the oracle rejected */
	uint64_t setup_errors;	/* opens or mappings that failed mid-run */
	double seconds;
	bool timed_out;		/* the time cap ended the run */
};

/* A seed from the clock and the kernel's random source. */
uint64_t nova_fuzz_fresh_seed(void);

/*
 * Find the nova devices' nodes in /dev/dri (by driver name), up to
 * NOVA_FUZZ_MAX_GPUS; returns how many GPUs were found.
 */
int nova_fuzz_find_nodes(struct nova_fuzz_opts *opts);

/*
 * Run the fuzzer. Prints the seed first, then every unexpected result, then
 * the summary, on @out. Returns 0 when every result was expected, 1 when
 * one was not, or a negative errno when the run could not start.
 */
int nova_fuzz_run(const struct nova_fuzz_opts *opts,
		  struct nova_fuzz_result *res, FILE *out);

#endif /* NOVA_FUZZ_H */
