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
/// command's commit; with full, one commit per 1000 WAL frames (the option
/// wal_autocheckpoint) checkpoints, as SQLite does by default (measured faster
/// there: the thread's fsyncs slowed every commit's own). Either way a crash during a checkpoint is
/// recovered from the WAL.
///
/// A full disk, a filesystem mounted (or forced) read-only and a file the
/// process may not write are StorageErrors that say which it is and name the
/// file; a command that fails on one changed nothing, and once space is freed
/// the same storage works again. Beside the file, SQLite needs free
/// space for its WAL (about wal_autocheckpoint pages, up to journal_size_limit
/// after a burst) and its -shm index (32 KiB per 4096 WAL pages).
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
#include <cstdint>
#include <memory>
#include <optional>
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
  /// How long PublicPool keeps retrying a command that finds the file busy
  /// (another process's long write, say a strict import), in all; then the
  /// command fails with a StorageError saying it did not complete in time.
  /// Default: none; PublicPool tries a command 32 times, each waiting up to
  /// busy_timeout.
  std::optional<std::chrono::milliseconds> command_timeout = std::nullopt;

  // --- Performance ---
  /// The most connections open at once, each with its prepared statements; a
  /// transaction beyond them waits for one to be free. Default: 16.
  std::size_t max_connections = 16;
  /// How long begin() waits for a free connection before it throws
  /// StorageError ("all 16 connections busy for 10 s"). Default: 10 s.
  std::chrono::milliseconds connection_wait{10000};

  // --- Disk space ---
  /// WAL size, in pages, at which a checkpoint copies the WAL back into the
  /// database file so the WAL can start again from its beginning (PRAGMA
  /// wal_autocheckpoint). With SqliteSynchronous::full the commit that reaches
  /// it checkpoints; with normal it wakes the storage's checkpoint thread, and
  /// a commit checkpoints by itself at 8 times as many pages should the thread
  /// fall behind. The WAL, and the free space it needs beside the database,
  /// grows to about this many pages (4 KiB each) before it is reused: smaller
  /// needs less space and recovers from a full disk after less is freed,
  /// at the cost of more checkpoints (more fsyncs). Must be 1 or more; the
  /// storage throws StorageError naming the option otherwise. Default: 1000
  /// (about 4 MiB, SQLite's default).
  int wal_autocheckpoint = 1000;
  /// Bytes the WAL file is cut back to when it starts again after a
  /// checkpoint (PRAGMA journal_size_limit). Without a limit SQLite reuses the
  /// file in place and never shrinks it, so one burst (a big import, a long
  /// read holding checkpoints back) keeps the disk space of its high-water
  /// mark for good. 0 cuts it back to nothing each time. Must be 0 or more;
  /// the storage throws StorageError naming the option otherwise. Default:
  /// 6 MiB, half again the WAL at the default wal_autocheckpoint (1000 pages of
  /// 4 KiB plus frame headers, about 4 MiB), so a WAL in ordinary use is
  /// reused without being cut and regrown each time, and only a larger one
  /// gives space back. With a smaller wal_autocheckpoint, lower it to match.
  std::int64_t journal_size_limit = std::int64_t{6} * 1024 * 1024;
};

/// The Storage in one SQLite file.
class SqliteStorage final : public Storage {
 public:
  /// The schema version this library writes (PRAGMA user_version).
  static constexpr int kSchemaVersion = 11;

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

  /// Returns SqliteOptions::command_timeout.
  std::optional<std::chrono::milliseconds> command_timeout() const noexcept override;

  /// Returns the options the storage was opened with.
  const SqliteOptions& options() const noexcept;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace highseas
