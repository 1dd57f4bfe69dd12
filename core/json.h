// A minimal JSON writer for plans, summaries and change-log attribute snapshots. Core must stay
// free of third-party headers, and writing is all it needs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ps {

std::string json_quote(std::string_view s);

class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view k);
  JsonWriter& value(std::string_view v);
  JsonWriter& value(const char* v) { return value(std::string_view(v)); }
  JsonWriter& value(std::int64_t v);
  JsonWriter& value(int v) { return value(static_cast<std::int64_t>(v)); }
  JsonWriter& value(std::size_t v) { return value(static_cast<std::int64_t>(v)); }
  JsonWriter& value(bool v);
  JsonWriter& null();
  // A value already rendered as JSON (another writer's output), inserted as is.
  JsonWriter& raw(std::string_view json);
  JsonWriter& strings(const std::vector<std::string>& values);
  const std::string& str() const { return out_; }

 private:
  void separate();
  std::string out_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
};

}  // namespace ps
