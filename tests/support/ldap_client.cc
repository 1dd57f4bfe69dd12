#include "tests/support/ldap_client.h"

#include <stdexcept>

namespace ps::testing {

std::vector<std::string> LdapClient::arguments(const std::string& tool) const {
  std::vector<std::string> args = {tool, "-x", "-H", login_.url, "-o", "nettimeout=10"};
  if (!login_.bind_dn.empty()) {
    args.insert(args.end(), {"-D", login_.bind_dn});
    if (!login_.password_file.empty()) args.insert(args.end(), {"-y", login_.password_file});
  }
  if (login_.start_tls) args.push_back("-ZZ");
  return args;
}

// The tools take their TLS trust settings from the environment (there is no flag for them).
std::map<std::string, std::string> LdapClient::environment() const {
  if (login_.ca_file.empty()) return {};
  return {{"LDAPTLS_CACERT", login_.ca_file}, {"LDAPTLS_REQCERT", "demand"}};
}

Result<std::vector<LdifEntry>> LdapClient::search(std::string_view base, std::string_view filter,
                                                  const std::vector<std::string>& attributes,
                                                  std::string_view scope) const {
  auto args = arguments("ldapsearch");
  args.insert(args.end(), {"-LLL", "-o", "ldif-wrap=no", "-E", "pr=1000/noprompt", "-s",
                           std::string(scope), "-b", std::string(base), std::string(filter)});
  args.insert(args.end(), attributes.begin(), attributes.end());
  auto result = run(args, "", 120, environment());
  if (!result.ok()) return Error{result.describe("ldapsearch -b \"" + std::string(base) + "\"")};
  try {
    return parse_ldif(result.out);
  } catch (const std::exception& e) {
    return Error{"ldapsearch -b \"" + std::string(base) + "\": " + e.what()};
  }
}

Result<LdifEntry> LdapClient::read(std::string_view dn,
                                   const std::vector<std::string>& attributes) const {
  auto found = search(dn, "(objectClass=*)", attributes, "base");
  if (!found) return Error{found.error()};
  if (found->size() != 1)
    return Error{"read " + std::string(dn) + ": " + std::to_string(found->size()) + " entries"};
  return std::move(found->front());
}

Status LdapClient::add(std::string_view ldif) const {
  auto result = run_tool("ldapadd", ldif);
  return result.ok() ? Status::ok() : Status::error(result.describe("ldapadd"));
}

Status LdapClient::modify(std::string_view ldif) const {
  auto result = run_tool("ldapmodify", ldif);
  return result.ok() ? Status::ok() : Status::error(result.describe("ldapmodify"));
}

RunResult LdapClient::run_tool(const std::string& tool, std::string_view input,
                               const std::vector<std::string>& extra_args) const {
  auto args = arguments(tool);
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  return run(args, std::string(input), 120, environment());
}

}  // namespace ps::testing
