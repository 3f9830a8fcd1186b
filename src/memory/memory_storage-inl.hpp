// MemoryStorage's tables and transactions. Compiled into HighSeas::highseas
// by memory_storage.cpp; included by memory_storage.hpp in header-only mode.
#pragma once

#include <algorithm>
#include <boost/container/small_vector.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "highseas/memory_storage.hpp"
#include "highseas_inl/memory/memory_tables.hpp"

namespace highseas {

// Every pool's tables behind one reader/writer lock.
class MemoryStorage::Tables {
 public:
  // Returns the pool's tables, or null; the caller holds the lock.
  detail::PoolTables* find_tables(const PoolId& pool) {
    // Most hosts run one pool per storage: skip the hash on a repeat.
    if (last_tables_ != nullptr && last_pool_ == pool) return last_tables_;
    const auto found = pools_.find(pool);
    return found == pools_.end() ? nullptr : &found->second;
  }
  // Returns the pool's tables, creating them; the caller holds the write lock.
  detail::PoolTables& tables_for_write(const PoolId& pool) {
    if (detail::PoolTables* found = find_tables(pool)) return remember(pool, *found);
    return remember(pool, pools_[pool]);
  }
  detail::PoolTables& remember(const PoolId& pool, detail::PoolTables& tables) {
    if (last_tables_ != &tables) {
      last_pool_ = pool;
      last_tables_ = &tables;
    }
    return tables;
  }

  std::shared_mutex mutex_;
  std::unordered_map<PoolId, detail::PoolTables> pools_;
  // The pool of the last write; written under the write lock only.
  PoolId last_pool_;
  detail::PoolTables* last_tables_ = nullptr;
};

class MemoryStorage::MemoryTransaction final : public Transaction {
 public:
  MemoryTransaction(Tables& storage, const PoolId& pool, TransactionMode mode) : mode_(mode) {
    if (mode == TransactionMode::read_write) {
      write_lock_ = std::unique_lock(storage.mutex_);
      tables_ = &storage.tables_for_write(pool);
    } else {
      read_lock_ = std::shared_lock(storage.mutex_);
      detail::PoolTables* found = storage.find_tables(pool);
      tables_ = found != nullptr ? found : &empty_tables();
    }
  }
  MemoryTransaction(const MemoryTransaction&) = delete;
  MemoryTransaction& operator=(const MemoryTransaction&) = delete;

  ~MemoryTransaction() override {
    std::for_each(undo_log_.rbegin(), undo_log_.rend(), [this](auto& undo) { roll_back(undo); });
  }

  void commit() override { undo_log_.clear(); }

  std::optional<PoolRecord> find_pool() override { return tables_->pool; }
  void put_pool(const PoolRecord& pool) override {
    require_write();
    undo_log_.emplace_back(
        std::function<void()>([this, old = tables_->pool] { tables_->pool = old; }));
    tables_->pool = pool;
  }
  std::optional<CalendarVersion> find_calendar(std::uint32_t version) override {
    for (const CalendarVersion& stored : tables_->calendars) {
      if (stored.version == version) return stored;
    }
    return std::nullopt;
  }
  void add_calendar(const CalendarVersion& calendar) override {
    require_write();
    undo_log_.emplace_back(std::function<void()>([this] { tables_->calendars.pop_back(); }));
    tables_->calendars.push_back(calendar);
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
    std::sort(members.begin(), members.end(),
              [](const Member& a, const Member& b) { return a.user < b.user; });
    return members;
  }

  std::optional<DailyTakes> find_daily_takes(const UserId& user) override {
    const auto found = tables_->daily_takes.find(user);
    if (found == tables_->daily_takes.end()) return std::nullopt;
    return found->second;
  }
  void put_daily_takes(const UserId& user, const DailyTakes& takes) override {
    require_write();
    std::optional<DailyTakes> old = find_daily_takes(user);
    undo_log_.emplace_back(std::function<void()>([this, user, old = std::move(old)] {
      if (old) {
        tables_->daily_takes[user] = *old;
      } else {
        tables_->daily_takes.erase(user);
      }
    }));
    tables_->daily_takes[user] = takes;
  }

