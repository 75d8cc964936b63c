/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI drivers, devices and BARs.
 *
 * A PCI driver is a type T with:
 *
 *	static constexpr const char *NAME = "...";
 *	static constexpr pci::DeviceId ID_TABLE[] = { ..., {} };
 *	static Result<KBox<T>> probe(pci::Device &pdev, const pci::DeviceId &id);
 *
 * and optionally `static constexpr Attribute ATTRIBUTES[]` (sysfs files of
 * bound devices, in the subdirectory ATTRIBUTE_GROUP if the type names
 * one). probe() returns the driver data; removal destroys it, so ~T() is
 * remove(). PCI_DEVICE_TABLE(T) publishes the id table for modpost so that
 * modprobe autoloads the module by alias.
 */
#ifndef KERNEL_PCI_H
#define KERNEL_PCI_H

#include <kernel/alloc.h>
#include <kernel/device.h>
#include <kernel/io.h>
#include <kernel/module.h>

namespace kernel::pci {

/* Same layout as struct pci_device_id (checked against the generated layout). */
struct DeviceId {
	ktl::u32 vendor, device, subvendor, subdevice, class_, class_mask;
	unsigned long driver_data;
	ktl::u32 override_only;
};
static_assert(sizeof(DeviceId) == KCXX_PCI_DEVICE_ID_SIZE);
static_assert(__builtin_offsetof(DeviceId, vendor) == KCXX_PCI_DEVICE_ID_VENDOR);
static_assert(__builtin_offsetof(DeviceId, device) == KCXX_PCI_DEVICE_ID_DEVICE);
static_assert(__builtin_offsetof(DeviceId, subvendor) == KCXX_PCI_DEVICE_ID_SUBVENDOR);
static_assert(__builtin_offsetof(DeviceId, subdevice) == KCXX_PCI_DEVICE_ID_SUBDEVICE);
static_assert(__builtin_offsetof(DeviceId, class_) == KCXX_PCI_DEVICE_ID_CLASS);
static_assert(__builtin_offsetof(DeviceId, class_mask) == KCXX_PCI_DEVICE_ID_CLASS_MASK);
static_assert(__builtin_offsetof(DeviceId, driver_data) == KCXX_PCI_DEVICE_ID_DRIVER_DATA);

inline constexpr ktl::u32 ANY_ID = ~0u;

/* Matches vendor:device. */
constexpr DeviceId device(ktl::u32 vendor, ktl::u32 dev, unsigned long data = 0)
{
	return DeviceId { vendor, dev, ANY_ID, ANY_ID, 0, 0, data, 0 };
}

/* Matches any device of @vendor whose class code (24 bits) is @class_code. */
constexpr DeviceId vendor_class(ktl::u32 vendor, ktl::u32 class_code, unsigned long data = 0)
{
	return DeviceId { vendor, ANY_ID, ANY_ID, ANY_ID, class_code, 0xffffff, data, 0 };
}

/* The C++ view of a struct pci_dev; see kernel::Device. */
class Device {
public:
	Device() = delete;
	Device(const Device &) = delete;

	static Device &from_raw(struct pci_dev *p) { return *reinterpret_cast<Device *>(p); }
	/* The PCI device behind a generic one, or nullptr if it is not PCI. */
	static Device *from_device(kernel::Device &d)
	{
		struct pci_dev *p = kcxx_to_pci_dev(d.raw_device());
		return p ? &from_raw(p) : nullptr;
	}
	struct pci_dev *raw() const
	{
		return reinterpret_cast<struct pci_dev *>(const_cast<Device *>(this));
	}
	struct device *raw_device() const { return kcxx_pci_dev_device(raw()); }
	kernel::Device &as_device() const { return kernel::Device::from_raw(raw_device()); }

