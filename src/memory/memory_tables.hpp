// The in-memory tables of one pool and the index upkeep behind MemoryStorage.
// Internal: hosts use MemoryStorage.
//
// Laid out for a claim that allocates nothing and a customer that costs about
// two hundred bytes resident (bench/README.md has the numbers):
//  - each customer is one block from the pool's slot arena (slot_arena.hpp):
//    the 152-byte slot, then its id and name; the block never moves, so every
//    index points at it, and the hash sets by id and by name key hold its
//    32-bit arena reference rather than a pointer;
//  - the name key is not stored: it is name_key(name), recomputed by the name
//    key set (only import and move-in look it up); a caller's key that is not
//    name_key(name) is stored after the name;
//  - values repeated across customers (user ids, the country/level/tags
//    combination, a holding's (period, idle limit) pair, the (time, importer)
//    of an import) are interned once per pool and stored as 32-bit indexes;
//  - the ordered indexes are intrusive trees whose hooks live in the slot:
//    by id (cursor paging of available customers) and, for held customers,
//    by (deadline, id), so a claim or a release links and unlinks without
//    allocating, and release and win erase exactly (no dead entries);
//  - holdings per user are a vector of slots; each slot knows its position,
//    so a release removes it in O(1) however high the cap;
//  - history is one append-only log per pool, each entry linking to the
//    customer's previous one, so a customer with one entry pays no vector;
//    a first entry that is an import's (the usual one) is not in the log at
//    all: the slot names its interned (time, importer).
// New holdings usually have the latest deadline, so inserting with an end hint
// keeps claim amortised O(1).
#pragma once

#include <algorithm>
#include <array>
#include <boost/container_hash/hash.hpp>
#include <boost/intrusive/set.hpp>
#include <boost/unordered/unordered_flat_map.hpp>
#include <boost/unordered/unordered_flat_set.hpp>
#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "highseas/customer.hpp"
#include "highseas/daily_limit.hpp"
#include "highseas/ids.hpp"
#include "highseas/name_key.hpp"
#include "highseas/return_rules.hpp"
#include "highseas/role_guard.hpp"
#include "highseas/span.hpp"
#include "highseas/storage.hpp"
#include "highseas_inl/memory/slot_arena.hpp"

namespace highseas::detail {

// Values repeated across customers, stored once; index 0 means "none".
template <class Value, class Hash = boost::hash<Value>>
class Interner {
 public:
  Interner() : values_(1) {}

  // Returns the index of `value`, adding it if new. A command names the same
  // user several times (actor, holder, history): the last one is checked first.
  std::uint32_t intern(const Value& value) {
    if (last_value_ != nullptr && *last_value_ == value) return last_;
    const auto [position, inserted] =
        index_.try_emplace(value, static_cast<std::uint32_t>(values_.size()));
    if (inserted) values_.push_back(value);
    last_ = position->second;
    last_value_ = &values_[last_];
    return last_;
  }
  // Returns the index of `value`, or 0 if it was never interned.
  std::uint32_t find(const Value& value) const {
    if (last_value_ != nullptr && *last_value_ == value) return last_;
    const auto found = index_.find(value);
    return found == index_.end() ? 0 : found->second;
  }
  // Returns the value at `index` (a default Value for 0).
  const Value& at(std::uint32_t index) const { return values_[index]; }

