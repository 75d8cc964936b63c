// SPDX-License-Identifier: GPL-2.0
/*
 * kcxx_drm: a throwaway DRM driver on the library (include/kernel/drm.h,
 * gem.h), bound the way nova-drm is: an auxiliary driver whose probe
 * creates a drm::Device and a drm::Registration, and whose remove (the
 * destruction of what probe returned) unplugs it. The test opens the
 * render node through /dev as user space would and drives the ioctls
 * through the DRM core (drm_ioctl_kernel(), see glue.c).
 */
#include <kernel/auxiliary.h>
#include <kernel/drm.h>
#include <kernel/gem.h>
#include <kernel/uapi/drm.h>

#include "kunit.h"

using namespace kernel;
using kcxx::kunit::FailNth;
using ktl::u32;
using ktl::u64;

namespace {

/* What happened to the driver's objects; reset by every case. */
struct DrmLog {
	int probed;
	int removed;
	int data_built;
	int data_destroyed;
	int files_opened;
	int files_closed;
	int handler_calls;
	int gem_built;
	int gem_freed;
};
constinit DrmLog drm_log {};

struct TestDrm;
using DrmDevice = drm::Device<TestDrm>;
using DrmFile = drm::File<TestDrm>;

struct DeviceData {
	explicit DeviceData(u32 base) : base(base) { drm_log.data_built++; }
	DeviceData(const DeviceData &) = delete;
	~DeviceData() { drm_log.data_destroyed++; }
	u32 base;
};

struct FileData {
	explicit FileData(DrmDevice &) { drm_log.files_opened++; }
	FileData(const FileData &) = delete;
	~FileData() { drm_log.files_closed++; }
	int ioctls = 0;
};

struct GemData {
	GemData() { drm_log.gem_built++; }
	GemData(const GemData &) = delete;
	~GemData() { drm_log.gem_freed++; }
};
using GemObject = gem::Object<GemData>;

/* The test uAPI: three ioctls from DRM_COMMAND_BASE. */
struct EchoArg {
	u32 in;
	u32 out;
};
struct GemCreateArg {
	u64 size;
	u32 handle;
	u32 pad;
};
struct GemSizeArg {
	u32 handle;
	u32 pad;
	u64 size;
};
constexpr unsigned int IOCTL_ECHO = DRM_IOWR(DRM_COMMAND_BASE + 0, EchoArg);
constexpr unsigned int IOCTL_GEM_CREATE = DRM_IOWR(DRM_COMMAND_BASE + 1, GemCreateArg);
constexpr unsigned int IOCTL_GEM_SIZE = DRM_IOWR(DRM_COMMAND_BASE + 2, GemSizeArg);

Result<void> echo(DrmDevice &dev, EchoArg &arg, DrmFile &file);
Result<void> gem_create(DrmDevice &dev, GemCreateArg &arg, DrmFile &file);
Result<void> gem_size(DrmDevice &dev, GemSizeArg &arg, DrmFile &file);

struct TestDrm {
	static constexpr drm::Info INFO = {
		"kcxx_kunit", "KUnit test driver", "20260101", 1, 2, 3
	};
	static constexpr u32 FEATURES = drm::FEAT_GEM | drm::FEAT_RENDER;
	using Data = DeviceData;
	using File = FileData;
	using Ioctls = drm::IoctlTable<
		drm::Ioctl<IOCTL_ECHO, EchoArg, &echo, drm::RENDER_ALLOW>,
		drm::Ioctl<IOCTL_GEM_CREATE, GemCreateArg, &gem_create, drm::RENDER_ALLOW>,
		drm::Ioctl<IOCTL_GEM_SIZE, GemSizeArg, &gem_size, drm::RENDER_ALLOW>>;

	/* The auxiliary device it binds, and its test driver's name. */
	static constexpr char AUX_ID[] = "kcxx_kunit.drm";
	static constexpr const char *AUX_NAME = "drm";
	static constexpr const char *BINDER_NAME = "kcxx_kunit_drm";
};

/* The empty mode-setting configuration; no files or ioctls of its own. */
struct KmsDrm {
	static constexpr drm::Info INFO = {
		"kcxx_kunit_kms", "KUnit mode-setting test driver", "20260101", 1, 0, 0
	};
	static constexpr u32 FEATURES = drm::FEAT_GEM | drm::FEAT_RENDER | drm::FEAT_MODESET;
	using Data = DeviceData;