  std::optional<CustomerRecord> find_customer(const CustomerId& id) override {
    const detail::CustomerSlot* slot = find(id);
    if (slot == nullptr) return std::nullopt;
    return tables_->record(*slot);
  }
  std::optional<CustomerProfile> find_profile(const CustomerId& id) override {
    const detail::CustomerSlot* slot = find(id);
    if (slot == nullptr) return std::nullopt;
    return tables_->profile(*slot);
  }
  std::optional<CustomerId> find_by_name_key(std::string_view name_key) override {
    return tables_->find_by_name_key(name_key);
  }
  void insert_customer(const CustomerProfile& profile, std::string_view name_key,
                       const CustomerRecord& record) override {
    require_write();
    tables_->insert(profile, name_key, record);
    undo_log_.emplace_back(UndoInsert{profile.id});
  }
  void update_customer(const CustomerId& id, const CustomerRecord& record) override {
    require_write();
    detail::CustomerSlot* slot = find(id);
    if (slot == nullptr) throw std::logic_error("update_customer: unknown customer " + id.str());
    undo_log_.emplace_back(UndoUpdate{slot, slot->record});
    tables_->update(*slot, record);
  }
  // One lookup for both writes.
  void write_change(const CustomerId& id, const CustomerRecord& after,
                    const HistoryEntry& entry) override {
    require_write();
    detail::CustomerSlot* slot = find(id);
    if (slot == nullptr) throw std::logic_error("write_change: unknown customer " + id.str());
    undo_log_.emplace_back(UndoUpdate{slot, slot->record});
    tables_->update(*slot, after);
    tables_->append_history(*slot, entry);
    undo_log_.emplace_back(UndoHistory{slot});
  }

