#include "pq.hpp"

#include <algorithm>
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
         || state == "57P01";           // admin_shutdown
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

Connection::Connection(const std::string& conninfo) {
  conn_.reset(PQconnectdb(conninfo.c_str()));
  if (!conn_) throw StorageError("postgres: out of memory while connecting");
  if (PQstatus(conn_.get()) != CONNECTION_OK) {
    throw StorageError(std::string("postgres: cannot connect: ") + PQerrorMessage(conn_.get()));
  }
  // Notices (e.g. "schema already exists") are not errors; keep stderr quiet.
  PQsetNoticeProcessor(
      conn_.get(), [](void*, const char*) {}, nullptr);
}

Rows Connection::exec(const char* sql, Failure on_error) {
  ++round_trips_;
  return check(PQexec(conn_.get(), sql), on_error);
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
  check(PQprepare(conn_.get(), statement_name(id).c_str(), sql.c_str(), parameters, nullptr),
        Failure::retryable);
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
  return check(PQexecPrepared(conn_.get(), statement_name(id).c_str(), params.size(), values.data(),
                              nullptr, nullptr, 0),
               Failure::retryable);
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
  // Read every result up to the sync, keeping the first error (later
  // statements then report PGRES_PIPELINE_ABORTED) and the last rows.
  Rows last;
  Rows first_error;
  bool failed = false;
  for (std::size_t i = 0; i < count; ++i) {
    PGresult* result = PQgetResult(conn);
    if (result == nullptr) fail(nullptr, Failure::retryable);  // connection lost
    const ExecStatusType status = PQresultStatus(result);
    Rows rows(result);
    while (PGresult* extra = PQgetResult(conn)) PQclear(extra);  // up to the NULL ending it
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
      if (i + 1 == count) last = std::move(rows);
    } else if (status != PGRES_PIPELINE_ABORTED && !failed) {
      failed = true;
      first_error = std::move(rows);
    }
  }
  PGresult* sync = PQgetResult(conn);
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
  return check(PQexecParams(conn_.get(), sql.c_str(), params.size(), nullptr, values.data(),
                            nullptr, nullptr, 0),
               Failure::fatal);
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

Rows Connection::check(PGresult* result, Failure on_error) {
  const ExecStatusType status = result == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(result);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Rows(result);
  Rows owner(result);  // freed on the way out
  fail(result, on_error);
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