	static constexpr char AUX_ID[] = "kcxx_kunit.kms";
	static constexpr const char *AUX_NAME = "kms";
	static constexpr const char *BINDER_NAME = "kcxx_kunit_kms";
};

constexpr u32 BASE = 1000;

/* out = in + the device's base: reaches both the device and the file data. */
Result<void> echo(DrmDevice &dev, EchoArg &arg, DrmFile &file)
{
	drm_log.handler_calls++;
	file.data().ioctls++;
	arg.out = arg.in + dev->base;
	return ok();
}

Result<void> gem_create(DrmDevice &dev, GemCreateArg &arg, DrmFile &file)
{
	auto obj = TRY(GemObject::create(dev, arg.size));
	arg.handle = TRY(obj->create_handle(file));
	return ok();
}

Result<void> gem_size(DrmDevice &, GemSizeArg &arg, DrmFile &file)
{
	auto obj = TRY(GemObject::lookup(file, arg.handle));
	arg.size = obj->size();
	return ok();
}

/* Binds "<D::AUX_ID>.<id>" and registers a DRM device of driver D for it. */
template <typename D> class Binder {
public:
	static constexpr const char *NAME = D::BINDER_NAME;
	static constexpr auxiliary::DeviceId ID_TABLE[] = {
		auxiliary::id(D::AUX_ID),
		{},
	};

	/* The DRM device of the bound test device, while bound. */
	static constinit inline drm::Device<D> *bound = nullptr;

	static Result<KBox<Binder>> probe(auxiliary::Device &adev, const auxiliary::DeviceId &)
	{
		auto dev = TRY(drm::Device<D>::create(adev.as_device(), BASE));
		drm::Device<D> *raw = dev.get();
		auto reg = TRY(drm::Registration<D>::create(ktl::move(dev)));
		auto binder = TRY(KBox<Binder>::create(gfp::KERNEL, ktl::move(reg)));
		drm_log.probed++;
		bound = raw;
		return binder;
	}

	explicit Binder(KBox<drm::Registration<D>> reg) : reg_(ktl::move(reg)) {}
	Binder(const Binder &) = delete;
	~Binder()
	{
		drm_log.removed++;
		bound = nullptr;
	}

private:
	KBox<drm::Registration<D>> reg_;
};

using TestBinder = Binder<TestDrm>;
using KmsBinder = Binder<KmsDrm>;

/*
 * The test bench: a root device, the Binder driver of D and the auxiliary
 * device it binds. unplug() removes the device (unbinding: the DRM
 * device is unplugged); the rest goes when the bench does.
 */
template <typename D = TestDrm> class Bench {
public:
	Result<void> plug(struct device *parent)
	{
		auto drv = TRY(Driver::register_driver(this_module(), KBUILD_MODNAME));
		drv_ = TRY(KBox<Driver>::create(gfp::KERNEL, ktl::move(drv)));
		auto reg = TRY(auxiliary::Registration::create(kernel::Device::from_raw(parent),
							       KBUILD_MODNAME, D::AUX_NAME));
		dev_ = TRY(KBox<auxiliary::Registration>::create(gfp::KERNEL, ktl::move(reg)));
		if (!Binder<D>::bound)
			return err::ENODEV;
		render_ = kcxx_kunit_drm_render_index(Binder<D>::bound->raw());
		return ok();
	}

	void unplug() { dev_.reset(); }
	int render_index() const { return render_; }

private:
	using Driver = auxiliary::DriverRegistration<Binder<D>>;
	/* Declared first, destroyed last: the device goes before its driver. */
	KBox<Driver> drv_;
	KBox<auxiliary::Registration> dev_;
	int render_ = -1;
};

/* An open render node, closed at scope exit. */
class RenderFile {
public:
	explicit RenderFile(int index) : f_(kcxx_kunit_drm_open_render(index, &err_)) {}
	RenderFile(const RenderFile &) = delete;
	~RenderFile() { close(); }

