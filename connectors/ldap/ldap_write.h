// Carrying out planned operations: each Operation is sent asynchronously (add, modify, modrdn,
// delete) and remembered by message id; completions are collected one at a time in whatever
// order the server answers. A failed operation is a Completion with ok = false and a message
// "<op> <dn>: <reason>: <server diagnostic>"; only a lost connection is an error.
#pragma once

#include <ldap.h>

#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>

#include "connectors/ldap/ldap_settings.h"
#include "core/directory.h"
#include "core/directory_connector.h"
#include "core/result.h"

namespace ps {

class LdapWriter {
 public:
  // ld must outlive the writer. settings: url (for messages), timeout, anchor attribute.
  LdapWriter(LDAP* ld, const LdapSettings& settings);

  Status submit(std::uint64_t ticket, const Operation& op);
  Result<Completion> wait_completion();
  std::size_t outstanding() const { return pending_.size() + local_failures_.size(); }

 private:
  struct Pending {
    std::uint64_t ticket;
    OpType type;
    std::string dn;
  };

  int send(const Operation& op, int* msgid);
  Completion complete(const Pending& pending, LDAPMessage* response);
  Error connection_lost(int rc);

  LDAP* ld_;
  std::string url_;
  std::string anchor_attribute_;
  int timeout_seconds_;
  std::unordered_map<int, Pending> pending_;  // by LDAP message id
  std::deque<Completion> local_failures_;     // refused by libldap before anything was sent
  std::string broken_;                        // why the connection is unusable, once it is
};

}  // namespace ps
