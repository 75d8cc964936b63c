// SPDX-License-Identifier: GPL-2.0
// A PCI driver without its required probe() operation.
// expect: pci driver: missing required operation probe()
#include <kernel/pci.h>

struct NoProbe {
	static constexpr const char *NAME = "noprobe";
	static constexpr kernel::pci::DeviceId ID_TABLE[] = { kernel::pci::device(0x10de, 0x1234),
							      {} };
};

kernel::Result<kernel::pci::DriverRegistration<NoProbe>> reg()
{
	return kernel::pci::DriverRegistration<NoProbe>::register_driver(nullptr, "x");
}