	bool is_open() const { return f_ != nullptr; }
	int error() const { return err_; }
	void close()
	{
		if (f_)
			kcxx_kunit_file_close(ktl::exchange(f_, nullptr));
	}

	/* Through the DRM core, as a user space ioctl after its copy-in. */
	template <typename Arg> int ioctl(unsigned int cmd, Arg &arg)
	{
		return kcxx_kunit_drm_ioctl(f_, cmd, &arg);
	}
	/* The library's entry alone, past the DRM core's own checks. */
	template <typename Arg> int entry(unsigned int cmd, Arg &arg)
	{
		return kcxx_kunit_drm_ioctl_entry(f_, cmd, &arg);
	}
	int gem_close(u32 handle) { return kcxx_kunit_drm_gem_close(f_, handle); }

private:
	int err_ = 0;
	struct file *f_;
};

int errno_of(const char *name)
{
	return kcxx_kunit_kernel_errno(name);
}

/* Opens a bench with a bound DRM device; false (reported) on failure. */
template <typename D> bool start(struct kunit *test, Bench<D> &bench, const char *name)
{
	drm_log = {};
	struct device *parent = kcxx_kunit_root_device(test, name);
	if (!EXPECT(parent != nullptr))
		return false;
	Result<void> r = bench.plug(parent);
	if (!EXPECT(r.ok())) {
		kcxx_kunit_note(test, "plug: %d", r.to_errno());
		return false;
	}
	return EXPECT(bench.render_index() >= 0);
}

} // namespace

extern "C" int kcxx_kunit_drm_suite_init(void)
{
	int err = drm::init_driver<TestDrm>(this_module()).to_errno();

	return err ? err : drm::init_driver<KmsDrm>(this_module()).to_errno();
}

TEST(drm, registration_registers_and_unplug_removes_the_node)
{
	Bench<> bench;
	ASSERT(start(test, bench, "kcxx_kunit_drm_reg"));

	EXPECT_EQ(drm_log.probed, 1);
	EXPECT_EQ(drm_log.data_built, 1);
	ASSERT(TestBinder::bound != nullptr);
	EXPECT(kcxx_kunit_drm_registered(TestBinder::bound->raw()));
	EXPECT_EQ(TestBinder::bound->data().base, BASE);
	{
		RenderFile f(bench.render_index());
		EXPECT(f.is_open());
	}

	bench.unplug();
	EXPECT_EQ(drm_log.removed, 1);
	EXPECT(TestBinder::bound == nullptr);
	/* No file was open: the last reference went with the unbind. */
	EXPECT_EQ(drm_log.data_destroyed, 1);
	RenderFile gone(bench.render_index());
	EXPECT(!gone.is_open());
	EXPECT_EQ(gone.error(), errno_of("ENOENT"));
}

TEST(drm, ioctl_reaches_the_handler_through_the_drm_core)
{
	Bench<> bench;
	ASSERT(start(test, bench, "kcxx_kunit_drm_ioctl"));
	RenderFile f(bench.render_index());
	ASSERT(f.is_open());

	EchoArg arg = { 5, 0 };
	EXPECT_EQ(f.ioctl(IOCTL_ECHO, arg), 0);
	EXPECT_EQ(arg.out, BASE + 5);
	EXPECT_EQ(drm_log.handler_calls, 1);

	/* The handler's error is the ioctl's. */
	GemSizeArg size = { 12345, 0, 0 };
	EXPECT_EQ(f.ioctl(IOCTL_GEM_SIZE, size), errno_of("ENOENT"));
}

TEST(drm, file_data_built_per_open_destroyed_on_close)
{
	Bench<> bench;
	ASSERT(start(test, bench, "kcxx_kunit_drm_files"));
	{
		RenderFile a(bench.render_index());
		RenderFile b(bench.render_index());
		ASSERT(a.is_open() && b.is_open());
		EXPECT_EQ(drm_log.files_opened, 2);

		EchoArg arg = { 1, 0 };
		EXPECT_EQ(a.ioctl(IOCTL_ECHO, arg), 0);
		EXPECT_EQ(a.ioctl(IOCTL_ECHO, arg), 0);
		EXPECT_EQ(b.ioctl(IOCTL_ECHO, arg), 0);
		EXPECT_EQ(drm_log.handler_calls, 3);
		a.close();
		EXPECT_EQ(drm_log.files_closed, 1);
	}
	EXPECT_EQ(drm_log.files_opened, 2);
	EXPECT_EQ(drm_log.files_closed, 2);
}

