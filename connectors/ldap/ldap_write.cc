#include "connectors/ldap/ldap_write.h"

#include "connectors/ldap/ldap_anchor.h"
#include "connectors/ldap/ldap_error.h"
#include "connectors/ldap/ldap_mods.h"
#include "connectors/ldap/ldap_post_read.h"

namespace ps {

namespace {

std::string failure_message(OpType type, const std::string& dn, const std::string& reason) {
  std::string text(to_string(type));
  return text + " " + dn + ": " + reason;
}

bool needs_anchor_lookup(OpType type, const Completion& done) {
  return type == OpType::add && done.outcome.ok && done.outcome.anchor.empty();
}

std::string count_operations(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " operation" : " operations");
}

}  // namespace

LdapWriter::LdapWriter(LDAP* ld, const LdapSettings& settings)
    : ld_(ld),
      url_(settings.url),
      anchor_attribute_(settings.anchor_attribute),
      timeout_seconds_(settings.timeout_seconds) {}

Status LdapWriter::submit(std::uint64_t ticket, const Operation& op) {
  if (!broken_.empty()) return Status::error(broken_);
  bool changes_attributes =
      op.type == OpType::modify || op.type == OpType::enable || op.type == OpType::disable;
  if (changes_attributes && op.mods.empty()) {
    // Nothing the server could do: a planner bug, reported rather than sent.
    local_failures_.push_back({ticket, {false, failure_message(op.type, op.dn, "no changes"), ""}});
    return Status::ok();
  }
  int msgid = 0;
  int rc = send(op, &msgid);
  if (rc == LDAP_SUCCESS) {
    pending_.emplace(msgid, Pending{ticket, op.type, op.dn});
    return Status::ok();
  }
  if (is_connection_error(rc)) return Status::error(connection_lost(rc).message);
  // Refused by libldap before sending (a malformed request): this operation fails, others go on.
  local_failures_.push_back(
      {ticket, {false, failure_message(op.type, op.dn, describe_ldap_result(rc, nullptr)), ""}});
  return Status::ok();
}

int LdapWriter::send(const Operation& op, int* msgid) {
  const char* dn = op.dn.c_str();
  switch (op.type) {
    case OpType::add: {
      auto all = op.modifications();  // LdapMods points into it until the add is encoded
      LdapMods mods(all, LdapMods::Purpose::add_entry);
      LDAPControl* post_read = make_post_read_control(anchor_attribute_);
      LDAPControl* controls[] = {post_read, nullptr};
      int rc = ldap_add_ext(ld_, dn, mods.get(), controls, nullptr, msgid);
      ldap_control_free(post_read);
      return rc;
    }
    case OpType::modify:
    case OpType::enable:
    case OpType::disable: {
      LdapMods mods(op.mods, LdapMods::Purpose::modify_entry);
      return ldap_modify_ext(ld_, dn, mods.get(), nullptr, nullptr, msgid);
    }
    case OpType::move:
    case OpType::rename: {
      const char* superior = op.new_superior().empty() ? nullptr : op.new_superior().c_str();
      return ldap_rename(ld_, dn, op.new_rdn().c_str(), superior, 1, nullptr, nullptr, msgid);
    }
    case OpType::remove:
      return ldap_delete_ext(ld_, dn, nullptr, nullptr, msgid);
  }
  return LDAP_PARAM_ERROR;
}

