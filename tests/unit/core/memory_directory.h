// In-memory test doubles for the core's interfaces, for unit tests of the planner and the
// applier only (integration tests use real servers). The directory enforces what a server would:
// parents exist, no duplicate DNs, only leaves are deleted, modrdn moves whole subtrees.
#pragma once

#include <algorithm>
#include <deque>
#include <map>
#include <set>

#include "core/directory_connector.h"
#include "core/dn.h"
#include "core/portal_store.h"
#include "core/text.h"

namespace ps::testing {

class MemoryDirectory : public DirectoryConnector {
 public:
  explicit MemoryDirectory(std::string base) : base_(std::move(base)) {
    put(base_, {"top", "organizationalUnit"}, {});
  }

  std::map<std::string, DirectoryEntry> entries;  // by normalized DN
  std::set<std::string> fail_dns;                 // operations on these DNs fail
  std::size_t max_outstanding = 0;
  std::size_t operations_sent = 0;

  Result<DirectoryReadResult> read_subtree(const ReadSpec& spec) override {
    DirectoryReadResult out;
    auto base = normalize_dn(spec.base_dn);
    out.base_exists = entries.count(base) > 0;
    for (const auto& [key, e] : entries)
      if (key.size() > base.size() &&
          key.compare(key.size() - base.size(), base.size(), base) == 0 &&
          key[key.size() - base.size() - 1] == ',')
        out.entries.push_back(e);
    return out;
  }

  Status submit(std::uint64_t ticket, const Operation& op) override {
    ++operations_sent;
    queue_.push_back({ticket, apply(op)});
    max_outstanding = std::max(max_outstanding, queue_.size());
    return Status::ok();
  }

  std::map<std::string, std::string> passwords;  // by normalized DN (tests only)
  Status set_password(const std::string& dn, std::string_view password, bool) override {
    if (!entries.count(normalize_dn(dn)))
      return Status::error("set password " + dn + ": no such entry");
    passwords[normalize_dn(dn)] = std::string(password);
    return Status::ok();
  }
  Status unlock(const std::string& dn) override {
    if (!entries.count(normalize_dn(dn))) return Status::error("unlock " + dn + ": no such entry");
    return Status::ok();
  }

  Result<Completion> wait_completion() override {
    if (queue_.empty()) return Result<Completion>::failure("nothing outstanding");
    auto c = queue_.front();
    queue_.pop_front();
    return c;
  }

  const DirectoryEntry* get(std::string_view dn) const {
    auto it = entries.find(normalize_dn(dn));
    return it == entries.end() ? nullptr : &it->second;
  }
  std::string value(std::string_view dn, std::string_view attr) const {
    const auto* e = get(dn);
    auto v = e ? e->find(attr) : std::nullopt;
    return v && !v->empty() ? std::string(v->front()) : "";
  }

  void put(const std::string& dn, std::vector<std::string> classes,
           std::vector<std::pair<std::string, std::string>> attrs) {
    EntryAttributes::Builder b;
    b.begin_attribute("objectclass");
    for (const auto& c : classes) b.add_value(c);
    for (auto& [k, v] : attrs) {
      b.begin_attribute(to_lower_ascii(k));
      b.add_value(v);
    }
    DirectoryEntry e(dn, "uuid-" + std::to_string(++next_anchor_), b);
    entries[normalize_dn(dn)] = std::move(e);
  }

 private:
  std::string base_;
  std::deque<Completion> queue_;
  int next_anchor_ = 0;

  OpOutcome fail(const Operation& op, std::string why) {
    return {false, std::string(to_string(op.type)) + " " + op.dn + ": " + why, ""};
  }

  OpOutcome apply(const Operation& op) {
    if (fail_dns.count(op.dn)) return fail(op, "injected failure");
    auto key = normalize_dn(op.dn);
    if (op.type == OpType::add) {
      if (entries.count(key)) return fail(op, "Already exists");
      if (!entries.count(normalize_dn(parent_dn(op.dn))) &&
          normalize_dn(op.dn) != normalize_dn(base_))
        return fail(op, "No such object (parent)");
      EntryAttributes::Builder b;
      for (const auto& m : op.modifications()) {
        b.begin_attribute(to_lower_ascii(m.attribute));
        for (const auto& v : m.values) b.add_value(v);
      }
      auto anchor = "uuid-" + std::to_string(++next_anchor_);
      DirectoryEntry e(op.dn, anchor, b);
      entries[key] = std::move(e);
      return {true, "", anchor};
    }
    auto it = entries.find(key);
    if (it == entries.end()) return fail(op, "No such object");
    switch (op.type) {
      case OpType::modify:
      case OpType::enable:
      case OpType::disable:
        return modify(it->second, op);
      case OpType::move:
      case OpType::rename:
        return modrdn(op);
      case OpType::remove:
        for (const auto& [k, e] : entries)
          if (k.size() > key.size() &&
              k.compare(k.size() - key.size() - 1, key.size() + 1, "," + key) == 0)
            return fail(op, "Operation not allowed on non-leaf");
        entries.erase(it);
        return {true, "", ""};
      default:
        return fail(op, "unsupported");
    }
  }

