// FaultInjectingStorage: a Storage that counts every call made through it
// (begin, every Transaction call, commit) and makes the Nth one throw: a
// StorageError, as a broken disk or a lost connection would, or a
// RetryableStorageError, as a deadlock or a busy database would. Used to prove
// that a command hit by a failure anywhere changes nothing and emits nothing,
// and that a command hit by a transient one is retried as if nothing happened.
//
//   highseas::MemoryStorage memory;
//   highseas::testing::FaultInjectingStorage storage(memory);
//   storage.fail_at(7);                        // the 7th call from now throws StorageError
//   storage.fail_at(7, FaultKind::transient);  // ... RetryableStorageError
//
// The failing call throws before reaching the target, so a failing commit()
// leaves the target transaction uncommitted (it rolls back).
//
// Thread-safety: counting is atomic, so several threads may share it; which
// call is "the Nth" is then up to the scheduler.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "highseas/testing/forwarding_storage.hpp"

namespace highseas::testing {

// What an injected fault throws.
enum class FaultKind {
  broken,     // StorageError: the command fails and changes nothing
  transient,  // RetryableStorageError: PublicPool retries the command
};

class FaultInjectingStorage : public ForwardingStorage {
 public:
  // Wraps `target`, which must outlive this object. Fails nothing until told.
  explicit FaultInjectingStorage(Storage& target) noexcept : ForwardingStorage(target) {}

  // Makes the `n`th call from now (1 = the next one) throw, StorageError or
  // RetryableStorageError as `kind` says; 0 disarms. Resets the call count.
  void fail_at(std::uint64_t n, FaultKind kind = FaultKind::broken) noexcept {
    calls_.store(0);
    kind_.store(kind);
    fail_at_.store(n);
    failures_.store(0);
  }
  // Returns how many calls were made since the last fail_at (or since construction).
  std::uint64_t calls() const noexcept { return calls_.load(); }
  // Returns how many calls threw since the last fail_at.
  std::uint64_t failures() const noexcept { return failures_.load(); }

  // Counts the call, maybe fails, then opens a counting transaction on the target.
  std::unique_ptr<Transaction> begin(const PoolId& pool, TransactionMode mode) override {
    tick("begin");
    return std::make_unique<CountingTransaction>(*this, ForwardingStorage::begin(pool, mode));
  }

  // Counts one call named `what`; throws StorageError if it is the one to fail.
  void tick(const char* what) {
    const std::uint64_t call = calls_.fetch_add(1) + 1;
    if (call == fail_at_.load()) {
      failures_.fetch_add(1);
      const std::string message =
          std::string("injected fault at call ") + std::to_string(call) + " (" + what + ")";
      if (kind_.load() == FaultKind::transient) throw RetryableStorageError(message);
      throw StorageError(message);
    }
  }

 private:
  // Counts (and maybe fails) every call, then forwards it.
  class CountingTransaction final : public ForwardingTransaction {
   public:
    CountingTransaction(FaultInjectingStorage& owner, std::unique_ptr<Transaction> target)
        : ForwardingTransaction(std::move(target)), owner_(&owner) {}

