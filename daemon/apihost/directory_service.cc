#include "daemon/apihost/directory_service.h"

#include <openssl/rand.h>

#include <algorithm>
#include <charconv>
#include <set>
#include <tuple>

#include "core/text.h"
#include "daemon/apihost/subtree.h"

namespace ps::apihost {

namespace {

constexpr auto kSnapshotLifetime = std::chrono::minutes(10);
constexpr std::size_t kMaxSnapshots = 8;

std::string random_hex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes));
  return hex_encode(raw);
}

// "<snapshot id>.<offset>", as read() makes them; nothing for anything else (a client's cookie is
// input like any other: std::stoul would throw on "id.99999999999999999999").
std::optional<std::pair<std::string, std::size_t>> parse_cookie(const std::string& cookie) {
  auto dot = cookie.find('.');
  if (dot == std::string::npos || dot == 0) return std::nullopt;
  std::size_t offset = 0;
  const char* end = cookie.data() + cookie.size();
  auto [at, ec] = std::from_chars(cookie.data() + dot + 1, end, offset);
  if (ec != std::errc() || at != end) return std::nullopt;
  return std::pair{cookie.substr(0, dot), offset};
}

OpResult refused(const std::string& key, std::string message) {
  return OpResult{key, OpStatus::refused, std::move(message), ""};
}

OpResult outcome_unknown(const std::string& key, std::string message) {
  return OpResult{key, OpStatus::outcome_unknown, std::move(message), ""};
}

}  // namespace

DirectoryService::DirectoryService(const HostConfig& config, RequestLog& requests, Logger& log)
    : config_(config), requests_(requests), log_(log) {}

Result<LdapConnector*> DirectoryService::connection() {
  if (!ldap_) {
    auto connected = LdapConnector::connect(config_.directory);
    if (!connected)
      return Error{"the directory is not reachable: " + connected.error(), StatusCode::unavailable};
    ldap_ = std::move(connected.value());
  }
  return ldap_.get();
}

void DirectoryService::drop_connection(const std::string& why) {
  log_.log(LogLevel::warning, "apihost: dropping the directory connection: " + why);
  ldap_.reset();
}

void DirectoryService::reconfigure(const HostConfig& config) {
  config_ = config;
  ldap_.reset();
}

Status DirectoryService::ping() {
  auto ldap = connection();
  if (!ldap) return ldap.status();
  if (auto s = ldap.value()->ping(); !s) {
    drop_connection(s.message());
    return s;
  }
  return Status::ok();
}

Result<ReadPage> DirectoryService::read(const ReadRequest& request, const std::string& caller) {
  auto now = std::chrono::steady_clock::now();
  std::erase_if(snapshots_, [&](const auto& s) { return s.second.expires < now; });
  std::string id;
  std::size_t offset = 0;
  if (request.cookie.empty()) {
    if (!is_within(request.base_dn, config_.allowed_base_dn, true))
      return Error{"read " + request.base_dn + ": refused: not within the subtree this API host " +
                       "manages (" + config_.allowed_base_dn + ")",
                   StatusCode::refused};
    auto ldap = connection();
    if (!ldap) return Error{ldap.error(), ldap.code()};
    auto data = ldap.value()->read_subtree({request.base_dn, request.attributes});
    if (!data) {
      drop_connection(data.error());
      return Error{data.error(), StatusCode::unavailable};
    }
    // The oldest goes (ids are random: the smallest one is any of them, possibly the newest).
    if (snapshots_.size() >= kMaxSnapshots)
      snapshots_.erase(std::min_element(
          snapshots_.begin(), snapshots_.end(),
          [](const auto& a, const auto& b) { return a.second.expires < b.second.expires; }));
    id = random_hex(12);
    snapshots_[id] = {std::move(data.value()), now + kSnapshotLifetime};
    log_.log(LogLevel::info, "apihost: " + caller + " read " + request.base_dn + " (" +
                                 std::to_string(snapshots_[id].data.entries.size()) + " entries)");
  } else {
    auto cookie = parse_cookie(request.cookie);
    if (!cookie)
      return Error{"read: the cookie is not one this API host gave; start the read again",
                   StatusCode::invalid};
    std::tie(id, offset) = *cookie;
  }
  auto it = snapshots_.find(id);
  if (it == snapshots_.end())
    return Error{"read: the cookie has expired; start the read again", StatusCode::not_found};
  const auto& entries = it->second.data.entries;
  ReadPage page;
  page.base_exists = it->second.data.base_exists;
  auto end = std::min(entries.size(), offset + static_cast<std::size_t>(request.page_size));
  for (auto i = std::min(offset, entries.size()); i < end; ++i) page.entries.push_back(entries[i]);
  if (end < entries.size())
    page.cookie = id + "." + std::to_string(end);
  else
    snapshots_.erase(it);
  return page;
}

