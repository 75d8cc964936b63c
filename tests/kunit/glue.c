// SPDX-License-Identifier: GPL-2.0
/*
 * C glue of the KUnit suites: KUnit reporting for the C++ test bodies, and
 * the kernel objects and state they check the library against. Declared in
 * glue.h; see Documentation/testing-kunit.rst.
 */
#include <kunit/test.h>
#include <kunit/assert.h>
#include <kunit/resource.h>
#include <linux/device.h>
#include <linux/errno.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/irqflags.h>
#include <linux/mman.h>
#include <linux/namei.h>
#include <linux/uaccess.h>
#include <linux/lockdep.h>
#include <linux/debug_locks.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_mode_config.h>

#include "glue.h"

/* --- assertions ---------------------------------------------------------- */

static enum kunit_assert_type kcxx_kunit_type(bool assertion)
{
	return assertion ? KUNIT_ASSERTION : KUNIT_EXPECTATION;
}

/*
 * The location is the C++ caller's, so a failure names the test's own
 * file and line, not this one.
 */
bool kcxx_kunit_check(struct kunit *test, bool ok, bool assertion,
		      const char *expr, const char *file, int line)
{
	const struct kunit_loc loc = { .file = file, .line = line };
	const struct kunit_unary_assert a = {
		.condition = expr,
		.expected_true = true,
	};

	WRITE_ONCE(test->last_seen.file, file);
	WRITE_ONCE(test->last_seen.line, line);
	if (ok)
		return true;
	__kunit_do_failed_assertion(test, &loc, kcxx_kunit_type(assertion),
				    &a.assert, kunit_unary_assert_format, NULL);
	return false;
}

bool kcxx_kunit_check_op(struct kunit *test, bool ok, bool assertion,
			 const char *op, const char *left, const char *right,
			 long long left_value, long long right_value,
			 const char *file, int line)
{
	const struct kunit_loc loc = { .file = file, .line = line };
	const struct kunit_binary_assert_text text = {
		.operation = op,
		.left_text = left,
		.right_text = right,
	};
	const struct kunit_binary_assert a = {
		.text = &text,
		.left_value = left_value,
		.right_value = right_value,
	};

	WRITE_ONCE(test->last_seen.file, file);
	WRITE_ONCE(test->last_seen.line, line);
	if (ok)
		return true;
	__kunit_do_failed_assertion(test, &loc, kcxx_kunit_type(assertion),
				    &a.assert, kunit_binary_assert_format, NULL);
	return false;
}

void kcxx_kunit_skip(struct kunit *test, const char *why)
{
	kunit_mark_skipped(test, "%s", why);
}

void kcxx_kunit_note(struct kunit *test, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	kunit_info(test, "%pV", &vaf);
	va_end(args);
}

/* --- errors -------------------------------------------------------------- */

#define KCXX_KUNIT_ERRNO(e) { #e, e }

static const struct {
	const char *name;
	int value;
} kcxx_kunit_errnos[] = {
	KCXX_KUNIT_ERRNO(EPERM), KCXX_KUNIT_ERRNO(ENOENT),
	KCXX_KUNIT_ERRNO(EIO), KCXX_KUNIT_ERRNO(ENXIO),
	KCXX_KUNIT_ERRNO(E2BIG), KCXX_KUNIT_ERRNO(EBADF),
	KCXX_KUNIT_ERRNO(EAGAIN), KCXX_KUNIT_ERRNO(ENOMEM),
	KCXX_KUNIT_ERRNO(EACCES), KCXX_KUNIT_ERRNO(EFAULT),
	KCXX_KUNIT_ERRNO(EBUSY), KCXX_KUNIT_ERRNO(EEXIST),
	KCXX_KUNIT_ERRNO(ENODEV), KCXX_KUNIT_ERRNO(EINVAL),
	KCXX_KUNIT_ERRNO(ENOSPC), KCXX_KUNIT_ERRNO(ENOTTY),
	KCXX_KUNIT_ERRNO(ERANGE), KCXX_KUNIT_ERRNO(EOVERFLOW),
	KCXX_KUNIT_ERRNO(EOPNOTSUPP), KCXX_KUNIT_ERRNO(ETIMEDOUT),
	KCXX_KUNIT_ERRNO(ENOSYS),
	KCXX_KUNIT_ERRNO(EMSGSIZE),
};

int kcxx_kunit_kernel_errno(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kcxx_kunit_errnos); i++)
		if (!strcmp(kcxx_kunit_errnos[i].name, name))
			return -kcxx_kunit_errnos[i].value;
	return 0;
}

int kcxx_kunit_max_errno(void)
{
	return MAX_ERRNO;
}

/* --- devices ------------------------------------------------------------- */

KUNIT_DEFINE_ACTION_WRAPPER(kcxx_kunit_root_device_unregister,
			    root_device_unregister, struct device *);

