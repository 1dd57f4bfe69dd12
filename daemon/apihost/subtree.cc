#include "daemon/apihost/subtree.h"

#include "core/dn.h"

namespace ps::apihost {

bool is_within(std::string_view dn, std::string_view base, bool or_equal) {
  // libldap takes C strings: a DN cut short at a NUL is another DN than the one checked here.
  if (dn.find('\0') != std::string_view::npos) return false;
  if (!parse_dn(dn) || !parse_dn(base)) return false;
  if (normalize_dn(dn) == normalize_dn(base)) return or_equal;
  return is_dn_below(dn, base);
}

// The base itself may be created (the first sync of the documented deployment, base_dn equal to
// allowed_base_dn, makes it) and modified; deleting, moving or renaming it would take the whole
// subtree with it, and nothing above the base is ever allowed.
bool base_itself_allowed(WireAction action) {
  return action == WireAction::add || action == WireAction::modify;
}

Status check_subtree(const WireOp& op, const std::string& allowed_base) {
  const bool relocates = op.action == WireAction::move || op.action == WireAction::rename;
  auto outside = [&](const std::string& what, const std::string& dn) {
    return Status::error(StatusCode::refused,
                         summarize(op) + ": refused: " + what + " " + dn +
                             " is not below the subtree this API host manages (" + allowed_base +
                             ")");
  };
  if (op.op.dn.empty() || !parse_dn(op.op.dn))
    return Status::error(StatusCode::refused, std::string(to_string(op.action)) + ": refused: \"" +
                                                  op.op.dn + "\" is not a DN");
  if (!is_within(op.op.dn, allowed_base, base_itself_allowed(op.action)))
    return outside("the entry", op.op.dn);
  if (relocates && !op.op.new_superior().empty() &&
      !is_within(op.op.new_superior(), allowed_base, true))
    return outside("the new parent", op.op.new_superior());
  if (relocates) {
    auto rdn = parse_dn(op.op.new_rdn());
    if (!rdn || rdn->rdns.size() != 1)
      return Status::error(StatusCode::refused,
                           summarize(op) + ": refused: new_rdn must be one RDN such as CN=name");
  }
  return Status::ok();
}

}  // namespace ps::apihost
