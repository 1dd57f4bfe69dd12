// What JSON cannot carry: names, DNs and passwords must be UTF-8 text (attribute values are not
// names: bytes go as base64). Checked before an operation is encoded, so it is refused on its own
// instead of reaching the host changed or failing the whole batch.
#include "connectors/apihost/apihost_wire.h"
#include "connectors/apihost/wire_values.h"
#include "core/text.h"

namespace ps::apihost {

Status check_encodable(const WireOp& op) {
  const auto& o = op.op;
  std::vector<std::pair<const char*, const std::string*>> texts = {
      {"idempotency key", &op.key}, {"DN", &o.dn},
      {"subject", &o.subject},      {"anchor", &o.anchor},
      {"new RDN", &o.new_rdn()},    {"new parent DN", &o.new_superior()},
      {"password", &op.password}};
  for (const auto& mod : o.mods) texts.push_back({"attribute name", &mod.attribute});
  for (const auto& [what, text] : texts)
    if (!is_valid_utf8(*text))
      return Status::error(with_invalid_utf8_replaced(summarize(op), "?") + ": refused: the " +
                           what + " is not UTF-8 text; the API-host contract cannot carry it");
  return Status::ok();
}

}  // namespace ps::apihost
