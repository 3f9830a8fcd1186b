// SqliteTransaction: one Transaction over one pool, on one pooled connection.
// Internal to SqliteStorage.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "connection.hpp"
#include "highseas/storage.hpp"

namespace highseas::sqlite_detail {

// Gives a connection back to its storage when the transaction ends.
using ConnectionReturn = std::function<void(std::unique_ptr<Connection>)>;

class SqliteTransaction final : public Transaction {
 public:
  // Begins on `connection`: BEGIN IMMEDIATE for read_write (the caller holds
  // `writer`, the storage's in-process writer lock), BEGIN for read_only.
  SqliteTransaction(std::unique_ptr<Connection> connection, ConnectionReturn give_back, PoolId pool,
                    TransactionMode mode, std::unique_lock<std::mutex> writer);
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;
  ~SqliteTransaction() override;

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
  std::vector<StoredCustomer> list_holdings(const UserId& user) override;
  std::vector<DueHolding> list_due(Time now, std::size_t limit) override;
  std::vector<DueHolding> return_due(const DueReturn& plan, std::size_t limit) override;
  std::optional<DailyTakes> find_daily_takes(const UserId& user) override;
  void put_daily_takes(const UserId& user, const DailyTakes& takes) override;
  std::vector<StoredCustomer> list_available(const AvailableQuery& query) override;
  std::vector<StoredCustomer> list_by_deadline(const DeadlineWindow& window) override;
  std::vector<DueHolding> list_reminders_due(Time now, std::size_t limit) override;
  std::vector<StoredCustomer> list_overdue(const AvailableQuery& query, Time now) override;
  void shift_deadlines(Duration by) override;
  void append_history(const CustomerId& id, const HistoryEntry& entry) override;
  std::vector<HistoryEntry> list_history(const CustomerId& id) override;
  std::vector<PositionedHistoryEntry> list_pool_history(const std::optional<HistoryPosition>& after,
                                                        std::size_t limit) override;

 private:
  // The customer row this transaction read or wrote last, as it now stands
  // in the file. A command reads one customer, then writes its record and
  // one history entry: the writes go to the row by rowid, update_customer
  // names only the indexed columns that changed, and the entry takes its seq
  // from the counter here.
  struct LastRow {
    std::string id;  // empty: none
    std::int64_t rowid = 0;
    // customers.history_seq as written; `reserved`: no entry has taken it yet.
    std::int64_t history_seq = 0;
    bool reserved = false;
    CustomerRecord record;
  };

  void require_write() const;
  // The connection's cached pool and member answers, or nullptr when this
  // transaction wrote pools or members (it reads its own writes from the file).
  Lookups::Pool* lookups();
  // Notes that this transaction wrote pools or members.
  void wrote_lookups();
  CustomerRecord read_record(const Query& row, int first) const;
  StoredCustomer read_customer(const Query& row) const;
  std::vector<StoredCustomer> list_page(Sql statement, const AvailableQuery& query,
                                        std::optional<std::int64_t> until);

  std::unique_ptr<Connection> connection_;
  ConnectionReturn give_back_;
  PoolId pool_;
  TransactionMode mode_;
  std::unique_lock<std::mutex> writer_;
  bool open_ = false;
  bool lookups_checked_ = false;
  bool lookups_written_ = false;
  LastRow last_;
};

}  // namespace highseas::sqlite_detail