  // LDAP modify semantics: add appends values, delete removes the named values (or the attribute),
  // replace sets them.
  OpOutcome modify(DirectoryEntry& e, const Operation& op) {
    for (const auto& m : op.mods) {
      auto name = to_lower_ascii(m.attribute);
      auto found = e.find(name);
      if (m.kind == Modification::Kind::remove) {
        if (!found) return fail(op, "No such attribute: " + m.attribute);
        auto values = found->strings();
        for (const auto& v : m.values) std::erase(values, v);
        if (m.values.empty() || values.empty())
          e.remove_attribute(name);
        else
          e.set_attribute(name, values);
      } else if (!found) {
        e.add_attribute(name, m.values);
      } else if (m.kind == Modification::Kind::add) {
        auto values = found->strings();
        values.insert(values.end(), m.values.begin(), m.values.end());
        e.set_attribute(name, values);
      } else {
        e.set_attribute(name, m.values);
      }
    }
    return {true, "", ""};
  }

  OpOutcome modrdn(const Operation& op) {
    auto old_key = normalize_dn(op.dn);
    auto parent = op.new_superior().empty() ? parent_dn(op.dn) : op.new_superior();
    auto new_dn = join_dn(op.new_rdn(), parent);
    auto new_key = normalize_dn(new_dn);
    if (entries.count(new_key)) return fail(op, "Already exists");
    if (!entries.count(normalize_dn(parent))) return fail(op, "No such object (new superior)");
    std::map<std::string, DirectoryEntry> moved;
    for (auto it = entries.begin(); it != entries.end();) {
      const auto& k = it->first;
      bool self = k == old_key;
      bool below = k.size() > old_key.size() &&
                   k.compare(k.size() - old_key.size() - 1, old_key.size() + 1, "," + old_key) == 0;
      if (!self && !below) {
        ++it;
        continue;
      }
      auto e = std::move(it->second);
      // RDNs below the moved entry
      auto prefix = std::string(e.dn().substr(0, e.dn().size() - op.dn.size()));
      e.set_dn(self ? new_dn : prefix + new_dn);
      if (self) {
        auto rdn = parse_dn(op.new_rdn()).value().rdns[0].avas[0];
        if (e.find(rdn.type)) e.set_attribute(rdn.type, {rdn.value});
      }
      moved[normalize_dn(e.dn())] = std::move(e);
      it = entries.erase(it);
    }
    entries.merge(moved);
    return {true, "", ""};
  }
};

// Keeps links and the change log in memory.
class MemoryStore : public PortalStore {
 public:
  PortalSnapshot portal;
  std::vector<IdentityLink> links;
  std::vector<ChangeRecord> log;
  int fail_intents_after = -1;  // fail record_intents once this many records exist

  Result<PortalSnapshot> load_snapshot() override { return portal; }
  int partial_loads = 0;
  // The contract of PortalStore::load_partial_snapshot, on the snapshot in memory.
  Result<PortalSnapshot> load_partial_snapshot(const PartialSnapshotRequest& want) override {
    ++partial_loads;
    PortalSnapshot p = portal;
    p.partial = true;
    p.account_count = portal.accounts.size();
    std::set<RowId> ids = want.accounts, units = want.units;
    for (const auto& s : portal.shared_accounts)
      if (want.shared_accounts.count(s.id)) ids.insert(s.custodian_id);
    for (bool grew = true; grew;) {
      grew = false;
      for (const auto& u : portal.units)
        if (u.parent_id && units.count(*u.parent_id) && units.insert(u.id).second) grew = true;
    }
    std::set<std::string> names;
    for (const auto& a : portal.accounts)
      if (ids.count(a.id) || units.count(a.org_unit_id)) names.insert(to_lower_ascii(a.username()));
    std::erase_if(p.accounts,
                  [&](const Account& a) { return !names.count(to_lower_ascii(a.username())); });
    std::set<RowId> kept;
    for (const auto& a : p.accounts) kept.insert(a.id);
    std::erase_if(p.account_systems, [&](const Grant& g) { return !kept.count(g.holder_id); });
    return p;
  }
  Result<std::vector<IdentityLink>> load_links() override { return links; }
  Status save_links(const std::vector<IdentityLink>& upsert,
                    const std::vector<IdentityLink>& remove) override {
    for (const auto& r : remove)
      std::erase_if(links, [&](auto& l) { return l.kind == r.kind && l.portal_id == r.portal_id; });
    for (const auto& u : upsert) {
      std::erase_if(links, [&](auto& l) { return l.kind == u.kind && l.portal_id == u.portal_id; });
      links.push_back(u);
    }
    return Status::ok();
  }
  Result<std::int64_t> begin_run(const std::string&, const std::string&,
                                 const std::string&) override {
    return ++runs_;
  }
  std::map<std::int64_t, std::string> run_status;  // what finish_run recorded, by run id
  Status finish_run(std::int64_t run_id, const std::string&, const std::string& status,
                    const std::string&) override {
    run_status[run_id] = status;
    return Status::ok();
  }
  Status record_intents(std::vector<ChangeRecord>& records) override {
    if (fail_intents_after >= 0 && log.size() >= static_cast<std::size_t>(fail_intents_after))
      return Status::error("change log disk full");
    for (auto& r : records) {
      r.id = static_cast<std::int64_t>(log.size()) + 1;
      log.push_back(r);
    }
    return Status::ok();
  }
  Status record_outcomes(const std::vector<ChangeOutcome>& outcomes) override {
    for (const auto& o : outcomes) {
      log[o.id - 1].result = o.result;
      log[o.id - 1].message = o.message;
    }
    return Status::ok();
  }
  // As ps_posix_ids: kept in the snapshot it returns, a row or a number never recorded twice.
  Status save_posix_ids(const std::vector<PosixId>& ids, const std::string&) override {
    for (const auto& id : ids)
      for (const auto& have : portal.posix_ids)
        if ((have.kind == id.kind && have.portal_id == id.portal_id) ||
            (posix_space(have.kind) == posix_space(id.kind) && have.number == id.number))
          return Status::error("POSIX number " + std::to_string(id.number) + " recorded twice");
    portal.posix_ids.insert(portal.posix_ids.end(), ids.begin(), ids.end());
    return Status::ok();
  }

