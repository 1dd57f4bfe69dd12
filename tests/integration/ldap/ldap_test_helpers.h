// Shared by the LDAP connector tests: settings for a SlapdServer, building operations, running one
// operation to completion, and finding entries by DN the way a server compares them.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "connectors/ldap/ldap_connector.h"
#include "core/dn.h"
#include "tests/support/require_ok.h"
#include "tests/support/slapd_server.h"

namespace ldap_test {

using ps::Completion;
using ps::DirectoryEntry;
using ps::LdapConnector;
using ps::LdapSettings;
using ps::Modification;
using ps::Operation;
using ps::OpType;

inline LdapSettings admin_settings(const ps::testing::SlapdServer& slapd) {
  LdapSettings s;
  s.url = slapd.url();
  s.tls = LdapSettings::Tls::none;
  s.bind_dn = slapd.admin_dn();
  s.bind_password = slapd.admin_password();
  s.timeout_seconds = 10;
  return s;
}

inline std::unique_ptr<LdapConnector> connect(const LdapSettings& settings) {
  auto connector = LdapConnector::connect(settings);
  REQUIRE_OK(connector);
  return std::move(connector.value());
}

inline Modification mod(Modification::Kind kind, std::string attribute,
                        std::vector<std::string> values = {}) {
  return {kind, std::move(attribute), std::move(values), {}};
}

inline Modification value(std::string attribute, std::vector<std::string> values) {
  return mod(Modification::Kind::add, std::move(attribute), std::move(values));
}

inline Operation add(std::string dn, std::vector<Modification> mods) {
  Operation op;
  op.type = OpType::add;
  op.dn = std::move(dn);
  op.mods = std::move(mods);
  return op;
}

inline Operation add_ou(const std::string& parent, const std::string& name) {
  return add(ps::join_dn(ps::make_rdn("ou", name), parent),
             {value("objectClass", {"organizationalUnit"}), value("ou", {name})});
}

inline Operation add_person(const std::string& dn, const std::string& uid, const std::string& cn,
                            const std::string& sn) {
  return add(dn, {value("objectClass", {"inetOrgPerson"}), value("uid", {uid}), value("cn", {cn}),
                  value("sn", {sn})});
}

inline Operation change(OpType type, std::string dn, std::vector<Modification> mods) {
  Operation op;
  op.type = type;
  op.dn = std::move(dn);
  op.mods = std::move(mods);
  return op;
}

// Submits one operation and waits for its completion.
inline Completion run_one(LdapConnector& connector, const Operation& op) {
  REQUIRE_OK(connector.submit(7, op));
  auto done = connector.wait_completion();
  REQUIRE_OK(done);
  REQUIRE(done->ticket == 7);
  return done.value();
}

// Entries found by DN compared parsed and unescaped: slapd hex-escapes some characters itself.
template <class Entries>
auto find_dn(const Entries& entries, const std::string& dn) -> decltype(&entries.front()) {
  for (const auto& e : entries)
    if (ps::normalize_dn(e.dn()) == ps::normalize_dn(dn)) return &e;
  return nullptr;
}

}  // namespace ldap_test
