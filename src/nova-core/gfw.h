/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GFW boot: after a reset the GPU's own firmware (the "GFW", run from the
 * VBIOS by the boot ROM) initialises the chip, devinit included. Until it
 * is done the VRAM size registers and the PROM window are not to be
 * trusted. The firmware reports its progress in a PGC6 scratch register,
 * 0xff when complete; the CPU can read that register only once the
 * register's privilege mask allows level 0 reads (upstream nova-core's
 * gfw.rs; NVIDIA's dev_gc6_island.h names both).
 */
#ifndef NOVA_CORE_GFW_H
#define NOVA_CORE_GFW_H

#include <kernel/io.h>
#include <kernel/time.h>

namespace nova::core {

/* NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_PRIV_LEVEL_MASK */
struct GfwPrivLevelMask : kernel::io::Register32<GfwPrivLevelMask, 0x118128> {
	REG_FIELD(read_protection_level0, 0, 0);
};

/* NV_PGC6_AON_SECURE_SCRATCH_GROUP_05(0): the GFW boot progress. */
struct GfwBootProgress : kernel::io::Register32<GfwBootProgress, 0x118234> {
	REG_FIELD(progress, 7, 0);

	constexpr bool completed() const { return progress() == 0xff; }
};

/* How long the firmware may take: upstream waits as long. */
inline constexpr kernel::time::Delta GFW_BOOT_TIMEOUT = kernel::time::Delta::from_secs(4);

/*
 * Waits until the GFW reports its boot complete; ETIMEDOUT if it does not
 * within GFW_BOOT_TIMEOUT. Sleeps between reads.
 */
template <typename IoT> kernel::Result<void> wait_gfw_boot(const IoT &bar)
{
	auto done = [&bar] {
		return GfwPrivLevelMask::read(bar).read_protection_level0() &&
		       GfwBootProgress::read(bar).completed();
	};
	TRY(kernel::time::read_poll_timeout(
		done, [](bool ok) { return ok; }, kernel::time::Delta::from_ms(1),
		GFW_BOOT_TIMEOUT));
	return kernel::ok();
}

} // namespace nova::core

#endif /* NOVA_CORE_GFW_H */
