// The batch half of the contract: operations in, one result per operation out.
#include <openssl/crypto.h>

#include <array>

#include "connectors/apihost/apihost_wire.h"
#include "connectors/apihost/wire_values.h"
#include "core/enum_names.h"

namespace ps::apihost {

namespace {

using nlohmann::json;

// Zeroes the "password" strings of a list of encoded operations before the tree is freed.
void wipe_passwords(json& list) {
  for (auto& op : list) {
    if (!op.is_object()) continue;
    auto password = op.find("password");
    if (password != op.end() && password->is_string()) wipe_text(password->get_ref<std::string&>());
  }
}

constexpr std::array<std::pair<WireAction, OpType>, 7> kOpActions = {{
    {WireAction::add, OpType::add},
    {WireAction::modify, OpType::modify},
    {WireAction::move, OpType::move},
    {WireAction::rename, OpType::rename},
    {WireAction::disable, OpType::disable},
    {WireAction::enable, OpType::enable},
    {WireAction::remove, OpType::remove},
}};

constexpr std::array<std::pair<WireAction, std::string_view>, 9> kActionNames = {{
    {WireAction::add, "add"},
    {WireAction::modify, "modify"},
    {WireAction::move, "move"},
    {WireAction::rename, "rename"},
    {WireAction::disable, "disable"},
    {WireAction::enable, "enable"},
    {WireAction::remove, "delete"},
    {WireAction::set_password, "set_password"},
    {WireAction::unlock, "unlock"},
}};

std::string_view mod_kind_name(Modification::Kind kind) {
  return kind == Modification::Kind::add      ? "add"
         : kind == Modification::Kind::remove ? "remove"
                                              : "replace";
}

json encode_mod(const Modification& mod) {
  json values = json::array();
  for (const auto& v : mod.values) values.push_back(encode_value(v));
  return {{"kind", mod_kind_name(mod.kind)}, {"attribute", mod.attribute}, {"values", values}};
}

json encode_op(const WireOp& w) {
  const auto& op = w.op;
  json out = {{"key", w.key}, {"action", std::string(to_string(w.action))}, {"dn", op.dn}};
  if (w.action == WireAction::set_password) {
    out["password"] = w.password;
    out["must_change"] = w.must_change;
    return out;
  }
  if (w.action == WireAction::unlock) return out;
  out["object"] = std::string(to_string(op.kind));
  if (!op.subject.empty()) out["subject"] = op.subject;
  if (!op.anchor.empty()) out["anchor"] = op.anchor;
  if (!op.new_rdn().empty()) out["new_rdn"] = op.new_rdn();
  if (!op.new_superior().empty()) out["new_superior"] = op.new_superior();
  if (auto all = op.modifications(); !all.empty()) {
    json mods = json::array();
    for (const auto& m : all) mods.push_back(encode_mod(m));
    out["mods"] = mods;
  }
  return out;
}

Result<Modification> decode_mod(const json& in, const std::string& where) {
  if (!in.is_object()) return Error{where + ": must be an object"};
  Modification mod;
  auto kind = string_field(in, "kind", where + ".");
  if (!kind) return Error{kind.error()};
  if (kind.value() == "add")
    mod.kind = Modification::Kind::add;
  else if (kind.value() == "remove")
    mod.kind = Modification::Kind::remove;
  else if (kind.value() == "replace")
    mod.kind = Modification::Kind::replace;
  else
    return Error{where + ".kind: must be add, remove or replace"};
  auto attribute = string_field(in, "attribute", where + ".");
  if (!attribute) return Error{attribute.error()};
  mod.attribute = attribute.value();
  auto values = in.find("values");
  if (values != in.end()) {
    if (!values->is_array()) return Error{where + ".values: must be an array"};
    for (std::size_t i = 0; i < values->size(); ++i) {
      auto v = decode_value((*values)[i], where + ".values[" + std::to_string(i) + "]");
      if (!v) return Error{v.error()};
      mod.values.push_back(std::move(v.value()));
    }
  }
  return mod;
}

Status decode_object_kind(const json& in, const std::string& where, Operation& op) {
  auto object = string_field(in, "object", where, false);
  if (!object) return object.status();
  if (object.value().empty()) return Status::ok();
  auto kind = parse_object_kind(object.value());
  if (!kind)
    return Status::error(where + "object: \"" + object.value() + "\" is not an object kind");
  op.kind = *kind;
  return Status::ok();
}

Status decode_op_fields(const json& in, const std::string& where, WireOp& w) {
  auto& op = w.op;
  for (auto [action, type] : kOpActions)
    if (action == w.action) op.type = type;
  if (auto s = decode_object_kind(in, where, op); !s) return s;
  Relocation target;
  for (auto [key, out] : {std::pair{"subject", &op.subject},
                          {"anchor", &op.anchor},
                          {"new_rdn", &target.new_rdn},
                          {"new_superior", &target.new_superior}}) {
    auto value = string_field(in, key, where, false);
    if (!value) return value.status();
    *out = std::move(value.value());
  }
  if (!target.new_rdn.empty() || !target.new_superior.empty()) op.set_target(std::move(target));
  if ((op.type == OpType::move || op.type == OpType::rename) && op.new_rdn().empty())
    return Status::error(where + "new_rdn: is required for " + std::string(to_string(w.action)));
  auto mods = in.find("mods");
  if (mods == in.end()) return Status::ok();
  if (!mods->is_array()) return Status::error(where + "mods: must be an array");
  for (std::size_t i = 0; i < mods->size(); ++i) {
    auto mod = decode_mod((*mods)[i], where + "mods[" + std::to_string(i) + "]");
    if (!mod) return mod.status();
    op.mods.push_back(std::move(mod.value()));
  }
  return Status::ok();
}

Result<WireOp> decode_op(const json& in, const std::string& where) {
  if (!in.is_object()) return Error{where + ": must be an object"};
  WireOp w;
  auto key = string_field(in, "key", where + ".");
  if (!key) return Error{key.error()};
  if (key.value().empty() || key.value().size() > 200)
    return Error{where + ".key: must be 1 to 200 characters"};
  w.key = key.value();
  auto action = string_field(in, "action", where + ".");
  if (!action) return Error{action.error()};
  auto known = parse_wire_action(action.value());
  if (!known)
    return Error{where + ".action: \"" + action.value() +
                 "\" is not in the contract (add, modify, move, rename, disable, enable, delete, "
                 "set_password, unlock)"};
  w.action = *known;
  auto dn = string_field(in, "dn", where + ".");
  if (!dn) return Error{dn.error()};
  w.op.dn = dn.value();
  if (w.action == WireAction::set_password) {
    auto password = string_field(in, "password", where + ".");
    if (!password) return Error{password.error()};
    w.password = password.value();
    auto must_change = in.find("must_change");
    if (must_change != in.end() && !must_change->is_null()) {
      if (!must_change->is_boolean()) return Error{where + ".must_change: must be true or false"};
      w.must_change = must_change->get<bool>();
    }
    return w;
  }
  if (w.action == WireAction::unlock) return w;
  if (auto s = decode_op_fields(in, where + ".", w); !s) return Error{s.message()};
  return w;
}

}  // namespace

void wipe_text(std::string& text) {
  text.resize(text.capacity());
  if (!text.empty()) OPENSSL_cleanse(text.data(), text.size());
  text.clear();
}

std::string_view to_string(OpStatus status) {
  switch (status) {
    case OpStatus::applied:
      return "applied";
    case OpStatus::already_applied:
      return "already_applied";
    case OpStatus::refused:
      return "refused";
    case OpStatus::outcome_unknown:
      return "outcome_unknown";
  }
  return "refused";
}

std::string_view to_string(WireAction action) { return name_in(kActionNames, action); }

std::optional<WireAction> parse_wire_action(std::string_view name) {
  return value_in<WireAction>(kActionNames, name);
}

WireAction wire_action(OpType type) {
  for (const auto& [action, op] : kOpActions)
    if (op == type) return action;
  return WireAction::modify;
}

std::string summarize(const WireOp& op) {
  std::string text = std::string(to_string(op.action)) + " " + op.op.dn;
  if (!op.op.new_rdn().empty()) {
    text += " -> " + op.op.new_rdn();
    if (!op.op.new_superior().empty()) text += "," + op.op.new_superior();
  }
  return text;
}

std::string encode_batch(const std::vector<WireOp>& ops) {
  json root = json::object();
  auto& list = root["operations"] = json::array();
  for (const auto& op : ops) list.push_back(encode_op(op));  // moved in: no copy left behind
  auto body = dump(root);
  wipe_passwords(root["operations"]);
  return body;
}

Result<std::vector<WireOp>> decode_batch(std::string_view body) {
  auto root = parse_object(body);
  if (!root) return Error{root.error()};
  auto list = root->find("operations");
  if (list == root->end() || !list->is_array())
    return Error{"operations: is required (an array of operations)"};
  std::vector<WireOp> ops;
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto op = decode_op((*list)[i], "operations[" + std::to_string(i) + "]");
    if (!op) {
      wipe_passwords(*list);
      return Error{op.error()};
    }
    ops.push_back(std::move(op.value()));
  }
  wipe_passwords(*list);
  return ops;
}