	ktl::u16 vendor() const { return kcxx_pci_vendor(raw()); }
	ktl::u16 device_id() const { return kcxx_pci_device_id(raw()); }
	/* Class code: base class, subclass and interface (24 bits). */
	ktl::u32 class_code() const { return kcxx_pci_class(raw()); }
	ktl::u16 subsystem_vendor() const { return kcxx_pci_subsystem_vendor(raw()); }
	ktl::u16 subsystem_device() const { return kcxx_pci_subsystem_device(raw()); }
	/* The revision ID of the configuration header. */
	ktl::u8 revision() const { return kcxx_pci_revision(raw()); }
	/* The kernel's pci_dev_id(): bus number << 8 | devfn. */
	ktl::u16 bus_devfn() const { return kcxx_pci_dev_id(raw()); }

	ktl::u64 resource_start(int bar) const { return kcxx_pci_resource_start(raw(), bar); }
	ktl::u64 resource_len(int bar) const { return kcxx_pci_resource_len(raw(), bar); }
	bool resource_is_mem64(int bar) const
	{
		return kcxx_pci_resource_flags(raw(), bar) & KCXX_IORESOURCE_MEM_64;
	}
	bool resource_is_mem(int bar) const
	{
		return kcxx_pci_resource_flags(raw(), bar) & KCXX_IORESOURCE_MEM;
	}

	void set_master() { kcxx_pci_set_master(raw()); }

