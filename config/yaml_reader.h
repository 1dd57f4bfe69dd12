// Reads typed values out of a YAML mapping while remembering where each came from, so every
// error names file, line and key path ("portalsync.yaml:7: directory.tls: ...").
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace ps {

class YamlReader {
 public:
  explicit YamlReader(std::string file) : file_(std::move(file)) {}

  // An error at `at` (without a line when `at` is absent from the file).
  void error(const YAML::Node& at, const std::string& path, const std::string& message);
  void error_at_line(int line, const std::string& path, const std::string& message);
  bool has_errors() const { return !errors_.empty(); }
  // All errors in file order, one per line.
  std::string error_text() const;

  // Flags keys of `map` that are not in `known` (with a did-you-mean hint) or appear twice, and
  // remembers the line of every key for later messages about it.
  void check_keys(const YAML::Node& map, const std::string& path,
                  const std::set<std::string>& known);
  // The line of the key at `path` ("directory.url"), 0 when it is not in the file.
  int key_line(const std::string& path) const;

  // A key with an empty value ("key:") counts as absent.
  static bool has(const YAML::Node& map, const char* key);
  // Reports map[key] missing, at the key's line when it is there but empty, else at the section's.
  void require(const YAML::Node& map, const std::string& path, const char* key);

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
  // The sub-mapping at key: an empty mapping when absent or empty (every key commented out), an
  // error and an empty mapping when it is something else.
  YAML::Node section(const YAML::Node& map, const std::string& path, const char* key);

 private:
  struct Located {
    int line;
    std::string text;
  };
  std::string file_;
  std::vector<Located> errors_;
  std::map<std::string, int> key_lines_;
};

// "directory" + "url" -> "directory.url"; "" + "directory" -> "directory".
std::string join_key(const std::string& path, const std::string& key);

}  // namespace ps
