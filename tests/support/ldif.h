// LDIF as the OpenLDAP tools print and read it (RFC 2849): parsing ldapsearch output into entries,
// and writing attribute lines for ldapadd/ldapmodify input. Values are raw bytes (UTF-8 text for
// most attributes); base64 ("attr:: ...") is decoded on the way in and chosen on the way out.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ps::testing {

struct LdifEntry {
  std::string dn;
  std::map<std::string, std::vector<std::string>> attrs;  // lower-case type -> values

  // Values of an attribute (any case), or nullptr when absent.
  const std::vector<std::string>* find(std::string_view type) const;
  // The first value, or "" when absent.
  std::string first(std::string_view type) const;
  bool has(std::string_view type) const { return find(type) != nullptr; }
};

// Parses "dn: ..." records separated by blank lines; comments and "version:" are skipped.
// Throws std::runtime_error on text that is not LDIF (a broken tool, not a test outcome).
std::vector<LdifEntry> parse_ldif(std::string_view text);

// "type: value\n", or "type:: base64\n" when the value is not a safe LDIF string (non-ASCII,
// leading space, colon or '<', trailing space, control characters).
std::string ldif_line(std::string_view type, std::string_view value);

std::string base64_encode(std::string_view bytes);
std::string base64_decode(std::string_view text);  // throws on a character outside base64

}  // namespace ps::testing
