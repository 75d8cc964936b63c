/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The C side of the KUnit suites (glue.c), seen by C and by the C++ test
 * bodies: reporting through KUnit, and the kernel objects, state and knobs
 * the C++ library does not wrap (root devices, device references, lockdep
 * and preemption state, fault injection, opening a DRM node, reading a
 * file as user space does). Test code
 * only: like rt/bindings, but never part of the library.
 */
#ifndef KCXX_KUNIT_GLUE_H
#define KCXX_KUNIT_GLUE_H

#ifdef __cplusplus
extern "C" {
#endif

struct kunit;
struct device;
struct drm_device;
struct file;

/*
 * Assertions. Both return @ok; on failure they report @expr, or @left @op
 * @right with both values, at @file:@line as an expectation or an
 * assertion. Neither aborts the test: a C++ test
 * body returns instead, so its destructors run (see kunit.h).
 */
bool kcxx_kunit_check(struct kunit *test, bool ok, bool assertion, const char *expr,
		      const char *file, int line);
bool kcxx_kunit_check_op(struct kunit *test, bool ok, bool assertion, const char *op,
			 const char *left, const char *right, long long left_value,
			 long long right_value, const char *file, int line);
/* Marks the test skipped with @why; the caller returns. */
void kcxx_kunit_skip(struct kunit *test, const char *why);
/* Module parameters of kcxx_kunit (suites.c). */
bool kcxx_kunit_known_bugs(void);
bool kcxx_kunit_probe_faults(void);
/* A diagnostic line in the test's log (which element failed, say). */
void kcxx_kunit_note(struct kunit *test, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* errors: the kernel's -E<name>, 0 for a name the glue does not know */
int kcxx_kunit_kernel_errno(const char *name);
int kcxx_kunit_max_errno(void);

/* devices */
/* A root device /sys/devices/@name, unregistered when the test ends. */
struct device *kcxx_kunit_root_device(struct kunit *test, const char *name);
unsigned int kcxx_kunit_device_refcount(struct device *dev);
/* Whether @parent has a child @name on the bus @bus. */
bool kcxx_kunit_child_on_bus(struct device *parent, const char *name, const char *bus);
int kcxx_kunit_child_count(struct device *parent);

/*
 * Fault injection (failslab): the @n-th fault-injection point this task
 * reaches from now on fails, as /proc/self/fail-nth does. Reset returns
 * how many points were still to go (0: the failure was injected) and
 * disarms. Slab allocations that may sleep are only failed when
 * /sys/kernel/debug/failslab/ignore-gfp-wait is N (tests/kunit/run.sh
 * sets it); kcxx_kunit_failslab_sleeping() tells whether it is.
 */
bool kcxx_kunit_fail_nth_available(void);
void kcxx_kunit_fail_nth_set(unsigned int n);
unsigned int kcxx_kunit_fail_nth_reset(void);
bool kcxx_kunit_failslab_sleeping(void);

/* execution context */
/* Locks lockdep sees this task holding; -1 without (working) lockdep. */
int kcxx_kunit_held_locks(void);
/* False once lockdep has reported anything (it then turns itself off). */
bool kcxx_kunit_lockdep_ok(void);
bool kcxx_kunit_have_lockdep(void);
int kcxx_kunit_preempt_count(void);
bool kcxx_kunit_irqs_disabled(void);

/* files, as user space sees them (debugfs) */
bool kcxx_kunit_path_exists(const char *path);
/* Permission bits of @path (0444 ...), or -errno. */
int kcxx_kunit_path_mode(const char *path);
/* Size of @path as stat() says, or -errno. */
long long kcxx_kunit_path_size(const char *path);
/* Whether @path, opened for writing (as root may open even a 0444 file), can be written. */
bool kcxx_kunit_path_writable(const char *path);
/* Opens @path read-only; NULL and *err on failure. Close with kcxx_kunit_file_close(). */
struct file *kcxx_kunit_file_open(const char *path, int *err);
/*
 * Reads @f from its position on, up to @size bytes or the end, into @buf
 * as read(2) does: through ->read and a user mapping of the test's (a
 * debugfs file has no ->read_iter for kernel_read()). Bytes read, or the
 * first error (-errno).
 */
long kcxx_kunit_file_read(struct kunit *test, struct file *f, char *buf, unsigned long size);
/* Open, read from the start, close: bytes read or -errno. */
long kcxx_kunit_read_path(struct kunit *test, const char *path, char *buf, unsigned long size);

/* drm */
bool kcxx_kunit_drm_registered(struct drm_device *drm);
int kcxx_kunit_drm_render_index(struct drm_device *drm);
/* Opens /dev/dri/renderD<index> as user space would; NULL and *err on failure. */
struct file *kcxx_kunit_drm_open_render(int index, int *err);
/* Closes @f now (not from a delayed work item), running DRM's postclose. */
void kcxx_kunit_file_close(struct file *f);
/* Driver ioctl @cmd with a kernel argument, through drm_ioctl_kernel(). */
int kcxx_kunit_drm_ioctl(struct file *f, unsigned int cmd, void *arg);
/* The driver's ioctl table entry for @cmd, called directly. */
int kcxx_kunit_drm_ioctl_entry(struct file *f, unsigned int cmd, void *arg);
/* DRM's GEM_CLOSE for @handle. */
int kcxx_kunit_drm_gem_close(struct file *f, unsigned int handle);

/* What a DRM device's mode configuration holds (drm::FEAT_MODESET). */
struct kcxx_kunit_mode_config {
	bool modeset;		/* DRIVER_MODESET */
	bool modifiers;		/* framebuffer modifiers offered */
	int crtcs, encoders, connectors, planes, fbs;
	int min_width, max_width, min_height, max_height;
	int fb_create;		/* what fb_create answers to a 64x64 request */
};
void kcxx_kunit_drm_mode_config(struct drm_device *drm, struct kcxx_kunit_mode_config *mc);

/* defined in C++ (drm_test.cpp): the suite's struct drm_driver */
int kcxx_kunit_drm_suite_init(void);

#ifdef __cplusplus
}
#endif

#endif /* KCXX_KUNIT_GLUE_H */
