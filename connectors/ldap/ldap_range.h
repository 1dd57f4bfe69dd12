// Ranged retrieval (Active Directory): an attribute with more values than the server's
// MaxValRange (1,500 by default, typically a large group's `member`) comes back in parts. The
// entry carries "member;range=0-1499"; the rest is asked for with base searches of
// "member;range=1500-*" and so on, until a reply's range ends in "*".
#pragma once

#include <ldap.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace ps {

struct ValueRange {
  std::string attribute;            // the description without its range option: "member"
  std::size_t first = 0;            // index of the first value in this part
  std::optional<std::size_t> last;  // index of the last one; nullopt for "*", the final part
};

// The range option of an attribute description ("member;range=0-1499", any case); nullopt when
// it has none or a malformed one.
std::optional<ValueRange> parse_value_range(std::string_view description);

// Fetches the values of dn's attribute from index `first` on, part by part, appending them to
// *values. A reply without the attribute (values removed meanwhile) ends it. Errors read
// "<attribute> values of <dn> from <n> on: <reason>".
Status read_remaining_values(LDAP* ld, const std::string& dn, const std::string& attribute,
                             std::size_t first, int timeout_seconds,
                             std::vector<std::string>* values);

}  // namespace ps
