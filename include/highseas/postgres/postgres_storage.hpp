/// @file
/// PostgresStorage: pools in a PostgreSQL database shared by many app servers.
/// PostgresClock: the database's clock, so every app server agrees on "now".
///
///   highseas::PostgresStorage storage({.connection = "postgresql://crm@db/crm"});
///   highseas::PostgresClock clock({.connection = "postgresql://crm@db/crm"});
///   highseas::PublicPool pool(highseas::PoolId("tenant-42"), storage, clock);
///
/// The library creates and migrates its tables (a version table records the
/// step reached) in `PostgresOptions::schema`. Every table is keyed by pool id,
/// so many pools (tenants) share one database without seeing each other.
///
/// Concurrency: many processes on many machines may run the same pool. A
/// read_write transaction runs at READ COMMITTED and locks what it reads, always
/// in one order: the customer row, then the holder's counter row. The per-user
/// counter makes the cap immune to write skew; list_due and return_due use FOR
/// UPDATE SKIP LOCKED, so sweeps on several nodes never block each other and
/// never return the same holding twice (a holding locked by a command at that
/// instant is left for the next sweep). Imports looking up the same normalised name queue
/// on an advisory lock, so concurrent imports report the collision. Deadlocks,
/// serialization failures and connections lost before COMMIT throw
/// RetryableStorageError, which PublicPool retries; a connection lost during
/// COMMIT throws StorageError (the outcome is unknown). A lost connection is
/// replaced on the next begin().
///
/// Cost: writes and BEGIN/COMMIT travel with the next statement (libpq
/// pipeline mode), so a claim takes five round trips including its durable
/// COMMIT. A sweep batch of 512 is one statement (lock, update and history
/// together) in one round trip; with the pool lookup and the COMMIT that
/// carries the holders' counters, three.
///
/// Thread-safety: PostgresStorage and PostgresClock are safe to use from many
/// threads. Each transaction owns one pooled connection for its whole life.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "highseas/clock.hpp"
#include "highseas/storage.hpp"
#include "highseas/time.hpp"

namespace highseas {

/// Where the pools live.
struct PostgresOptions {
  /// A libpq connection string or URI, e.g. "postgresql://user@host:5432/db".
  std::string connection;
  /// The schema holding HighSeas' tables; created if missing. Default: "highseas".
  std::string schema = "highseas";

  // --- Performance ---
  // The most connections a PostgresStorage opens at once; a transaction
  // beyond them waits for one to be free. Keep the sum over all app servers
  // below the server's max_connections. Default: 16.
  /// Most connections the storage opens at once; more callers wait their turn.
  std::size_t max_connections = 16;
  // How long begin() waits for a free connection before it throws
  // StorageError ("all 16 connections busy for 10 s"). Default: 10 s.
  /// How long a caller waits for a connection before a StorageError.
  std::chrono::milliseconds connection_wait{10000};
};

/// The Storage in a PostgreSQL database, shared by any number of app servers.
class PostgresStorage final : public Storage {
 public:
  /// Connects once, creating or migrating the schema. Throws StorageError if the
  /// database cannot be reached or its schema is newer than this library.
  explicit PostgresStorage(PostgresOptions options);
  ~PostgresStorage() override;
  PostgresStorage(const PostgresStorage&) = delete;
  PostgresStorage& operator=(const PostgresStorage&) = delete;

  /// Opens a transaction over `pool` on a pooled connection (reconnecting if
  /// the connection was lost). Throws StorageError if the database is down.
  std::unique_ptr<Transaction> begin(const PoolId& pool, TransactionMode mode) override;

  /// Returns the schema version this library creates and reads.
  static int schema_version() noexcept;

  class Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

/// Reads the database server's clock (clock_timestamp()), so deadlines never
/// depend on which app server handled a request. To avoid a round trip per
/// command it asks the server at most once per `resync` and advances a
/// monotonic local clock in between; resync = 0 asks on every call.
class PostgresClock final : public Clock {
 public:
  /// Connects to the database in `options` (only `connection` is used).
  explicit PostgresClock(const PostgresOptions& options, Duration resync = seconds(1));
  ~PostgresClock() override;
  PostgresClock(const PostgresClock&) = delete;
  PostgresClock& operator=(const PostgresClock&) = delete;

  /// Returns the database's current UTC time. Throws StorageError if the
  /// database cannot be reached.
  Time now() const override;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace highseas
