// A scoped run's read (core/selective_read.h) asked of the server: one search for the units (or
// the ones read_unit_entries read beforehand), then the user entries by anchor or by name, many
// to a filter, then the groups. A change to three accounts reads three user entries, not the
// whole subtree. The groups' `member` values are then narrowed to the users read, by
// select_entries as over a whole read.
#pragma once

#include <ldap.h>

#include "connectors/ldap/ldap_settings.h"
#include "core/directory.h"
#include "core/result.h"
#include "core/selective_read.h"

namespace ps {

// Every unit entry below spec.base_dn (a missing base: base_exists false).
Result<DirectoryReadResult> read_unit_entries(LDAP* ld, const SelectiveReadSpec& spec,
                                              const LdapSettings& settings);

Result<DirectoryReadResult> read_selected_entries(LDAP* ld, const SelectiveReadSpec& spec,
                                                  const LdapSettings& settings);

}  // namespace ps
