#include "daemon/admin/json_body.h"

#include <nlohmann/json.hpp>

#include "daemon/admin/wipe.h"

namespace ps::admin {

namespace {

// Zeroes every string value of the document (a body may carry a password).
void wipe_strings(nlohmann::json& value) {
  if (value.is_string()) wipe(value.get_ref<std::string&>());
  if (value.is_structured())
    for (auto& item : value) wipe_strings(item);
}

}  // namespace

struct JsonBody::Value {
  nlohmann::json json;
  ~Value() { wipe_strings(json); }
};

namespace {

constexpr int kMaxDepth = 32;

// Deep nesting costs recursion in the library's destructor and printer; refuse it up front.
bool nests_too_deep(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxDepth) return true;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return false;
}

const char* type_name(const nlohmann::json& value) {
  if (value.is_number_integer()) return "an integer";
  if (value.is_number()) return "a number";
  if (value.is_string()) return "a string";
  if (value.is_boolean()) return "true or false";
  if (value.is_array()) return "an array";
  if (value.is_object()) return "an object";
  return "null";
}

}  // namespace

Result<JsonBody> JsonBody::parse(std::string_view text) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Error{"the request needs a JSON object as its body"};
  }
  if (nests_too_deep(text)) {
    return Error{"the request body nests deeper than " + std::to_string(kMaxDepth) + " levels"};
  }
  auto value = std::make_shared<Value>();
  try {
    value->json = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    return Error{"the request body is not valid JSON (at byte " + std::to_string(e.byte) + ")"};
  }
  if (!value->json.is_object()) {
    return Error{std::string("the request body must be a JSON object, not ") +
                 type_name(value->json)};
  }
  return JsonBody(std::move(value), "");
}

std::string JsonBody::field(std::string_view key) const {
  return "field \"" + (path_.empty() ? "" : path_ + ".") + std::string(key) + "\"";
}

bool JsonBody::has(std::string_view key) const {
  auto it = value_->json.find(key);
  return it != value_->json.end() && !it->is_null();
}

Result<std::optional<std::string>> JsonBody::optional_string(std::string_view key) const {
  if (!has(key)) return std::optional<std::string>();
  const auto& v = value_->json.at(std::string(key));
  if (!v.is_string()) return Error{field(key) + " must be a string, not " + type_name(v)};
  return std::optional<std::string>(v.get<std::string>());
}

Result<std::string> JsonBody::string(std::string_view key) const {
  auto value = optional_string(key);
  if (!value) return Error{value.error()};
  if (!value.value()) return Error{field(key) + " is missing"};
  return std::move(*value.value());
}

Result<std::optional<std::int64_t>> JsonBody::optional_integer(std::string_view key) const {
  if (!has(key)) return std::optional<std::int64_t>();
  const auto& v = value_->json.at(std::string(key));
  if (v.is_number_unsigned() && v.get<std::uint64_t>() > INT64_MAX) {
    return Error{field(key) + " is too large"};
  }
  if (!v.is_number_integer()) return Error{field(key) + " must be an integer, not " + type_name(v)};
  return std::optional<std::int64_t>(v.get<std::int64_t>());
}

Result<std::int64_t> JsonBody::integer(std::string_view key) const {
  auto value = optional_integer(key);
  if (!value) return Error{value.error()};
  if (!value.value()) return Error{field(key) + " is missing"};
  return *value.value();
}

Result<std::optional<bool>> JsonBody::optional_boolean(std::string_view key) const {
  if (!has(key)) return std::optional<bool>();
  const auto& v = value_->json.at(std::string(key));
  if (!v.is_boolean()) return Error{field(key) + " must be true or false, not " + type_name(v)};
  return std::optional<bool>(v.get<bool>());
}

Result<bool> JsonBody::boolean(std::string_view key) const {
  auto value = optional_boolean(key);
  if (!value) return Error{value.error()};
  if (!value.value()) return Error{field(key) + " is missing"};
  return *value.value();
}

Result<std::vector<std::string>> JsonBody::strings(std::string_view key) const {
  if (!has(key)) return Error{field(key) + " is missing"};
  const auto& v = value_->json.at(std::string(key));
  if (!v.is_array()) return Error{field(key) + " must be an array of strings, not " + type_name(v)};
  std::vector<std::string> out;
  for (const auto& item : v) {
    if (!item.is_string()) {
      return Error{field(key) + " must hold only strings, not " + type_name(item)};
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<JsonBody> JsonBody::object(std::string_view key) const {
  if (!has(key)) return Error{field(key) + " is missing"};
  const auto& v = value_->json.at(std::string(key));
  if (!v.is_object()) return Error{field(key) + " must be an object, not " + type_name(v)};
  auto inner = std::make_shared<Value>(Value{v});
  return JsonBody(std::move(inner), (path_.empty() ? "" : path_ + ".") + std::string(key));
}

Status JsonBody::only_keys(std::initializer_list<std::string_view> known) const {
  for (const auto& [key, value] : value_->json.items()) {
    bool listed = false;
    for (auto k : known) listed = listed || k == key;
    if (!listed) return Status::error(field(key) + " is not one this endpoint knows");
  }
  return Status::ok();
}

}  // namespace ps::admin
