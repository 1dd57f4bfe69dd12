// How to reach and bind to an LDAP directory: url, tls (checked against the url), allow_insecure,
// ca_file, bind_dn, bind_password_file, page_size and timeout_seconds. Read and checked the same
// way for portalsync's directory section and the API host's, so both honour `tls:` alike.
#pragma once

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/config.h"
#include "config/yaml_reader.h"

namespace ps {

// Reads those keys of the `directory` section `node` into `d`: paths resolved against `source`
// (the configuration file), the bind password read from its file. A password file others can
// read adds a line to `warnings`.
void read_ldap_connection(YamlReader& r, const YAML::Node& node, const std::string& source,
                          DirectoryConfig& d, std::vector<std::string>& warnings);

}  // namespace ps
