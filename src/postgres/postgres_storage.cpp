#include "highseas/postgres/postgres_storage.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

#include "codec.hpp"
#include "postgres_transaction.hpp"
#include "storage_impl.hpp"

namespace highseas {

namespace {

Deadline from_now(std::chrono::milliseconds span) {
  return std::chrono::steady_clock::now() + span;
}

// Returns how many connections the server lets a non-superuser open: its
// max_connections minus superuser_reserved_connections, less one left for a
// PostgresClock or an operator (at least 1).
std::size_t server_cap(pg::Connection& connection) {
  const pg::Rows rows = connection.exec(
      "SELECT current_setting('max_connections')::int - "
      "current_setting('superuser_reserved_connections')::int - 1",
      pg::Failure::fatal);
  const long long cap = pg::decode_int(rows.text(0, 0));
  return static_cast<std::size_t>(std::max<long long>(cap, 1));
}

}  // namespace

void check_options(const PostgresOptions& options) {
  using std::chrono::milliseconds;
  const auto positive = [](milliseconds value, const char* name) {
    if (value <= milliseconds::zero()) {
      throw StorageError(std::string("postgres: ") + name + " must be positive");
    }
  };
  const auto not_negative = [](milliseconds value, const char* name) {
    if (value < milliseconds::zero()) {
      throw StorageError(std::string("postgres: ") + name + " must not be negative (0: off)");
    }
  };
  if (options.schema.empty()) throw StorageError("postgres: the schema name must not be empty");
  positive(options.command_timeout, "command_timeout");
  positive(options.connect_timeout, "connect_timeout");
  not_negative(options.statement_timeout, "statement_timeout");
  not_negative(options.lock_timeout, "lock_timeout");
  not_negative(options.idle_in_transaction_timeout, "idle_in_transaction_timeout");
  if (options.keepalive_idle.count() < 1 || options.keepalive_interval.count() < 1 ||
      options.keepalive_count < 1) {
    throw StorageError(
        "postgres: keepalive_idle, keepalive_interval and keepalive_count must be "
        "at least 1");
  }
}

PostgresStorage::Impl::Impl(PostgresOptions options) : options_(std::move(options)) {
  check_options(options_);
  // A server restarting or out of connections is waited for, as a command would.
  auto first = pg::connect_patiently(options_, from_now(options_.command_timeout));
  first->set_deadline(from_now(options_.command_timeout));
  pg::migrate(*first, options_.schema);
  statements_ = std::make_unique<pg::Statements>(first->quote_identifier(options_.schema));
  const std::size_t cap = std::min(options_.max_connections, server_cap(*first));
  first->set_deadline(Deadline::max());
  connections_ = std::make_unique<sql::ConnectionPool<pg::Connection>>(
      sql::PoolLimits{cap, options_.connection_wait}, "postgres",
      [this](Deadline deadline) { return std::make_unique<pg::Connection>(options_, deadline); },
      [](const pg::Connection& connection) { return connection.healthy(); });
  connections_->adopt(std::move(first));
}

void PostgresStorage::Impl::release(std::unique_ptr<pg::Connection> connection) noexcept {
  if (connection && !(connection->healthy() && connection->idle())) connection.reset();
  connections_->release(std::move(connection));
}

PostgresStorage::PostgresStorage(PostgresOptions options)
    : impl_(std::make_shared<Impl>(std::move(options))) {}

PostgresStorage::~PostgresStorage() = default;

int PostgresStorage::schema_version() noexcept { return pg::kSchemaVersion; }

std::unique_ptr<Transaction> PostgresStorage::begin(const PoolId& pool, TransactionMode mode) {
  const Deadline deadline = from_now(impl_->options().command_timeout);
  // A pooled connection the server dropped is found dead on the first
  // statement (RetryableStorageError); the transaction then drops it and the
  // other idle ones, so the retry runs on a fresh connection.
  return std::make_unique<pg::PostgresTransaction>(impl_, impl_->acquire(deadline), pool, mode,
                                                   deadline);
}

void PostgresStorage::transact(const PoolId& pool, TransactionMode mode, Deadline deadline,
                               TransactionBody body) {
  pg::PostgresTransaction tx(impl_, impl_->acquire(deadline), pool, mode, deadline);
  body(tx);
}

std::optional<std::chrono::milliseconds> PostgresStorage::command_timeout() const noexcept {
  return impl_->options().command_timeout;
}

}  // namespace highseas
