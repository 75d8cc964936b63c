// SPDX-License-Identifier: GPL-2.0
/*
 * The vfio-user server side: one client (QEMU's vfio-user-pci) on one
 * connected AF_UNIX stream socket, one message at a time. Every reply is
 * made from the device's state at once: the client holds its big lock
 * while it waits for a register read, so the server never waits on it.
 */
#ifndef GPU_MODEL_SERVER_H
#define GPU_MODEL_SERVER_H

#include <cstdint>
#include <string>
#include <vector>

#include "dma.h"
#include "gpu.h"
#include "vfio_user.h"

namespace gpu_model {

class Server {
public:
	/* @stop, when set, ends run() as a hang-up would. */
	Server(int fd, Gpu &gpu, const volatile int *stop);
	~Server();
	Server(const Server &) = delete;
	Server &operator=(const Server &) = delete;

	/*
	 * Serve until the client hangs up (returns 0) or breaks the protocol
	 * (returns 1, after one line on stderr saying how).
	 */
	int run();

private:
	struct Message {
		vfio_user::Header header {};
		std::vector<uint8_t> body;
		std::vector<int> fds;
	};
	struct Reply {
		std::vector<uint8_t> body;
		int fd = -1;
		uint32_t error = 0; /* a positive errno: an error reply */
	};
	static Reply failure(int error) { return { {}, -1, static_cast<uint32_t>(error) }; }

	/* false on end of stream; @error is set when it was not a clean end. */
	bool receive(Message &m, std::string &error);
	bool send(const vfio_user::Header &request, const Reply &reply);
	Reply handle(Message &m);

	Reply version(const Message &m);
	Reply dma_map(Message &m);
	Reply dma_unmap(const Message &m);
	Reply device_info(const Message &m);
	Reply region_info(const Message &m);
	Reply irq_info(const Message &m);
	Reply set_irqs(Message &m);
	Reply region_read(const Message &m);
	Reply region_write(const Message &m);

	int fd_;
	Gpu &gpu_;
	DmaSpace dma_;
	/* The eventfds QEMU gave for each interrupt index and vector. */
	std::vector<int> irq_fds_[vfio_user::NUM_IRQS];
	bool versioned_ = false;
	int64_t last_tick_ = 0; /* the monotonic millisecond of GSP-RM's last tick */
	const volatile int *stop_;
};

} // namespace gpu_model

#endif /* GPU_MODEL_SERVER_H */
