#include "daemon/admin/peer_user.h"

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>

namespace ps::admin {
namespace {

// One endpoint of the connection as sock_diag names it: family, address bytes, port.
struct Endpoint {
  int family = 0;
  unsigned char address[16] = {};
  std::uint16_t port = 0;  // network order
};

// `storage` as AF_INET when it is IPv4 or IPv4-mapped IPv6 (a dual-stack listener sees a v4
// client so; the client's own socket is AF_INET and is found only under that family).
std::optional<Endpoint> endpoint_of(const sockaddr_storage& storage) {
  Endpoint e;
  if (storage.ss_family == AF_INET) {
    const auto& in = reinterpret_cast<const sockaddr_in&>(storage);
    e.family = AF_INET;
    std::memcpy(e.address, &in.sin_addr, 4);
    e.port = in.sin_port;
    return e;
  }
  if (storage.ss_family != AF_INET6) return std::nullopt;
  const auto& in6 = reinterpret_cast<const sockaddr_in6&>(storage);
  e.port = in6.sin6_port;
  if (IN6_IS_ADDR_V4MAPPED(&in6.sin6_addr)) {
    e.family = AF_INET;
    std::memcpy(e.address, in6.sin6_addr.s6_addr + 12, 4);
  } else {
    e.family = AF_INET6;
    std::memcpy(e.address, in6.sin6_addr.s6_addr, 16);
  }
  return e;
}

bool is_loopback(const Endpoint& e) {
  if (e.family == AF_INET) return e.address[0] == 127;
  static const unsigned char loopback6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  return std::memcmp(e.address, loopback6, 16) == 0;
}

// The question for the one TCP socket whose source is `client` and destination `server`: the
// client's end, owned by the client's user.
struct Query {
  nlmsghdr header;
  inet_diag_req_v2 request;
};

Query query_for(const Endpoint& client, const Endpoint& server, std::uint32_t sequence) {
  Query query{};
  query.header.nlmsg_len = sizeof query;
  query.header.nlmsg_seq = sequence;
  query.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  query.header.nlmsg_flags = NLM_F_REQUEST;
  query.request.sdiag_family = static_cast<std::uint8_t>(client.family);
  query.request.sdiag_protocol = IPPROTO_TCP;
  query.request.idiag_states = ~0u;
  query.request.id.idiag_sport = client.port;
  query.request.id.idiag_dport = server.port;
  std::memcpy(query.request.id.idiag_src, client.address, 16);
  std::memcpy(query.request.id.idiag_dst, server.address, 16);
  query.request.id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
  query.request.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
  return query;
}

}  // namespace

LoopbackPeers::~LoopbackPeers() {
  if (netlink_ >= 0) ::close(netlink_);
}

std::optional<unsigned> LoopbackPeers::uid_of(int fd) {
  sockaddr_storage peer{}, local{};
  socklen_t peer_length = sizeof peer, local_length = sizeof local;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_length) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_length) != 0)
    return std::nullopt;
  auto client = endpoint_of(peer);
  auto server = endpoint_of(local);
  if (!client || !server || client->family != server->family || !is_loopback(*client))
    return std::nullopt;
  if (netlink_ < 0) netlink_ = ::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (netlink_ < 0) return std::nullopt;

  // The kernel queues its answer before sendto returns, so the receive never waits (this runs
  // on the server's event loop). An answer that is not there, or not to this question (the
  // sequence number), counts as none, and anything left over is drained so that it cannot pass
  // for the answer to the next one.
  auto query = query_for(*client, *server, ++sequence_);
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (::sendto(netlink_, &query, sizeof query, 0, reinterpret_cast<sockaddr*>(&kernel),
               sizeof kernel) != static_cast<ssize_t>(sizeof query))
    return std::nullopt;
  alignas(nlmsghdr) char reply[1024];
  auto n = ::recv(netlink_, reply, sizeof reply, MSG_DONTWAIT);
  auto* message = reinterpret_cast<nlmsghdr*>(reply);
  bool answer = n > 0 && NLMSG_OK(message, static_cast<unsigned>(n)) &&
                message->nlmsg_seq == query.header.nlmsg_seq &&
                message->nlmsg_type == SOCK_DIAG_BY_FAMILY &&
                message->nlmsg_len >= NLMSG_LENGTH(sizeof(inet_diag_msg));
  while (::recv(netlink_, reply, sizeof reply, MSG_DONTWAIT) > 0) {
  }
  if (!answer) return std::nullopt;
  return static_cast<const inet_diag_msg*>(NLMSG_DATA(message))->idiag_uid;
}

}  // namespace ps::admin
