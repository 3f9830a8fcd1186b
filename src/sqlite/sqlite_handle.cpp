#include "sqlite_handle.hpp"

#include "diagnosis.hpp"
#include "highseas/storage.hpp"

namespace highseas::sqlite_detail {

namespace {

// Returns the errno of the system call behind the failure, or 0. SQLite's
// sqlite3_system_errno() is often 0 by the time a failed COMMIT is reported
// (a write to the WAL forced read-only gave SQLITE_IOERR_WRITE with errno 0),
// but each file remembers the errno of its last failed call: the WAL's (or
// rollback journal's) first, where commits write, then the database file's.
int last_errno(sqlite3* db) {
  if (db == nullptr) return 0;
  if (const int system = sqlite3_system_errno(db); system != 0) return system;
  int remembered = 0;
  sqlite3_file* journal = nullptr;
  if (sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &journal) == SQLITE_OK &&
      journal != nullptr && journal->pMethods != nullptr &&
      journal->pMethods->xFileControl(journal, SQLITE_FCNTL_LAST_ERRNO, &remembered) == SQLITE_OK &&
      remembered != 0) {
    return remembered;
  }
  remembered = 0;
  if (sqlite3_file_control(db, "main", SQLITE_FCNTL_LAST_ERRNO, &remembered) != SQLITE_OK) return 0;
  return remembered;
}

// Returns what stopped a write, when `rc` says a write failed: SQLite's own
// words do not tell a read-only filesystem from a missing permission (and
// "database or disk is full" leaves the reader to guess which).
WriteProblem write_problem(sqlite3* db, int rc, const std::string& path) {
  const int primary = rc & 0xFF;
  if (primary == SQLITE_FULL) return WriteProblem::disk_full;
  if (primary != SQLITE_IOERR && primary != SQLITE_CANTOPEN && primary != SQLITE_READONLY &&
      primary != SQLITE_PERM) {
    return WriteProblem::none;
  }
  const WriteProblem named = problem_from_errno(last_errno(db));
  if (named != WriteProblem::none) return named;
  // No errno to go by: ask the filesystem (a read-only mount, the modes).
  return probe_write_problem(path);
}

}  // namespace

void throw_error(sqlite3* db, int rc, const std::string& path, std::string_view doing) {
  const char* detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  const std::string cause = explain(write_problem(db, rc, path));
  std::string message = "SQLite storage '" + path + "': " + (cause.empty() ? "" : cause + ": ") +
                        std::string(doing) + ": " + detail + " (SQLite code " + std::to_string(rc) +
                        ")";
  const int primary = rc & 0xFF;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    throw RetryableStorageError(message);
  }
  throw StorageError(message);
}

void Query::check_bind(int rc) {
  if (rc != SQLITE_OK) throw_error(sqlite3_db_handle(statement_), rc, *path_, "binding");
}

Query& Query::bind(int index, std::string_view text) {
  // SQLITE_TRANSIENT: SQLite copies the bytes, so temporaries are safe to bind.
  // A null data pointer would bind NULL, so an empty view binds "" instead.
  check_bind(sqlite3_bind_text(statement_, index, text.empty() ? "" : text.data(),
                               static_cast<int>(text.size()), SQLITE_TRANSIENT));
  return *this;
}

Query& Query::bind(int index, std::int64_t value) {
  check_bind(sqlite3_bind_int64(statement_, index, value));
  return *this;
}

Query& Query::bind(int index, std::optional<std::int64_t> value) {
  check_bind(value ? sqlite3_bind_int64(statement_, index, *value)
                   : sqlite3_bind_null(statement_, index));
  return *this;
}

Query& Query::bind_or_null(int index, const std::optional<std::string>& text) {
  if (text) return bind(index, std::string_view(*text));
  check_bind(sqlite3_bind_null(statement_, index));
  return *this;
}

bool Query::step() {
  const int rc = sqlite3_step(statement_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  const char* sql = sqlite3_sql(statement_);
  throw_error(sqlite3_db_handle(statement_), rc, *path_,
              std::string("running \"") + (sql != nullptr ? sql : "?") + "\"");
}

std::string Query::text(int index) const {
  const auto* bytes = reinterpret_cast<const char*>(sqlite3_column_text(statement_, index));
  if (bytes == nullptr) return {};
  return {bytes, static_cast<std::size_t>(sqlite3_column_bytes(statement_, index))};
}

std::optional<std::string> Query::optional_text(int index) const {
  if (sqlite3_column_type(statement_, index) == SQLITE_NULL) return std::nullopt;
  return text(index);
}

std::optional<std::int64_t> Query::optional_integer(int index) const {
  if (sqlite3_column_type(statement_, index) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_int64(statement_, index);
}

}  // namespace highseas::sqlite_detail
