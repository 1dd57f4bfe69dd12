// A token's role and units decide which routes it reaches: 403 naming the roles that would do,
// before the handler runs; the change log's actor carries the role.
#include <catch2/catch.hpp>

#include "core/json.h"
#include "daemon/admin/dispatch.h"

using namespace ps::admin;
using ps::Duty;
using ps::sha256_hex;
using ps::TokenRole;

namespace {

struct Fixture {
  Router router;
  TokenSet tokens =
      TokenSet::from_entries({
                                 {"mon", sha256_hex("t-mon"), TokenRole::monitor},
                                 {"aud", sha256_hex("t-aud"), TokenRole::auditor},
                                 {"ops", sha256_hex("t-ops"), TokenRole::operator_},
                                 {"acc", sha256_hex("t-acc"), TokenRole::account_admin},
                                 {"adm", sha256_hex("t-adm"), TokenRole::admin},
                                 {"old", sha256_hex("t-old")},
                                 {"agency", sha256_hex("t-agency"), TokenRole::admin,
                                  ps::ScopeCodes{{"A01"}, {}, false}},
                             })
          .value();
  ps::NullLogger log;

  Fixture() {
    auto echo = [](const AdminRequest& r) {
      ps::JsonWriter w;
      w.begin_object().key("actor").value(r.actor).key("role").value(to_string(r.role));
      return AdminResponse::json(200, w.end_object());
    };
    router.add("GET", "/any", echo).needs(Duty::any);
    router.add("GET", "/monitor", echo).needs(Duty::monitor);
    router.add("GET", "/audit", echo).needs(Duty::audit);
    router.add("GET", "/operate", echo).needs(Duty::operate);
    router.add("GET", "/accounts", echo).needs(Duty::accounts);
    router.add("GET", "/unsaid", echo);
  }

  AdminResponse serve(std::string_view target, const std::string& token) {
    auto authorization = "Bearer " + token;
    auto admission = admit(router, tokens, {"GET", target, authorization, "127.0.0.1"});
    if (admission.reply) return *admission.reply;
    return invoke(*admission.handler, admission.request, log);
  }
};

}  // namespace

TEST_CASE("admin roles: every role against every duty", "[admin][roles]") {
  Fixture f;
  // token, then whether it reaches /any, /monitor, /audit, /operate, /accounts, /unsaid.
  const std::vector<std::pair<std::string, std::vector<bool>>> table = {
      {"t-mon", {true, true, false, false, false, false}},
      {"t-aud", {true, true, true, false, false, false}},
      {"t-ops", {true, true, false, true, false, false}},
      {"t-acc", {true, false, false, false, true, false}},
      {"t-adm", {true, true, true, true, true, true}},
      {"t-old", {true, true, true, true, true, true}},
      // limited to some units: what acts on every unit is refused
      {"t-agency", {true, true, true, false, true, false}},
  };
  const std::vector<std::string> paths = {"/any",     "/monitor",  "/audit",
                                          "/operate", "/accounts", "/unsaid"};
  for (const auto& [token, reaches] : table) {
    for (std::size_t i = 0; i < paths.size(); ++i) {
      INFO(token << " " << paths[i]);
      auto reply = f.serve(paths[i], token);
      CHECK(reply.status == (reaches[i] ? 200 : 403));
      if (!reaches[i]) CHECK_THAT(reply.body, Catch::Contains(R"("error":"forbidden")"));
    }
  }
}

TEST_CASE("admin roles: a 403 names the roles that would do", "[admin][roles]") {
  Fixture f;
  auto reply = f.serve("/audit", "t-ops");
  CHECK_THAT(reply.body, Catch::Contains("GET /audit needs role auditor or admin; token ops is "
                                         "operator"));
  CHECK_THAT(f.serve("/operate", "t-agency").body,
             Catch::Contains("acts on every unit; token agency is limited to some units"));
  // An unknown path still answers 404 to a valid token of any role, 401 without one.
  CHECK(f.serve("/nowhere", "t-mon").status == 404);
  CHECK(f.serve("/audit", "t-wrong").status == 401);
}

TEST_CASE("admin roles: the actor is the token's name and role, a role-less token keeps its name",
          "[admin][roles]") {
  Fixture f;
  CHECK_THAT(f.serve("/any", "t-ops").body, Catch::Contains(R"x("actor":"ops (operator)")x"));
  CHECK_THAT(f.serve("/any", "t-old").body, Catch::Contains(R"("actor":"old","role":"admin")"));
}

TEST_CASE("token roles: names read both ways, and what each role has", "[admin][roles]") {
  for (auto role : {TokenRole::monitor, TokenRole::auditor, TokenRole::operator_,
                    TokenRole::account_admin, TokenRole::person_lookup, TokenRole::admin})
    CHECK(ps::parse_token_role(to_string(role)) == role);
  CHECK_FALSE(ps::parse_token_role("operator_"));
  CHECK_FALSE(ps::parse_token_role("Admin"));
  CHECK(ps::roles_with(Duty::accounts) ==
        std::vector<TokenRole>{TokenRole::account_admin, TokenRole::admin});
  CHECK(ps::roles_with(Duty::administer) == std::vector<TokenRole>{TokenRole::admin});
  // Finding a person by national ID is the sign-on service's alone, and it has nothing else.
  CHECK(ps::roles_with(Duty::persons) == std::vector<TokenRole>{TokenRole::person_lookup});
  for (auto duty : {Duty::monitor, Duty::audit, Duty::operate, Duty::accounts, Duty::administer})
    CHECK_FALSE(ps::role_has(TokenRole::person_lookup, duty));
  CHECK(ps::role_has(TokenRole::person_lookup, Duty::any));
}
