#include "pq.hpp"

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
  return check(PQexec(conn_.get(), sql), on_error);
}

Rows Connection::run(std::size_t id, const std::string& sql, const Params& params) {
  const std::string name = "highseas_" + std::to_string(id);
  if (id >= prepared_.size()) prepared_.resize(id + 1, false);
  if (!prepared_[id]) {
    check(PQprepare(conn_.get(), name.c_str(), sql.c_str(), params.size(), nullptr),
          Failure::retryable);
    prepared_[id] = true;
  }
  const std::vector<const char*> values = params.pointers();
  return check(
      PQexecPrepared(conn_.get(), name.c_str(), params.size(), values.data(), nullptr, nullptr, 0),
      Failure::retryable);
}

Rows Connection::run_once(const std::string& sql, const Params& params) {
  const std::vector<const char*> values = params.pointers();
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
  const bool lost = PQstatus(conn_.get()) != CONNECTION_OK;
  const bool retry = lost || (state != nullptr && transient(state));
  if (retry && on_error == Failure::retryable) {
    throw RetryableStorageError("postgres: " + message);
  }
  throw StorageError("postgres: " + message);
}

}  // namespace highseas::pg
