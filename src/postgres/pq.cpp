#include "pq.hpp"

#include <poll.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

#include "highseas/storage.hpp"

namespace highseas::pg {

namespace {

// SQLSTATEs worth retrying: the whole command can simply run again.
bool transient(std::string_view state) {
  return state == "40001"               // serialization_failure
         || state == "40P01"            // deadlock_detected
         || state == "55P03"            // lock_not_available
         || state == "23505"            // unique_violation: a concurrent insert of the same key won
         || state.substr(0, 2) == "08"  // connection exceptions
         || state == "57014"            // query_canceled: our statement_timeout
         || state == "57P01"            // admin_shutdown: a fast restart
         || state == "57P02"            // crash_shutdown: another backend crashed
         || state == "57P03"            // cannot_connect_now: starting up
         || state == "53300";           // too_many_connections
}

// Returns "5 s" or "1500 ms".
std::string show(std::chrono::milliseconds span) {
  const auto ms = span.count();
  return ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
}

// Returns the milliseconds poll() may wait until `until` (-1: forever).
int poll_timeout(Deadline until) {
  if (until == Deadline::max()) return -1;
  const auto left =
      std::chrono::ceil<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
  return static_cast<int>(std::clamp<long long>(left.count(), 0, INT_MAX));
}

}  // namespace

long Rows::affected() const {
  const char* count = PQcmdTuples(result_.get());
  return count == nullptr || *count == '\0' ? 0 : std::strtol(count, nullptr, 10);
}

std::vector<const char*> Params::pointers() const {
  std::vector<const char*> pointers;
  pointers.reserve(values_.size());
  for (const auto& value : values_) pointers.push_back(value ? value->c_str() : nullptr);
  return pointers;
}

Connection::Connection(const PostgresOptions& options, Deadline deadline)
    : command_timeout_(options.command_timeout) {
  const Deadline own = std::chrono::steady_clock::now() + options.connect_timeout;
  const Deadline until = std::min(deadline, own);
  connect(options, until, deadline < own);
  // Notices (e.g. "schema already exists") are not errors; keep stderr quiet.
  PQsetNoticeProcessor(
      conn_.get(), [](void*, const char*) {}, nullptr);
  // Non-blocking from here on: every wait is a poll() that ends by a deadline.
  if (PQsetnonblocking(conn_.get(), 1) != 0) fail(nullptr, Failure::retryable);
  // The server-side limits, in one round trip; the values are our integers.
  const std::string limits =
      "SET statement_timeout = " + std::to_string(options.statement_timeout.count()) +
      "; SET lock_timeout = " + std::to_string(options.lock_timeout.count()) +
      "; SET idle_in_transaction_session_timeout = " +
      std::to_string(options.idle_in_transaction_timeout.count());
  const Deadline previous = deadline_;
  deadline_ = until;
  exec(limits.c_str());
  deadline_ = previous;
}

void Connection::connect(const PostgresOptions& options, Deadline until, bool by_deadline) {
  const std::string idle = std::to_string(options.keepalive_idle.count());
  const std::string interval = std::to_string(options.keepalive_interval.count());
  const std::string count = std::to_string(options.keepalive_count);
  // Ours come before dbname, so a setting in the host's connection string
  // (expanded in place of dbname) overrides them.
  const std::array<const char*, 7> keywords{"application_name",
                                            "keepalives",
                                            "keepalives_idle",
                                            "keepalives_interval",
                                            "keepalives_count",
                                            "dbname",
                                            nullptr};
  const std::array<const char*, 7> values{
      "highseas", "1", idle.c_str(), interval.c_str(), count.c_str(), options.connection.c_str(),
      nullptr};
  conn_.reset(PQconnectStartParams(keywords.data(), values.data(), 1));
  if (!conn_) throw StorageError("postgres: out of memory while connecting");
  if (PQstatus(conn_.get()) == CONNECTION_BAD) {
    throw RetryableStorageError(std::string("postgres: cannot connect: ") +
                                PQerrorMessage(conn_.get()));
  }
  // libpq's own state machine, driven by poll() so that the wait has an end.
  for (PostgresPollingStatusType step = PGRES_POLLING_WRITING;;) {
    if (step == PGRES_POLLING_OK) return;
    if (step == PGRES_POLLING_FAILED) {
      throw RetryableStorageError(std::string("postgres: cannot connect: ") +
                                  PQerrorMessage(conn_.get()));
    }
    if (!wait_for_socket(step == PGRES_POLLING_READING ? POLLIN : POLLOUT, until)) {
      throw RetryableStorageError(
          "postgres: cannot connect: the server did not answer " +
          (by_deadline ? "by the command's deadline (command_timeout)"
                       : "within " + show(options.connect_timeout) + " (connect_timeout)"));
    }
    step = PQconnectPoll(conn_.get());
  }
}

bool Connection::wait_for_socket(short events, Deadline until) {
  for (;;) {
    const int socket = PQsocket(conn_.get());
    if (socket < 0) return true;  // no socket: libpq reports the failure itself
    pollfd ready{socket, events, 0};
    const int result = ::poll(&ready, 1, poll_timeout(until));
    if (result > 0) return true;
    if (result == 0) {
      if (std::chrono::steady_clock::now() >= until) return false;
      continue;  // woke a little early
    }
    if (errno != EINTR) {
      broken_ = true;
      throw StorageError(std::string("postgres: poll() failed: ") + std::strerror(errno));
    }
  }
}

void Connection::send_buffered() {
  for (;;) {
    const int left = PQflush(conn_.get());
    if (left == 0) return;
    if (left < 0) fail(nullptr, Failure::retryable);
    // The server may be waiting for us to read before it reads more.
    if (!wait_for_socket(POLLIN | POLLOUT, deadline_)) time_out();
    if (PQconsumeInput(conn_.get()) == 0) fail(nullptr, Failure::retryable);
  }
}

PGresult* Connection::next_result() {
  while (PQisBusy(conn_.get()) != 0) {
    if (!wait_for_socket(POLLIN, deadline_)) time_out();
    // A lost connection: PQgetResult below reports it as an error result.
    if (PQconsumeInput(conn_.get()) == 0) break;
  }
  return PQgetResult(conn_.get());
}

Rows Connection::collect(Failure on_error) {
  send_buffered();
  Rows last;
  Rows first_error;
  while (PGresult* result = next_result()) {
    const ExecStatusType status = PQresultStatus(result);
    Rows rows(result);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
      last = std::move(rows);
    } else if (first_error.get() == nullptr) {
      first_error = std::move(rows);
    }
  }
  if (first_error.get() != nullptr) fail(first_error.get(), on_error);
  return last;
}

