/// @file
/// SqliteStorage: a durable Storage in one SQLite file, for hosts that want
/// their pools to survive a restart without running a database server.
///
/// One file holds any number of pools. The library creates the schema in a new
/// or empty file and migrates older HighSeas files (PRAGMA user_version); it
/// refuses, without changing a byte, a file that is not a HighSeas database, a
/// newer schema, a corrupt file, or a path it cannot write.
///
/// Durability: WAL journal. With SqliteSynchronous::full (the default) a
/// committed command survives power loss; with normal it survives a crash of the
/// process but the last commits may be lost on power loss or an OS crash, in
/// exchange for much faster commits. With normal, checkpoints (copying the WAL
/// back into the database file) run on a thread of the storage, not inside a
/// command's commit; with full, one commit per 1000 WAL frames checkpoints, as
/// SQLite does by default (measured faster there: the thread's fsyncs slowed
/// every commit's own). Either way a crash during a checkpoint is recovered
/// from the WAL.
///
/// Thread-safety: safe for concurrent use from many threads; several processes
/// may share one file. Commands (read_write transactions) take SQLite's write
/// lock with BEGIN IMMEDIATE, one at a time per file; queries read a snapshot
/// and never wait for writers. A writer that waits longer than busy_timeout
/// surfaces as RetryableStorageError, which PublicPool retries. An open
/// SqliteStorage must not be carried across fork(): open a new one in the child.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "highseas/storage.hpp"

namespace highseas {

/// How hard SQLite pushes each commit to disk.
enum class SqliteSynchronous {
  full,    ///< every commit survives power loss (fsync per commit)
  normal,  ///< survives a process crash; power loss may lose the latest commits
};

/// Which file SqliteStorage opens and how it commits.
struct SqliteOptions {
  // --- Behaviour ---
  /// The database file; created if missing (its directory must exist).
  std::string path;
  /// Durability of each commit. Default: SqliteSynchronous::full.
  SqliteSynchronous synchronous = SqliteSynchronous::full;
  /// How long a command waits for another process's write lock before it is
  /// retried. Default: 5 s.
  std::chrono::milliseconds busy_timeout{5000};

  // --- Performance ---
  /// The most connections open at once, each with its prepared statements; a
  /// transaction beyond them waits for one to be free. Default: 16.
  std::size_t max_connections = 16;
  /// How long begin() waits for a free connection before it throws
  /// StorageError ("all 16 connections busy for 10 s"). Default: 10 s.
  std::chrono::milliseconds connection_wait{10000};
};

/// The Storage in one SQLite file.
class SqliteStorage final : public Storage {
 public:
  /// The schema version this library writes (PRAGMA user_version).
  static constexpr int kSchemaVersion = 4;

  /// Opens (or creates) the file and brings its schema up to date. Throws
  /// StorageError naming the file and the problem if it cannot be used.
  explicit SqliteStorage(SqliteOptions options);
  SqliteStorage(const SqliteStorage&) = delete;
  SqliteStorage& operator=(const SqliteStorage&) = delete;
  /// Closes every connection. REQUIRES: no transaction is open.
  ~SqliteStorage() override;

  /// Opens a transaction over `pool`: BEGIN IMMEDIATE for read_write, a
  /// snapshot read for read_only.
  std::unique_ptr<Transaction> begin(const PoolId& pool, TransactionMode mode) override;

  /// Returns the options the storage was opened with.
  const SqliteOptions& options() const noexcept;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace highseas
