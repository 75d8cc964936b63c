// SPDX-License-Identifier: GPL-2.0
// Data shared through an auxiliary device whose type is in an anonymous
// namespace: another module's anonymous type could have the same name.
// expect: needs a type with a name of its own
#include <kernel/auxiliary.h>

namespace {
struct Facts {
	int value;
};
} // namespace

static kernel::Result<int> read(kernel::auxiliary::Device &adev)
{
	auto facts = TRY(adev.registration_data<Facts>());
	return facts.get().value;
}
