// The portal's rows as the engine sees them (the portal database is the master). Nullable text
// columns arrive as empty strings: for the directory an empty value and an absent one are the same.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/packed_text.h"

namespace ps {

using RowId = std::int64_t;

enum class AccountStatus { pending, enabled, disabled };
enum class Role { user, agency_admin, system_admin };
enum class ObjectKind { org_unit, account, shared_account, group };

std::string_view to_string(AccountStatus s);
std::string_view to_string(Role r);
std::string_view to_string(ObjectKind k);
std::optional<AccountStatus> parse_account_status(std::string_view s);
std::optional<Role> parse_role(std::string_view s);
std::optional<ObjectKind> parse_object_kind(std::string_view s);

struct OrgUnit {
  RowId id = 0;
  std::optional<RowId> parent_id;
  std::string code;
  std::string name;
  bool active = true;
  // An agency (機關) rather than a unit inside one (科, 室); its level (1 first-level, 2 created by
  // a first-level agency, ...). Both read from the portal as written: validation rejects a level
  // that is not deeper than the parent agency's (core/agency.h).
  bool is_agency = false;
  std::int64_t agency_level = 0;
};

// A portal account. Its text columns are packed into one block (core/packed_text.h): read them
// through the accessors, change them through the setters. The accessors return const views, so
// a mistaken `a.title() = x` does not compile instead of silently changing nothing.
class Account {
 public:
  RowId id = 0;
  RowId org_unit_id = 0;
  bool locked = false;
  bool needs_mail = false;

  Account() { set_text({"", "", "", "", "", "user", "pending"}); }

  const std::string_view username() const { return text_.get(0); }
  void set_username(std::string_view v) { text_.set(0, v); }
  const std::string_view display_name() const { return text_.get(1); }
  void set_display_name(std::string_view v) { text_.set(1, v); }
  const std::string_view surname() const { return text_.get(2); }
  void set_surname(std::string_view v) { text_.set(2, v); }
  const std::string_view given_name() const { return text_.get(3); }
  void set_given_name(std::string_view v) { text_.set(3, v); }
  const std::string_view title() const { return text_.get(4); }
  void set_title(std::string_view v) { text_.set(4, v); }
  // kept as text: an unknown value is a rejection, not a crash
  const std::string_view role() const { return text_.get(5); }
  void set_role(std::string_view v) { text_.set(5, v); }
  // pending | enabled | disabled
  const std::string_view status() const { return text_.get(6); }
  void set_status(std::string_view v) { text_.set(6, v); }
  const std::string_view email() const { return text_.get(7); }
  void set_email(std::string_view v) { text_.set(7, v); }
  const std::string_view office_phone() const { return text_.get(8); }
  void set_office_phone(std::string_view v) { text_.set(8, v); }
  const std::string_view mobile() const { return text_.get(9); }
  void set_mobile(std::string_view v) { text_.set(9, v); }
  const std::string_view national_id() const { return text_.get(10); }
  void set_national_id(std::string_view v) { text_.set(10, v); }
  const std::string_view last_login_at() const { return text_.get(11); }
  void set_last_login_at(std::string_view v) { text_.set(11, v); }
  const std::string_view activated_at() const { return text_.get(12); }
  void set_activated_at(std::string_view v) { text_.set(12, v); }
  const std::string_view disabled_reason() const { return text_.get(13); }
  void set_disabled_reason(std::string_view v) { text_.set(13, v); }
  const std::string_view updated_at() const { return text_.get(14); }
  void set_updated_at(std::string_view v) { text_.set(14, v); }

  // Every text column at once, in the order of the accessors above (one allocation).
  using Text = std::array<std::string_view, 15>;
  void set_text(const Text& values) { text_.assign(values); }

 private:
  PackedText<15> text_;
};

struct SharedAccount {
  RowId id = 0;
  std::string username;
  std::string kind;  // agency | mail
  std::string display_name;
  RowId org_unit_id = 0;
  RowId custodian_id = 0;
  std::string status = "enabled";
};

struct System {
  RowId id = 0;
  std::string code;
  std::string name;
  std::string group_name;
};

struct Grant {
  RowId holder_id = 0;  // org unit id or account id
  RowId system_id = 0;
};

// A scheduled change's state: pending until a run decides it (done, blocked, failed) or the
// portal cancels it. unknown: the portal wrote a state this build does not know (never executed).
enum class ChangeState { pending, done, blocked, failed, cancelled, unknown };
std::string_view to_string(ChangeState s);
std::optional<ChangeState> parse_change_state(std::string_view s);

// What a scheduled change does. A row keeps its kind as the portal wrote it
// (ScheduledChange::kind), so one this build does not know can be reported as written; code decides
// on the parsed kind.
enum class ChangeKind { disable, enable, transfer, set_role };
std::string_view to_string(ChangeKind k);
std::optional<ChangeKind> parse_change_kind(std::string_view s);

// A reserved-effect change (預約生效): executed by the first engine run at or after effective_at.
struct ScheduledChange {
  RowId id = 0;
  RowId account_id = 0;
  std::string kind;  // as written; parse_change_kind gives the ChangeKind
  std::optional<RowId> target_org_unit_id;
  std::string target_role;
  std::string reason;
  std::string effective_at;  // ISO 8601 with offset
  std::string batch_id;
  std::string requested_by;
  ChangeState state = ChangeState::pending;
  std::string outcome;
  std::string executed_at;
};

// A POSIX number portalsync gave a portal row (docs/directory-mapping.md, POSIX identities): the
// uidNumber of an account or shared account, the gidNumber of a system's group. Assigned once and
// kept in the portal database for good, also after the row is gone, so no number is reused.
struct PosixId {
  ObjectKind kind = ObjectKind::account;
  RowId portal_id = 0;
  std::int64_t number = 0;
};

struct PortalSnapshot {
  std::vector<OrgUnit> units;
  std::vector<Account> accounts;
  std::vector<SharedAccount> shared_accounts;
  std::vector<System> systems;
  std::vector<Grant> unit_systems;
  std::vector<Grant> account_systems;
  // Every POSIX number ever assigned (ps_posix_ids), of rows present or gone.
  std::vector<PosixId> posix_ids;

  // A partial snapshot (PortalStore::load_partial_snapshot) holds only some of the accounts and
  // their grants; account_count is how many accounts the portal has.
  bool partial = false;
  std::size_t account_count = 0;
  std::size_t total_accounts() const { return partial ? account_count : accounts.size(); }
};

// Which directory entry (by its stable anchor: entryUUID in OpenLDAP, objectGUID in AD) belongs to
// which portal row, so renames and moves are recognised as such.
struct IdentityLink {
  ObjectKind kind = ObjectKind::account;
  RowId portal_id = 0;
  std::string anchor;
};

}  // namespace ps
