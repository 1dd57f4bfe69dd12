#include "core/handover.h"

#include "core/portal_lookup.h"

namespace ps {

std::string sole_admin_problem(const PortalSnapshot& portal, const Account& account) {
  if (account.role() != "agency_admin" || account.status() != "enabled") return "";
  for (const auto& a : portal.accounts)
    if (a.id != account.id && a.org_unit_id == account.org_unit_id && a.role() == "agency_admin" &&
        a.status() == "enabled")
      return "";
  return std::string(account.username()) + " is the only agency admin of " +
         unit_name(portal, account.org_unit_id) + ": appoint another agency admin in " +
         unit_name(portal, account.org_unit_id) + " first";
}

std::string custody_problem(const PortalSnapshot& portal, const Account& account) {
  std::string custody;
  for (const auto& s : portal.shared_accounts)
    if (s.custodian_id == account.id && s.status == "enabled")
      custody += (custody.empty() ? "" : ", ") + s.username + " (" + s.kind + ")";
  if (custody.empty()) return "";
  return std::string(account.username()) + " is the custodian of " + custody +
         ": hand custody to a colleague in the same unit first "
         "(portalsync custody transfer SHARED --to USERNAME)";
}

std::vector<std::string> handover_problems(const PortalSnapshot& portal, const Account& account) {
  std::vector<std::string> problems;
  for (auto problem : {sole_admin_problem(portal, account), custody_problem(portal, account)})
    if (!problem.empty()) problems.push_back(std::move(problem));
  return problems;
}

std::string join_problems(const std::vector<std::string>& problems) {
  std::string out;
  for (const auto& p : problems) out += (out.empty() ? "" : "; ") + p;
  return out;
}

}  // namespace ps