 private:
  std::deque<Value> values_;  // a deque: references stay valid as it grows
  std::uint32_t last_ = 0;
  const Value* last_value_ = nullptr;  // values_[last_], without the deque's index arithmetic
  boost::unordered_flat_map<Value, std::uint32_t, Hash> index_;
};

// The entry an import writes first: when and by whom. Every row of an import
// shares it, so the pool keeps each once and a slot names it by index.
struct ImportEntry {
  Time at;
  std::uint32_t actor = 0;
  friend bool operator==(const ImportEntry&, const ImportEntry&) = default;
};

struct ImportEntryHash {
  std::size_t operator()(const ImportEntry& entry) const noexcept {
    std::size_t seed = entry.actor;
    if (entry.at.is_special()) {
      boost::hash_combine(seed, entry.at.is_pos_infinity()   ? 1
                                : entry.at.is_neg_infinity() ? 2
                                                             : 3);
    } else {
      boost::hash_combine(
          seed, (entry.at - Time(boost::gregorian::date(1970, 1, 1))).total_microseconds());
    }
    return seed;
  }
};

struct UserIdHash {
  std::size_t operator()(const UserId& user) const noexcept {
    return boost::hash<std::string>{}(user.str());
  }
};

// Hashes a span by what it counts (Span has no hash of its own).
struct SpanHash {
  std::size_t operator()(const Span& span) const noexcept {
    auto seed = static_cast<std::size_t>(span.unit());
    if (span.unit() == Span::Unit::time) {
      boost::hash_combine(seed, span.length().ticks());
    } else {
      boost::hash_combine(seed, span.days());
    }
    return seed;
  }
};

// What a holding's rule fixed when it began (or a policy recompute gave it):
// its holding period, its idle limit and its reminders. Interned together,
// so they cost the slot no byte: few of them, one per rule a pool ever had.
// The default (zero period, no idle limit, no reminders) is index 0: not held.
struct HoldingSpans {
  Span period_length;
  std::optional<Span> idle_limit;
  std::vector<Reminder> reminders;
  friend bool operator==(const HoldingSpans&, const HoldingSpans&) = default;
};

struct HoldingSpansHash {
  std::size_t operator()(const HoldingSpans& spans) const noexcept {
    std::size_t seed = SpanHash{}(spans.period_length);
    boost::hash_combine(seed, spans.idle_limit ? SpanHash{}(*spans.idle_limit) + 1 : 0);
    for (const Reminder& reminder : spans.reminders) {
      boost::hash_combine(seed, SpanHash{}(reminder.before));
      boost::hash_combine(seed, static_cast<int>(reminder.audience));
    }
    return seed;
  }
};

// A Cooldown with its user interned.
struct StoredCooldown {
  std::uint32_t user = 0;
  Time until;
};

// CustomerRecord with users and the holding's lengths interned: about 100
// bytes instead of over 200.
struct StoredRecord {
  Time since;
  Time deadline;
  Time last_follow_up;
  Time period_deadline;
  Time idle_deadline;
  Time protected_until;
  Time reminder_due;
  std::uint32_t reminders_sent = 0;
  std::uint32_t extensions_used = 0;
  std::uint32_t holder = 0;
  std::uint32_t spans = 0;  // a holding_spans_ index; 0: zero period, no idle limit, no reminders
  std::uint32_t policy_version = 0;
  CustomerState state = CustomerState::available;
  DeadlineReason deadline_reason = DeadlineReason::period;
  std::vector<StoredCooldown> cooldowns;
};

// One history entry in the pool's log.
struct StoredHistory {
  Time at;
  Time deadline;
  std::uint32_t actor = 0;
  std::uint32_t holder_before = 0;
  std::uint32_t holder_after = 0;
  std::uint32_t note = 0;      // 1-based index into the notes; 0: empty
  std::uint32_t previous = 0;  // the customer's previous entry, 1-based; 0: none
  std::uint32_t policy_version = 0;
  HistoryKind kind = HistoryKind::imported;
  std::optional<WinKind> win;
  std::optional<DeadlineReason> deadline_reason;
};

using TreeHook = boost::intrusive::set_member_hook<boost::intrusive::optimize_size<true>>;

struct CustomerSlot;

// The head of a customer's text: its id, its name and, when the caller's name
// key is not name_key(name) (storage tests pass any key), that key. The bytes
// follow the slot in its arena block, so SlotText must be the slot's first
// member; a key equal to name_key(name) is not stored but recomputed, as only
// import and move-in look customers up by name key. The key's hash is kept,
// so the name key set grows without recomputing every key.
class SlotText {
 public:
  SlotText(std::string_view id, std::string_view name, std::string_view key, bool key_stored)
      : key_hash_(hash_key(key)),
        id_size_(checked_size(id, kMaxIdSize)),
        name_size_(checked_size(name, kMaxNameSize)),
        key_stored_(key_stored ? 1 : 0) {}

  // The hash the name key set files a key under (32 bits kept; the set mixes it).
  static std::uint32_t hash_key(std::string_view key) noexcept {
    return static_cast<std::uint32_t>(boost::hash<std::string_view>{}(key));
  }
  std::uint32_t key_hash() const noexcept { return key_hash_; }

