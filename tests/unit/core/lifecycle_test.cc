// Reserved-effect changes, idle-disable and handover checks, with a fixed clock.
#include <catch2/catch.hpp>

#include "core/batch_rules.h"
#include "core/handover.h"
#include "core/lifecycle.h"

using namespace ps;

namespace {

TimePoint at(const char* text) { return parse_timestamp(text).value(); }

Account person(RowId id, std::string username, RowId unit, std::string role = "user") {
  Account a;
  a.id = id;
  a.set_username(std::move(username));
  a.set_display_name(a.username());
  a.org_unit_id = unit;
  a.set_role(std::move(role));
  a.set_status("enabled");
  a.set_last_login_at("2026-11-20T09:00:00+08:00");
  return a;
}

PortalSnapshot agency() {
  PortalSnapshot p;
  OrgUnit city{1, std::nullopt, "A00", "臺南市政府", true};
  OrgUnit civil{2, 1, "A01", "民政局", true};
  OrgUnit edu{3, 1, "A02", "教育局", true};
  p.units = {city, civil, edu};
  p.accounts = {person(1, "admin.chen", 2, "agency_admin"), person(2, "clerk.lin", 2),
                person(3, "clerk.wang", 3)};
  SharedAccount box;
  box.id = 1;
  box.username = "civil.mail";
  box.kind = "mail";
  box.org_unit_id = 2;
  box.custodian_id = 2;
  p.shared_accounts = {box};
  return p;
}

ScheduledChange change(RowId id, RowId account, std::string kind, const char* when) {
  ScheduledChange c;
  c.id = id;
  c.account_id = account;
  c.kind = std::move(kind);
  c.effective_at = when;
  c.reason = "公文 1130001";
  c.requested_by = "admin.chen";
  return c;
}

}  // namespace

TEST_CASE("a reserved change runs when its time has come and not before", "[lifecycle]") {
  auto c = change(1, 3, "transfer", "2026-11-30T00:00:00+08:00");  // next Monday, Taipei
  c.target_org_unit_id = 2;
  std::vector<ScheduledChange> all{c};
  CHECK(due_changes(all, at("2026-11-29T15:59:59Z")).empty());
  auto due = due_changes(all, at("2026-11-29T16:00:00Z"));
  REQUIRE(due.size() == 1);
  auto p = agency();
  auto decisions = decide_scheduled_changes(p, due);
  REQUIRE(decisions.size() == 1);
  CHECK(decisions[0].state == ChangeState::done);
  CHECK(decisions[0].category == "unit transfer");
  CHECK(p.accounts[2].org_unit_id == 2);
}

TEST_CASE("due changes run in effective_at order, done, cancelled and future rows are skipped",
          "[lifecycle]") {
  std::vector<ScheduledChange> all{change(1, 2, "disable", "2026-11-25T10:00:00+08:00"),
                                   change(2, 2, "enable", "2026-11-25T01:00:00Z"),
                                   change(3, 3, "disable", "2027-01-01"),
                                   change(4, 3, "disable", "2026-01-01")};
  all[3].state = ChangeState::cancelled;
  auto due = due_changes(all, at("2026-11-25T12:00:00Z"));
  REQUIRE(due.size() == 2);
  CHECK(due[0].id == 2);  // 01:00Z comes before 10:00+08:00 (= 02:00Z)
  CHECK(due[1].id == 1);
}

TEST_CASE("the only agency admin cannot be disabled until a second admin is appointed",
          "[lifecycle][handover]") {
  auto p = agency();
  auto d = decide_change(p, change(1, 1, "disable", "2026-01-01"));
  CHECK(d.state == ChangeState::blocked);
  CHECK_THAT(d.outcome, Catch::Contains("appoint another agency admin in 民政局 first"));

  auto promote = change(2, 2, "set_role", "2026-01-01");
  promote.target_role = "agency_admin";
  auto decisions = decide_scheduled_changes(p, {promote, change(3, 1, "disable", "2026-01-01")});
  CHECK(decisions[0].state == ChangeState::done);
  CHECK(decisions[1].state == ChangeState::done);
  CHECK(p.accounts[0].status() == "disabled");
  CHECK(p.accounts[0].disabled_reason() == "公文 1130001");
}

TEST_CASE("a custodian cannot be disabled or transferred until custody moves",
          "[lifecycle][handover]") {
  auto p = agency();
  auto problems = handover_problems(p, p.accounts[1]);
  REQUIRE(problems.size() == 1);
  CHECK_THAT(problems[0], Catch::Contains("civil.mail (mail)"));
  CHECK_THAT(problems[0], Catch::Contains("hand custody to a colleague in 民政局 first"));
  auto t = change(1, 2, "transfer", "2026-01-01");
  t.target_org_unit_id = 3;
  CHECK(decide_change(p, t).state == ChangeState::blocked);
  p.shared_accounts[0].custodian_id = 1;
  CHECK(decide_change(p, t).state == ChangeState::done);
}

