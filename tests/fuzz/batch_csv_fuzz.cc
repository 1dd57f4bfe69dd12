// `portalsync schedule add --batch FILE`: the CSV parsed against a small portal, then what the CLI
// does with the rows (the batch uniformity rules) and what the engine does when they are due
// (decide_scheduled_changes on a working copy). Every problem must be an error value.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/batch_rules.h"
#include "core/clock.h"
#include "core/lifecycle.h"
#include "daemon/actions/batch_csv.h"
#include "daemon/actions/scheduling.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

ps::Account person(ps::RowId id, std::string username, ps::RowId unit, std::string role) {
  ps::Account a;
  a.id = id;
  a.set_username(std::move(username));
  a.set_display_name(a.username());
  a.org_unit_id = unit;
  a.set_role(std::move(role));
  a.set_status("enabled");
  return a;
}

ps::PortalSnapshot agency() {
  ps::PortalSnapshot p;
  p.units = {{1, std::nullopt, "A00", "臺南市政府", true},
             {2, 1, "A01", "民政局", true},
             {3, 1, "A02", "教育局", true}};
  p.accounts = {person(1, "admin.chen", 2, "agency_admin"), person(2, "clerk.lin", 2, "user"),
                person(3, "clerk.wang", 3, "user"), person(4, "王小明", 3, "user")};
  ps::SharedAccount box;
  box.id = 1;
  box.username = "civil.mail";
  box.kind = "mail";
  box.org_unit_id = 2;
  box.custodian_id = 2;
  p.shared_accounts = {box};
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto portal = agency();
  auto rows = ps::actions::parse_batch_csv(portal, fuzz_text(data, size), "batch.csv");
  if (!rows) {
    PS_FUZZ_CHECK(rows.error().rfind("batch.csv:", 0) == 0, "an error names the file");
    return 0;
  }
  (void)ps::batch_problems(portal, rows.value());
  ps::RowId id = 0;
  for (auto& r : rows.value()) {
    r.id = ++id;
    (void)ps::actions::handover_block(portal, r);
  }
  auto working = portal;
  auto due = ps::due_changes(rows.value(), ps::TimePoint::max());
  auto decisions = ps::decide_scheduled_changes(working, due);
  PS_FUZZ_CHECK(decisions.size() == due.size(), "one decision per due change");
  return 0;
}