TEST(drm, ioctl_after_unplug_is_enodev)
{
	Bench<> bench;
	ASSERT(start(test, bench, "kcxx_kunit_drm_unplug"));
	RenderFile f(bench.render_index());
	ASSERT(f.is_open());

	bench.unplug();
	EchoArg arg = { 5, 0 };
	/* The DRM core refuses it... */
	EXPECT_EQ(f.ioctl(IOCTL_ECHO, arg), errno_of("ENODEV"));
	/* ...and so does the library's entry on its own (drm_dev_enter()). */
	EXPECT_EQ(f.entry(IOCTL_ECHO, arg), errno_of("ENODEV"));
	EXPECT_EQ(drm_log.handler_calls, 0);
	EXPECT_EQ(arg.out, 0u);
}

TEST(drm, data_destroyed_once_after_the_last_file_closes)
{
	Bench<> bench;
	ASSERT(start(test, bench, "kcxx_kunit_drm_last"));
	RenderFile a(bench.render_index());
	RenderFile b(bench.render_index());
	ASSERT(a.is_open() && b.is_open());

	bench.unplug();
	EXPECT_EQ(drm_log.removed, 1);
	/* Unbound and unplugged, but files hold the device: data alive. */
	EXPECT_EQ(drm_log.data_destroyed, 0);
	a.close();
	EXPECT_EQ(drm_log.data_destroyed, 0);
	b.close();
	EXPECT_EQ(drm_log.data_destroyed, 1);
	EXPECT_EQ(drm_log.data_built, 1);
	EXPECT_EQ(drm_log.files_closed, 2);
}

TEST(drm, gem_handle_is_the_only_owner)
{
	Bench<> bench;
	ASSERT(start(test, bench, "kcxx_kunit_drm_gem"));
	RenderFile f(bench.render_index());
	ASSERT(f.is_open());

	GemCreateArg create = { 3 * 4096, 0, 0 };
	ASSERT_EQ(f.ioctl(IOCTL_GEM_CREATE, create), 0);
	EXPECT(create.handle != 0);
	EXPECT_EQ(drm_log.gem_built, 1);
	/* The handler's ARef is gone; the handle keeps the object. */
	EXPECT_EQ(drm_log.gem_freed, 0);

	GemSizeArg size = { create.handle, 0, 0 };
	EXPECT_EQ(f.ioctl(IOCTL_GEM_SIZE, size), 0);
	EXPECT_EQ(size.size, 3u * 4096);
	/* The lookup's reference went with the handler's ARef. */
	EXPECT_EQ(drm_log.gem_freed, 0);

	EXPECT_EQ(f.gem_close(create.handle), 0);
	EXPECT_EQ(drm_log.gem_freed, 1);
	EXPECT_EQ(f.ioctl(IOCTL_GEM_SIZE, size), errno_of("ENOENT"));
}

TEST(drm, gem_lookup_of_unknown_handle_is_enoent)
{
	Bench<> bench;
	ASSERT(start(test, bench, "kcxx_kunit_drm_lookup"));
	RenderFile a(bench.render_index());
	RenderFile b(bench.render_index());
	ASSERT(a.is_open() && b.is_open());

	GemSizeArg size = { 0, 0, 0 };
	EXPECT_EQ(a.ioctl(IOCTL_GEM_SIZE, size), errno_of("ENOENT"));

	/* Handles are per file: a's handle means nothing in b. */
	GemCreateArg create = { 4096, 0, 0 };
	ASSERT_EQ(a.ioctl(IOCTL_GEM_CREATE, create), 0);
	size.handle = create.handle;
	EXPECT_EQ(a.ioctl(IOCTL_GEM_SIZE, size), 0);
	GemSizeArg other = { create.handle + 1000, 0, 0 };
	EXPECT_EQ(a.ioctl(IOCTL_GEM_SIZE, other), errno_of("ENOENT"));
	GemSizeArg in_b = { create.handle, 0, 0 };
	EXPECT_EQ(b.ioctl(IOCTL_GEM_SIZE, in_b), errno_of("ENOENT"));
}

