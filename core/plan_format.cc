#include "core/plan_format.h"

#include "core/json.h"
#include "core/log.h"

namespace ps {

namespace {

std::string pad(std::string_view s, std::size_t width) {
  std::string out(s);
  if (out.size() < width) out.append(width - out.size(), ' ');
  return out;
}

}  // namespace

std::string plan_to_text(const Plan& plan) {
  std::string out;
  for (const auto& op : plan.operations) {
    out +=
        pad(to_string(op.type), 8) + pad(to_string(op.kind), 9) + escape_control_characters(op.dn);
    if (!op.new_dn().empty()) out += "  ->  " + escape_control_characters(op.new_dn());
    if (!op.reason.empty()) out += "  (" + escape_control_characters(op.reason) + ")";
    if (op.held) out += "  [held by " + op.held_by + "]";
    out += '\n';
  }
  // One line each: a reason names the row, and a row's name may hold a newline.
  for (const auto& r : plan.rejected)
    out += "rejected " + escape_control_characters(r.reason) + '\n';
  for (const auto& w : plan.warnings) out += "warning  " + escape_control_characters(w) + '\n';
  for (const auto& f : plan.frozen) {
    out += "frozen   " + escape_control_characters(f.dn);
    if (f.below) out += " and the " + std::to_string(f.below) + " entries below it";
    out += "  (left as it is: " + escape_control_characters(f.reason) + ")\n";
  }
  const auto& s = plan.summary;
  out += "plan: " + std::to_string(plan.operations.size()) + " operations (" +
         std::to_string(plan.count(OpType::add)) + " add, " +
         std::to_string(plan.count(OpType::modify)) + " modify, " +
         std::to_string(plan.count(OpType::move) + plan.count(OpType::rename)) + " move/rename, " +
         std::to_string(plan.count(OpType::disable)) + " disable, " +
         std::to_string(plan.count(OpType::enable)) + " enable, " +
         std::to_string(plan.count(OpType::remove)) + " delete), " +
         std::to_string(plan.rejected.size()) + " rejected, " + std::to_string(s.unchanged) +
         " unchanged; portal " + std::to_string(s.portal_units) + " units / " +
         std::to_string(s.portal_accounts) + " accounts, directory " +
         std::to_string(s.directory_entries) + " entries\n";
  return out;
}

std::string plan_to_json(const Plan& plan) {
  JsonWriter w;
  w.begin_object().key("base_dn").value(plan.base_dn).key("operations").begin_array();
  for (const auto& op : plan.operations) {
    w.begin_object()
        .key("op")
        .value(to_string(op.type))
        .key("kind")
        .value(to_string(op.kind))
        .key("dn")
        .value(op.dn);
    if (!op.new_dn().empty()) w.key("new_dn").value(op.new_dn());
    if (op.portal_id) w.key("portal_id").value(static_cast<std::int64_t>(op.portal_id));
    w.key("subject").value(op.subject).key("reason").value(op.reason);
    if (op.type == OpType::modify || op.type == OpType::add) {
      w.key("attributes").begin_array();
      for (const auto& m : op.modifications()) w.value(m.attribute);
      w.end_array();
    }
    w.end_object();
  }
  w.end_array().key("rejected").begin_array();
  for (const auto& r : plan.rejected)
    w.begin_object()
        .key("kind")
        .value(to_string(r.kind))
        .key("portal_id")
        .value(static_cast<std::int64_t>(r.portal_id))
        .key("subject")
        .value(r.subject)
        .key("reason")
        .value(r.reason)
        .end_object();
  w.end_array().key("warnings").strings(plan.warnings).key("frozen").begin_array();
  for (const auto& f : plan.frozen)
    w.begin_object()
        .key("dn")
        .value(f.dn)
        .key("reason")
        .value(f.reason)
        .key("entries_below")
        .value(f.below)
        .end_object();
  w.end_array();
  const auto& s = plan.summary;
  w.key("summary")
      .begin_object()
      .key("operations")
      .value(plan.operations.size())
      .key("add")
      .value(plan.count(OpType::add))
      .key("modify")
      .value(plan.count(OpType::modify))
      .key("move")
      .value(plan.count(OpType::move))
      .key("rename")
      .value(plan.count(OpType::rename))
      .key("disable")
      .value(plan.count(OpType::disable))
      .key("enable")
      .value(plan.count(OpType::enable))
      .key("delete")
      .value(plan.count(OpType::remove))
      .key("rejected")
      .value(plan.rejected.size())
      .key("unchanged")
      .value(s.unchanged)
      .key("portal_units")
      .value(s.portal_units)
      .key("portal_accounts")
      .value(s.portal_accounts)
      .key("directory_entries")
      .value(s.directory_entries)
      .end_object();
  w.end_object();
  return w.str();
}

namespace {

std::string base64(std::string_view in) {
  static const char* chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v =
        (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
    for (int shift : {18, 12, 6, 0}) out += chars[(v >> shift) & 63];
  }
  if (i < in.size()) {
    unsigned v =
        (unsigned char)in[i] << 16 | (i + 1 < in.size() ? (unsigned char)in[i + 1] << 8 : 0);
    out += chars[(v >> 18) & 63];
    out += chars[(v >> 12) & 63];
    out += i + 1 < in.size() ? chars[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// RFC 2849 SAFE-STRING: otherwise the value goes base64-encoded ("attr:: ...").
bool ldif_safe(std::string_view v) {
  if (v.empty()) return true;
  unsigned char first = static_cast<unsigned char>(v.front());
  if (first == ' ' || first == ':' || first == '<' || v.back() == ' ') return false;
  for (unsigned char c : v)
    if (c == 0 || c == '\n' || c == '\r' || c >= 0x80) return false;
  return true;
}

void ldif_line(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  if (ldif_safe(value)) {
    out += ": ";
    out += value;
  } else {
    out += ":: ";
    out += base64(value);
  }
  out += '\n';
}

}  // namespace

std::string plan_to_ldif(const Plan& plan) {
  std::string out;
  for (const auto& op : plan.operations) {
    if (op.held) continue;
    ldif_line(out, "dn", op.dn);
    switch (op.type) {
      case OpType::add:
        out += "changetype: add\n";
        for (const auto& m : op.modifications())
          for (const auto& v : m.values) ldif_line(out, m.attribute, v);
        break;
      case OpType::modify:
      case OpType::enable:
      case OpType::disable:
        out += "changetype: modify\n";
        for (const auto& m : op.mods) {
          out += m.kind == Modification::Kind::add      ? "add: "
                 : m.kind == Modification::Kind::remove ? "delete: "
                                                        : "replace: ";
          out += m.attribute + "\n";
          for (const auto& v : m.values) ldif_line(out, m.attribute, v);
          out += "-\n";
        }
        break;
      case OpType::move:
      case OpType::rename:
        out += "changetype: modrdn\n";
        ldif_line(out, "newrdn", op.new_rdn());
        out += "deleteoldrdn: 1\n";
        if (!op.new_superior().empty()) ldif_line(out, "newsuperior", op.new_superior());
        break;
      case OpType::remove:
        out += "changetype: delete\n";
        break;
    }
    out += '\n';
  }
  return out;
}

}  // namespace ps
