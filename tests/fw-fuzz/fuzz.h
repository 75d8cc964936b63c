/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The firmware fuzzer's two halves: module.c (parameters, clock, printing)
 * calls the C++ loop in fuzz.cpp through this interface.
 */
#ifndef NOVA_FW_FUZZ_H
#define NOVA_FW_FUZZ_H

#ifdef __cplusplus
extern "C" {
#endif

struct nova_fw_fuzz_ops {
	unsigned long long (*now_ns)(void); /* a monotonic clock */
	void (*relax)(void);		    /* called between files: cond_resched() */
};

struct nova_fw_fuzz_result {
	unsigned long long files;   /* parsed + refused + unbuildable */
	unsigned long long parsed;  /* a value */
	unsigned long long refused; /* an FwError with a documented errno */
	unsigned long long hung;    /* a parse that took longer than the bound */
	unsigned long long insane;  /* a result that contradicts its bytes, or an unclean error */
	unsigned long long nomem;   /* files the fuzzer could not build */
	unsigned long long slowest_ns;
};

/* Runs @count files from @seed; a parse over @hang_ns counts as hung. */
void nova_fw_fuzz_run(unsigned long long seed, unsigned int count, unsigned long long hang_ns,
		      const struct nova_fw_fuzz_ops *ops, struct nova_fw_fuzz_result *res);

#ifdef __cplusplus
}
#endif

#endif /* NOVA_FW_FUZZ_H */
