#include "highseas/postgres/postgres_storage.hpp"

#include <utility>

#include "postgres_transaction.hpp"
#include "storage_impl.hpp"

namespace highseas {

PostgresStorage::Impl::Impl(PostgresOptions options) : options_(std::move(options)) {
  if (options_.schema.empty()) throw StorageError("postgres: the schema name must not be empty");
  auto first = std::make_unique<pg::Connection>(options_.connection);
  pg::migrate(*first, options_.schema);
  statements_ = std::make_unique<pg::Statements>(first->quote_identifier(options_.schema));
  idle_.push_back(std::move(first));
}

std::unique_ptr<pg::Connection> PostgresStorage::Impl::acquire() {
  {
    const std::lock_guard lock(mutex_);
    while (!idle_.empty()) {
      std::unique_ptr<pg::Connection> connection = std::move(idle_.back());
      idle_.pop_back();
      if (connection->healthy()) return connection;
    }
  }
  // Connect outside the lock: other threads keep using the pool meanwhile.
  return std::make_unique<pg::Connection>(options_.connection);
}

void PostgresStorage::Impl::release(std::unique_ptr<pg::Connection> connection) {
  const std::lock_guard lock(mutex_);
  idle_.push_back(std::move(connection));
}

void PostgresStorage::Impl::drop_idle() {
  std::vector<std::unique_ptr<pg::Connection>> dropped;
  {
    const std::lock_guard lock(mutex_);
    dropped.swap(idle_);
  }
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
