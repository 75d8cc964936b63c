// SPDX-License-Identifier: GPL-2.0
#include "server.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace gpu_model {

using namespace vfio_user;

namespace {

/* The most fds one message may carry: what the model announces. */
constexpr unsigned MAX_MSG_FDS = 8;
/* The largest message: a region access of max_data_xfer_size. */
constexpr uint32_t MAX_DATA_XFER = 1u << 20;
constexpr uint32_t MAX_MESSAGE = MAX_DATA_XFER + 64;

template <typename T> bool payload(const std::vector<uint8_t> &body, T &out)
{
	if (body.size() < sizeof(T))
		return false;
	std::memcpy(&out, body.data(), sizeof(T));
	return true;
}

template <typename T> std::vector<uint8_t> bytes(const T &v)
{
	std::vector<uint8_t> b(sizeof(T));
	std::memcpy(b.data(), &v, sizeof(T));
	return b;
}

bool read_full(int fd, void *buf, size_t len)
{
	auto *p = static_cast<uint8_t *>(buf);
	while (len) {
		ssize_t n = ::read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= static_cast<size_t>(n);
	}
	return true;
}

void close_all(std::vector<int> &fds)
{
	for (int fd : fds)
		if (fd >= 0)
			close(fd);
	fds.clear();
}

} // namespace

Server::Server(int fd, Gpu &gpu, const volatile int *stop) : fd_(fd), gpu_(gpu), stop_(stop)
{
	gpu_.attach(&dma_);
}

Server::~Server()
{
	gpu_.attach(nullptr);
	for (auto &fds : irq_fds_)
		close_all(fds);
	close(fd_);
}

/*
 * A message's fds come with its header (SCM_RIGHTS on the first byte);
 * the payload follows with plain reads.
 */
bool Server::receive(Message &m, std::string &error)
{
	union {
		char buf[CMSG_SPACE(MAX_MSG_FDS * sizeof(int))];
		cmsghdr align;
	} control;
	iovec iov = { &m.header, sizeof(m.header) };
	msghdr msg {};
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control.buf;
	msg.msg_controllen = sizeof(control.buf);
	ssize_t n;
	do {
		n = recvmsg(fd_, &msg, MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR && !*stop_);
	if (n == 0)
		return false;
	if (n < 0 && errno == EINTR)
		return false;
	if (n < 0) {
		error = std::string("recvmsg: ") + std::strerror(errno);
		return false;
	}
	for (cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < count; i++) {
			int fd;
			std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			m.fds.push_back(fd);
		}
	}
	if (msg.msg_flags & MSG_CTRUNC) {
		error = "a message carried more fds than announced";
		return false;
	}
	if (static_cast<size_t>(n) < sizeof(m.header) &&
	    !read_full(fd_, reinterpret_cast<uint8_t *>(&m.header) + n, sizeof(m.header) - n)) {
		error = "the stream ended inside a header";
		return false;
	}
	if (m.header.size < sizeof(m.header) || m.header.size > MAX_MESSAGE) {
		error = "a message of " + std::to_string(m.header.size) + " bytes";
		return false;
	}
	m.body.resize(m.header.size - sizeof(m.header));
	if (!read_full(fd_, m.body.data(), m.body.size())) {
		error = "the stream ended inside a message";
		return false;
	}
	return true;
}

