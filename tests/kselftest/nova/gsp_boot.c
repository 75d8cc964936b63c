// SPDX-License-Identifier: GPL-2.0
/*
 * nova_core boots the GSP at probe on GA102 and later when NVIDIA's GSP
 * firmware files are loaded (Documentation/falcon.rst): FWSEC-FRTS
 * creates WPR2 over the FRTS region, Booter on SEC2 loads GSP-RM into it
 * and the GSP's RISC-V core runs; sysfs nova/gsp reads "running, wpr2
 * START-END". Unbinding unloads it (booter_unload removes WPR2), so the
 * GPU binds and boots again, ten times over. A WPR2 that an unload could
 * not remove is found by the next bind: "failed: WPR2 already exists
 * (EBUSY)", the GPU bound all the same.
 *
 * Each case resets a model GPU to its power-on state through its test
 * port while it is unbound (a GPU reset: no WPR2), binds it, and compares
 * nova/gsp with the FRTS region of debugfs fb_layout. The GPU model checks
 * what each engine was given (Documentation/gpu-model.rst): it creates
 * WPR2 and starts the RISC-V core only when every check passed, and the
 * runner fails on any failed check. Without the firmware files in the
 * guest, or on a GPU that is not a model, the cases skip.
 *
 * The gsp_fault cases (skipped with NOVA_GSP_FAULTS=0) have one engine of
 * the model fail one way each (the test port's PORT_ENGINE_FAULT): the
 * driver names the step that failed
 * in nova/gsp, takes down what it did (no WPR2 is left unless the unload
 * itself is what fails), its DRM device works all the same, and after a
 * GPU reset a bind boots the GSP cleanly again.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nova_test.h"

#define WAIT_MS		10000

FIXTURE(gsp) {
	struct nova_env env;
	char bdf[32];
};

/* One register of the model's test port, on an unbound GPU. */
static int port_write(const char *bdf, uint32_t offset, uint32_t value)
{
	struct nova_regs regs;
	int ret = nova_regs_map(bdf, &regs);

	if (ret)
		return ret;
	nova_regs_write(&regs, offset, value);
	nova_regs_unmap(&regs);
	return 0;
}

/* The GPU reset, as the model's test port gives it: power-on state, no WPR2. */
static int power_on(const char *bdf)
{
	return port_write(bdf, MODEL_PORT_CTRL, MODEL_PORT_CTRL_RESET);
}

/* The "frts START END SIZE" line of debugfs nova_core/<bdf>/fb_layout. */
static int frts_region(const char *bdf, uint64_t *start, uint64_t *end)
{
	char path[128];
	uint8_t *text;
	char *line;
	int ret = -ENOENT;

	snprintf(path, sizeof(path), "/sys/kernel/debug/nova_core/%s/fb_layout", bdf);
	if (nova_slurp(path, &text, 0) < 0)
		return -errno;
	line = strstr((char *)text, "\nfrts ");
	if (line && sscanf(line, "\nfrts %" SCNx64 " %" SCNx64, start, end) == 2)
		ret = 0;
	free(text);
	return ret;
}

static int bind_and_wait(const char *bdf)
{
	struct nova_gpu gpu;
	int ret = nova_bind(bdf);

	return ret ? ret : nova_gpu_wait(bdf, &gpu, WAIT_MS);
}

/*
 * Unbind, reset the GPU (power_on()), set the model's engine fault for the
 * next FWSEC run (0: none) and bind again. -ENODEV: not a model GPU.
 */
static int reset_and_bind(const char *bdf, uint32_t fault)
{
	int ret = nova_unbind(bdf);

	ret = ret ?: nova_gpu_wait_gone(bdf, WAIT_MS);
	ret = ret ?: power_on(bdf);
	if (!ret && fault)
		ret = port_write(bdf, MODEL_PORT_ENGINE_FAULT, fault);
	return ret ?: bind_and_wait(bdf);
}