    void commit() override {
      owner_->tick("commit");
      ForwardingTransaction::commit();
    }
    std::optional<PoolRecord> find_pool() override {
      owner_->tick("find_pool");
      return ForwardingTransaction::find_pool();
    }
    void put_pool(const PoolRecord& pool) override {
      owner_->tick("put_pool");
      ForwardingTransaction::put_pool(pool);
    }
    std::optional<CalendarVersion> find_calendar(std::uint32_t version) override {
      owner_->tick("find_calendar");
      return ForwardingTransaction::find_calendar(version);
    }
    void add_calendar(const CalendarVersion& calendar) override {
      owner_->tick("add_calendar");
      ForwardingTransaction::add_calendar(calendar);
    }
    std::optional<Role> find_member(const UserId& user) override {
      owner_->tick("find_member");
      return ForwardingTransaction::find_member(user);
    }
    void put_member(const UserId& user, Role role) override {
      owner_->tick("put_member");
      ForwardingTransaction::put_member(user, role);
    }
    void erase_member(const UserId& user) override {
      owner_->tick("erase_member");
      ForwardingTransaction::erase_member(user);
    }
    std::vector<Member> list_members() override {
      owner_->tick("list_members");
      return ForwardingTransaction::list_members();
    }
    std::optional<CustomerRecord> find_customer(const CustomerId& id) override {
      owner_->tick("find_customer");
      return ForwardingTransaction::find_customer(id);
    }
    std::optional<CustomerProfile> find_profile(const CustomerId& id) override {
      owner_->tick("find_profile");
      return ForwardingTransaction::find_profile(id);
    }
    std::optional<CustomerId> find_by_name_key(std::string_view name_key) override {
      owner_->tick("find_by_name_key");
      return ForwardingTransaction::find_by_name_key(name_key);
    }
    void insert_customer(const CustomerProfile& profile, std::string_view name_key,
                         const CustomerRecord& record) override {
      owner_->tick("insert_customer");
      ForwardingTransaction::insert_customer(profile, name_key, record);
    }
    void update_customer(const CustomerId& id, const CustomerRecord& record) override {
      owner_->tick("update_customer");
      ForwardingTransaction::update_customer(id, record);
    }
    void write_change(const CustomerId& id, const CustomerRecord& after,
                      const HistoryEntry& entry) override {
      owner_->tick("write_change");
      ForwardingTransaction::write_change(id, after, entry);
    }
    std::uint32_t count_holdings(const UserId& user, std::optional<Time> due_at) override {
      owner_->tick("count_holdings");
      return ForwardingTransaction::count_holdings(user, due_at);
    }
    std::vector<StoredCustomer> list_holdings(const UserId& user) override {
      owner_->tick("list_holdings");
      return ForwardingTransaction::list_holdings(user);
    }
    std::vector<DueHolding> list_due(Time now, std::size_t limit) override {
      owner_->tick("list_due");
      return ForwardingTransaction::list_due(now, limit);
    }
    std::vector<DueHolding> list_due_holdings(const UserId& user, Time now) override {
      owner_->tick("list_due_holdings");
      return ForwardingTransaction::list_due_holdings(user, now);
    }
    std::vector<DueHolding> return_due(const DueReturn& plan, std::size_t limit) override {
      owner_->tick("return_due");
      return ForwardingTransaction::return_due(plan, limit);
    }
    std::optional<DailyTakes> find_daily_takes(const UserId& user) override {
      owner_->tick("find_daily_takes");
      return ForwardingTransaction::find_daily_takes(user);
    }
    void put_daily_takes(const UserId& user, const DailyTakes& takes) override {
      owner_->tick("put_daily_takes");
      ForwardingTransaction::put_daily_takes(user, takes);
    }
    std::uint64_t count_customers(CustomerState state) override {
      owner_->tick("count_customers");
      return ForwardingTransaction::count_customers(state);
    }
    std::vector<StoredCustomer> list_available(const AvailableQuery& query) override {
      owner_->tick("list_available");
      return ForwardingTransaction::list_available(query);
    }
    std::vector<StoredCustomer> list_by_deadline(const DeadlineWindow& window) override {
      owner_->tick("list_by_deadline");
      return ForwardingTransaction::list_by_deadline(window);
    }
    std::vector<DueHolding> list_reminders_due(Time now, std::size_t limit) override {
      owner_->tick("list_reminders_due");
      return ForwardingTransaction::list_reminders_due(now, limit);
    }
    std::vector<StoredCustomer> list_overdue(const AvailableQuery& query, Time now) override {
      owner_->tick("list_overdue");
      return ForwardingTransaction::list_overdue(query, now);
    }
    void shift_deadlines(Duration by) override {
      owner_->tick("shift_deadlines");
      ForwardingTransaction::shift_deadlines(by);
    }
    void append_history(const CustomerId& id, const HistoryEntry& entry) override {
      owner_->tick("append_history");
      ForwardingTransaction::append_history(id, entry);
    }
    std::vector<HistoryEntry> list_history(const CustomerId& id) override {
      owner_->tick("list_history");
      return ForwardingTransaction::list_history(id);
    }
    std::vector<PositionedHistoryEntry> list_pool_history(
        const std::optional<HistoryPosition>& after, std::size_t limit) override {
      owner_->tick("list_pool_history");
      return ForwardingTransaction::list_pool_history(after, limit);
    }

   private:
    FaultInjectingStorage* owner_;
  };

  std::atomic<std::uint64_t> calls_{0};
  std::atomic<std::uint64_t> fail_at_{0};
  std::atomic<std::uint64_t> failures_{0};
  std::atomic<FaultKind> kind_{FaultKind::broken};
};

}  // namespace highseas::testing
