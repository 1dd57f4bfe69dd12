// Regression (issue 15): an exception thrown during a run (a planner .at(), std::async's
// system_error, bad_alloc) ends that run as a failure value recorded "failed", instead of escaping
// to the caller (portalsyncd's worker thread, where it terminated the daemon) and leaving the
// run recorded "running".
#include <catch2/catch.hpp>

#include <stdexcept>

#include "planner_world.h"

using namespace ps;
using namespace ps::testing;

namespace {

class ThrowingDirectory : public DirectoryConnectorWrapper {
 public:
  using DirectoryConnectorWrapper::DirectoryConnectorWrapper;
  Result<DirectoryReadResult> read_subtree(const ReadSpec&) override {
    throw std::out_of_range("map::at");
  }
};

}  // namespace

TEST_CASE("an exception during a run is a failed run, recorded as failed", "[engine]") {
  World w;
  w.store.portal = tainan();
  ThrowingDirectory throwing{w.dir};
  SyncEngine engine(w.store, throwing, w.clock, w.log, w.options);
  auto r = engine.sync();
  REQUIRE_FALSE(r);
  CHECK(r.error() == "internal error: map::at");
  REQUIRE(w.store.run_status.size() == 1);
  CHECK(w.store.run_status.begin()->second == "failed");

  // The engine is usable again: the next run with a working directory completes.
  SyncEngine again(w.store, w.dir, w.clock, w.log, w.options);
  REQUIRE(again.sync());
  CHECK(w.store.run_status.rbegin()->second == "ok");
}