/*
 * Both fixtures' teardown: a case that stopped half-way with the GPU
 * unbound leaves no fault and no WPR2 behind (power-on clears both), and
 * the GPU is bound again.
 */
static int gsp_down(struct nova_env *env, const char *bdf)
{
	struct nova_gpu gpu;
	int ret = 0;

	if (!nova_is_bound(bdf)) {
		power_on(bdf);
		ret = nova_bind(bdf) ?: nova_gpu_wait(bdf, &gpu, WAIT_MS);
	}
	nova_env_down(env);
	return ret;
}

/* The GPU's render node answers GETPARAM: its DRM device works. */
static int render_node_answers(const char *bdf)
{
	struct nova_gpu gpu;
	uint64_t value;
	int fd, ret;

	nova_gpu_lookup(bdf, &gpu);
	fd = nova_open(gpu.render);
	if (fd < 0)
		return fd;
	ret = nova_getparam(fd, NOVA_GETPARAM_VRAM_BAR_SIZE, &value);
	close(fd);
	return ret;
}

FIXTURE_SETUP(gsp)
{
	char why[128];

	if (nova_env_up_model(&self->env, self->bdf, why, sizeof(why)))
		SKIP(return, "%s", why);
}

FIXTURE_TEARDOWN(gsp)
{
	if (gsp_down(&self->env, self->bdf))
		TH_LOG("%s does not come back", self->bdf);
}

/* nova/gsp, and the state of a running GSP: "running, wpr2 FRTS-START-FRTS-END". */
static int gsp_state(const char *bdf, char *state, size_t size)
{
	return nova_pci_attr(bdf, "nova/gsp", state, size);
}

static int running_state(const char *bdf, char *want, size_t size)
{
	uint64_t start, end;
	int ret = frts_region(bdf, &start, &end);

	if (ret)
		return ret;
	snprintf(want, size, "running, wpr2 0x%" PRIx64 "-0x%" PRIx64, start, end);
	return 0;
}

static int rebind(const char *bdf)
{
	int ret = nova_unbind(bdf);

	ret = ret ?: nova_gpu_wait_gone(bdf, WAIT_MS);
	return ret ?: bind_and_wait(bdf);
}

TEST_F_TIMEOUT(gsp, booter_starts_the_gsp_in_wpr2_over_the_frts_region, NOVA_TEST_TIMEOUT)
{
	char state[128], want[128];
	int ret;

	ASSERT_EQ(0, gsp_state(self->bdf, state, sizeof(state)));
	if (!strcmp(state, "not run: no GSP firmware"))
		SKIP(return, "the guest has no GSP firmware files");
	if (!strncmp(state, "not run: ", 9))
		SKIP(return, "%s: %s", self->bdf, state);

	ret = reset_and_bind(self->bdf, 0);
	if (ret == -ENODEV)
		SKIP(return, "%s is not a model GPU (no test port)", self->bdf);
	ASSERT_EQ(0, ret);

	ASSERT_EQ(0, running_state(self->bdf, want, sizeof(want)));
	ASSERT_EQ(0, gsp_state(self->bdf, state, sizeof(state)));
	EXPECT_STREQ(want, state);
}

TEST_F_TIMEOUT(gsp, ten_unbinds_unload_it_and_ten_binds_start_it_again, NOVA_TEST_TIMEOUT)
{
	char state[128], want[128];

	ASSERT_EQ(0, gsp_state(self->bdf, state, sizeof(state)));
	if (!strncmp(state, "not run: ", 9))
		SKIP(return, "%s: %s", self->bdf, state);

	ASSERT_EQ(0, reset_and_bind(self->bdf, 0));
	ASSERT_EQ(0, running_state(self->bdf, want, sizeof(want)));
	for (int i = 0; i < 10; i++) {
		ASSERT_EQ(0, rebind(self->bdf));
		ASSERT_EQ(0, gsp_state(self->bdf, state, sizeof(state)));
		ASSERT_STREQ(want, state)
			TH_LOG("bind %d after the first", i + 1);
	}
	EXPECT_EQ(0, render_node_answers(self->bdf));
}