  std::uint32_t count_holdings(const UserId& user, std::optional<Time> due_at) override {
    return tables_->count_holdings(user, due_at);
  }
  std::vector<StoredCustomer> list_holdings(const UserId& user) override {
    std::vector<const detail::CustomerSlot*> slots = tables_->holdings_of(user);
    std::sort(slots.begin(), slots.end(), detail::DeadlineOrder{});
    std::vector<StoredCustomer> holdings;
    holdings.reserve(slots.size());
    for (const detail::CustomerSlot* slot : slots) {
      holdings.push_back({tables_->profile(*slot), tables_->record(*slot)});
    }
    return holdings;
  }
  std::vector<DueHolding> list_due(Time now, std::size_t limit) override {
    std::vector<DueHolding> due;
    for (const detail::CustomerSlot& slot : tables_->deadlines()) {
      if (due.size() >= limit || slot.record.deadline > now) break;
      DueHolding& holding = due.emplace_back();
      holding.id = slot.id();
      tables_->read_record(slot, holding.record);
    }
    return due;
  }
  // Walks the reminder index from its front while due: one writer, so
  // nothing is ever locked by another transaction.
  std::vector<DueHolding> list_reminders_due(Time now, std::size_t limit) override {
    std::vector<DueHolding> due;
    if (now.is_not_a_date_time()) return due;
    for (const detail::CustomerSlot* slot : tables_->reminders()) {
      if (due.size() >= limit || slot->record.reminder_due > now) break;
      DueHolding& holding = due.emplace_back();
      holding.id = slot->id();
      tables_->read_record(*slot, holding.record);
    }
    return due;
  }
  // Unlinks each due slot from the front of the deadline index as it goes:
  // no second lookup by id, no walk past what is due, no user id turned into
  // a string and back (PoolTables::return_due writes the stored form).
  std::vector<DueHolding> return_due(const DueReturn& plan, std::size_t limit) override {
    require_write();
    std::vector<DueHolding> due;
    while (due.size() < limit) {
      detail::CustomerSlot* first = tables_->first_due(plan.now);
      if (first == nullptr) break;
      detail::CustomerSlot& slot = *first;
      if (due.empty()) {  // something is due: room for a batch, so nothing moves as it fills
        const std::size_t batch = std::min<std::size_t>(limit, 512);
        due.reserve(batch);
        undo_log_.reserve(undo_log_.size() + 2 * batch);
      }
      DueHolding& holding = due.emplace_back();
      holding.id = slot.id();
      tables_->read_record(slot, holding.record);
      undo_log_.emplace_back(UndoUpdate{&slot, slot.record});
      tables_->return_due(slot, plan);
      undo_log_.emplace_back(UndoHistory{&slot});
    }
    return due;
  }
  std::uint64_t count_customers(CustomerState state) override { return tables_->count_in(state); }
  std::vector<StoredCustomer> list_available(const AvailableQuery& query) override {
    std::vector<StoredCustomer> page;
    const auto& by_id = tables_->by_id();
    auto position =
        query.after ? by_id.upper_bound(std::string_view(query.after->str())) : by_id.begin();
    for (; position != by_id.end() && page.size() < query.limit; ++position) {
      const detail::CustomerSlot& slot = *position;
      if (slot.record.state != CustomerState::available) continue;
      if (!matches(query.filter, slot)) continue;
      page.push_back({tables_->profile(slot), tables_->record(slot)});
    }
    return page;
  }
  // Walks the deadline index from its front while due: what it costs is the
  // due holdings, however large the pool. They come in deadline order, so the
  // page is picked by id from them (the `limit` smallest ids after the cursor).
  std::vector<StoredCustomer> list_by_deadline(const DeadlineWindow& window) override {
    std::vector<StoredCustomer> page;
    if (window.until.is_not_a_date_time() || window.after.deadline.is_not_a_date_time()) {
      return page;  // no time bounds nothing
    }
    const auto end = tables_->deadlines().end();
    for (auto slot = tables_->deadlines_after(window.after.deadline, window.after.id.str());
         slot != end && page.size() < window.limit && slot->record.deadline <= window.until;
         ++slot) {
      page.push_back({tables_->profile(*slot), tables_->record(*slot)});
    }
    return page;
  }
  std::vector<StoredCustomer> list_overdue(const AvailableQuery& query, Time now) override {
    std::vector<const detail::CustomerSlot*> due;
    if (query.limit == 0 || now.is_not_a_date_time()) return {};  // nothing is due at no time
    for (const detail::CustomerSlot& slot : tables_->deadlines()) {
      if (slot.record.deadline > now) break;
      if (query.after && slot.text.id() <= std::string_view(query.after->str())) continue;
      if (!matches(query.filter, slot)) continue;
      due.push_back(&slot);
    }
    auto by_id = [](const detail::CustomerSlot* a, const detail::CustomerSlot* b) {
      return a->text.id() < b->text.id();
    };
    const std::size_t size = std::min(query.limit, due.size());
    std::partial_sort(due.begin(), due.begin() + static_cast<std::ptrdiff_t>(size), due.end(),
                      by_id);
    std::vector<StoredCustomer> page;
    page.reserve(size);
    for (std::size_t i = 0; i < size; ++i) {
      page.push_back({tables_->profile(*due[i]), tables_->record(*due[i])});
    }
    return page;
  }
  void shift_deadlines(Duration by) override {
    require_write();
    tables_->shift_deadlines(by);
    undo_log_.emplace_back(std::function<void()>([this, by] { tables_->shift_deadlines(-by); }));
  }

  void append_history(const CustomerId& id, const HistoryEntry& entry) override {
    require_write();
    detail::CustomerSlot* slot = find(id);
    if (slot == nullptr) throw std::logic_error("append_history: unknown customer " + id.str());
    tables_->append_history(*slot, entry);
    undo_log_.emplace_back(UndoHistory{slot});
  }
  std::vector<HistoryEntry> list_history(const CustomerId& id) override {
    const detail::CustomerSlot* slot = find(id);
    if (slot == nullptr) return {};
    return tables_->history(*slot);
  }
  std::vector<PositionedHistoryEntry> list_pool_history(const std::optional<HistoryPosition>& after,
                                                        std::size_t limit) override {
    std::vector<PositionedHistoryEntry> page;
    const auto& by_id = tables_->by_id();
    auto position =
        after ? by_id.lower_bound(std::string_view(after->customer.str())) : by_id.begin();
    for (; position != by_id.end() && page.size() < limit; ++position) {
      const detail::CustomerSlot& slot = *position;
      // The seq is the entry's 1-based place in the customer's history.
      const bool resuming = after && slot.text.id() == after->customer.str();
      std::uint64_t seq = resuming ? after->seq : 0;
      std::vector<HistoryEntry> entries = tables_->history(slot);
      for (; seq < entries.size() && page.size() < limit; ++seq) {
        page.push_back({HistoryPosition{slot.id(), seq + 1}, std::move(entries[seq])});
      }
    }
    return page;
  }

