// admin::Offload::run_on_worker, the one way both daemons move slow work off their event loop:
// the answer comes back on the loop's thread exactly once, a throwing job becomes a 500, and the
// `respond` callback (which holds the connection) is released on the loop, never on the worker.
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <catch2/catch.hpp>
#include <memory>
#include <thread>

#include "daemon/admin/offload.h"

using namespace ps::admin;

namespace {

// Notes the thread it is destroyed on, as a connection held by `respond` would be.
struct Tracker {
  std::thread::id* destroyed_on;
  ~Tracker() { *destroyed_on = std::this_thread::get_id(); }
};

struct Run {
  int calls = 0;
  int status = 0;
  std::string body;
  std::thread::id answered_on, released_on;
};

Run run(Offload::Work work) {
  boost::asio::io_context loop;
  boost::asio::thread_pool worker(1);
  ps::NullLogger log;
  Offload offload(loop.get_executor(), worker.get_executor(), log);
  Run r;
  {
    auto tracker = std::make_shared<Tracker>(Tracker{&r.released_on});
    offload.run_on_worker(std::move(work), [&r, tracker](AdminResponse reply) {
      ++r.calls;
      r.status = reply.status;
      r.body = reply.body;
      r.answered_on = std::this_thread::get_id();
    });
  }
  auto work_guard = boost::asio::make_work_guard(loop);
  std::thread stopper([&] {
    worker.join();  // the job ran and posted its answer
    boost::asio::post(loop, [&] { work_guard.reset(); });
  });
  loop.run();
  stopper.join();
  return r;
}

}  // namespace

TEST_CASE("offload: the answer comes back on the loop's thread, once", "[admin][offload]") {
  std::thread::id worked_on;
  auto r = run([&] {
    worked_on = std::this_thread::get_id();
    return AdminResponse::json(200, R"({"ok":true})");
  });
  CHECK(r.calls == 1);
  CHECK(r.status == 200);
  CHECK(worked_on != std::this_thread::get_id());
  CHECK(r.answered_on == std::this_thread::get_id());
  CHECK(r.released_on == std::this_thread::get_id());
}

TEST_CASE("offload: a job that throws is answered 500 internal_error", "[admin][offload]") {
  auto r = run([]() -> AdminResponse { throw std::out_of_range("vector::at"); });
  CHECK(r.calls == 1);
  CHECK(r.status == 500);
  CHECK(r.body.find(R"("error":"internal_error")") != std::string::npos);
  CHECK(r.released_on == std::this_thread::get_id());
  auto odd = run([]() -> AdminResponse { throw 42; });
  CHECK(odd.calls == 1);
  CHECK(odd.status == 500);
}
