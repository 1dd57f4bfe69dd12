#include "store/change_log_walk.h"

#include "core/audit.h"

namespace ps {

ChainWalker::ChainWalker(std::string key, std::optional<KeyCheckpoint> key_checkpoint,
                         std::int64_t start_id, std::string start_hash)
    : key_(std::move(key)),
      key_checkpoint_(std::move(key_checkpoint)),
      start_id_(start_id),
      previous_id_(start_id),
      expected_prev_(std::move(start_hash)) {}

bool ChainWalker::broken(std::int64_t id, std::string problem) {
  first_bad_id_ = id;
  problem_ = std::move(problem);
  return false;
}

bool ChainWalker::feed(const StoredRecord& s) {
  auto id = s.record.id;
  auto name = "record " + std::to_string(id);
  // A database server's id sequence skips the ids of writes it rolled back (a node killed
  // mid-write, an overtaken node's refused append): a gap the chain links across lost nothing,
  // while a removed record leaves its successor pointing at it.
  bool skipped = id > previous_id_ + 1 && s.sealed && s.prev_hash == expected_prev_;
  if (id != previous_id_ + 1 && !skipped)
    return broken(previous_id_ + 1, id > previous_id_ + 1
                                        ? "record " + std::to_string(previous_id_ + 1) +
                                              " was removed (the chain goes from " +
                                              std::to_string(previous_id_) + " to " +
                                              std::to_string(id) + ")"
                                        : name + " is out of sequence");
  if (!s.sealed)
    return broken(id, name +
                          " is not sealed: every record is sealed as portalsync writes it, so "
                          "this one was written by someone else");
  if (s.prev_hash != expected_prev_)
    return broken(id, name + " does not follow record " + std::to_string(previous_id_) +
                          " in the chain (it was inserted, moved or rewritten)");
  if (!check_hash(s) || !check_outcome(s)) return false;
  if (key_checkpoint_ && id == key_checkpoint_->last_id && s.hash != key_checkpoint_->last_hash)
    return broken(id, name +
                          " does not match the signed key checkpoint: the records up to it "
                          "were rewritten");
  expected_prev_ = s.hash;
  previous_id_ = id;
  return true;
}

// An intent is sealed as "pending", without message or completion time, and awaits its outcome
// record. Before schema 12 the intent was then updated to show that outcome, which its outcome
// record must give (check_outcome); from 12 it stays as sealed.
bool ChainWalker::check_hash(const StoredRecord& s) {
  bool keyed = key_checkpoint_ && s.record.id > key_checkpoint_->last_id;
  bool intent = s.outcome_of == 0 && s.record.result == "pending";
  if (keyed && key_.empty()) {
    ++unchecked_;
    if (intent)
      awaiting_[s.record.id] = {};
    else if (s.outcome_of == 0)
      awaiting_[s.record.id] = {s.record.result, s.record.message, s.completed_at};
    return true;
  }
  const auto& hash_key = keyed ? key_ : std::string();
  ++checked_;
  if (record_hash(hash_key, s.prev_hash,
                  canonical_record(s.record, s.completed_at, s.outcome_of)) == s.hash) {
    if (intent) awaiting_[s.record.id] = {};
    return true;
  }
  if (s.outcome_of == 0 && s.record.result != "pending") {
    auto sent = s.record;
    sent.result = "pending";
    sent.message.clear();
    if (record_hash(hash_key, s.prev_hash, canonical_record(sent, "")) == s.hash) {
      awaiting_[s.record.id] = {s.record.result, s.record.message, s.completed_at};
      return true;
    }
  }
  return broken(s.record.id,
                "record " + std::to_string(s.record.id) + " was changed after it was sealed");
}

bool ChainWalker::check_outcome(const StoredRecord& s) {
  if (s.outcome_of == 0) return true;
  auto intent = "record " + std::to_string(s.outcome_of);
  auto it = awaiting_.find(s.outcome_of);
  if (it == awaiting_.end()) {
    if (s.outcome_of <= start_id_) return true;  // the intent was pruned before this stretch
    return broken(s.outcome_of, intent + " is not an intent awaiting its outcome, yet record " +
                                    std::to_string(s.record.id) + " gives it one (\"" +
                                    s.record.result + "\")");
  }
  const auto& shown = it->second;
  bool differs = shown.result != s.record.result || shown.message != s.record.message ||
                 shown.completed_at != s.record.at;
  if (!shown.result.empty() && differs)
    return broken(s.outcome_of, intent + " shows the outcome \"" + shown.result +
                                    "\", but its sealed outcome record " +
                                    std::to_string(s.record.id) + " says \"" + s.record.result +
                                    "\"");
  awaiting_.erase(it);
  return true;
}

bool ChainWalker::finish() {
  if (!problem_.empty()) return false;
  for (const auto& [id, shown] : awaiting_)
    if (!shown.result.empty())  // an intent showing nothing is still pending
      return broken(id, "record " + std::to_string(id) + " shows the outcome \"" + shown.result +
                            "\", which no sealed record gives (it was sealed as pending)");
  return true;
}

}  // namespace ps
