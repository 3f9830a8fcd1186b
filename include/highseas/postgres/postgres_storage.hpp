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
/// COMMIT throws CommitOutcomeUnknown. A lost connection is replaced on the
/// next begin().
///
/// Cost: writes and BEGIN/COMMIT travel with the next statement (libpq
/// pipeline mode), so a claim takes five round trips including its durable
/// COMMIT. A sweep batch of 512 is one statement (lock, update and history
/// together) in one round trip; with the pool lookup and the COMMIT that
/// carries the holders' counters, three.
///
/// A sick database: every wait on the server is bounded (PostgresOptions:
/// command_timeout, connect_timeout, statement_timeout, lock_timeout), so a
/// hung server or a network partition costs a command at most
/// command_timeout, never a blocked thread. README, "When the database
/// misbehaves", says what a host sees for each fault.
///
/// Thread-safety: PostgresStorage and PostgresClock are safe to use from many
/// threads. Each transaction owns one pooled connection for its whole life.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
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
  /// Most connections the storage opens at once; more callers wait their turn
  /// (first come, first served). Never more than the server accepts: capped
  /// at its max_connections minus superuser_reserved_connections minus one
  /// (left for a PostgresClock or an operator). Keep the sum over all app
  /// servers below that too; a connection the server refuses ("too many
  /// clients") is retried within command_timeout. Default: 16.
  std::size_t max_connections = 16;
  /// How long a caller waits for a free connection before a StorageError
  /// ("all 16 connections busy for 10 s"); command_timeout ends the wait
  /// sooner. Default: 10 s.
  std::chrono::milliseconds connection_wait{10000};

  // --- When the database is sick (README: "When the database misbehaves") ---
  /// Longest one command may take, its retries included: a command still
  /// failing or waiting for the server then throws StorageError ("the
  /// database did not answer within 5 s") and has changed nothing, or
  /// CommitOutcomeUnknown if its COMMIT was in flight. A refused connection,
  /// a restarting server or "too many clients" is retried until then. Also
  /// bounds each query of a PostgresClock. Must be positive. Default: 5 s.
  std::chrono::milliseconds command_timeout{5000};
  /// Longest opening one connection may take (network, TLS, authentication)
  /// before that attempt fails and is retried. Must be positive. Default: 5 s.
  std::chrono::milliseconds connect_timeout{5000};
  /// The server cancels a statement of the library's running longer
  /// (statement_timeout; 0: never); the command is then retried. Default: 3 s.
  std::chrono::milliseconds statement_timeout{3000};
  /// The server stops a statement waiting longer for a lock (lock_timeout;
  /// 0: never); the command is then retried. Default: 2 s.
  std::chrono::milliseconds lock_timeout{2000};
  /// The server ends a session of the library's left inside a transaction
  /// this long (a host thread stuck mid-command), freeing its locks
  /// (idle_in_transaction_session_timeout; 0: never). Default: 30 s.
  std::chrono::milliseconds idle_in_transaction_timeout{30000};
  /// TCP keepalives: the first probe after this much silence on a
  /// connection, so a dead peer is noticed on idle pooled connections. TCP
  /// only (a Unix socket needs none); `connection` may override it with
  /// keepalives_idle. Default: 10 s.
  std::chrono::seconds keepalive_idle{10};
  /// TCP keepalives: seconds between unanswered probes. Default: 3 s.
  std::chrono::seconds keepalive_interval{3};
  /// TCP keepalives: unanswered probes before the connection counts as dead.
  /// Default: 3.
  int keepalive_count = 3;
};

/// The Storage in a PostgreSQL database, shared by any number of app servers.
class PostgresStorage final : public Storage {
 public:
  /// Connects once (waiting up to command_timeout for a server that is
  /// restarting or out of connections), creating or migrating the schema.
  /// Throws StorageError if the database cannot be reached or its schema is
  /// newer than this library.
  explicit PostgresStorage(PostgresOptions options);
  ~PostgresStorage() override;
  PostgresStorage(const PostgresStorage&) = delete;
  PostgresStorage& operator=(const PostgresStorage&) = delete;

  /// Opens a transaction over `pool` on a pooled connection (reconnecting if
  /// the connection was lost), due within command_timeout from now. Throws
  /// StorageError if the database is down.
  std::unique_ptr<Transaction> begin(const PoolId& pool, TransactionMode mode) override;
  /// Runs `body` in a transaction whose every wait (a free connection, a new
  /// connection, each answer of the server) ends by `deadline`; past it, the
  /// connection is closed and StorageError thrown.
  void transact(const PoolId& pool, TransactionMode mode, Deadline deadline,
                TransactionBody body) override;
  /// Returns the options' command_timeout.
  std::optional<std::chrono::milliseconds> command_timeout() const noexcept override;

  /// Returns the schema version this library creates and reads.
  static int schema_version() noexcept;

  class Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

/// Reads the database server's clock (clock_timestamp()), so deadlines never
/// depend on which app server handled a request. To avoid a round trip per
/// command it asks the server at most once per `resync` and advances a
/// monotonic local clock in between; resync = 0 asks on every call. Any
/// failed query drops its connection and is tried once more on a new one
/// (the server may have restarted). It never goes backwards: a server whose
/// clock is behind what was already served (a failover, a clock step) is
/// held at the last time served until it catches up.
class PostgresClock final : public Clock {
 public:
  /// Connects to the database in `options` (its connection, connect_timeout,
  /// command_timeout and keepalive settings are used), waiting up to
  /// command_timeout for a server that is restarting or out of connections.
  /// Throws StorageError if it cannot.
  explicit PostgresClock(const PostgresOptions& options, Duration resync = seconds(1));
  ~PostgresClock() override;
  PostgresClock(const PostgresClock&) = delete;
  PostgresClock& operator=(const PostgresClock&) = delete;

  /// Returns the database's current UTC time. Throws RetryableStorageError if
  /// the database could not be asked (twice, each within command_timeout), so
  /// a command asking it is retried within its own deadline.
  Time now() const override;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace highseas