TEST(drm, gem_create_rejects_unaligned_size)
{
	Bench<> bench;
	ASSERT(start(test, bench, "kcxx_kunit_drm_align"));
	RenderFile f(bench.render_index());
	ASSERT(f.is_open());

	GemCreateArg create = { 100, 0, 0 };
	EXPECT_EQ(f.ioctl(IOCTL_GEM_CREATE, create), errno_of("EINVAL"));
	create.size = 0;
	EXPECT_EQ(f.ioctl(IOCTL_GEM_CREATE, create), errno_of("EINVAL"));
	EXPECT_EQ(create.handle, 0u);
	/* Refused before anything was built. */
	EXPECT_EQ(drm_log.gem_built, 0);
}

TEST(drm, gem_objects_freed_when_the_file_closes)
{
	Bench<> bench;
	ASSERT(start(test, bench, "kcxx_kunit_drm_close"));
	{
		RenderFile f(bench.render_index());
		ASSERT(f.is_open());
		for (int i = 0; i < 3; i++) {
			GemCreateArg create = { 4096, 0, 0 };
			EXPECT_EQ(f.ioctl(IOCTL_GEM_CREATE, create), 0);
		}
		EXPECT_EQ(drm_log.gem_built, 3);
		EXPECT_EQ(drm_log.gem_freed, 0);
	}
	EXPECT_EQ(drm_log.gem_freed, 3);
}

TEST(drm, failslab_gem_create_every_allocation_failure_is_clean)
{
	if (!kcxx_kunit_fail_nth_available() || !kcxx_kunit_failslab_sleeping())
		SKIP("failslab passes GFP_KERNEL over: echo N > "
		     "/sys/kernel/debug/failslab/ignore-gfp-wait");
	Bench<> bench;
	ASSERT(start(test, bench, "kcxx_kunit_drm_fault"));
	RenderFile f(bench.render_index());
	ASSERT(f.is_open());

	/* As auxiliary's fail-nth loop, through the GEM_CREATE ioctl. */
	unsigned int n;
	int injected = 0;
	for (n = 1; n < 1000; n++) {
		GemCreateArg create = { 4096, 0, 0 };
		FailNth fail(n);
		int ret = f.ioctl(IOCTL_GEM_CREATE, create);
		if (!fail.fired()) {
			EXPECT_EQ(ret, 0);
			break;
		}
		injected++;
		if (ret == 0) {
			EXPECT_EQ(f.gem_close(create.handle), 0);
			continue;
		}
		/* shmem answers a failed inode allocation with ENOSPC. */
		if (!EXPECT(ret == errno_of("ENOMEM") || ret == errno_of("ENOSPC")))
			kcxx_kunit_note(test, "allocation %u failed: %d", n, ret);
		/* Whatever was built of a failed object is freed already. */
		if (!EXPECT_EQ(drm_log.gem_built, drm_log.gem_freed))
			kcxx_kunit_note(test, "allocation %u failed", n);
	}
	EXPECT(injected > 0);
	EXPECT(n < 1000);
	kcxx_kunit_note(test, "%d allocation failures injected", injected);
	f.close();
	EXPECT_EQ(drm_log.gem_built, drm_log.gem_freed);
}

