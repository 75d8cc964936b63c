// SPDX-License-Identifier: GPL-2.0
/*
 * Must build: a module that is one PCI driver, declared in one line. The
 * test checks its modalias and its parameter-free module metadata.
 */
#include <kernel/pci.h>
#include <kernel/print.h>

using namespace kernel;

namespace {

class Tiny {
public:
	static constexpr const char *NAME = "kcxx_tiny";
	static constexpr pci::DeviceId ID_TABLE[] = { pci::device(0x1234, 0xabcd), {} };

	static Result<KBox<Tiny>> probe(pci::Device &pdev, const pci::DeviceId &)
	{
		dev_info(pdev, "bound\n");
		return KBox<Tiny>::create(gfp::KERNEL);
	}
};

} // namespace

KERNEL_PCI_DRIVER(Tiny);
KERNEL_MODULE_LICENSE("GPL");
KERNEL_MODULE_DESCRIPTION("One-line PCI driver (build test)");