	void inc_ref() const noexcept { kcxx_get_device(raw_device()); }
	void dec_ref() const noexcept { kcxx_put_device(raw_device()); }
};

/* An enabled device; disabled again when this goes out of scope. */
class EnabledDevice {
public:
	static Result<EnabledDevice> enable_mem(Device &pdev)
	{
		TRY(to_result(kcxx_pci_enable_device_mem(pdev.raw())));
		return EnabledDevice(&pdev);
	}
	EnabledDevice(EnabledDevice &&o) noexcept : pdev_(ktl::exchange(o.pdev_, nullptr)) {}
	EnabledDevice(const EnabledDevice &) = delete;
	~EnabledDevice()
	{
		if (pdev_)
			kcxx_pci_disable_device(pdev_->raw());
	}

private:
	explicit EnabledDevice(Device *p) : pdev_(p) {}
	Device *pdev_;
};

/*
 * A requested and mapped memory BAR of at least Size bytes. The region is
 * released and the mapping undone when the Bar is destroyed.
 */
template <ktl::size_t Size> class Bar : public io::Io<Size> {
public:
	/* ENODEV if the BAR is not memory or shorter than Size; EBUSY if taken. */
	static Result<Bar> map(Device &pdev, int index, const char *name)
	{
		if (!pdev.resource_is_mem(index) || pdev.resource_len(index) < Size)
			return err::ENODEV;
		TRY(to_result(kcxx_pci_request_region(pdev.raw(), index, name)));
		void *addr = kcxx_pci_iomap(pdev.raw(), index, Size);
		if (!addr) {
			kcxx_pci_release_region(pdev.raw(), index);
			return err::ENOMEM;
		}
		return Bar(pdev, index, static_cast<unsigned char *>(addr), Size);
	}

	Bar(Bar &&o) noexcept
		: io::Io<Size>(ktl::exchange(o.addr_, nullptr), o.len_), pdev_(o.pdev_),
		  index_(o.index_)
	{}
	Bar(const Bar &) = delete;
	~Bar()
	{
		if (!this->addr_)
			return;
		kcxx_pci_iounmap(pdev_->raw(), this->addr_);
		kcxx_pci_release_region(pdev_->raw(), index_);
	}

	int index() const { return index_; }

private:
	Bar(Device &pdev, int index, unsigned char *addr, ktl::size_t len)
		: io::Io<Size>(addr, len), pdev_(&pdev), index_(index)
	{}
	Device *pdev_;
	int index_;
};

template <typename T>
concept Driver = requires(Device &pdev, const DeviceId &id)
{
	{
		T::NAME
		} -> ktl::convertible_to<const char *>;
	T::ID_TABLE;
	{
		T::probe(pdev, id)
		} -> ktl::same_as<Result<KBox<T>>>;
};

namespace detail {
template <typename T> constexpr const Attribute *attributes()
{
	if constexpr (requires { T::ATTRIBUTES; })
		return T::ATTRIBUTES;
	else
		return nullptr;
}
template <typename T> constexpr const char *attribute_group()
{
	if constexpr (requires { T::ATTRIBUTE_GROUP; })
		return T::ATTRIBUTE_GROUP;
	else
		return nullptr;
}
template <typename T> constexpr unsigned int nr_attributes()
{
	if constexpr (requires { T::ATTRIBUTES; })
		return sizeof(T::ATTRIBUTES) / sizeof(T::ATTRIBUTES[0]);
	else
		return 0;
}
} // namespace detail

/*
 * The registration of driver T with the PCI core: registered while this
 * object exists. The kernel's struct pci_driver is in static storage, so
 * there is at most one registration of a T at a time.
 */
template <typename T> class DriverRegistration {
	static_assert(
		requires { T::NAME; }, "pci driver: missing required member NAME");
	static_assert(
		requires { T::ID_TABLE; }, "pci driver: missing required member ID_TABLE");
	static_assert(
		requires { &T::probe; }, "pci driver: missing required operation probe()");
	static_assert(Driver<T>, "pci driver: probe() must be Result<KBox<T>> probe(pci::Device &, "
				 "const pci::DeviceId &)");
	static_assert(T::ID_TABLE[sizeof(T::ID_TABLE) / sizeof(T::ID_TABLE[0]) - 1].vendor == 0,
		      "pci: ID_TABLE must end with an empty entry {}");

public:
	static Result<DriverRegistration> register_driver(struct module *owner, const char *modname)
	{
		static constexpr kcxx_pci_driver_desc desc = {
			.name = T::NAME,
			.id_table = T::ID_TABLE,
			.probe = probe,
			.remove = remove,
			.attr_group = detail::attribute_group<T>(),
			.attrs = detail::attributes<T>(),
			.nr_attrs = detail::nr_attributes<T>(),
		};
		TRY(to_result(kcxx_pci_register_driver(storage_, &desc, owner, modname)));
		return DriverRegistration(true);
	}

	DriverRegistration(DriverRegistration &&o) noexcept : live_(ktl::exchange(o.live_, false))
	{}
	DriverRegistration(const DriverRegistration &) = delete;
	~DriverRegistration()
	{
		if (live_)
			kcxx_pci_unregister_driver(storage_);
	}

	/* Also bind devices matching vendor:device (a dynamic id, as new_id does). */
	Result<void> add_dynamic_id(ktl::u32 vendor, ktl::u32 device, unsigned long data)
	{
		return to_result(kcxx_pci_add_dynid(storage_, vendor, device, 0, 0, data));
	}

private:
	explicit DriverRegistration(bool live) : live_(live) {}
	bool live_;

	static int probe(struct pci_dev *raw, const struct pci_device_id *id)
	{
		Device &pdev = Device::from_raw(raw);
		return kernel::detail::bind_driver_data(
			pdev.raw_device(), T::probe(pdev, *reinterpret_cast<const DeviceId *>(id)));
	}

	static void remove(struct pci_dev *raw)
	{
		kernel::detail::unbind_driver_data<T>(Device::from_raw(raw).raw_device());
	}

	alignas(KCXX_PCI_DRIVER_ALIGN) static inline unsigned char storage_[KCXX_PCI_DRIVER_SIZE];
};

} // namespace kernel::pci

/*
 * A module that is one PCI driver: registers T at load, unregisters it at
 * unload, and publishes T's id table for autoloading.
 */
#define KERNEL_PCI_DRIVER(T)                      \
	PCI_DEVICE_TABLE(T, kcxx_pci_driver_ids); \
	KERNEL_MODULE(::kernel::RegistrationModule<::kernel::pci::DriverRegistration<T>>)

/*
 * Publishes T::ID_TABLE under the symbol modpost reads device tables from,
 * so the module gets its modaliases; @name is any identifier.
 */
#define PCI_DEVICE_TABLE(T, name)                                                 \
	extern "C" [[gnu::used]] const auto KCXX_DEVICE_TABLE_SYMBOL(pci, name) = \
		::kernel::detail::copy_table(T::ID_TABLE)

#endif /* KERNEL_PCI_H */
