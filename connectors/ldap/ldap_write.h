// Carrying out planned operations: each Operation is sent asynchronously (add, modify, modrdn,
// delete) and remembered by message id; completions are collected one at a time in whatever
// order the server answers. A failed operation is a Completion with ok = false and a message
// "<op> <dn>: <reason>: <server diagnostic>"; only a lost connection is an error.
//
// An add asks for the new entry's anchor with the post-read control. Servers that ignore it
// (Active Directory) answer without one: the writer then sends a base search of the new DN on
// the same connection, and the add completes, with the anchor, when that search does. The search
// goes out only after the add's success arrived, so it sees the entry on any server.
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
  std::size_t outstanding() const {
    return pending_.size() + anchor_lookups_.size() + local_failures_.size();
  }

 private:
  struct Pending {
    std::uint64_t ticket;
    OpType type;
    std::string dn;
  };

  int send(const Operation& op, int* msgid);
  Completion complete(const Pending& pending, LDAPMessage* response);
  int send_anchor_lookup(const std::string& dn, int* msgid);
  // A response to an anchor lookup: records the anchor; true when the search is over.
  bool take_lookup_response(Completion& done, LDAPMessage* response);
  Error connection_lost(int rc);

  LDAP* ld_;
  std::string url_;
  std::string anchor_attribute_;
  int timeout_seconds_;
  std::unordered_map<int, Pending> pending_;            // by LDAP message id
  std::unordered_map<int, Completion> anchor_lookups_;  // successful adds, by lookup message id
  std::deque<Completion> local_failures_;  // refused by libldap before anything was sent
  std::string broken_;                     // why the connection is unusable, once it is
};

}  // namespace ps
