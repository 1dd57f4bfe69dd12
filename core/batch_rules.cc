#include "core/batch_rules.h"

#include "core/agency.h"
#include "core/portal_lookup.h"

namespace ps {

std::vector<std::string> batch_problems(const PortalSnapshot& portal,
                                        const std::vector<ScheduledChange>& batch) {
  std::vector<std::string> problems;
  if (batch.empty()) return {"the batch is empty"};
  const Account* first = nullptr;
  // One agency per batch once agencies are marked (docs/policies.md#batches), one unit before.
  Agencies agencies(portal);
  const std::string unit_word = agencies.marked() ? "agency" : "unit";
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const auto& row = batch[i];
    std::string label = "row " + std::to_string(i + 1);
    const Account* a = find_account(portal, row.account_id);
    if (!a) {
      problems.push_back(label + ": account " + std::to_string(row.account_id) + " does not exist");
      continue;
    }
    label += " (" + std::string(a->username()) + ")";
    if (row.reason.find_first_not_of(' ') == std::string::npos)
      problems.push_back(label + ": no reason given");
    if (row.kind != batch.front().kind)
      problems.push_back(label + ": kind " + row.kind + ", the batch's is " + batch.front().kind);
    if (!first) {
      first = a;
      continue;
    }
    if (a->role() != first->role())
      problems.push_back(label + ": role " + std::string(a->role()) + ", the batch's is " +
                         std::string(first->role()));
    if (a->status() != first->status())
      problems.push_back(label + ": status " + std::string(a->status()) + ", the batch's is " +
                         std::string(first->status()));
    if (agencies.rule_unit_of(a->org_unit_id) != agencies.rule_unit_of(first->org_unit_id))
      problems.push_back(
          label + ": " + unit_word + " " + std::to_string(agencies.rule_unit_of(a->org_unit_id)) +
          ", the batch's is " + std::to_string(agencies.rule_unit_of(first->org_unit_id)));
    if (a->needs_mail != first->needs_mail)
      problems.push_back(label + ": needs_mail " + std::to_string(a->needs_mail) +
                         ", the batch's is " + std::to_string(first->needs_mail));
  }
  return problems;
}

}  // namespace ps
