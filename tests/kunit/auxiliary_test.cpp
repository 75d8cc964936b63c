// SPDX-License-Identifier: GPL-2.0
/*
 * kcxx_auxiliary: auxiliary::Registration (a device that exists exactly as
 * long as the object), auxiliary::DataRegistration (a device carrying the
 * parent driver's typed data to the child's driver) and
 * auxiliary::DriverRegistration (probe returns the driver data, its
 * destruction is remove), on root devices made by the test
 * (include/kernel/auxiliary.h).
 */
#include <kernel/auxiliary.h>

#include "kunit.h"

using namespace kernel;
using kcxx::kunit::FailNth;
using kcxx::kunit::streq;

/* Data shared across drivers needs a named type (see detail::type_key()). */
namespace kcxx_kunit_aux {

/* Counts its live copies, so a test sees every one destroyed. */
struct Facts {
	static inline int live = 0;

	explicit Facts(unsigned long v) : value(v) { live++; }
	Facts(const Facts &o) : value(o.value) { live++; }
	~Facts() { live--; }

	unsigned long value;
};

/* Another type of the same size: told apart by its name. */
struct OtherFacts {
	unsigned long value;
};
static_assert(sizeof(OtherFacts) == sizeof(Facts));

} // namespace kcxx_kunit_aux

namespace {

using kcxx_kunit_aux::Facts;
using kcxx_kunit_aux::OtherFacts;

/* What the test drivers saw; reset by every case that binds. */
struct BindLog {
	int probed;
	int removed;
	int refused;
	unsigned long driver_data;
	unsigned int id;
};
constinit BindLog bind_log {};

/* Binds "kcxx_kunit.bind.<id>". */
class Bound {
public:
	static constexpr const char *NAME = "kcxx_kunit_bind";
	static constexpr auxiliary::DeviceId ID_TABLE[] = {
		auxiliary::id("kcxx_kunit.bind", 7),
		{},
	};

	static Result<KBox<Bound>> probe(auxiliary::Device &adev, const auxiliary::DeviceId &id)
	{
		bind_log.probed++;
		bind_log.driver_data = id.driver_data;
		bind_log.id = adev.id();
		return KBox<Bound>::create(gfp::KERNEL);
	}

	Bound() = default;
	Bound(const Bound &) = delete;
	~Bound() { bind_log.removed++; }
};

/* Refuses "kcxx_kunit.refuse.<id>": the device stays, unbound. */
class Refusing {
public:
	static constexpr const char *NAME = "kcxx_kunit_refuse";
	static constexpr auxiliary::DeviceId ID_TABLE[] = {
		auxiliary::id("kcxx_kunit.refuse"),
		{},
	};

	static Result<KBox<Refusing>> probe(auxiliary::Device &, const auxiliary::DeviceId &)
	{
		bind_log.refused++;
		return err::ENXIO;
	}

	~Refusing() { bind_log.removed++; }
};

/* What the facts driver saw of the data its device carries. */
struct FactsLog {
	int probed;
	int removed;
	int facts_errno;
	int other_errno;
	const Facts *seen;
	unsigned long value;
	/* Live Facts when the child's remove ran, and the value it read then. */
	int live_at_remove;
	unsigned long value_at_remove;
};
constinit FactsLog facts_log {};

/* Binds "kcxx_kunit.facts.<id>" and reads its data as Facts and as OtherFacts. */
class FactsReader {
public:
	static constexpr const char *NAME = "kcxx_kunit_facts";
	static constexpr auxiliary::DeviceId ID_TABLE[] = {
		auxiliary::id("kcxx_kunit.facts"),
		{},
	};

	static Result<KBox<FactsReader>> probe(auxiliary::Device &adev, const auxiliary::DeviceId &)
	{
		facts_log.probed++;
		auto other = adev.registration_data<OtherFacts>();
		facts_log.other_errno = other.to_errno();
		auto facts = adev.registration_data<Facts>();
		facts_log.facts_errno = facts.to_errno();
		if (!facts)
			return KBox<FactsReader>::create(gfp::KERNEL, nullptr);
		const Facts &f = facts.value();
		facts_log.seen = &f;
		facts_log.value = f.value;
		return KBox<FactsReader>::create(gfp::KERNEL, &f);
	}