  std::string_view id() const noexcept { return {bytes(), id_size_}; }
  std::string_view name() const noexcept { return {bytes() + id_size_, name_size_}; }
  std::string key() const {
    if (key_stored_ == 0) return name_key(name());
    return std::string(stored_key());
  }
  // The bytes a slot with this text takes in its block.
  static std::size_t block_size(std::string_view id, std::string_view name,
                                std::optional<std::string_view> stored_key);
  std::size_t block_size() const {
    return block_size(id(), name(), key_stored_ != 0 ? std::optional(stored_key()) : std::nullopt);
  }
  // Writes the text into the bytes after the slot.
  void write(std::string_view id, std::string_view name,
             std::optional<std::string_view> stored_key) {
    char* out = bytes();
    out = std::copy(id.begin(), id.end(), out);
    out = std::copy(name.begin(), name.end(), out);
    if (!stored_key) return;
    const auto size = static_cast<std::uint32_t>(stored_key->size());
    std::memcpy(out, &size, sizeof size);
    std::copy(stored_key->begin(), stored_key->end(), out + sizeof size);
  }

 private:
  // Far above what PublicPool accepts (128-byte ids, 256-byte names).
  static constexpr std::uint32_t kMaxIdSize = (std::uint32_t{1} << 11) - 1;
  static constexpr std::uint32_t kMaxNameSize = (std::uint32_t{1} << 20) - 1;
  static std::uint32_t checked_size(std::string_view text, std::uint32_t most) {
    if (text.size() > most) throw std::length_error("customer id or name too long");
    return static_cast<std::uint32_t>(text.size());
  }
  std::string_view stored_key() const noexcept {
    const char* at = bytes() + id_size_ + name_size_;
    std::uint32_t size = 0;
    std::memcpy(&size, at, sizeof size);
    return {at + sizeof size, size};
  }
  inline const char* bytes() const noexcept;
  inline char* bytes() noexcept;

  std::uint32_t key_hash_;
  std::uint32_t id_size_ : 11;
  std::uint32_t name_size_ : 20;
  std::uint32_t key_stored_ : 1;
};

// A customer: 168 bytes, then its text, in one arena block (slot_arena.hpp).
struct CustomerSlot {
  explicit CustomerSlot(SlotText text_) : text(text_) {}
  SlotText text;  // first: the text's bytes follow the slot
  // The id as the API hands it out (built per call: ids leave storage rarely).
  CustomerId id() const { return CustomerId(text.id()); }
  TreeHook by_id_hook;
  TreeHook deadline_hook;
  StoredRecord record;
  std::uint32_t shape = 0;             // country, level and tags: a shapes_ index
  std::uint32_t last_history = 0;      // 1-based index into the log; 0: none
  std::uint32_t holding_position = 0;  // index in the holder's list while held
  std::uint32_t imported = 0;          // the implicit first entry, an import_entries_ index
};
static_assert(sizeof(SlotText) == 8 && sizeof(CustomerSlot) == 176);
static_assert(alignof(CustomerSlot) <= SlotArena::kAlign);

inline const char* SlotText::bytes() const noexcept {
  return reinterpret_cast<const char*>(this) + sizeof(CustomerSlot);
}
inline char* SlotText::bytes() noexcept {
  return reinterpret_cast<char*>(this) + sizeof(CustomerSlot);
}
inline std::size_t SlotText::block_size(std::string_view id, std::string_view name,
                                        std::optional<std::string_view> stored_key) {
  return sizeof(CustomerSlot) + id.size() + name.size() +
         (stored_key ? sizeof(std::uint32_t) + stored_key->size() : 0);
}

struct SlotId {
  using type = std::string_view;
  type operator()(const CustomerSlot& slot) const noexcept { return slot.text.id(); }
};

// Orders held slots by (deadline, id).
struct DeadlineOrder {
  bool operator()(const CustomerSlot& a, const CustomerSlot& b) const noexcept {
    if (a.record.deadline != b.record.deadline) return a.record.deadline < b.record.deadline;
    return a.text.id() < b.text.id();
  }
  bool operator()(const CustomerSlot* a, const CustomerSlot* b) const noexcept {
    return (*this)(*a, *b);
  }
};

// Orders a (deadline, id) key against holdings as DeadlineOrder orders them,
// to start a walk of the deadline index behind a position.
struct DeadlineKeyOrder {
  using Key = std::pair<Time, std::string_view>;
  bool operator()(const Key& key, const CustomerSlot& slot) const noexcept {
    if (key.first != slot.record.deadline) return key.first < slot.record.deadline;
    return key.second < slot.text.id();
  }
  bool operator()(const CustomerSlot& slot, const Key& key) const noexcept {
    if (slot.record.deadline != key.first) return slot.record.deadline < key.first;
    return slot.text.id() < key.second;
  }
};

// Orders holdings with a reminder armed by (reminder_due, id). Keyed by the
// slot, as the deadline index: a slot leaves it before its reminder_due changes.
struct ReminderOrder {
  bool operator()(const CustomerSlot* a, const CustomerSlot* b) const noexcept {
    if (a->record.reminder_due != b->record.reminder_due) {
      return a->record.reminder_due < b->record.reminder_due;
    }
    return a->text.id() < b->text.id();
  }
};
// Only armed holdings are in it: under a policy with reminders nearly every
// holding, but holdings are a fraction of a pool's customers (its members
// times their cap), so a node per holding (one allocation per claim) costs
// less memory than a 24-byte hook in every customer's slot.
using ReminderIndex = std::set<CustomerSlot*, ReminderOrder>;

using ByIdIndex = boost::intrusive::set<
    CustomerSlot, boost::intrusive::member_hook<CustomerSlot, TreeHook, &CustomerSlot::by_id_hook>,
    boost::intrusive::key_of_value<SlotId>, boost::intrusive::constant_time_size<false>>;
using DeadlineIndex = boost::intrusive::multiset<
    CustomerSlot,
    boost::intrusive::member_hook<CustomerSlot, TreeHook, &CustomerSlot::deadline_hook>,
    boost::intrusive::compare<DeadlineOrder>, boost::intrusive::constant_time_size<false>>;

// Hashes and compares slot references by the slot's id, or by its name key,
// with lookups by string_view.
template <auto Key>
struct SlotKey {
  using is_transparent = void;
  const SlotArena* arena = nullptr;

