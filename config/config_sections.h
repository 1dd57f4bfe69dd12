// The sections of the configuration file, each read and checked into Config by its own function.
// Internal to config/; load_config (config.h) is the public entry point.
#pragma once

#include <yaml-cpp/yaml.h>

#include "config/config.h"
#include "config/yaml_reader.h"

namespace ps {

void read_portal(YamlReader& r, const YAML::Node& root, Config& c);
void read_directory(YamlReader& r, const YAML::Node& root, Config& c);
void read_sync(YamlReader& r, const YAML::Node& root, Config& c);
void read_daemon(YamlReader& r, const YAML::Node& root, Config& c);
void read_admin(YamlReader& r, const YAML::Node& root, Config& c);
void read_policies(YamlReader& r, const YAML::Node& root, Config& c);
void read_log(YamlReader& r, const YAML::Node& root, Config& c);
void read_audit(YamlReader& r, const YAML::Node& root, Config& c);
void read_passwords(YamlReader& r, const YAML::Node& root, Config& c);  // config_passwords.cc
// directory.posix (config_posix.cc): `directory` is the directory section.
void read_posix(YamlReader& r, const YAML::Node& directory, PosixOptions& out);

}  // namespace ps
