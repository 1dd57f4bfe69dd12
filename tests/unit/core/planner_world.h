// The planner tests' world: a small Tainan portal, an in-memory directory and store, and the
// engine wired over them with a fixed clock.
#pragma once

#include <algorithm>
#include <catch2/catch.hpp>

#include "core/engine.h"
#include "core/planner.h"
#include "memory_directory.h"

namespace ps::testing {

inline const std::string kBase = "ou=portal,dc=example,dc=org";

inline OrgUnit unit(RowId id, std::optional<RowId> parent, std::string code, std::string name) {
  OrgUnit u;
  u.id = id;
  u.parent_id = parent;
  u.code = std::move(code);
  u.name = std::move(name);
  return u;
}

inline Account account(RowId id, std::string username, std::string name, RowId unit_id,
                       std::string status = "enabled") {
  Account a;
  a.id = id;
  a.set_username(std::move(username));
  a.set_display_name(name);
  if (name.size() > 3) {  // a one-character (three-byte) surname, the rest given name
    a.set_surname(name.substr(0, 3));
    a.set_given_name(name.substr(3));
  }
  a.org_unit_id = unit_id;
  a.set_status(std::move(status));
  return a;
}

inline PortalSnapshot tainan() {
  PortalSnapshot p;
  p.units = {unit(1, std::nullopt, "A00", "臺南市政府"), unit(2, 1, "A01", "民政局"),
             unit(3, 1, "A02", "教育局"), unit(4, 2, "A01-1", "戶政科")};
  p.accounts = {account(10, "chen.yating", "陳雅婷", 4), account(11, "lin.wei", "林威", 3),
                account(12, "wang.pending", "王小明", 2, "pending")};
  return p;
}

struct World {
  MemoryDirectory dir{kBase};
  MemoryStore store;
  FixedClock clock{TimePoint{}};
  NullLogger log;
  EngineOptions options;

  World() { options.mapping.base_dn = kBase; }
  SyncEngine engine() { return SyncEngine(store, dir, clock, log, options); }
  SyncReport sync() {
    auto e = engine();
    auto r = e.sync();
    REQUIRE(r);
    return std::move(r.value());
  }
  Plan plan() {
    auto e = engine();
    auto r = e.preview();
    REQUIRE(r);
    return std::move(r->plan);
  }
};

inline std::size_t index_of(const Plan& p, OpType type, const std::string& dn_prefix) {
  for (std::size_t i = 0; i < p.operations.size(); ++i)
    if (p.operations[i].type == type && p.operations[i].dn.rfind(dn_prefix, 0) == 0) return i;
  FAIL("no " << to_string(type) << " of " << dn_prefix);
  return 0;
}

inline const std::string kGroupsDn = "ou=groups," + kBase;

// The sorted member values of the group cn=<group> under kGroupsDn; empty when it has none.
inline std::vector<std::string> group_members(const World& w, const std::string& group) {
  const auto* e = w.dir.get("cn=" + group + "," + kGroupsDn);
  if (!e || !e->find("member")) return {};
  auto m = e->find("member")->strings();
  std::sort(m.begin(), m.end());
  return m;
}

inline const std::string kCityDn = "ou=臺南市政府," + kBase;
inline const std::string kCivilDn = "ou=民政局," + kCityDn;
inline const std::string kHouseholdDn = "ou=戶政科," + kCivilDn;
inline const std::string kEducationDn = "ou=教育局," + kCityDn;

}  // namespace ps::testing
