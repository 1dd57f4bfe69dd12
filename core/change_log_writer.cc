#include "core/change_log_writer.h"

#include <memory>

namespace ps {

ChangeLogWriter::ChangeLogWriter(PortalStore& store) : store_(store), thread_([this] { work(); }) {}

ChangeLogWriter::~ChangeLogWriter() {
  {
    std::lock_guard<std::mutex> guard(mutex_);
    closing_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

std::future<Result<std::vector<ChangeRecord>>> ChangeLogWriter::write_intents(
    std::vector<ChangeRecord> records) {
  auto task = std::make_shared<std::packaged_task<Result<std::vector<ChangeRecord>>()>>(
      [this, records = std::move(records)]() mutable -> Result<std::vector<ChangeRecord>> {
        if (auto st = store_.record_intents(records); !st)
          return Error{"cannot write the change log, so nothing more is sent: " + st.message()};
        return std::move(records);
      });
  auto done = task->get_future();
  enqueue([task] { (*task)(); });
  return done;
}

std::future<Status> ChangeLogWriter::write_outcomes(std::vector<ChangeOutcome> outcomes) {
  // The task lives as long as its future (libstdc++ keeps it in the shared state): what it
  // captured is moved out and freed when it has run, or a first sync's 100,000 outcomes stayed in
  // memory until the end (6.7 MB more at its peak).
  auto task = std::make_shared<std::packaged_task<Status()>>(
      [this, outcomes = std::move(outcomes)]() mutable {
        auto written = std::move(outcomes);
        return store_.record_outcomes(written);
      });
  auto done = task->get_future();
  enqueue([task] { (*task)(); });
  return done;
}

void ChangeLogWriter::enqueue(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> guard(mutex_);
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
}

void ChangeLogWriter::work() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // closing, and everything queued is written
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    job();
  }
}

}  // namespace ps