void Connection::time_out() {
  // Results may be half-read and the server may still be working: this
  // connection can never be trusted again. Closing it (the pool does) makes
  // the server roll back whatever it had not committed.
  broken_ = true;
  throw StorageError("postgres: the database did not answer within " + show(command_timeout_) +
                     " (command_timeout); the connection was closed");
}

std::unique_ptr<Connection> connect_patiently(const PostgresOptions& options, Deadline deadline) {
  return retry_until(deadline, [&] { return std::make_unique<Connection>(options, deadline); });
}

Rows Connection::exec(const char* sql, Failure on_error) {
  ++round_trips_;
  if (PQsendQuery(conn_.get(), sql) != 1) fail(nullptr, on_error);
  return collect(on_error);
}

namespace {

std::string statement_name(std::size_t id) { return "highseas_" + std::to_string(id); }

// The most statements in one pipeline segment: results stay far below the
// socket buffers, so a blocking connection can never wedge.
constexpr std::size_t kPipelineChunk = 256;

}  // namespace

void Connection::prepare(std::size_t id, const std::string& sql, int parameters) {
  if (id >= prepared_.size()) prepared_.resize(id + 1, false);
  if (prepared_[id]) return;
  ++round_trips_;
  if (PQsendPrepare(conn_.get(), statement_name(id).c_str(), sql.c_str(), parameters, nullptr) !=
      1) {
    fail(nullptr, Failure::retryable);
  }
  collect(Failure::retryable);
  prepared_[id] = true;
}

Rows Connection::run(std::size_t id, const std::string& sql, const Params& params) {
  if (!deferred_.empty()) {
    deferred_.push_back({id, &sql, params});
    std::vector<Deferred> batch;
    batch.swap(deferred_);
    Rows last;
    for (std::size_t at = 0; at < batch.size(); at += kPipelineChunk) {
      last = pipeline(batch.data() + at, std::min(kPipelineChunk, batch.size() - at));
    }
    return last;
  }
  prepare(id, sql, params.size());
  const std::vector<const char*> values = params.pointers();
  ++round_trips_;
  if (PQsendQueryPrepared(conn_.get(), statement_name(id).c_str(), params.size(), values.data(),
                          nullptr, nullptr, 0) != 1) {
    fail(nullptr, Failure::retryable);
  }
  return collect(Failure::retryable);
}

