#include "store/journal_listener.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <soci/postgresql/soci-postgresql.h>
#include <atomic>
#include <thread>

#include "core/run_schedule.h"
#include "store/database.h"

namespace ps {

namespace {

// Reconnecting: after 1 s, doubling up to 30 s, while the journal poll carries the changes.
const RetryPolicy kReconnect{std::chrono::seconds(1), std::chrono::seconds(30)};

// A LISTEN session on its own connection, waited on in a thread of its own with poll(): the
// socket for notifications, a pipe for stop(). A server that vanished without closing the
// connection is found by TCP keepalives (within ~20 s); the safety-net poll covers that time.
class PostgresListener : public ChangeSignal {
 public:
  explicit PostgresListener(std::string url) : url_(std::move(url)) {}
  ~PostgresListener() override { stop(); }

  void start(Listener listener) override {
    if (thread_.joinable() || pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) return;
    listener_ = std::move(listener);
    thread_ = std::thread([this] { run(); });
  }

  void stop() override {
    if (!thread_.joinable()) return;
    char stop = 0;
    auto written = write(wake_[1], &stop, 1);  // the pipe is ours and empty: it cannot be full
    (void)written;
    thread_.join();
    close(wake_[0]);
    close(wake_[1]);
  }

 private:
  std::string url_;
  Listener listener_;
  std::thread thread_;
  int wake_[2] = {-1, -1};

  std::string session_url() const {
    return url_ + " application_name='" + kListenApplicationName +
           "' connect_timeout=10 keepalives=1 keepalives_idle=5 keepalives_interval=5 "
           "keepalives_count=3";
  }

  void run() {
    for (int attempt = 1;; ++attempt) {
      bool listened = false;
      auto why = listen_until_lost(listened);
      if (why.empty()) return;  // stopped
      if (listened) attempt = 1;
      listener_.mode(WakeupMode::polling, why);
      if (!wait_for_stop(retry_delay(kReconnect, attempt, 1.0))) return;
    }
  }

  // "" once stopped; otherwise why listening ended or could not start.
  std::string listen_until_lost(bool& listened) {
    auto db = open_database(session_url(), true);
    if (!db) return db.error();
    auto& sql = *db.value();
    try {
      sql << std::string("LISTEN ") + kJournalChannel;
    } catch (const std::exception& e) {
      return "portal database " + database_label(url_) + ": cannot LISTEN " + kJournalChannel +
             ": " + database_error(e);
    }
    auto* conn = static_cast<soci::postgresql_session_backend*>(sql.get_backend())->conn_;
    listened = true;
    listener_.mode(WakeupMode::listening, "");
    listener_.changed();
    pollfd fds[2] = {{PQsocket(conn), POLLIN, 0}, {wake_[0], POLLIN, 0}};
    while (true) {
      if (poll(fds, 2, -1) < 0) continue;  // EINTR
      if (fds[1].revents) return "";
      if (PQconsumeInput(conn) == 0 || PQstatus(conn) != CONNECTION_OK)
        return "portal database " + database_label(url_) +
               ": the LISTEN session ended: " + trimmed(PQerrorMessage(conn));
      bool notified = false;
      while (PGnotify* n = PQnotifies(conn)) {
        notified = true;
        PQfreemem(n);
      }
      if (notified) listener_.changed();  // many commits read as one wake-up
    }
  }

  // False when stop() was called meanwhile.
  bool wait_for_stop(std::chrono::milliseconds delay) {
    pollfd fd{wake_[0], POLLIN, 0};
    return poll(&fd, 1, static_cast<int>(delay.count())) != 1;
  }

  // libpq's message on one line.
  static std::string trimmed(std::string text) {
    for (auto& c : text)
      if (c == '\n' || c == '\t') c = ' ';
    while (!text.empty() && text.back() == ' ') text.pop_back();
    return text.empty() ? "connection lost" : text;
  }
};

}  // namespace

std::unique_ptr<ChangeSignal> journal_change_signal(const std::string& url) {
  if (url.rfind("postgresql://", 0) == 0) return std::make_unique<PostgresListener>(url);
  return std::make_unique<NoChangeSignal>();
}

}  // namespace ps
