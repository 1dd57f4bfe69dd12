// What the kernel knows of a TCP connection that the application may not have seen yet.
#pragma once

#include <cstdint>

namespace ps::admin {

// Bytes received on the TCP socket `fd` since it was opened, read by the application or not
// (Linux TCP_INFO); 0 when unknown.
std::uint64_t tcp_bytes_received(int fd);

}  // namespace ps::admin
