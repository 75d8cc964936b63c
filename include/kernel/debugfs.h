/* SPDX-License-Identifier: GPL-2.0 */
/*
 * debugfs: directories and read-only files for looking inside a driver.
 *
 * The kernel's rule for debugfs holds here: its failures are not errors
 * for the caller. Nothing in this header returns a Result; a Dir that
 * could not be created (no memory, debugfs off, a name taken) is *inert*:
 * its subdirectories are inert and its files are silently not created,
 * and the driver goes on. is_live() tells, for tests and messages.
 *
 * A module-wide root and per-device directories under it, with no global
 * object and no pointer in the driver:
 *
 *	class Module {				// the KERNEL_MODULE type
 *		...
 *		debugfs::Dir debugfs_ = debugfs::Dir::create_module_root("nova_core");
 *		pci::DriverRegistration<NovaCore> reg_;	// after: unregistered first
 *	};
 *
 *	// in probe(), which may run inside the module's init:
 *	auto dir = debugfs::Dir::in_module_root(pdev.as_device().name());
 *	dir.blob("vbios", rom_view);
 *	dir.text<&Vbios::show_images>("vbios_images", *vbios);
 *
 * The module root is kept in a slot of static storage that is the
 * module's own (each module links its own copy of this header's inline
 * variables) and is constant-initialised to empty, so no constructor runs
 * at load. create_module_root() fills it, the destruction of that Dir
 * empties it, and in_module_root() makes a subdirectory of whatever it
 * holds (an inert Dir when it is empty). The slot is only read and written
 * under a lock in the bindings, so a probe racing module exit is safe.
 *
 * Lifetimes. Destroying a Dir removes the files made through it at once,
 * and debugfs guarantees that no read of them is running or starts
 * afterwards (a file still open reads EIO). The directory itself is
 * removed with its last user: the Dir, and every subdirectory made from
 * it, each of which keeps its parent; so a directory is never removed
 * under a live subdirectory, whatever the destruction order.
 *
 * What a file shows is not copied: a blob's bytes and a text file's
 * object must outlive the Dir the file was made through. Declare the Dir
 * *after* the data it shows in the owning class (members are destroyed in
 * reverse order), or in an object the data outlives:
 *
 *	class Gpu {
 *		KVec<u8> rom_;			// shown by debugfs_: declared first
 *		Vbios vbios_;
 *		debugfs::Dir debugfs_;		// destroyed first, files with it
 *	};
 *
 * A blob of a KVec stays valid only while the vector does not grow or
 * shrink. The file operations belong to kcxx.ko, which an open file
 * pins; the driver's module may be unloaded meanwhile, since the removal
 * has already ended every use of its code and data.
 */
#ifndef KERNEL_DEBUGFS_H
#define KERNEL_DEBUGFS_H

#include <kernel/bytes.h>
#include <kcxx/bindings.h>

namespace kernel {

/* The pointer behind a ByteView, for files that show the bytes in place. */
struct detail::ByteViewAccess {
	static const ktl::u8 *data(const ByteView &v) { return v.data_; }
};

namespace debugfs {

/*
 * The seq_file a text file's show() writes to. Output beyond one buffer
 * is handled by seq_file itself (show() is called again with a larger
 * buffer), so show() must produce the same text each time.
 */
class SeqFile {
public:
	SeqFile() = delete;
	SeqFile(const SeqFile &) = delete;
	SeqFile &operator=(const SeqFile &) = delete;

	static SeqFile &from_raw(struct seq_file *m) { return *reinterpret_cast<SeqFile *>(m); }
	struct seq_file *raw() const
	{
		return reinterpret_cast<struct seq_file *>(const_cast<SeqFile *>(this));
	}

	/* printf-style output; the compiler checks the format against the arguments. */
	[[gnu::format(printf, 2, 3)]] void print(const char *fmt, ...)
	{
		__builtin_va_list args;
		__builtin_va_start(args, fmt);
		kcxx_seq_vprintf(raw(), fmt, args);
		__builtin_va_end(args);
	}

