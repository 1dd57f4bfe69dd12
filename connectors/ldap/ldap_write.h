// Sending plan operations as asynchronous libldap requests and collecting their results. The
// window and the ordering are the engine's (core/apply.cc); this only sends and receives.
#pragma once

#include <cstdint>
#include <unordered_map>

#include "connectors/ldap/ldap_connection.h"
#include "core/directory_connector.h"

namespace ps {

class LdapWriter {
 public:
  explicit LdapWriter(LdapConnection& conn) : conn_(conn) {}

  Status submit(std::uint64_t ticket, const Operation& op);
  Result<Completion> wait_completion();
  std::size_t outstanding() const { return pending_.size(); }

 private:
  struct Pending {
    std::uint64_t ticket;
    OpType type;
    std::string dn;
  };
  LdapConnection& conn_;
  std::unordered_map<int, Pending> pending_;  // by message id
};

}  // namespace ps