/*
 * Every model GPU of the VM, whatever its chip (the runner may give it one
 * GPU of each family): the GSP runs after a GPU reset and again after an
 * unbind and a bind. WPR2 is FWSEC-FRTS's over the FRTS region, or on a
 * chip without one (GA100) what Booter made.
 */
TEST_F_TIMEOUT(gsp, each_model_gpu_boots_its_gsp_and_again_after_a_rebind, NOVA_TEST_TIMEOUT)
{
	char bdfs[8][32], state[128], want[128], chip[32];
	uint64_t start, end;
	int n = nova_model_bdfs(bdfs, 8), booted = 0;

	ASSERT_LT(0, n);
	for (int i = 0; i < n; i++) {
		const char *bdf = bdfs[i];

		ASSERT_EQ(0, gsp_state(bdf, state, sizeof(state)));
		if (!strcmp(state, "not run: no GSP firmware"))
			SKIP(return, "the guest has no GSP firmware files");
		ASSERT_EQ(0, nova_pci_attr(bdf, "nova/chipset", chip, sizeof(chip)));
		if (!strncmp(state, "not run: ", 9)) {
			TH_LOG("%s (%s): %s", bdf, chip, state);
			continue;
		}
		ASSERT_EQ(0, reset_and_bind(bdf, 0));
		ASSERT_EQ(0, frts_region(bdf, &start, &end));
		for (int bind = 0; bind < 2; bind++) {
			if (bind)
				ASSERT_EQ(0, rebind(bdf));
			ASSERT_EQ(0, gsp_state(bdf, state, sizeof(state)));
			if (start < end) {
				ASSERT_EQ(0, running_state(bdf, want, sizeof(want)));
				EXPECT_STREQ(want, state) TH_LOG("%s (%s)", bdf, chip);
			} else {
				EXPECT_EQ(0, strncmp(state, "running, wpr2 0x", 16))
					TH_LOG("%s (%s): %s", bdf, chip, state);
			}
		}
		TH_LOG("%s (%s): %s", bdf, chip, state);
		booted++;
	}
	EXPECT_LT(0, booted);
}

TEST_F_TIMEOUT(gsp, a_wpr2_left_behind_is_refused_and_the_gpu_binds_without_it, NOVA_TEST_TIMEOUT)
{
	char state[128];

	ASSERT_EQ(0, gsp_state(self->bdf, state, sizeof(state)));
	if (!strncmp(state, "not run: ", 9))
		SKIP(return, "%s: %s", self->bdf, state);

	/* booter_unload leaves WPR2 (fault 10): the next bind finds it. */
	ASSERT_EQ(0, reset_and_bind(self->bdf, MODEL_FAULT_UNLOAD_KEEPS_WPR2));
	ASSERT_EQ(0, gsp_state(self->bdf, state, sizeof(state)));
	ASSERT_EQ(0, strncmp(state, "running, wpr2 ", 14)) TH_LOG("nova/gsp: %s", state);
	ASSERT_EQ(0, rebind(self->bdf));
	ASSERT_EQ(0, gsp_state(self->bdf, state, sizeof(state)));
	EXPECT_STREQ("failed: WPR2 already exists (EBUSY)", state);

	/* The DRM device works all the same. */
	EXPECT_EQ(0, render_node_answers(self->bdf));
}

FIXTURE(gsp_fault) {
	struct nova_env env;
	char bdf[32];
};

/* A fault of the model's test port, and what nova/gsp reads after it. */
FIXTURE_VARIANT(gsp_fault) {
	uint32_t fault;
	const char *state;
	bool after_fwsec; /* the fault comes after FWSEC may have made WPR2 */
};

FIXTURE_VARIANT_ADD(gsp_fault, never_halts) {
	.fault = 1,
	.state = "failed: falcon boot (ETIMEDOUT)",
};

