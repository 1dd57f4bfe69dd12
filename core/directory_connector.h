// The engine's only view of a directory server. Implementations: connectors/ldap (libldap, openldap
// and ad flavors) and, in tests, an in-memory directory. Modelled on leveldb's Env: one abstract
// class, each method's contract above it, results returned; DirectoryConnectorWrapper forwards
// everything so a test or decorator overrides only what it needs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/directory.h"
#include "core/result.h"
#include "core/selective_read.h"

namespace ps {

struct ReadSpec {
  std::string base_dn;
  std::vector<std::string> attributes;  // attribute types the planner compares
};

// The openldap flavor's lock policy (core/mapping.h, MappingOptions::lock_policy_dn): the
// password-policy entry locked entries name, without which slapd's ppolicy lets them bind.
struct LockPolicySpec {
  std::string policy_dn;
  std::string base_dn;
  bool create = true;  // false: only look (portalsync plan); nothing is written
};

struct LockPolicyReport {
  std::vector<std::string> notes;  // what was created or repaired (or, with create false, would)
  // The policy's parent is base_dn, which does not exist yet: nothing was written; the caller
  // creates the base (a change-log operation like any other) and asks again.
  bool base_missing = false;
};

struct OpOutcome {
  bool ok = false;
  std::string message;  // on failure: "<op> <dn>: <reason>: <server diagnostic>"
  std::string anchor;   // for a successful add: the new entry's anchor, when the server gives it
};

struct Completion {
  std::uint64_t ticket = 0;
  OpOutcome outcome;
};

class DirectoryConnector {
 public:
  virtual ~DirectoryConnector() = default;

  // Reads every entry strictly below spec.base_dn (paged), with the requested attributes and the
  // anchor. A missing base is not an error: base_exists is false and entries empty. Fails when the
  // server cannot be reached or refuses the search.
  virtual Result<DirectoryReadResult> read_subtree(const ReadSpec& spec) = 0;

  // Reads what a scoped run needs (core/selective_read.h): below spec.base_dn, every unit and
  // group, and the user entries named by anchor or username; in the groups, only the members
  // among those users. The default reads the whole subtree and selects locally; a connector that
  // can ask the server for just these entries should.
  virtual Result<DirectoryReadResult> read_selected(const SelectiveReadSpec& spec) {
    auto all = read_subtree({spec.base_dn, spec.attributes});
    if (!all) return all;
    return select_entries(std::move(all.value()), spec);
  }

  // Whether read_units may read read_selected's unit entries apart: they need nothing from the
  // portal, so a scoped run reads them while it reads the portal, and passes them to
  // read_selected in spec.units. Not by default (read_selected reads the whole subtree).
  virtual bool reads_units_apart() const { return false; }
  // Only where reads_units_apart(): every unit entry below spec.base_dn, as read_selected would
  // return them (base_exists false when the base is missing).
  virtual Result<DirectoryReadResult> read_units(const SelectiveReadSpec& spec) {
    return Error{"this directory connector does not read units apart (" + spec.base_dn + ")"};
  }

  // Sends one operation without waiting for it. The ticket comes back with its completion. Fails
  // only when the operation could not be sent at all (connection lost); the engine then stops.
  virtual Status submit(std::uint64_t ticket, const Operation& op) = 0;

  // Blocks until one submitted operation completes. Fails when the connection is lost while
  // operations are outstanding (their outcome is then unknown).
  virtual Result<Completion> wait_completion() = 0;

  // Sets the password of the account entry at dn at once (synchronously, outside the pipeline).
  // Fails without sending anything when the connection is not encrypted. must_change: the user
  // must choose a new one at the next sign-in. The password is never logged or kept.
  virtual Status set_password(const std::string& dn, std::string_view password,
                              bool must_change) = 0;

  // Clears a lockout the server set after failed sign-ins (AD lockoutTime=0; OpenLDAP ppolicy
  // pwdAccountLockedTime, unless it is portalsync's own permanent lock of a disabled account).
  virtual Status unlock(const std::string& dn) = 0;

  // Makes sure that a locked entry cannot bind, before a run writes any lock: checks that the
  // server enforces password policies, creates or repairs the lock policy entry, and proves what
  // it wrote with a bind that must be refused. Returns what it created or repaired
  // (or, with create false, would). Fails, naming what to configure, when a lock would not stop a
  // bind. The default has nothing to prepare (AD locks by userAccountControl).
  virtual Result<LockPolicyReport> prepare_lock_policy(const LockPolicySpec&) {
    return LockPolicyReport{};
  }
};

class DirectoryConnectorWrapper : public DirectoryConnector {
 public:
  explicit DirectoryConnectorWrapper(DirectoryConnector& target) : target_(target) {}
  Result<DirectoryReadResult> read_subtree(const ReadSpec& spec) override {
    return target_.read_subtree(spec);
  }
  Result<DirectoryReadResult> read_selected(const SelectiveReadSpec& spec) override {
    return target_.read_selected(spec);
  }
  bool reads_units_apart() const override { return target_.reads_units_apart(); }
  Result<DirectoryReadResult> read_units(const SelectiveReadSpec& spec) override {
    return target_.read_units(spec);
  }
  Status submit(std::uint64_t ticket, const Operation& op) override {
    return target_.submit(ticket, op);
  }
  Result<Completion> wait_completion() override { return target_.wait_completion(); }
  Status set_password(const std::string& dn, std::string_view password, bool must_change) override {
    return target_.set_password(dn, password, must_change);
  }
  Status unlock(const std::string& dn) override { return target_.unlock(dn); }
  Result<LockPolicyReport> prepare_lock_policy(const LockPolicySpec& spec) override {
    return target_.prepare_lock_policy(spec);
  }

 protected:
  DirectoryConnector& target() { return target_; }

 private:
  DirectoryConnector& target_;
};

}  // namespace ps
