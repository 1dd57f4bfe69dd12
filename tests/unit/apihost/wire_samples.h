// Sample operations and entries for the wire codec's tests, and comparisons of the fields the
// contract carries (an Operation has more: portal ids, reasons, old values stay on the client).
#pragma once

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "connectors/apihost/apihost_wire.h"

namespace wire_test {

using namespace ps;
using namespace ps::apihost;

inline const std::string kBase = "OU=portal,DC=tainan,DC=gov,DC=tw";
// Not UTF-8 (an objectGUID, a JPEG header): must travel as {"base64": ...}.
inline const std::string kBinary = std::string("\x00\xff\xfe\x80 \x01", 6);

inline WireOp sample_op(const std::string& action) {
  WireOp w;
  w.key = "7c0e42-" + action;
  w.action = parse_wire_action(action).value();
  w.op.dn = "CN=chen,OU=戶政科," + kBase;
  if (action == "set_password") {
    w.password = "Tn-民政-Kq7v#2026";
    w.must_change = true;
    return w;
  }
  if (action == "unlock") return w;
  for (auto [name, type] : {std::pair{"add", OpType::add},
                            {"modify", OpType::modify},
                            {"move", OpType::move},
                            {"rename", OpType::rename},
                            {"disable", OpType::disable},
                            {"enable", OpType::enable},
                            {"delete", OpType::remove}})
    if (action == name) w.op.type = type;
  w.op.kind = ObjectKind::shared_account;
  w.op.subject = "陳雅婷";
  w.op.anchor = "5c1f0a2e-8d3b-4c1e-9a7f-0123456789ab";
  if (action == "move") w.op.set_target({"CN=chen2", "OU=教育局," + kBase, ""});
  if (action == "rename") w.op.set_target({"CN=chen2", "", ""});
  if (action != "delete" && action != "move" && action != "rename")
    w.op.mods = {{Modification::Kind::add, "objectClass", {"user"}, {}},
                 {Modification::Kind::replace, "displayName", {"陳雅婷", "歐陽 \"小+明\", #1"}, {}},
                 {Modification::Kind::replace, "thumbnailPhoto", {kBinary}, {}},
                 {Modification::Kind::remove, "telephoneNumber", {}, {}}};
  return w;
}

inline const std::vector<std::string> kAllActions = {
    "add", "modify", "move", "rename", "disable", "enable", "delete", "set_password", "unlock"};

inline void check_same_mods(const std::vector<Modification>& got,
                            const std::vector<Modification>& want) {
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    CHECK(got[i].kind == want[i].kind);
    CHECK(got[i].attribute == want[i].attribute);
    CHECK(got[i].values == want[i].values);
  }
}

// Equal in every field the contract carries.
inline void check_same_op(const WireOp& got, const WireOp& want) {
  CHECK(got.key == want.key);
  CHECK(got.action == want.action);
  CHECK(got.op.dn == want.op.dn);
  CHECK(got.password == want.password);
  CHECK(got.must_change == want.must_change);
  if (want.action == WireAction::set_password || want.action == WireAction::unlock) return;
  CHECK(got.op.type == want.op.type);
  CHECK(got.op.kind == want.op.kind);
  CHECK(got.op.subject == want.op.subject);
  CHECK(got.op.anchor == want.op.anchor);
  CHECK(got.op.new_rdn() == want.op.new_rdn());
  CHECK(got.op.new_superior() == want.op.new_superior());
  check_same_mods(got.op.mods, want.op.mods);
}

inline DirectoryEntry sample_entry(const std::string& cn) {
  DirectoryEntry e("CN=" + cn + ",OU=戶政科," + kBase, "5c1f0a2e-" + cn);
  e.add_attribute("samaccountname", {cn});
  e.add_attribute("displayname", {"陳雅婷"});
  e.add_attribute("objectclass", {"top", "person", "user"});
  e.add_attribute("objectsid", {kBinary});
  return e;
}

}  // namespace wire_test
