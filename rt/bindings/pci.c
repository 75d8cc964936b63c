// SPDX-License-Identifier: GPL-2.0
/*
 * Bindings: PCI drivers and devices, BARs and MMIO accessors.
 *
 * A C++ pci::Driver keeps a struct pci_driver in static storage of the
 * generated size; registration fills it from a flat description, and builds
 * the sysfs attribute group its devices get.
 */
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/io.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <kcxx/bindings.h>

struct kcxx_attr {
	struct device_attribute attr;
	kcxx_attr_show_t show;
};

/* Attribute groups are allocated at registration and live until unregister. */
struct kcxx_groups {
	const struct attribute_group *groups[2];
	struct attribute_group group;
	struct attribute **attrs;
	struct kcxx_attr *items;
};

static ssize_t kcxx_attr_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct kcxx_attr *a = container_of(attr, struct kcxx_attr, attr);

	return a->show(dev, buf);
}

static void kcxx_groups_free(struct kcxx_groups *g)
{
	if (!g)
		return;
	kfree(g->items);
	kfree(g->attrs);
	kfree(g);
}

static struct kcxx_groups *kcxx_groups_alloc(const char *name,
					     const struct kcxx_attr_desc *descs,
					     unsigned int n)
{
	struct kcxx_groups *g;
	unsigned int i;

	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return NULL;
	g->attrs = kcalloc(n + 1, sizeof(*g->attrs), GFP_KERNEL);
	g->items = kcalloc(n, sizeof(*g->items), GFP_KERNEL);
	if (!g->attrs || !g->items) {
		kcxx_groups_free(g);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		sysfs_attr_init(&g->items[i].attr.attr);
		g->items[i].attr.attr.name = descs[i].name;
		g->items[i].attr.attr.mode = 0444;
		g->items[i].attr.show = kcxx_attr_show;
		g->items[i].show = descs[i].show;
		g->attrs[i] = &g->items[i].attr.attr;
	}
	g->group.name = name;
	g->group.attrs = g->attrs;
	g->groups[0] = &g->group;
	return g;
}

int kcxx_pci_register_driver(void *storage, const struct kcxx_pci_driver_desc *desc,
			     struct module *owner, const char *modname)
{
	struct pci_driver *drv = storage;
	struct kcxx_groups *g = NULL;
	int ret;

	memset(drv, 0, sizeof(*drv));
	if (desc->nr_attrs) {
		g = kcxx_groups_alloc(desc->attr_group, desc->attrs, desc->nr_attrs);
		if (!g)
			return -ENOMEM;
		drv->dev_groups = g->groups;
	}
	drv->name = desc->name;
	drv->id_table = desc->id_table;
	drv->probe = desc->probe;
	drv->remove = desc->remove;
	ret = __pci_register_driver(drv, owner, modname);
	if (ret)
		kcxx_groups_free(g);
	return ret;
}
EXPORT_SYMBOL_GPL(kcxx_pci_register_driver);

void kcxx_pci_unregister_driver(void *storage)
{
	struct pci_driver *drv = storage;
	const struct attribute_group **groups = drv->dev_groups;

	pci_unregister_driver(drv);
	if (groups)
		kcxx_groups_free(container_of(groups, struct kcxx_groups, groups[0]));
}
EXPORT_SYMBOL_GPL(kcxx_pci_unregister_driver);

int kcxx_pci_add_dynid(void *storage, u32 vendor, u32 device, u32 class_,
		       u32 class_mask, unsigned long data)
{
	return pci_add_dynid(storage, vendor, device, PCI_ANY_ID, PCI_ANY_ID,
			     class_, class_mask, data);
}
EXPORT_SYMBOL_GPL(kcxx_pci_add_dynid);

struct device *kcxx_pci_dev_device(struct pci_dev *pdev)
{
	return &pdev->dev;
}
EXPORT_SYMBOL_GPL(kcxx_pci_dev_device);

struct pci_dev *kcxx_to_pci_dev(struct device *dev)
{
	return dev_is_pci(dev) ? to_pci_dev(dev) : NULL;
}
EXPORT_SYMBOL_GPL(kcxx_to_pci_dev);

u16 kcxx_pci_vendor(const struct pci_dev *pdev)
{
	return pdev->vendor;
}
EXPORT_SYMBOL_GPL(kcxx_pci_vendor);

u16 kcxx_pci_device_id(const struct pci_dev *pdev)
{
	return pdev->device;
}
EXPORT_SYMBOL_GPL(kcxx_pci_device_id);

u32 kcxx_pci_class(const struct pci_dev *pdev)
{
	return pdev->class;
}
EXPORT_SYMBOL_GPL(kcxx_pci_class);

u16 kcxx_pci_subsystem_vendor(const struct pci_dev *pdev)
{
	return pdev->subsystem_vendor;
}
EXPORT_SYMBOL_GPL(kcxx_pci_subsystem_vendor);