  const CustomerSlot& slot(SlotRef ref) const noexcept {
    return *static_cast<const CustomerSlot*>(arena->at(ref));
  }
  std::size_t operator()(SlotRef ref) const { return (*this)(std::string_view(Key(slot(ref)))); }
  std::size_t operator()(std::string_view key) const noexcept {
    return boost::hash<std::string_view>{}(key);
  }
  bool operator()(SlotRef a, SlotRef b) const { return Key(slot(a)) == Key(slot(b)); }
  bool operator()(std::string_view a, SlotRef b) const { return a == Key(slot(b)); }
  bool operator()(SlotRef a, std::string_view b) const { return Key(slot(a)) == b; }
};
inline std::string_view id_of(const CustomerSlot& slot) { return slot.text.id(); }
using SlotsById = boost::unordered_flat_set<SlotRef, SlotKey<&id_of>, SlotKey<&id_of>>;

// The same by name key, hashed from the slot's kept hash: a key is recomputed
// (name_key(name)) only to confirm a probe's match, never to grow the set.
struct SlotNameKey {
  using is_transparent = void;
  const SlotArena* arena = nullptr;

  const CustomerSlot& slot(SlotRef ref) const noexcept {
    return *static_cast<const CustomerSlot*>(arena->at(ref));
  }
  std::size_t operator()(SlotRef ref) const noexcept { return slot(ref).text.key_hash(); }
  std::size_t operator()(std::string_view key) const noexcept { return SlotText::hash_key(key); }
  bool operator()(SlotRef a, SlotRef b) const {
    return slot(a).text.key_hash() == slot(b).text.key_hash() &&
           slot(a).text.key() == slot(b).text.key();
  }
  bool operator()(std::string_view a, SlotRef b) const { return a == slot(b).text.key(); }
  bool operator()(SlotRef a, std::string_view b) const { return slot(a).text.key() == b; }
};
using SlotsByNameKey = boost::unordered_flat_set<SlotRef, SlotNameKey, SlotNameKey>;

// A customer's country, level and tags, interned together: few combinations.
struct ProfileShape {
  std::uint32_t country = 0;
  std::uint32_t level = 0;
  std::uint32_t tags = 0;
  friend bool operator==(const ProfileShape&, const ProfileShape&) = default;
};

struct ProfileShapeHash {
  std::size_t operator()(const ProfileShape& shape) const noexcept {
    std::size_t seed = shape.country;
    boost::hash_combine(seed, shape.level);
    boost::hash_combine(seed, shape.tags);
    return seed;
  }
};

class PoolTables {
 public:
  std::optional<PoolRecord> pool;
  std::vector<CalendarVersion> calendars;  // every version, oldest first
  // Looked up by every command (the actor's role): a flat hash map, not a tree.
  boost::unordered_flat_map<UserId, Role, UserIdHash> members;
  // Each user's tally of their last day of takes under a daily limit.
  boost::unordered_flat_map<UserId, DailyTakes, UserIdHash> daily_takes;