TEST(drm, modeset_gives_an_empty_mode_configuration)
{
	kcxx_kunit_mode_config mc;
	{
		Bench<KmsDrm> kms;
		ASSERT(start(test, kms, "kcxx_kunit_kms_config"));
		ASSERT(KmsBinder::bound != nullptr);
		kcxx_kunit_drm_mode_config(KmsBinder::bound->raw(), &mc);
		EXPECT(mc.modeset);
		EXPECT_EQ(mc.crtcs, 0);
		EXPECT_EQ(mc.encoders, 0);
		EXPECT_EQ(mc.connectors, 0);
		EXPECT_EQ(mc.planes, 0);
		EXPECT_EQ(mc.fbs, 0);
		/* No size fits [0, 0], no modifier is offered... */
		EXPECT_EQ(mc.min_width, 0);
		EXPECT_EQ(mc.max_width, 0);
		EXPECT_EQ(mc.min_height, 0);
		EXPECT_EQ(mc.max_height, 0);
		EXPECT(!mc.modifiers);
		/* ...and a request that got past the DRM core is refused all the same. */
		EXPECT_EQ(mc.fb_create, errno_of("EINVAL"));

		/* The rest of the device is as without the feature. */
		RenderFile f(kms.render_index());
		EXPECT(f.is_open());
		f.close();
		kms.unplug();
		EXPECT_EQ(drm_log.data_destroyed, 1);
	}

	Bench<> plain;
	ASSERT(start(test, plain, "kcxx_kunit_drm_no_config"));
	kcxx_kunit_drm_mode_config(TestBinder::bound->raw(), &mc);
	EXPECT(!mc.modeset);
}

namespace {

/* Plugs a device of driver D with each of its allocations failing in turn. */
template <typename D>
void probe_under_every_allocation_failure(struct kunit *test, const char *root)
{
	if (!kcxx_kunit_fail_nth_available() || !kcxx_kunit_failslab_sleeping())
		SKIP("failslab passes GFP_KERNEL over: echo N > "
		     "/sys/kernel/debug/failslab/ignore-gfp-wait");
	/*
	 * The DRM core of 6.12 oopses when drm_sysfs_minor_alloc() fails
	 * (drm_minor_alloc_release() puts the ERR_PTR it returned): run.sh
	 * sets failslab's reject-start/end to that function, then says so.
	 */
	if (!kcxx_kunit_probe_faults())
		SKIP("needs probe_faults=1, once failslab passes over drm_sysfs_minor_alloc() "
		     "(run.sh)");
	drm_log = {};
	struct device *parent = kcxx_kunit_root_device(test, root);
	ASSERT(parent != nullptr);
	auto drv = auxiliary::DriverRegistration<Binder<D>>::register_driver(this_module(),
									     KBUILD_MODNAME);
	ASSERT(drv.ok());

	/*
	 * Fail each allocation of plugging the device in turn: the auxiliary
	 * device, then (probe runs synchronously) the DRM device, its data,
	 * its registration. A failed probe must leave no data alive; a
	 * successful one must come apart completely when the device goes.
	 */
	unsigned int n;
	int injected = 0;
	for (n = 1; n < 2000; n++) {
		bool fired;
		{
			FailNth fail(n);
			auto reg = auxiliary::Registration::create(kernel::Device::from_raw(parent),
								   KBUILD_MODNAME, D::AUX_NAME);
			fired = fail.fired();
			if (!fired) {
				EXPECT(reg.ok());
				EXPECT(Binder<D>::bound != nullptr);
			} else if (!Binder<D>::bound &&
				   !EXPECT_EQ(drm_log.data_built, drm_log.data_destroyed)) {
				kcxx_kunit_note(test, "probe with allocation %u failed", n);
			}
		}
		if (!EXPECT_EQ(drm_log.data_built, drm_log.data_destroyed) ||
		    !EXPECT_EQ(drm_log.probed, drm_log.removed))
			kcxx_kunit_note(test, "after allocation %u failed", n);
		if (!fired)
			break;
		injected++;
	}
	EXPECT(injected > 0);
	EXPECT(n < 2000);
	kcxx_kunit_note(test, "%d allocation failures injected", injected);
	EXPECT_EQ(kcxx_kunit_child_count(parent), 0);
}

} // namespace

TEST(drm, failslab_probe_every_allocation_failure_is_clean)
{
	probe_under_every_allocation_failure<TestDrm>(test, "kcxx_kunit_drm_probe_fault");
}

/* The mode configuration's allocations too (drm::FEAT_MODESET). */
TEST(drm, failslab_probe_with_modeset_every_allocation_failure_is_clean)
{
	probe_under_every_allocation_failure<KmsDrm>(test, "kcxx_kunit_kms_probe_fault");
}
