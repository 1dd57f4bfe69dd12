// The passwords section: the policy `portalsync password set` checks before anything is sent.
#include <filesystem>

#include "config/config_files.h"
#include "config/config_sections.h"
#include "config/password_list.h"

namespace ps {

namespace {

// The first shipped list that exists. None: a broken installation, worth a warning at every
// load rather than a surprise the first time someone sets a password.
void use_shipped_list(Config& c) {
  auto candidates = shipped_common_password_lists();
  std::error_code ignored;
  for (const auto& path : candidates)
    if (std::filesystem::is_regular_file(path, ignored)) {
      c.passwords.common_list = path;
      return;
    }
  c.passwords.common_list = candidates.front();
  std::string looked;
  for (const auto& path : candidates) looked += (looked.empty() ? "" : " nor ") + path;
  c.warnings.push_back("passwords.common_list: the shipped common-password list is not at " +
                       looked + "; `portalsync password set` refuses to run until it is there " +
                       "or passwords.common_list names another");
}

}  // namespace

void read_passwords(YamlReader& r, const YAML::Node& root, Config& c) {
  auto node = r.section(root, "", "passwords");
  r.check_keys(node, "passwords",
               {"min_length", "min_classes", "forbid_username", "max_run", "common_list"});
  auto& p = c.passwords;
  // Below 8 no rule makes a password hard to guess; above 128 nobody types it.
  r.read_int(node, "passwords", "min_length", p.min_length, 8, 128);
  r.read_int(node, "passwords", "min_classes", p.min_classes, 1, 4);
  r.read_bool(node, "passwords", "forbid_username", p.forbid_username);
  r.read_int(node, "passwords", "max_run", p.max_run, 0, 64);
  r.read_string(node, "passwords", "common_list", p.common_list);
  if (p.common_list.empty()) return use_shipped_list(c);
  p.common_list = resolve_path(c.source, p.common_list);
  if (auto readable = check_readable_file(p.common_list); !readable)
    r.error(node["common_list"], "passwords.common_list", readable.message());
}

}  // namespace ps
