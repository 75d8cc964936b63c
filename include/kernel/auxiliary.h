/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Auxiliary bus: drivers, and registrations of devices.
 *
 * An auxiliary driver is a type T with NAME (or nullptr: the module name),
 * ID_TABLE (auxiliary::DeviceId entries "<modname>.<name>", ending with {})
 * and `static Result<KBox<T>> probe(auxiliary::Device &, const DeviceId &)`;
 * ~T() is remove(), as for PCI.
 *
 * auxiliary::Registration creates the device "<modname>.<name>.<id>" under
 * a parent, with an id unique among the library's users; destroying the
 * Registration deletes the device (unbinding its driver first).
 *
 * auxiliary::DataRegistration<T> does the same for a device that carries a
 * T, built by the parent's driver and owned by the registration; the
 * child's driver reads it with Device::registration_data<T>() while it is
 * bound. The child names the type it expects: a device carrying another
 * type (or none) is an error, never a reinterpretation.
 */
#ifndef KERNEL_AUXILIARY_H
#define KERNEL_AUXILIARY_H

#include <kernel/alloc.h>
#include <kernel/device.h>
#include <kernel/module.h>

namespace kernel::auxiliary {

namespace detail {
/*
 * T's name as the compiler spells it, the same in every module built from
 * these sources: the key that tells data types apart across modules (the
 * address of a per-type object would differ between modules).
 */
template <typename T> struct TypeKey {
	static constexpr const char *name() { return __PRETTY_FUNCTION__; }
};

constexpr bool contains(const char *s, const char *word)
{
	for (; *s; s++) {
		const char *a = s, *b = word;
		while (*a && *b && *a == *b)
			a++, b++;
		if (!*b)
			return true;
	}
	return false;
}

/* Two modules' types in anonymous namespaces may share a name: refuse them. */
template <typename T> constexpr const char *type_key()
{
	/* GCC spells it "{anonymous}", clang "(anonymous namespace)". */
	static_assert(!contains(TypeKey<T>::name(), "{anonymous}") &&
			      !contains(TypeKey<T>::name(), "(anonymous namespace)"),
		      "auxiliary: data shared between drivers needs a type with a name "
		      "of its own (not in an anonymous namespace)");
	return TypeKey<T>::name();
}
} // namespace detail

/* Same layout as struct auxiliary_device_id. */
struct DeviceId {
	char name[KCXX_AUXILIARY_NAME_SIZE];
	unsigned long driver_data;
};
static_assert(sizeof(DeviceId) == KCXX_AUXILIARY_DEVICE_ID_SIZE);
static_assert(__builtin_offsetof(DeviceId, name) == KCXX_AUXILIARY_DEVICE_ID_NAME);
static_assert(__builtin_offsetof(DeviceId, driver_data) == KCXX_AUXILIARY_DEVICE_ID_DRIVER_DATA);

/* An id entry; a name that does not fit is a compile error. */
template <ktl::size_t N> consteval DeviceId id(const char (&name)[N], unsigned long data = 0)
{
	static_assert(N <= KCXX_AUXILIARY_NAME_SIZE, "auxiliary device name too long");
	DeviceId d {};
	for (ktl::size_t i = 0; i < N; i++)
		d.name[i] = name[i];
	d.driver_data = data;
	return d;
}

class Device {
public:
	Device() = delete;
	Device(const Device &) = delete;

	static Device &from_raw(struct auxiliary_device *a)
	{
		return *reinterpret_cast<Device *>(a);
	}
	struct auxiliary_device *raw() const
	{
		return reinterpret_cast<struct auxiliary_device *>(const_cast<Device *>(this));
	}
	struct device *raw_device() const { return kcxx_auxiliary_dev_device(raw()); }
	kernel::Device &as_device() const { return kernel::Device::from_raw(raw_device()); }
	unsigned int id() const { return kcxx_auxiliary_dev_id(raw()); }
	kernel::Device *parent() const { return as_device().parent(); }

