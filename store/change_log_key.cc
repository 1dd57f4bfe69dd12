#include "store/change_log_key.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "store/change_log_seal.h"
#include "store/database.h"

namespace ps {

Status create_audit_key_file(const std::string& path) {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1)
    return Status::error("cannot make an audit key: no randomness from OpenSSL");
  static const char* digits = "0123456789abcdef";
  std::string text;
  for (auto b : bytes) {
    text += digits[b >> 4];
    text += digits[b & 15];
  }
  text += "\n";
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Status::error("cannot create " + path + ": " + std::strerror(errno));
  bool ok = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            fchmod(fd, 0600) == 0 && fsync(fd) == 0;
  int saved = errno;
  close(fd);
  if (!ok) {
    unlink(path.c_str());
    return Status::error("cannot write " + path + ": " + std::strerror(saved));
  }
  return Status::ok();
}

Result<KeyedSealing> start_keyed_sealing(const std::string& url, const std::string& key,
                                         const std::string& now_utc) {
  using R = Result<KeyedSealing>;
  auto db = open_database(url, true);
  if (!db) return R::failure(db.error());
  auto& sql = *db.value();
  try {
    soci::transaction tx(sql);
    // A write first, so the head read below cannot go stale before the checkpoint is stored.
    sql << "UPDATE ps_audit_checkpoints SET kind = kind WHERE 0 = 1";
    if (auto existing = read_key_checkpoint(sql)) {
      if (existing->key_id != key_id(key))
        return R::failure("the change log is sealed with another key (key id " + existing->key_id +
                          ") since record " + std::to_string(existing->last_id + 1) +
                          ": audit.key_file must name that key");
      return KeyedSealing::already;
    }
    KeyCheckpoint c;
    long long last_id = 0;
    soci::indicator ind = soci::i_null;
    sql << "SELECT max(id) FROM ps_change_log", soci::into(last_id, ind);
    if (ind == soci::i_null) {  // empty, perhaps after a prune: continue from its checkpoint
      sql << "SELECT coalesce(max(last_id), 0) FROM ps_audit_checkpoints", soci::into(last_id);
    }
    c.last_id = last_id;
    c.last_hash = chain_head_hash(sql, last_id + 1);
    c.key_id = key_id(key);
    c.created_at = now_utc;
    c.signature = record_hash(key, "", key_checkpoint_message(c));
    long long none = 0;
    sql << "INSERT INTO ps_audit_checkpoints(created_at, last_id, last_hash, records, "
           "export_file, export_sha256, signature, kind, key_id) VALUES (:c, :i, :h, :n, '', '', "
           ":g, 'key', :k)",
        soci::use(c.created_at), soci::use(last_id), soci::use(c.last_hash), soci::use(none),
        soci::use(c.signature), soci::use(c.key_id);
    tx.commit();
  } catch (const std::exception& e) {
    return R::failure("cannot start keyed sealing of the change log: " + database_error(e));
  }
  return KeyedSealing::started;
}

}  // namespace ps
