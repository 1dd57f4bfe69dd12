// Custodian handover (保管人交接) by hand: what keeps an account from being disabled or moved
// (GET /v1/accounts/{username}/handover), and giving a shared account a new custodian
// (`portalsync custody transfer`, POST /v1/custody/{shared}).
#pragma once

#include <string>
#include <vector>

#include "core/model.h"
#include "core/portal_store.h"
#include "daemon/actions/action_result.h"

namespace ps::actions {

struct HandoverReport {
  std::string username;
  std::string status;
  std::string unit;
  std::string agency;                 // the name of the unit's agency (core/agency.h)
  std::vector<std::string> problems;  // each with what to do; empty: free to disable or move
};

// not_found for a username that is not a personal account.
ActionResult<HandoverReport> handover_report(const PortalSnapshot& portal,
                                             const std::string& username);

// Makes `custodian` the custodian of the shared account `shared`, recorded with `actor`. The new
// custodian must be an enabled account of the shared account's unit (conflict otherwise).
// Answers "<shared>: custodian is now <custodian>".
ActionResult<std::string> transfer_custody(PortalStore& store, const PortalSnapshot& portal,
                                           const std::string& shared, const std::string& custodian,
                                           const std::string& actor);

}  // namespace ps::actions
