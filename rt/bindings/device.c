// SPDX-License-Identifier: GPL-2.0
/* Bindings: struct device. */
#include <linux/module.h>
#include <linux/device.h>
#include <linux/pci.h>
#include <kcxx/bindings.h>

struct device *kcxx_get_device(struct device *dev)
{
	return get_device(dev);
}
EXPORT_SYMBOL_GPL(kcxx_get_device);

void kcxx_put_device(struct device *dev)
{
	put_device(dev);
}
EXPORT_SYMBOL_GPL(kcxx_put_device);

void *kcxx_dev_get_drvdata(const struct device *dev)
{
	return dev_get_drvdata(dev);
}
EXPORT_SYMBOL_GPL(kcxx_dev_get_drvdata);

void kcxx_dev_set_drvdata(struct device *dev, void *data)
{
	dev_set_drvdata(dev, data);
}
EXPORT_SYMBOL_GPL(kcxx_dev_set_drvdata);

const char *kcxx_dev_name(const struct device *dev)
{
	return dev_name(dev);
}
EXPORT_SYMBOL_GPL(kcxx_dev_name);

struct device *kcxx_dev_parent(const struct device *dev)
{
	return dev->parent;
}
EXPORT_SYMBOL_GPL(kcxx_dev_parent);

void kcxx_dev_printk(const char *level, const struct device *dev, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	dev_printk(level, dev, "%pV", &vaf);
	va_end(args);
}
EXPORT_SYMBOL_GPL(kcxx_dev_printk);

int kcxx_dev_is_pci(const struct device *dev)
{
	return dev_is_pci(dev);
}
EXPORT_SYMBOL_GPL(kcxx_dev_is_pci);
