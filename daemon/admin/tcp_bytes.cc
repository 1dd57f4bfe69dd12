// Its own file: <linux/tcp.h> (whose tcp_info has tcpi_bytes_received) clashes with the
// <netinet/tcp.h> that Asio includes.
#include "daemon/admin/tcp_bytes.h"

#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstddef>

namespace ps::admin {

std::uint64_t tcp_bytes_received(int fd) {
  tcp_info info{};
  socklen_t length = sizeof info;
  if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &length) != 0 ||
      length < offsetof(tcp_info, tcpi_bytes_received) + sizeof info.tcpi_bytes_received)
    return 0;
  return info.tcpi_bytes_received;
}

}  // namespace ps::admin
