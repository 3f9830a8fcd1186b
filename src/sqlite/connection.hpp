// One SQLite connection with its cache of prepared statements.
//
// Preparing a statement costs more than running it; each connection prepares
// each statement once (SQLITE_PREPARE_PERSISTENT) and reuses it for its life,
// so a command does no parsing and no schema work.
//
// Thread-safety: one thread at a time (SqliteStorage's pool guarantees it).
#pragma once

#include <array>
#include <chrono>
#include <string>

#include "highseas/sqlite/sqlite_storage.hpp"
#include "sqlite_handle.hpp"
#include "statements.hpp"

namespace highseas::sqlite_detail {

class Connection {
 public:
  // Opens `options.path` read-write (creating it if missing) without reading
  // it yet. Throws StorageError naming the file.
  explicit Connection(const SqliteOptions& options);
  // Applies the per-connection settings (synchronous). Reads the file, so it
  // runs only once the file is known to be a HighSeas database.
  void configure(const SqliteOptions& options);

  // Returns the raw handle.
  sqlite3* get() const noexcept { return db_.get(); }
  // Returns the file's path, for messages.
  const std::string& path() const noexcept { return path_; }
  // Returns "SQLite storage '<path>'", the start of every message about the file.
  const std::string& where() const noexcept { return where_; }
  // Returns a use of the cached statement, preparing it on first use.
  Query query(Sql statement);
  // Rolls back any open transaction; returns false if the connection is no
  // longer trustworthy and should be closed.
  bool reset() noexcept;

 private:
  std::string path_;
  std::string where_;
  DatabaseHandle db_;
  std::array<StatementHandle, static_cast<std::size_t>(Sql::count)> statements_;
};

}  // namespace highseas::sqlite_detail
