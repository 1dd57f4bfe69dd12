// The API-host wire contract (docs/apihost-protocol.md) as C++ values, and their JSON form. Shared
// by the client connector (connectors/apihost) and the API host (daemon/apihost) so both ends
// encode and decode with the same code. Decoding fails with a message naming the field.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/directory.h"
#include "core/result.h"

namespace ps::apihost {

// What an operation of a batch does: an Operation type (remove is "delete" on the wire) or one
// of the two synchronous calls, set_password and unlock, which use only op.dn.
enum class WireAction { add, modify, move, rename, disable, enable, remove, set_password, unlock };
std::string_view to_string(WireAction action);
// The action a wire name spells; nothing for a name outside the contract.
std::optional<WireAction> parse_wire_action(std::string_view name);
// The wire action of a directory operation.
WireAction wire_action(OpType type);

struct WireOp {
  std::string key;  // idempotency key: the same key is never applied twice
  WireAction action = WireAction::modify;
  Operation op;
  std::string password;  // set_password only; never logged, never stored
  bool must_change = false;
};

// outcome_unknown: sent to the directory, but whether it took effect is not known (no answer,
// or the host stopped before recording it); not applied again under this key.
enum class OpStatus { applied, already_applied, refused, outcome_unknown };
std::string_view to_string(OpStatus status);
// applied or already_applied: the operation is in the directory.
inline bool is_done(OpStatus status) {
  return status == OpStatus::applied || status == OpStatus::already_applied;
}

struct OpResult {
  std::string key;
  OpStatus status = OpStatus::refused;
  std::string message;  // refused, outcome_unknown: why (the directory's own message if it said)
  std::string anchor;   // applied add: the new entry's anchor, when known
};

struct ReadRequest {
  std::string base_dn;
  std::vector<std::string> attributes;
  std::string cookie;   // empty for the first page
  int page_size = 500;  // entries per response
};

struct ReadPage {
  bool base_exists = false;
  std::vector<DirectoryEntry> entries;
  std::string cookie;  // empty on the last page
};

// "modify CN=a,OU=b,...": what logs and idempotency records say about an operation.
std::string summarize(const WireOp& op);

// Ok, or why `op` cannot be encoded (a DN, name or password that is not UTF-8 text). The
// encoders never throw: without this check such text would arrive changed (U+FFFD).
Status check_encodable(const WireOp& op);

// Zeroes the whole capacity of `text` and empties it: for bodies and fields that held a password
// (like daemon/admin/wipe.h, which the client side does not link). encode_batch and decode_batch
// wipe the passwords in their JSON trees themselves.
void wipe_text(std::string& text);

std::string encode_batch(const std::vector<WireOp>& ops);
Result<std::vector<WireOp>> decode_batch(std::string_view body);
std::string encode_results(const std::vector<OpResult>& results);
Result<std::vector<OpResult>> decode_results(std::string_view body);

std::string encode_read_request(const ReadRequest& request);
Result<ReadRequest> decode_read_request(std::string_view body);
std::string encode_read_page(const ReadPage& page);
Result<ReadPage> decode_read_page(std::string_view body);

}  // namespace ps::apihost