  PoolTables()
      : customers_(0, SlotKey<&id_of>{&arena_}, SlotKey<&id_of>{&arena_}),
        by_name_key_(0, SlotNameKey{&arena_}, SlotNameKey{&arena_}) {}
  PoolTables(const PoolTables&) = delete;
  PoolTables& operator=(const PoolTables&) = delete;
  ~PoolTables() {
    deadlines_.clear();
    reminders_.clear();
    by_id_.clear();
    for (const SlotRef ref : customers_) slot_at(ref).~CustomerSlot();
  }

  // Returns the customer's slot, or null.
  CustomerSlot* find(std::string_view id) const {
    const auto found = customers_.find(id);
    return found == customers_.end() ? nullptr : &slot_at(*found);
  }

  std::optional<CustomerId> find_by_name_key(std::string_view key) const {
    if (key.empty()) return std::nullopt;
    const auto found = by_name_key_.find(key);
    if (found == by_name_key_.end()) return std::nullopt;
    return slot_at(*found).id();
  }

  // Returns the customer's profile, rebuilt from the slot.
  CustomerProfile profile(const CustomerSlot& slot) const {
    return CustomerProfile{slot.id(), std::string(slot.text.name()), country(slot), level(slot),
                           tags(slot)};
  }

  // Returns the customer's pool state, rebuilt from the slot.
  CustomerRecord record(const CustomerSlot& slot) const {
    CustomerRecord record;
    read_record(slot, record);
    return record;
  }
  // Fills `record` in place: the sweep reads straight into its batch, which
  // saves moving each record (two strings and sixteen fields) once more.
  void read_record(const CustomerSlot& slot, CustomerRecord& record) const {
    const StoredRecord& stored = slot.record;
    record.state = stored.state;
    if (stored.holder != 0) record.holder = users_.at(stored.holder);
    record.since = stored.since;
    record.deadline = stored.deadline;
    record.extensions_used = stored.extensions_used;
    record.last_follow_up = stored.last_follow_up;
    record.cooldowns.clear();
    for (const StoredCooldown& cooldown : stored.cooldowns) {
      record.cooldowns.push_back({users_.at(cooldown.user), cooldown.until});
    }
    record.deadline_reason = stored.deadline_reason;
    record.period_deadline = stored.period_deadline;
    const HoldingSpans& spans = holding_spans_.at(stored.spans);
    record.period_length = spans.period_length;
    record.idle_limit = spans.idle_limit;
    record.reminders = spans.reminders;
    record.reminder_due = stored.reminder_due;
    record.reminders_sent = stored.reminders_sent;
    record.idle_deadline = stored.idle_deadline;
    record.protected_until = stored.protected_until;
    record.policy_version = stored.policy_version;
  }

  // Returns the parts of the profile stored interned.
  const std::string& country(const CustomerSlot& slot) const {
    return strings_.at(shapes_.at(slot.shape).country);
  }
  const std::string& level(const CustomerSlot& slot) const {
    return strings_.at(shapes_.at(slot.shape).level);
  }
  const std::vector<std::string>& tags(const CustomerSlot& slot) const {
    return tag_lists_.at(shapes_.at(slot.shape).tags);
  }

  void insert(const CustomerProfile& profile, std::string_view key, const CustomerRecord& record) {
    const std::string_view id = profile.id.str();
    if (find(id) != nullptr) throw std::logic_error("insert_customer: id already known");
    std::optional<std::string_view> stored_key;
    if (key != name_key(profile.name)) stored_key = key;
    const SlotRef ref = arena_.allocate(SlotText::block_size(id, profile.name, stored_key));
    auto* slot =
        new (arena_.at(ref)) CustomerSlot(SlotText(id, profile.name, key, stored_key.has_value()));
    slot->text.write(id, profile.name, stored_key);
    slot->shape = shapes_.intern(ProfileShape{strings_.intern(profile.country),
                                              strings_.intern(profile.level),
                                              tag_lists_.intern(profile.tags)});
    slot->record = store(record);
    customers_.insert(ref);
    by_id_.insert(*slot);
    if (!key.empty()) by_name_key_.insert(ref);  // the first with a key keeps it
    index_record(*slot);
  }

