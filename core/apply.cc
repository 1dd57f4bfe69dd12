#include "core/apply.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <future>
#include <optional>
#include <tuple>

#include "core/change_log_writer.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/text.h"

namespace ps {

namespace {

std::string attributes_json(const std::vector<Modification>& mods, bool after,
                            const std::string& masked_attribute) {
  JsonWriter w;
  w.begin_object();
  for (const auto& m : mods) {
    auto values = after ? m.values : m.old_values;
    if (!masked_attribute.empty() && iequals(m.attribute, masked_attribute))
      for (auto& v : values) v = mask_national_id(v);
    if (after && m.kind == Modification::Kind::remove) {
      w.key(m.attribute).begin_array().end_array();
      continue;
    }
    w.key(m.attribute).strings(values);
  }
  w.end_object();
  return w.str();
}

const char* result_name(OpState s) {
  switch (s) {
    case OpState::applied:
      return "applied";
    case OpState::failed:
      return "failed";
    case OpState::skipped:
      return "skipped";
    case OpState::unknown:
      return "unknown";
    default:
      return "pending";
  }
}

}  // namespace

void LatencyHistogram::observe(double seconds) {
  for (std::size_t b = 0; b < kBounds.size(); ++b)
    if (seconds <= kBounds[b]) {
      ++counts[b];
      break;
    }
  ++count;
  sum += seconds;
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  for (std::size_t b = 0; b < counts.size(); ++b) counts[b] += other.counts[b];
  count += other.count;
  sum += other.sum;
}

namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

class Applier {
 public:
  Applier(const Plan& plan, DirectoryConnector& directory, PortalStore& store, const Clock& clock,
          Logger& log, const ApplyOptions& options)
      : plan_(plan), dir_(directory), clock_(clock), log_(log), opt_(options), writer_(store) {
    auto n = plan.operations.size();
    report_.states.assign(n, OpState::waiting);
    report_.errors.assign(n, "");
    record_ids_.assign(n, 0);
    sent_at_.resize(n);
  }

  ApplyReport run() {
    last_progress_ = std::chrono::steady_clock::now();
    while (report_.fatal.is_ok() && (more_to_send() || in_flight_ > 0)) {
      auto before = std::make_tuple(next_, deferred_.size(), report_.held + report_.skipped);
      send_what_is_ready();
      if (!report_.fatal.is_ok()) break;
      if (in_flight_ == 0) {
        if (before == std::make_tuple(next_, deferred_.size(), report_.held + report_.skipped))
          report_.fatal = Status::error("internal error: the plan's operations wait on each other");
        continue;
      }
      auto done = dir_.wait_completion();
      if (!done) {
        report_.fatal = Status::error(done.error());
        break;
      }
      --in_flight_;
      complete(static_cast<std::size_t>(done->ticket), done->outcome);
      report_progress();
    }
    settle_queued_intents();
    wind_down();
    flush_outcomes();
    await_outcomes();
    return std::move(report_);
  }

 private:
  enum class Readiness { ready, wait, skip };
  const Plan& plan_;
  DirectoryConnector& dir_;
  const Clock& clock_;
  Logger& log_;
  const ApplyOptions& opt_;
  ApplyReport report_;
  std::vector<std::int64_t> record_ids_;
  std::vector<std::chrono::steady_clock::time_point> sent_at_;  // per operation, when sent
  std::size_t intents_written_ = 0;
  // Nothing is sent until the first batch is durable: it is one window's worth, and each batch
  // after it twice the last, up to intent_batch. At 256 the first took ~45 ms on PostgreSQL at
  // 100,000 accounts, and a journal run of 1,000 changes waited all of it.
  std::size_t next_intent_batch_ =
      std::clamp<std::size_t>(opt_.window, 1, std::max<std::size_t>(opt_.intent_batch, 1));
  ChangeLogWriter writer_;  // the only user of the store until the run returns
  std::vector<ChangeOutcome> pending_outcomes_;
  std::deque<std::future<Status>> outcome_writes_;  // oldest first
  std::chrono::steady_clock::time_point last_progress_;
  std::size_t next_ = 0;               // the first operation not yet looked at
  std::size_t in_flight_ = 0;          // sent and not answered
  std::vector<std::size_t> deferred_;  // looked at, waiting for prerequisites, oldest first

