// Bearer tokens for the admin API. The configuration holds only each token's SHA-256, so a leaked
// config file does not leak a usable token; a presented token is hashed and compared in constant
// time against every configured hash. The matching entry's name becomes the request's actor.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/sha256.h"
#include "daemon/admin/settings.h"

namespace ps::admin {

using Sha256 = Sha256Digest;

// Who a request comes from: the matching token's name, role and unit scope.
struct Identity {
  std::string name;
  TokenRole role = TokenRole::admin;
  bool role_configured = false;  // false: a token from before roles, acting as admin
  ScopeCodes scope;              // none: every unit

  // The change log's actor, "ops-wang (operator)": names have no spaces, so it reads back
  // unambiguously. A token without a role keeps its bare name, as before roles.
  std::string actor() const;
};

class TokenSet {
 public:
  TokenSet() = default;  // accepts nothing

  // Checks every entry (a name, 64 hex digits, no name or hash twice); the error names the entry.
  static Result<TokenSet> from_entries(const std::vector<TokenEntry>& entries);

  // The token whose hash matches, or nothing.
  std::optional<Identity> authenticate(std::string_view token) const;

  std::size_t size() const { return tokens_.size(); }

 private:
  struct Token {
    Identity identity;
    Sha256 hash;
  };
  std::vector<Token> tokens_;
};

// The token in an "Authorization: Bearer <token>" value (scheme case-insensitive); nothing when the
// header is absent, uses another scheme or carries no token.
std::optional<std::string_view> bearer_token(std::string_view authorization);

}  // namespace ps::admin
