/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Modules: metadata and the init/exit entry points.
 *
 * A module is a type with `static Result<KBox<T>> init()`; its instance lives
 * from module init to module exit, and exit is its destructor. There are no
 * global constructors in a module (the loader ignores .init_array), so
 * module-level state belongs in that type.
 *
 *	KERNEL_MODULE(MyModule);
 *	KERNEL_MODULE_LICENSE("GPL");
 *	KERNEL_MODULE_DESCRIPTION("...");
 */
#ifndef KERNEL_MODULE_H
#define KERNEL_MODULE_H

#include <kernel/alloc.h>
#include <kcxx/device_table.h>

struct module;
struct kernel_param_ops;

extern "C" {
/* Defined by modpost in every module's .mod.c. */
extern struct module __this_module;
/* The kernel's parser of boolean module parameters. */
extern const struct kernel_param_ops param_ops_bool;
/* The entry points the module loader calls. */
int init_module(void);
void cleanup_module(void);
}

namespace kernel {

inline struct module *this_module()
{
	return &__this_module;
}

/*
 * The module type of a module that is one driver registration Reg (a
 * pci::DriverRegistration, an auxiliary::DriverRegistration): registered at
 * load, unregistered at unload. See KERNEL_PCI_DRIVER().
 */
template <typename Reg> class RegistrationModule {
public:
	static Result<KBox<RegistrationModule>> init()
	{
		auto reg = TRY(Reg::register_driver(this_module(), KBUILD_MODNAME));
		return KBox<RegistrationModule>::create(gfp::KERNEL, ktl::move(reg));
	}

	explicit RegistrationModule(Reg reg) : reg_(ktl::move(reg)) {}

private:
	Reg reg_;
};

namespace detail {
/* A device id table as one object, for the symbols modpost reads. */
template <typename Id, ktl::size_t N> struct IdTable {
	Id ids[N];
};
template <typename Id, ktl::size_t N> constexpr IdTable<Id, N> copy_table(const Id (&t)[N])
{
	IdTable<Id, N> r {};
	for (ktl::size_t i = 0; i < N; i++)
		r.ids[i] = t[i];
	return r;
}
/* Same layout as struct kernel_param (checked against the generated layout). */
struct KernelParam {
	const char *name;
	struct module *mod;
	const struct kernel_param_ops *ops;
	ktl::u16 perm;
	ktl::s8 level;
	ktl::u8 flags;
	void *arg;
};
static_assert(sizeof(KernelParam) == KCXX_KERNEL_PARAM_SIZE);
static_assert(__builtin_offsetof(KernelParam, name) == KCXX_KERNEL_PARAM_NAME);
static_assert(__builtin_offsetof(KernelParam, mod) == KCXX_KERNEL_PARAM_MOD);
static_assert(__builtin_offsetof(KernelParam, ops) == KCXX_KERNEL_PARAM_OPS);
static_assert(__builtin_offsetof(KernelParam, perm) == KCXX_KERNEL_PARAM_PERM);
static_assert(__builtin_offsetof(KernelParam, level) == KCXX_KERNEL_PARAM_LEVEL);
static_assert(__builtin_offsetof(KernelParam, flags) == KCXX_KERNEL_PARAM_FLAGS);
static_assert(__builtin_offsetof(KernelParam, arg) == KCXX_KERNEL_PARAM_ARG);
} // namespace detail

} // namespace kernel

#define KCXX_CAT2(a, b) a##b
#define KCXX_CAT(a, b) KCXX_CAT2(a, b)

/* A .modinfo "tag=value" string, as modpost and modinfo read them. */
#define KERNEL_MODULE_INFO(tag, value)                                                       \
	[[gnu::section(".modinfo"), gnu::used, gnu::aligned(1)]] static const char KCXX_CAT( \
		kcxx_modinfo_, __COUNTER__)[] = #tag "=" value

#define KERNEL_MODULE_LICENSE(l) KERNEL_MODULE_INFO(license, l)
#define KERNEL_MODULE_AUTHOR(a) KERNEL_MODULE_INFO(author, a)
#define KERNEL_MODULE_DESCRIPTION(d) KERNEL_MODULE_INFO(description, d)
#define KERNEL_MODULE_ALIAS(a) KERNEL_MODULE_INFO(alias, a)
#define KERNEL_MODULE_SOFTDEP(s) KERNEL_MODULE_INFO(softdep, s)
#define KERNEL_MODULE_FIRMWARE(f) KERNEL_MODULE_INFO(firmware, f)
#define KERNEL_MODULE_PARM_DESC(name, d) KERNEL_MODULE_INFO(parm, #name ":" d)

/*
 * A boolean module parameter @name (a static bool of the module, set by the
 * loader before init), with sysfs permissions @perm.
 */
#define KERNEL_MODULE_PARAM_BOOL(name, def, perm, desc)                                       \
	static bool name = def;                                                               \
	static const char kcxx_param_str_##name[] = #name;                                    \
	[[gnu::used, gnu::section("__param"),                                                 \
	  gnu::aligned(sizeof(                                                                \
		  void *))]] static const ::kernel::detail::KernelParam kcxx_param_##name = { \
		kcxx_param_str_##name, &__this_module, &param_ops_bool, (perm), -1, 0, &name  \
	};                                                                                    \
	KERNEL_MODULE_INFO(parmtype, #name ":bool");                                          \
	KERNEL_MODULE_INFO(parm, #name ":" desc)

/*
 * init_module() goes in .init.text, as a C module's __init function does:
 * the kernel frees it once the module is loaded.
 */
#define KERNEL_MODULE(Type)                                                        \
	static Type *kcxx_module_instance;                                         \
	extern "C" [[gnu::section(".init.text"), gnu::cold]] int init_module(void) \
	{                                                                          \
		::kernel::Result<::kernel::KBox<Type>> r = Type::init();           \
		if (!r)                                                            \
			return r.error().to_errno();                               \
		kcxx_module_instance = r.value().into_raw();                       \
		return 0;                                                          \
	}                                                                          \
	extern "C" void cleanup_module(void)                                       \
	{                                                                          \
		::kernel::KBox<Type>::from_raw(kcxx_module_instance).reset();      \
	}                                                                          \
	/* The loader calls these through pointers; keep their ENDBR. */           \
	[[gnu::used, gnu::section(".init.data")]] static void *kcxx_init_addr =    \
		reinterpret_cast<void *>(&init_module);                            \
	[[gnu::used, gnu::section(".exit.data")]] static void *kcxx_exit_addr =    \
		reinterpret_cast<void *>(&cleanup_module)

#endif /* KERNEL_MODULE_H */
