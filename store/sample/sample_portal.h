// A realistic, deterministic sample portal for demos, tests and benchmarks: a Tainan-style agency
// tree three levels deep with Chinese unit names, accounts with Chinese names, a status and role
// mix, entitlements, shared accounts with custodians and a few reserved changes due in the week
// after "now". The pieces: sample_tree.h (units), sample_people.h (names, usernames, contact
// details, national IDs), sample_accounts.h (status, roles, timestamps), sample_reserved.h.
#pragma once

#include <chrono>
#include <string>

#include "core/clock.h"
#include "core/result.h"

namespace ps {

struct SampleOptions {
  int accounts = 300;
  int units = 40;  // exactly this many from 3 on
  unsigned seed = 1;
  int idle_percent = 2;  // share of enabled accounts whose last sign-in is past 90 days
  // The sample's "now": timestamps lie in the year before it, reserved changes in the week after
  // it. Fixed, so that a seed always gives the same rows; pass the real time for a demo of the
  // time-based rules (`portalsync db sample` does).
  TimePoint now = std::chrono::sys_days{std::chrono::year{2026} / 11 / 20} + std::chrono::hours{1};
};

// Writes the sample into an initialised, empty portal database in one transaction.
Status write_sample_portal(const std::string& url, const SampleOptions& options);

}  // namespace ps
