// Reading ldapsearch output (LDIF, wrapping off) the way a person would: base64 values ("attr::")
// decoded, attribute names lower-cased.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace ps::testing {

struct LdifEntry {
  std::string dn;
  std::map<std::string, std::vector<std::string>> attrs;

  std::string first(const std::string& attr) const;  // "" when absent
  bool has(const std::string& attr) const { return attrs.count(attr) > 0; }
};

std::vector<LdifEntry> parse_ldif(const std::string& text);
std::string base64_decode(const std::string& in);

}  // namespace ps::testing