	/**
	 * registration_data() - the T this device's DataRegistration<T> carries
	 *
	 * For the driver bound to this device, in probe() and while bound: the
	 * registration outlives the binding. Copy what must live longer.
	 *
	 * Return: a reference to the parent driver's T; ENODEV if the device
	 * carries no data (a plain Registration, or a device made outside this
	 * library); EINVAL if it carries data of another type.
	 */
	template <typename T> Result<ktl::reference_wrapper<const T>> registration_data() const
	{
		int err;
		const void *p =
			kcxx_auxiliary_device_data(raw(), detail::type_key<T>(), sizeof(T), &err);
		if (!p)
			return Error::from_errno(err);
		return ktl::reference_wrapper<const T>(*static_cast<const T *>(p));
	}
};

template <typename T>
concept Driver = requires(Device &adev, const DeviceId &id)
{
	T::ID_TABLE;
	{
		T::probe(adev, id)
		} -> ktl::same_as<Result<KBox<T>>>;
};

/* Registered while this object exists; see pci::DriverRegistration. */
template <typename T> class DriverRegistration {
	static_assert(
		requires { T::ID_TABLE; }, "auxiliary driver: missing required member ID_TABLE");
	static_assert(
		requires { &T::probe; }, "auxiliary driver: missing required operation probe()");
	static_assert(Driver<T>, "auxiliary driver: probe() must be Result<KBox<T>> "
				 "probe(auxiliary::Device &, const auxiliary::DeviceId &)");

public:
	static Result<DriverRegistration> register_driver(struct module *owner, const char *modname)
	{
		static constexpr kcxx_auxiliary_driver_desc desc = {
			.name = T::NAME,
			.id_table = T::ID_TABLE,
			.probe = probe,
			.remove = remove,
		};
		TRY(to_result(kcxx_auxiliary_register_driver(storage_, &desc, owner, modname)));
		return DriverRegistration(true);
	}

	DriverRegistration(DriverRegistration &&o) noexcept : live_(ktl::exchange(o.live_, false))
	{}
	DriverRegistration(const DriverRegistration &) = delete;
	~DriverRegistration()
	{
		if (live_)
			kcxx_auxiliary_unregister_driver(storage_);
	}

private:
	explicit DriverRegistration(bool live) : live_(live) {}
	bool live_;

	static int probe(struct auxiliary_device *raw, const struct auxiliary_device_id *id)
	{
		Device &adev = Device::from_raw(raw);
		return kernel::detail::bind_driver_data(
			adev.raw_device(), T::probe(adev, *reinterpret_cast<const DeviceId *>(id)));
	}

	static void remove(struct auxiliary_device *raw)
	{
		kernel::detail::unbind_driver_data<T>(Device::from_raw(raw).raw_device());
	}

	alignas(KCXX_AUXILIARY_DRIVER_ALIGN) static inline unsigned char storage_
		[KCXX_AUXILIARY_DRIVER_SIZE];
};

/* An auxiliary device that exists exactly as long as this object. */
class Registration {
public:
	/* @name must outlive the registration (a string literal). */
	static Result<Registration> create(kernel::Device &parent, const char *modname,
					   const char *name)
	{
		return create_carrying(parent, modname, name, nullptr, nullptr, 0);
	}

	Registration(Registration &&o) noexcept : adev_(ktl::exchange(o.adev_, nullptr)) {}
	Registration(const Registration &) = delete;
	Registration &operator=(const Registration &) = delete;
	~Registration()
	{
		if (adev_)
			kcxx_auxiliary_device_destroy(adev_);
	}

	unsigned int id() const { return kcxx_auxiliary_dev_id(adev_); }
	Device &device() const { return Device::from_raw(adev_); }

private:
	template <typename T> friend class DataRegistration;

	explicit Registration(struct auxiliary_device *a) : adev_(a) {}

	static Result<Registration> create_carrying(kernel::Device &parent, const char *modname,
						    const char *name, const void *data,
						    const char *type, ktl::size_t size)
	{
		int err;
		struct auxiliary_device *adev = kcxx_auxiliary_device_create(
			parent.raw_device(), modname, name, data, type, size, &err);
		if (!adev)
			return Error::from_errno(err);
		return Registration(adev);
	}

	struct auxiliary_device *adev_;
};

/*
 * An auxiliary device that carries a T for the driver that binds it. The
 * registration owns the T: it is built before the device is added and
 * destroyed after the device is deleted (its driver unbound), so a child
 * never sees it half-made or gone. The T is not changed while registered:
 * both sides only get a const reference.
 */
template <typename T> class DataRegistration {
public:
	/* As Registration::create(), the device carrying @data; ENOMEM for its copy. */
	static Result<DataRegistration> create(kernel::Device &parent, const char *modname,
					       const char *name, T data)
	{
		auto box = TRY(KBox<T>::create(gfp::KERNEL, ktl::move(data)));
		auto reg = TRY(Registration::create_carrying(parent, modname, name, box.get(),
							     detail::type_key<T>(), sizeof(T)));
		return DataRegistration(ktl::move(box), ktl::move(reg));
	}

	DataRegistration(DataRegistration &&) noexcept = default;
	DataRegistration(const DataRegistration &) = delete;
	DataRegistration &operator=(const DataRegistration &) = delete;

	const T &data() const { return *data_; }
	unsigned int id() const { return reg_.id(); }
	Device &device() const { return reg_.device(); }

private:
	DataRegistration(KBox<T> data, Registration reg)
		: data_(ktl::move(data)), reg_(ktl::move(reg))
	{}

	/* Destroyed in reverse order: the device (and its binding) first. */
	KBox<T> data_;
	Registration reg_;
};

} // namespace kernel::auxiliary

/* A module that is one auxiliary driver, as KERNEL_PCI_DRIVER(). */
#define KERNEL_AUXILIARY_DRIVER(T)                            \
	AUXILIARY_DEVICE_TABLE(T, kcxx_auxiliary_driver_ids); \
	KERNEL_MODULE(::kernel::RegistrationModule<::kernel::auxiliary::DriverRegistration<T>>)

/* Publishes T::ID_TABLE as the module's auxiliary device table (modaliases). */
#define AUXILIARY_DEVICE_TABLE(T, name)                                                 \
	extern "C" [[gnu::used]] const auto KCXX_DEVICE_TABLE_SYMBOL(auxiliary, name) = \
		::kernel::detail::copy_table(T::ID_TABLE)

#endif /* KERNEL_AUXILIARY_H */
