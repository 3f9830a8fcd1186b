// One PostgreSQL transaction over one pool. Internal to highseas_postgres.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "highseas/storage.hpp"
#include "pq.hpp"
#include "statements.hpp"
#include "storage_impl.hpp"

namespace highseas::pg {

class PostgresTransaction final : public Transaction {
 public:
  // Takes over `connection` and opens the transaction (BEGIN travels with the
  // first statement, saving a round trip); every wait ends by `deadline`.
  PostgresTransaction(std::shared_ptr<PostgresStorage::Impl> storage,
                      std::unique_ptr<Connection> connection, PoolId pool, TransactionMode mode,
                      Deadline deadline);
  PostgresTransaction(const PostgresTransaction&) = delete;
  PostgresTransaction& operator=(const PostgresTransaction&) = delete;
  // Rolls back unless committed, then gives the connection back to the pool.
  ~PostgresTransaction() override;

  void commit() override;

  std::optional<PoolRecord> find_pool() override;
  void put_pool(const PoolRecord& pool) override;
  std::optional<CalendarVersion> find_calendar(std::uint32_t version) override;
  void add_calendar(const CalendarVersion& calendar) override;

  std::optional<Role> find_member(const UserId& user) override;
  void put_member(const UserId& user, Role role) override;
  void erase_member(const UserId& user) override;
  std::vector<Member> list_members() override;

  std::optional<CustomerRecord> find_customer(const CustomerId& id) override;
  std::optional<CustomerProfile> find_profile(const CustomerId& id) override;
  std::optional<CustomerId> find_by_name_key(std::string_view name_key) override;
  void insert_customer(const CustomerProfile& profile, std::string_view name_key,
                       const CustomerRecord& record) override;
  void update_customer(const CustomerId& id, const CustomerRecord& record) override;

  std::uint32_t count_holdings(const UserId& user, std::optional<Time> due_at) override;
  std::uint64_t count_customers(CustomerState state) override;
  // A writer locks the user's holding counter first (see the definition).
  std::optional<DailyTakes> find_daily_takes(const UserId& user) override;
  void put_daily_takes(const UserId& user, const DailyTakes& takes) override;
  std::vector<StoredCustomer> list_holdings(const UserId& user) override;
  std::vector<DueHolding> list_due(Time now, std::size_t limit) override;
  std::vector<DueHolding> list_due_holdings(const UserId& user, Time now) override;
  std::vector<DueHolding> list_reminders_due(Time now, std::size_t limit) override;
  // One statement (Sql::return_due) per batch instead of a read, an UPDATE and
  // an INSERT per row; the counters follow at commit as for update_customer.
  std::vector<DueHolding> return_due(const DueReturn& plan, std::size_t limit) override;
  std::vector<StoredCustomer> list_available(const AvailableQuery& query) override;
  std::vector<StoredCustomer> list_by_deadline(const DeadlineWindow& window) override;
  std::vector<StoredCustomer> list_overdue(const AvailableQuery& query, Time now) override;
  void shift_deadlines(Duration by) override;

  void append_history(const CustomerId& id, const HistoryEntry& entry) override;
  std::vector<HistoryEntry> list_history(const CustomerId& id) override;
  std::vector<PositionedHistoryEntry> list_pool_history(const std::optional<HistoryPosition>& after,
                                                        std::size_t limit) override;

 private:
  Rows run(Sql which, const Params& params);
  void defer(Sql which, Params params);
  // Remembers the holder of a row this transaction has locked or written.
  void remember(const std::string& id, const CustomerRecord& record);
  // Reads (id, record columns) rows of the deadline or reminder index,
  // remembering each a writer locked.
  std::vector<DueHolding> read_due(const Rows& rows);
  Params with_pool() const;
  // The parameters of a page by id (list_available, list_overdue): the pool,
  // the filter, the cursor and the limit.
  Params page_params(const AvailableQuery& query) const;
  bool writable() const { return mode_ == TransactionMode::read_write; }
  void require_write() const;

  std::shared_ptr<PostgresStorage::Impl> storage_;
  std::unique_ptr<Connection> connection_;
  PoolId pool_;
  TransactionMode mode_;
  // Names the storage in errors about what it read or cannot write:
  // postgres schema "<schema>".
  std::string where_;
  bool done_ = false;
  // Holdings-counter changes, applied at commit in user order so that
  // transactions touching several counters (sweeps) never deadlock each other.
  std::map<std::string, std::int64_t> counter_deltas_;
  // The holder ("" for none) of each customer row this transaction holds a
  // lock on, so update_customer can be sent without waiting for an answer.
  std::unordered_map<std::string, std::string> locked_holders_;
};

}  // namespace highseas::pg
