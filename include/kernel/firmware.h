/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Firmware files: request_firmware() as an owned object.
 *
 * A Firmware holds one file the kernel's firmware loader read (from
 * /lib/firmware or firmware_class.path) and releases it when destroyed.
 * Its bytes are untrusted and reachable only as a ByteView
 * (kernel/bytes.h), valid while the Firmware lives:
 *
 *	char path[Firmware::NAME_SIZE];
 *	TRY(Firmware::format_name(path, "nvidia/%s/gsp/%s-%s.bin", chip, "gsp", "570.144"));
 *	auto fw = TRY(Firmware::request(dev, path));
 *	auto hdr = TRY(fw.bytes().read<BinHeader>(0));
 *
 * A missing file is ENOENT, and the loader prints nothing about it: the
 * caller decides whether that is worth a message, and prints it once.
 * Other errors are the loader's (ENOMEM, EINVAL for an empty file, ...);
 * a name longer than NAME_SIZE - 1 is ENAMETOOLONG's stand-in EINVAL.
 * Requests sleep; call them from process context (probe).
 */
#ifndef KERNEL_FIRMWARE_H
#define KERNEL_FIRMWARE_H

#include <kernel/bytes.h>
#include <kernel/device.h>
#include <kernel/error.h>
#include <kcxx/bindings.h>

namespace kernel {

class Firmware {
public:
	/* The longest path a request takes, NUL included. */
	static constexpr ktl::size_t NAME_SIZE = 96;

	/* An empty Firmware: no file, no bytes. */
	constexpr Firmware() = default;
	Firmware(Firmware &&o) noexcept : fw_(ktl::exchange(o.fw_, nullptr))
	{
		__builtin_memcpy(name_, o.name_, NAME_SIZE);
	}
	Firmware &operator=(Firmware &&o) noexcept
	{
		if (this != &o) {
			release();
			fw_ = ktl::exchange(o.fw_, nullptr);
			__builtin_memcpy(name_, o.name_, NAME_SIZE);
		}
		return *this;
	}
	Firmware(const Firmware &) = delete;
	Firmware &operator=(const Firmware &) = delete;
	~Firmware() { release(); }

	/*
	 * @fmt formatted into @out: EINVAL (and @out empty) if it does not
	 * fit. For messages about a file whose request failed.
	 */
	[[gnu::format(printf, 2, 3)]] static Result<void> format_name(char (&out)[NAME_SIZE],
								      const char *fmt, ...)
	{
		__builtin_va_list args;
		__builtin_va_start(args, fmt);
		int n = kcxx_vsnprintf(out, NAME_SIZE, fmt, args);
		__builtin_va_end(args);
		if (n < 0 || static_cast<ktl::size_t>(n) >= NAME_SIZE) {
			out[0] = '\0';
			return err::EINVAL;
		}
		return ok();
	}

	/* The file @name for @dev (see the top of this file). */
	template <typename D> static Result<Firmware> request(const D &dev, const char *name)
	{
		Firmware fw;
		TRY(format_name(fw.name_, "%s", name));
		TRY(to_result(kcxx_firmware_request(&fw.fw_, fw.name_, dev.raw_device())));
		return fw;
	}

	/* Whether a file is held. */
	bool is_loaded() const { return fw_ != nullptr; }
	/* The path it was requested as ("" when empty). */
	const char *name() const { return name_; }
	/* Its bytes (empty when no file is held). */
	ByteView bytes() const
	{
		if (!fw_)
			return ByteView();
		return ByteView(kcxx_firmware_data(fw_), kcxx_firmware_size(fw_));
	}
	ktl::size_t size() const { return fw_ ? kcxx_firmware_size(fw_) : 0; }

private:
	void release()
	{
		if (fw_)
			kcxx_firmware_release(fw_);
		fw_ = nullptr;
	}

	const struct firmware *fw_ = nullptr;
	char name_[NAME_SIZE] = {};
};

} // namespace kernel

#endif /* KERNEL_FIRMWARE_H */
