#include "sqlite_handle.hpp"

#include "diagnosis.hpp"
#include "highseas/storage.hpp"

namespace highseas::sqlite_detail {

namespace {

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
  // The errno of the system call that failed, when SQLite made one.
  const WriteProblem named = problem_from_errno(db != nullptr ? sqlite3_system_errno(db) : 0);
  if (named != WriteProblem::none || primary != SQLITE_READONLY) return named;
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
