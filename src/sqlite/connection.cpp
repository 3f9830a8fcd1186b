#include "connection.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "diagnosis.hpp"
#include "highseas/storage.hpp"

namespace highseas::sqlite_detail {

Connection::Connection(const SqliteOptions& options)
    : path_(options.path), where_("SQLite storage '" + options.path + "'") {
  sqlite3* raw = nullptr;
  // NOMUTEX: a connection is used by one thread at a time, so SQLite's own
  // per-connection mutex is pure cost.
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path_.c_str(), &raw, flags, nullptr);
  db_.reset(raw);  // closes even a failed open
  if (rc != SQLITE_OK) throw_error(raw, rc, path_, "cannot open the database file");
  sqlite3_extended_result_codes(raw, 1);
  if (sqlite3_db_readonly(raw, "main") == 1) {
    // SQLite fell back to reading only: say why it could not write.
    std::string cause = explain(probe_write_problem(path_));
    if (cause.empty()) cause = "SQLite could open it for reading only";
    throw StorageError(where_ + ": " + cause);
  }
  const auto timeout = options.busy_timeout.count();
  sqlite3_busy_timeout(
      raw, static_cast<int>(std::min<decltype(timeout)>(std::max<decltype(timeout)>(timeout, 0),
                                                        std::numeric_limits<int>::max())));
}

void Connection::configure(const SqliteOptions& options) {
  sqlite3* raw = db_.get();
  const char* synchronous = options.synchronous == SqliteSynchronous::full
                                ? "PRAGMA synchronous = FULL"
                                : "PRAGMA synchronous = NORMAL";
  const int set = sqlite3_exec(raw, synchronous, nullptr, nullptr, nullptr);
  if (set != SQLITE_OK) throw_error(raw, set, path_, "setting synchronous");
  // SQLite's own checkpoint after this many WAL pages; with synchronous
  // NORMAL the storage's Checkpointer replaces it (its WAL hook, installed
  // after this, takes the place of SQLite's) and uses the same threshold.
  const std::string checkpoint =
      "PRAGMA wal_autocheckpoint = " + std::to_string(options.wal_autocheckpoint);
  const int autocheckpoint = sqlite3_exec(raw, checkpoint.c_str(), nullptr, nullptr, nullptr);
  if (autocheckpoint != SQLITE_OK) {
    throw_error(raw, autocheckpoint, path_, "setting wal_autocheckpoint");
  }
  // Cut the WAL back to this size when it restarts after a checkpoint.
  const std::string limit =
      "PRAGMA journal_size_limit = " + std::to_string(options.journal_size_limit);
  const int limited = sqlite3_exec(raw, limit.c_str(), nullptr, nullptr, nullptr);
  if (limited != SQLITE_OK) throw_error(raw, limited, path_, "setting journal_size_limit");
}

Query Connection::query(Sql statement) {
  StatementHandle& cached = statements_[static_cast<std::size_t>(statement)];
  if (!cached) {
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v3(db_.get(), sql_text(statement), -1, SQLITE_PREPARE_PERSISTENT,
                                      &raw, nullptr);
    cached.reset(raw);
    if (rc != SQLITE_OK) throw_error(db_.get(), rc, path_, "preparing a statement");
  }
  return {cached.get(), path_};
}

bool Connection::reset() noexcept {
  if (sqlite3_get_autocommit(db_.get()) != 0) return true;  // no transaction open
  return sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr) == SQLITE_OK;
}

}  // namespace highseas::sqlite_detail