struct device *kcxx_kunit_root_device(struct kunit *test, const char *name)
{
	struct device *dev = root_device_register(name);

	if (IS_ERR(dev)) {
		KUNIT_FAIL(test, "root_device_register(%s): %ld", name, PTR_ERR(dev));
		return NULL;
	}
	if (kunit_add_action_or_reset(test, kcxx_kunit_root_device_unregister, dev)) {
		KUNIT_FAIL(test, "cannot defer the unregistration of %s", name);
		return NULL;
	}
	return dev;
}

unsigned int kcxx_kunit_device_refcount(struct device *dev)
{
	return kref_read(&dev->kobj.kref);
}

bool kcxx_kunit_child_on_bus(struct device *parent, const char *name,
			     const char *bus)
{
	struct device *dev = device_find_child_by_name(parent, name);
	bool found;

	if (!dev)
		return false;
	found = dev->bus && !strcmp(dev->bus->name, bus);
	put_device(dev);
	return found;
}

static int kcxx_kunit_count_one(struct device *dev, void *count)
{
	(*(int *)count)++;
	return 0;
}

int kcxx_kunit_child_count(struct device *parent)
{
	int count = 0;

	device_for_each_child(parent, &count, kcxx_kunit_count_one);
	return count;
}

/* --- fault injection ----------------------------------------------------- */

bool kcxx_kunit_fail_nth_available(void)
{
	return IS_ENABLED(CONFIG_FAILSLAB);
}

void kcxx_kunit_fail_nth_set(unsigned int n)
{
#ifdef CONFIG_FAULT_INJECTION
	WRITE_ONCE(current->fail_nth, n);
#endif
}

unsigned int kcxx_kunit_fail_nth_reset(void)
{
#ifdef CONFIG_FAULT_INJECTION
	unsigned int left = READ_ONCE(current->fail_nth);

	WRITE_ONCE(current->fail_nth, 0);
	return left;
#else
	return 1;
#endif
}

/*
 * failslab passes over allocations that may sleep unless told otherwise:
 * probe whether a GFP_KERNEL allocation can be failed.
 */
bool kcxx_kunit_failslab_sleeping(void)
{
	void *p;

	kcxx_kunit_fail_nth_set(1);
	p = kmalloc(8, GFP_KERNEL | __GFP_NOWARN);
	kcxx_kunit_fail_nth_reset();
	kfree(p);
	return !p;
}

/* --- execution context --------------------------------------------------- */

/* Also -1 once lockdep has turned itself off: it stops counting then. */
int kcxx_kunit_held_locks(void)
{
#ifdef CONFIG_LOCKDEP
	return debug_locks ? current->lockdep_depth : -1;
#else
	return -1;
#endif
}

bool kcxx_kunit_lockdep_ok(void)
{
	return debug_locks;
}

bool kcxx_kunit_have_lockdep(void)
{
	return IS_ENABLED(CONFIG_LOCKDEP);
}

int kcxx_kunit_preempt_count(void)
{
	return preempt_count();
}

bool kcxx_kunit_irqs_disabled(void)
{
	return irqs_disabled();
}

/* --- files --------------------------------------------------------------- */

bool kcxx_kunit_path_exists(const char *path)
{
	struct path p;

	if (kern_path(path, 0, &p))
		return false;
	path_put(&p);
	return true;
}

int kcxx_kunit_path_mode(const char *path)
{
	struct path p;
	int mode;

	if (kern_path(path, 0, &p))
		return -ENOENT;
	mode = d_inode(p.dentry)->i_mode & 07777;
	path_put(&p);
	return mode;
}

long long kcxx_kunit_path_size(const char *path)
{
	struct path p;
	long long size;

	if (kern_path(path, 0, &p))
		return -ENOENT;
	size = i_size_read(d_inode(p.dentry));
	path_put(&p);
	return size;
}

bool kcxx_kunit_path_writable(const char *path)
{
	struct file *f = filp_open(path, O_WRONLY, 0);
	bool can;

	if (IS_ERR(f))
		return false;
	can = f->f_mode & FMODE_CAN_WRITE;
	__fput_sync(f);
	return can;
}

struct file *kcxx_kunit_file_open(const char *path, int *err)
{
	struct file *f = filp_open(path, O_RDONLY, 0);

	if (IS_ERR(f)) {
		*err = PTR_ERR(f);
		return NULL;
	}
	*err = 0;
	return f;
}

long kcxx_kunit_file_read(struct kunit *test, struct file *f, char *buf,
			  unsigned long size)
{
	unsigned long ubuf;
	unsigned long total = 0;

	if (!f->f_op->read)
		return -EINVAL;
	/* Freed by KUnit when the test ends. */
	ubuf = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	if (IS_ERR_VALUE(ubuf) || !ubuf)
		return -ENOMEM;
	while (total < size) {
		size_t want = min_t(unsigned long, size - total, PAGE_SIZE);
		ssize_t n = f->f_op->read(f, (char __user *)ubuf, want, &f->f_pos);

		if (n < 0)
			return n;
		if (n == 0)
			break;
		if (copy_from_user(buf + total, (const void __user *)ubuf, n))
			return -EFAULT;
		total += n;
	}
	return total;
}

