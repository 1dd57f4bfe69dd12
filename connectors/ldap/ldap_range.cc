#include "connectors/ldap/ldap_range.h"

#include <charconv>

#include "connectors/ldap/ldap_error.h"
#include "core/text.h"

namespace ps {

namespace {

std::optional<std::size_t> parse_index(std::string_view text) {
  std::size_t n = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return n;
}

// The values of the part of `attribute` in a base search's entry, with their range.
struct Part {
  std::optional<ValueRange> range;
  std::vector<std::string> values;
};

Part find_part(LDAP* ld, LDAPMessage* entry, const std::string& attribute) {
  Part part;
  BerElement* ber = nullptr;
  for (char* name = ldap_first_attribute(ld, entry, &ber); name;
       name = ldap_next_attribute(ld, entry, ber)) {
    auto range = parse_value_range(name);
    if (range && iequals(range->attribute, attribute) && !part.range) {
      part.range = std::move(range);
      berval** values = ldap_get_values_len(ld, entry, name);
      for (int i = 0; values && values[i]; ++i)
        part.values.emplace_back(values[i]->bv_val, values[i]->bv_len);
      ldap_value_free_len(values);
    }
    ldap_memfree(name);
  }
  ber_free(ber, 0);
  return part;
}

}  // namespace

std::optional<ValueRange> parse_value_range(std::string_view description) {
  const std::string_view option = ";range=";
  if (description.find(';') == std::string_view::npos) return std::nullopt;  // the usual case
  std::string lower = to_lower_ascii(description);
  std::size_t at = lower.find(option);
  if (at == std::string::npos) return std::nullopt;
  std::size_t start = at + option.size();
  std::size_t end = description.find(';', start);
  if (end == std::string_view::npos) end = description.size();
  std::string_view bounds = description.substr(start, end - start);
  std::size_t dash = bounds.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  auto first = parse_index(bounds.substr(0, dash));
  std::string_view last_text = bounds.substr(dash + 1);
  auto last = last_text == "*" ? std::nullopt : parse_index(last_text);
  if (!first || (last_text != "*" && !last)) return std::nullopt;
  ValueRange range;
  range.attribute = std::string(description.substr(0, at)) + std::string(description.substr(end));
  range.first = *first;
  range.last = last;
  return range;
}

Status read_remaining_values(LDAP* ld, const std::string& dn, const std::string& attribute,
                             std::size_t first, int timeout_seconds,
                             std::vector<std::string>* values) {
  while (true) {
    std::string request = attribute + ";range=" + std::to_string(first) + "-*";
    auto failure = [&](const std::string& reason) {
      return Status::error(attribute + " values of " + dn + " from " + std::to_string(first) +
                           " on: " + reason);
    };
    char* attributes[] = {request.data(), nullptr};
    timeval timeout{timeout_seconds, 0};
    LDAPMessage* result = nullptr;
    int rc = ldap_search_ext_s(ld, dn.c_str(), LDAP_SCOPE_BASE, "(objectClass=*)", attributes, 0,
                               nullptr, nullptr, &timeout, LDAP_NO_LIMIT, &result);
    if (rc != LDAP_SUCCESS) {
      ldap_msgfree(result);
      return failure(describe_session_error(ld, rc));
    }
    LDAPMessage* entry = ldap_first_entry(ld, result);
    Part part = entry ? find_part(ld, entry, attribute) : Part{};
    ldap_msgfree(result);
    if (!part.range) return Status::ok();
    if (part.range->first != first || (part.range->last && *part.range->last < first))
      return failure("the server sent an unexpected range");
    for (auto& v : part.values) values->push_back(std::move(v));
    if (!part.range->last) return Status::ok();
    first = *part.range->last + 1;
  }
}

}  // namespace ps
