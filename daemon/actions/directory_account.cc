#include "daemon/actions/directory_account.h"

#include <chrono>

#include "core/clock.h"
#include "core/portal_lookup.h"
#include "core/selective_read.h"
#include "daemon/wiring/run_lock.h"
#include "daemon/wiring/runtime.h"

namespace ps::actions {

namespace {

ActionResult<std::string> linked_dn(PortalStore& store, DirectoryConnector& directory,
                                    const Config& config, const DirectoryTarget& t) {
  auto linked = read_linked_entry(store, directory, config, t, {"objectClass"});
  if (!linked) return linked.failure();
  return std::string(linked->entry().dn());
}

ChangeRecord intent_record(const DirectoryChange& change, const DirectoryTarget& t,
                           const std::string& dn, const std::string& actor) {
  auto r = manual_record(actor, change.operation, change.category, t.username, t.id);
  r.kind = subject_kind(t.kind);
  r.unit_id = t.unit_id;
  r.dn = dn;
  r.after_json = change.after_json;
  r.result = "pending";
  return r;
}

}  // namespace

ActionResult<LinkedEntry> read_linked_entry(PortalStore& store, DirectoryConnector& directory,
                                            const Config& config, const DirectoryTarget& t,
                                            std::vector<std::string> attributes) {
  auto links = store.load_links();
  if (!links) return refuse(Refusal::failed, links.error());
  std::string anchor;
  for (const auto& link : links.value())
    if (link.kind == t.kind && link.portal_id == t.id) anchor = link.anchor;
  if (anchor.empty())
    return refuse(Refusal::conflict, t.username + " is not in the directory yet; run a sync first");
  // Only the entry with this anchor, not the whole subtree: a search for it (and the units and
  // groups a selective read brings, groups narrowed to that one member where the server can).
  auto spec = selective_read_spec(engine_options(config, "").mapping, {anchor}, {});
  spec.attributes = std::move(attributes);
  auto read = directory.read_selected(spec);
  if (!read) return refuse(Refusal::directory_unavailable, read.error());
  for (std::size_t i = 0; i < read->entries.size(); ++i)
    if (read->entries[i].anchor() == anchor) return LinkedEntry{std::move(read.value()), i};
  return refuse(Refusal::conflict, "the directory entry of " + t.username + " (anchor " + anchor +
                                       ") is not under " + config.directory.base_dn +
                                       "; run a sync first");
}

ActionResult<DirectoryTarget> find_directory_target(const PortalSnapshot& p,
                                                    const std::string& username) {
  if (const auto* a = find_account_by_username(p, username))
    return DirectoryTarget{ObjectKind::account,      a->id,
                           a->org_unit_id,           std::string(a->username()),
                           std::string(a->status()), a->locked};
  if (const auto* s = find_shared_by_username(p, username))
    return DirectoryTarget{
        ObjectKind::shared_account, s->id, s->org_unit_id, s->username, s->status, false};
  return refuse(Refusal::not_found, "no account named \"" + username + "\" in the portal");
}

std::optional<ActionError> password_refusal(const DirectoryTarget& t) {
  if (t.status != "disabled") return std::nullopt;
  return refuse(Refusal::conflict, t.username + " is disabled in the portal");
}

// A lockout after failed sign-ins is the directory's; these are the portal's own decisions.
std::optional<ActionError> unlock_refusal(const DirectoryTarget& t) {
  if (t.status != "disabled" && !t.locked) return std::nullopt;
  return refuse(Refusal::conflict, t.username + " is " + (t.locked ? "locked" : "disabled") +
                                       " in the portal; unlock clears lockouts after failed "
                                       "sign-ins and does not enable accounts");
}

std::optional<ActionError> policy_refusal(const PasswordPolicy& policy, std::string_view password,
                                          const std::string& username) {
  auto failures = check_password(policy, password, username);
  if (failures.empty()) return std::nullopt;
  auto error = refuse(Refusal::policy_refused,
                      "the password breaks the policy (passwords: in the configuration); nothing "
                      "was sent:");
  for (const auto& f : failures) {
    error.message += "\n  " + f.message;
    error.rules.emplace_back(to_string(f.rule));
  }
  return error;
}

DirectoryChange password_change(std::string_view password, bool must_change) {
  return {"set_password", "password",
          std::string("{\"must_change\":") + (must_change ? "true" : "false") + "}",
          must_change ? "password set; to be changed at the next sign-in" : "password set",
          [password, must_change](DirectoryConnector& d, const std::string& dn) {
            return d.set_password(dn, password, must_change);
          }};
}

DirectoryChange unlock_change() {
  return {"unlock", "lockout", "", "unlocked",
          [](DirectoryConnector& d, const std::string& dn) { return d.unlock(dn); }};
}

ActionResult<std::string> change_in_directory(PortalStore& store, const Config& config,
                                              const DirectoryTarget& t,
                                              const DirectoryChange& change,
                                              const std::string& actor) {
  auto lock = RunLock::acquire(config.portal.database);
  if (!lock) return refuse(Refusal::failed, lock.error());
  auto directory = connect_directory(config);
  if (!directory) return refuse(Refusal::directory_unavailable, directory.error());
  auto dn = linked_dn(store, *directory.value(), config, t);
  if (!dn) return dn.failure();
  std::vector<ChangeRecord> intent{intent_record(change, t, dn.value(), actor)};
  if (auto st = store.record_intents(intent); !st)
    return refuse(Refusal::failed, st.message() + "; nothing was sent");
  auto applied = change.apply(*directory.value(), dn.value());
  // Sent, but no answer: it may have taken effect, so it is neither refused nor failed.
  const bool unknown = applied.code() == StatusCode::outcome_unknown;
  ChangeOutcome outcome{intent[0].id,
                        applied   ? "applied"
                        : unknown ? "unknown"
                                  : "failed",
                        applied.message(), format_utc(std::chrono::system_clock::now())};
  auto recorded = store.record_outcomes({outcome});
  if (!applied)
    return refuse(unknown || applied.code() == StatusCode::unavailable
                      ? Refusal::directory_unavailable
                      : Refusal::directory_refused,
                  applied.message());
  if (!recorded)
    return refuse(Refusal::failed,
                  t.username + ": " + change.done +
                      ", but its change-log record stays pending: " + recorded.message());
  return t.username + ": " + change.done + " (" + dn.value() + ")";
}

}  // namespace ps::actions
