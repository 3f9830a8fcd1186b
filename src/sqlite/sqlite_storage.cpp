#include "highseas/sqlite/sqlite_storage.hpp"

#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <mutex>
#include <system_error>
#include <utility>

#include "checkpointer.hpp"
#include "connection.hpp"
#include "diagnosis.hpp"
#include "schema.hpp"
#include "sql/connection_pool.hpp"
#include "sqlite_transaction.hpp"

namespace highseas {

namespace {

[[noreturn]] void refuse_path(const std::string& path, const std::string& problem) {
  throw StorageError("SQLite storage '" + path + "': " + problem);
}

// Checks what SQLite would only report as "unable to open database file", so
// the message says which of the usual causes it is.
void check_path(const std::string& path) {
  namespace fs = std::filesystem;
  if (path.empty()) throw StorageError("SQLite storage: no database path given");
  std::error_code error;
  fs::path directory = fs::path(path).parent_path();
  if (directory.empty()) directory = ".";
  const fs::file_status directory_status = fs::status(directory, error);
  if (!fs::exists(directory_status)) {
    refuse_path(path, "the directory '" + directory.string() + "' does not exist");
  }
  if (!fs::is_directory(directory_status)) {
    refuse_path(path, "'" + directory.string() + "' is not a directory");
  }
  // WAL needs to create the -wal and -shm files beside the database. On a
  // read-only filesystem access() fails with EROFS whatever the modes say.
  const std::string read_only_filesystem =
      sqlite_detail::explain(sqlite_detail::WriteProblem::read_only_filesystem);
  if (::access(directory.c_str(), W_OK | X_OK) != 0) {
    if (errno == EROFS) refuse_path(path, read_only_filesystem);
    refuse_path(path, "no permission to write in the directory '" + directory.string() +
                          "' (check its owner and mode: SQLite needs to create "
                          "its -wal and -shm "
                          "files there)");
  }
  const fs::file_status file_status = fs::status(path, error);
  if (fs::exists(file_status)) {
    if (!fs::is_regular_file(file_status)) refuse_path(path, "not a regular file");
    if (::access(path.c_str(), R_OK | W_OK) != 0) {
      if (errno == EROFS) refuse_path(path, read_only_filesystem);
      refuse_path(path,
                  "no permission to read and write the file (check its "
                  "owner and mode)");
    }
  }
}

// Refuses options that mean nothing, naming the option, before any file is
// touched.
void check_options(const SqliteOptions& options) {
  const std::string where = "SQLite storage '" + options.path + "': ";
  if (options.wal_autocheckpoint < 1 ||
      options.wal_autocheckpoint > sqlite_detail::Checkpointer::kMaxWakeFrames) {
    throw StorageError(where + "wal_autocheckpoint must be between 1 and " +
                       std::to_string(sqlite_detail::Checkpointer::kMaxWakeFrames) +
                       " pages, not " + std::to_string(options.wal_autocheckpoint));
  }
  if (options.journal_size_limit < 0) {
    throw StorageError(where + "journal_size_limit must be 0 bytes or more, not " +
                       std::to_string(options.journal_size_limit));
  }
}

}  // namespace

// The shared state of a storage: its options, its connections, and the
// in-process writer lock. Threads of one process queue on the mutex (cheap,
// fair wake-ups) instead of spinning in SQLite's busy handler; the busy
// timeout is left for writers in other processes.
class SqliteStorage::Impl {
 public:
  explicit Impl(SqliteOptions options)
      : options_(std::move(options)),
        connections_({options_.max_connections, options_.connection_wait},
                     "SQLite storage '" + options_.path + "'",
                     [this](Deadline) { return open(); }) {
    check_options(options_);
    check_path(options_.path);
    auto first = std::make_unique<sqlite_detail::Connection>(options_);
    sqlite_detail::check_file(first->get(), options_.path, kSchemaVersion);
    sqlite_detail::migrate(first->get(), options_.path, kSchemaVersion);
    first->configure(options_);
    // Measured on this project's 2-core VM (bench/README.md): with NORMAL a
    // checkpoint thread makes claims ~1.5x faster; with FULL its fsyncs,
    // running beside every commit's own, made them ~1.3x slower than SQLite's
    // checkpoint inside one commit per 1000 frames, so FULL keeps SQLite's
    // (PRAGMA wal_autocheckpoint, set by configure()).
    if (options_.synchronous != SqliteSynchronous::full) {
      checkpointer_ = std::make_unique<sqlite_detail::Checkpointer>(options_);
      checkpointer_->watch(first->get());
    }
    connections_.adopt(std::move(first));
  }

  std::unique_ptr<Transaction> begin(const PoolId& pool, TransactionMode mode) {
    std::unique_lock<std::mutex> writer;
    if (mode == TransactionMode::read_write) writer = std::unique_lock(writer_mutex_);
    return std::make_unique<sqlite_detail::SqliteTransaction>(
        connections_.acquire(),
        [this](std::unique_ptr<sqlite_detail::Connection> c) {
          connections_.release(std::move(c));
        },
        pool, mode, std::move(writer));
  }

  const SqliteOptions& options() const noexcept { return options_; }

 private:
  std::unique_ptr<sqlite_detail::Connection> open() const {
    auto connection = std::make_unique<sqlite_detail::Connection>(options_);
    connection->configure(options_);
    if (checkpointer_) checkpointer_->watch(connection->get());
    return connection;
  }

  SqliteOptions options_;
  std::mutex writer_mutex_;
  // Checkpoints off the commit path with synchronous NORMAL (see
  // checkpointer.hpp); null with FULL. Declared before the connections, so it
  // outlives them.
  std::unique_ptr<sqlite_detail::Checkpointer> checkpointer_;
  // At most options_.max_connections, each keeping its prepared statements.
  sql::ConnectionPool<sqlite_detail::Connection> connections_;
};

SqliteStorage::SqliteStorage(SqliteOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

SqliteStorage::~SqliteStorage() = default;

std::unique_ptr<Transaction> SqliteStorage::begin(const PoolId& pool, TransactionMode mode) {
  return impl_->begin(pool, mode);
}

std::optional<std::chrono::milliseconds> SqliteStorage::command_timeout() const noexcept {
  return impl_->options().command_timeout;
}

const SqliteOptions& SqliteStorage::options() const noexcept { return impl_->options(); }

}  // namespace highseas
