#include "core/posix.h"

#include <algorithm>
#include <unordered_set>

namespace ps {

PosixSpace posix_space(ObjectKind kind) {
  return kind == ObjectKind::group ? PosixSpace::gid : PosixSpace::uid;
}

namespace {

// One number space: the rows that have a number, and the next free number of the range.
class NumberSpace {
 public:
  NumberSpace(PosixSpace space, std::int64_t min, std::int64_t max,
              const std::vector<PosixId>& known)
      : min_(min), max_(max), next_(min) {
    for (const auto& id : known) {
      if (posix_space(id.kind) != space) continue;
      numbered_.insert(key(id.kind, id.portal_id));
      if (id.number >= min_ && id.number <= max_) next_ = std::max(next_, id.number + 1);
    }
  }

  // Gives the row a number unless it has one; a problem when the range is used up.
  void assign(ObjectKind kind, RowId id, std::string_view subject, PosixAssignment& out) {
    if (!numbered_.insert(key(kind, id)).second) return;
    if (next_ > max_) {
      out.problems.push_back(std::string(to_string(kind)) + " " + std::to_string(id) + " (" +
                             std::string(subject) + ") has no POSIX number: the range " +
                             std::to_string(min_) + "-" + std::to_string(max_) +
                             " is used up (numbers are never reused); widen it");
      return;
    }
    out.assigned.push_back({kind, id, next_++});
  }

 private:
  static std::string key(ObjectKind kind, RowId id) {
    return std::to_string(static_cast<int>(kind)) + ":" + std::to_string(id);
  }
  std::int64_t min_, max_, next_;
  std::unordered_set<std::string> numbered_;
};

}  // namespace

PosixAssignment assign_posix_ids(const PortalSnapshot& portal, const PosixOptions& options,
                                 const std::vector<System>& agency_groups) {
  PosixAssignment out;
  if (!options.enabled) return out;
  NumberSpace uids(PosixSpace::uid, options.uid_min, options.uid_max, portal.posix_ids);
  NumberSpace gids(PosixSpace::gid, options.gid_min, options.gid_max, portal.posix_ids);
  // In row-id order, so the same portal gets the same numbers whatever order it was read in.
  std::vector<std::pair<RowId, std::string_view>> accounts, shared, systems;
  for (const auto& a : portal.accounts) accounts.emplace_back(a.id, a.username());
  for (const auto& s : portal.shared_accounts) shared.emplace_back(s.id, s.username);
  for (const auto& s : portal.systems) systems.emplace_back(s.id, s.group_name);
  for (auto* rows : {&accounts, &shared, &systems}) std::sort(rows->begin(), rows->end());
  for (const auto& [id, name] : accounts) uids.assign(ObjectKind::account, id, name, out);
  for (const auto& [id, name] : shared) uids.assign(ObjectKind::shared_account, id, name, out);
  for (const auto& [id, name] : systems) gids.assign(ObjectKind::group, id, name, out);
  for (const auto& g : agency_groups) gids.assign(ObjectKind::group, g.id, g.group_name, out);
  return out;
}

std::string posix_home_directory(const PosixOptions& options, std::string_view username) {
  std::string out = options.home_directory;
  constexpr std::string_view kPlaceholder = "{username}";
  for (auto at = out.find(kPlaceholder); at != std::string::npos;
       at = out.find(kPlaceholder, at + username.size()))
    out.replace(at, kPlaceholder.size(), username);
  return out;
}

}  // namespace ps