FIXTURE_VARIANT_ADD(gsp_fault, scrubbing_never_ends) {
	.fault = 2,
	.state = "failed: falcon reset (ETIMEDOUT)",
};

FIXTURE_VARIANT_ADD(gsp_fault, dma_never_idle) {
	.fault = 3,
	.state = "failed: falcon load (ETIMEDOUT)",
};

FIXTURE_VARIANT_ADD(gsp_fault, mailbox0_nonzero) {
	.fault = 4,
	.state = "failed: MAILBOX0 (EIO)",
	.after_fwsec = true,
};

FIXTURE_VARIANT_ADD(gsp_fault, frts_error_code) {
	.fault = 5,
	.state = "failed: FRTS error code (EIO)",
	.after_fwsec = true,
};

FIXTURE_VARIANT_ADD(gsp_fault, wpr2_unset) {
	.fault = 6,
	.state = "failed: WPR2 not created (EIO)",
};

FIXTURE_VARIANT_ADD(gsp_fault, wpr2_elsewhere) {
	.fault = 7,
	.state = "failed: WPR2 start (EIO)",
	.after_fwsec = true,
};

FIXTURE_VARIANT_ADD(gsp_fault, riscv_never_active) {
	.fault = 8,
	.state = "failed: RISC-V active (ETIMEDOUT)",
	.after_fwsec = true,
};

FIXTURE_VARIANT_ADD(gsp_fault, booter_mailbox0_nonzero) {
	.fault = 9,
	.state = "failed: Booter MAILBOX0 (ENODEV)",
	.after_fwsec = true,
};

FIXTURE_SETUP(gsp_fault)
{
	char why[128];

	if (nova_env_up_model(&self->env, self->bdf, why, sizeof(why)))
		SKIP(return, "%s", why);
}

FIXTURE_TEARDOWN(gsp_fault)
{
	if (gsp_down(&self->env, self->bdf))
		TH_LOG("%s does not come back", self->bdf);
}

TEST_F_TIMEOUT(gsp_fault, a_failed_boot_leaves_a_working_gpu_and_no_wpr2, NOVA_TEST_TIMEOUT)
{
	const char *faults = getenv("NOVA_GSP_FAULTS");
	char state[128], want[128];
	int ret;

	/* make check runs the faults on 6.12 and the debug kernel only. */
	if (faults && !strcmp(faults, "0"))
		SKIP(return, "NOVA_GSP_FAULTS=0");

	ASSERT_EQ(0, gsp_state(self->bdf, state, sizeof(state)));
	if (!strcmp(state, "not run: no GSP firmware"))
		SKIP(return, "the guest has no GSP firmware files");
	if (!strncmp(state, "not run: ", 9))
		SKIP(return, "%s: %s", self->bdf, state);

	/* A GPU reset, the fault, a bind: the boot fails at its step. */
	ret = reset_and_bind(self->bdf, variant->fault);
	if (ret == -ENODEV)
		SKIP(return, "%s is not a model GPU (no test port)", self->bdf);
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, gsp_state(self->bdf, state, sizeof(state)));
	EXPECT_STREQ(variant->state, state);

	/* The DRM device works all the same. */
	EXPECT_EQ(0, render_node_answers(self->bdf));

	/*
	 * A boot that failed after FWSEC took its WPR2 down: a bind with the
	 * fault still set fails at the same step again, not at "WPR2
	 * already exists".
	 */
	if (variant->after_fwsec) {
		ASSERT_EQ(0, rebind(self->bdf));
		ASSERT_EQ(0, gsp_state(self->bdf, state, sizeof(state)));
		EXPECT_STREQ(variant->state, state);
	}

	/* After a GPU reset (the fault with it) the GSP boots cleanly. */
	ASSERT_EQ(0, reset_and_bind(self->bdf, 0));
	ASSERT_EQ(0, running_state(self->bdf, want, sizeof(want)));
	ASSERT_EQ(0, gsp_state(self->bdf, state, sizeof(state)));
	EXPECT_STREQ(want, state);
}

TEST_HARNESS_MAIN