	/* Holds the reference while bound: the registration keeps it valid. */
	explicit FactsReader(const Facts *f) : facts_(f) {}
	FactsReader(const FactsReader &) = delete;
	~FactsReader()
	{
		facts_log.removed++;
		facts_log.live_at_remove = Facts::live;
		if (facts_)
			facts_log.value_at_remove = facts_->value;
	}

private:
	const Facts *facts_;
};

using Registration = auxiliary::Registration;
using DataRegistration = auxiliary::DataRegistration<Facts>;

Result<KBox<DataRegistration>> plug_facts(struct device *parent, const char *name,
					  unsigned long value)
{
	auto reg = TRY(DataRegistration::create(kernel::Device::from_raw(parent), KBUILD_MODNAME,
						name, Facts(value)));
	return KBox<DataRegistration>::create(gfp::KERNEL, ktl::move(reg));
}

/* A registration in a box, so a test can end it mid-way with reset(). */
Result<KBox<Registration>> plug(struct device *parent, const char *name)
{
	auto reg =
		TRY(Registration::create(kernel::Device::from_raw(parent), KBUILD_MODNAME, name));
	return KBox<Registration>::create(gfp::KERNEL, ktl::move(reg));
}

/* The device name a registration gets: "<modname>.<name>.<id>". */
struct DevName {
	DevName(const char *name, unsigned int id)
	{
		kcxx_snprintf(buf, sizeof(buf), "%s.%s.%u", KBUILD_MODNAME, name, id);
	}
	char buf[64];
};

template <typename T> Result<auxiliary::DriverRegistration<T>> register_driver()
{
	return auxiliary::DriverRegistration<T>::register_driver(this_module(), KBUILD_MODNAME);
}

} // namespace

TEST(auxiliary, registration_creates_the_device_under_its_parent)
{
	struct device *parent = kcxx_kunit_root_device(test, "kcxx_kunit_aux_create");
	ASSERT(parent != nullptr);

	auto r = Registration::create(kernel::Device::from_raw(parent), KBUILD_MODNAME, "life");
	ASSERT(r.ok());
	Registration &reg = r.value();
	DevName name("life", reg.id());

	EXPECT(kcxx_kunit_child_on_bus(parent, name.buf, "auxiliary"));
	EXPECT(streq(reg.device().as_device().name(), name.buf));
	EXPECT_EQ(reg.device().id(), reg.id());
	ASSERT(reg.device().parent() != nullptr);
	EXPECT(reg.device().parent()->raw_device() == parent);
	EXPECT_EQ(kcxx_kunit_child_count(parent), 1);
}

TEST(auxiliary, destroying_the_registration_removes_the_device)
{
	struct device *parent = kcxx_kunit_root_device(test, "kcxx_kunit_aux_destroy");
	ASSERT(parent != nullptr);

	auto r = plug(parent, "life");
	ASSERT(r.ok());
	KBox<Registration> reg = r.take();
	DevName name("life", reg->id());
	EXPECT(kcxx_kunit_child_on_bus(parent, name.buf, "auxiliary"));

	reg.reset();
	EXPECT(!kcxx_kunit_child_on_bus(parent, name.buf, "auxiliary"));
	EXPECT_EQ(kcxx_kunit_child_count(parent), 0);
}

TEST(auxiliary, moved_registration_removes_once)
{
	struct device *parent = kcxx_kunit_root_device(test, "kcxx_kunit_aux_move");
	ASSERT(parent != nullptr);
	{
		auto r = Registration::create(kernel::Device::from_raw(parent), KBUILD_MODNAME,
					      "moved");
		ASSERT(r.ok());
		Registration moved(ktl::move(r.value()));
		DevName name("moved", moved.id());
		EXPECT(kcxx_kunit_child_on_bus(parent, name.buf, "auxiliary"));
	}
	/* The moved-from object deleted nothing; a double delete would be a KASAN report. */
	EXPECT_EQ(kcxx_kunit_child_count(parent), 0);
}

TEST(auxiliary, ids_unique_and_reused_after_destruction)
{
	struct device *parent = kcxx_kunit_root_device(test, "kcxx_kunit_aux_ids");
	ASSERT(parent != nullptr);

	auto ra = plug(parent, "ids");
	auto rb = plug(parent, "ids");
	ASSERT(ra.ok() && rb.ok());
	KBox<Registration> a = ra.take();
	KBox<Registration> b = rb.take();
	unsigned int id_a = a->id();
	EXPECT(id_a != b->id());

	/* The id is freed when the device is released, then the lowest again. */
	a.reset();
	auto rc = plug(parent, "ids");
	ASSERT(rc.ok());
	EXPECT_EQ(rc.value()->id(), id_a);
	EXPECT(rc.value()->id() != b->id());
	EXPECT(kcxx_kunit_child_on_bus(parent, DevName("ids", id_a).buf, "auxiliary"));
}

