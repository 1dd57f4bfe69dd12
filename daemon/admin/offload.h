// How both daemons keep slow work (SOCI queries, libldap calls) off the event loop that carries
// their HTTP connections and timers: the handler hands a function to a worker, and its answer
// comes back to the loop.
//
//   offload.run_on_worker([=] { return AdminResponse::json(200, expensive_query()); }, respond);
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <functional>

#include "core/log.h"
#include "daemon/admin/handler.h"

namespace ps::admin {

class Offload {
 public:
  using Work = std::function<AdminResponse()>;

  // `loop` runs the HTTP server; `worker` is a thread (pool) of the daemon's choosing.
  Offload(boost::asio::any_io_executor loop, boost::asio::any_io_executor worker, Logger& log)
      : loop_(std::move(loop)), worker_(std::move(worker)), log_(&log) {}

  // Runs `work` on the worker and calls `respond` with its answer on the loop's thread, exactly
  // once. An exception from `work` becomes 500 internal_error (and an error log line). `respond`
  // is moved, never copied, so it is released on the loop (it may hold the connection).
  void run_on_worker(Work work, Respond respond) const;

  const boost::asio::any_io_executor& loop() const { return loop_; }
  const boost::asio::any_io_executor& worker() const { return worker_; }

 private:
  boost::asio::any_io_executor loop_, worker_;
  Logger* log_;
};

}  // namespace ps::admin
