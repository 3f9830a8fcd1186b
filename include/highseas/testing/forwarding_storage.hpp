// ForwardingStorage and ForwardingTransaction: a Storage that passes every call
// to another Storage, so a test double overrides only the calls it cares about
// (in the spirit of LevelDB's EnvWrapper).
//
//   class SlowCommit : public highseas::testing::ForwardingStorage {
//     using ForwardingStorage::ForwardingStorage;
//     std::unique_ptr<Transaction> begin(const PoolId& pool, TransactionMode mode) override;
//   };
//
// Thread-safety: as thread-safe as the target; the wrappers add no state.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "highseas/storage.hpp"

namespace highseas::testing {

// A Transaction that forwards every call to a target transaction it owns.
class ForwardingTransaction : public Transaction {
 public:
  // Wraps `target`, which this object owns and destroys (rolling it back
  // unless committed).
  explicit ForwardingTransaction(std::unique_ptr<Transaction> target)
      : target_(std::move(target)) {}

  // Commits the target.
  void commit() override { target_->commit(); }

  // Forwards to the target.
  std::optional<PoolRecord> find_pool() override { return target_->find_pool(); }
  // Forwards to the target.
  void put_pool(const PoolRecord& pool) override { target_->put_pool(pool); }
  // Forwards to the target.
  std::optional<CalendarVersion> find_calendar(std::uint32_t version) override {
    return target_->find_calendar(version);
  }
  // Forwards to the target.
  void add_calendar(const CalendarVersion& calendar) override { target_->add_calendar(calendar); }

  // Forwards to the target.
  std::optional<Role> find_member(const UserId& user) override {
    return target_->find_member(user);
  }
  // Forwards to the target.
  void put_member(const UserId& user, Role role) override { target_->put_member(user, role); }
  // Forwards to the target.
  void erase_member(const UserId& user) override { target_->erase_member(user); }
  // Forwards to the target.
  std::vector<Member> list_members() override { return target_->list_members(); }

  // Forwards to the target.
  std::optional<CustomerRecord> find_customer(const CustomerId& id) override {
    return target_->find_customer(id);
  }
  // Forwards to the target.
  std::optional<CustomerProfile> find_profile(const CustomerId& id) override {
    return target_->find_profile(id);
  }
  // Forwards to the target.
  std::optional<CustomerId> find_by_name_key(std::string_view name_key) override {
    return target_->find_by_name_key(name_key);
  }
  // Forwards to the target.
  void insert_customer(const CustomerProfile& profile, std::string_view name_key,
                       const CustomerRecord& record) override {
    target_->insert_customer(profile, name_key, record);
  }
  // Forwards to the target.
  void update_customer(const CustomerId& id, const CustomerRecord& record) override {
    target_->update_customer(id, record);
  }
  // Forwards to the target, so its own one-call write (if any) runs.
  void write_change(const CustomerId& id, const CustomerRecord& after,
                    const HistoryEntry& entry) override {
    target_->write_change(id, after, entry);
  }

  // Forwards to the target.
  std::uint32_t count_holdings(const UserId& user, std::optional<Time> due_at) override {
    return target_->count_holdings(user, due_at);
  }
  // Forwards to the target.
  std::vector<StoredCustomer> list_holdings(const UserId& user) override {
    return target_->list_holdings(user);
  }
  // Forwards to the target.
  std::vector<DueHolding> list_due(Time now, std::size_t limit) override {
    return target_->list_due(now, limit);
  }
  // Forwards to the target, so its own locking (if any) runs.
  std::vector<DueHolding> list_due_holdings(const UserId& user, Time now) override {
    return target_->list_due_holdings(user, now);
  }
  // Forwards to the target, so its own set-based return (if any) runs.
  std::vector<DueHolding> return_due(const DueReturn& plan, std::size_t limit) override {
    return target_->return_due(plan, limit);
  }
  // Forwards to the target.
  std::optional<DailyTakes> find_daily_takes(const UserId& user) override {
    return target_->find_daily_takes(user);
  }
  void put_daily_takes(const UserId& user, const DailyTakes& takes) override {
    target_->put_daily_takes(user, takes);
  }
  std::uint64_t count_customers(CustomerState state) override {
    return target_->count_customers(state);
  }
  // Forwards to the target.
  std::vector<StoredCustomer> list_by_deadline(const DeadlineWindow& window) override {
    return target_->list_by_deadline(window);
  }
  std::vector<DueHolding> list_reminders_due(Time now, std::size_t limit) override {
    return target_->list_reminders_due(now, limit);
  }
  // Forwards to the target.
  std::vector<StoredCustomer> list_available(const AvailableQuery& query) override {
    return target_->list_available(query);
  }
  // Forwards to the target.
  std::vector<StoredCustomer> list_overdue(const AvailableQuery& query, Time now) override {
    return target_->list_overdue(query, now);
  }
  // Forwards to the target.
  void shift_deadlines(Duration by) override { target_->shift_deadlines(by); }

  // Forwards to the target.
  void append_history(const CustomerId& id, const HistoryEntry& entry) override {
    target_->append_history(id, entry);
  }
  // Forwards to the target.
  std::vector<HistoryEntry> list_history(const CustomerId& id) override {
    return target_->list_history(id);
  }
  // Forwards to the target.
  std::vector<PositionedHistoryEntry> list_pool_history(const std::optional<HistoryPosition>& after,
                                                        std::size_t limit) override {
    return target_->list_pool_history(after, limit);
  }

 protected:
  // Returns the wrapped transaction.
  Transaction& target() noexcept { return *target_; }

 private:
  std::unique_ptr<Transaction> target_;
};

// A Storage that forwards begin() to a target Storage. Override begin() and
// wrap the result in a ForwardingTransaction subclass to intercept calls.
class ForwardingStorage : public Storage {
 public:
  // Forwards to `target`, which must outlive this object.
  explicit ForwardingStorage(Storage& target) noexcept : target_(&target) {}

  // Opens a transaction on the target.
  std::unique_ptr<Transaction> begin(const PoolId& pool, TransactionMode mode) override {
    return target_->begin(pool, mode);
  }
  // Returns the target's time limit, so PublicPool retries as long over this
  // storage as over the target.
  std::optional<std::chrono::milliseconds> command_timeout() const noexcept override {
    return target_->command_timeout();
  }

  // Returns the wrapped storage.
  Storage& target() const noexcept { return *target_; }

 private:
  Storage* target_;
};

}  // namespace highseas::testing