  Readiness readiness(std::size_t i) const {
    for (auto d : plan_.operations[i].depends_on) {
      auto s = report_.states[d];
      if (s == OpState::applied) continue;
      if (s == OpState::waiting || s == OpState::in_flight) return Readiness::wait;
      return Readiness::skip;
    }
    return Readiness::ready;
  }

  bool more_left() const { return next_ < plan_.operations.size() || !deferred_.empty(); }
  bool more_to_send() const { return more_left() && !stopping(); }

  bool may_send() const { return in_flight_ < opt_.window && report_.fatal.is_ok() && !stopping(); }

  // An operation whose prerequisites are still in flight is set aside and the ones after it go
  // on: a move's modify waited for the move with nothing else outstanding, which emptied the
  // pipeline once per move and made a churn of transfers as slow as a synchronous client.
  void send_what_is_ready() {
    for (auto it = deferred_.begin(); it != deferred_.end() && may_send();) {
      auto ready = readiness(*it);
      if (ready == Readiness::wait) {
        ++it;
        continue;
      }
      auto i = *it;
      it = deferred_.erase(it);
      if (!dispatch(i, ready)) return;
    }
    const auto& ops = plan_.operations;
    while (next_ < ops.size() && may_send() && deferred_.size() < max_deferred()) {
      if (ops[next_].held) {
        hold(next_++);
        continue;
      }
      if (!ensure_intents(next_)) return;
      auto i = next_++;
      auto ready = readiness(i);
      if (ready == Readiness::wait)
        deferred_.push_back(i);
      else if (!dispatch(i, ready))
        return;
    }
  }

  // Set aside at most a few windows: past that the operations ahead wait for the same few
  // prerequisites (the users of a unit being added), and scanning them would cost more than it
  // gains.
  std::size_t max_deferred() const { return 4 * std::max<std::size_t>(opt_.window, 1); }

  bool dispatch(std::size_t i, Readiness ready) {
    if (ready == Readiness::skip) {
      finish(i, OpState::skipped, skip_reason(i));
      return true;
    }
    if (auto sent = dir_.submit(i, plan_.operations[i]); !sent) {
      report_.fatal = Status::error("directory connection lost while sending " +
                                    plan_.operations[i].dn + ": " + sent.message());
      return false;
    }
    report_.states[i] = OpState::in_flight;
    sent_at_[i] = std::chrono::steady_clock::now();
    ++in_flight_;
    return true;
  }

  std::string skip_reason(std::size_t i) const {
    for (auto d : plan_.operations[i].depends_on)
      if (report_.states[d] != OpState::applied)
        return "not attempted: it needs the " + std::string(to_string(plan_.operations[d].type)) +
               " of " + plan_.operations[d].dn + ", which did not succeed";
    return "not attempted";
  }

  // Intents go out in batches, each durable before any of its operations is sent. The next batch
  // is queued as soon as one is durable, so it is written while this one's operations are sent.
  bool ensure_intents(std::size_t i) {
    if (i < intents_written_) return true;
    // Held operations were passed over (they have no records): the queued batch may end before i.
    if (queued_intents_ && i >= queued_intents_->end && !take_queued_intents()) return false;
    if (!queued_intents_) {
      if (!lease_held()) return false;
      queue_intents(i);
    }
    if (!take_queued_intents()) return false;
    if (intents_written_ < plan_.operations.size() && !stopping()) queue_intents(intents_written_);
    return true;
  }

  struct IntentBatch {
    std::size_t end = 0;
    std::vector<std::size_t> ops;  // the operations its records are for (held ones have none)
    std::future<Result<std::vector<ChangeRecord>>> written;
  };
  std::optional<IntentBatch> queued_intents_;  // the next batch, being written

