// The audit key's two moments in `portalsync db init -c FILE`: the key file made when the
// configuration names one that does not exist yet, and the key checkpoint from which every record
// is sealed with it (store/change_log_seal.h). The key is never stored in the database.
#pragma once

#include <string>

#include "core/result.h"

namespace ps {

// Writes 32 random bytes, hex-encoded, to `path` with mode 600 (refusing to overwrite a file).
Status create_audit_key_file(const std::string& path);

enum class KeyedSealing {
  started,
  already,
};

// Seals, from the next record on, with `key`: stores a checkpoint naming the newest record and its
// hash, signed with the key. Returns `already` when the log has one for this key; fails when it
// has one for another key.
Result<KeyedSealing> start_keyed_sealing(const std::string& url, const std::string& key,
                                         const std::string& now_utc);

}  // namespace ps
