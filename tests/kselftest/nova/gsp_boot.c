// SPDX-License-Identifier: GPL-2.0
/*
 * nova_core runs FWSEC-FRTS at probe on GA102 and later when NVIDIA's GSP
 * firmware files are loaded (Documentation/falcon.rst, "Running
 * FWSEC-FRTS"): FWSEC creates WPR2 over the FRTS region, and sysfs
 * nova/gsp reads "wpr2 START-END". WPR2 stays until the GPU is reset, so a
 * second bind finds it and reads "failed: WPR2 already exists (EBUSY)",
 * the GPU bound all the same.
 *
 * Each case resets a model GPU to its power-on state through its test
 * port while it is unbound (a GPU reset: no WPR2), binds it, and compares
 * nova/gsp with the FRTS region of debugfs fb_layout. The GPU model checks
 * what FWSEC was given (Documentation/gpu-model.rst, "FWSEC-FRTS"): it
 * creates WPR2 only when every check passed. Without the firmware files
 * in the guest, or on a GPU that is not a model, the cases skip.
 *
 * The gsp_fault cases have the model's GSP falcon or FWSEC fail one way
 * each (the test port's PORT_ENGINE_FAULT): the driver names the step
 * that failed in nova/gsp, its DRM device works all the same, and after a
 * GPU reset a bind runs FWSEC-FRTS cleanly again.
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

TEST_F_TIMEOUT(gsp, fwsec_frts_creates_wpr2_over_the_frts_region, NOVA_TEST_TIMEOUT)
{
	char state[128], want[128];
	uint64_t start, end;
	int ret;

	ASSERT_EQ(0, nova_pci_attr(self->bdf, "nova/gsp", state, sizeof(state)));
	if (!strcmp(state, "not run: no GSP firmware"))
		SKIP(return, "the guest has no GSP firmware files");
	if (!strncmp(state, "not run: ", 9))
		SKIP(return, "%s: %s", self->bdf, state);

	ret = reset_and_bind(self->bdf, 0);
	if (ret == -ENODEV)
		SKIP(return, "%s is not a model GPU (no test port)", self->bdf);
	ASSERT_EQ(0, ret);

	ASSERT_EQ(0, frts_region(self->bdf, &start, &end));
	ASSERT_LT(start, end);
	snprintf(want, sizeof(want), "wpr2 0x%" PRIx64 "-0x%" PRIx64, start, end);
	ASSERT_EQ(0, nova_pci_attr(self->bdf, "nova/gsp", state, sizeof(state)));
	EXPECT_STREQ(want, state);
}

TEST_F_TIMEOUT(gsp, a_second_bind_finds_wpr2_and_binds_without_it, NOVA_TEST_TIMEOUT)
{
	char state[128];

	ASSERT_EQ(0, nova_pci_attr(self->bdf, "nova/gsp", state, sizeof(state)));
	if (!strncmp(state, "not run: ", 9))
		SKIP(return, "%s: %s", self->bdf, state);

	/* A clean first run, then a bind with WPR2 still there. */
	ASSERT_EQ(0, reset_and_bind(self->bdf, 0));
	ASSERT_EQ(0, nova_pci_attr(self->bdf, "nova/gsp", state, sizeof(state)));
	ASSERT_EQ(0, strncmp(state, "wpr2 ", 5));
	ASSERT_EQ(0, nova_unbind(self->bdf));
	ASSERT_EQ(0, nova_gpu_wait_gone(self->bdf, WAIT_MS));
	ASSERT_EQ(0, bind_and_wait(self->bdf));
	ASSERT_EQ(0, nova_pci_attr(self->bdf, "nova/gsp", state, sizeof(state)));
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
};

FIXTURE_VARIANT_ADD(gsp_fault, frts_error_code) {
	.fault = 5,
	.state = "failed: FRTS error code (EIO)",
};

FIXTURE_VARIANT_ADD(gsp_fault, wpr2_unset) {
	.fault = 6,
	.state = "failed: WPR2 not created (EIO)",
};

FIXTURE_VARIANT_ADD(gsp_fault, wpr2_elsewhere) {
	.fault = 7,
	.state = "failed: WPR2 start (EIO)",
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

TEST_F_TIMEOUT(gsp_fault, a_failed_fwsec_leaves_a_working_gpu, NOVA_TEST_TIMEOUT)
{
	char state[128];
	int ret;

	ASSERT_EQ(0, nova_pci_attr(self->bdf, "nova/gsp", state, sizeof(state)));
	if (!strcmp(state, "not run: no GSP firmware"))
		SKIP(return, "the guest has no GSP firmware files");
	if (!strncmp(state, "not run: ", 9))
		SKIP(return, "%s: %s", self->bdf, state);

	/* A GPU reset, the fault, a bind: FWSEC-FRTS fails at its step. */
	ret = reset_and_bind(self->bdf, variant->fault);
	if (ret == -ENODEV)
		SKIP(return, "%s is not a model GPU (no test port)", self->bdf);
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, nova_pci_attr(self->bdf, "nova/gsp", state, sizeof(state)));
	EXPECT_STREQ(variant->state, state);

	/* The DRM device works all the same. */
	EXPECT_EQ(0, render_node_answers(self->bdf));

	/* After a GPU reset (the fault with it) FWSEC-FRTS runs cleanly. */
	ASSERT_EQ(0, reset_and_bind(self->bdf, 0));
	ASSERT_EQ(0, nova_pci_attr(self->bdf, "nova/gsp", state, sizeof(state)));
	EXPECT_EQ(0, strncmp(state, "wpr2 ", 5))
		TH_LOG("nova/gsp after a reset: %s", state);
}

TEST_HARNESS_MAIN