 private:
  // What rollback undoes, newest first. Typed, so the common writes (a
  // customer's record and history) allocate nothing.
  struct UndoInsert {
    CustomerId id;
  };
  struct UndoUpdate {
    detail::CustomerSlot* slot;
    detail::StoredRecord before;
  };
  struct UndoHistory {
    detail::CustomerSlot* slot;
  };
  using Undo = std::variant<UndoUpdate, UndoHistory, UndoInsert, std::function<void()>>;

  void roll_back(Undo& undo) {
    if (auto* update = std::get_if<UndoUpdate>(&undo)) {
      tables_->restore(*update->slot, update->before);
    } else if (auto* history = std::get_if<UndoHistory>(&undo)) {
      tables_->pop_history(*history->slot);
    } else if (auto* insert = std::get_if<UndoInsert>(&undo)) {
      last_slot_ = nullptr;
      tables_->erase(insert->id.str());
    } else {
      std::get<std::function<void()>>(undo)();
    }
  }

  // Returns the customer's slot, or null. A command touches one customer
  // several times: the last slot found is checked before hashing again.
  detail::CustomerSlot* find(const CustomerId& id) {
    if (last_slot_ != nullptr && last_slot_->text.id() == id.str()) return last_slot_;
    detail::CustomerSlot* slot = tables_->find(id.str());
    if (slot != nullptr) last_slot_ = slot;
    return slot;
  }

  bool matches(const AvailableFilter& filter, const detail::CustomerSlot& slot) const {
    if (!filter.country.empty() && tables_->country(slot) != filter.country) return false;
    if (!filter.level.empty() && tables_->level(slot) != filter.level) return false;
    if (!filter.tag.empty()) {
      const std::vector<std::string>& tags = tables_->tags(slot);
      if (std::find(tags.begin(), tags.end(), filter.tag) == tags.end()) return false;
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
    undo_log_.emplace_back(std::function<void()>([this, user, old] {
      if (old) {
        tables_->members[user] = *old;
      } else {
        tables_->members.erase(user);
      }
    }));
  }

  // The tables a read of an unknown pool sees: shared, never written.
  static detail::PoolTables& empty_tables() {
    static detail::PoolTables empty;
    return empty;
  }

  TransactionMode mode_;
  std::unique_lock<std::shared_mutex> write_lock_;
  std::shared_lock<std::shared_mutex> read_lock_;
  detail::PoolTables* tables_ = nullptr;
  detail::CustomerSlot* last_slot_ = nullptr;
  // Most commands write one customer's record and history: no allocation.
  boost::container::small_vector<Undo, 4> undo_log_;
};

HIGHSEAS_INLINE MemoryStorage::MemoryStorage() : tables_(std::make_unique<Tables>()) {}

HIGHSEAS_INLINE MemoryStorage::~MemoryStorage() = default;

HIGHSEAS_INLINE std::unique_ptr<Transaction> MemoryStorage::begin(const PoolId& pool,
                                                                  TransactionMode mode) {
  return std::make_unique<MemoryTransaction>(*tables_, pool, mode);
}

HIGHSEAS_INLINE void MemoryStorage::transact(const PoolId& pool, TransactionMode mode,
                                             Deadline /*deadline*/, TransactionBody body) {
  MemoryTransaction tx(*tables_, pool, mode);
  body(tx);
}

}  // namespace highseas
