// Small RAII wrappers over libpq: a connection, a result, parameters, and the
// translation of server errors into StorageError / RetryableStorageError.
// Internal to highseas_postgres.
#pragma once

#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "highseas/postgres/postgres_storage.hpp"
#include "highseas/storage.hpp"

namespace highseas::pg {

// Owns one PGresult.
class Rows {
 public:
  Rows() = default;
  explicit Rows(PGresult* result) : result_(result, &PQclear) {}

  // Returns the number of rows.
  int size() const { return result_ ? PQntuples(result_.get()) : 0; }
  // Returns true iff the value at (row, column) is SQL NULL.
  bool null(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
  // Returns the text of the value at (row, column); empty for NULL.
  std::string_view text(int row, int column) const {
    return {PQgetvalue(result_.get(), row, column),
            static_cast<std::size_t>(PQgetlength(result_.get(), row, column))};
  }
  // Returns the result itself (nullptr if none).
  const PGresult* get() const { return result_.get(); }
  // Returns the number of rows an UPDATE/DELETE/INSERT touched.
  long affected() const;

 private:
  std::unique_ptr<PGresult, void (*)(PGresult*)> result_{nullptr, &PQclear};
};

// The values bound to one statement; nothing is ever spliced into SQL text.
class Params {
 public:
  // Appends a text value.
  Params& add(std::string value) {
    values_.emplace_back(std::move(value));
    return *this;
  }
  // Appends a value or SQL NULL.
  Params& add(std::optional<std::string> value) {
    values_.push_back(std::move(value));
    return *this;
  }
  // Appends an integer.
  Params& add(long long value) { return add(std::to_string(value)); }
  // Appends SQL NULL.
  Params& null() {
    values_.emplace_back(std::nullopt);
    return *this;
  }

  // Returns the C strings libpq wants (nullptr for NULL); valid while *this lives.
  std::vector<const char*> pointers() const;
  // Returns the number of values.
  int size() const { return static_cast<int>(values_.size()); }

 private:
  std::vector<std::optional<std::string>> values_;
};

// How an error is reported to the caller.
enum class Failure {
  retryable,  // throw RetryableStorageError
  fatal,      // throw StorageError
};

// One libpq connection, with the statements already prepared on it. Every
// wait for the server ends by the connection's deadline: the socket is
// non-blocking and each wait is a poll() on it. Past the deadline the
// connection is broken for good and the call throws StorageError ("the
// database did not answer within 5 s"); the pool then closes it, which also
// ends its transaction on the server.
class Connection {
 public:
  // Connects within options.connect_timeout (and by `deadline`), then sets
  // the session's statement, lock and idle-in-transaction timeouts. Throws
  // RetryableStorageError if the server cannot be reached or refuses (a
  // restart, "too many clients"): later attempts may succeed.
  Connection(const PostgresOptions& options, Deadline deadline);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Sets when the current command must be done by (Deadline::max(): never).
  void set_deadline(Deadline deadline) noexcept { deadline_ = deadline; }
  // Returns the deadline set last.
  Deadline deadline() const noexcept { return deadline_; }

  // Returns true iff the connection is usable.
  bool healthy() const { return !broken_ && PQstatus(conn_.get()) == CONNECTION_OK; }
  // Returns true iff no transaction is open or failed on this connection.
  bool idle() const { return PQtransactionStatus(conn_.get()) == PQTRANS_IDLE; }

  // Runs SQL without parameters (ROLLBACK, DDL; several statements allowed).
  // REQUIRES: nothing deferred.
  Rows exec(const char* sql, Failure on_error = Failure::retryable);
  // Runs the statement numbered `id` (prepared on first use) with `params`,
  // after sending every deferred statement in the same round trip.
  Rows run(std::size_t id, const std::string& sql, const Params& params);
  // Queues a statement whose result nobody reads (BEGIN, a write); it is sent
  // with the next run() or flush(), and any error it raises is thrown there.
  // `id` is nullopt for unprepared SQL without parameters. `sql` must outlive
  // the call that sends it.
  void defer(std::optional<std::size_t> id, const std::string& sql, Params params = {});
  // Sends every deferred statement in one round trip and checks them.
  void flush();
  // Forgets deferred statements without sending them.
  void discard_deferred() { deferred_.clear(); }
  // Runs SQL with parameters, unprepared (schema set-up).
  Rows run_once(const std::string& sql, const Params& params);
  // Returns `name` quoted as an SQL identifier.
  std::string quote_identifier(const std::string& name);
  // Returns how many times this connection has waited for the server: one per
  // exec, run, run_once and pipeline segment, plus one per statement prepared.
  // Tests count a command's round trips with it.
  std::uint64_t round_trips() const { return round_trips_; }

 private:
  struct Deferred {
    std::optional<std::size_t> id;
    const std::string* sql;
    Params params;
  };

  // Opens the socket and authenticates, polling until `until`, which is the
  // command's deadline if `by_deadline`, else the connect_timeout's end.
  void connect(const PostgresOptions& options, Deadline until, bool by_deadline);
  // Waits until the socket is ready for `events` (POLLIN/POLLOUT); returns
  // false once `until` has passed.
  bool wait_for_socket(short events, Deadline until);
  // Sends everything libpq has buffered, waiting for the socket as needed.
  void send_buffered();
  // Returns the next result of the query in flight (nullptr after its last),
  // waiting for the server until the deadline.
  PGresult* next_result();
  // Reads every result of the query just sent and returns the last one,
  // throwing for the first error.
  Rows collect(Failure on_error);
  // Marks the connection dead and throws "did not answer within ...".
  [[noreturn]] void time_out();
  [[noreturn]] void fail(const PGresult* result, Failure on_error);
  void prepare(std::size_t id, const std::string& sql, int parameters);
  // Sends `batch` as one pipeline and returns the last statement's rows.
  Rows pipeline(const Deferred* batch, std::size_t count);

  std::unique_ptr<PGconn, void (*)(PGconn*)> conn_{nullptr, &PQfinish};
  std::chrono::milliseconds command_timeout_;
  Deadline deadline_ = Deadline::max();
  std::vector<bool> prepared_;
  std::vector<Deferred> deferred_;
  bool broken_ = false;  // a pipeline failed half-read or time ran out: never reuse
  std::uint64_t round_trips_ = 0;
};

// Opens a connection, trying again after a transient failure (a server
// restarting, "too many clients") until `deadline`: for constructors, which
// no PublicPool retry loop surrounds. Throws the last failure.
std::unique_ptr<Connection> connect_patiently(const PostgresOptions& options, Deadline deadline);

// Calls `attempt` until it returns without RetryableStorageError or
// `deadline` would pass while pausing; rethrows the last failure.
template <class Attempt>
auto retry_until(Deadline deadline, Attempt&& attempt) {
  for (auto pause = std::chrono::milliseconds(10);;
       pause = std::min(pause * 2, std::chrono::milliseconds(200))) {
    try {
      return attempt();
    } catch (const RetryableStorageError&) {
      if (std::chrono::steady_clock::now() + pause >= deadline) throw;
      std::this_thread::sleep_for(pause);
    }
  }
}

}  // namespace highseas::pg
