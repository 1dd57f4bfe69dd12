#include "daemon/admin/tokens.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <stdexcept>

namespace ps::admin {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<Sha256> parse_hash(std::string_view hex) {
  Sha256 hash{};
  if (hex.size() != 2 * hash.size()) return std::nullopt;
  for (std::size_t i = 0; i < hash.size(); ++i) {
    int high = hex_digit(hex[2 * i]), low = hex_digit(hex[2 * i + 1]);
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

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

Sha256 sha256(std::string_view data) {
  Sha256 digest{};
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1 ||
      length != digest.size()) {
    throw std::runtime_error("OpenSSL could not compute a SHA-256 digest");
  }
  return digest;
}

std::string sha256_hex(std::string_view data) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char byte : sha256(data)) {
    hex += kHex[byte >> 4];
    hex += kHex[byte & 0xf];
  }
  return hex;
}

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
    set.tokens_.push_back({entry.name, *hash});
  }
  return set;
}

std::optional<std::string> TokenSet::authenticate(std::string_view token) const {
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
  return match->name;
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
