// POSIX identities (directory.posix): the numbers and attributes that let Linux hosts (SSSD,
// nslcd) see portal users and entitlement groups. A number is assigned once per portal row and
// kept for good (PortalSnapshot::posix_ids): renames, transfers, disables and deletions never
// change or free one.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace ps {

struct PosixOptions {
  bool enabled = false;
  // uidNumbers of accounts and shared accounts (one range for both), gidNumbers of groups.
  std::int64_t uid_min = 100000;
  std::int64_t uid_max = 199999;
  std::int64_t gid_min = 200000;
  std::int64_t gid_max = 299999;
  // Every user's gidNumber: a group every host resolves (Debian's "users" by default).
  std::int64_t primary_gid = 100;
  // When set: the cn of a group entry portalsync keeps under groups_dn with gidNumber primary_gid,
  // so a host resolves the users' primary group by name from the directory itself.
  std::string primary_group;
  std::string home_directory = "/home/{username}";  // {username} is replaced
  std::string login_shell = "/bin/bash";
};

// Which number space a kind draws from: accounts and shared accounts share the uid range.
enum class PosixSpace { uid, gid };
PosixSpace posix_space(ObjectKind kind);

// The numbers the snapshot's rows lack, each the next above every number ever assigned in its
// range (never a freed one), and a problem per row that cannot have one (range exhausted).
struct PosixAssignment {
  std::vector<PosixId> assigned;
  std::vector<std::string> problems;
};
// agency_groups: the groups of directory.agency_groups (core/agency_groups.h), numbered after the
// portal's systems.
PosixAssignment assign_posix_ids(const PortalSnapshot& portal, const PosixOptions& options,
                                 const std::vector<System>& agency_groups = {});

// The home directory of a user: the template with {username} replaced.
std::string posix_home_directory(const PosixOptions& options, std::string_view username);

}  // namespace ps
