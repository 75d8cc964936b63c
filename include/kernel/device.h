/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Devices.
 *
 * kernel::Device is the C++ view of a struct device: a reference to it is a
 * reference to the kernel's object (it is never constructed in C++), so it
 * can be lent out freely, and ARef<Device> holds a counted reference.
 */
#ifndef KERNEL_DEVICE_H
#define KERNEL_DEVICE_H

#include <kernel/alloc.h>
#include <kernel/aref.h>
#include <kernel/error.h>
#include <kcxx/bindings.h>

namespace kernel {

class Device {
public:
	Device() = delete;
	Device(const Device &) = delete;
	Device &operator=(const Device &) = delete;

	static Device &from_raw(struct device *d) { return *reinterpret_cast<Device *>(d); }
	struct device *raw_device() const
	{
		return reinterpret_cast<struct device *>(const_cast<Device *>(this));
	}

	const char *name() const { return kcxx_dev_name(raw_device()); }
	Device *parent() const
	{
		struct device *p = kcxx_dev_parent(raw_device());
		return p ? &from_raw(p) : nullptr;
	}

	void inc_ref() const noexcept { kcxx_get_device(raw_device()); }
	void dec_ref() const noexcept { kcxx_put_device(raw_device()); }
};

/*
 * A read-only sysfs attribute of a bound device, served by a member of the
 * driver's data type T: `long T::show(char *buf) const` writing with
 * sysfs_emit(). Built at compile time with attribute<&T::show>("name").
 */
struct Attribute {
	const char *name;
	long (*show)(struct device *dev, char *buf);
};
static_assert(sizeof(Attribute) == sizeof(kcxx_attr_desc));

namespace detail {
/* Stores what a driver's probe() returned as @dev's driver data. */
template <typename T> int bind_driver_data(struct device *dev, Result<KBox<T>> r)
{
	if (!r)
		return r.error().to_errno();
	kcxx_dev_set_drvdata(dev, r.value().into_raw());
	return 0;
}

/* Destroys @dev's driver data: a bus driver's remove(). */
template <typename T> void unbind_driver_data(struct device *dev)
{
	KBox<T>::from_raw(static_cast<T *>(kcxx_dev_get_drvdata(dev))).reset();
	kcxx_dev_set_drvdata(dev, nullptr);
}

template <typename T, long (T::*Show)(char *) const>
long attribute_show(struct device *dev, char *buf)
{
	return (static_cast<const T *>(kcxx_dev_get_drvdata(dev))->*Show)(buf);
}
template <typename> struct MemberOf;
template <typename T> struct MemberOf<long (T::*)(char *) const> {
	using type = T;
};
} // namespace detail

template <auto Show> constexpr Attribute attribute(const char *name)
{
	using T = typename detail::MemberOf<decltype(Show)>::type;
	return Attribute { name, &detail::attribute_show<T, Show> };
}

/* Formats into a sysfs buffer (one page); returns the length, as show() must. */
#define sysfs_emit(buf, fmt, ...) kcxx_sysfs_emit(buf, fmt, ##__VA_ARGS__)

} // namespace kernel

#endif /* KERNEL_DEVICE_H */
