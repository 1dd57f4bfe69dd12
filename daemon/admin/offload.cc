#include "daemon/admin/offload.h"

#include <boost/asio/post.hpp>
#include <exception>
#include <utility>

namespace ps::admin {

namespace {

AdminResponse run_safely(const Offload::Work& work, Logger& log) {
  const char* what = nullptr;
  try {
    return work();
  } catch (const std::exception& e) {
    what = e.what();
    log.log(LogLevel::error, std::string("admin: a request failed on the worker: ") + what);
  } catch (...) {
    log.log(LogLevel::error, "admin: a request failed on the worker (unknown exception)");
  }
  return AdminResponse::error(500, "internal_error",
                              "the request failed inside the daemon; its log has the details");
}

}  // namespace

void Offload::run_on_worker(Work work, Respond respond) const {
  boost::asio::post(worker_, [loop = loop_, log = log_, work = std::move(work),
                              respond = std::move(respond)]() mutable {
    auto reply = run_safely(work, *log);
    work = nullptr;  // whatever it captured goes here, on the worker, before the answer is sent
    boost::asio::post(
        loop, [respond = std::exchange(respond, nullptr), reply = std::move(reply)]() mutable {
          auto answer = std::exchange(respond, nullptr);
          answer(std::move(reply));
        });
  });
}

}  // namespace ps::admin
