#include "daemon/apihost/record_pruner.h"

#include <boost/asio/post.hpp>

namespace ps::apihost {

RecordPruner::RecordPruner(boost::asio::io_context& loop, std::unique_ptr<RequestLog> records,
                           int retain_days, Logger& log, std::chrono::milliseconds interval)
    : loop_(loop),
      records_(std::move(records)),
      retain_days_(retain_days),
      log_(log),
      interval_(interval),
      timer_(loop) {}

void RecordPruner::start() {
  boost::asio::post(loop_, [this] { sweep_slice(0); });
}

void RecordPruner::stop() {
  stopped_ = true;
  timer_.cancel();
}

void RecordPruner::sweep_slice(std::size_t removed_so_far) {
  if (stopped_) return;
  if (retain_days_ == 0) return schedule_next();
  auto removed = records_->prune(retain_days_, kSlice);
  if (!removed) {
    log_.log(LogLevel::error, "apihost: idempotency records not pruned: " + removed.error() +
                                  " (tried again in a day)");
    return schedule_next();
  }
  auto total = removed_so_far + removed.value();
  if (removed.value() == kSlice)  // maybe more: the next slice after what the loop has waiting
    return boost::asio::post(loop_, [this, total] { sweep_slice(total); });
  if (total > 0)
    log_.log(LogLevel::info, "apihost: pruned " + std::to_string(total) +
                                 " idempotency records older than " + std::to_string(retain_days_) +
                                 " days");
  schedule_next();
}

void RecordPruner::schedule_next() {
  timer_.expires_after(interval_);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) sweep_slice(0);
  });
}

}  // namespace ps::apihost