TEST(auxiliary, driver_probe_runs_and_its_drop_is_remove)
{
	struct device *parent = kcxx_kunit_root_device(test, "kcxx_kunit_aux_bind");
	ASSERT(parent != nullptr);
	bind_log = {};

	auto drv = register_driver<Bound>();
	ASSERT(drv.ok());
	{
		auto r = plug(parent, "bind");
		ASSERT(r.ok());
		KBox<Registration> &reg = r.value();
		EXPECT_EQ(bind_log.probed, 1);
		EXPECT_EQ(bind_log.driver_data, 7ul);
		EXPECT_EQ(bind_log.id, reg->id());
		EXPECT_EQ(bind_log.removed, 0);
		/* The KBox probe returned is the device's driver data now. */
		EXPECT(kcxx_dev_get_drvdata(reg->device().raw_device()) != nullptr);
	}
	EXPECT_EQ(bind_log.probed, 1);
	EXPECT_EQ(bind_log.removed, 1);
}

TEST(auxiliary, driver_probe_error_leaves_device_unbound)
{
	struct device *parent = kcxx_kunit_root_device(test, "kcxx_kunit_aux_refuse");
	ASSERT(parent != nullptr);
	bind_log = {};

	auto drv = register_driver<Refusing>();
	ASSERT(drv.ok());
	{
		auto r = plug(parent, "refuse");
		ASSERT(r.ok());
		KBox<Registration> &reg = r.value();
		EXPECT_EQ(bind_log.refused, 1);
		EXPECT(kcxx_kunit_child_on_bus(parent, DevName("refuse", reg->id()).buf,
					       "auxiliary"));
		EXPECT(kcxx_dev_get_drvdata(reg->device().raw_device()) == nullptr);
	}
	/* Nothing was bound, so nothing was removed. */
	EXPECT_EQ(bind_log.removed, 0);
}

TEST(auxiliary, driver_unregistration_removes_bound_data)
{
	struct device *parent = kcxx_kunit_root_device(test, "kcxx_kunit_aux_unbind");
	ASSERT(parent != nullptr);
	bind_log = {};

	auto r = plug(parent, "bind");
	ASSERT(r.ok());
	KBox<Registration> reg = r.take();
	{
		/* Registering the driver binds the device that is already there. */
		auto drv = register_driver<Bound>();
		ASSERT(drv.ok());
		EXPECT_EQ(bind_log.probed, 1);
	}
	EXPECT_EQ(bind_log.removed, 1);
	EXPECT(kcxx_dev_get_drvdata(reg->device().raw_device()) == nullptr);
	reg.reset();
	EXPECT_EQ(bind_log.removed, 1);
}

TEST(auxiliary, failslab_every_allocation_failure_is_clean)
{
	if (!kcxx_kunit_fail_nth_available() || !kcxx_kunit_failslab_sleeping())
		SKIP("failslab passes GFP_KERNEL over: echo N > "
		     "/sys/kernel/debug/failslab/ignore-gfp-wait");
	struct device *parent = kcxx_kunit_root_device(test, "kcxx_kunit_aux_fault");
	ASSERT(parent != nullptr);
	kernel::Device &dev = kernel::Device::from_raw(parent);

	/*
	 * Fail the first allocation of Registration::create(), then the
	 * second, ... until one run makes fewer allocations than that: every
	 * failure must come back as an error with no device left behind
	 * (and, once the module is unloaded, nothing for kmemleak).
	 */
	unsigned int n;
	int injected = 0;
	for (n = 1; n < 1000; n++) {
		FailNth fail(n);
		auto r = Registration::create(dev, KBUILD_MODNAME, "fault");
		if (!fail.fired()) {
			EXPECT(r.ok());
			break;
		}
		injected++;
		if (r.ok())
			continue; /* absorbed (a uevent, say): the device works */
		if (!EXPECT_ERR(r, err::ENOMEM) || !EXPECT_EQ(kcxx_kunit_child_count(parent), 0))
			kcxx_kunit_note(test, "allocation %u failed", n);
	}
	EXPECT(injected > 0);
	EXPECT(n < 1000);
	kcxx_kunit_note(test, "%d allocation failures injected", injected);
	EXPECT_EQ(kcxx_kunit_child_count(parent), 0);
}

TEST(auxiliary, data_registration_gives_the_child_its_typed_data)
{
	struct device *parent = kcxx_kunit_root_device(test, "kcxx_kunit_aux_data");
	ASSERT(parent != nullptr);
	facts_log = {};

	auto drv = register_driver<FactsReader>();
	ASSERT(drv.ok());
	auto r = plug_facts(parent, "facts", 0x5eed);
	ASSERT(r.ok());
	KBox<DataRegistration> &reg = r.value();

	EXPECT_EQ(facts_log.probed, 1);
	EXPECT_EQ(facts_log.facts_errno, 0);
	EXPECT_EQ(facts_log.value, 0x5eedul);
	/* The parent's object itself, not a copy. */
	EXPECT(facts_log.seen == &reg->data());
	EXPECT_EQ(reg->data().value, 0x5eedul);
	EXPECT(kcxx_kunit_child_on_bus(parent, DevName("facts", reg->id()).buf, "auxiliary"));
	EXPECT(kcxx_dev_get_drvdata(reg->device().raw_device()) != nullptr);
}

