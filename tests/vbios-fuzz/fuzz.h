/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VBIOS fuzzer's two halves: module.c (parameters, clock, printing)
 * calls the C++ loop in fuzz.cpp through this interface.
 */
#ifndef NOVA_VBIOS_FUZZ_H
#define NOVA_VBIOS_FUZZ_H

#ifdef __cplusplus
extern "C" {
#endif

struct nova_vbios_fuzz_ops {
	unsigned long long (*now_ns)(void); /* a monotonic clock */
	void (*relax)(void); /* called between images: cond_resched() */
};

struct nova_vbios_fuzz_result {
	unsigned long long images; /* parsed + refused + unbuildable */
	unsigned long long parsed; /* a Vbios */
	unsigned long long fwsec; /* ... with an FWSEC application */
	unsigned long long frts; /* ... and FWSEC-FRTS made ready */
	unsigned long long frts_refused; /* ... FWSEC-FRTS refused cleanly */
	unsigned long long refused; /* a VbiosError */
	unsigned long long retimed; /* parses over the bound, timed again */
	unsigned long long hung; /* a parse that took longer than the bound, twice */
	unsigned long long insane; /* a result that contradicts its bytes */
	unsigned long long nomem; /* images the fuzzer could not build */
	unsigned long long slowest_ns; /* of the parser alone, without the source's copying */
};

/* Runs @count images from @seed; a parse over @hang_ns counts as hung. */
void nova_vbios_fuzz_run(unsigned long long seed, unsigned int count, unsigned long long hang_ns,
			 const struct nova_vbios_fuzz_ops *ops, struct nova_vbios_fuzz_result *res);

#ifdef __cplusplus
}
#endif

#endif /* NOVA_VBIOS_FUZZ_H */
