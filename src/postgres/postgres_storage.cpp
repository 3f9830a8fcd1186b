#include "highseas/postgres/postgres_storage.hpp"

#include <utility>

#include "postgres_transaction.hpp"
#include "storage_impl.hpp"

namespace highseas {

PostgresStorage::Impl::Impl(PostgresOptions options)
    : options_(std::move(options)),
      connections_(
          {options_.max_connections, options_.connection_wait}, "postgres",
          [this] { return std::make_unique<pg::Connection>(options_.connection); },
          [](const pg::Connection& connection) { return connection.healthy(); }) {
  if (options_.schema.empty()) throw StorageError("postgres: the schema name must not be empty");
  auto first = std::make_unique<pg::Connection>(options_.connection);
  pg::migrate(*first, options_.schema);
  statements_ = std::make_unique<pg::Statements>(first->quote_identifier(options_.schema));
  connections_.adopt(std::move(first));
}

void PostgresStorage::Impl::release(std::unique_ptr<pg::Connection> connection) noexcept {
  if (connection && !(connection->healthy() && connection->idle())) connection.reset();
  connections_.release(std::move(connection));
}

PostgresStorage::PostgresStorage(PostgresOptions options)
    : impl_(std::make_shared<Impl>(std::move(options))) {}

PostgresStorage::~PostgresStorage() = default;

int PostgresStorage::schema_version() noexcept { return pg::kSchemaVersion; }

std::unique_ptr<Transaction> PostgresStorage::begin(const PoolId& pool, TransactionMode mode) {
  // A pooled connection the server dropped is found dead on the first
  // statement (RetryableStorageError); the transaction then drops it and the
  // other idle ones, so the retry runs on a fresh connection.
  return std::make_unique<pg::PostgresTransaction>(impl_, impl_->acquire(), pool, mode);
}

}  // namespace highseas
