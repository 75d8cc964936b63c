// SPDX-License-Identifier: GPL-2.0
/*
 * nova_core boots the GSP at probe on Turing, Ampere and Ada when NVIDIA's
 * GSP firmware files are loaded (Documentation/falcon.rst,
 * Documentation/gsp-msgq.rst): FWSEC-FRTS creates WPR2 over the FRTS
 * region, Booter on SEC2 loads GSP-RM into it, the GSP's RISC-V core runs,
 * and GSP-RM answers over its queues up to INIT_DONE and the static
 * information; sysfs nova/gsp reads "running, wpr2 START-END", nova/gpu_name
 * and the kernel log's "GPU name: NAME" line carry the name GSP-RM gave.
 * Unbinding unloads it (UNLOADING_GUEST_DRIVER, then booter_unload removes
 * WPR2), so the GPU binds and boots again, ten times over. A WPR2 that an
 * unload could not remove is found by the next bind: "failed: WPR2 already
 * exists (EBUSY)", the GPU bound all the same.
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
 * the model fail one way each (the test port's PORT_ENGINE_FAULT; 11 to 20
 * are GSP-RM's: bad elements, an unknown event, a pointer out of range, an
 * unterminated name, silence, a flood of events, a stale reply, an unload
 * never acknowledged): the driver names the step that failed in nova/gsp
 * and the check in its kernel log line, takes down what it did (no WPR2 is
 * left unless the unload itself is what fails), and its DRM device works
 * all the same; the faults a driver rides out leave GSP-RM running with
 * its name. Each case starts from a GPU reset, so what a fault left
 * behind shows in the next.
 *
 * Hopper and Blackwell boot through the FSP instead (no FWSEC, no Booter,
 * no FRTS region the driver places): nova/gsp reads "running, booted by
 * the FSP" (or "running, wpr2 START-END" if the GPU shows a WPR2), the
 * name and the rebinds are checked as on the others, and the faults of
 * FWSEC's and Booter's engines (1 to 10) do not apply to them; the FSP's
 * and the FMC's (21 to 26) apply to them only. A GSP-RM
 * that failed before INIT_DONE cannot be unloaded there: the next bind
 * finds the GSP running ("failed: GSP already running (EBUSY)", no COT
 * sent) until the GPU is reset.
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

/* 0 when debugfs nova_core/<bdf>/@file has @text. */
static int debugfs_has(const char *bdf, const char *file, const char *text);

/* Whether @bdf boots through the FSP: its fb_layout has sizes only. */
static bool boots_through_fsp(const char *bdf)
{
	return !debugfs_has(bdf, "fb_layout", "offsets chosen by the firmware\n");
}

/*
 * The first bound model GPU that boots through the FSP, into @bdf: the
 * FSP's faults need one when the first GPU does not. -ENODEV if none.
 */
static int first_fsp_gpu(char bdf[32])
{
	char bdfs[NOVA_MAX_GPUS][32];
	int n = nova_bound_bdfs(bdfs, NOVA_MAX_GPUS);

	for (int i = 0; i < n; i++) {
		if (nova_is_model(bdfs[i]) && boots_through_fsp(bdfs[i])) {
			memcpy(bdf, bdfs[i], 32);
			return 0;
		}
	}
	return -ENODEV;
}

