// SPDX-License-Identifier: GPL-2.0
/* Bindings: printing, allocation, memory and string helpers. */
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/bug.h>
#include <kcxx/bindings.h>

void kcxx_printk(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vprintk(fmt, args);
	va_end(args);
}
EXPORT_SYMBOL_GPL(kcxx_printk);

void kcxx_warn(const char *file, int line, const char *what)
{
	WARN(1, "%s:%d: %s\n", file, line, what);
}
EXPORT_SYMBOL_GPL(kcxx_warn);

void *kcxx_kmalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp);
}
EXPORT_SYMBOL_GPL(kcxx_kmalloc);

void *kcxx_krealloc(void *p, size_t size, gfp_t gfp)
{
	return krealloc(p, size, gfp);
}
EXPORT_SYMBOL_GPL(kcxx_krealloc);

void kcxx_kfree(const void *p)
{
	kfree(p);
}
EXPORT_SYMBOL_GPL(kcxx_kfree);

void *kcxx_kvmalloc(size_t size, gfp_t gfp)
{
	return kvmalloc(size, gfp);
}
EXPORT_SYMBOL_GPL(kcxx_kvmalloc);

void kcxx_kvfree(const void *p)
{
	kvfree(p);
}
EXPORT_SYMBOL_GPL(kcxx_kvfree);

void *kcxx_memset(void *p, int c, size_t n)
{
	return memset(p, c, n);
}
EXPORT_SYMBOL_GPL(kcxx_memset);

void *kcxx_memcpy(void *d, const void *s, size_t n)
{
	return memcpy(d, s, n);
}
EXPORT_SYMBOL_GPL(kcxx_memcpy);

size_t kcxx_strlen(const char *s)
{
	return strlen(s);
}
EXPORT_SYMBOL_GPL(kcxx_strlen);

int kcxx_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsnprintf(buf, size, fmt, args);
	va_end(args);
	return n;
}
EXPORT_SYMBOL_GPL(kcxx_snprintf);

int kcxx_sysfs_emit(char *buf, const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vscnprintf(buf, PAGE_SIZE, fmt, args);
	va_end(args);
	return n;
}
EXPORT_SYMBOL_GPL(kcxx_sysfs_emit);

void kcxx_might_sleep(void)
{
	might_sleep();
}
EXPORT_SYMBOL_GPL(kcxx_might_sleep);
