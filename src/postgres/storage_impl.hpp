// PostgresStorage's shared state: options, statements and the connection
// pool. Internal to highseas_postgres.
#pragma once

#include <memory>
#include <string>

#include "highseas/postgres/postgres_storage.hpp"
#include "pq.hpp"
#include "sql/connection_pool.hpp"
#include "statements.hpp"

namespace highseas {

class PostgresStorage::Impl {
 public:
  // Checks the options, connects once and migrates the schema; that
  // connection becomes the first idle one. Throws StorageError.
  explicit Impl(PostgresOptions options);

  // Returns a pooled connection for the caller's sole use, waiting while all
  // max_connections are busy, until `deadline` at most. Throws StorageError.
  std::unique_ptr<pg::Connection> acquire(Deadline deadline) {
    return connections_->acquire(deadline);
  }
  // Hands back a connection from acquire(): kept if it is healthy and outside
  // any transaction, closed otherwise.
  void release(std::unique_ptr<pg::Connection> connection) noexcept;
  // Drops every idle connection (after one was found dead: the server likely restarted).
  void drop_idle() noexcept { connections_->drop_idle(); }

  // Returns the statements for this storage's schema.
  const pg::Statements& statements() const { return *statements_; }
  // Returns the options, as given.
  const PostgresOptions& options() const noexcept { return options_; }
  // Returns how many connections the pool may open: max_connections, or
  // fewer if the server accepts fewer.
  std::size_t connection_cap() const noexcept { return connections_->limits().max_connections; }

 private:
  PostgresOptions options_;
  std::unique_ptr<pg::Statements> statements_;
  // Built once the server's own limit is known.
  std::unique_ptr<sql::ConnectionPool<pg::Connection>> connections_;
};

// Throws StorageError naming the first option out of range.
void check_options(const PostgresOptions& options);

}  // namespace highseas