  void queue_intents(std::size_t first) {
    IntentBatch batch;
    batch.end = std::min(plan_.operations.size(), first + next_intent_batch_);
    next_intent_batch_ =
        std::min(2 * next_intent_batch_, std::max<std::size_t>(opt_.intent_batch, 1));
    auto at = format_utc(clock_.now());
    std::vector<ChangeRecord> records;
    for (auto k = first; k < batch.end; ++k)
      if (!plan_.operations[k].held) {
        records.push_back(change_record_for(plan_.operations[k], opt_, at));
        batch.ops.push_back(k);
      }
    batch.written = writer_.write_intents(std::move(records));
    queued_intents_ = std::move(batch);
  }

  // A batch queued when the run stopped: once written, its operations are skipped like those of
  // any batch written and not sent (wind_down).
  void settle_queued_intents() {
    if (!queued_intents_) return;
    auto batch = std::move(*queued_intents_);
    queued_intents_.reset();
    auto written = batch.written.get();
    if (written) adopt(batch, written.value());  // else nothing of it was written
  }

  void adopt(const IntentBatch& batch, const std::vector<ChangeRecord>& records) {
    for (std::size_t r = 0; r < batch.ops.size(); ++r) record_ids_[batch.ops[r]] = records[r].id;
    intents_written_ = batch.end;
  }

  // Waits for the queued batch; its operations may be sent once it returns true.
  bool take_queued_intents() {
    auto batch = std::move(*queued_intents_);
    queued_intents_.reset();
    auto started = std::chrono::steady_clock::now();
    auto written = batch.written.get();
    report_.change_log_seconds += seconds_since(started);
    if (!written) {
      report_.fatal = Status::error(written.error());
      return false;
    }
    adopt(batch, written.value());
    return lease_held();  // proven once more just before the batch is sent
  }

  // Two nodes: whether this node may still send. The next batch's intents are written while this
  // one is sent, so a batch written before the lease was lost is recorded as skipped, never sent.
  bool lease_held() {
    if (!opt_.lease) return true;
    auto held = opt_.lease->still_held();
    if (!held)
      report_.fatal = Status::error(
          held.code(),
          "this node is no longer the active one, so nothing more is sent: " + held.message());
    return held.is_ok();
  }

  void complete(std::size_t i, const OpOutcome& outcome) {
    const auto& op = plan_.operations[i];
    report_.latency.observe(seconds_since(sent_at_[i]));
    if (outcome.ok) {
      if (op.type == OpType::add && op.portal_id != 0 && !outcome.anchor.empty())
        report_.new_links.push_back({op.kind, op.portal_id, outcome.anchor});
      finish(i, OpState::applied, "");
    } else {
      log_.log(LogLevel::warning, "failed: " + outcome.message);
      finish(i, OpState::failed, outcome.message);
    }
  }

  // Held operations are summarised by the guard's hold record, not logged one by one.
  void hold(std::size_t i) {
    report_.states[i] = OpState::held;
    report_.errors[i] = "held by " + plan_.operations[i].held_by;
    ++report_.held;
  }

  void finish(std::size_t i, OpState state, std::string message) {
    report_.states[i] = state;
    report_.errors[i] = message;
    switch (state) {
      case OpState::applied:
        ++report_.applied;
        break;
      case OpState::failed:
        ++report_.failed;
        break;
      case OpState::skipped:
        ++report_.skipped;
        break;
      case OpState::unknown:
        ++report_.unknown;
        break;
      default:
        break;
    }
    pending_outcomes_.push_back(
        {record_ids_[i], result_name(state), std::move(message), format_utc(clock_.now())});
    if (pending_outcomes_.size() >= opt_.intent_batch ||
        (pending_outcomes_.size() >= opt_.window && outcomes_written()))
      flush_outcomes();
  }

  void flush_outcomes() {
    if (pending_outcomes_.empty()) return;
    outcome_writes_.push_back(writer_.write_outcomes(std::move(pending_outcomes_)));
    pending_outcomes_.clear();
    while (outcome_writes_.size() > 1 && is_ready(outcome_writes_.front())) {  // written in order
      check_outcomes(outcome_writes_.front().get());
      outcome_writes_.pop_front();
    }
  }

