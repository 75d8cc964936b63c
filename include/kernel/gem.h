/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GEM objects.
 *
 * gem::Object<T> embeds a shmem-backed struct drm_gem_object followed by a
 * T. Objects are reference counted (ARef); the last reference frees the
 * object and runs ~T(). A handle created for a file holds its own
 * reference, so after create_handle() the caller may drop its ARef and the
 * handle is the only owner; DRM's GEM_CLOSE then frees the object.
 */
#ifndef KERNEL_GEM_H
#define KERNEL_GEM_H

#include <kernel/drm.h>

namespace kernel::gem {

template <typename T> class Object {
public:
	Object(const Object &) = delete;
	Object &operator=(const Object &) = delete;

	/*
	 * A new object of @size bytes (a multiple of PAGE_SIZE; EINVAL
	 * otherwise) with data constructed from @args. Backing pages are
	 * not allocated until used. The object is made at a client's
	 * request and charged to the calling task's memory cgroup, as the
	 * kernel charges the shmem file behind it.
	 */
	template <typename D, typename... Args>
	static Result<ARef<Object>> create(drm::Device<D> &dev, ktl::size_t size, Args &&...args)
	{
		if (!size || size % KCXX_PAGE_SIZE)
			return err::EINVAL;
		/* Made at a client's request: charged to its memory cgroup. */
		void *mem = Kmalloc::alloc(sizeof(Object), gfp::KERNEL_ACCOUNT | gfp::ZERO);
		if (!mem)
			return err::ENOMEM;
		auto *obj = new (mem) Object(ktl::forward<Args>(args)...);
		int ret = kcxx_drm_gem_object_init(dev.raw(), obj->raw(), size, free_object);
		if (ret) {
			obj->~Object();
			Kmalloc::free(obj);
			return Error::from_errno(ret);
		}
		return ARef<Object>::adopt(obj);
	}

	/* The object @handle names in @file; ENOENT if none. */
	template <typename D>
	static Result<ARef<Object>> lookup(drm::File<D> &file, ktl::u32 handle)
	{
		struct drm_gem_object *raw = drm_gem_object_lookup(file.raw(), handle);
		if (!raw)
			return err::ENOENT;
		return ARef<Object>::adopt(&from_raw(raw));
	}

	/* A new handle for this object in @file. */
	template <typename D> Result<ktl::u32> create_handle(drm::File<D> &file)
	{
		ktl::u32 handle;
		TRY(to_result(drm_gem_handle_create(file.raw(), raw(), &handle)));
		return handle;
	}

	ktl::size_t size() const
	{
		return *reinterpret_cast<const ktl::size_t *>(raw_ + KCXX_GEM_OBJECT_SIZE_OFFSET);
	}
	T &data() { return data_; }
	const T &data() const { return data_; }

	void inc_ref() const noexcept { kcxx_drm_gem_object_get(raw()); }
	void dec_ref() const noexcept { kcxx_drm_gem_object_put(raw()); }

	static Object &from_raw(struct drm_gem_object *raw)
	{
		return *reinterpret_cast<Object *>(raw);
	}
	struct drm_gem_object *raw() const
	{
		return reinterpret_cast<struct drm_gem_object *>(const_cast<unsigned char *>(raw_));
	}

private:
	template <typename... Args> explicit Object(Args &&...args)
		: data_(ktl::forward<Args>(args)...)
	{}
	~Object() = default;

	static void free_object(struct drm_gem_object *raw)
	{
		Object *obj = &from_raw(raw);
		kcxx_drm_gem_object_release(raw);
		obj->~Object();
		Kmalloc::free(obj);
	}

	alignas(KCXX_GEM_OBJECT_ALIGN) unsigned char raw_[KCXX_GEM_OBJECT_SIZE];
	T data_;
};

} // namespace kernel::gem

#endif /* KERNEL_GEM_H */