// A result without applying: the key was seen before, or the operation is outside the subtree.
std::optional<OpResult> DirectoryService::replayed_or_refused(
    const WireOp& op, const std::string& caller, std::vector<RequestRecord>& refusals) {
  auto summary = summarize(op);
  auto stored = requests_.find(op.key);
  if (!stored) return refused(op.key, stored.error());
  if (const auto& r = stored.value()) {
    if (r->summary != summary)
      return refused(op.key, summary + ": refused: the idempotency key " + op.key +
                                 " was already used for another operation (" + r->summary + ")");
    if (r->result == RecordResult::applied)
      return OpResult{op.key, OpStatus::already_applied, r->message, r->anchor};
    if (r->result == RecordResult::refused) return refused(op.key, r->message);
    return outcome_unknown(
        op.key, summary + ": outcome unknown: the API host stopped while applying it (" + r->at +
                    "); it is not applied again, the next sync " +
                    "re-reads the directory and finishes the job");
  }
  if (auto s = check_subtree(op, config_.allowed_base_dn); !s) {
    refusals.push_back({op.key, caller, summary, RecordResult::refused, s.message(), "", ""});
    return refused(op.key, s.message());
  }
  return std::nullopt;
}

Result<std::vector<OpResult>> DirectoryService::apply(const std::vector<WireOp>& ops,
                                                      const std::string& caller) {
  std::vector<OpResult> results(ops.size());
  std::vector<Fresh> fresh;
  std::vector<RequestRecord> refusals;
  std::set<std::string> keys;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const auto& op = ops[i];
    if (!keys.insert(op.key).second) {
      results[i] = refused(
          op.key, summarize(op) + ": refused: the key " + op.key + " appears twice in this batch");
    } else if (auto known = replayed_or_refused(op, caller, refusals)) {
      results[i] = std::move(*known);
    } else {
      fresh.push_back({i, {op.key, caller, summarize(op), RecordResult::pending, "", "", ""}});
    }
  }
  std::vector<RequestRecord> pending;
  for (const auto& f : fresh) pending.push_back(f.record);
  if (auto s = requests_.begin(pending); !s) return Error{s.message()};
  apply_fresh(ops, fresh, results);
  std::vector<RequestRecord> done = refusals;
  for (auto& f : fresh) {
    const auto& r = results[f.index];
    if (r.status == OpStatus::outcome_unknown) continue;  // stays pending
    f.record.result = r.status == OpStatus::applied ? RecordResult::applied : RecordResult::refused;
    f.record.message = r.message;
    f.record.anchor = r.anchor;
    done.push_back(f.record);
  }
  if (auto s = requests_.finish(done); !s)
    log_.log(LogLevel::error, "apihost: cannot record results: " + s.message());
  for (std::size_t i = 0; i < ops.size(); ++i) log_result(caller, ops[i], results[i]);
  return results;
}

// Directory writes go through the connector's pipeline (all sent, then all awaited); passwords
// and unlocks are synchronous calls. Operations of one batch are independent by contract.
void DirectoryService::apply_fresh(const std::vector<WireOp>& ops, std::vector<Fresh>& fresh,
                                   std::vector<OpResult>& results) {
  auto ldap = connection();
  for (const auto& f : fresh) results[f.index] = refused(ops[f.index].key, "");
  if (!ldap) {
    for (const auto& f : fresh)
      results[f.index].message = summarize(ops[f.index]) + ": " + ldap.error();
    return;
  }
  std::size_t outstanding = 0;
  for (const auto& f : fresh) {
    const auto& op = ops[f.index];
    if (op.action == WireAction::set_password || op.action == WireAction::unlock) {
      apply_call(op, results[f.index]);
      continue;
    }
    if (auto s = ldap.value()->submit(f.index, op.op); !s) {
      results[f.index] =
          outcome_unknown(op.key, summarize(op) + ": outcome unknown: " + s.message());
      continue;
    }
    results[f.index] =
        outcome_unknown(op.key, summarize(op) + ": outcome unknown: no answer from the directory");
    ++outstanding;
  }
  for (; outstanding > 0; --outstanding) {
    auto done = ldap_ ? ldap_->wait_completion() : Result<Completion>::failure("no connection");
    if (!done) {
      drop_connection(done.error());
      break;
    }
    auto& r = results[done->ticket];
    r.status = done->outcome.ok ? OpStatus::applied : OpStatus::refused;
    r.message = done->outcome.message;
    r.anchor = done->outcome.anchor;
  }
}

void DirectoryService::apply_call(const WireOp& op, OpResult& result) {
  if (!ldap_) {
    result.message = summarize(op) + ": the directory connection was lost earlier in this batch";
    return;
  }
  auto s = op.action == WireAction::unlock
               ? ldap_->unlock(op.op.dn)
               : ldap_->set_password(op.op.dn, op.password, op.must_change);
  // A call that may have taken effect is not refused: refused means "not applied", and a retry
  // under a new key would then set the password twice without the caller knowing.
  result.status = s                                         ? OpStatus::applied
                  : s.code() == StatusCode::outcome_unknown ? OpStatus::outcome_unknown
                                                            : OpStatus::refused;
  result.message = s ? "" : s.message();
}

void DirectoryService::log_result(const std::string& caller, const WireOp& op,
                                  const OpResult& result) {
  auto level = is_done(result.status)                       ? LogLevel::info
               : result.status == OpStatus::outcome_unknown ? LogLevel::warning
                                                            : LogLevel::notice;
  std::string line = "apihost: " + caller + " " + summarize(op) + " [" + op.key +
                     "]: " + std::string(to_string(result.status));
  if (!is_done(result.status)) line += ": " + result.message;
  log_.log(level, line);
}

}  // namespace ps::apihost
