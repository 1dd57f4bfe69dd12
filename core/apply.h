// Carries out a plan against a DirectoryConnector: asynchronous operations with a bounded window of
// outstanding requests, each sent only after the operations it depends on succeeded (one that waits
// for them is set aside, and those after it are sent meanwhile). Every operation is written to the
// change log as an intent before it is sent and gets its outcome after, so a crash never leaves a
// silent gap.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/directory_connector.h"
#include "core/leader_lease.h"
#include "core/log.h"
#include "core/plan.h"
#include "core/portal_store.h"

namespace ps {

struct ApplyOptions {
  std::size_t window = 32;
  std::int64_t run_id = 0;
  std::string actor;
  std::string correlation_id;
  std::size_t intent_batch = 256;  // most intents written per transaction (the first: one window)
  std::string masked_attribute;    // its values reach the change log masked (the national ID)
  // When it turns true (SIGTERM), nothing more is sent; operations in flight are waited for.
  const std::atomic<bool>* stop_requested = nullptr;
  // Two nodes (core/leader_lease.h): proven held before every batch of intents; once it is not,
  // nothing more is sent (operations in flight are waited for).
  LeaderLease* lease = nullptr;
};

// How long the directory took to answer operations (from sending to completion, so the time an
// operation waits behind others in the pipeline counts too): Prometheus-style buckets.
struct LatencyHistogram {
  static constexpr std::array<double, 12> kBounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                     0.1,   0.25,   0.5,   1,    2.5,   10};
  std::array<std::uint64_t, kBounds.size()> counts{};  // per bucket, not cumulative
  std::uint64_t count = 0;                             // every observation (also above 10 s)
  double sum = 0;                                      // seconds

  void observe(double seconds);
  void merge(const LatencyHistogram& other);
};

enum class OpState { waiting, in_flight, applied, failed, skipped, unknown, held };

struct ApplyReport {
  std::vector<OpState> states;          // per plan operation
  std::vector<std::string> errors;      // per plan operation: the failure message, "" otherwise
  std::vector<IdentityLink> new_links;  // anchors of added entries
  std::size_t applied = 0, failed = 0, skipped = 0, unknown = 0, held = 0;
  LatencyHistogram latency;       // of the operations the directory answered
  Status fatal = Status::ok();    // lost connection or change log: the run stopped early
  bool stopped = false;           // stop_requested ended the run before every operation was sent
  double change_log_seconds = 0;  // of the run's time, waiting for the change log's writes
};

class Clock;

ApplyReport apply_plan(const Plan& plan, DirectoryConnector& directory, PortalStore& store,
                       const Clock& clock, Logger& log, const ApplyOptions& options);

// A change-log record for an operation (the attribute values before and after, as JSON).
ChangeRecord change_record_for(const Operation& op, const ApplyOptions& options,
                               const std::string& at);

}  // namespace ps
