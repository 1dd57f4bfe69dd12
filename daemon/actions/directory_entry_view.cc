#include "daemon/actions/directory_entry_view.h"

#include <cstdlib>

#include "core/dn.h"
#include "core/mapping.h"
#include "daemon/wiring/runtime.h"

namespace ps::actions {

namespace {

constexpr std::string_view kAdControl = "userAccountControl", kAdLockout = "lockoutTime";

std::string first_value(const DirectoryEntry& e, std::string_view name) {
  auto values = e.find(name);
  return values && values->size() ? std::string(values->front()) : std::string();
}

// openldap: portalsync locks pending and disabled rows for good (kPermanentLock); any other
// pwdAccountLockedTime is ppolicy's lockout. AD: the disable bit, then a lockoutTime that is set.
void read_state(const DirectoryEntry& e, Flavor flavor, DirectoryEntryView& view) {
  if (flavor == Flavor::ad) {
    auto control = std::strtol(first_value(e, kAdControl).c_str(), nullptr, 10);
    auto lockout = first_value(e, kAdLockout);
    if (control & kAdAccountDisable) {
      view.state = BindState::disabled;
    } else if (!lockout.empty() && lockout != "0") {
      view.state = BindState::locked;
      view.locked_since = lockout;
    }
    return;
  }
  auto lock = first_value(e, kLockAttribute);
  if (lock == kPermanentLock) {
    view.state = BindState::disabled;
  } else if (!lock.empty()) {
    view.state = BindState::locked;
    view.locked_since = lock;
  }
}

std::vector<std::string> groups_holding(const DirectoryReadResult& read, const std::string& dn,
                                        std::string_view group_class) {
  auto wanted = normalize_dn(dn);
  std::vector<std::string> out;
  for (const auto& e : read.entries) {
    if (!e.has_object_class(group_class)) continue;
    auto members = e.find(kMemberAttribute);
    if (!members) continue;
    for (auto member : *members)
      if (normalize_dn(member) == wanted) {
        out.emplace_back(e.dn());
        break;
      }
  }
  return out;
}

}  // namespace

std::string_view to_string(BindState s) {
  switch (s) {
    case BindState::enabled:
      return "enabled";
    case BindState::disabled:
      return "disabled";
    case BindState::locked:
      return "locked";
  }
  return "enabled";
}

ActionResult<DirectoryEntryView> read_directory_entry(PortalStore& store, const Config& config,
                                                      const DirectoryTarget& target) {
  auto mapping = engine_options(config, "").mapping;
  auto directory = connect_directory(config);
  if (!directory) return refuse(Refusal::directory_unavailable, directory.error());
  std::vector<std::string> attributes = {"objectClass", std::string(kMemberAttribute)};
  if (mapping.flavor == Flavor::ad)
    attributes.insert(attributes.end(), {std::string(kAdControl), std::string(kAdLockout)});
  else
    attributes.emplace_back(kLockAttribute);
  auto linked = read_linked_entry(store, *directory.value(), config, target, attributes);
  if (!linked) return linked.failure();
  DirectoryEntryView view;
  view.dn = std::string(linked->entry().dn());
  read_state(linked->entry(), mapping.flavor, view);
  view.groups = groups_holding(linked->read, view.dn, group_object_class(mapping));
  return view;
}

}  // namespace ps::actions
