// Sample accounts: a person (sample_people.h) placed in a unit, with a status (about 85% enabled,
// 8% disabled with a reason, 7% pending), a role (two system admins, one or two agency admins
// per bureau or district office) and timestamps within the year before the reference time.
#pragma once

#include <map>
#include <vector>

#include "core/clock.h"
#include "core/model.h"
#include "store/sample/sample_people.h"
#include "store/sample/sample_random.h"
#include "store/sample/sample_tree.h"

namespace ps::sample {

struct AccountOptions {
  TimePoint now;         // sign-ins and activations lie before it
  int idle_percent = 2;  // of enabled users, last signed in over 90 days ago
};

class AccountMaker {
 public:
  // `units` must outlive the maker.
  AccountMaker(Random& random, const std::vector<Unit>& units, AccountOptions options);

  // The account with this id (ids 1 and 2 are the system admins).
  Account make(RowId id);

 private:
  const Unit& workplace_for(RowId id);
  void set_role(Account& a, const Unit& unit, RowId id);
  void set_times(Account& a);
  std::string days_ago(int days);

  Random& random_;
  AccountOptions options_;
  PeopleMaker people_;
  std::vector<const Unit*> workplaces_;     // level 2 and below
  std::vector<int> cumulative_staff_;       // running sum of their staff weights
  std::map<long long, int> admins_wanted_;  // per bureau or district office
};

}  // namespace ps::sample