  void erase(std::string_view id) {
    const auto position = customers_.find(id);
    if (position == customers_.end()) return;
    const SlotRef ref = *position;
    CustomerSlot& slot = slot_at(ref);
    unindex_record(slot);
    by_id_.erase(by_id_.iterator_to(slot));
    const std::string key = slot.text.key();
    if (!key.empty()) {
      const auto by_key = by_name_key_.find(std::string_view(key));
      if (by_key != by_name_key_.end() && *by_key == ref) by_name_key_.erase(by_key);
    }
    customers_.erase(position);
    const std::size_t size = slot.text.block_size();
    slot.~CustomerSlot();
    arena_.deallocate(ref, size);
  }

  // Replaces the slot's record, keeping every index in step.
  void update(CustomerSlot& slot, const CustomerRecord& record) {
    const StoredRecord stored = store(record);
    const StoredRecord& old = slot.record;
    const bool same_index =
        old.state == stored.state && old.holder == stored.holder && old.deadline == stored.deadline;
    if (same_index && old.reminder_due == stored.reminder_due) {
      slot.record = stored;
      return;
    }
    if (same_index && stored.state == CustomerState::held && stored.holder != 0) {
      // A reminder sent moves the holding in the reminder index only.
      if (!old.reminder_due.is_special()) reminders_.erase(&slot);
      slot.record = stored;
      if (!stored.reminder_due.is_special()) reminders_.insert(&slot);
      return;
    }
    unindex_record(slot);
    slot.record = stored;
    index_record(slot);
  }

  // Gives a due holding back as `plan` says (DueReturn::returned and entry),
  // written on the stored form the way the set-based backends write it in
  // SQL: the holder moves to the cooldown by its interned index, and no user
  // id is turned into a string and back. The return happens at the holding's
  // deadline, whenever the sweep runs: `since`, the history entry's time and
  // the cooldown's start are the deadline. The conformance suite compares the
  // result with DueReturn's, field by field.
  void return_due(CustomerSlot& slot, const DueReturn& plan) {
    const StoredRecord before = slot.record;
    StoredRecord after = before;
    after.state = CustomerState::available;
    after.holder = 0;
    after.since = before.deadline;
    after.deadline = Time();
    after.extensions_used = 0;
    after.last_follow_up = Time();
    after.deadline_reason = DeadlineReason::period;
    after.period_deadline = Time();
    after.spans = 0;  // zero period_length, no idle limit
    after.idle_deadline = Time();
    after.protected_until = Time();
    after.reminder_due = Time();
    after.reminders_sent = 0;
    after.policy_version = 0;
    if (before.holder != 0)
      after.cooldowns.push_back({before.holder, before.deadline + plan.cooldown});
    restore(slot, after);
    StoredHistory entry;
    entry.at = before.deadline;
    entry.holder_before = before.holder;
    entry.kind = HistoryKind::returned;
    entry.deadline_reason = before.deadline_reason;
    entry.policy_version = before.policy_version;
    append_stored_history(slot, entry);
  }

  // Replaces the slot's record with one taken from it before (rollback).
  void restore(CustomerSlot& slot, const StoredRecord& stored) {
    unindex_record(slot);
    slot.record = stored;
    index_record(slot);
  }

  // Returns how many customers are in `state`, kept as records change.
  std::uint64_t count_in(CustomerState state) const {
    return state_counts_.at(static_cast<std::size_t>(state));
  }

  // Returns how many customers `user` holds, leaving out those due at
  // `due_at` (deadline <= due_at) when given: a walk of the user's holdings,
  // no more. A not_a_date_time due_at, which the SQL storages cannot compare
  // with, counts every holding there as here.
  std::uint32_t count_holdings(const UserId& user, std::optional<Time> due_at) const {
    const std::uint32_t index = users_.find(user);
    if (index == 0) return 0;
    const auto found = holdings_.find(index);
    if (found == holdings_.end()) return 0;
    const std::vector<CustomerSlot*>& held = found->second;
    if (!due_at || due_at->is_not_a_date_time()) return static_cast<std::uint32_t>(held.size());
    // Two ways to find the user's due holdings: the pool's due ones (the
    // front of the deadline index, few where a host sweeps) or the user's
    // own (few under a real cap). Walk the first while it is the shorter:
    // O(min(both)), so neither a user holding 100k nor a pool nobody sweeps
    // makes every claim slow.
    std::size_t due_of_user = 0;
    std::size_t steps = 0;
    for (const CustomerSlot& slot : deadlines_) {
      if (slot.record.deadline > *due_at) {
        return static_cast<std::uint32_t>(held.size() - due_of_user);
      }
      if (++steps > held.size()) break;
      if (slot.record.holder == index) ++due_of_user;
    }
    return static_cast<std::uint32_t>(
        std::count_if(held.begin(), held.end(),
                      [&](const CustomerSlot* slot) { return slot->record.deadline > *due_at; }));
  }

