// PostgresStorage's shared state: options, statements and the connection
// pool. Internal to highseas_postgres.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "highseas/postgres/postgres_storage.hpp"
#include "pq.hpp"
#include "statements.hpp"

namespace highseas {

class PostgresStorage::Impl {
 public:
  // Connects once and migrates the schema; that connection becomes the first idle one.
  explicit Impl(PostgresOptions options);

  // Returns an idle pooled connection, or a new one. Throws StorageError.
  std::unique_ptr<pg::Connection> acquire();
  // Returns a connection to the pool if it is healthy and outside any transaction.
  void release(std::unique_ptr<pg::Connection> connection);
  // Drops every idle connection (after one was found dead: the server likely restarted).
  void drop_idle();

  // Returns the statements for this storage's schema.
  const pg::Statements& statements() const { return *statements_; }

 private:
  PostgresOptions options_;
  std::unique_ptr<pg::Statements> statements_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<pg::Connection>> idle_;
};

}  // namespace highseas
