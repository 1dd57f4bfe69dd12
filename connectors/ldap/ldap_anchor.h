// An entry's anchor in printable form. OpenLDAP's entryUUID is already text; Active Directory's
// objectGUID is 16 raw bytes, shown the way AD tools show it (first three fields little-endian:
// "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx").
#pragma once

#include <string>
#include <string_view>

namespace ps {

std::string format_anchor(std::string_view attribute, std::string_view raw_value);

}  // namespace ps
