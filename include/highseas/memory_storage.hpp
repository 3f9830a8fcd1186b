// MemoryStorage: the header-only, in-memory Storage. The default for tests,
// simulations and hosts that persist pools themselves through events.
//
// Nothing survives the process. Writes are undone on rollback through an undo
// log, so a command that throws midway leaves nothing behind.
//
// Thread-safety: safe for concurrent use. One read_write transaction at a time
// across the whole storage (it holds an exclusive lock until commit or
// rollback); read_only transactions share the lock.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "highseas/detail/memory_tables.hpp"
#include "highseas/storage.hpp"

namespace highseas {

class MemoryStorage final : public Storage {
 public:
  MemoryStorage() = default;
  MemoryStorage(const MemoryStorage&) = delete;
  MemoryStorage& operator=(const MemoryStorage&) = delete;

  // Opens a transaction over `pool`; blocks while a writer is active.
  std::unique_ptr<Transaction> begin(const PoolId& pool, TransactionMode mode) override;

 private:
  class MemoryTransaction;

  std::shared_mutex mutex_;
  std::unordered_map<PoolId, detail::PoolTables> pools_;
};

class MemoryStorage::MemoryTransaction final : public Transaction {
 public:
  MemoryTransaction(MemoryStorage& storage, const PoolId& pool, TransactionMode mode)
      : mode_(mode) {
    if (mode == TransactionMode::read_write) {
      write_lock_ = std::unique_lock(storage.mutex_);
      tables_ = &storage.pools_[pool];
    } else {
      read_lock_ = std::shared_lock(storage.mutex_);
      const auto found = storage.pools_.find(pool);
      tables_ = found == storage.pools_.end() ? &empty_ : &found->second;
    }
  }
  MemoryTransaction(const MemoryTransaction&) = delete;
  MemoryTransaction& operator=(const MemoryTransaction&) = delete;

  ~MemoryTransaction() override {
    for (auto undo = undo_log_.rbegin(); undo != undo_log_.rend(); ++undo) (*undo)();
  }

  void commit() override { undo_log_.clear(); }

  std::optional<PoolRecord> find_pool() override { return tables_->pool; }
  void put_pool(const PoolRecord& pool) override {
    require_write();
    undo_log_.emplace_back([this, old = tables_->pool] { tables_->pool = old; });
    tables_->pool = pool;
  }

  std::optional<Role> find_member(const UserId& user) override {
    const auto found = tables_->members.find(user);
    if (found == tables_->members.end()) return std::nullopt;
    return found->second;
  }
  void put_member(const UserId& user, Role role) override {
    require_write();
    remember_member(user);
    tables_->members[user] = role;
  }
  void erase_member(const UserId& user) override {
    require_write();
    remember_member(user);
    tables_->members.erase(user);
  }
  std::vector<Member> list_members() override {
    std::vector<Member> members;
    members.reserve(tables_->members.size());
    for (const auto& [user, role] : tables_->members) members.push_back({user, role});
    return members;
  }

  std::optional<CustomerRecord> find_customer(const CustomerId& id) override {
    const detail::CustomerSlot* slot = tables_->find(id);
    if (slot == nullptr) return std::nullopt;
    return slot->record;
  }
  std::optional<CustomerProfile> find_profile(const CustomerId& id) override {
    const detail::CustomerSlot* slot = tables_->find(id);
    if (slot == nullptr) return std::nullopt;
    return slot->profile;
  }
  std::optional<CustomerId> find_by_name_key(std::string_view name_key) override {
    return tables_->find_by_name_key(std::string(name_key));
  }
  void insert_customer(const CustomerProfile& profile, std::string_view name_key,
                       const CustomerRecord& record) override {
    require_write();
    tables_->insert(profile, std::string(name_key), record);
    undo_log_.emplace_back([this, id = profile.id] { tables_->erase(id); });
  }
  void update_customer(const CustomerId& id, const CustomerRecord& record) override {
    require_write();
    const detail::CustomerSlot* slot = tables_->find(id);
    if (slot == nullptr) throw std::logic_error("update_customer: unknown customer " + id.str());
    undo_log_.emplace_back([this, id, old = slot->record] { tables_->update(id, old); });
    tables_->update(id, record);
  }