  // Whether every outcome queued so far is written: the writer is free for more. Outcomes go to it
  // whenever it is, not only by the full batch, so that few are left to wait for at the end.
  bool outcomes_written() const {
    return outcome_writes_.empty() || is_ready(outcome_writes_.back());
  }

  static bool is_ready(const std::future<Status>& f) {
    return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
  }

  void check_outcomes(const Status& written) {
    if (!written)
      log_.log(LogLevel::error,
               "cannot record outcomes in the change log (the next run marks them unknown): " +
                   written.message());
  }

  // Waits for every outcome queued; a failure leaves intents the next run marks unknown.
  void await_outcomes() {
    auto started = std::chrono::steady_clock::now();
    for (auto& written : outcome_writes_) check_outcomes(written.get());
    outcome_writes_.clear();
    report_.change_log_seconds += seconds_since(started);
  }

  // After a fatal error: operations sent but not answered have an unknown outcome; those whose
  // intent was written but which were never sent are skipped.
  bool stopping() const { return opt_.stop_requested && opt_.stop_requested->load(); }

  void wind_down() {
    if (report_.fatal.is_ok() && more_left() && stopping()) {
      report_.stopped = true;
      auto left = plan_.operations.size() - next_ + deferred_.size();
      for (std::size_t i = 0; i < plan_.operations.size() && i < intents_written_; ++i)
        if (report_.states[i] == OpState::waiting)
          finish(i, OpState::skipped, "not sent: portalsync is stopping");
      log_.log(LogLevel::warning,
               "stopping: " + std::to_string(left) + " operations left for the next run");
      return;
    }
    if (report_.fatal.is_ok()) return;
    for (std::size_t i = 0; i < plan_.operations.size(); ++i) {
      if (report_.states[i] == OpState::in_flight)
        finish(i, OpState::unknown, "outcome unknown: " + report_.fatal.message());
      else if (report_.states[i] == OpState::waiting && i < intents_written_)
        finish(i, OpState::skipped, "not sent: " + report_.fatal.message());
    }
    log_.log(LogLevel::error, report_.fatal.message());
  }

  void report_progress() {
    auto now = std::chrono::steady_clock::now();
    if (now - last_progress_ < std::chrono::seconds(2)) return;
    last_progress_ = now;
    auto done = report_.applied + report_.failed + report_.skipped;
    log_.log(LogLevel::info, "progress: " + std::to_string(done) + "/" +
                                 std::to_string(plan_.operations.size()) + " operations done (" +
                                 std::to_string(report_.failed) + " failed)");
  }
};

}  // namespace

ChangeRecord change_record_for(const Operation& op, const ApplyOptions& options,
                               const std::string& at) {
  ChangeRecord r;
  r.run_id = options.run_id;
  r.at = at;
  r.actor = options.actor;
  r.operation = std::string(to_string(op.type));
  r.kind = subject_kind(op.kind);
  r.subject_id = op.portal_id ? op.portal_id : op.former_id;
  r.subject_name = op.subject;
  r.unit_id = op.unit_id;
  r.from_unit_id = op.from_unit_id();
  r.dn = op.dn;
  r.new_dn = op.new_dn();
  auto mods = op.modifications();
  if (op.type != OpType::add)
    r.before_json = attributes_json(mods, false, options.masked_attribute);
  if (op.type != OpType::remove)
    r.after_json = attributes_json(mods, true, options.masked_attribute);
  r.reason = op.reason;
  r.category = op.kind == ObjectKind::org_unit                           ? "unit change"
               : op.type == OpType::move                                 ? "unit transfer"
               : op.type == OpType::enable || op.type == OpType::disable ? "status change"
                                                                         : "data change";
  r.correlation_id = options.correlation_id;
  return r;
}

ApplyReport apply_plan(const Plan& plan, DirectoryConnector& directory, PortalStore& store,
                       const Clock& clock, Logger& log, const ApplyOptions& options) {
  return Applier(plan, directory, store, clock, log, options).run();
}

}  // namespace ps
