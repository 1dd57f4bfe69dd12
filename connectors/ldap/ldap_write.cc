#include "connectors/ldap/ldap_write.h"

#include <sys/time.h>

#include <vector>

namespace ps {

namespace {

// LDAPMod arrays pointing into the operation's strings; valid while the operation is.
class ModList {
 public:
  explicit ModList(const std::vector<Modification>& mods) {
    mods_.resize(mods.size());
    values_.resize(mods.size());
    for (std::size_t i = 0; i < mods.size(); ++i) {
      const auto& m = mods[i];
      auto& vals = values_[i];
      for (const auto& v : m.values)
        vals.bervals.push_back({static_cast<ber_len_t>(v.size()), const_cast<char*>(v.data())});
      for (auto& b : vals.bervals) vals.pointers.push_back(&b);
      vals.pointers.push_back(nullptr);
      int kind = m.kind == Modification::Kind::add      ? LDAP_MOD_ADD
                 : m.kind == Modification::Kind::remove ? LDAP_MOD_DELETE
                                                        : LDAP_MOD_REPLACE;
      mods_[i].mod_op = kind | LDAP_MOD_BVALUES;
      mods_[i].mod_type = const_cast<char*>(m.attribute.c_str());
      mods_[i].mod_bvalues = m.values.empty() ? nullptr : vals.pointers.data();
    }
    for (auto& m : mods_) pointers_.push_back(&m);
    pointers_.push_back(nullptr);
  }
  LDAPMod** get() { return pointers_.data(); }

 private:
  struct Values {
    std::vector<berval> bervals;
    std::vector<berval*> pointers;
  };
  std::vector<LDAPMod> mods_;
  std::vector<Values> values_;
  std::vector<LDAPMod*> pointers_;
};

// RFC 4527 post-read control asking for the anchor of the entry just added.
LDAPControl* post_read_control(const std::string& attribute) {
  BerElement* ber = ber_alloc_t(LBER_USE_DER);
  if (!ber) return nullptr;
  LDAPControl* control = nullptr;
  berval value{0, nullptr};
  if (ber_printf(ber, "{s}", attribute.c_str()) != -1 && ber_flatten2(ber, &value, 0) == 0)
    ldap_control_create(LDAP_CONTROL_POST_READ, 0, &value, 1, &control);
  ber_free(ber, 1);
  return control;
}

// The first value of `attribute` in a post-read response control, or "".
std::string read_post_read(LDAPControl** controls, const std::string& attribute) {
  LDAPControl* c = ldap_control_find(LDAP_CONTROL_POST_READ, controls, nullptr);
  if (!c) return "";
  BerElement* ber = ber_init(&c->ldctl_value);
  if (!ber) return "";
  std::string out;
  berval dn{0, nullptr};
  if (ber_scanf(ber, "{m{", &dn) != LBER_ERROR) {
    berval name{0, nullptr};
    while (out.empty() && ber_scanf(ber, "{m", &name) != LBER_ERROR) {
      BerVarray values = nullptr;
      if (ber_scanf(ber, "[W]}", &values) == LBER_ERROR || !values) break;
      if (strncasecmp(name.bv_val, attribute.c_str(), name.bv_len) == 0 && values[0].bv_val)
        out.assign(values[0].bv_val, values[0].bv_len);
      ber_bvarray_free(values);
    }
  }
  ber_free(ber, 1);
  return out;
}

}  // namespace

Status LdapWriter::submit(std::uint64_t ticket, const Operation& op) {
  LDAP* ld = conn_.handle();
  int msgid = -1;
  int rc = LDAP_OTHER;
  switch (op.type) {
    case OpType::add: {
      ModList mods(op.mods);
      LDAPControl* post_read = post_read_control(conn_.settings().anchor_attribute);
      LDAPControl* controls[] = {post_read, nullptr};
      rc = ldap_add_ext(ld, op.dn.c_str(), mods.get(), post_read ? controls : nullptr, nullptr,
                        &msgid);
      if (post_read) ldap_control_free(post_read);
      break;
    }
    case OpType::modify:
    case OpType::enable:
    case OpType::disable: {
      ModList mods(op.mods);
      rc = ldap_modify_ext(ld, op.dn.c_str(), mods.get(), nullptr, nullptr, &msgid);
      break;
    }
    case OpType::move:
    case OpType::rename:
      rc = ldap_rename(ld, op.dn.c_str(), op.new_rdn.c_str(),
                       op.new_superior.empty() ? nullptr : op.new_superior.c_str(), 1, nullptr,
                       nullptr, &msgid);
      break;
    case OpType::remove:
      rc = ldap_delete_ext(ld, op.dn.c_str(), nullptr, nullptr, &msgid);
      break;
  }
  if (rc != LDAP_SUCCESS)
    return Status::error(std::string(to_string(op.type)) + " " + op.dn + ": " + conn_.last_error());
  pending_[msgid] = {ticket, op.type, op.dn};
  return Status::ok();
}

Result<Completion> LdapWriter::wait_completion() {
  LDAP* ld = conn_.handle();
  timeval timeout{conn_.settings().timeout_seconds, 0};
  LDAPMessage* msg = nullptr;
  int type = ldap_result(ld, LDAP_RES_ANY, LDAP_MSG_ONE, &timeout, &msg);
  if (type == 0)
    return Result<Completion>::failure("no answer from " + conn_.settings().url + " within " +
                                       std::to_string(conn_.settings().timeout_seconds) +
                                       " s with " + std::to_string(pending_.size()) +
                                       " operations outstanding");
  if (type < 0)
    return Result<Completion>::failure("connection to " + conn_.settings().url + " lost with " +
                                       std::to_string(pending_.size()) +
                                       " operations outstanding: " + conn_.last_error());
  int msgid = ldap_msgid(msg);
  auto it = pending_.find(msgid);
  if (it == pending_.end()) {
    ldap_msgfree(msg);
    return Result<Completion>::failure("unexpected LDAP message " + std::to_string(msgid) +
                                       " from " + conn_.settings().url);
  }
  Pending p = it->second;
  pending_.erase(it);
  int rc = LDAP_OTHER;
  char* diagnostic = nullptr;
  LDAPControl** controls = nullptr;
  ldap_parse_result(ld, msg, &rc, nullptr, &diagnostic, nullptr, &controls, 1);
  Completion c;
  c.ticket = p.ticket;
  c.outcome.ok = rc == LDAP_SUCCESS;
  if (!c.outcome.ok)
    c.outcome.message =
        std::string(to_string(p.type)) + " " + p.dn + ": " + ldap_error_text(rc, diagnostic);
  else if (p.type == OpType::add)
    c.outcome.anchor = read_post_read(controls, conn_.settings().anchor_attribute);
  ldap_memfree(diagnostic);
  ldap_controls_free(controls);
  return c;
}

}  // namespace ps
