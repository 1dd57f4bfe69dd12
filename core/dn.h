// Distinguished names and search filters as text: escaping per RFC 4514 (DN values) and RFC 4515
// (filter values), parsing a DN string into its RDNs, and comparing DNs the way a server does
// (attribute types and ASCII case folded; the server may hex-escape characters we did not).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace ps {

struct Ava {
  std::string type;   // as written ("ou", "uid", "OU")
  std::string value;  // unescaped
};

struct Rdn {
  std::vector<Ava> avas;  // one element unless the RDN is multi-valued ("cn=a+sn=b")
};

// Leaf first: "uid=a,ou=b,dc=c" -> [uid=a], [ou=b], [dc=c].
struct Dn {
  std::vector<Rdn> rdns;
};

std::string escape_dn_value(std::string_view value);
std::string escape_filter_value(std::string_view value);

// "ou=" + escape_dn_value(value)
std::string make_rdn(std::string_view type, std::string_view value);
// rdn + "," + parent (or just rdn when parent is empty)
std::string join_dn(std::string_view rdn, std::string_view parent);

Result<Dn> parse_dn(std::string_view text);
std::string format_dn(const Dn& dn);

// A canonical form for comparison: types lower-cased, values unescaped then re-escaped, ASCII
// letters in values lower-cased (the attributes we use in RDNs all match case-insensitively).
std::string normalize_dn(std::string_view text);

// Whether `dn` lies strictly below `base`: both parse, and the last RDNs of `dn` are those of
// `base`, compared normalized (an escaped "\," inside a value is no separator).
bool is_dn_below(std::string_view dn, std::string_view base);

// The parent of a DN in string form ("" for a single RDN). Works on the parsed form.
std::string parent_dn(std::string_view text);
// The first RDN of a DN in string form.
std::string first_rdn(std::string_view text);

}  // namespace ps
