#include "core/leader_lease.h"

namespace ps {

struct InMemoryElection::State {
  Leadership last;
  const void* holder = nullptr;  // the node holding the lease now
};

namespace {

class InMemoryLease : public LeaderLease {
 public:
  InMemoryLease(std::shared_ptr<InMemoryElection::State> state, std::string name)
      : state_(std::move(state)), name_(std::move(name)) {}
  ~InMemoryLease() override {
    if (state_->holder == this) state_->holder = nullptr;
  }

  Status try_acquire() override {
    if (state_->holder == this) return Status::ok();
    if (state_->holder)
      return Status::error(StatusCode::conflict, "the lease is held by " + state_->last.holder);
    state_->holder = this;
    state_->last = {state_->last.fence + 1, name_, ""};
    fence_ = state_->last.fence;
    return Status::ok();
  }

  Status still_held() override {
    if (state_->holder == this) return Status::ok();
    return Status::error(StatusCode::conflict, name_ + " no longer holds the lease (fence " +
                                                   std::to_string(fence_) + ")");
  }

  std::int64_t fence() const override { return fence_; }
  Result<Leadership> active() override { return state_->last; }

 private:
  std::shared_ptr<InMemoryElection::State> state_;
  std::string name_;
  std::int64_t fence_ = 0;
};

}  // namespace

InMemoryElection::InMemoryElection() : state_(std::make_shared<State>()) {}

std::unique_ptr<LeaderLease> InMemoryElection::node(const std::string& holder) {
  return std::make_unique<InMemoryLease>(state_, holder);
}

void InMemoryElection::drop_holder() { state_->holder = nullptr; }

}  // namespace ps
