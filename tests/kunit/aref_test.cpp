// SPDX-License-Identifier: GPL-2.0
/*
 * kcxx_aref: ARef<T> (include/kernel/aref.h) over a counted test type, and
 * over a real struct device, whose kref must come out balanced.
 */
#include <kernel/aref.h>
#include <kernel/device.h>

#include "kunit.h"

using namespace kernel;

namespace {

/* Starts with one reference, its creator's, as kernel objects do. */
class Counted {
public:
	void inc_ref() const noexcept { refs_++; }
	void dec_ref() const noexcept { refs_--; }
	int refs() const { return refs_; }

private:
	mutable int refs_ = 1;
};

static_assert(RefCounted<Counted>);

} // namespace

TEST(aref, from_takes_a_reference)
{
	Counted obj;
	{
		ARef<Counted> r = ARef<Counted>::from(obj);
		EXPECT_EQ(obj.refs(), 2);
		EXPECT(r.get() == &obj);
		EXPECT(&*r == &obj);
		EXPECT_EQ(r->refs(), 2);
	}
	EXPECT_EQ(obj.refs(), 1);
}

TEST(aref, adopt_takes_none)
{
	Counted obj;

	/* A lookup's reference: count already raised for us. */
	obj.inc_ref();
	{
		ARef<Counted> r = ARef<Counted>::adopt(&obj);
		EXPECT_EQ(obj.refs(), 2);
	}
	EXPECT_EQ(obj.refs(), 1);
}

TEST(aref, copy_takes_a_reference_destruction_drops_it)
{
	Counted obj;
	{
		ARef<Counted> a = ARef<Counted>::from(obj);
		{
			ARef<Counted> b(a);
			ARef<Counted> c = b;
			EXPECT_EQ(obj.refs(), 4);
			EXPECT(c.get() == &obj);
		}
		EXPECT_EQ(obj.refs(), 2);
	}
	EXPECT_EQ(obj.refs(), 1);
}

TEST(aref, move_transfers_without_counting)
{
	Counted obj;
	{
		ARef<Counted> a = ARef<Counted>::from(obj);
		ARef<Counted> b(ktl::move(a));
		EXPECT_EQ(obj.refs(), 2);
		EXPECT(a.get() == nullptr);
		EXPECT(b.get() == &obj);
	}
	/* The moved-from ARef dropped nothing; b dropped its one. */
	EXPECT_EQ(obj.refs(), 1);
}

TEST(aref, assignment_balances)
{
	Counted x, y;
	{
		ARef<Counted> a = ARef<Counted>::from(x);
		ARef<Counted> b = ARef<Counted>::from(y);
		a = b;
		EXPECT_EQ(x.refs(), 1);
		EXPECT_EQ(y.refs(), 3);
		a = ktl::move(b);
		EXPECT_EQ(y.refs(), 2);
		EXPECT(a.get() == &y);
		ARef<Counted> &self = a;
		a = self;
		EXPECT_EQ(y.refs(), 2);
		EXPECT(a.get() == &y);
	}
	EXPECT_EQ(x.refs(), 1);
	EXPECT_EQ(y.refs(), 1);
}

TEST(aref, into_raw_gives_the_reference_up)
{
	Counted obj;
	Counted *raw;
	{
		ARef<Counted> a = ARef<Counted>::from(obj);
		raw = a.into_raw();
		EXPECT(a.get() == nullptr);
	}
	EXPECT(raw == &obj);
	EXPECT_EQ(obj.refs(), 2);
	/* The caller owns it now, and can hand it back. */
	{
		ARef<Counted> back = ARef<Counted>::adopt(raw);
	}
	EXPECT_EQ(obj.refs(), 1);
}

TEST(aref, device_aref_keeps_kref_balanced)
{
	struct device *raw = kcxx_kunit_root_device(test, "kcxx_kunit_aref");
	ASSERT(raw != nullptr);
	kernel::Device &dev = kernel::Device::from_raw(raw);
	unsigned int base = kcxx_kunit_device_refcount(raw);

	EXPECT(dev.raw_device() == raw);
	EXPECT(dev.parent() == nullptr);
	{
		ARef<kernel::Device> a = ARef<kernel::Device>::from(dev);
		EXPECT_EQ(kcxx_kunit_device_refcount(raw), base + 1);
		ARef<kernel::Device> b = a;
		ARef<kernel::Device> c(ktl::move(b));
		EXPECT_EQ(kcxx_kunit_device_refcount(raw), base + 2);
		EXPECT(c->raw_device() == raw);
		EXPECT(kcxx::kunit::streq(c->name(), "kcxx_kunit_aref"));
	}
	EXPECT_EQ(kcxx_kunit_device_refcount(raw), base);
}
