/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DRM drivers: the driver description, devices, registrations, files and
 * the ioctl table.
 *
 * A DRM driver is a type D that declares, checked at compile time:
 *
 *	static constexpr drm::Info INFO = { "name", "desc", "date", 0, 0, 0 };
 *	static constexpr ktl::u32 FEATURES = drm::FEAT_GEM | drm::FEAT_RENDER; // | FEAT_MODESET
 *	using Data = ...;   // per-device state, lives in drm::Device<D>
 *	using File = ...;   // per-open state, constructed from (drm::Device<D> &)
 *	using Ioctls = drm::IoctlTable<drm::Ioctl<CMD, Arg, &handler, flags>, ...>;
 *
 * A missing required member is a build error naming it; the optional ones
 * (File, Ioctls) become NULL callbacks in the generated struct drm_driver.
 * Every ioctl handler has the form
 *
 *	Result<void> handler(drm::Device<D> &, Arg &, drm::File<D> &);
 *
 * and runs inside drm_dev_enter()/drm_dev_exit(): once the device is
 * unplugged, ioctls fail with ENODEV without reaching the handler.
 */
#ifndef KERNEL_DRM_H
#define KERNEL_DRM_H

#include <kernel/alloc.h>
#include <kernel/aref.h>
#include <kernel/device.h>
#include <kernel/module.h>