/* 0 when @state is a running GSP booted by the FSP, else -EINVAL. */
static int fsp_running(const char *state)
{
	if (!strcmp(state, "running, booted by the FSP"))
		return 0;
	return strncmp(state, "running, wpr2 0x", 16) ? -EINVAL : 0;
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

/*
 * The name GSP-RM gave (GET_GSP_STATIC_INFO): nova/gpu_name, and the
 * "GPU name: NAME" line the bind logged for @bdf since @kmsg was opened
 * (the last one). 0 when both are there, say the same and start with
 * "NVIDIA "; -ENOENT when the line is missing, -EINVAL when they differ.
 */
static int gpu_name(int kmsg, const char *bdf, char *name, size_t size)
{
	char rec[2048], logged[128] = "";
	const char *at;
	int ret;

	while (nova_kmsg_next(kmsg, rec, sizeof(rec)) > 0) {
		at = strstr(rec, "GPU name: ");
		if ((atoi(rec) & 7) != 6 || !strstr(rec, bdf) || !at)
			continue;
		snprintf(logged, sizeof(logged), "%.*s", (int)strcspn(at + 10, "\n"), at + 10);
	}
	ret = nova_pci_attr(bdf, "nova/gpu_name", name, size);
	if (ret)
		return ret;
	if (!logged[0])
		return -ENOENT;
	return strcmp(logged, name) || strncmp(name, "NVIDIA ", 7) ? -EINVAL : 0;
}

/* 1 when a record of @bdf read from @kmsg has @text (reads them all), else 0. */
static int kmsg_has(int kmsg, const char *bdf, const char *text)
{
	char rec[2048];
	int found = 0;

	while (nova_kmsg_next(kmsg, rec, sizeof(rec)) > 0) {
		if (strstr(rec, bdf) && strstr(rec, text))
			found = 1;
	}
	return found;
}

static int debugfs_has(const char *bdf, const char *file, const char *text)
{
	char path[128];
	uint8_t *buf;
	int ret;

	snprintf(path, sizeof(path), "/sys/kernel/debug/nova_core/%s/%s", bdf, file);
	if (nova_slurp(path, &buf, 0) < 0)
		return -errno;
	ret = strstr((char *)buf, text) ? 0 : -ENOENT;
	free(buf);
	return ret;
}

static int rebind(const char *bdf)
{
	int ret = nova_unbind(bdf);

	ret = ret ?: nova_gpu_wait_gone(bdf, WAIT_MS);
	return ret ?: bind_and_wait(bdf);
}

TEST_F_TIMEOUT(gsp, booter_starts_the_gsp_in_wpr2_over_the_frts_region, NOVA_TEST_TIMEOUT)
{
	char state[128], want[128], name[128];
	int ret, kmsg;

	ASSERT_EQ(0, gsp_state(self->bdf, state, sizeof(state)));
	if (!strcmp(state, "not run: no GSP firmware"))
		SKIP(return, "the guest has no GSP firmware files");
	if (!strncmp(state, "not run: ", 9))
		SKIP(return, "%s: %s", self->bdf, state);

	kmsg = nova_kmsg_open();
	ASSERT_LE(0, kmsg);
	ret = reset_and_bind(self->bdf, 0);
	if (ret == -ENODEV) {
		close(kmsg);
		SKIP(return, "%s is not a model GPU (no test port)", self->bdf);
	}
	ASSERT_EQ(0, ret);

	ASSERT_EQ(0, gsp_state(self->bdf, state, sizeof(state)));
	if (boots_through_fsp(self->bdf)) {
		EXPECT_EQ(0, fsp_running(state)) TH_LOG("nova/gsp: %s", state);
	} else {
		ASSERT_EQ(0, running_state(self->bdf, want, sizeof(want)));
		EXPECT_STREQ(want, state);
	}
	/* GSP-RM reached INIT_DONE and named the GPU. */
	EXPECT_EQ(0, gpu_name(kmsg, self->bdf, name, sizeof(name))) TH_LOG("nova/gpu_name: %s", name);
	close(kmsg);
}

/*
 * Every model GPU of the VM, whatever its chip (the runner gives it one GPU
 * of each family): GSP-RM runs after a GPU reset, in WPR2 over the FRTS
 * region (on a chip without one, GA100, the WPR2 Booter made), and names
 * the GPU; ten unbinds unload it and ten binds start it again, to the same
 * WPR2 and the same name each time. With NOVA_GSP_REBINDS=first only the
 * first GPU is rebound ten times, the others once, and with
 * NOVA_GSP_REBINDS=once every GPU once (a bind with the firmware files
 * costs seconds under TCG; make check rebinds every family ten times on
 * 6.12).
 */
TEST_F_TIMEOUT(gsp, each_model_gpu_boots_gsp_rm_and_again_after_ten_rebinds,
	       3 * NOVA_TEST_TIMEOUT)
{
	const char *which = getenv("NOVA_GSP_REBINDS");
	bool first_only = which && !strcmp(which, "first");
	bool once = which && !strcmp(which, "once");
	char bdfs[8][32], state[128], want[128], chip[32], name[128], first[128];
	uint64_t start, end;
	int n = nova_model_bdfs(bdfs, 8), booted = 0, kmsg, rebinds;

	ASSERT_LT(0, n);
	kmsg = nova_kmsg_open();
	ASSERT_LE(0, kmsg);
	for (int g = 0; g < n; g++) {
		const char *bdf = bdfs[g];

		ASSERT_EQ(0, gsp_state(bdf, state, sizeof(state)));
		if (!strcmp(state, "not run: no GSP firmware"))
			SKIP(return, "the guest has no GSP firmware files");
		ASSERT_EQ(0, nova_pci_attr(bdf, "nova/chipset", chip, sizeof(chip)));
		if (!strncmp(state, "not run: ", 9)) {
			TH_LOG("%s (%s): %s", bdf, chip, state);
			continue;
		}
		ASSERT_EQ(0, reset_and_bind(bdf, 0));
		ASSERT_EQ(0, gsp_state(bdf, want, sizeof(want)));
		if (boots_through_fsp(bdf)) {
			ASSERT_EQ(0, fsp_running(want)) TH_LOG("%s (%s): %s", bdf, chip, want);
		} else {
			ASSERT_EQ(0, frts_region(bdf, &start, &end));
			if (start < end) {
				ASSERT_EQ(0, running_state(bdf, state, sizeof(state)));
				ASSERT_STREQ(state, want) TH_LOG("%s (%s)", bdf, chip);
			} else {
				ASSERT_EQ(0, strncmp(want, "running, wpr2 0x", 16))
					TH_LOG("%s (%s): %s", bdf, chip, want);
			}
		}
		ASSERT_EQ(0, gpu_name(kmsg, bdf, first, sizeof(first)))
			TH_LOG("%s (%s): nova/gpu_name %s", bdf, chip, first);
		rebinds = once || (first_only && booted) ? 1 : 10;
		for (int i = 0; i < rebinds; i++) {
			ASSERT_EQ(0, rebind(bdf));
			ASSERT_EQ(0, gsp_state(bdf, state, sizeof(state)));
			ASSERT_STREQ(want, state)
				TH_LOG("%s (%s): bind %d after the first", bdf, chip, i + 1);
			ASSERT_EQ(0, gpu_name(kmsg, bdf, name, sizeof(name)));
			ASSERT_STREQ(first, name);
		}
		EXPECT_EQ(0, render_node_answers(bdf));
		TH_LOG("%s (%s): %s, %s, %d rebinds", bdf, chip, want, first, rebinds);
		booted++;
	}
	close(kmsg);
	EXPECT_LT(0, booted);
}

TEST_F_TIMEOUT(gsp, a_wpr2_left_behind_is_refused_and_the_gpu_binds_without_it, NOVA_TEST_TIMEOUT)
{
	char state[128];

	ASSERT_EQ(0, gsp_state(self->bdf, state, sizeof(state)));
	if (!strncmp(state, "not run: ", 9))
		SKIP(return, "%s: %s", self->bdf, state);
	if (boots_through_fsp(self->bdf))
		SKIP(return, "%s boots through the FSP: no booter_unload", self->bdf);

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

/*
 * A fault of the model's test port, and what nova/gsp reads after it:
 * @state, or for a fault the driver rides out (NULL) the running state
 * and the GPU's name, with @line in the kernel log of the bind (or of the
 * unbind that follows, @at_unbind) and @queues in debugfs gsp_queues.
 */
FIXTURE_VARIANT(gsp_fault) {
	uint32_t fault;
	const char *state;
	bool after_fwsec; /* the fault comes after FWSEC may have made WPR2 */
	const char *line;
	bool at_unbind;
	const char *queues;
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

/* GSP-RM's faults (11 to 20): the first message it posts is refused, ... */
FIXTURE_VARIANT_ADD(gsp_fault, gsp_rm_bad_checksum) {
	.fault = 11,
	.state = "failed: CPU sequencer (EIO)",
	.after_fwsec = true,
	.line = "bad checksum",
};

FIXTURE_VARIANT_ADD(gsp_fault, gsp_rm_length_past_the_ring) {
	.fault = 12,
	.state = "failed: CPU sequencer (EIO)",
	.line = "RPC length",
};

FIXTURE_VARIANT_ADD(gsp_fault, gsp_rm_huge_element_count) {
	.fault = 13,
	.state = "failed: CPU sequencer (EIO)",
	.line = "element count",
};

/* ... an event the driver does not know is consumed and counted, ... */
FIXTURE_VARIANT_ADD(gsp_fault, gsp_rm_unknown_function) {
	.fault = 14,
	.queues = "unknown received 1\n",
};

FIXTURE_VARIANT_ADD(gsp_fault, gsp_rm_write_pointer_out_of_range) {
	.fault = 15,
	.state = "failed: CPU sequencer (EIO)",
	.line = "pointer out of range",
};

FIXTURE_VARIANT_ADD(gsp_fault, gsp_rm_name_not_terminated) {
	.fault = 16,
	.state = "failed: static info (EPROTO)",
	.line = "GPU name not NUL-terminated",
};

FIXTURE_VARIANT_ADD(gsp_fault, gsp_rm_stops_answering) {
	.fault = 17,
	.state = "failed: CPU sequencer (ETIMEDOUT)",
};

/* ... a flood of events is drained, a stale reply skipped, ... */
FIXTURE_VARIANT_ADD(gsp_fault, gsp_rm_floods_the_ring_with_events) {
	.fault = 18,
};

FIXTURE_VARIANT_ADD(gsp_fault, gsp_rm_answers_out_of_order) {
	.fault = 19,
};

/* ... and an unload GSP-RM never acknowledges goes on to booter_unload. */
FIXTURE_VARIANT_ADD(gsp_fault, gsp_rm_never_acknowledges_the_unload) {
	.fault = 20,
	.line = "GSP-RM did not acknowledge the unload",
	.at_unbind = true,
};

/*
 * The FSP's and the FMC's faults (21 to 26), on Hopper and Blackwell only:
 * no secure boot, a COT never answered or refused, a lockdown never
 * released, GSP-FMC's error, a RISC-V core that never runs.
 */
FIXTURE_VARIANT_ADD(gsp_fault, fsp_secure_boot_never_completes) {
	.fault = 21,
	.state = "failed: FSP secure boot (ETIMEDOUT)",
};

FIXTURE_VARIANT_ADD(gsp_fault, fsp_never_answers_the_cot) {
	.fault = 22,
	.state = "failed: FSP chain of trust (ETIMEDOUT)",
	.line = "no reply to the COT",
};

FIXTURE_VARIANT_ADD(gsp_fault, fsp_refuses_the_cot) {
	.fault = 23,
	.state = "failed: FSP chain of trust (EIO)",
	.line = "error code 0xbad23",
};

FIXTURE_VARIANT_ADD(gsp_fault, fmc_never_releases_the_lockdown) {
	.fault = 24,
	.state = "failed: GSP lockdown release (ETIMEDOUT)",
};

FIXTURE_VARIANT_ADD(gsp_fault, fmc_reports_an_error) {
	.fault = 25,
	.state = "failed: GSP lockdown release (EIO)",
	.line = "GSP-FMC boot failed (MAILBOX0 0x000bad25)",
};

FIXTURE_VARIANT_ADD(gsp_fault, fmc_releases_but_riscv_never_runs) {
	.fault = 26,
	.state = "failed: RISC-V active (ETIMEDOUT)",
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
	char state[128], want[128], name[128];
	int ret, kmsg;
	bool fsp;

	/* make check runs the faults on the debug kernel only. */
	if (faults && !strcmp(faults, "0"))
		SKIP(return, "NOVA_GSP_FAULTS=0");
	/* The teardown brings back the GPU the case chose. */
	if (variant->fault >= 21 && !boots_through_fsp(self->bdf) && first_fsp_gpu(self->bdf))
		SKIP(return, "no bound GPU boots through the FSP");

	ASSERT_EQ(0, gsp_state(self->bdf, state, sizeof(state)));
	if (!strcmp(state, "not run: no GSP firmware"))
		SKIP(return, "the guest has no GSP firmware files");
	if (!strncmp(state, "not run: ", 9))
		SKIP(return, "%s: %s", self->bdf, state);
	fsp = boots_through_fsp(self->bdf);
	if (variant->fault <= 10 && fsp)
		SKIP(return, "%s boots through the FSP: no FWSEC or Booter to fault", self->bdf);
	/*
	 * Without a CPU sequencer GSP-RM's next message (INIT_DONE) rewrites
	 * the bad write pointer at once: no driver can be sure to see it.
	 */
	if (variant->fault >= 21 && !fsp)
		SKIP(return, "%s does not boot through the FSP", self->bdf);
	if (variant->fault == 15 && fsp)
		SKIP(return, "%s boots through the FSP: fault 15's pointer is overwritten at once",
		     self->bdf);

	/* A GPU reset, the fault, a bind: the boot fails at its step. */
	kmsg = nova_kmsg_open();
	ASSERT_LE(0, kmsg);
	ret = reset_and_bind(self->bdf, variant->fault);
	if (ret == -ENODEV) {
		close(kmsg);
		SKIP(return, "%s is not a model GPU (no test port)", self->bdf);
	}
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, gsp_state(self->bdf, state, sizeof(state)));
	if (variant->state) {
		EXPECT_STREQ(variant->state, state);
	} else if (boots_through_fsp(self->bdf)) {
		/* Ridden out: GSP-RM runs and named the GPU. */
		EXPECT_EQ(0, fsp_running(state)) TH_LOG("nova/gsp: %s", state);
		EXPECT_EQ(0, gpu_name(kmsg, self->bdf, name, sizeof(name)));
	} else {
		ASSERT_EQ(0, running_state(self->bdf, want, sizeof(want)));
		EXPECT_STREQ(want, state);
		EXPECT_EQ(0, gpu_name(kmsg, self->bdf, name, sizeof(name)));
	}
	if (variant->queues)
		EXPECT_EQ(0, debugfs_has(self->bdf, "gsp_queues", variant->queues));
	if (variant->at_unbind) {
		ASSERT_EQ(0, nova_unbind(self->bdf));
		ASSERT_EQ(0, nova_gpu_wait_gone(self->bdf, WAIT_MS));
		ASSERT_EQ(0, bind_and_wait(self->bdf));
	}
	if (variant->line)
		EXPECT_EQ(1, kmsg_has(kmsg, self->bdf, variant->line)) TH_LOG("%s", variant->line);
	close(kmsg);

	/* The DRM device works all the same. */
	EXPECT_EQ(0, render_node_answers(self->bdf));

	/*
	 * A boot that failed after FWSEC took its WPR2 down: a bind with the
	 * fault still set fails at the same step again, not at "WPR2
	 * already exists".
	 */
	if (variant->after_fwsec && !fsp) {
		ASSERT_EQ(0, rebind(self->bdf));
		ASSERT_EQ(0, gsp_state(self->bdf, state, sizeof(state)));
		EXPECT_STREQ(variant->state, state);
	}
	/*
	 * Behind the FSP nothing but a GPU reset stops a GSP-RM that failed
	 * before INIT_DONE (the unload's wait for its halt times out): the
	 * next bind finds the GSP running and sends no COT, and still works.
	 */
	if (variant->after_fwsec && fsp) {
		ASSERT_EQ(0, rebind(self->bdf));
		ASSERT_EQ(0, gsp_state(self->bdf, state, sizeof(state)));
		EXPECT_STREQ("failed: GSP already running (EBUSY)", state);
		EXPECT_EQ(0, render_node_answers(self->bdf));
	}

	/*
	 * The next case starts with a GPU reset, the fixture's teardown binds
	 * a GPU left unbound, and every case checks its state from a reset:
	 * a fault that left anything behind (a WPR2, a GSP still running)
	 * shows there.
	 */
}

TEST_HARNESS_MAIN
