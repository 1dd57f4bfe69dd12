#include <catch2/catch.hpp>

#include "core/mass_change_guard.h"

using namespace ps;

namespace {

Plan plan_with(std::size_t managed, std::size_t disables, std::size_t deletes) {
  Plan p;
  p.summary.directory_accounts = managed;
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
  CHECK_THAT(a.reason, Catch::Contains("20 of 100 accounts"));
}

TEST_CASE("holding marks only destructive operations", "[guard]") {
  auto p = plan_with(100, 2, 2);
  hold_destructive(p);
  for (std::size_t i = 0; i < 4; ++i) CHECK(p.operations[i].held);
  CHECK_FALSE(p.operations[4].held);
}