  std::vector<QuarantineEntry> quarantine;
  Result<std::vector<QuarantineEntry>> load_quarantine() override { return quarantine; }
  Status save_quarantine(const std::vector<QuarantineEntry>& entries,
                         const std::vector<ChangeRecord>& records = {}) override {
    quarantine = entries;
    log.insert(log.end(), records.begin(), records.end());
    return Status::ok();
  }

  std::vector<ScheduledChange> scheduled;
  std::vector<Hold> holds;

  Result<std::vector<ScheduledChange>> load_scheduled_changes() override { return scheduled; }
  Status add_scheduled_changes(std::vector<ScheduledChange>& rows,
                               std::vector<ChangeRecord> records = {}) override {
    for (std::size_t i = 0; i < rows.size(); ++i) {
      rows[i].id = static_cast<RowId>(scheduled.size()) + 1;
      scheduled.push_back(rows[i]);
      if (i < records.size()) {
        records[i].subject_id = rows[i].id;
        log.push_back(records[i]);
      }
    }
    return Status::ok();
  }
  Status cancel_scheduled_change(RowId id, const ChangeRecord& record) override {
    for (auto& c : scheduled)
      if (c.id == id && c.state == ChangeState::pending) {
        c.state = ChangeState::cancelled;
        log.push_back(record);
        return Status::ok();
      }
    return Status::error("scheduled change " + std::to_string(id) + " is not pending");
  }
  Status record_decision(const RuleDecision& d, const ChangeRecord& record) override {
    if (d.changes_account()) apply_update(portal, d.update);
    for (auto& c : scheduled)
      if (d.scheduled_change_id && c.id == d.scheduled_change_id &&
          c.state == ChangeState::pending) {
        c.state = d.state;
        c.outcome = d.outcome;
      }
    log.push_back(record);
    return Status::ok();
  }
  Status set_custodian(RowId shared, RowId custodian, const ChangeRecord& record) override {
    for (auto& s : portal.shared_accounts)
      if (s.id == shared) s.custodian_id = custodian;
    log.push_back(record);
    return Status::ok();
  }
  Result<std::vector<Hold>> load_holds() override { return holds; }
  Result<RowId> save_hold(const Hold& hold, const ChangeRecord& record) override {
    log.push_back(record);
    if (hold.id == 0) {
      holds.push_back(hold);
      holds.back().id = static_cast<RowId>(holds.size());
      return holds.back().id;
    }
    holds[hold.id - 1] = hold;
    return hold.id;
  }

  std::vector<JournalEntry> journal;

  Result<std::vector<JournalEntry>> read_journal(std::int64_t after_id, int limit) override {
    std::vector<JournalEntry> out;
    for (const auto& e : journal)
      if (e.id > after_id && out.size() < static_cast<std::size_t>(limit)) out.push_back(e);
    return out;
  }
  Result<std::int64_t> journal_head() override { return journal.empty() ? 0 : journal.back().id; }
  Result<std::int64_t> trim_journal(std::int64_t up_to_id) override {
    return static_cast<std::int64_t>(
        std::erase_if(journal, [&](const JournalEntry& e) { return e.id <= up_to_id; }));
  }

  Result<int> mark_interrupted(std::int64_t run, const std::string& note) override {
    int n = 0;
    for (auto& r : log)
      if (r.result == "pending" && r.run_id != run) {
        r.result = "unknown";
        r.message = note;
        ++n;
      }
    return n;
  }

 private:
  std::int64_t runs_ = 0;
};

}  // namespace ps::testing
