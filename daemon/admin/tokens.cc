#include "daemon/admin/tokens.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <set>

#include "core/text.h"

namespace ps::admin {

namespace {

std::optional<Sha256> parse_hash(std::string_view hex) {
  Sha256 hash{};
  if (hex.size() != 2 * hash.size()) return std::nullopt;
  for (std::size_t i = 0; i < hash.size(); ++i) {
    int high = hex_digit_value(hex[2 * i]), low = hex_digit_value(hex[2 * i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    hash[i] = static_cast<unsigned char>(high * 16 + low);
  }
  return hash;
}

bool valid_name(std::string_view name) {
  return !name.empty() && name.size() <= 64 &&
         std::all_of(name.begin(), name.end(),
                     [](unsigned char c) { return c > 0x20 && c != 0x7f; });
}

}  // namespace

Result<TokenSet> TokenSet::from_entries(const std::vector<TokenEntry>& entries) {
  TokenSet set;
  std::set<std::string> names;
  std::set<Sha256> hashes;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& entry = entries[i];
    std::string where = "admin token " + std::to_string(i + 1);
    if (!valid_name(entry.name)) {
      return Error{where +
                   ": name must be 1 to 64 characters without spaces or control characters"};
    }
    where += " (" + entry.name + ")";
    auto hash = parse_hash(entry.sha256);
    if (!hash) return Error{where + ": sha256 must be 64 hex digits (the output of sha256sum)"};
    if (!names.insert(entry.name).second) return Error{where + ": the name is used twice"};
    if (!hashes.insert(*hash).second) {
      return Error{where + ": the same token hash is configured under another name"};
    }
    Identity identity{entry.name, entry.role.value_or(TokenRole::admin), entry.role.has_value(),
                      entry.scope};
    set.tokens_.push_back({std::move(identity), *hash});
  }
  return set;
}

std::string Identity::actor() const {
  return role_configured ? name + " (" + std::string(to_string(role)) + ")" : name;
}

std::optional<Identity> TokenSet::authenticate(std::string_view token) const {
  if (token.empty()) return std::nullopt;
  Sha256 presented = sha256(token);
  // Every entry is compared, so the time taken does not depend on which one matched.
  const Token* match = nullptr;
  for (const auto& candidate : tokens_) {
    if (CRYPTO_memcmp(presented.data(), candidate.hash.data(), presented.size()) == 0) {
      match = &candidate;
    }
  }
  if (!match) return std::nullopt;
  return match->identity;
}

std::optional<std::string_view> bearer_token(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer";
  if (authorization.size() <= kScheme.size() ||
      !iequals(authorization.substr(0, kScheme.size()), kScheme) ||
      authorization[kScheme.size()] != ' ') {
    return std::nullopt;
  }
  auto token = authorization.substr(kScheme.size());
  token.remove_prefix(std::min(token.find_first_not_of(' '), token.size()));
  token = token.substr(0, token.find_last_not_of(' ') + 1);
  if (token.empty() || token.find(' ') != std::string_view::npos) return std::nullopt;
  return token;
}

}  // namespace ps::admin