TEST_CASE("demoting the only agency admin is blocked, bad targets fail with a reason",
          "[lifecycle]") {
  auto p = agency();
  auto demote = change(1, 1, "set_role", "2026-01-01");
  demote.target_role = "user";
  CHECK(decide_change(p, demote).state == ChangeState::blocked);
  demote.target_role = "king";
  CHECK(decide_change(p, demote).state == ChangeState::failed);
  auto t = change(2, 3, "transfer", "2026-01-01");
  t.target_org_unit_id = 99;
  CHECK_THAT(decide_change(p, t).outcome, Catch::Contains("target unit 99 does not exist"));
  p.units[1].active = false;
  t.target_org_unit_id = 2;
  CHECK_THAT(decide_change(p, t).outcome, Catch::Contains("retired"));
  CHECK(decide_change(p, change(3, 42, "disable", "2026-01-01")).state == ChangeState::failed);
}

TEST_CASE("idle accounts are disabled after the limit, warned before it, exemptions hold",
          "[lifecycle][idle]") {
  auto p = agency();
  p.accounts[1].set_last_login_at("2026-08-01T09:00:00+08:00");  // clerk.lin: 115 full days
  p.accounts[2].set_last_login_at("");
  p.accounts[2].set_activated_at(
      "2026-09-01T00:00:00+08:00");  // clerk.wang: 85 days, never signed in
  p.shared_accounts.clear();
  IdlePolicy policy;
  auto now = at("2026-11-25T00:00:00Z");
  auto assessment = assess_idle(p, policy, now);
  REQUIRE(assessment.due.size() == 1);
  CHECK(assessment.due[0].username == "clerk.lin");
  REQUIRE(assessment.upcoming.size() == 1);
  CHECK(assessment.upcoming[0].baseline_source == "activated_at");

  auto decisions = decide_idle_disables(p, policy, now);
  REQUIRE(decisions.size() == 1);
  CHECK(decisions[0].actor == "rule:idle");
  CHECK(p.accounts[1].status() == "disabled");
  CHECK_THAT(std::string(p.accounts[1].disabled_reason()),
             Catch::Contains("idle: no sign-in for 115 days"));

  auto q = agency();
  q.accounts[1].set_last_login_at("2026-01-01T00:00:00Z");
  q.shared_accounts.clear();
  policy.exempt_unit_codes = {"A00"};  // the whole city tree
  CHECK(assess_idle(q, policy, now).due.empty());
  policy.exempt_unit_codes.clear();
  policy.exempt_usernames = {"clerk.lin"};
  CHECK(assess_idle(q, policy, now).due.empty());
}

TEST_CASE("the idle sole admin is blocked every run until a second admin exists",
          "[lifecycle][idle]") {
  auto p = agency();
  p.accounts[0].set_last_login_at("2026-01-01T00:00:00Z");
  auto now = at("2026-11-25T00:00:00Z");
  auto decisions = decide_idle_disables(p, IdlePolicy{}, now);
  REQUIRE(decisions.size() == 1);
  CHECK(decisions[0].state == ChangeState::blocked);
  CHECK_THAT(decisions[0].outcome, Catch::Contains("appoint another agency admin"));
  CHECK(p.accounts[0].status() == "enabled");
  p.accounts[1].set_role("agency_admin");
  decisions = decide_idle_disables(p, IdlePolicy{}, now);
  CHECK(decisions[0].state == ChangeState::done);
}

TEST_CASE("a mixed batch is refused naming every offending row", "[lifecycle][batch]") {
  auto p = agency();
  p.accounts.push_back(person(4, "clerk.huang", 2));
  p.accounts[3].needs_mail = true;
  std::vector<ScheduledChange> uniform{change(1, 2, "disable", "2026-12-01"),
                                       change(2, 2, "disable", "2026-12-01")};
  CHECK(batch_problems(p, uniform).empty());
  std::vector<ScheduledChange> mixed{
      change(1, 2, "disable", "2026-12-01"), change(2, 1, "disable", "2026-12-01"),
      change(3, 3, "disable", "2026-12-01"), change(4, 4, "disable", "2026-12-01")};
  mixed[3].reason = "";
  auto problems = batch_problems(p, mixed);
  REQUIRE(problems.size() == 4);
  CHECK_THAT(problems[0], Catch::Contains("row 2 (admin.chen): role agency_admin"));
  CHECK_THAT(problems[1], Catch::Contains("row 3 (clerk.wang): unit 3"));
  CHECK_THAT(problems[2], Catch::Contains("row 4 (clerk.huang): no reason"));
  CHECK_THAT(problems[3], Catch::Contains("needs_mail"));
}

TEST_CASE("scheduled change states and kinds have one spelling each", "[lifecycle]") {
  for (auto s : {ChangeState::pending, ChangeState::done, ChangeState::blocked, ChangeState::failed,
                 ChangeState::cancelled, ChangeState::unknown})
    CHECK(parse_change_state(to_string(s)) == s);
  CHECK_FALSE(parse_change_state("Done"));
  CHECK_FALSE(parse_change_state(""));
  for (auto k :
       {ChangeKind::disable, ChangeKind::enable, ChangeKind::transfer, ChangeKind::set_role})
    CHECK(parse_change_kind(to_string(k)) == k);
  CHECK_FALSE(parse_change_kind("delete"));
}
