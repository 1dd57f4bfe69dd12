#include "config/config_tokens.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace ps {

namespace {

bool is_sha256_hex(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](unsigned char ch) {
           return std::isdigit(ch) || (ch >= 'a' && ch <= 'f');
         });
}

// The change log names its own actors "portal", "portalsyncd", "rule:…" and "cli:…"; a token's
// name is the actor of what it does, so one spelt like those would pass for them there.
bool is_reserved_actor(const std::string& name) {
  return name == "portal" || name == "portalsyncd" || name.find(':') != std::string::npos;
}

bool has_space(const std::string& name) {
  return std::any_of(name.begin(), name.end(), [](unsigned char ch) { return std::isspace(ch); });
}

// `units` and `agencies` are lists of codes; an empty one would read as "every unit".
void read_scope_list(YamlReader& r, const YAML::Node& item, const std::string& where,
                     const char* key, const char* noun, std::vector<std::string>& codes) {
  r.read_list(item, where, key, codes);
  if (YamlReader::has(item, key) && item[key].IsSequence() && codes.empty())
    r.error(item[key], where + "." + key,
            std::string("must list at least one ") + noun + " code (leave " + key +
                " out for every unit)");
}

void read_role(YamlReader& r, const YAML::Node& item, const std::string& where,
               AdminTokenConfig& t) {
  if (YamlReader::has(item, "role")) {
    std::string name;
    r.read_string(item, where, "role", name);
    t.role = parse_token_role(name);
    if (!t.role)
      r.error(item["role"], where + ".role",
              "\"" + name + "\" is not a role (" + std::string(token_role_names()) + ")");
  }
  read_scope_list(r, item, where, "units", "unit", t.scope.units);
  read_scope_list(r, item, where, "agencies", "agency", t.scope.agencies);
  r.read_bool(item, where, "with_subagencies", t.scope.with_subagencies);
  if (t.scope.with_subagencies && t.scope.agencies.empty())
    r.error(item["with_subagencies"], where + ".with_subagencies",
            "needs agencies (it says how far each agency reaches)");
}

}  // namespace

std::vector<AdminTokenConfig> read_token_list(YamlReader& r, const YAML::Node& map,
                                              const std::string& path, const char* key,
                                              TokenRoles roles) {
  std::vector<AdminTokenConfig> out;
  if (!YamlReader::has(map, key)) return out;
  const auto list = map[key];
  if (!list.IsSequence()) {
    r.error(list, path, "must be a list of {name, sha256}");
    return out;
  }
  std::set<std::string> names;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto item = list[i];
    auto where = path + "[" + std::to_string(i) + "]";
    if (!item.IsMap()) {
      r.error(item, where, "must be a mapping with name and sha256");
      continue;
    }
    AdminTokenConfig t;
    if (roles == TokenRoles::allowed) {
      r.check_keys(item, where,
                   {"name", "sha256", "role", "units", "agencies", "with_subagencies"});
      read_role(r, item, where, t);
    } else {
      r.check_keys(item, where, {"name", "sha256"});
    }
    r.read_string(item, where, "name", t.name);
    r.read_string(item, where, "sha256", t.sha256);
    if (t.name.empty() || t.name.size() > 64 || has_space(t.name))
      r.error(item, where + ".name", "must be 1-64 characters without spaces");
    else if (is_reserved_actor(t.name))
      r.error(item, where + ".name",
              "\"" + t.name +
                  "\" is reserved: the change log names portalsync's own actors so (portal, "
                  "portalsyncd, names with a colon)");
    if (!names.insert(t.name).second)
      r.error(item, where + ".name", "\"" + t.name + "\" is used twice");
    if (!is_sha256_hex(t.sha256))
      r.error(item, where + ".sha256",
              "must be the SHA-256 of the token as 64 lower-case hex digits (printf '%s' TOKEN | "
              "sha256sum), never the token itself");
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace ps
