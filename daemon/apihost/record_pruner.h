// Removes idempotency records older than idempotency.retain_days: once at start, then every day.
// It runs on the event loop with a SQLite connection of its own, never on the worker, so no
// request waits behind it; and it deletes in slices, giving the loop back between them, so neither
// HTTP nor the worker's short transactions wait long for a large first sweep.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>

#include "core/log.h"
#include "daemon/apihost/request_log.h"

namespace ps::apihost {

class RecordPruner {
 public:
  static constexpr std::chrono::hours kDaily{24};
  static constexpr std::size_t kSlice = 2000;  // records per DELETE

  // `records` is the pruner's own connection to the host's database. retain_days 0: never prune.
  RecordPruner(boost::asio::io_context& loop, std::unique_ptr<RequestLog> records, int retain_days,
               Logger& log, std::chrono::milliseconds interval = kDaily);

  // A sweep now (posted to the loop), then one per interval.
  void start();
  // From a reload; the next sweep uses it.
  void set_retain_days(int days) { retain_days_ = days; }
  // No further sweeps, so the loop can run out of work and return.
  void stop();

 private:
  void sweep_slice(std::size_t removed_so_far);
  void schedule_next();

  boost::asio::io_context& loop_;
  std::unique_ptr<RequestLog> records_;
  int retain_days_;
  Logger& log_;
  std::chrono::milliseconds interval_;
  boost::asio::steady_timer timer_;
  bool stopped_ = false;
};

}  // namespace ps::apihost
