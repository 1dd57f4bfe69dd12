// Who is at the other end of a loopback connection. Every local user's client comes from the
// same 127.0.0.1, so a per-address limit alone lets any local user's flood use up the share of
// the operator's curl; the kernel knows which user owns the client socket.
#pragma once

#include <cstdint>
#include <optional>

namespace ps::admin {

// Asks the kernel (Linux sock_diag, which needs no privilege) who owns the client end of an
// accepted connection. One netlink socket, opened at the first question and kept: the server
// asks on every accept, and a flood makes thousands a second. Loop thread only.
class LoopbackPeers {
 public:
  LoopbackPeers() = default;
  LoopbackPeers(const LoopbackPeers&) = delete;
  LoopbackPeers& operator=(const LoopbackPeers&) = delete;
  ~LoopbackPeers();

  // The user ID owning the client end of the TCP connection `fd` when the client is on this
  // machine's loopback (127.0.0.0/8, ::1, or ::ffff:127.x); nullopt for a remote client or when
  // the kernel does not answer.
  std::optional<unsigned> uid_of(int fd);

 private:
  int netlink_ = -1;
  std::uint32_t sequence_ = 0;
};

}  // namespace ps::admin
