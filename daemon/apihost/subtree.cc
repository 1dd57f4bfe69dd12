#include "daemon/apihost/subtree.h"

#include "core/dn.h"

namespace ps::apihost {

bool is_within(std::string_view dn, std::string_view base, bool or_equal) {
  // libldap takes C strings: a DN cut short at a NUL is another DN than the one checked here.
  if (dn.find('\0') != std::string_view::npos) return false;
  if (!parse_dn(dn) || !parse_dn(base)) return false;
  auto d = normalize_dn(dn);
  auto b = normalize_dn(base);
  if (d == b) return or_equal;
  return d.size() > b.size() + 1 && d.ends_with(b) && d[d.size() - b.size() - 1] == ',';
}

// The base itself may be created (the first sync of the documented deployment, base_dn equal to
// allowed_base_dn, makes it) and modified; deleting, moving or renaming it would take the whole
// subtree with it, and nothing above the base is ever allowed.
bool base_itself_allowed(std::string_view action) { return action == "add" || action == "modify"; }

Status check_subtree(const WireOp& op, const std::string& allowed_base) {
  auto outside = [&](const std::string& what, const std::string& dn) {
    return Status::error(summarize(op) + ": refused: " + what + " " + dn +
                         " is not below the subtree this API host manages (" + allowed_base + ")");
  };
  if (op.op.dn.empty() || !parse_dn(op.op.dn))
    return Status::error(op.action + ": refused: \"" + op.op.dn + "\" is not a DN");
  if (!is_within(op.op.dn, allowed_base, base_itself_allowed(op.action)))
    return outside("the entry", op.op.dn);
  if ((op.action == "move" || op.action == "rename") && !op.op.new_superior().empty() &&
      !is_within(op.op.new_superior(), allowed_base, true))
    return outside("the new parent", op.op.new_superior());
  if (op.action == "move" || op.action == "rename") {
    auto rdn = parse_dn(op.op.new_rdn());
    if (!rdn || rdn->rdns.size() != 1)
      return Status::error(summarize(op) + ": refused: new_rdn must be one RDN such as CN=name");
  }
  return Status::ok();
}

}  // namespace ps::apihost