u16 kcxx_pci_subsystem_device(const struct pci_dev *pdev)
{
	return pdev->subsystem_device;
}
EXPORT_SYMBOL_GPL(kcxx_pci_subsystem_device);

u8 kcxx_pci_revision(const struct pci_dev *pdev)
{
	return pdev->revision;
}
EXPORT_SYMBOL_GPL(kcxx_pci_revision);

u16 kcxx_pci_dev_id(const struct pci_dev *pdev)
{
	return PCI_DEVID(pdev->bus->number, pdev->devfn);
}
EXPORT_SYMBOL_GPL(kcxx_pci_dev_id);

int kcxx_pci_enable_device_mem(struct pci_dev *pdev)
{
	return pci_enable_device_mem(pdev);
}
EXPORT_SYMBOL_GPL(kcxx_pci_enable_device_mem);

void kcxx_pci_disable_device(struct pci_dev *pdev)
{
	pci_disable_device(pdev);
}
EXPORT_SYMBOL_GPL(kcxx_pci_disable_device);

void kcxx_pci_set_master(struct pci_dev *pdev)
{
	pci_set_master(pdev);
}
EXPORT_SYMBOL_GPL(kcxx_pci_set_master);

static bool kcxx_bar_valid(int bar)
{
	return bar >= 0 && bar < PCI_STD_NUM_BARS;
}

u64 kcxx_pci_resource_start(struct pci_dev *pdev, int bar)
{
	return kcxx_bar_valid(bar) ? pci_resource_start(pdev, bar) : 0;
}
EXPORT_SYMBOL_GPL(kcxx_pci_resource_start);

u64 kcxx_pci_resource_len(struct pci_dev *pdev, int bar)
{
	return kcxx_bar_valid(bar) ? pci_resource_len(pdev, bar) : 0;
}
EXPORT_SYMBOL_GPL(kcxx_pci_resource_len);

unsigned long kcxx_pci_resource_flags(struct pci_dev *pdev, int bar)
{
	return kcxx_bar_valid(bar) ? pci_resource_flags(pdev, bar) : 0;
}
EXPORT_SYMBOL_GPL(kcxx_pci_resource_flags);

int kcxx_pci_request_region(struct pci_dev *pdev, int bar, const char *name)
{
	if (!kcxx_bar_valid(bar))
		return -EINVAL;
	return pci_request_region(pdev, bar, name);
}
EXPORT_SYMBOL_GPL(kcxx_pci_request_region);

void kcxx_pci_release_region(struct pci_dev *pdev, int bar)
{
	pci_release_region(pdev, bar);
}
EXPORT_SYMBOL_GPL(kcxx_pci_release_region);

void *kcxx_pci_iomap(struct pci_dev *pdev, int bar, unsigned long maxlen)
{
	return (void __force *)pci_iomap(pdev, bar, maxlen);
}
EXPORT_SYMBOL_GPL(kcxx_pci_iomap);

void kcxx_pci_iounmap(struct pci_dev *pdev, void *addr)
{
	pci_iounmap(pdev, (void __iomem __force *)addr);
}
EXPORT_SYMBOL_GPL(kcxx_pci_iounmap);

u8 kcxx_readb(const void *addr)
{
	return readb((const void __iomem __force *)addr);
}
EXPORT_SYMBOL_GPL(kcxx_readb);

u16 kcxx_readw(const void *addr)
{
	return readw((const void __iomem __force *)addr);
}
EXPORT_SYMBOL_GPL(kcxx_readw);

u32 kcxx_readl(const void *addr)
{
	return readl((const void __iomem __force *)addr);
}
EXPORT_SYMBOL_GPL(kcxx_readl);

void kcxx_writeb(u8 v, void *addr)
{
	writeb(v, (void __iomem __force *)addr);
}
EXPORT_SYMBOL_GPL(kcxx_writeb);

void kcxx_writew(u16 v, void *addr)
{
	writew(v, (void __iomem __force *)addr);
}
EXPORT_SYMBOL_GPL(kcxx_writew);

void kcxx_writel(u32 v, void *addr)
{
	writel(v, (void __iomem __force *)addr);
}
EXPORT_SYMBOL_GPL(kcxx_writel);

/*
 * @count 32-bit reads from @addr on, stored at @dst as the bytes they read
 * (little-endian, as the bus carries them): one call for a whole block,
 * such as a ROM image. The caller has checked the range; @dst needs no
 * alignment.
 */
void kcxx_read_block32(const void *addr, void *dst, size_t count)
{
	const void __iomem *src = (const void __iomem __force *)addr;
	u8 *out = dst;
	size_t i;

	for (i = 0; i < count; i++) {
		__le32 v = cpu_to_le32(readl(src + 4 * i));

		memcpy(out + 4 * i, &v, sizeof(v));
	}
}
EXPORT_SYMBOL_GPL(kcxx_read_block32);