  std::vector<const CustomerSlot*> holdings_of(const UserId& user) const {
    const auto found = holdings_.find(users_.find(user));
    if (found == holdings_.end()) return {};
    return {found->second.begin(), found->second.end()};
  }

  const DeadlineIndex& deadlines() const { return deadlines_; }
  // The first holding after (deadline, id) in the deadline index.
  DeadlineIndex::const_iterator deadlines_after(Time deadline, std::string_view id) const {
    return deadlines_.upper_bound(DeadlineKeyOrder::Key{deadline, id}, DeadlineKeyOrder{});
  }

  // Returns the holding with the earliest deadline if it is due at `now`, else null.
  CustomerSlot* first_due(Time now) {
    if (deadlines_.empty() || deadlines_.begin()->record.deadline > now) return nullptr;
    return &*deadlines_.begin();
  }
  const ByIdIndex& by_id() const { return by_id_; }
  // Holdings with a reminder armed, by (reminder_due, id).
  const ReminderIndex& reminders() const { return reminders_; }

  // Moves every clock of every holding by `by` (not_a_date_time stays); one
  // shift keeps the (deadline, id) and (reminder_due, id) orders. The
  // holding's lengths (period, idle limit) are lengths, not instants: they stay.
  void shift_deadlines(Duration by) {
    for (CustomerSlot& slot : deadlines_) {
      StoredRecord& record = slot.record;
      record.deadline += by;
      record.period_deadline += by;
      record.idle_deadline += by;
      record.protected_until += by;
      record.reminder_due += by;
    }
  }

  // Appends a history entry for the slot. A customer's first entry, when it is
  // an import's (no holders, note, win or deadline), is kept in the slot.
  void append_history(CustomerSlot& slot, const HistoryEntry& entry) {
    if (slot.imported == 0 && slot.last_history == 0 && is_import_entry(entry)) {
      slot.imported = import_entries_.intern(ImportEntry{entry.at, intern(entry.actor)});
      return;
    }
    StoredHistory stored;
    stored.at = entry.at;
    stored.deadline = entry.deadline;
    stored.actor = intern(entry.actor);
    stored.holder_before = intern(entry.holder_before);
    stored.holder_after = intern(entry.holder_after);
    if (!entry.note.empty()) {
      notes_.push_back(entry.note);
      stored.note = static_cast<std::uint32_t>(notes_.size());
    }
    stored.kind = entry.kind;
    stored.win = entry.win;
    stored.deadline_reason = entry.deadline_reason;
    stored.policy_version = entry.policy_version;
    append_stored_history(slot, stored);
  }

  // Appends an entry already in stored form (its note, if any, already kept).
  void append_stored_history(CustomerSlot& slot, StoredHistory stored) {
    stored.previous = slot.last_history;
    history_.push_back(stored);
    slot.last_history = static_cast<std::uint32_t>(history_.size());
  }

  // Removes the slot's last history entry, which must be the log's last (rollback).
  void pop_history(CustomerSlot& slot) {
    if (slot.last_history == 0) {
      slot.imported = 0;  // the last entry is the first, kept in the slot
      return;
    }
    const StoredHistory& last = history_.back();
    if (last.note != 0) notes_.pop_back();
    slot.last_history = last.previous;
    history_.pop_back();
  }

  // Returns the slot's history, oldest first.
  std::vector<HistoryEntry> history(const CustomerSlot& slot) const {
    std::vector<HistoryEntry> entries;
    for (std::uint32_t at = slot.last_history; at != 0; at = history_[at - 1].previous) {
      const StoredHistory& stored = history_[at - 1];
      entries.push_back(HistoryEntry{stored.at, stored.kind, user(stored.actor),
                                     user(stored.holder_before), user(stored.holder_after),
                                     stored.deadline,
                                     stored.note == 0 ? std::string() : notes_[stored.note - 1],
                                     stored.win, stored.deadline_reason, stored.policy_version});
    }
    if (slot.imported != 0) {
      const ImportEntry& imported = import_entries_.at(slot.imported);
      entries.push_back(HistoryEntry{imported.at, HistoryKind::imported, user(imported.actor),
                                     std::nullopt, std::nullopt, Time(), std::string(),
                                     std::nullopt, std::nullopt, 0});
    }
    std::reverse(entries.begin(), entries.end());
    return entries;
  }