	/* The bytes as they are. */
	void write(ByteView bytes)
	{
		kcxx_seq_write(raw(), kernel::detail::ByteViewAccess::data(bytes), bytes.len());
	}
};

namespace detail {
template <typename> struct ShowOf;
template <typename T> struct ShowOf<void (T::*)(SeqFile &) const> {
	using type = T;
};

template <typename T, void (T::*Show)(SeqFile &) const>
int show_trampoline(struct seq_file *m, const void *obj)
{
	(static_cast<const T *>(obj)->*Show)(SeqFile::from_raw(m));
	return 0;
}

/* The module's root directory; each module has its own (see above). */
struct ModuleRoot {
	static inline constinit struct kcxx_debugfs_dir *slot = nullptr;
};
} // namespace detail

/* A debugfs directory: see the top of this file. Move-only. */
class Dir {
public:
	/* An inert directory. */
	constexpr Dir() = default;
	Dir(Dir &&o) noexcept : dir_(ktl::exchange(o.dir_, nullptr)) {}
	Dir &operator=(Dir &&o) noexcept
	{
		if (this != &o)
			kcxx_debugfs_release(ktl::exchange(dir_, ktl::exchange(o.dir_, nullptr)));
		return *this;
	}
	Dir(const Dir &) = delete;
	Dir &operator=(const Dir &) = delete;
	~Dir() { kcxx_debugfs_release(dir_); }

	/* /sys/kernel/debug/@name. */
	static Dir create(const char *name) { return Dir(kcxx_debugfs_create_dir(name, nullptr)); }

	/*
	 * /sys/kernel/debug/@name, which becomes the module's root until this
	 * Dir is destroyed. Inert if the module has a root already.
	 */
	static Dir create_module_root(const char *name)
	{
		return Dir(kcxx_debugfs_create_root(name, &detail::ModuleRoot::slot));
	}

	/* A subdirectory @name of the module's root; inert if there is none. */
	static Dir in_module_root(const char *name)
	{
		return Dir(kcxx_debugfs_create_in_root(name, &detail::ModuleRoot::slot));
	}

	/* A subdirectory @name; it keeps this directory until it is destroyed. */
	Dir subdir(const char *name) const
	{
		if (!dir_)
			return Dir();
		return Dir(kcxx_debugfs_create_dir(name, dir_));
	}

	/*
	 * A read-only file @name (0444, no write operation even for root)
	 * holding @bytes, its size theirs; see the lifetime rule above.
	 */
	void blob(const char *name, ByteView bytes)
	{
		if (dir_)
			(void)kcxx_debugfs_create_blob(dir_, name,
						       kernel::detail::ByteViewAccess::data(bytes),
						       bytes.len());
	}

	/*
	 * A read-only text file @name (0444) whose contents are what
	 * @obj.*Show writes, `void T::Show(SeqFile &) const`, called at each
	 * read from the start of the file (seq_file's single_open()).
	 * Without Show, T::show is used. @obj must outlive this Dir.
	 */
	template <auto Show = nullptr, typename T> void text(const char *name, const T &obj)
	{
		if constexpr (Show == nullptr) {
			text<&T::show>(name, obj);
		} else {
			using Owner = typename detail::ShowOf<decltype(Show)>::type;
			static_assert(
				ktl::is_same_v<Owner, T>,
				"debugfs text file: Show must be a member of the object's type");
			if (dir_)
				(void)kcxx_debugfs_create_seq(
					dir_, name, &detail::show_trampoline<T, Show>, &obj);
		}
	}

	/* A temporary would be gone before the first read. */
	template <auto Show = nullptr, typename T>
	void text(const char *name, const T &&obj) = delete;

	/*
	 * Another owner of this same directory, whose files are its own:
	 * destroying it removes the files made through it and nothing else
	 * (it keeps this Dir's directory). For data that goes before the
	 * directory's owner does: the files go with the data.
	 */
	Dir share() const
	{
		if (!dir_)
			return Dir();
		return Dir(kcxx_debugfs_share(dir_));
	}

	/* Whether the directory exists (false: inert). */
	bool is_live() const { return dir_ != nullptr; }

private:
	explicit Dir(struct kcxx_debugfs_dir *d) : dir_(d) {}
	struct kcxx_debugfs_dir *dir_ = nullptr;
};

} // namespace debugfs

} // namespace kernel

#endif /* KERNEL_DEBUGFS_H */