void Connection::defer(std::optional<std::size_t> id, const std::string& sql, Params params) {
  deferred_.push_back({id, &sql, std::move(params)});
}

void Connection::flush() {
  std::vector<Deferred> batch;
  batch.swap(deferred_);
  for (std::size_t at = 0; at < batch.size(); at += kPipelineChunk) {
    pipeline(batch.data() + at, std::min(kPipelineChunk, batch.size() - at));
  }
}

Rows Connection::pipeline(const Deferred* batch, std::size_t count) {
  PGconn* conn = conn_.get();
  // Prepare first, outside the pipeline, so every send below is a plain one.
  for (std::size_t i = 0; i < count; ++i) {
    if (batch[i].id) prepare(*batch[i].id, *batch[i].sql, batch[i].params.size());
  }
  // Any early exit below leaves results unread: the connection is not reused.
  broken_ = true;
  ++round_trips_;
  if (PQenterPipelineMode(conn) != 1) fail(nullptr, Failure::retryable);
  std::size_t sent = 0;
  for (; sent < count; ++sent) {
    const Deferred& statement = batch[sent];
    const std::vector<const char*> values = statement.params.pointers();
    const int ok = statement.id ? PQsendQueryPrepared(conn, statement_name(*statement.id).c_str(),
                                                      statement.params.size(), values.data(),
                                                      nullptr, nullptr, 0)
                                : PQsendQueryParams(conn, statement.sql->c_str(), 0, nullptr,
                                                    nullptr, nullptr, nullptr, 0);
    if (ok != 1) break;
  }
  if (sent < count || PQpipelineSync(conn) != 1) {
    // The connection broke while sending; nothing more can be read from it.
    fail(nullptr, Failure::retryable);
  }
  send_buffered();
  // Read every result up to the sync, keeping the first error (later
  // statements then report PGRES_PIPELINE_ABORTED) and the last rows.
  Rows last;
  Rows first_error;
  bool failed = false;
  for (std::size_t i = 0; i < count; ++i) {
    PGresult* result = next_result();
    if (result == nullptr) fail(nullptr, Failure::retryable);  // connection lost
    const ExecStatusType status = PQresultStatus(result);
    Rows rows(result);
    while (PGresult* extra = next_result()) PQclear(extra);  // up to the NULL ending it
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
      if (i + 1 == count) last = std::move(rows);
    } else if (status != PGRES_PIPELINE_ABORTED && !failed) {
      failed = true;
      first_error = std::move(rows);
    }
  }
  PGresult* sync = next_result();
  const bool synced = sync != nullptr && PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
  PQclear(sync);
  if (!synced || PQexitPipelineMode(conn) != 1) fail(nullptr, Failure::retryable);
  broken_ = false;
  if (failed) fail(first_error.get(), Failure::retryable);
  return last;
}

Rows Connection::run_once(const std::string& sql, const Params& params) {
  const std::vector<const char*> values = params.pointers();
  ++round_trips_;
  if (PQsendQueryParams(conn_.get(), sql.c_str(), params.size(), nullptr, values.data(), nullptr,
                        nullptr, 0) != 1) {
    fail(nullptr, Failure::fatal);
  }
  return collect(Failure::fatal);
}

std::string Connection::quote_identifier(const std::string& name) {
  char* quoted = PQescapeIdentifier(conn_.get(), name.c_str(), name.size());
  if (quoted == nullptr) {
    throw StorageError(std::string("postgres: bad identifier: ") + PQerrorMessage(conn_.get()));
  }
  std::string result(quoted);
  PQfreemem(quoted);
  return result;
}

void Connection::fail(const PGresult* result, Failure on_error) {
  const char* state = result == nullptr ? nullptr : PQresultErrorField(result, PG_DIAG_SQLSTATE);
  const std::string message = result != nullptr && *PQresultErrorMessage(result) != '\0'
                                  ? PQresultErrorMessage(result)
                                  : PQerrorMessage(conn_.get());
  const bool lost = !healthy();
  const bool retry = lost || (state != nullptr && transient(state));
  if (retry && on_error == Failure::retryable) {
    throw RetryableStorageError("postgres: " + message);
  }
  throw StorageError("postgres: " + message);
}

}  // namespace highseas::pg
