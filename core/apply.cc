#include "core/apply.h"

#include <chrono>

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

class Applier {
 public:
  Applier(const Plan& plan, DirectoryConnector& directory, PortalStore& store, const Clock& clock,
          Logger& log, const ApplyOptions& options)
      : plan_(plan), dir_(directory), store_(store), clock_(clock), log_(log), opt_(options) {
    auto n = plan.operations.size();
    report_.states.assign(n, OpState::waiting);
    report_.errors.assign(n, "");
    record_ids_.assign(n, 0);
    sent_at_.resize(n);
  }

  ApplyReport run() {
    const auto& ops = plan_.operations;
    std::size_t next = 0, in_flight = 0;
    last_progress_ = std::chrono::steady_clock::now();
    while (((next < ops.size() && !stopping()) || in_flight > 0) && report_.fatal.is_ok()) {
      while (next < ops.size() && in_flight < opt_.window && report_.fatal.is_ok() && !stopping()) {
        if (ops[next].held) {
          hold(next++);
          continue;
        }
        auto ready = readiness(next);
        if (ready == Readiness::wait) break;
        if (!ensure_intents(next)) break;
        if (ready == Readiness::skip) {
          finish(next, OpState::skipped, skip_reason(next));
        } else if (auto sent = dir_.submit(next, ops[next]); !sent) {
          report_.fatal = Status::error("directory connection lost while sending " + ops[next].dn +
                                        ": " + sent.message());
          break;
        } else {
          report_.states[next] = OpState::in_flight;
          sent_at_[next] = std::chrono::steady_clock::now();
          ++in_flight;
        }
        ++next;
      }
      if (in_flight == 0 || !report_.fatal.is_ok()) continue;
      auto done = dir_.wait_completion();
      if (!done) {
        report_.fatal = Status::error(done.error());
        break;
      }
      --in_flight;
      complete(static_cast<std::size_t>(done->ticket), done->outcome);
      report_progress();
    }
    wind_down(next);
    flush_outcomes();
    return std::move(report_);
  }

 private:
  enum class Readiness { ready, wait, skip };
  const Plan& plan_;
  DirectoryConnector& dir_;
  PortalStore& store_;
  const Clock& clock_;
  Logger& log_;
  const ApplyOptions& opt_;
  ApplyReport report_;
  std::vector<std::int64_t> record_ids_;
  std::vector<std::chrono::steady_clock::time_point> sent_at_;  // per operation, when sent
  std::size_t intents_written_ = 0;
  std::vector<ChangeOutcome> pending_outcomes_;
  std::chrono::steady_clock::time_point last_progress_;

  Readiness readiness(std::size_t i) const {
    for (auto d : plan_.operations[i].depends_on) {
      auto s = report_.states[d];
      if (s == OpState::applied) continue;
      if (s == OpState::waiting || s == OpState::in_flight) return Readiness::wait;
      return Readiness::skip;
    }
    return Readiness::ready;
  }

  std::string skip_reason(std::size_t i) const {
    for (auto d : plan_.operations[i].depends_on)
      if (report_.states[d] != OpState::applied)
        return "not attempted: it needs the " + std::string(to_string(plan_.operations[d].type)) +
               " of " + plan_.operations[d].dn + ", which did not succeed";
    return "not attempted";
  }

  // Intents go out in batches, each durable before any of its operations is sent.
  bool ensure_intents(std::size_t i) {
    if (i < intents_written_) return true;
    if (opt_.lease)
      if (auto held = opt_.lease->still_held(); !held) {
        report_.fatal = Status::error(
            held.code(),
            "this node is no longer the active one, so nothing more is sent: " + held.message());
        return false;
      }
    auto end = std::min(plan_.operations.size(), i + opt_.intent_batch);
    auto at = format_utc(clock_.now());
    std::vector<ChangeRecord> records;
    std::vector<std::size_t> ops;
    for (auto k = i; k < end; ++k)
      if (!plan_.operations[k].held) {
        records.push_back(change_record_for(plan_.operations[k], opt_, at));
        ops.push_back(k);
      }
    if (auto st = store_.record_intents(records); !st) {
      report_.fatal =
          Status::error("cannot write the change log, so nothing more is sent: " + st.message());
      return false;
    }
    for (std::size_t r = 0; r < ops.size(); ++r) record_ids_[ops[r]] = records[r].id;
    intents_written_ = end;
    return true;
  }

  void complete(std::size_t i, const OpOutcome& outcome) {
    const auto& op = plan_.operations[i];
    report_.latency.observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - sent_at_[i]).count());
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
    if (pending_outcomes_.size() >= opt_.intent_batch) flush_outcomes();
  }

  void flush_outcomes() {
    if (pending_outcomes_.empty()) return;
    if (auto st = store_.record_outcomes(pending_outcomes_); !st)
      log_.log(LogLevel::error,
               "cannot record outcomes in the change log (the next run marks them "
               "unknown): " +
                   st.message());
    pending_outcomes_.clear();
  }

  // After a fatal error: operations sent but not answered have an unknown outcome; those whose
  // intent was written but which were never sent are skipped.
  bool stopping() const { return opt_.stop_requested && opt_.stop_requested->load(); }

  void wind_down(std::size_t next) {
    if (report_.fatal.is_ok() && next < plan_.operations.size() && stopping()) {
      report_.stopped = true;
      for (std::size_t i = next; i < plan_.operations.size() && i < intents_written_; ++i)
        if (report_.states[i] == OpState::waiting)
          finish(i, OpState::skipped, "not sent: portalsync is stopping");
      log_.log(LogLevel::warning, "stopping: " + std::to_string(plan_.operations.size() - next) +
                                      " operations left for the next run");
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
