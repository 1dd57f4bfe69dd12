#include "core/handover.h"

#include "core/agency.h"

namespace ps {

std::string sole_admin_problem(const PortalSnapshot& portal, const Account& account) {
  if (account.role() != "agency_admin" || account.status() != "enabled") return "";
  Agencies agencies(portal);
  auto agency = agencies.rule_unit_of(account.org_unit_id);
  for (const auto& a : portal.accounts)
    if (a.id != account.id && a.role() == "agency_admin" && a.status() == "enabled" &&
        agencies.rule_unit_of(a.org_unit_id) == agency)
      return "";
  auto name = agencies.rule_unit_name(account.org_unit_id);
  return std::string(account.username()) + " is the only agency admin of " + name +
         ": appoint another agency admin in " + name + " first";
}

std::string custody_problem(const PortalSnapshot& portal, const Account& account) {
  std::string custody;
  for (const auto& s : portal.shared_accounts)
    if (s.custodian_id == account.id && s.status == "enabled")
      custody += (custody.empty() ? "" : ", ") + s.username + " (" + s.kind + ")";
  if (custody.empty()) return "";
  return std::string(account.username()) + " is the custodian of " + custody +
         ": hand custody to a colleague in " +
         Agencies(portal).rule_unit_name(account.org_unit_id) +
         " first "
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
