// The in-memory tables of one pool and the index upkeep behind MemoryStorage.
// Internal: hosts use MemoryStorage.
//
// Customers live in a node-based hash map so pointers to their ids stay valid;
// the indexes hold those pointers:
//  - by_id: every customer, ordered, for cursor paging of available ones;
//  - deadlines: held customers ordered by (deadline, id), each slot keeping its
//    own iterator so release and win erase exactly (no dead entries);
//  - holdings: per user, the ids they hold (size = the cap count).
// New holdings usually have the latest deadline, so inserting with an end hint
// keeps claim amortised O(1).
#pragma once

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "highseas/customer.hpp"
#include "highseas/ids.hpp"
#include "highseas/role_guard.hpp"
#include "highseas/storage.hpp"

namespace highseas::detail {

struct IdPointerLess {
  using is_transparent = void;
  bool operator()(const CustomerId* a, const CustomerId* b) const { return *a < *b; }
  bool operator()(const CustomerId* a, const CustomerId& b) const { return *a < b; }
  bool operator()(const CustomerId& a, const CustomerId* b) const { return a < *b; }
};

struct DeadlineKey {
  Time deadline;
  const CustomerId* id;
};

struct DeadlineKeyLess {
  bool operator()(const DeadlineKey& a, const DeadlineKey& b) const {
    if (a.deadline != b.deadline) return a.deadline < b.deadline;
    return *a.id < *b.id;
  }
};

using DeadlineIndex = std::set<DeadlineKey, DeadlineKeyLess>;

struct CustomerSlot {
  CustomerProfile profile;
  std::string name_key;
  CustomerRecord record;
  std::vector<HistoryEntry> history;
  std::optional<DeadlineIndex::iterator> deadline_position;
};

class PoolTables {
 public:
  std::optional<PoolRecord> pool;
  std::map<UserId, Role> members;

  CustomerSlot* find(const CustomerId& id) {
    const auto found = customers_.find(id);
    return found == customers_.end() ? nullptr : &found->second;
  }

  std::optional<CustomerId> find_by_name_key(const std::string& key) const {
    const auto found = by_name_key_.find(key);
    if (found == by_name_key_.end()) return std::nullopt;
    return *found->second;
  }

  void insert(const CustomerProfile& profile, std::string name_key, const CustomerRecord& record) {
    auto [position, inserted] = customers_.try_emplace(profile.id);
    if (!inserted) throw std::logic_error("insert_customer: id already known");
    CustomerSlot& slot = position->second;
    slot.profile = profile;
    slot.name_key = std::move(name_key);
    const CustomerId* id = &position->first;
    by_id_.insert(id);
    if (!slot.name_key.empty()) by_name_key_.try_emplace(slot.name_key, id);
    index_record(id, slot, record);
    slot.record = record;
  }

  void erase(const CustomerId& id) {
    const auto position = customers_.find(id);
    if (position == customers_.end()) return;
    CustomerSlot& slot = position->second;
    unindex_record(&position->first, slot);
    by_id_.erase(&position->first);
    const auto by_key = by_name_key_.find(slot.name_key);
    if (by_key != by_name_key_.end() && by_key->second == &position->first) {
      by_name_key_.erase(by_key);
    }
    customers_.erase(position);
  }

  void update(const CustomerId& id, const CustomerRecord& record) {
    const auto position = customers_.find(id);
    if (position == customers_.end()) throw std::logic_error("update_customer: unknown id");
    CustomerSlot& slot = position->second;
    const CustomerRecord& old = slot.record;
    const bool same_index =
        old.state == record.state && old.holder == record.holder && old.deadline == record.deadline;
    if (!same_index) {
      unindex_record(&position->first, slot);
      index_record(&position->first, slot, record);
    }
    slot.record = record;
  }

  std::uint32_t count_holdings(const UserId& user) const {
    const auto found = holdings_.find(user);
    return found == holdings_.end() ? 0 : static_cast<std::uint32_t>(found->second.size());
  }

  std::vector<const CustomerId*> holdings_of(const UserId& user) const {
    const auto found = holdings_.find(user);
    if (found == holdings_.end()) return {};
    return found->second;
  }

  const DeadlineIndex& deadlines() const { return deadlines_; }
  const std::set<const CustomerId*, IdPointerLess>& by_id() const { return by_id_; }

  void shift_deadlines(Duration by) {
    DeadlineIndex shifted;
    for (const DeadlineKey& key : deadlines_) {
      CustomerSlot& slot = customers_.find(*key.id)->second;
      slot.record.deadline += by;
      slot.deadline_position =
          shifted.insert(shifted.end(), DeadlineKey{slot.record.deadline, key.id});
    }
    deadlines_.swap(shifted);
  }

 private:
  void index_record(const CustomerId* id, CustomerSlot& slot, const CustomerRecord& record) {
    if (record.state != CustomerState::held || !record.holder) return;
    slot.deadline_position = deadlines_.insert(deadlines_.end(), DeadlineKey{record.deadline, id});
    holdings_[*record.holder].push_back(id);
  }

  void unindex_record(const CustomerId* id, CustomerSlot& slot) {
    if (slot.deadline_position) {
      deadlines_.erase(*slot.deadline_position);
      slot.deadline_position.reset();
    }
    if (slot.record.state == CustomerState::held && slot.record.holder) {
      const auto user = holdings_.find(*slot.record.holder);
      if (user != holdings_.end()) {
        auto& ids = user->second;
        const auto found = std::find(ids.begin(), ids.end(), id);
        if (found != ids.end()) {
          *found = ids.back();
          ids.pop_back();
        }
        if (ids.empty()) holdings_.erase(user);
      }
    }
  }

  std::unordered_map<CustomerId, CustomerSlot> customers_;
  std::set<const CustomerId*, IdPointerLess> by_id_;
  std::unordered_map<std::string, const CustomerId*> by_name_key_;
  DeadlineIndex deadlines_;
  std::unordered_map<UserId, std::vector<const CustomerId*>> holdings_;
};

}  // namespace highseas::detail
