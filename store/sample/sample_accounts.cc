#include "store/sample/sample_accounts.h"

#include <algorithm>

#include "store/sample/sample_names.h"
#include "store/sample/sample_time.h"

namespace ps::sample {

namespace {

// How many people work in a unit, relatively: a bureau's section more than a school's office, a
// village office (one 里幹事) least.
int staff_weight(const Unit& u) {
  if (u.level == 2) return 3;
  switch (u.workplace) {
    case Workplace::city:
      return 12;
    case Workplace::district:
      return 5;
    case Workplace::school:
      return 4;
    default:
      return 1;
  }
}

}  // namespace

AccountMaker::AccountMaker(Random& random, const std::vector<Unit>& units, AccountOptions options)
    : random_(random), options_(options), people_(random) {
  int total = 0;
  for (const auto& u : units) {
    if (u.level < 2) continue;
    workplaces_.push_back(&u);
    cumulative_staff_.push_back(total += staff_weight(u));
    if (u.level == 2) admins_wanted_[u.id] = random_.between(1, 2);
  }
}

Account AccountMaker::make(RowId id) {
  const Unit& unit = workplace_for(id);
  auto person = people_.make(unit.workplace);
  Account a;
  a.id = id;
  a.set_username(std::move(person.username));
  a.set_display_name(std::move(person.display_name));
  a.set_surname(std::move(person.surname));
  a.set_given_name(std::move(person.given_name));
  a.set_title(std::move(person.title));
  a.org_unit_id = unit.id;
  a.set_email(std::move(person.email));
  a.needs_mail = random_.chance(70);
  a.set_office_phone(std::move(person.office_phone));
  a.set_mobile(std::move(person.mobile));
  a.set_national_id(std::move(person.national_id));
  int p = random_.below(100);
  a.set_status(p < 85 ? "enabled" : p < 93 ? "disabled" : "pending");
  set_role(a, unit, id);
  a.locked = a.status() == "enabled" && a.role() == "user" && random_.chance(1);
  if (a.status() == "disabled") a.set_disabled_reason(random_.pick(disabled_reasons()));
  set_times(a);
  return a;
}

// The system admins work in 資訊服務組 when the tree has it.
const Unit& AccountMaker::workplace_for(RowId id) {
  if (id <= 2)
    for (const auto* u : workplaces_)
      if (u->name == "資訊服務組") return *u;
  auto n = random_.below(cumulative_staff_.back());
  auto at = std::upper_bound(cumulative_staff_.begin(), cumulative_staff_.end(), n);
  return *workplaces_[static_cast<std::size_t>(at - cumulative_staff_.begin())];
}

// Admins are chosen among the enabled accounts; the system admins are enabled.
void AccountMaker::set_role(Account& a, const Unit& unit, RowId id) {
  a.set_role("user");
  if (id <= 2) {
    a.set_role("system_admin");
    a.set_status("enabled");
    return;
  }
  if (a.status() != "enabled") return;
  // Not always the first enabled account, so that admins are spread over the ids.
  if (auto& wanted = admins_wanted_[unit.agency]; wanted > 0 && random_.chance(20)) {
    a.set_role("agency_admin");
    --wanted;
  }
}

// Activated within the last year; enabled accounts signed in within 60 days, except the idle
// share (over 90 days); pending ones were requested within 30 days and have neither timestamp.
void AccountMaker::set_times(Account& a) {
  if (a.status() == "pending") {
    a.set_updated_at(days_ago(random_.between(0, 30)));
    return;
  }
  bool idle = a.status() == "enabled" && a.role() == "user" && !a.locked &&
              random_.chance(options_.idle_percent);
  int activated = idle ? random_.between(120, 365) : random_.between(1, 365);
  int login = idle                      ? random_.between(95, activated)
              : a.status() == "enabled" ? random_.between(0, std::min(activated, 60))
                                        : random_.between(0, activated);
  a.set_activated_at(days_ago(activated));
  a.set_last_login_at(days_ago(login));
  a.set_updated_at(a.status() == "disabled" ? days_ago(random_.between(0, login))
                                            : std::string(a.activated_at()));
}

// A time during office hours (08:00 - 18:00 in Taiwan) on the day `days` before the reference
// time, never after it, as ISO 8601 with the +08:00 offset.
std::string AccountMaker::days_ago(int days) {
  using namespace std::chrono;
  auto local_day = floor<std::chrono::days>(options_.now + kTaiwanOffset) - std::chrono::days(days);
  auto local = local_day + hours(8) + minutes(random_.between(0, 600)) + seconds(random_.below(60));
  return taiwan_time(
      std::min(time_point_cast<system_clock::duration>(local - kTaiwanOffset), options_.now));
}

}  // namespace ps::sample