namespace kernel::drm {

struct Info {
	const char *name;
	const char *desc;
	const char *date;
	int major, minor, patchlevel;
};

inline constexpr ktl::u32 FEAT_GEM = KCXX_DRIVER_GEM;
inline constexpr ktl::u32 FEAT_RENDER = KCXX_DRIVER_RENDER;
/*
 * Kernel mode setting with an empty configuration: no CRTC, encoder,
 * connector or plane, and no framebuffer accepted. The primary node then
 * answers the mode-setting queries (GETRESOURCES, GETPLANERESOURCES) as a
 * GPU without a display does: tools that describe DRM devices through
 * them (drm_info) describe this one, while display servers, which look
 * for CRTCs and connectors (libdrm's drmIsKMS()), pass it over. The
 * library wraps no display objects yet, so this is all FEAT_MODESET gives.
 */
inline constexpr ktl::u32 FEAT_MODESET = KCXX_DRIVER_MODESET;

/* Ioctl permission flags, as DRM_AUTH and friends. */
inline constexpr unsigned int AUTH = KCXX_DRM_AUTH;
inline constexpr unsigned int MASTER = KCXX_DRM_MASTER;
inline constexpr unsigned int ROOT_ONLY = KCXX_DRM_ROOT_ONLY;
inline constexpr unsigned int RENDER_ALLOW = KCXX_DRM_RENDER_ALLOW;

template <typename D> class Device;
template <typename D> class File;

template <typename D>
concept Driver = requires
{
	{
		D::INFO
		} -> ktl::convertible_to<Info>;
	{
		D::FEATURES
		} -> ktl::convertible_to<ktl::u32>;
	typename D::Data;
};

/* The decoded parts of an ioctl number (the kernel's _IOC encoding). */
namespace ioc {
constexpr unsigned int nr(unsigned int cmd)
{
	return cmd & 0xff;
}
constexpr unsigned int size(unsigned int cmd)
{
	return (cmd >> 16) & 0x3fff;
}
} // namespace ioc

template <unsigned int Cmd, typename Arg, auto Handler, unsigned int Flags> struct Ioctl {
	static_assert(
		ioc::size(Cmd) == sizeof(Arg),
		"ioctl argument type size does not match the size encoded in the ioctl number");
	static constexpr unsigned int CMD = Cmd;
	static constexpr unsigned int FLAGS = Flags;
	using ArgType = Arg;
	static constexpr auto HANDLER = Handler;
};

template <typename... I> struct IoctlTable {
	static constexpr int COUNT = sizeof...(I);
	static constexpr bool contiguous()
	{
		unsigned int nrs[] = { ioc::nr(I::CMD)... };
		for (int i = 0; i < COUNT; i++)
			if (nrs[i] != KCXX_DRM_COMMAND_BASE + static_cast<unsigned int>(i))
				return false;
		return true;
	}
	static_assert(
		contiguous(),
		"driver ioctls must be numbered contiguously from DRM_COMMAND_BASE, in order");
};

namespace detail {

/* The driver's struct drm_driver and file_operations, filled by init_driver(). */
template <Driver D> struct Storage {
	alignas(KCXX_DRM_DRIVER_ALIGN) static inline unsigned char driver[KCXX_DRM_DRIVER_SIZE];
};

template <typename D> constexpr int ioctl_count()
{
	if constexpr (requires { typename D::Ioctls; })
		return D::Ioctls::COUNT;
	else
		return 0;
}

template <Driver D> struct IoctlStorage {
	static constexpr int N = ioctl_count<D>() ? ioctl_count<D>() : 1;
	alignas(KCXX_DRM_IOCTL_DESC_ALIGN) static inline unsigned char raw
		[N * KCXX_DRM_IOCTL_DESC_SIZE];
};

template <typename D, typename I>
int ioctl_entry(struct drm_device *raw, void *data, struct drm_file *file);

template <typename D, typename Table> struct IoctlDescs;
template <typename D, typename... I> struct IoctlDescs<D, IoctlTable<I...>> {
	static constexpr kcxx_drm_ioctl_desc descs[] = { { I::CMD, I::FLAGS, &ioctl_entry<D, I>,
							   D::INFO.name }... };
};

} // namespace detail

/*
 * A DRM device with driver data D::Data. The struct drm_device is the first
 * member; the data is built before the device is registered, and destroyed
 * when the last reference goes (after every file is closed).
 */
template <typename D> class Device {
public:
	using Data = typename D::Data;

	Device() = delete;
	Device(const Device &) = delete;

	/*
	 * Allocates the device under @parent and constructs its data from
	 * @args. The device's first reference belongs to @parent's binding
	 * (dropped when the driver unbinds); the returned ARef is a second.
	 */
	template <typename... Args>
	static Result<ARef<Device>> create(kernel::Device &parent, Args &&...args)
	{
		return create_under(parent, parent, ktl::forward<Args>(args)...);
	}

	/*
	 * As create(), but the device appears in sysfs under @parent while
	 * @owner's binding owns it: for an auxiliary driver whose DRM device
	 * belongs under the PCI function (where user space looks for its bus).
	 * Open files then also pin the module of @parent's driver.
	 */
	template <typename... Args> static Result<ARef<Device>>
	create_under(kernel::Device &owner, kernel::Device &parent, Args &&...args)
	{
		int err;
		struct drm_device *raw =
			kcxx_drm_dev_alloc(owner.raw_device(), parent.raw_device(),
					   detail::Storage<D>::driver, sizeof(Device), 0, &err);
		if (!raw)
			return Error::from_errno(err);
		Device &dev = from_raw(raw);
		new (&dev.data_) Data(ktl::forward<Args>(args)...);
		/* On failure this runs the action, destroying the data. */
		TRY(to_result(kcxx_drmm_add_action(raw, destroy_data, nullptr)));
		return ARef<Device>::from(dev);
	}

	static Device &from_raw(struct drm_device *raw) { return *reinterpret_cast<Device *>(raw); }
	struct drm_device *raw() const
	{
		return reinterpret_cast<struct drm_device *>(const_cast<unsigned char *>(raw_));
	}

	Data &data() { return data_; }
	const Data &data() const { return data_; }
	Data *operator->() { return &data_; }

	/* The device the DRM device was created under. */
	kernel::Device &parent() const
	{
		return kernel::Device::from_raw(kcxx_drm_dev_parent(raw()));
	}
	struct device *raw_device() const { return kcxx_drm_dev_parent(raw()); }

	void inc_ref() const noexcept { kcxx_drm_dev_get(raw()); }
	void dec_ref() const noexcept { kcxx_drm_dev_put(raw()); }

private:
	static void destroy_data(struct drm_device *raw, void *) { from_raw(raw).data_.~Data(); }

	alignas(KCXX_DRM_DEVICE_ALIGN) unsigned char raw_[KCXX_DRM_DEVICE_SIZE];
	union {
		Data data_;
	};
};

/*
 * A registered DRM device: user space sees its nodes while this exists.
 * Destruction unplugs it: the nodes go, open files stay valid but every
 * ioctl fails with ENODEV, and the device is freed once they are closed.
 */
template <typename D> class Registration {
public:
	static Result<KBox<Registration>> create(ARef<Device<D>> dev)
	{
		KBox<Registration> reg =
			TRY(KBox<Registration>::create(gfp::KERNEL, ktl::move(dev)));
		TRY(to_result(kcxx_drm_dev_register(reg->dev_->raw())));
		reg->registered_ = true;
		return reg;
	}

	explicit Registration(ARef<Device<D>> dev) : dev_(ktl::move(dev)) {}
	Registration(const Registration &) = delete;
	~Registration()
	{
		if (registered_)
			kcxx_drm_dev_unplug(dev_->raw());
	}

	Device<D> &device() const { return *dev_; }

private:
	ARef<Device<D>> dev_;
	bool registered_ = false;
};

/* An open file of a DRM device: the C++ view of a struct drm_file. */
template <typename D> class File {
public:
	File() = delete;
	File(const File &) = delete;

	static File &from_raw(struct drm_file *f) { return *reinterpret_cast<File *>(f); }
	struct drm_file *raw() const
	{
		return reinterpret_cast<struct drm_file *>(const_cast<File *>(this));
	}

	/* The driver's per-open state; only a driver with D::File has one. */
	template <typename Drv = D> typename Drv::File &data() const
	{
		return *static_cast<typename Drv::File *>(kcxx_drm_file_priv(raw()));
	}
};

namespace detail {

template <typename D> int open_file(struct drm_device *raw, struct drm_file *file)
{
	if constexpr (requires { typename D::File; }) {
		using F = typename D::File;
		/* Per-open state lives as long as the file: the opener's cgroup pays. */
		Result<KBox<F>> r = KBox<F>::create(gfp::KERNEL_ACCOUNT, Device<D>::from_raw(raw));
		if (!r)
			return r.error().to_errno();
		kcxx_drm_file_set_priv(file, r.value().into_raw());
	}
	return 0;
}

template <typename D> void close_file(struct drm_device *, struct drm_file *file)
{
	if constexpr (requires { typename D::File; }) {
		using F = typename D::File;
		KBox<F>::from_raw(static_cast<F *>(kcxx_drm_file_priv(file))).reset();
		kcxx_drm_file_set_priv(file, nullptr);
	}
}

/*
 * The function the DRM core calls for ioctl I. A handler with internal
 * linkage, defined in the translation unit that calls init_driver<D>(), is
 * compiled into it: the ioctl then costs one call, as a C driver's handler
 * does (Documentation/performance.rst).
 */
template <typename D, typename I>
int ioctl_entry(struct drm_device *raw, void *data, struct drm_file *file)
{
	int idx;

	if (!drm_dev_enter(raw, &idx))
		return err::ENODEV.to_errno();
	Result<void> r =
		I::HANDLER(Device<D>::from_raw(raw), *static_cast<typename I::ArgType *>(data),
			   File<D>::from_raw(file));
	drm_dev_exit(idx);
	return r.to_errno();
}

template <typename D> constexpr const kcxx_drm_ioctl_desc *ioctl_descs()
{
	if constexpr (requires { typename D::Ioctls; })
		return IoctlDescs<D, typename D::Ioctls>::descs;
	else
		return nullptr;
}

} // namespace detail

/*
 * Fills the driver's static struct drm_driver; call once from module init,
 * before any device of D is created.
 */
template <typename D> Result<void> init_driver(struct module *owner)
{
	static_assert(
		requires { D::INFO; }, "drm driver: missing required member INFO (drm::Info)");
	static_assert(
		requires { D::FEATURES; }, "drm driver: missing required member FEATURES");
	static_assert(
		requires { typename D::Data; }, "drm driver: missing required type Data");
	static constexpr bool has_file = requires
	{
		typename D::File;
	};
	/* Runs in the bindings' open, inside drm_dev_enter(). */
	static constexpr kcxx_drm_driver_desc desc = {
		.name = D::INFO.name,
		.desc = D::INFO.desc,
		.date = D::INFO.date,
		.major = D::INFO.major,
		.minor = D::INFO.minor,
		.patchlevel = D::INFO.patchlevel,
		.features = D::FEATURES,
		.open = has_file ? detail::open_file<D> : nullptr,
		.postclose = has_file ? detail::close_file<D> : nullptr,
		.ioctls = detail::ioctl_descs<D>(),
		.num_ioctls = detail::ioctl_count<D>(),
	};
	return to_result(kcxx_drm_driver_init(detail::Storage<D>::driver,
					      detail::IoctlStorage<D>::raw, &desc, owner));
}

} // namespace kernel::drm

#endif /* KERNEL_DRM_H */