 private:
  CustomerSlot& slot_at(SlotRef ref) const noexcept {
    return *static_cast<CustomerSlot*>(arena_.at(ref));
  }
  static bool is_import_entry(const HistoryEntry& entry) {
    return entry.kind == HistoryKind::imported && !entry.holder_before && !entry.holder_after &&
           entry.deadline.is_not_a_date_time() && entry.note.empty() && !entry.win &&
           !entry.deadline_reason && entry.policy_version == 0;
  }
  std::uint32_t intern(const std::optional<UserId>& user) {
    return user ? users_.intern(*user) : 0;
  }
  std::optional<UserId> user(std::uint32_t index) const {
    if (index == 0) return std::nullopt;
    return users_.at(index);
  }
  StoredRecord store(const CustomerRecord& record) {
    StoredRecord stored;
    stored.since = record.since;
    stored.deadline = record.deadline;
    stored.last_follow_up = record.last_follow_up;
    stored.extensions_used = record.extensions_used;
    stored.holder = intern(record.holder);
    stored.cooldowns.reserve(record.cooldowns.size());
    for (const Cooldown& cooldown : record.cooldowns) {
      stored.cooldowns.push_back({intern(cooldown.user), cooldown.until});
    }
    stored.state = record.state;
    stored.deadline_reason = record.deadline_reason;
    stored.period_deadline = record.period_deadline;
    HoldingSpans spans{record.period_length, record.idle_limit, {}};
    // Most holdings' rules have no reminders: no vector copied for them.
    if (!record.reminders.empty()) spans.reminders = record.reminders;
    stored.spans = spans == HoldingSpans{} ? 0 : holding_spans_.intern(spans);
    stored.idle_deadline = record.idle_deadline;
    stored.protected_until = record.protected_until;
    stored.reminder_due = record.reminder_due;
    stored.reminders_sent = record.reminders_sent;
    stored.policy_version = record.policy_version;
    return stored;
  }

  void index_record(CustomerSlot& slot) {
    ++state_counts_.at(static_cast<std::size_t>(slot.record.state));
    if (slot.record.state != CustomerState::held || slot.record.holder == 0) return;
    deadlines_.insert(deadlines_.end(), slot);
    if (!slot.record.reminder_due.is_special()) reminders_.insert(&slot);
    std::vector<CustomerSlot*>& held = holdings_[slot.record.holder];
    slot.holding_position = static_cast<std::uint32_t>(held.size());
    held.push_back(&slot);
  }

  void unindex_record(CustomerSlot& slot) {
    --state_counts_.at(static_cast<std::size_t>(slot.record.state));
    if (slot.deadline_hook.is_linked()) deadlines_.erase(deadlines_.iterator_to(slot));
    if (!slot.record.reminder_due.is_special()) reminders_.erase(&slot);
    if (slot.record.state != CustomerState::held || slot.record.holder == 0) return;
    const auto user = holdings_.find(slot.record.holder);
    if (user == holdings_.end()) return;
    std::vector<CustomerSlot*>& held = user->second;
    // Swap with the last and pop: O(1) whatever the cap.
    CustomerSlot* last = held.back();
    held[slot.holding_position] = last;
    last->holding_position = slot.holding_position;
    held.pop_back();
    if (held.empty()) holdings_.erase(user);
  }

  SlotArena arena_;  // before the sets: their hashers read it
  SlotsById customers_;
  SlotsByNameKey by_name_key_;
  ByIdIndex by_id_;
  DeadlineIndex deadlines_;
  ReminderIndex reminders_;
  Interner<UserId, UserIdHash> users_;
  Interner<std::string> strings_;
  Interner<std::vector<std::string>> tag_lists_;
  Interner<ProfileShape, ProfileShapeHash> shapes_;
  Interner<HoldingSpans, HoldingSpansHash> holding_spans_;  // few: one per rule a pool ever had
  boost::unordered_flat_map<std::uint32_t, std::vector<CustomerSlot*>> holdings_;
  Interner<ImportEntry, ImportEntryHash> import_entries_;
  std::deque<StoredHistory> history_;
  std::deque<std::string> notes_;
  std::array<std::uint64_t, kAllCustomerStates.size()> state_counts_{};
};

}  // namespace highseas::detail
