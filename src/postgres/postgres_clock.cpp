#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

#include "codec.hpp"
#include "highseas/postgres/postgres_storage.hpp"
#include "pq.hpp"
#include "sql/values.hpp"

namespace highseas {

class PostgresClock::Impl {
 public:
  Impl(std::string conninfo, Duration resync) : conninfo_(std::move(conninfo)), resync_(resync) {}

  Time now() {
    const std::lock_guard lock(mutex_);
    const auto local = std::chrono::steady_clock::now();
    if (!synced_ || resync_ <= Duration(0, 0, 0) ||
        local - synced_at_ >= std::chrono::microseconds(resync_.total_microseconds())) {
      server_time_ = ask_server();
      synced_at_ = std::chrono::steady_clock::now();
      synced_ = true;
      return server_time_;
    }
    // Between round trips, advance the server's time with the local monotonic
    // clock: it cannot jump, and drifts only microseconds per second.
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::microseconds>(local - synced_at_).count();
    return server_time_ + boost::posix_time::microseconds(elapsed);
  }

 private:
  Time ask_server() {
    for (int attempt = 1;; ++attempt) {
      try {
        if (!connection_ || !connection_->healthy()) {
          connection_ = std::make_unique<pg::Connection>(conninfo_);
        }
        const pg::Rows rows = connection_->exec(
            "SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint", pg::Failure::fatal);
        return sql::decode_time(pg::decode_int(rows.text(0, 0)));
      } catch (const StorageError&) {
        // One reconnect for a connection that died while idle.
        if (attempt > 1 || (connection_ && connection_->healthy())) throw;
        connection_.reset();
      }
    }
  }

  std::string conninfo_;
  Duration resync_;
  std::mutex mutex_;
  std::unique_ptr<pg::Connection> connection_;
  bool synced_ = false;
  Time server_time_;
  std::chrono::steady_clock::time_point synced_at_;
};

PostgresClock::PostgresClock(const PostgresOptions& options, Duration resync)
    : impl_(std::make_unique<Impl>(options.connection, resync)) {
  impl_->now();  // fail early if the database cannot be reached
}

PostgresClock::~PostgresClock() = default;

Time PostgresClock::now() const { return impl_->now(); }

}  // namespace highseas
