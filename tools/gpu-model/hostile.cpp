// SPDX-License-Identifier: GPL-2.0
#include "hostile.h"

#include <cstdio>

#include "registers.h"

namespace gpu_model {

/* splitmix64: small, fast, and the same sequence everywhere. */
uint64_t Hostility::next()
{
	uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

bool Hostility::chance()
{
	return (next() & ((1ull << rate_) - 1)) == 0;
}

void Hostility::reseed(uint64_t seed)
{
	seed_ = seed;
	state_ = seed;
	reads_ = lies_ = 0;
	boot0_seen_ = false;
	if (!seed) {
		kinds_ = 0;
		return;
	}
	/* Never an empty profile: a hostile seed always lies somewhere. */
	kinds_ = next() % ALL_KINDS + 1;
	rate_ = 1 + next() % 10;
	falls_after_ = next() % 50000;
}

std::string Hostility::describe() const
{
	if (!seed_)
		return "sane";
	static const char *const names[] = { "falls-off", "all-ones",	 "priv-error",
					     "bit-flip",  "boot0-drift", "prom-drift" };
	std::string s = "seed " + std::to_string(seed_) + ":";
	for (unsigned i = 0; i < 6; i++)
		if (kinds_ & (1u << i))
			s += std::string(" ") + names[i];
	char buf[64];
	std::snprintf(buf, sizeof(buf), ", 1 read in %u", 1u << rate_);
	s += buf;
	if (kinds_ & FALLS_OFF)
		s += ", off the bus after " + std::to_string(falls_after_) + " reads";
	return s;
}

uint32_t Hostility::lie(uint32_t offset, uint32_t value, bool prom)
{
	if (!seed_)
		return value;
	reads_++;
	uint32_t out = value;
	if ((kinds_ & FALLS_OFF) && reads_ > falls_after_) {
		out = 0xffffffff;
	} else if (offset == reg::PMC_BOOT_0 && (kinds_ & BOOT0_DRIFT)) {
		/* The first read is true, the later ones drift. */
		if (boot0_seen_ && (next() & 1))
			out = value ^ static_cast<uint32_t>(next() | 1);
		boot0_seen_ = true;
	} else if (prom && (kinds_ & PROM_DRIFT) && chance()) {
		out = value ^ (0xffu << (8 * (next() % 4)));
	} else if (chance()) {
		static const uint32_t priv[] = { 0xbadf1000, 0xbadf1100, 0xbadf1201, 0xbadf3000,
						 0xbadf5040 };
		uint32_t kinds[3];
		unsigned n = 0;
		for (uint32_t k : { ALL_ONES, PRIV_ERROR, BIT_FLIP })
			if (kinds_ & k)
				kinds[n++] = k;
		switch (n ? kinds[next() % n] : 0) {
		case ALL_ONES:
			out = 0xffffffff;
			break;
		case PRIV_ERROR:
			out = priv[next() % 5] | static_cast<uint32_t>(next() & 0xf);
			break;
		case BIT_FLIP:
			out = value ^ (1u << (next() % 32));
			break;
		default:
			break;
		}
	}
	if (out != value)
		lies_++;
	return out;
}

} // namespace gpu_model
