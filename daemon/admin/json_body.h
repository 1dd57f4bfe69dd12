// Reading JSON request bodies. Boost 1.74 (Debian 12's libboost-dev) predates Boost.JSON, so this
// wraps nlohmann-json (Debian's nlohmann-json3-dev, header-only) and keeps it out of every other
// file. Each accessor returns a Result whose error names the field and says what was expected,
// ready to go back to the client as a 400.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace ps::admin {

class JsonBody {
 public:
  // The body must be one JSON object (an empty body is an error too), at most 32 levels deep.
  static Result<JsonBody> parse(std::string_view text);

  bool has(std::string_view key) const;
  // Absent keys and null are errors for the required accessors and nothing for optional_*.
  Result<std::string> string(std::string_view key) const;
  Result<std::optional<std::string>> optional_string(std::string_view key) const;
  Result<std::int64_t> integer(std::string_view key) const;
  Result<std::optional<std::int64_t>> optional_integer(std::string_view key) const;
  Result<bool> boolean(std::string_view key) const;
  Result<std::optional<bool>> optional_boolean(std::string_view key) const;
  Result<std::vector<std::string>> strings(std::string_view key) const;  // an array of strings
  Result<JsonBody> object(std::string_view key) const;
  // Fails on a key not in `known`: a misspelt field should not be silently ignored.
  Status only_keys(std::initializer_list<std::string_view> known) const;

 private:
  struct Value;
  explicit JsonBody(std::shared_ptr<const Value> value, std::string path)
      : value_(std::move(value)), path_(std::move(path)) {}
  std::string field(std::string_view key) const;  // "\"a.b\"" for error messages

  std::shared_ptr<const Value> value_;
  std::string path_;  // "" for the top level, "a.b" inside nested objects
};

}  // namespace ps::admin
