// SPDX-License-Identifier: GPL-2.0
// The data of a Mutex is reachable only through its guard.
// expect: is private within this context
#include <kernel/sync.h>

struct State {
	int n;
};

int peek(kernel::Mutex<State> &m)
{
	return m.data_.n;
}