Result<Completion> LdapWriter::wait_completion() {
  if (!local_failures_.empty()) {
    Completion failed = std::move(local_failures_.front());
    local_failures_.pop_front();
    return failed;
  }
  if (!broken_.empty()) return Error{broken_};
  if (pending_.empty() && anchor_lookups_.empty())
    return Error{"wait_completion: no operation outstanding on " + url_};
  while (true) {
    timeval timeout{timeout_seconds_, 0};
    LDAPMessage* response = nullptr;
    int type = ldap_result(ld_, LDAP_RES_ANY, LDAP_MSG_ONE, &timeout, &response);
    if (type == 0)
      return Error{"no response from " + url_ + " within " + std::to_string(timeout_seconds_) +
                   " s; " + count_operations(pending_.size() + anchor_lookups_.size()) +
                   " outstanding"};
    if (type < 0) {
      int rc = LDAP_SERVER_DOWN;
      ldap_get_option(ld_, LDAP_OPT_RESULT_CODE, &rc);
      return connection_lost(rc);
    }
    int msgid = ldap_msgid(response);
    if (auto lookup = anchor_lookups_.find(msgid); lookup != anchor_lookups_.end()) {
      bool over = take_lookup_response(lookup->second, response);
      ldap_msgfree(response);
      if (!over) continue;
      Completion done = std::move(lookup->second);
      anchor_lookups_.erase(lookup);
      return done;
    }
    auto it = pending_.find(msgid);
    if (it == pending_.end()) {
      // msgid 0 is an unsolicited notification: the server is closing the connection.
      bool notice = msgid == 0;
      ldap_msgfree(response);
      if (notice) return connection_lost(LDAP_SERVER_DOWN);
      continue;  // a late answer to an abandoned search
    }
    Completion done = complete(it->second, response);
    ldap_msgfree(response);
    Pending pending = std::move(it->second);
    pending_.erase(it);
    if (!needs_anchor_lookup(pending.type, done)) return done;
    int lookup_id = 0;
    int rc = send_anchor_lookup(pending.dn, &lookup_id);
    if (rc == LDAP_SUCCESS)
      anchor_lookups_.emplace(lookup_id, std::move(done));
    else if (is_connection_error(rc))
      return connection_lost(rc);
    else
      return done;  // the add stands; its anchor is found by the next read
  }
}

int LdapWriter::send_anchor_lookup(const std::string& dn, int* msgid) {
  char* attributes[] = {anchor_attribute_.data(), nullptr};
  return ldap_search_ext(ld_, dn.c_str(), LDAP_SCOPE_BASE, "(objectClass=*)", attributes, 0,
                         nullptr, nullptr, nullptr, LDAP_NO_LIMIT, msgid);
}

bool LdapWriter::take_lookup_response(Completion& done, LDAPMessage* response) {
  int type = ldap_msgtype(response);
  if (type == LDAP_RES_SEARCH_ENTRY) {
    berval** values = ldap_get_values_len(ld_, response, anchor_attribute_.c_str());
    if (values && values[0])
      done.outcome.anchor =
          format_anchor(anchor_attribute_, {values[0]->bv_val, values[0]->bv_len});
    ldap_value_free_len(values);
  }
  return type == LDAP_RES_SEARCH_RESULT;
}

Completion LdapWriter::complete(const Pending& pending, LDAPMessage* response) {
  int code = LDAP_SUCCESS;
  char* diagnostic = nullptr;
  LDAPControl** controls = nullptr;
  int rc = ldap_parse_result(ld_, response, &code, nullptr, &diagnostic, nullptr, &controls, 0);
  if (rc != LDAP_SUCCESS) code = rc;
  Completion done{pending.ticket, {code == LDAP_SUCCESS, "", ""}};
  if (!done.outcome.ok)
    done.outcome.message =
        failure_message(pending.type, pending.dn, describe_ldap_result(code, diagnostic));
  else if (pending.type == OpType::add)
    done.outcome.anchor = find_post_read_anchor(controls, anchor_attribute_);
  ldap_memfree(diagnostic);
  ldap_controls_free(controls);
  return done;
}

Error LdapWriter::connection_lost(int rc) {
  broken_ = "connection to " + url_ + " lost with " +
            count_operations(pending_.size() + anchor_lookups_.size()) +
            " outstanding (outcome unknown): " + describe_session_error(ld_, rc);
  return Error{broken_};
}

}  // namespace ps
