#include <catch2/catch.hpp>

#include "core/mass_change_guard.h"

using namespace ps;

namespace {

Plan plan_with(std::size_t managed, std::size_t disables, std::size_t deletes) {
  Plan p;
  p.summary.directory_accounts = managed;
  p.summary.portal_accounts = managed;
  for (std::size_t i = 0; i < disables + deletes; ++i) {
    Operation op;
    op.kind = ObjectKind::account;
    op.type = i < disables ? OpType::disable : OpType::remove;
    op.dn = "uid=u" + std::to_string(i) + ",ou=p";
    p.operations.push_back(op);
  }
  Operation harmless;
  harmless.type = OpType::modify;
  p.operations.push_back(harmless);
  return p;
}

}  // namespace

TEST_CASE("the guard trips above the count or the percentage", "[guard]") {
  GuardPolicy policy;
  CHECK_FALSE(evaluate_mass_change(plan_with(10000, 400, 0), policy).trips);
  CHECK(evaluate_mass_change(plan_with(10000, 400, 101), policy).trips);
  CHECK(evaluate_mass_change(plan_with(300, 20, 20), policy).trips);       // 13%
  CHECK_FALSE(evaluate_mass_change(plan_with(300, 30, 0), policy).trips);  // exactly 10%
  CHECK_FALSE(evaluate_mass_change(plan_with(20, 3, 0), policy).trips);    // under the floor
}

TEST_CASE("the fingerprint names the set of destructive operations", "[guard]") {
  GuardPolicy policy;
  auto a = evaluate_mass_change(plan_with(100, 20, 0), policy);
  auto b = evaluate_mass_change(plan_with(100, 20, 0), policy);
  auto c = evaluate_mass_change(plan_with(100, 21, 0), policy);
  CHECK(a.fingerprint == b.fingerprint);
  CHECK(a.fingerprint != c.fingerprint);
  CHECK_THAT(a.reason, Catch::Contains("disable 20 accounts (20 of 100 managed entries"));
}

TEST_CASE("holding marks only destructive operations", "[guard]") {
  auto p = plan_with(100, 2, 2);
  hold_destructive(p);
  for (std::size_t i = 0; i < 4; ++i) CHECK(p.operations[i].held);
  CHECK_FALSE(p.operations[4].held);
}

TEST_CASE("every delete and disable counts, whatever its kind", "[guard]") {
  Plan p;
  p.summary.directory_accounts = 5;
  p.summary.portal_accounts = 5;
  p.summary.directory_units = 10;
  p.summary.portal_units = 1;
  p.summary.directory_groups = 5;
  for (auto kind : {ObjectKind::org_unit, ObjectKind::group, ObjectKind::shared_account}) {
    Operation op;
    op.kind = kind;
    op.type = OpType::remove;
    op.dn = "cn=x" + std::to_string(static_cast<int>(kind));
    p.operations.push_back(op);
  }
  GuardPolicy policy;
  policy.percent_floor = 1;
  auto v = evaluate_mass_change(p, policy);
  CHECK(v.destructive == 3);
  CHECK(v.managed == 20);
  CHECK(v.trips);  // 15% of the managed entries
  CHECK_THAT(v.reason, Catch::Contains("delete 1 account, 1 unit and 1 group"));
}

TEST_CASE("a portal table that reads empty trips the guard at any size", "[guard]") {
  Plan p;
  p.summary.directory_accounts = 1000;
  p.summary.portal_accounts = 0;
  Operation op;
  op.type = OpType::remove;
  op.dn = "uid=one";
  p.operations.push_back(op);
  auto v = evaluate_mass_change(p, GuardPolicy{});
  CHECK(v.trips);
  CHECK_THAT(v.reason, Catch::Contains("the portal has no accounts"));
  p.scoped = true;  // a journal run reads only its scope: no table is empty there
  CHECK_FALSE(evaluate_mass_change(p, GuardPolicy{}).trips);
}

TEST_CASE("a hold's sample names the first destructive operations, who and why", "[guard]") {
  auto p = plan_with(100, 3, 9);
  p.operations[1].subject = "lin.wei";
  p.operations[1].reason = "status disabled in the portal";
  auto sample = held_sample_json(p, 10);
  CHECK(sample.rfind(R"([{"operation":"disable","kind":"account","subject":"","dn":"uid=u0,ou=p")",
                     0) == 0);
  CHECK_THAT(sample, Catch::Contains(R"("subject":"lin.wei","dn":"uid=u1,ou=p",)"
                                     R"("reason":"status disabled in the portal"})"));
  CHECK_THAT(sample, Catch::Contains(R"("operation":"delete")"));
  CHECK_THAT(sample, Catch::Contains("uid=u9,ou=p") && !Catch::Contains("uid=u10,"));
  CHECK(held_sample_json(plan_with(100, 0, 0)) == "[]");  // the modify is not destructive
}
