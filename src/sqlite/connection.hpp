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
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "highseas/sqlite/sqlite_storage.hpp"
#include "sqlite_handle.hpp"
#include "statements.hpp"

namespace highseas::sqlite_detail {

// What this connection has read of each pool's settings and members, so a
// command does not look them up again: every command needs both, they change
// rarely. Valid while PRAGMA data_version (which changes when any other
// connection, in this process or another, commits) reads `data_version`;
// this connection's own writes to pools or members clear it.
class Lookups {
 public:
  struct Pool {
    // find_pool's answer, once read.
    std::optional<std::optional<PoolRecord>> record;
    // find_member's answers (nothing: not a member), by user id.
    std::map<std::string, std::optional<Role>, std::less<>> members;
  };
  // The most members remembered per pool; past it the map starts again.
  static constexpr std::size_t kMaxMembers = 4096;

  // Forgets everything unless `data_version` is the one the answers were read at.
  void revalidate(std::int64_t data_version) {
    if (data_version == data_version_) return;
    pools_.clear();
    data_version_ = data_version;
  }
  // Forgets everything (this connection wrote pools or members).
  void clear() noexcept {
    pools_.clear();
    data_version_ = -1;
  }
  // Returns the answers for `pool`.
  Pool& pool(std::string_view pool) {
    auto found = pools_.find(pool);
    if (found == pools_.end()) found = pools_.emplace(std::string(pool), Pool{}).first;
    return found->second;
  }

 private:
  std::int64_t data_version_ = -1;
  std::map<std::string, Pool, std::less<>> pools_;
};

class Connection {
 public:
  // Opens `options.path` read-write (creating it if missing) without reading
  // it yet. Throws StorageError naming the file.
  explicit Connection(const SqliteOptions& options);
  // Applies the per-connection settings (synchronous, wal_autocheckpoint,
  // journal_size_limit). Reads the file, so it
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
  // Returns the pool and member answers cached on this connection.
  Lookups& lookups() noexcept { return lookups_; }

 private:
  std::string path_;
  std::string where_;
  DatabaseHandle db_;
  std::array<StatementHandle, static_cast<std::size_t>(Sql::count)> statements_;
  Lookups lookups_;
};

}  // namespace highseas::sqlite_detail
