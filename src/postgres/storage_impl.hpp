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
  // Connects once and migrates the schema; that connection becomes the first idle one.
  explicit Impl(PostgresOptions options);

  // Returns a pooled connection for the caller's sole use, waiting while all
  // max_connections are busy. Throws StorageError.
  std::unique_ptr<pg::Connection> acquire() { return connections_.acquire(); }
  // Hands back a connection from acquire(): kept if it is healthy and outside
  // any transaction, closed otherwise.
  void release(std::unique_ptr<pg::Connection> connection) noexcept;
  // Drops every idle connection (after one was found dead: the server likely restarted).
  void drop_idle() noexcept { connections_.drop_idle(); }

  // Returns the statements for this storage's schema.
  const pg::Statements& statements() const { return *statements_; }

 private:
  PostgresOptions options_;
  std::unique_ptr<pg::Statements> statements_;
  sql::ConnectionPool<pg::Connection> connections_;
};

}  // namespace highseas
