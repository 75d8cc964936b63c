// SPDX-License-Identifier: GPL-2.0
/* Bindings: firmware files (request_firmware and its kin). */
#include <linux/module.h>
#include <linux/device.h>
#include <linux/firmware.h>
#include <kcxx/bindings.h>

/*
 * The file @name for @dev, without the loader's own warning when it is
 * missing (the caller reports it once, in its own words) and without the
 * user-space fallback: 0 or a negative errno, -ENOENT for a missing file.
 */
int kcxx_firmware_request(const struct firmware **fw, const char *name, struct device *dev)
{
	return firmware_request_nowarn(fw, name, dev);
}
EXPORT_SYMBOL_GPL(kcxx_firmware_request);

void kcxx_firmware_release(const struct firmware *fw)
{
	release_firmware(fw);
}
EXPORT_SYMBOL_GPL(kcxx_firmware_release);

const kcxx_u8 *kcxx_firmware_data(const struct firmware *fw)
{
	return fw->data;
}
EXPORT_SYMBOL_GPL(kcxx_firmware_data);

kcxx_size_t kcxx_firmware_size(const struct firmware *fw)
{
	return fw->size;
}
EXPORT_SYMBOL_GPL(kcxx_firmware_size);

int kcxx_vsnprintf(char *buf, kcxx_size_t size, const char *fmt, __builtin_va_list args)
{
	return vsnprintf(buf, size, fmt, args);
}
EXPORT_SYMBOL_GPL(kcxx_vsnprintf);
