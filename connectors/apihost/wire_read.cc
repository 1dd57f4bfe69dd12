// The read half of the contract: a page request and a page of entries.
#include <optional>

#include "connectors/apihost/apihost_wire.h"
#include "connectors/apihost/wire_values.h"

namespace ps::apihost {

namespace {

using nlohmann::json;

json encode_entry(const DirectoryEntry& e) {
  json attributes = json::object();
  const auto& attrs = e.attributes();
  for (std::size_t i = 0; i < attrs.size(); ++i) {
    json values = json::array();
    for (auto v : attrs.values(i)) values.push_back(encode_value(v));
    attributes[attrs.name(i)] = values;
  }
  return {{"dn", e.dn()}, {"anchor", e.anchor()}, {"attributes", attributes}};
}

Result<DirectoryEntry> decode_entry(const json& in, const std::string& where) {
  if (!in.is_object()) return Error{where + ": must be an object"};
  auto dn = string_field(in, "dn", where + ".");
  if (!dn) return Error{dn.error()};
  auto anchor = string_field(in, "anchor", where + ".", false);
  if (!anchor) return Error{anchor.error()};
  auto attributes = in.find("attributes");
  if (attributes == in.end()) return DirectoryEntry(dn.value(), anchor.value());
  if (!attributes->is_object()) return Error{where + ".attributes: must be an object"};
  EntryAttributes::Builder built;
  for (const auto& [name, values] : attributes->items()) {
    std::string field = where + ".attributes." + name;
    if (!values.is_array()) return Error{field + ": must be an array"};
    built.begin_attribute(name);
    for (const auto& v : values) {
      auto value = decode_value(v, field);
      if (!value) return Error{value.error()};
      built.add_value(value.value());
    }
  }
  return DirectoryEntry(dn.value(), anchor.value(), built);
}

// 1..5000, or nothing.
std::optional<int> page_size_of(const json& size) {
  if (!size.is_number_integer()) return std::nullopt;
  // Compared in 64 bits, as parsed: get<int>() of 4294967297 would be 1.
  if (size.is_number_unsigned() && size.get<std::uint64_t>() > 5000) return std::nullopt;
  auto value = size.get<std::int64_t>();
  if (value < 1 || value > 5000) return std::nullopt;
  return static_cast<int>(value);
}

}  // namespace

std::string encode_read_request(const ReadRequest& r) {
  json out = {{"base_dn", r.base_dn}, {"attributes", r.attributes}, {"page_size", r.page_size}};
  if (!r.cookie.empty()) out["cookie"] = r.cookie;
  return dump(out);
}

Result<ReadRequest> decode_read_request(std::string_view body) {
  auto root = parse_object(body);
  if (!root) return Error{root.error()};
  ReadRequest r;
  auto base = string_field(root.value(), "base_dn", "");
  if (!base) return Error{base.error()};
  r.base_dn = base.value();
  auto cookie = string_field(root.value(), "cookie", "", false);
  if (!cookie) return Error{cookie.error()};
  r.cookie = cookie.value();
  auto attributes = root->find("attributes");
  if (attributes != root->end()) {
    if (!attributes->is_array()) return Error{"attributes: must be an array of names"};
    for (const auto& a : *attributes) {
      if (!a.is_string()) return Error{"attributes: must be an array of names"};
      r.attributes.push_back(a.get<std::string>());
    }
  }
  auto size = root->find("page_size");
  if (size != root->end()) {
    auto value = page_size_of(*size);
    if (!value) return Error{"page_size: must be a number from 1 to 5000"};
    r.page_size = *value;
  }
  return r;
}

std::string encode_read_page(const ReadPage& page) {
  json entries = json::array();
  for (const auto& e : page.entries) entries.push_back(encode_entry(e));
  json out = {{"base_exists", page.base_exists}, {"entries", entries}};
  if (!page.cookie.empty()) out["cookie"] = page.cookie;
  return dump(out);
}

Result<ReadPage> decode_read_page(std::string_view body) {
  auto root = parse_object(body);
  if (!root) return Error{root.error()};
  ReadPage page;
  auto exists = root->find("base_exists");
  if (exists == root->end() || !exists->is_boolean()) return Error{"base_exists: is required"};
  page.base_exists = exists->get<bool>();
  auto cookie = string_field(root.value(), "cookie", "", false);
  if (!cookie) return Error{cookie.error()};
  page.cookie = cookie.value();
  auto entries = root->find("entries");
  if (entries == root->end() || !entries->is_array()) return Error{"entries: is required"};
  for (std::size_t i = 0; i < entries->size(); ++i) {
    auto e = decode_entry((*entries)[i], "entries[" + std::to_string(i) + "]");
    if (!e) return Error{e.error()};
    page.entries.push_back(std::move(e.value()));
  }
  return page;
}

}  // namespace ps::apihost