long kcxx_kunit_read_path(struct kunit *test, const char *path, char *buf,
			  unsigned long size)
{
	int err;
	struct file *f = kcxx_kunit_file_open(path, &err);
	long n;

	if (!f)
		return err;
	n = kcxx_kunit_file_read(test, f, buf, size);
	kcxx_kunit_file_close(f);
	return n;
}

/* --- drm ----------------------------------------------------------------- */

bool kcxx_kunit_drm_registered(struct drm_device *drm)
{
	return drm->registered;
}

int kcxx_kunit_drm_render_index(struct drm_device *drm)
{
	return drm->render ? drm->render->index : -1;
}

/*
 * Through the device node, as user space opens it: devtmpfs is mounted on
 * /dev in the VM, and kernel threads share init's root.
 */
struct file *kcxx_kunit_drm_open_render(int index, int *err)
{
	char path[32];
	struct file *f;

	snprintf(path, sizeof(path), "/dev/dri/renderD%d", index);
	f = filp_open(path, O_RDWR, 0);
	if (IS_ERR(f)) {
		*err = PTR_ERR(f);
		return NULL;
	}
	*err = 0;
	return f;
}

/* A kernel thread's fput() is deferred to a work item; close it now. */
void kcxx_kunit_file_close(struct file *f)
{
	__fput_sync(f);
}

static const struct drm_ioctl_desc *kcxx_kunit_drm_desc(struct file *f,
							 unsigned int cmd)
{
	struct drm_file *priv = f->private_data;
	const struct drm_driver *drv = priv->minor->dev->driver;
	unsigned int nr = _IOC_NR(cmd);
	const struct drm_ioctl_desc *desc;

	if (nr < DRM_COMMAND_BASE || nr >= DRM_COMMAND_BASE + drv->num_ioctls)
		return NULL;
	desc = &drv->ioctls[nr - DRM_COMMAND_BASE];
	return desc->cmd == cmd ? desc : NULL;
}

/*
 * drm_ioctl() itself copies the argument from user memory, which a kernel
 * thread has none of; drm_ioctl_kernel() is the rest of its path: the
 * unplug check, the permission flags, the call.
 */
int kcxx_kunit_drm_ioctl(struct file *f, unsigned int cmd, void *arg)
{
	const struct drm_ioctl_desc *desc = kcxx_kunit_drm_desc(f, cmd);

	if (!desc)
		return -EINVAL;
	return drm_ioctl_kernel(f, desc->func, arg, desc->flags);
}

/* Past the DRM core's own checks: what the library's entry does alone. */
int kcxx_kunit_drm_ioctl_entry(struct file *f, unsigned int cmd, void *arg)
{
	const struct drm_ioctl_desc *desc = kcxx_kunit_drm_desc(f, cmd);
	struct drm_file *priv = f->private_data;

	if (!desc)
		return -EINVAL;
	return desc->func(priv->minor->dev, arg, priv);
}

int kcxx_kunit_drm_gem_close(struct file *f, unsigned int handle)
{
	struct drm_file *priv = f->private_data;

	return drm_gem_handle_delete(priv, handle);
}

void kcxx_kunit_drm_mode_config(struct drm_device *drm, struct kcxx_kunit_mode_config *mc)
{
	struct drm_mode_config *c = &drm->mode_config;
	const struct drm_mode_fb_cmd2 cmd = {
		.width = 64,
		.height = 64,
		.pixel_format = DRM_FORMAT_XRGB8888,
		.pitches = { 64 * 4 },
	};
	struct drm_framebuffer *fb;

	memset(mc, 0, sizeof(*mc));
	mc->modeset = drm_core_check_feature(drm, DRIVER_MODESET);
	if (!mc->modeset)
		return;
	mc->modifiers = !c->fb_modifiers_not_supported;
	mc->crtcs = c->num_crtc;
	mc->encoders = c->num_encoder;
	mc->connectors = c->num_connector;
	mc->planes = c->num_total_plane;
	mc->fbs = c->num_fb;
	mc->min_width = c->min_width;
	mc->max_width = c->max_width;
	mc->min_height = c->min_height;
	mc->max_height = c->max_height;
	if (!c->funcs || !c->funcs->fb_create) {
		mc->fb_create = -ENOSYS;
		return;
	}
	/* No file: a driver that built a framebuffer would have to look one up. */
	fb = c->funcs->fb_create(drm, NULL, &cmd);
	mc->fb_create = IS_ERR(fb) ? PTR_ERR(fb) : 0;
}
