// What a scoped run reads from the directory instead of the whole managed subtree: the tree's
// organizational units and the groups (both few), and the user entries of the accounts in scope,
// found by anchor or by name. A group's `member` then holds only the users this read returned,
// which is all a scoped plan may change. Connectors that can filter on the server implement
// DirectoryConnector::read_selected; select_entries is the same contract over a full read.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/directory.h"
#include "core/mapping.h"

namespace ps {

struct SelectiveReadSpec {
  std::string base_dn;
  std::vector<std::string> attributes;  // as ReadSpec::attributes
  std::string unit_class;               // organizationalUnit
  std::string group_class;              // groupOfNames or group
  std::string user_class;               // inetOrgPerson or user
  std::string user_key;                 // uid or sAMAccountName
  std::vector<std::string> anchors;     // user entries with one of these anchors
  std::vector<std::string> usernames;   // user entries whose key has one of these values (any case)
  std::vector<std::string> whole_groups;  // group DNs returned with every member
  // Also kept in `member` when present: the placeholders of an empty groupOfNames (each group's
  // own DN, and the groups' OU an older portalsync used).
  std::vector<std::string> placeholder_members;
  // The unit entries, when the connector read them beforehand (DirectoryConnector::read_units);
  // otherwise read_selected reads them itself.
  std::optional<DirectoryReadResult> units;
};

// `systems`: the portal's systems, whose groups' own DNs are placeholders.
SelectiveReadSpec selective_read_spec(const MappingOptions& mapping,
                                      std::vector<std::string> anchors,
                                      std::vector<std::string> usernames,
                                      const std::vector<System>& systems = {});

// The selected entries of a whole-subtree read, in their order: every unit and group entry,
// the user entries the spec names, and in each group only the members among those users (member
// values compared with the users' DNs in normalized form) and the placeholder, except in the
// whole_groups.
DirectoryReadResult select_entries(DirectoryReadResult all, const SelectiveReadSpec& spec);

}  // namespace ps