std::string encode_results(const std::vector<OpResult>& results) {
  json list = json::array();
  for (const auto& r : results) {
    json item = {{"key", r.key}, {"status", to_string(r.status)}};
    if (!r.message.empty()) item["message"] = r.message;
    if (!r.anchor.empty()) item["anchor"] = r.anchor;
    list.push_back(item);
  }
  return dump(json{{"results", list}});
}

Result<std::vector<OpResult>> decode_results(std::string_view body) {
  auto root = parse_object(body);
  if (!root) return Error{root.error()};
  auto list = root->find("results");
  if (list == root->end() || !list->is_array()) return Error{"results: is required"};
  std::vector<OpResult> results;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto& item = (*list)[i];
    std::string where = "results[" + std::to_string(i) + "]";
    if (!item.is_object()) return Error{where + ": must be an object"};
    where += ".";
    OpResult r;
    auto key = string_field(item, "key", where);
    auto status = string_field(item, "status", where);
    auto message = string_field(item, "message", where, false);
    auto anchor = string_field(item, "anchor", where, false);
    for (const auto* field : {&key, &status, &message, &anchor})
      if (!*field) return Error{field->error()};
    r.key = key.value();
    if (status.value() == "applied")
      r.status = OpStatus::applied;
    else if (status.value() == "already_applied")
      r.status = OpStatus::already_applied;
    else if (status.value() == "refused")
      r.status = OpStatus::refused;
    else if (status.value() == "outcome_unknown")
      r.status = OpStatus::outcome_unknown;
    else
      return Error{where + "status: unknown value \"" + status.value() + "\""};
    r.message = message.value();
    r.anchor = anchor.value();
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace ps::apihost
