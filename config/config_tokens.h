// Bearer tokens in a configuration file: a list of {name, sha256}, shared by portalsyncd's admin
// section and portalsync-apihost's endpoint. Only the SHA-256 of a token is ever configured.
#pragma once

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/config.h"
#include "config/yaml_reader.h"

namespace ps {

// Whether entries may carry `role`, `units`, `agencies` and `with_subagencies` (portalsyncd's
// admin tokens; not the API host's).
enum class TokenRoles { refused, allowed };

// Reads map[key] (absent: empty), reporting each problem at `path`: not a list, an entry without
// a name, a name used twice, a hash that is not 64 lower-case hex digits, an unknown role, units
// that are not a list of codes.
std::vector<AdminTokenConfig> read_token_list(YamlReader& r, const YAML::Node& map,
                                              const std::string& path, const char* key,
                                              TokenRoles roles = TokenRoles::refused);

}  // namespace ps
