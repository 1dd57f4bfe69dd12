// An entry's anchor in printable form. OpenLDAP's entryUUID is already text; Active Directory's
// objectGUID is 16 raw bytes, shown the way AD tools show it (first three fields little-endian:
// "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx").
#pragma once

#include <string>
#include <string_view>

namespace ps {

std::string format_anchor(std::string_view attribute, std::string_view raw_value);

// The assertion value that finds the entry with this printable anchor in a search filter
// (RFC 4515 escaped; an objectGUID as its 16 raw bytes, each written \xx). Empty when the text
// is not a GUID of that form.
std::string anchor_filter_value(std::string_view attribute, std::string_view anchor);

}  // namespace ps
