// The portal's rows as the engine sees them (the portal database is the master). Nullable text
// columns arrive as empty strings: for the directory an empty value and an absent one are the same.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
};

struct Account {
  RowId id = 0;
  std::string username;
  std::string display_name;
  std::string surname;
  std::string given_name;
  std::string title;
  RowId org_unit_id = 0;
  std::string role = "user";       // kept as text: an unknown value is a rejection, not a crash
  std::string status = "pending";  // pending | enabled | disabled
  bool locked = false;
  std::string email;
  bool needs_mail = false;
  std::string office_phone;
  std::string mobile;
  std::string national_id;
  std::string last_login_at;
  std::string activated_at;
  std::string disabled_reason;
  std::string updated_at;
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

// A reserved-effect change (預約生效): executed by the first engine run at or after effective_at.
struct ScheduledChange {
  RowId id = 0;
  RowId account_id = 0;
  std::string kind;  // disable | enable | transfer | set_role
  std::optional<RowId> target_org_unit_id;
  std::string target_role;
  std::string reason;
  std::string effective_at;  // ISO 8601 with offset
  std::string batch_id;
  std::string requested_by;
  std::string state = "pending";  // pending | done | blocked | failed | cancelled
  std::string outcome;
  std::string executed_at;
};

struct PortalSnapshot {
  std::vector<OrgUnit> units;
  std::vector<Account> accounts;
  std::vector<SharedAccount> shared_accounts;
  std::vector<System> systems;
  std::vector<Grant> unit_systems;
  std::vector<Grant> account_systems;
};

// Which directory entry (by its stable anchor: entryUUID in OpenLDAP, objectGUID in AD) belongs to
// which portal row, so renames and moves are recognised as such.
struct IdentityLink {
  ObjectKind kind = ObjectKind::account;
  RowId portal_id = 0;
  std::string anchor;
};

}  // namespace ps
