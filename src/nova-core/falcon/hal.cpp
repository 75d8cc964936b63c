// SPDX-License-Identifier: GPL-2.0
/*
 * The falcon HAL of each chipset: upstream nova-core 7.0's falcon/hal.rs
 * for Turing, GA102 to GA107 and Ada; 7.2 added GA100 (TU102, as it loads
 * FWSEC through the generic bootloader) and Hopper and Blackwell (GA102).
 */
#include "hal.h"

namespace nova::core::falcon {

kernel::Result<FalconHal> falcon_hal(const Chipset &chipset)
{
	switch (chipset.id) {
	case 0x162: /* TU102 */
	case 0x164: /* TU104 */
	case 0x166: /* TU106 */
	case 0x167: /* TU117 */
	case 0x168: /* TU116 */
	case 0x170: /* GA100 */
		return FalconHal::Tu102;
	case 0x172: /* GA102 */
	case 0x173: /* GA103 */
	case 0x174: /* GA104 */
	case 0x176: /* GA106 */
	case 0x177: /* GA107 */
	case 0x180: /* GH100 */
	case 0x192: /* AD102 */
	case 0x193: /* AD103 */
	case 0x194: /* AD104 */
	case 0x196: /* AD106 */
	case 0x197: /* AD107 */
	case 0x1a0: /* GB100 */
	case 0x1a2: /* GB102 */
	case 0x1b2: /* GB202 */
	case 0x1b3: /* GB203 */
	case 0x1b5: /* GB205 */
	case 0x1b6: /* GB206 */
	case 0x1b7: /* GB207 */
		return FalconHal::Ga102;
	}
	return kernel::err::EOPNOTSUPP;
}

} // namespace nova::core::falcon