TEST(auxiliary, data_registration_refuses_another_type)
{
	struct device *parent = kcxx_kunit_root_device(test, "kcxx_kunit_aux_mismatch");
	ASSERT(parent != nullptr);
	facts_log = {};

	auto drv = register_driver<FactsReader>();
	ASSERT(drv.ok());
	{
		auto r = plug_facts(parent, "facts", 1);
		ASSERT(r.ok());
		/* Same size, another type: an error, not the Facts read as OtherFacts. */
		EXPECT_EQ(facts_log.other_errno, err::EINVAL.to_errno());
		EXPECT_EQ(facts_log.facts_errno, 0);
		auto again = r.value()->device().registration_data<OtherFacts>();
		EXPECT_ERR(again, err::EINVAL);
	}
	facts_log = {};
	{
		/* A device without data: ENODEV for any type. */
		auto r = plug(parent, "facts");
		ASSERT(r.ok());
		EXPECT_EQ(facts_log.probed, 1);
		EXPECT_EQ(facts_log.facts_errno, err::ENODEV.to_errno());
		EXPECT_EQ(facts_log.other_errno, err::ENODEV.to_errno());
		auto direct = r.value()->device().registration_data<Facts>();
		EXPECT_ERR(direct, err::ENODEV);
	}
}

TEST(auxiliary, data_registration_outlives_the_binding_and_is_freed_once)
{
	struct device *parent = kcxx_kunit_root_device(test, "kcxx_kunit_aux_data_life");
	ASSERT(parent != nullptr);
	facts_log = {};
	Facts::live = 0;

	auto drv = register_driver<FactsReader>();
	ASSERT(drv.ok());
	auto r = plug_facts(parent, "facts", 42);
	ASSERT(r.ok());
	KBox<DataRegistration> reg = r.take();
	/* The temporaries are gone; the registration's copy remains. */
	EXPECT_EQ(Facts::live, 1);

	/* A moved registration keeps the same data and device. */
	const Facts *before = &reg->data();
	DataRegistration moved(ktl::move(*reg));
	EXPECT(&moved.data() == before);
	reg.reset();
	EXPECT_EQ(facts_log.removed, 0);
	EXPECT_EQ(Facts::live, 1);

	{
		DataRegistration last(ktl::move(moved));
	}
	/* The child unbound while the data lived, then the data went, once. */
	EXPECT_EQ(facts_log.removed, 1);
	EXPECT_EQ(facts_log.live_at_remove, 1);
	EXPECT_EQ(facts_log.value_at_remove, 42ul);
	EXPECT_EQ(Facts::live, 0);
	EXPECT_EQ(kcxx_kunit_child_count(parent), 0);
}

TEST(auxiliary, data_registration_failslab_is_clean)
{
	if (!kcxx_kunit_fail_nth_available() || !kcxx_kunit_failslab_sleeping())
		SKIP("failslab passes GFP_KERNEL over: echo N > "
		     "/sys/kernel/debug/failslab/ignore-gfp-wait");
	struct device *parent = kcxx_kunit_root_device(test, "kcxx_kunit_aux_data_fault");
	ASSERT(parent != nullptr);
	kernel::Device &dev = kernel::Device::from_raw(parent);
	Facts::live = 0;

	/* As failslab_every_allocation_failure_is_clean, with the data's copy too. */
	unsigned int n;
	int injected = 0;
	for (n = 1; n < 1000; n++) {
		FailNth fail(n);
		auto r = DataRegistration::create(dev, KBUILD_MODNAME, "fault", Facts(n));
		if (!fail.fired()) {
			EXPECT(r.ok());
			break;
		}
		injected++;
		if (r.ok())
			continue;
		if (!EXPECT_ERR(r, err::ENOMEM) || !EXPECT_EQ(kcxx_kunit_child_count(parent), 0) ||
		    !EXPECT_EQ(Facts::live, 0))
			kcxx_kunit_note(test, "allocation %u failed", n);
	}
	EXPECT(injected > 0);
	EXPECT(n < 1000);
	kcxx_kunit_note(test, "%d allocation failures injected", injected);
	EXPECT_EQ(Facts::live, 0);
	EXPECT_EQ(kcxx_kunit_child_count(parent), 0);
}
