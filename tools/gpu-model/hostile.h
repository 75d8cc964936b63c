// SPDX-License-Identifier: GPL-2.0
/*
 * A hostile GPU: seeded lies in what BAR0 reads return. Each seed chooses
 * a profile (which lies, how often, and when the GPU falls off the bus);
 * the same seed gives the same answers to the same reads, so a failure is
 * replayed by its seed. Seed 0 is a sane GPU.
 */
#ifndef GPU_MODEL_HOSTILE_H
#define GPU_MODEL_HOSTILE_H

#include <cstdint>
#include <string>

namespace gpu_model {

class Hostility {
public:
	enum Kind : uint32_t {
		FALLS_OFF = 1 << 0, /* all-ones for good after some reads */
		ALL_ONES = 1 << 1, /* a read now and then answers all-ones */
		PRIV_ERROR = 1 << 2, /* 0xbadf.... priv-error patterns */
		BIT_FLIP = 1 << 3, /* one bit of the true value flipped */
		BOOT0_DRIFT = 1 << 4, /* BOOT_0 changes between reads */
		PROM_DRIFT = 1 << 5, /* PROM bytes change between reads */
		ALL_KINDS = (1 << 6) - 1,
	};

	void reseed(uint64_t seed);
	uint64_t seed() const { return seed_; }
	bool active() const { return seed_ != 0; }

	/* What a read of @offset returns instead of @value. */
	uint32_t lie(uint32_t offset, uint32_t value, bool prom);
	/* The profile, for the model's first line and the trace. */
	std::string describe() const;
	uint64_t lies() const { return lies_; }

private:
	uint64_t next();
	bool chance(); /* one in 2^rate_ */

	uint64_t seed_ = 0, state_ = 0;
	uint32_t kinds_ = 0, rate_ = 0;
	uint64_t reads_ = 0, falls_after_ = 0, lies_ = 0;
	bool boot0_seen_ = false;
};

} // namespace gpu_model

#endif /* GPU_MODEL_HOSTILE_H */
