// Small RAII wrappers over the SQLite C API: a connection, a prepared
// statement, and one use of a statement.
//
// Why the C API and not a wrapper library: the storage needs a handful of
// calls (open, prepare, bind, step, reset), precise control over error codes
// (SQLITE_BUSY must become RetryableStorageError) and nothing beyond
// libsqlite3-dev on a host's install chain. Thirty lines of RAII give that.
//
// Thread-safety: a Connection (and its statements) belongs to one thread at a
// time; SqliteStorage hands connections out from a pool.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace highseas::sqlite_detail {

// Throws the StorageError for `rc` on `db`: RetryableStorageError for busy and
// locked, StorageError otherwise; the message names `path`, what stopped a
// failed write (a full disk, a read-only filesystem, a missing permission:
// diagnosis.hpp) when it can tell, and what failed.
[[noreturn]] void throw_error(sqlite3* db, int rc, const std::string& path, std::string_view doing);

// Closes a connection.
struct CloseDatabase {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
// Finalizes a statement.
struct FinalizeStatement {
  void operator()(sqlite3_stmt* statement) const noexcept { sqlite3_finalize(statement); }
};

using DatabaseHandle = std::unique_ptr<sqlite3, CloseDatabase>;
using StatementHandle = std::unique_ptr<sqlite3_stmt, FinalizeStatement>;

// One use of a prepared statement: bind, step, read columns. The destructor
// resets the statement and clears its bindings so the cached statement is
// ready for the next use (and releases its read lock).
class Query {
 public:
  Query(sqlite3_stmt* statement, const std::string& path) : statement_(statement), path_(&path) {}
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  ~Query() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }

  // Binds text to parameter `index` (1-based).
  Query& bind(int index, std::string_view text);
  // Binds an integer.
  Query& bind(int index, std::int64_t value);
  // Binds an integer, or NULL when empty.
  Query& bind(int index, std::optional<std::int64_t> value);
  // Binds text, or NULL when empty.
  Query& bind_or_null(int index, const std::optional<std::string>& text);

  // Steps once; returns true iff a row is ready. Throws on error.
  bool step();
  // Steps until done; for statements that return no rows.
  void run() {
    while (step()) {
    }
  }

  // Returns column `index` (0-based) as text; empty for NULL.
  std::string text(int index) const;
  // Returns column `index` as text, or nothing for NULL.
  std::optional<std::string> optional_text(int index) const;
  // Returns column `index` as an integer; 0 for NULL.
  std::int64_t integer(int index) const { return sqlite3_column_int64(statement_, index); }
  // Returns column `index` as an integer, or nothing for NULL.
  std::optional<std::int64_t> optional_integer(int index) const;

 private:
  void check_bind(int rc);

  sqlite3_stmt* statement_;
  const std::string* path_;
};

}  // namespace highseas::sqlite_detail