bool Server::send(const Header &request, const Reply &reply)
{
	Header h {};
	h.id = request.id;
	h.command = request.command;
	h.flags = FLAG_REPLY | (reply.error ? FLAG_ERROR : 0);
	h.error = reply.error;
	/* An error reply is its header alone. */
	size_t body = reply.error ? 0 : reply.body.size();
	h.size = static_cast<uint32_t>(sizeof(h) + body);
	std::vector<uint8_t> all(h.size);
	std::memcpy(all.data(), &h, sizeof(h));
	if (body)
		std::memcpy(all.data() + sizeof(h), reply.body.data(), body);

	iovec iov = { all.data(), all.size() };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		cmsghdr align;
	} control {};
	msghdr msg {};
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (reply.fd >= 0 && !reply.error) {
		msg.msg_control = control.buf;
		msg.msg_controllen = sizeof(control.buf);
		cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		std::memcpy(CMSG_DATA(c), &reply.fd, sizeof(int));
	}
	ssize_t n;
	do {
		n = sendmsg(fd_, &msg, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return false;
	/* A short send: the rest without the fd, which went with the first byte. */
	for (size_t sent = static_cast<size_t>(n); sent < all.size();) {
		n = ::send(fd_, all.data() + sent, all.size() - sent, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		sent += static_cast<size_t>(n);
	}
	return true;
}

int Server::run()
{
	for (;;) {
		/*
		 * While GSP-RM has messages that wait for room in its status
		 * queue, it looks again each millisecond, busy client or not.
		 */
		if (gpu_.wants_tick()) {
			timespec now;
			clock_gettime(CLOCK_MONOTONIC, &now);
			int64_t ms = now.tv_sec * 1000ll + now.tv_nsec / 1000000;
			if (ms != last_tick_) {
				last_tick_ = ms;
				gpu_.tick();
			}
			pollfd p = { fd_, POLLIN, 0 };
			int n = poll(&p, 1, 1);
			if (n == 0)
				continue;
			if (n < 0 && errno == EINTR && *stop_)
				return 0;
		}
		Message m;
		std::string error;
		if (!receive(m, error)) {
			close_all(m.fds);
			if (error.empty())
				return 0;
			std::fprintf(stderr, "gpu-model %s: %s\n", gpu_.name().c_str(),
				     error.c_str());
			return 1;
		}
		uint32_t type = m.header.flags & FLAG_TYPE_MASK;
		if (type != FLAG_COMMAND) {
			std::fprintf(stderr, "gpu-model %s: a message of type %u from the client\n",
				     gpu_.name().c_str(), type);
			close_all(m.fds);
			return 1;
		}
		Reply r = handle(m);
		close_all(m.fds); /* what a handler kept, it took out of m.fds */
		if (gpu_.dying()) {
			std::fprintf(stderr, "gpu-model %s: dying, as the test port asked\n",
				     gpu_.name().c_str());
			std::fflush(stderr);
			_exit(134);
		}
		if (!(m.header.flags & FLAG_NO_REPLY) && !send(m.header, r)) {
			std::fprintf(stderr, "gpu-model %s: cannot send a reply: %s\n",
				     gpu_.name().c_str(), std::strerror(errno));
			return 1;
		}
	}
}

Server::Reply Server::handle(Message &m)
{
	if (!versioned_ && m.header.command != VERSION)
		return failure(EINVAL);
	switch (m.header.command) {
	case VERSION:
		return version(m);
	case DMA_MAP:
		return dma_map(m);
	case DMA_UNMAP:
		return dma_unmap(m);
	case DEVICE_GET_INFO:
		return device_info(m);
	case DEVICE_GET_REGION_INFO:
		return region_info(m);
	case DEVICE_GET_IRQ_INFO:
		return irq_info(m);
	case DEVICE_SET_IRQS:
		return set_irqs(m);
	case REGION_READ:
		return region_read(m);
	case REGION_WRITE:
		return region_write(m);
	case DEVICE_RESET:
		gpu_.reset();
		return {};
	case DEVICE_FEATURE:
		return failure(ENOTTY);
	default:
		return failure(ENOSYS);
	}
}

/*
 * Version 0.0, and only the capabilities the model needs: QEMU's defaults
 * serve for the rest. The reply may not be longer than the request.
 */
Server::Reply Server::version(const Message &m)
{
	Version v;
	if (!payload(m.body, v) || v.major != 0)
		return failure(ENOTSUP);
	static const char caps[] =
		"{\"capabilities\":{\"max_msg_fds\":8,\"max_data_xfer_size\":1048576}}";
	static const char empty[] = "{}";
	const char *json = sizeof(Version) + sizeof(caps) <= m.body.size() ? caps : empty;
	Version reply { 0, 0 };
	std::vector<uint8_t> body = bytes(reply);
	body.insert(body.end(), json, json + std::strlen(json) + 1);
	versioned_ = true;
	return { body, -1, 0 };
}

Server::Reply Server::dma_map(Message &m)
{
	DmaMap req;
	if (!payload(m.body, req) || m.fds.size() > 1)
		return failure(EINVAL);
	int fd = m.fds.empty() ? -1 : m.fds[0];
	int err = dma_.map(req.address, req.size, fd, req.offset, req.flags & DMA_FLAG_WRITE);
	return failure(static_cast<uint32_t>(err));
}

Server::Reply Server::dma_unmap(const Message &m)
{
	DmaUnmap req;
	if (!payload(m.body, req))
		return failure(EINVAL);
	if (req.flags & DMA_UNMAP_FLAG_ALL) {
		dma_.unmap_all();
		return { bytes(req), -1, 0 };
	}
	int err = dma_.unmap(req.address, req.size);
	if (err)
		return failure(static_cast<uint32_t>(err));
	return { bytes(req), -1, 0 };
}

Server::Reply Server::device_info(const Message &m)
{
	DeviceInfo req;
	if (!payload(m.body, req))
		return failure(EINVAL);
	DeviceInfo info { sizeof(DeviceInfo), DEVICE_FLAGS_RESET | DEVICE_FLAGS_PCI, NUM_REGIONS,
			  NUM_IRQS };
	return { bytes(info), -1, 0 };
}

/*
 * A region with sparse mmap areas describes them in a capability after the
 * struct. When the client's argsz is too small for it, the reply says how
 * much is needed and the client asks again.
 */
Server::Reply Server::region_info(const Message &m)
{
	RegionInfo req;
	if (!payload(m.body, req) || req.index >= NUM_REGIONS)
		return failure(EINVAL);
	RegionDesc d = gpu_.region(req.index);
	RegionInfo info {};
	info.index = req.index;
	info.size = d.size;
	info.flags = d.flags;
	info.offset = 0;
	std::vector<uint8_t> caps;
	if (!d.sparse.empty()) {
		size_t n = d.sparse.size();
		caps.resize(sizeof(CapHeader) + 8 + 16 * n);
		CapHeader h { CAP_SPARSE_MMAP, 1, 0 };
		uint32_t nr = static_cast<uint32_t>(n), reserved = 0;
		std::memcpy(caps.data(), &h, sizeof(h));
		std::memcpy(caps.data() + 8, &nr, 4);
		std::memcpy(caps.data() + 12, &reserved, 4);
		for (size_t i = 0; i < n; i++) {
			std::memcpy(caps.data() + 16 + 16 * i, &d.sparse[i].first, 8);
			std::memcpy(caps.data() + 24 + 16 * i, &d.sparse[i].second, 8);
		}
		info.cap_offset = sizeof(RegionInfo);
	}
	info.argsz = static_cast<uint32_t>(sizeof(RegionInfo) + caps.size());
	std::vector<uint8_t> body = bytes(info);
	if (info.argsz <= req.argsz)
		body.insert(body.end(), caps.begin(), caps.end());
	return { body, d.fd, 0 };
}

Server::Reply Server::irq_info(const Message &m)
{
	IrqInfo req;
	if (!payload(m.body, req) || req.index >= NUM_IRQS)
		return failure(EINVAL);
	IrqInfo info { sizeof(IrqInfo), IRQ_INFO_EVENTFD, req.index, 0 };
	switch (req.index) {
	case INTX:
		/* Interrupt pin 0: there is no INTx to use, but the index exists. */
		info.flags |= IRQ_INFO_MASKABLE | IRQ_INFO_AUTOMASKED;
		info.count = 1;
		break;
	case MSI:
	case ERR:
	case REQ:
		info.count = 1;
		break;
	default: /* no MSI-X */
		break;
	}
	return { bytes(info), -1, 0 };
}

/* The eventfds are kept to raise interrupts with; nothing raises one yet. */
Server::Reply Server::set_irqs(Message &m)
{
	IrqSet req;
	if (!payload(m.body, req) || req.index >= NUM_IRQS)
		return failure(EINVAL);
	std::vector<int> &fds = irq_fds_[req.index];
	if (req.flags & IRQ_SET_DATA_EVENTFD) {
		if (!m.fds.empty() && m.fds.size() != req.count)
			return failure(EINVAL);
		if (fds.size() < static_cast<size_t>(req.start) + req.count)
			fds.resize(static_cast<size_t>(req.start) + req.count, -1);
		for (uint32_t i = 0; i < req.count; i++) {
			int &slot = fds[req.start + i];
			if (slot >= 0)
				close(slot);
			slot = m.fds.empty() ? -1 : m.fds[i];
		}
		m.fds.clear();
	} else if ((req.flags & IRQ_SET_DATA_NONE) && req.count == 0) {
		close_all(fds);
	}
	return {};
}

Server::Reply Server::region_read(const Message &m)
{
	RegionAccess req;
	if (!payload(m.body, req) || req.count > MAX_DATA_XFER)
		return failure(EINVAL);
	std::vector<uint8_t> body(sizeof(req) + req.count);
	int err = gpu_.read(req.region, req.offset, body.data() + sizeof(req), req.count);
	if (err)
		return failure(static_cast<uint32_t>(err));
	std::memcpy(body.data(), &req, sizeof(req));
	return { body, -1, 0 };
}

Server::Reply Server::region_write(const Message &m)
{
	RegionAccess req;
	if (!payload(m.body, req) || m.body.size() - sizeof(req) < req.count)
		return failure(EINVAL);
	int err = gpu_.write(req.region, req.offset, m.body.data() + sizeof(req), req.count);
	if (err)
		return failure(static_cast<uint32_t>(err));
	return { bytes(req), -1, 0 };
}

} // namespace gpu_model
