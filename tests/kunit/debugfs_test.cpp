// SPDX-License-Identifier: GPL-2.0
/*
 * kcxx_debugfs: debugfs::Dir, its blob and text files, and the module
 * root (include/kernel/debugfs.h). Files are looked up and read through
 * /sys/kernel/debug as user space does (read(2)'s path, from the glue);
 * removal, inert directories and reads of a file removed while open are
 * checked there too, and kmemleak checks that nothing is left.
 */
#include <kernel/bytes.h>
#include <kernel/debugfs.h>

#include "kunit.h"

using namespace kernel;
using kcxx::kunit::FailNth;
using ktl::u8;

namespace {

#define TOP "/sys/kernel/debug/kcxx_kunit_debugfs"

/* What a driver would show: two files from one object. */
class Status {
public:
	Status(int value, const char *name) : value_(value), name_(name) {}

	void show(debugfs::SeqFile &m) const
	{
		shows_++;
		m.print("value %d name %s\n", value_, name_);
	}
	void show_hex(debugfs::SeqFile &m) const
	{
		m.print("0x%04x\n", value_);
		constexpr u8 tail[3] = { 'e', 'n', 'd' };
		m.write(ByteView(tail));
	}
	int shows() const { return shows_; }

private:
	int value_;
	const char *name_;
	mutable int shows_ = 0;
};

/* Output longer than seq_file's first buffer (one page). */
class Long {
public:
	void show(debugfs::SeqFile &m) const
	{
		for (int i = 0; i < LINES; i++)
			m.print("line %04d\n", i);
	}
	static constexpr int LINES = 1000; /* 10 bytes each */
};

bool same(const char *a, const char *b, long n)
{
	for (long i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* @path reads exactly @want (a NUL-terminated string). */
bool reads(struct kunit *test, const char *path, const char *want)
{
	char buf[128];
	long n = kcxx_kunit_read_path(test, path, buf, sizeof(buf));
	long len = static_cast<long>(kcxx_strlen(want));

	if (n != len || !same(buf, want, n)) {
		kcxx_kunit_note(test, "%s: read %ld bytes, want \"%s\"", path, n, want);
		return false;
	}
	return true;
}

constexpr u8 ROM[8] = { 0x55, 0xaa, 0x00, 0xff, 'N', 'V', 'G', 'I' };

} // namespace

TEST(debugfs, dir_and_files_appear_and_go_with_the_dir)
{
	Status st(7, "seven");
	{
		auto dir = debugfs::Dir::create("kcxx_kunit_debugfs");
		ASSERT(dir.is_live());
		dir.blob("rom", ByteView(ROM));
		dir.text("status", st);
		EXPECT(kcxx_kunit_path_exists(TOP));
		EXPECT(kcxx_kunit_path_exists(TOP "/rom"));
		EXPECT(kcxx_kunit_path_exists(TOP "/status"));
		EXPECT(!kcxx_kunit_path_exists(TOP "/other"));

		/* A move hands the directory over; the source is inert and removes nothing. */
		debugfs::Dir moved(ktl::move(dir));
		EXPECT(!dir.is_live());
		EXPECT(moved.is_live());
		{
			debugfs::Dir gone(ktl::move(dir));
		}
		EXPECT(kcxx_kunit_path_exists(TOP "/status"));
	}
	EXPECT(!kcxx_kunit_path_exists(TOP "/rom"));
	EXPECT(!kcxx_kunit_path_exists(TOP "/status"));
	EXPECT(!kcxx_kunit_path_exists(TOP));
	/* The name is free again. */
	auto again = debugfs::Dir::create("kcxx_kunit_debugfs");
	EXPECT(again.is_live());
}

TEST(debugfs, blob_reads_the_bytes_in_place)
{
	KVec<u8> rom;
	for (u8 b : ROM)
		ASSERT(rom.push(b, gfp::KERNEL).ok());
	auto dir = debugfs::Dir::create("kcxx_kunit_debugfs");
	ASSERT(dir.is_live());
	dir.blob("rom", ByteView(rom));
	dir.blob("empty", ByteView());

	char buf[32];
	long n = kcxx_kunit_read_path(test, TOP "/rom", buf, sizeof(buf));
	ASSERT_EQ(n, 8);
	EXPECT(same(buf, reinterpret_cast<const char *>(ROM), 8));
	/* Not a copy: the file shows the bytes as they are now. */
	*rom.get(0) = 0x77;
	n = kcxx_kunit_read_path(test, TOP "/rom", buf, sizeof(buf));
	ASSERT_EQ(n, 8);
	EXPECT_EQ(static_cast<u8>(buf[0]), 0x77u);
	EXPECT_EQ(kcxx_kunit_read_path(test, TOP "/empty", buf, sizeof(buf)), 0);
	EXPECT_EQ(kcxx_kunit_path_size(TOP "/rom"), 8);
}

TEST(debugfs, files_are_read_only_even_for_root)
{
	Status st(2, "two");
	u8 bytes[4] = { 1, 2, 3, 4 };
	auto dir = debugfs::Dir::create("kcxx_kunit_debugfs");
	ASSERT(dir.is_live());
	dir.blob("rom", ByteView(bytes));
	dir.text("status", st);

	EXPECT_EQ(kcxx_kunit_path_mode(TOP "/rom"), 0444);
	EXPECT_EQ(kcxx_kunit_path_mode(TOP "/status"), 0444);
	/* Root passes the permission check; the files still have no write. */
	EXPECT(!kcxx_kunit_path_writable(TOP "/rom"));
	EXPECT(!kcxx_kunit_path_writable(TOP "/status"));
	EXPECT_EQ(bytes[0], 1u);
}

TEST(debugfs, text_file_shows_what_show_prints)
{
	Status st(42, "answer");
	auto dir = debugfs::Dir::create("kcxx_kunit_debugfs");
	ASSERT(dir.is_live());
	dir.text("status", st);
	dir.text<&Status::show_hex>("hex", st);

	EXPECT(reads(test, TOP "/status", "value 42 name answer\n"));
	EXPECT_EQ(st.shows(), 1);
	/* Each read from the start calls show() again. */
	EXPECT(reads(test, TOP "/status", "value 42 name answer\n"));
	EXPECT_EQ(st.shows(), 2);
	EXPECT(reads(test, TOP "/hex", "0x002a\nend"));
	EXPECT_EQ(st.shows(), 2);
}

TEST(debugfs, text_file_longer_than_a_page)
{
	Long l;
	auto dir = debugfs::Dir::create("kcxx_kunit_debugfs");
	ASSERT(dir.is_live());
	dir.text("long", l);

	constexpr unsigned long SIZE = 10 * Long::LINES;
	char *buf = static_cast<char *>(Kmalloc::alloc(SIZE + 16, gfp::KERNEL));
	ASSERT(buf != nullptr);
	long n = kcxx_kunit_read_path(test, TOP "/long", buf, SIZE + 16);
	EXPECT_EQ(n, static_cast<long>(SIZE));
	if (n == static_cast<long>(SIZE)) {
		EXPECT(same(buf, "line 0000\n", 10));
		EXPECT(same(buf + SIZE - 10, "line 0999\n", 10));
	}
	Kmalloc::free(buf);
}

TEST(debugfs, nested_dirs_keep_their_parent)
{
	Status st(1, "one");
	auto top = debugfs::Dir::create("kcxx_kunit_debugfs");
	ASSERT(top.is_live());
	auto sub = top.subdir("sub");
	auto subsub = sub.subdir("subsub");
	ASSERT(sub.is_live() && subsub.is_live());
	top.text("top", st);
	subsub.text("deep", st);
	EXPECT(reads(test, TOP "/sub/subsub/deep", "value 1 name one\n"));

	/* The parent goes first: its files at once, the directory with the last child. */
	top = debugfs::Dir();
	EXPECT(!kcxx_kunit_path_exists(TOP "/top"));
	EXPECT(kcxx_kunit_path_exists(TOP "/sub/subsub/deep"));
	sub = debugfs::Dir();
	EXPECT(kcxx_kunit_path_exists(TOP "/sub/subsub/deep"));
	subsub = debugfs::Dir();
	EXPECT(!kcxx_kunit_path_exists(TOP "/sub"));
	EXPECT(!kcxx_kunit_path_exists(TOP));
}

TEST(debugfs, failed_dir_is_inert_and_so_is_everything_under_it)
{
	Status st(3, "three");
	auto first = debugfs::Dir::create("kcxx_kunit_debugfs");
	ASSERT(first.is_live());

	/* The name is taken: no error, an inert Dir. */
	auto second = debugfs::Dir::create("kcxx_kunit_debugfs");
	EXPECT(!second.is_live());
	second.text("status", st);
	second.blob("rom", ByteView(ROM));
	auto child = second.subdir("child");
	EXPECT(!child.is_live());
	child.text("status", st);
	EXPECT(!kcxx_kunit_path_exists(TOP "/status"));
	EXPECT(!kcxx_kunit_path_exists(TOP "/rom"));
	EXPECT(!kcxx_kunit_path_exists(TOP "/child"));

	/* A default Dir is inert too. */
	debugfs::Dir none;
	EXPECT(!none.is_live());
	EXPECT(!none.subdir("x").is_live());

	/* Destroying the inert ones removes nothing. */
	second = debugfs::Dir();
	child = debugfs::Dir();
	EXPECT(kcxx_kunit_path_exists(TOP));
	EXPECT_EQ(st.shows(), 0);
}

TEST(debugfs, failslab_every_allocation_failure_is_clean)
{
	if (!kcxx_kunit_fail_nth_available() || !kcxx_kunit_failslab_sleeping())
		SKIP("failslab passes GFP_KERNEL over: echo N > "
		     "/sys/kernel/debug/failslab/ignore-gfp-wait");
	Status st(5, "five");

	/* Making the directory and its files, failing each allocation in turn. */
	bool fired = true;
	unsigned int n;
	for (n = 1; fired && n < 200; n++) {
		FailNth fail(n);
		auto dir = debugfs::Dir::create("kcxx_kunit_debugfs");
		dir.text("status", st);
		dir.blob("rom", ByteView(ROM));
		auto sub = dir.subdir("sub");
		fired = fail.fired();
		if (!dir.is_live()) {
			EXPECT(!kcxx_kunit_path_exists(TOP));
			EXPECT(!sub.is_live());
			continue;
		}
		/* What exists works. */
		if (kcxx_kunit_path_exists(TOP "/status"))
			EXPECT(reads(test, TOP "/status", "value 5 name five\n"));
	}
	EXPECT(!fired);
	EXPECT(n > 2);
	/* Nothing left behind by any round. */
	EXPECT(!kcxx_kunit_path_exists(TOP));
}

TEST(debugfs, module_root_holds_per_device_dirs)
{
	Status st(9, "nine");
	/* No root yet: nowhere to put a device's directory. */
	EXPECT(!debugfs::Dir::in_module_root("0000:00:00.0").is_live());

	auto root = debugfs::Dir::create_module_root("kcxx_kunit_debugfs");
	ASSERT(root.is_live());
	/* One root per module. */
	EXPECT(!debugfs::Dir::create_module_root("kcxx_kunit_debugfs_2").is_live());
	EXPECT(!kcxx_kunit_path_exists("/sys/kernel/debug/kcxx_kunit_debugfs_2"));

	auto dev = debugfs::Dir::in_module_root("0000:00:03.0");
	ASSERT(dev.is_live());
	dev.text("status", st);
	EXPECT(reads(test, TOP "/0000:00:03.0/status", "value 9 name nine\n"));
	{
		auto dev2 = debugfs::Dir::in_module_root("0000:00:04.0");
		EXPECT(dev2.is_live());
		EXPECT(kcxx_kunit_path_exists(TOP "/0000:00:04.0"));
	}
	EXPECT(!kcxx_kunit_path_exists(TOP "/0000:00:04.0"));

	/* The root's owner goes first: the directory stays for the device's. */
	root = debugfs::Dir();
	EXPECT(!debugfs::Dir::in_module_root("0000:00:05.0").is_live());
	EXPECT(reads(test, TOP "/0000:00:03.0/status", "value 9 name nine\n"));
	dev = debugfs::Dir();
	EXPECT(!kcxx_kunit_path_exists(TOP));

	/* And a new root can be made. */
	auto next = debugfs::Dir::create_module_root("kcxx_kunit_debugfs");
	EXPECT(next.is_live());
	EXPECT(debugfs::Dir::in_module_root("0000:00:06.0").is_live());
}

TEST(debugfs, removal_while_open_ends_every_read)
{
	Status st(11, "eleven");
	auto dir = debugfs::Dir::create("kcxx_kunit_debugfs");
	ASSERT(dir.is_live());
	dir.text("status", st);
	dir.blob("rom", ByteView(ROM));

	int err;
	struct file *text = kcxx_kunit_file_open(TOP "/status", &err);
	ASSERT(text != nullptr);
	struct file *blob = kcxx_kunit_file_open(TOP "/rom", &err);
	if (!blob) {
		kcxx_kunit_file_close(text);
		ASSERT(blob != nullptr);
	}
	char buf[64];
	EXPECT_EQ(kcxx_kunit_file_read(test, blob, buf, 2), 2);

	/* Removed while both are open; the object the text file shows goes too. */
	dir = debugfs::Dir();
	EXPECT(!kcxx_kunit_path_exists(TOP));
	int shows = st.shows();
	EXPECT_EQ(kcxx_kunit_file_read(test, text, buf, sizeof(buf)),
		  kcxx_kunit_kernel_errno("EIO"));
	EXPECT_EQ(kcxx_kunit_file_read(test, blob, buf, sizeof(buf)),
		  kcxx_kunit_kernel_errno("EIO"));
	EXPECT_EQ(st.shows(), shows);
	kcxx_kunit_file_close(text);
	kcxx_kunit_file_close(blob);
}
