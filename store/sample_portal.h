// A realistic, deterministic sample portal for demos, tests and benchmarks: a Tainan-style agency
// tree three levels deep with Chinese unit names, accounts with Chinese names, a status and role
// mix, entitlements and shared accounts with custodians.
#pragma once

#include <string>

#include "core/result.h"

namespace ps {

struct SampleOptions {
  int accounts = 300;
  int units = 40;
  unsigned seed = 1;
  int idle_percent = 2;  // share of enabled accounts whose last sign-in is past 90 days
};

// Writes the sample into an initialised, empty portal database in one transaction.
Status write_sample_portal(const std::string& url, const SampleOptions& options);

}  // namespace ps
