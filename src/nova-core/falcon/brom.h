/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The boot ROM's parameters for a heavy-secured (HS) ucode
 * (Documentation/falcon.rst, "The boot ROM's parameters"). On the GA102
 * HAL the falcon's boot ROM checks an HS ucode's signature before it
 * runs it, and a load tells it, after the image and before BOOTVEC,
 * where the signature is and what it is for:
 *
 *	BROM_PARAADDR(0)	the DMEM offset of the patched signature
 *	BROM_ENGIDMASK		the engines the ucode is for
 *	BROM_CURR_UCODE_ID	its ucode id
 *	MOD_SEL			1: RSA-3K
 *
 * The TU102 HAL programs none of them. Which signature was patched in is
 * chosen before (firmware/fwsec.cpp for FWSEC, fw::select_signature() for Booter,
 * from the fuse version firmware/fuse.h reads).
 */
#ifndef NOVA_CORE_FALCON_BROM_H
#define NOVA_CORE_FALCON_BROM_H

#include <kernel/error.h>

#include "firmware/files.h"
#include "hal.h"
#include "regs.h"
#include "vbios/vbios.h"

namespace nova::core::falcon {

/* What the boot ROM is told (upstream's FalconBromParams). */
struct BromParams {
	u32 pkc_data_offset; /* in DMEM */
	u16 engine_id_mask;
	u8 ucode_id;
};

/*
 * FWSEC's, from its falcon ucode descriptor (V3: pkc_data_offset,
 * engine_id_mask, ucode_id); EINVAL for a V2 descriptor, which has none
 * and which only chips of the TU102 HAL carry.
 */
kernel::Result<BromParams> fwsec_brom_params(const FalconUcodeDesc &desc);

/*
 * An HS firmware's (booter_load, booter_unload), from its headers:
 * pkc_data_offset = patch_loc - os_data_offset, since its DMEM is loaded
 * from os_data_offset; EINVAL if patch_loc is below os_data_offset, or
 * if engine_id_mask does not fit 16 bits or ucode_id 8 (as upstream).
 */
kernel::Result<BromParams> hs_brom_params(const fw::HsFirmware &hs);

/* The boot ROM's register values on engine E, or nothing to program. */
template <FalconEngine E> class BromPlan {
public:
	/* @params programmed under @hal (programs_brom()), else nothing. */
	static constexpr BromPlan make(FalconHal hal, const BromParams &params)
	{
		return BromPlan(programs_brom(hal), params);
	}

	/* FWSEC's: under the TU102 HAL nothing, whatever @desc. */
	static kernel::Result<BromPlan> fwsec(FalconHal hal, const FalconUcodeDesc &desc)
	{
		if (!programs_brom(hal))
			return BromPlan(false, BromParams {});
		BromParams params = TRY(fwsec_brom_params(desc));
		return make(hal, params);
	}

	/* An HS firmware's: its parameters checked under either HAL, as upstream. */
	static kernel::Result<BromPlan> hs(FalconHal hal, const fw::HsFirmware &firmware)
	{
		BromParams params = TRY(hs_brom_params(firmware));
		return make(hal, params);
	}

	constexpr bool programmed() const { return programmed_; }
	constexpr const BromParams &params() const { return params_; }

	/* The writes, in upstream's order; meaningful when programmed(). */
	constexpr BromParaaddr0<E> paraaddr0() const
	{
		return BromParaaddr0<E>().set_value(params_.pkc_data_offset);
	}
	constexpr BromEngidmask<E> engidmask() const
	{
		return BromEngidmask<E>().set_value(params_.engine_id_mask);
	}
	constexpr BromCurrUcodeId<E> curr_ucode_id() const
	{
		return BromCurrUcodeId<E>().set_ucode_id(params_.ucode_id);
	}
	constexpr ModSel<E> mod_sel() const { return ModSel<E>().set_algo(MOD_SEL_ALGO_RSA3K); }

private:
	constexpr BromPlan(bool programmed, const BromParams &params)
		: programmed_(programmed), params_(params)
	{}

	bool programmed_;
	BromParams params_;
};

} // namespace nova::core::falcon

#endif /* NOVA_CORE_FALCON_BROM_H */
