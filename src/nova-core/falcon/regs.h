/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The falcon registers nova-core uses, and the engines that have them
 * (Documentation/falcon.rst, "Registers").
 *
 * Every falcon engine has two register windows in BAR0: PFALCON (the
 * falcon core, its memories and DMA) and PFALCON2 (the boot ROM's
 * parameters and the RISC-V core). A register is a template on its
 * engine: Mailbox0<Gsp> is GSP's MAILBOX0, a value type that knows its
 * absolute BAR0 offset (Mailbox0<Gsp>::OFFSET == 0x110040), read and
 * written as any io::Register32:
 *
 *	auto cpuctl = Cpuctl<Sec2>::read(bar);
 *	if (cpuctl.halted())
 *		...
 *	Mailbox0<Gsp>().set_value(0).write(bar);
 *
 * Only the fields nova-core uses are named; the others are preserved by
 * update(). Offsets and fields: NVIDIA's dev_falcon_v4.h, dev_fbif_v4.h
 * and dev_riscv_pri.h, as upstream nova-core's regs.rs names them.
 */
#ifndef NOVA_CORE_FALCON_REGS_H
#define NOVA_CORE_FALCON_REGS_H

#include <kernel/io.h>

namespace nova::core::falcon {

using ktl::size_t;
using ktl::u16;
using ktl::u32;
using ktl::u64;
using ktl::u8;

/*
 * The falcon engines nova-core drives: the bases of their two windows.
 * FSP (Hopper and later) also has the EMEM window its message queue uses.
 */
struct Gsp {
	static constexpr const char *NAME = "gsp";
	static constexpr size_t PFALCON = 0x110000;
	static constexpr size_t PFALCON2 = 0x111000;
	static constexpr bool HAS_EMEM = false;
};

struct Sec2 {
	static constexpr const char *NAME = "sec2";
	static constexpr size_t PFALCON = 0x840000;
	static constexpr size_t PFALCON2 = 0x841000;
	static constexpr bool HAS_EMEM = false;
};

struct Fsp {
	static constexpr const char *NAME = "fsp";
	static constexpr size_t PFALCON = 0x8f2000;
	static constexpr size_t PFALCON2 = 0x8f3000;
	static constexpr bool HAS_EMEM = true;
};

/* A falcon engine: one of the above. */
template <typename E>
concept FalconEngine = requires
{
	E::NAME;
	E::PFALCON;
	E::PFALCON2;
	E::HAS_EMEM;
};

/* The falcon memories a load writes. */
enum class FalconMem : u8 { ImemSecure, ImemNonSecure, Dmem };

/* A register at @Off in engine @E's PFALCON window. */
template <typename Self, FalconEngine E, size_t Off> struct PFalconRegister
	: kernel::io::Register32<Self, E::PFALCON + Off> {
	static constexpr size_t RELATIVE = Off;
	using kernel::io::Register32<Self, E::PFALCON + Off>::Register32;
};

/* A register at @Off in engine @E's PFALCON2 window. */
template <typename Self, FalconEngine E, size_t Off> struct PFalcon2Register
	: kernel::io::Register32<Self, E::PFALCON2 + Off> {
	static constexpr size_t RELATIVE = Off;
	using kernel::io::Register32<Self, E::PFALCON2 + Off>::Register32;
};

/* PFALCON */

/* Interrupt clear: nova-core clears SWGEN0 on GSP once, and polls instead. */
template <FalconEngine E> struct Irqsclr : PFalconRegister<Irqsclr<E>, E, 0x004> {
	using PFalconRegister<Irqsclr<E>, E, 0x004>::PFalconRegister;
	REG_FIELD(halt, 4, 4);
	REG_FIELD(swgen0, 6, 6);
};

template <FalconEngine E> struct Mailbox0 : PFalconRegister<Mailbox0<E>, E, 0x040> {
	using PFalconRegister<Mailbox0<E>, E, 0x040>::PFalconRegister;
	REG_FIELD(value, 31, 0);
};

template <FalconEngine E> struct Mailbox1 : PFalconRegister<Mailbox1<E>, E, 0x044> {
	using PFalconRegister<Mailbox1<E>, E, 0x044>::PFalconRegister;
	REG_FIELD(value, 31, 0);
};

/* GSP: the bootloader's app_version, written before the RISC-V core runs. */
template <FalconEngine E> struct Os : PFalconRegister<Os<E>, E, 0x080> {
	using PFalconRegister<Os<E>, E, 0x080>::PFalconRegister;
	REG_FIELD(value, 31, 0);
};

/* NV_PMC_BOOT_0, written after every reset. */
template <FalconEngine E> struct Rm : PFalconRegister<Rm<E>, E, 0x084> {
	using PFalconRegister<Rm<E>, E, 0x084>::PFalconRegister;
	REG_FIELD(value, 31, 0);
};

template <FalconEngine E> struct Hwcfg2 : PFalconRegister<Hwcfg2<E>, E, 0x0f4> {
	using PFalconRegister<Hwcfg2<E>, E, 0x0f4>::PFalconRegister;
	REG_FIELD(riscv, 10, 10);
	REG_FIELD(mem_scrubbing, 12, 12); /* 1: still scrubbing */
	REG_FIELD(riscv_br_priv_lockdown, 13, 13);
	REG_FIELD(reset_ready, 31, 31); /* GA102 HAL */

	/* GA102 HAL: IMEM and DMEM scrubbed. */
	constexpr bool mem_scrubbing_done() const { return mem_scrubbing() == 0; }
	/* FSP boot: the priv target mask no longer hides the register. */
	constexpr bool priv_target_mask_released() const
	{
		return this->raw() != 0 && (this->raw() & 0xffffff00) != 0xbadf4100;
	}
};

template <FalconEngine E> struct Cpuctl : PFalconRegister<Cpuctl<E>, E, 0x100> {
	using PFalconRegister<Cpuctl<E>, E, 0x100>::PFalconRegister;
	REG_FIELD(startcpu, 1, 1);
	REG_FIELD(halted, 4, 4);
	REG_FIELD(alias_en, 6, 6); /* start through CPUCTL_ALIAS */
};

template <FalconEngine E> struct Bootvec : PFalconRegister<Bootvec<E>, E, 0x104> {
	using PFalconRegister<Bootvec<E>, E, 0x104>::PFalconRegister;
	REG_FIELD(value, 31, 0);
};

template <FalconEngine E> struct Dmactl : PFalconRegister<Dmactl<E>, E, 0x10c> {
	using PFalconRegister<Dmactl<E>, E, 0x10c>::PFalconRegister;
	REG_FIELD(require_ctx, 0, 0);
	REG_FIELD(dmem_scrubbing, 1, 1);
	REG_FIELD(imem_scrubbing, 2, 2);
	REG_FIELD(dmaq_num, 6, 3);
	REG_FIELD(secure_stat, 7, 7);

	/* TU102 HAL: IMEM and DMEM scrubbed. */
	constexpr bool mem_scrubbing_done() const
	{
		return dmem_scrubbing() == 0 && imem_scrubbing() == 0;
	}
};

/* Bits 39:8 of a DMA source address. */
template <FalconEngine E> struct Dmatrfbase : PFalconRegister<Dmatrfbase<E>, E, 0x110> {
	using PFalconRegister<Dmatrfbase<E>, E, 0x110>::PFalconRegister;
	REG_FIELD(base, 31, 0);
};

/* The falcon-memory offset of a transfer. */
template <FalconEngine E> struct Dmatrfmoffs : PFalconRegister<Dmatrfmoffs<E>, E, 0x114> {
	using PFalconRegister<Dmatrfmoffs<E>, E, 0x114>::PFalconRegister;
	REG_FIELD(offs, 23, 0);
};

inline constexpr u32 DMATRFCMD_SIZE_256B = 6;

/* Starts a transfer when written; idle when it is over. */
template <FalconEngine E> struct Dmatrfcmd : PFalconRegister<Dmatrfcmd<E>, E, 0x118> {
	using PFalconRegister<Dmatrfcmd<E>, E, 0x118>::PFalconRegister;
	REG_FIELD(full, 0, 0);
	REG_FIELD(idle, 1, 1);
	REG_FIELD(sec, 3, 2);
	REG_FIELD(imem, 4, 4);
	REG_FIELD(is_write, 5, 5);
	REG_FIELD(size, 10, 8);
	REG_FIELD(ctxdma, 14, 12);
	REG_FIELD(set_dmtag, 16, 16);

	/* A 256-byte transfer into @mem: 0x614 secure IMEM, 0x610 IMEM, 0x600 DMEM. */
	static constexpr Dmatrfcmd transfer_256(FalconMem mem)
	{
		Dmatrfcmd c;
		c.set_size(DMATRFCMD_SIZE_256B);
		c.set_imem(mem != FalconMem::Dmem);
		c.set_sec(mem == FalconMem::ImemSecure ? 1 : 0);
		return c;
	}
};

/* The source offset of a transfer, from the DMATRFBASE address. */
template <FalconEngine E> struct Dmatrffboffs : PFalconRegister<Dmatrffboffs<E>, E, 0x11c> {
	using PFalconRegister<Dmatrffboffs<E>, E, 0x11c>::PFalconRegister;
	REG_FIELD(offs, 31, 0);
};

/* Bits 48:40 of a DMA source address. */
template <FalconEngine E> struct Dmatrfbase1 : PFalconRegister<Dmatrfbase1<E>, E, 0x128> {
	using PFalconRegister<Dmatrfbase1<E>, E, 0x128>::PFalconRegister;
	REG_FIELD(base, 8, 0);
};

template <FalconEngine E> struct Hwcfg1 : PFalconRegister<Hwcfg1<E>, E, 0x12c> {
	using PFalconRegister<Hwcfg1<E>, E, 0x12c>::PFalconRegister;
	REG_FIELD(core_rev, 3, 0);
	REG_FIELD(security_model, 5, 4);
	REG_FIELD(core_rev_subversion, 7, 6);

	/* Revisions 1 to 7; security models none (0), light (2), heavy (3). */
	constexpr bool core_rev_known() const { return core_rev() >= 1 && core_rev() <= 7; }
	constexpr bool security_model_known() const { return security_model() != 1; }
};

template <FalconEngine E> struct CpuctlAlias : PFalconRegister<CpuctlAlias<E>, E, 0x130> {
	using PFalconRegister<CpuctlAlias<E>, E, 0x130>::PFalconRegister;
	REG_FIELD(startcpu, 1, 1);
};

/* IMEM through port @P (of 4; nova-core uses port 0): control, data, tag. */
template <FalconEngine E, unsigned P = 0>
requires(P < 4) struct Imemc : PFalconRegister<Imemc<E, P>, E, 0x180 + 16 * P> {
	using PFalconRegister<Imemc<E, P>, E, 0x180 + 16 * P>::PFalconRegister;
	REG_FIELD(offs, 15, 0);
	REG_FIELD(aincw, 24, 24);
	REG_FIELD(secure, 28, 28);
};

template <FalconEngine E, unsigned P = 0>
requires(P < 4) struct Imemd : PFalconRegister<Imemd<E, P>, E, 0x184 + 16 * P> {
	using PFalconRegister<Imemd<E, P>, E, 0x184 + 16 * P>::PFalconRegister;
	REG_FIELD(data, 31, 0);
};

template <FalconEngine E, unsigned P = 0>
requires(P < 4) struct Imemt : PFalconRegister<Imemt<E, P>, E, 0x188 + 16 * P> {
	using PFalconRegister<Imemt<E, P>, E, 0x188 + 16 * P>::PFalconRegister;
	REG_FIELD(tag, 15, 0);
};

/* DMEM through port @P: control, data. */
template <FalconEngine E, unsigned P = 0>
requires(P < 4) struct Dmemc : PFalconRegister<Dmemc<E, P>, E, 0x1c0 + 8 * P> {
	using PFalconRegister<Dmemc<E, P>, E, 0x1c0 + 8 * P>::PFalconRegister;
	REG_FIELD(offs, 15, 0);
	REG_FIELD(aincw, 24, 24);
};

template <FalconEngine E, unsigned P = 0>
requires(P < 4) struct Dmemd : PFalconRegister<Dmemd<E, P>, E, 0x1c4 + 8 * P> {
	using PFalconRegister<Dmemd<E, P>, E, 0x1c4 + 8 * P>::PFalconRegister;
	REG_FIELD(data, 31, 0);
};

template <FalconEngine E> struct Engine : PFalconRegister<Engine<E>, E, 0x3c0> {
	using PFalconRegister<Engine<E>, E, 0x3c0>::PFalconRegister;
	REG_FIELD(reset, 0, 0);
};

inline constexpr u32 FBIF_TARGET_LOCAL_FB = 0;
inline constexpr u32 FBIF_TARGET_COHERENT_SYSMEM = 1;
inline constexpr u32 FBIF_TARGET_NONCOHERENT_SYSMEM = 2;
inline constexpr u32 FBIF_MEM_TYPE_PHYSICAL = 1;

/* What DMA context @I (of 8) reaches; loads use context 0. */
template <FalconEngine E, unsigned I = 0>
requires(I < 8) struct FbifTranscfg : PFalconRegister<FbifTranscfg<E, I>, E, 0x600 + 4 * I> {
	using PFalconRegister<FbifTranscfg<E, I>, E, 0x600 + 4 * I>::PFalconRegister;
	REG_FIELD(target, 1, 0);
	REG_FIELD(mem_type, 2, 2);
};

template <FalconEngine E> struct FbifCtl : PFalconRegister<FbifCtl<E>, E, 0x624> {
	using PFalconRegister<FbifCtl<E>, E, 0x624>::PFalconRegister;
	REG_FIELD(allow_phys_no_ctx, 7, 7);
};

/* FSP's EMEM (its message queue's memory): control and data. */
template <FalconEngine E>
requires(E::HAS_EMEM) struct Ememc : PFalconRegister<Ememc<E>, E, 0xac0> {
	using PFalconRegister<Ememc<E>, E, 0xac0>::PFalconRegister;
	REG_FIELD(offs, 7, 2);
	REG_FIELD(blk, 15, 8);
	REG_FIELD(aincw, 24, 24);
	REG_FIELD(aincr, 25, 25);
};

template <FalconEngine E>
requires(E::HAS_EMEM) struct Ememd : PFalconRegister<Ememd<E>, E, 0xac4> {
	using PFalconRegister<Ememd<E>, E, 0xac4>::PFalconRegister;
	REG_FIELD(data, 31, 0);
};

/* PFALCON2 */

inline constexpr u32 MOD_SEL_ALGO_RSA3K = 1;

/* The signature algorithm the boot ROM checks with (GA102 HAL). */
template <FalconEngine E> struct ModSel : PFalcon2Register<ModSel<E>, E, 0x180> {
	using PFalcon2Register<ModSel<E>, E, 0x180>::PFalcon2Register;
	REG_FIELD(algo, 7, 0);
};

template <FalconEngine E> struct BromCurrUcodeId : PFalcon2Register<BromCurrUcodeId<E>, E, 0x198> {
	using PFalcon2Register<BromCurrUcodeId<E>, E, 0x198>::PFalcon2Register;
	REG_FIELD(ucode_id, 7, 0);
};

template <FalconEngine E> struct BromEngidmask : PFalcon2Register<BromEngidmask<E>, E, 0x19c> {
	using PFalcon2Register<BromEngidmask<E>, E, 0x19c>::PFalcon2Register;
	REG_FIELD(value, 31, 0);
};

/* BROM_PARAADDR(0): the DMEM offset of the signature. */
template <FalconEngine E> struct BromParaaddr0 : PFalcon2Register<BromParaaddr0<E>, E, 0x210> {
	using PFalcon2Register<BromParaaddr0<E>, E, 0x210>::PFalcon2Register;
	REG_FIELD(value, 31, 0);
};

/* TU102 HAL: whether the RISC-V core runs. */
template <FalconEngine E> struct RiscvCoreSwitchStatus
	: PFalcon2Register<RiscvCoreSwitchStatus<E>, E, 0x240> {
	using PFalcon2Register<RiscvCoreSwitchStatus<E>, E, 0x240>::PFalcon2Register;
	REG_FIELD(active_stat, 0, 0);
};

/* GA102 HAL: the RISC-V core's state. */
template <FalconEngine E> struct RiscvCpuctl : PFalcon2Register<RiscvCpuctl<E>, E, 0x388> {
	using PFalcon2Register<RiscvCpuctl<E>, E, 0x388>::PFalcon2Register;
	REG_FIELD(halted, 4, 4);
	REG_FIELD(active_stat, 7, 7);
};

/* GA102 HAL: which core (falcon 0, RISC-V 1) boots. */
template <FalconEngine E> struct RiscvBcrCtrl : PFalcon2Register<RiscvBcrCtrl<E>, E, 0x668> {
	using PFalcon2Register<RiscvBcrCtrl<E>, E, 0x668>::PFalcon2Register;
	REG_FIELD(valid, 0, 0); /* read-only */
	REG_FIELD(core_select, 4, 4);
	REG_FIELD(br_fetch, 8, 8);
};

} // namespace nova::core::falcon

#endif /* NOVA_CORE_FALCON_REGS_H */
