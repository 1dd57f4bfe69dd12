// Planning POSIX identities (directory.posix): each user and group gets the number the portal
// database keeps for its row, and a number the directory disagrees with stops the row instead of
// being overwritten or reassigned.
#include "core/planner_internal.h"

#include <cstdlib>

namespace ps::planner_detail {

namespace {

// The entry's number in `attribute`, or -1 when it has none (or not a number).
std::int64_t entry_number(const DirectoryEntry& entry, std::string_view attribute) {
  auto values = entry.find(attribute);
  if (!values || values->empty()) return -1;
  std::string text(values->front());
  char* end = nullptr;
  auto n = std::strtoll(text.c_str(), &end, 10);
  return end && *end == '\0' && !text.empty() ? n : -1;
}

std::string_view number_attribute(ObjectKind kind) {
  return posix_space(kind) == PosixSpace::gid ? kGidNumberAttribute : kUidNumberAttribute;
}

}  // namespace

void Planner::index_posix() {
  if (!mapping_.posix.enabled) return;
  for (const auto& id : portal_.posix_ids)
    posix_number_[static_cast<int>(id.kind)][id.portal_id] = id.number;
  for (std::size_t e = 0; e < entries_.size(); ++e) {
    int i = static_cast<int>(e);
    if (auto uid = entry_number(entries_[e], kUidNumberAttribute); uid >= 0)
      uid_holder_.emplace(uid, i);
    // Users carry their primary group's gidNumber: only groups hold a gidNumber of their own.
    if (auto gid = entry_number(entries_[e], kGidNumberAttribute); gid >= 0 && is_group_entry(i))
      gid_holder_.emplace(gid, i);
  }
}

std::string Planner::posix_problem(ObjectKind kind, RowId id, int entry) const {
  bool group = posix_space(kind) == PosixSpace::gid;
  std::string attribute(number_attribute(kind));
  const auto& numbers = posix_number_[static_cast<int>(kind)];
  auto it = numbers.find(id);
  if (it == numbers.end()) {
    auto [min, max] = group ? std::pair{mapping_.posix.gid_min, mapping_.posix.gid_max}
                            : std::pair{mapping_.posix.uid_min, mapping_.posix.uid_max};
    return "no " + attribute + " could be assigned: the range " + std::to_string(min) + "-" +
           std::to_string(max) + " is used up (numbers are never reused); widen directory.posix";
  }
  auto number = it->second;
  if (entry >= 0)
    if (auto have = entry_number(entries_[entry], attribute); have >= 0 && have != number)
      return std::string(entries_[entry].dn()) + " carries " + attribute + " " +
             std::to_string(have) + " but portalsync assigned " + std::to_string(number) +
             " (changed in the directory by hand?); put " + std::to_string(number) +
             " back: the number a host knows the user by is never changed silently";
  const auto& holders = group ? gid_holder_ : uid_holder_;
  if (auto h = holders.find(number); h != holders.end() && h->second != entry)
    return attribute + " " + std::to_string(number) + " assigned to it is already held by " +
           std::string(entries_[h->second].dn()) +
           "; give that entry another number or move the range in directory.posix";
  return "";
}

bool Planner::add_posix_attributes(ObjectKind kind, RowId id, std::string_view subject, int entry,
                                   std::vector<DesiredAttribute>& attrs) {
  if (!mapping_.posix.enabled) return true;
  auto problem = posix_problem(kind, id, entry);
  if (!problem.empty()) {
    auto reason = std::string(to_string(kind)) + " " + std::to_string(id) + " (" +
                  std::string(subject) + "): " + problem;
    plan_.rejected.push_back({kind, id, std::string(subject), reason});
    freeze_row(kind, id, entry, "its POSIX number is in question: " + reason);
    return false;
  }
  auto number = posix_number_[static_cast<int>(kind)].at(id);
  auto posix = kind == ObjectKind::group ? posix_group_attributes(number)
                                         : posix_user_attributes(mapping_, subject, number);
  for (auto& a : posix) attrs.push_back(std::move(a));
  return true;
}

void Planner::add_missing_class(const DirectoryEntry& entry, std::string_view object_class,
                                std::vector<Modification>& mods) const {
  if (!mapping_.posix.enabled || object_class.empty() || entry.has_object_class(object_class))
    return;
  mods.insert(mods.begin(),
              {Modification::Kind::add, "objectClass", {std::string(object_class)}, {}});
}

}  // namespace ps::planner_detail
