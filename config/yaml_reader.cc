#include "config/yaml_reader.h"

#include <algorithm>
#include <charconv>

namespace ps {

namespace {

std::string join(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string closest_key(const std::string& key, const std::set<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = 3;
  for (const auto& c : candidates)
    if (auto d = edit_distance(key, c); d < best_distance) {
      best = c;
      best_distance = d;
    }
  return best;
}

void YamlReader::error(const YAML::Node& at, const std::string& path, const std::string& message) {
  error_at_line(at.Mark().line >= 0 ? at.Mark().line + 1 : 0, path, message);
}

void YamlReader::error_at_line(int line, const std::string& path, const std::string& message) {
  std::string where = file_ + (line > 0 ? ":" + std::to_string(line) : "") + ": ";
  errors_.push_back(where + (path.empty() ? "" : path + ": ") + message);
}

void YamlReader::check_keys(const YAML::Node& map, const std::string& path,
                            const std::set<std::string>& known) {
  if (!map.IsMap()) return;
  for (const auto& kv : map) {
    auto key = kv.first.as<std::string>();
    if (known.count(key)) continue;
    auto hint = closest_key(key, known);
    error(kv.first, join(path, key),
          "unknown key" + (hint.empty() ? std::string() : " (did you mean " + hint + "?)"));
  }
}

void YamlReader::read_string(const YAML::Node& map, const std::string& path, const char* key,
                             std::string& out) {
  auto node = map[key];
  if (!node) return;
  if (!node.IsScalar()) return error(node, join(path, key), "must be a string");
  out = node.Scalar();
}

void YamlReader::read_int(const YAML::Node& map, const std::string& path, const char* key, int& out,
                          int min, int max) {
  auto node = map[key];
  if (!node) return;
  const auto& text = node.IsScalar() ? node.Scalar() : std::string();
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (!node.IsScalar() || text.empty() || ec != std::errc() || end != text.data() + text.size())
    return error(node, join(path, key), "must be a whole number (got \"" + text + "\")");
  if (value < min || value > max)
    return error(node, join(path, key),
                 "must be between " + std::to_string(min) + " and " + std::to_string(max) +
                     " (got " + text + ")");
  out = value;
}

void YamlReader::read_bool(const YAML::Node& map, const std::string& path, const char* key,
                           bool& out) {
  auto node = map[key];
  if (!node) return;
  const auto& text = node.IsScalar() ? node.Scalar() : std::string();
  if (text == "true" || text == "yes") {
    out = true;
  } else if (text == "false" || text == "no") {
    out = false;
  } else {
    error(node, join(path, key), "must be true or false (got \"" + text + "\")");
  }
}

void YamlReader::read_choice(const YAML::Node& map, const std::string& path, const char* key,
                             std::string& out, const std::vector<std::string>& allowed) {
  auto node = map[key];
  if (!node) return;
  const auto& text = node.IsScalar() ? node.Scalar() : std::string();
  if (std::find(allowed.begin(), allowed.end(), text) != allowed.end()) {
    out = text;
    return;
  }
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  error(node, join(path, key), "must be one of " + list + " (got \"" + text + "\")");
}

void YamlReader::read_list(const YAML::Node& map, const std::string& path, const char* key,
                           std::vector<std::string>& out) {
  auto node = map[key];
  if (!node) return;
  if (!node.IsSequence()) return error(node, join(path, key), "must be a list");
  out.clear();
  for (const auto& item : node) {
    if (!item.IsScalar()) return error(item, join(path, key), "items must be strings");
    out.push_back(item.Scalar());
  }
}

YAML::Node YamlReader::section(const YAML::Node& map, const std::string& path, const char* key) {
  auto node = map[key];
  if (node && !node.IsMap()) {
    error(node, join(path, key), "must be a mapping of keys");
    return YAML::Node(YAML::NodeType::Undefined);
  }
  return node;
}

}  // namespace ps
