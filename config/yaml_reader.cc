#include "config/yaml_reader.h"

#include <algorithm>
#include <charconv>
#include <limits>

#include "config/key_hint.h"

namespace ps {

namespace {

int line_of(const YAML::Node& node) {
  if (!node.IsDefined()) return 0;
  return node.Mark().line >= 0 ? node.Mark().line + 1 : 0;
}

// What a value is, for "(got ...)": the text of a scalar, the kind of anything else.
std::string describe(const YAML::Node& node) {
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  if (node.IsNull()) return "nothing";
  return "\"" + node.Scalar() + "\"";
}

// " (did you mean url?)", or a note that "directory.url" must be written nested, or "".
std::string key_hint(const std::string& key, const std::set<std::string>& known) {
  if (auto dot = key.find('.'); dot != std::string::npos && known.count(key.substr(0, dot)))
    return " (write it nested: " + key.substr(dot + 1) + " indented under " + key.substr(0, dot) +
           ":)";
  auto closest = closest_key(key, known);
  return closest.empty() ? "" : " (did you mean " + closest + "?)";
}

// "must be between 1 and 5000", or "must be at least 0" when only the int type limits it.
std::string range_text(int min, int max) {
  if (max == std::numeric_limits<int>::max()) return "must be at least " + std::to_string(min);
  return "must be between " + std::to_string(min) + " and " + std::to_string(max);
}

}  // namespace

std::string join_key(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

void YamlReader::error(const YAML::Node& at, const std::string& path, const std::string& message) {
  error_at_line(line_of(at), path, message);
}

void YamlReader::error_at_line(int line, const std::string& path, const std::string& message) {
  std::string where = file_ + (line > 0 ? ":" + std::to_string(line) : "") + ": ";
  errors_.push_back({line, where + (path.empty() ? "" : path + ": ") + message});
}

std::string YamlReader::error_text() const {
  auto sorted = errors_;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Located& a, const Located& b) { return a.line < b.line; });
  std::string text;
  for (const auto& e : sorted) text += (text.empty() ? "" : "\n") + e.text;
  return text;
}

void YamlReader::check_keys(const YAML::Node& map, const std::string& path,
                            const std::set<std::string>& known) {
  if (!map.IsMap()) return;
  for (const auto& kv : map) {
    if (!kv.first.IsScalar()) {
      error(kv.first, path, "keys must be plain names");
      continue;
    }
    const auto& key = kv.first.Scalar();
    const auto full = join_key(path, key);
    // yaml-cpp keeps both copies of a repeated key and silently reads the first.
    if (auto seen = key_lines_.find(full); seen != key_lines_.end()) {
      error(kv.first, full, "appears twice (first at line " + std::to_string(seen->second) + ")");
      continue;
    }
    key_lines_[full] = line_of(kv.first);
    if (known.count(key)) continue;
    error(kv.first, full, "unknown key" + key_hint(key, known));
  }
}

int YamlReader::key_line(const std::string& path) const {
  auto found = key_lines_.find(path);
  return found == key_lines_.end() ? 0 : found->second;
}

bool YamlReader::has(const YAML::Node& map, const char* key) {
  auto node = map[key];
  return node.IsDefined() && !node.IsNull();
}

void YamlReader::require(const YAML::Node& map, const std::string& path, const char* key) {
  if (has(map, key)) return;
  const auto full = join_key(path, key);
  int line = key_line(full);
  error_at_line(line > 0 ? line : key_line(path), full, "is required");
}

void YamlReader::read_string(const YAML::Node& map, const std::string& path, const char* key,
                             std::string& out) {
  if (!has(map, key)) return;
  auto node = map[key];
  if (!node.IsScalar())
    return error(node, join_key(path, key), "must be a string (got " + describe(node) + ")");
  out = node.Scalar();
}

void YamlReader::read_int(const YAML::Node& map, const std::string& path, const char* key, int& out,
                          int min, int max) {
  if (!has(map, key)) return;
  auto node = map[key];
  const auto full = join_key(path, key);
  if (!node.IsScalar())
    return error(node, full, "must be a whole number (got " + describe(node) + ")");
  const auto& text = node.Scalar();
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  const bool parsed = ec == std::errc() && !text.empty() && end == text.data() + text.size();
  if (!parsed && ec != std::errc::result_out_of_range)
    return error(node, full, "must be a whole number (got " + describe(node) + ")");
  // An overflow is above every maximum unless it is negative.
  const bool too_large = !parsed ? text[0] != '-' : value > max;
  if (too_large && max == std::numeric_limits<int>::max())
    return error(node, full, "is too large (got " + text + ")");
  if (!parsed || value < min || value > max)
    return error(node, full, range_text(min, max) + " (got " + text + ")");
  out = static_cast<int>(value);
}

void YamlReader::read_bool(const YAML::Node& map, const std::string& path, const char* key,
                           bool& out) {
  if (!has(map, key)) return;
  auto node = map[key];
  const auto text = node.IsScalar() ? node.Scalar() : std::string();
  if (text == "true" || text == "yes") {
    out = true;
  } else if (text == "false" || text == "no") {
    out = false;
  } else {
    error(node, join_key(path, key), "must be true or false (got " + describe(node) + ")");
  }
}

void YamlReader::read_choice(const YAML::Node& map, const std::string& path, const char* key,
                             std::string& out, const std::vector<std::string>& allowed) {
  if (!has(map, key)) return;
  auto node = map[key];
  if (node.IsScalar() &&
      std::find(allowed.begin(), allowed.end(), node.Scalar()) != allowed.end()) {
    out = node.Scalar();
    return;
  }
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  error(node, join_key(path, key), "must be one of " + list + " (got " + describe(node) + ")");
}

void YamlReader::read_list(const YAML::Node& map, const std::string& path, const char* key,
                           std::vector<std::string>& out) {
  if (!has(map, key)) return;
  auto node = map[key];
  if (!node.IsSequence())
    return error(node, join_key(path, key), "must be a list (got " + describe(node) + ")");
  std::vector<std::string> items;
  for (const auto& item : node) {
    if (!item.IsScalar())
      return error(item, join_key(path, key), "items must be strings (got " + describe(item) + ")");
    items.push_back(item.Scalar());
  }
  out = std::move(items);
}

YAML::Node YamlReader::section(const YAML::Node& map, const std::string& path, const char* key) {
  if (!has(map, key)) return YAML::Node(YAML::NodeType::Map);
  auto node = map[key];
  if (node.IsMap()) return node;
  error(node, join_key(path, key), "must be a mapping of keys (got " + describe(node) + ")");
  return YAML::Node(YAML::NodeType::Map);
}

}  // namespace ps
