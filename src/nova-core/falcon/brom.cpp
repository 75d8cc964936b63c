// SPDX-License-Identifier: GPL-2.0
/*
 * The boot ROM's parameters of FWSEC (firmware/fwsec.rs's brom_params)
 * and of Booter (firmware/booter.rs's BooterFirmware::new), as upstream
 * nova-core takes them from their headers.
 */
#include "brom.h"

using namespace kernel;

namespace nova::core::falcon {

Result<BromParams> fwsec_brom_params(const FalconUcodeDesc &desc)
{
	const FalconUcodeDescV3 *v3 = desc.v3();
	if (!v3)
		return err::EINVAL;
	return BromParams { v3->pkc_data_offset, v3->engine_id_mask, v3->ucode_id };
}

Result<BromParams> hs_brom_params(const fw::HsFirmware &hs)
{
	u32 patch_loc = hs.patch_loc;
	u32 os_data = hs.load.os_data_offset;
	if (patch_loc < os_data)
		return err::EINVAL;
	if (hs.params.engine_id_mask > 0xffff || hs.params.ucode_id > 0xff)
		return err::EINVAL;
	return BromParams { patch_loc - os_data, static_cast<u16>(hs.params.engine_id_mask),
			    static_cast<u8>(hs.params.ucode_id) };
}

} // namespace nova::core::falcon
