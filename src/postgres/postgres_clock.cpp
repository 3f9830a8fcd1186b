#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "codec.hpp"
#include "highseas/postgres/postgres_storage.hpp"
#include "pq.hpp"
#include "sql/values.hpp"
#include "storage_impl.hpp"

namespace highseas {

class PostgresClock::Impl {
 public:
  Impl(PostgresOptions options, Duration resync) : options_(std::move(options)), resync_(resync) {
    check_options(options_);
  }

  Time now() {
    const std::lock_guard lock(mutex_);
    const auto local = std::chrono::steady_clock::now();
    if (!synced_ || resync_ <= Duration(0, 0, 0) ||
        local - synced_at_ >= std::chrono::microseconds(resync_.total_microseconds())) {
      const Time server = ask_server();
      synced_at_ = std::chrono::steady_clock::now();
      synced_ = true;
      // Never backwards: a server behind what was already served (another
      // server after a failover, a clock step) is held at the last time.
      server_time_ = served_ ? std::max(server, *served_) : server;
      served_ = server_time_;
      return server_time_;
    }
    // Between round trips, advance the server's time with the local monotonic
    // clock: it cannot jump, and drifts only microseconds per second.
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::microseconds>(local - synced_at_).count();
    served_ = std::max(*served_, server_time_ + boost::posix_time::microseconds(elapsed));
    return *served_;
  }

 private:
  // Asks the server; any failure drops the connection (after a crash it may
  // still look healthy) and asks once more on a new one. Both tries share one
  // command_timeout: a hung server costs a command that asks the clock no
  // more than it costs the command's own statements.
  Time ask_server() {
    const Deadline deadline = std::chrono::steady_clock::now() + options_.command_timeout;
    for (int attempt = 1;; ++attempt) {
      try {
        if (!connection_) connection_ = std::make_unique<pg::Connection>(options_, deadline);
        connection_->set_deadline(deadline);
        const pg::Rows rows = connection_->exec(
            "SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint", pg::Failure::fatal);
        return sql::decode_time(pg::decode_int(rows.text(0, 0)));
      } catch (const StorageError& error) {
        connection_.reset();
        if (attempt > 1) {
          throw RetryableStorageError(std::string("postgres clock: ") + error.what());
        }
      }
    }
  }

  PostgresOptions options_;
  Duration resync_;
  std::mutex mutex_;
  std::unique_ptr<pg::Connection> connection_;
  bool synced_ = false;
  Time server_time_;
  std::optional<Time> served_;  // the latest time now() returned
  std::chrono::steady_clock::time_point synced_at_;
};

PostgresClock::PostgresClock(const PostgresOptions& options, Duration resync)
    : impl_(std::make_unique<Impl>(options, resync)) {
  // Fail early if the database cannot be reached; a server restarting or out
  // of connections is waited for up to command_timeout, as a command would.
  pg::retry_until(std::chrono::steady_clock::now() + options.command_timeout,
                  [this] { return impl_->now(); });
}

PostgresClock::~PostgresClock() = default;

Time PostgresClock::now() const { return impl_->now(); }

}  // namespace highseas
