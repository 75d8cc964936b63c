// SPDX-License-Identifier: GPL-2.0
/*
 * Smoke test of the C++ runtime in a real kernel: new/delete in their
 * forms, a virtual call, an RAII destructor and an allocation that fails.
 * Each check prints one TAP line that the host asserts (tools/check); the
 * module refuses to load if any check fails.
 */
#include <kernel/alloc.h>
#include <kernel/module.h>
#include <kernel/print.h>

using namespace kernel;

namespace {

struct Shape {
	virtual ~Shape() = default;
	virtual int sides() const = 0;
};

struct Triangle final : Shape {
	int sides() const override { return 3; }
};

struct Square final : Shape {
	int sides() const override { return 4; }
};

struct Counter {
	explicit Counter(int *n) : n_(n) {}
	~Counter() { ++*n_; }
	int *n_;
};

struct alignas(64) Aligned {
	char bytes[64];
};

class Smoke {
public:
	static Result<KBox<Smoke>> init();

private:
	int run();
	void check(bool ok, const char *name);
	int n_ = 0;
	int failed_ = 0;
};

void Smoke::check(bool ok, const char *name)
{
	n_++;
	if (!ok)
		failed_++;
	pr_info("%s %d - %s\n", ok ? "ok" : "not ok", n_, name);
}

/* Kept out of line so the compiler cannot devirtualize the calls. */
[[gnu::noinline]] int total_sides(Shape *const *shapes, int n)
{
	int sum = 0;

	for (int i = 0; i < n; i++)
		sum += shapes[i]->sides();
	return sum;
}

int Smoke::run()
{
	pr_info("TAP version 13\n");
	pr_info("1..7\n");

	int *p = new int(42);
	check(p && *p == 42, "new_delete");
	delete p;

	int *arr = new int[16]();
	bool zero = arr != nullptr;
	for (int i = 0; arr && i < 16; i++)
		zero = zero && arr[i] == 0;
	check(zero, "array_new_value_initialises");
	delete[] arr;

	auto *a = new Aligned;
	check(a && (reinterpret_cast<ktl::uintptr_t>(a) & 63) == 0, "aligned_new");
	delete a;

	Shape *shapes[2] = { new Triangle, new Square };
	check(shapes[0] && shapes[1] && total_sides(shapes, 2) == 7, "virtual_call");
	delete shapes[0];
	delete shapes[1];

	int destroyed = 0;
	{
		Counter c(&destroyed);
		Counter d(&destroyed);
	}
	check(destroyed == 2, "raii_destructor_runs_at_scope_exit");

	/* Larger than any allocator can give: must fail cleanly, not throw or hang. */
	void *huge = new (gfp::KERNEL | gfp::NOWARN) char[ktl::size_t { 1 } << 46];
	check(huge == nullptr, "failed_allocation_returns_nullptr");

	auto box = KBox<Counter, Kmalloc>::create(gfp::KERNEL, &destroyed);
	bool created = box.ok();
	if (created)
		box.value().reset();
	check(created && destroyed == 3, "kbox_frees_and_destroys");

	pr_info("%d passed, %d failed\n", n_ - failed_, failed_);
	return failed_;
}

Result<KBox<Smoke>> Smoke::init()
{
	auto smoke = TRY(KBox<Smoke>::create(gfp::KERNEL));
	if (smoke->run())
		return err::EINVAL;
	return smoke;
}

} // namespace

KERNEL_MODULE(Smoke);
KERNEL_MODULE_LICENSE("GPL");
KERNEL_MODULE_DESCRIPTION("Smoke test of the kcxx C++ runtime");