  std::uint32_t count_holdings(const UserId& user) override {
    return tables_->count_holdings(user);
  }
  std::vector<StoredCustomer> list_holdings(const UserId& user) override {
    std::vector<StoredCustomer> holdings;
    for (const CustomerId* id : tables_->holdings_of(user)) {
      const detail::CustomerSlot* slot = tables_->find(*id);
      holdings.push_back({slot->profile, slot->record});
    }
    std::sort(holdings.begin(), holdings.end(), [](const auto& a, const auto& b) {
      if (a.record.deadline != b.record.deadline) return a.record.deadline < b.record.deadline;
      return a.profile.id < b.profile.id;
    });
    return holdings;
  }
  std::vector<DueHolding> list_due(Time now, std::size_t limit) override {
    std::vector<DueHolding> due;
    for (const detail::DeadlineKey& key : tables_->deadlines()) {
      if (due.size() >= limit || key.deadline > now) break;
      due.push_back({*key.id, tables_->find(*key.id)->record});
    }
    return due;
  }
  std::vector<StoredCustomer> list_available(const AvailableQuery& query) override {
    std::vector<StoredCustomer> page;
    const auto& by_id = tables_->by_id();
    auto position = query.after ? by_id.upper_bound(*query.after) : by_id.begin();
    for (; position != by_id.end() && page.size() < query.limit; ++position) {
      const detail::CustomerSlot* slot = tables_->find(**position);
      if (slot->record.state != CustomerState::available) continue;
      if (!matches(query.filter, slot->profile)) continue;
      page.push_back({slot->profile, slot->record});
    }
    return page;
  }
  void shift_deadlines(Duration by) override {
    require_write();
    tables_->shift_deadlines(by);
    undo_log_.emplace_back([this, by] { tables_->shift_deadlines(-by); });
  }

  void append_history(const CustomerId& id, const HistoryEntry& entry) override {
    require_write();
    detail::CustomerSlot* slot = tables_->find(id);
    if (slot == nullptr) throw std::logic_error("append_history: unknown customer " + id.str());
    slot->history.push_back(entry);
    undo_log_.emplace_back([this, id] { tables_->find(id)->history.pop_back(); });
  }
  std::vector<HistoryEntry> list_history(const CustomerId& id) override {
    const detail::CustomerSlot* slot = tables_->find(id);
    if (slot == nullptr) return {};
    return slot->history;
  }

 private:
  static bool matches(const AvailableFilter& filter, const CustomerProfile& profile) {
    if (!filter.country.empty() && profile.country != filter.country) return false;
    if (!filter.level.empty() && profile.level != filter.level) return false;
    if (!filter.tag.empty() &&
        std::find(profile.tags.begin(), profile.tags.end(), filter.tag) == profile.tags.end()) {
      return false;
    }
    return true;
  }

  void require_write() const {
    if (mode_ != TransactionMode::read_write) {
      throw std::logic_error("write in a read_only transaction");
    }
  }

  void remember_member(const UserId& user) {
    const auto found = tables_->members.find(user);
    std::optional<Role> old;
    if (found != tables_->members.end()) old = found->second;
    undo_log_.emplace_back([this, user, old] {
      if (old) {
        tables_->members[user] = *old;
      } else {
        tables_->members.erase(user);
      }
    });
  }

  TransactionMode mode_;
  std::unique_lock<std::shared_mutex> write_lock_;
  std::shared_lock<std::shared_mutex> read_lock_;
  detail::PoolTables* tables_ = nullptr;
  detail::PoolTables empty_;
  std::vector<std::function<void()>> undo_log_;
};

inline std::unique_ptr<Transaction> MemoryStorage::begin(const PoolId& pool, TransactionMode mode) {
  return std::make_unique<MemoryTransaction>(*this, pool, mode);
}

}  // namespace highseas
