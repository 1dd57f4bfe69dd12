// Reads typed values out of a YAML mapping while remembering where each came from, so every
// error names file, line and key path ("portalsync.yaml:7: directory.tls: ...").
#pragma once

#include <yaml-cpp/yaml.h>

#include <set>
#include <string>
#include <vector>

namespace ps {

class YamlReader {
 public:
  explicit YamlReader(std::string file) : file_(std::move(file)) {}

  void error(const YAML::Node& at, const std::string& path, const std::string& message);
  void error_at_line(int line, const std::string& path, const std::string& message);
  const std::vector<std::string>& errors() const { return errors_; }

  // Flags keys of `map` that are not in `known` (with a did-you-mean hint).
  void check_keys(const YAML::Node& map, const std::string& path,
                  const std::set<std::string>& known);

  // Each reads map[key] into `out` when present; a value of the wrong type or out of range is an
  // error and leaves `out` unchanged.
  void read_string(const YAML::Node& map, const std::string& path, const char* key,
                   std::string& out);
  void read_int(const YAML::Node& map, const std::string& path, const char* key, int& out, int min,
                int max);
  void read_bool(const YAML::Node& map, const std::string& path, const char* key, bool& out);
  void read_choice(const YAML::Node& map, const std::string& path, const char* key,
                   std::string& out, const std::vector<std::string>& allowed);
  void read_list(const YAML::Node& map, const std::string& path, const char* key,
                 std::vector<std::string>& out);
  // The sub-mapping at key (an undefined node when absent; an error when it is not a mapping).
  YAML::Node section(const YAML::Node& map, const std::string& path, const char* key);

 private:
  std::string file_;
  std::vector<std::string> errors_;
};

// The closest of `candidates` within edit distance 2, or "".
std::string closest_key(const std::string& key, const std::set<std::string>& candidates);

}  // namespace ps
