#include "postgres_transaction.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <utility>

#include "codec.hpp"
#include "sql/columns.hpp"
#include "sql/values.hpp"

namespace highseas::pg {

namespace {

using sql::decode_duration;
using sql::decode_time;
using sql::encode_duration;
using sql::encode_time;

// PostgreSQL keeps the state by name.
constexpr sql::StateColumn kState = sql::StateColumn::name;

// One result row, read through the shared column codecs (src/sql/columns.hpp).
class Row {
 public:
  // `where` names the storage in errors (PostgresTransaction::where_).
  Row(const Rows& rows, int row, std::string_view where) : rows_(rows), row_(row), where_(where) {}
  std::optional<std::int64_t> integer(int column) const {
    if (rows_.null(row_, column)) return std::nullopt;
    return decode_int(rows_.text(row_, column));
  }
  std::optional<std::string> text(int column) const {
    if (rows_.null(row_, column)) return std::nullopt;
    return std::string(rows_.text(row_, column));
  }
  std::string_view where() const { return where_; }

 private:
  const Rows& rows_;
  int row_;
  std::string_view where_;
};

// Appends the shared columns to statement parameters.
class Binder {
 public:
  explicit Binder(Params& params) : params_(params) {}
  void add_integer(std::optional<std::int64_t> value) {
    if (value) {
      params_.add(static_cast<long long>(*value));
    } else {
      params_.null();
    }
  }
  void add_text(std::optional<std::string> value) { params_.add(std::move(value)); }

 private:
  Params& params_;
};

CustomerRecord read_record(const Rows& rows, int row, int at, std::string_view where) {
  return sql::read_record(Row(rows, row, where), at, kState);
}

// Appends a duration or time column (NULL for not_a_date_time).
std::optional<std::string> as_text(std::optional<std::int64_t> value) {
  if (!value) return std::nullopt;
  return std::to_string(*value);
}

// Reads the kProfile columns starting at `at`.
CustomerProfile read_profile(const Rows& rows, int row, int at) {
  CustomerProfile profile;
  profile.id = CustomerId(std::string(rows.text(row, at)));
  profile.name = std::string(rows.text(row, at + 1));
  profile.country = std::string(rows.text(row, at + 2));
  profile.level = std::string(rows.text(row, at + 3));
  profile.tags = decode_tags(rows.text(row, at + 4));
  return profile;
}

std::vector<StoredCustomer> read_stored(const Rows& rows, std::string_view where) {
  std::vector<StoredCustomer> customers;
  customers.reserve(static_cast<std::size_t>(rows.size()));
  for (int row = 0; row < rows.size(); ++row) {
    customers.push_back({read_profile(rows, row, 0), read_record(rows, row, 5, where)});
  }
  return customers;
}

// Appends the record's columns in sql::kRecordColumns order.
void add_record(Params& params, const CustomerRecord& record, std::string_view where) {
  Binder binder(params);
  sql::bind_record(binder, record, kState, where);
}

bool counts_as_holding(const CustomerRecord& record) {
  return record.state == CustomerState::held && record.holder.has_value();
}

}  // namespace

PostgresTransaction::PostgresTransaction(std::shared_ptr<PostgresStorage::Impl> storage,
                                         std::unique_ptr<Connection> connection, PoolId pool,
                                         TransactionMode mode, Deadline deadline)
    : storage_(std::move(storage)),
      connection_(std::move(connection)),
      pool_(std::move(pool)),
      mode_(mode),
      where_("postgres schema \"" + storage_->options().schema + "\"") {
  connection_->set_deadline(deadline);
  // Writers: READ COMMITTED plus row locks. Readers: one snapshot, so a query
  // sees one consistent state.
  static const std::string kBeginWrite = "BEGIN";
  static const std::string kBeginRead = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";
  connection_->defer(std::nullopt, writable() ? kBeginWrite : kBeginRead);
}

PostgresTransaction::~PostgresTransaction() {
  connection_->discard_deferred();
  // Past the deadline, ROLLBACK would wait on a server that may be hung:
  // the connection is closed instead (below), which rolls back just the same.
  const bool in_time = std::chrono::steady_clock::now() < connection_->deadline();
  if (in_time && connection_->healthy() && !connection_->idle()) {
    try {
      connection_->exec("ROLLBACK", Failure::fatal);
    } catch (const StorageError&) {
      // The connection is dropped below when it is not idle.
    }
  }
  // Lost: the server may have restarted, so the idle ones are likely dead too.
  if (!connection_->healthy()) storage_->drop_idle();
  // Kept if healthy and idle, closed otherwise; either way its slot is freed.
  storage_->release(std::move(connection_));
}

void PostgresTransaction::commit() {
  if (done_) throw std::logic_error("commit: transaction already committed");
  for (const auto& [user, delta] : counter_deltas_) {
    if (delta == 0) continue;
    defer(Sql::add_to_counter, with_pool().add(user).add(static_cast<long long>(delta)));
  }
  static const std::string kCommit = "COMMIT";
  connection_->defer(std::nullopt, kCommit);
  try {
    // The pending writes, the counters and COMMIT: one round trip.
    connection_->flush();
  } catch (const StorageError& error) {
    // Lost or timed out during COMMIT: the server may or may not have
    // committed, so running the command again could apply it twice. Report,
    // do not retry.
    if (!connection_->healthy()) {
      throw CommitOutcomeUnknown(
          std::string("postgres: no answer to COMMIT, the command may or may not have been "
                      "applied (re-read before retrying): ") +
          error.what());
    }
    throw;
  }
  done_ = true;
  counter_deltas_.clear();
}

Rows PostgresTransaction::run(Sql which, const Params& params) {
  if (done_) throw std::logic_error("postgres: transaction used after commit");
  return connection_->run(static_cast<std::size_t>(which), storage_->statements()[which], params);
}

void PostgresTransaction::defer(Sql which, Params params) {
  if (done_) throw std::logic_error("postgres: transaction used after commit");
  connection_->defer(static_cast<std::size_t>(which), storage_->statements()[which],
                     std::move(params));
}

void PostgresTransaction::remember(const std::string& id, const CustomerRecord& record) {
  locked_holders_[id] = counts_as_holding(record) ? record.holder->str() : std::string();
}

Params PostgresTransaction::with_pool() const {
  Params params;
  params.add(pool_.str());
  return params;
}

void PostgresTransaction::require_write() const {
  if (!writable()) throw std::logic_error("write in a read_only transaction");
}

std::optional<PoolRecord> PostgresTransaction::find_pool() {
  const Rows rows = run(Sql::find_pool, with_pool());
  if (rows.size() == 0) return std::nullopt;
  PoolRecord pool;
  pool.enabled = rows.text(0, 0) == "t";
  const Row row(rows, 0, where_);
  pool.policy.default_rule.holding_period =
      sql::decode_span(row.text(1), where_, "pools.default_period");
  pool.policy.max_holdings = static_cast<std::uint32_t>(decode_int(rows.text(0, 2)));
  pool.policy.extension = sql::decode_span(row.text(3), where_, "pools.extension_span");
  pool.policy.max_extensions = static_cast<std::uint32_t>(decode_int(rows.text(0, 4)));
  pool.policy.reclaim_cooldown = decode_duration(row.integer(5));
  pool.created_at = decode_time(row.integer(6));
  pool.paused_since = decode_time(row.integer(7));
  pool.policy.default_rule.idle_limit =
      sql::decode_optional_span(row.text(8), where_, "pools.default_idle_limit");
  pool.policy.levels = sql::decode_level_rules(row.text(9), where_, "pools.level_rules");
  pool.policy.protection.max_per_user =
      sql::decode_u32(row.integer(10), where_, "pools.protection_max");
  pool.policy.protection.longest =
      sql::decode_span(row.text(11), where_, "pools.protection_longest");
  pool.policy_version = sql::decode_u32(row.integer(12), where_, "pools.policy_version");
  pool.policy_since = decode_time(row.integer(13));
  // As stored, even a zone this machine's tz database lacks (see SQLite's).
  pool.policy.time_zone = std::string(rows.text(0, 14));
  pool.calendar_version = sql::decode_u32(row.integer(15), where_, "pools.calendar_version");
  pool.policy.unknown_years =
      sql::decode_enum(rows.text(0, 16), kAllUnknownYears, "pools.unknown_years", where_);
  pool.policy.default_rule.reminders =
      sql::decode_reminders(row.text(17), where_, "pools.default_reminders");
  pool.policy.release_cooldown = decode_duration(row.integer(18));
  pool.policy.daily_limit = sql::decode_daily_limit(row.text(19), where_, "pools.daily_limit");
  return pool;
}

void PostgresTransaction::put_pool(const PoolRecord& pool) {
  require_write();
  const ClaimPolicy& policy = pool.policy;
  Params params = with_pool();
  params.add(std::string(pool.enabled ? "true" : "false"))
      .add(sql::encode_span(policy.default_rule.holding_period, where_, "pools.default_period"))
      .add(static_cast<long long>(policy.max_holdings))
      .add(sql::encode_span(policy.extension, where_, "pools.extension_span"))
      .add(static_cast<long long>(policy.max_extensions))
      .add(as_text(encode_duration(policy.reclaim_cooldown)))
      .add(as_text(encode_time(pool.created_at)))
      .add(as_text(encode_time(pool.paused_since)))
      .add(sql::encode_optional_span(policy.default_rule.idle_limit, where_,
                                     "pools.default_idle_limit"))
      .add(sql::encode_level_rules(policy.levels, where_, "pools.level_rules"))
      .add(static_cast<long long>(policy.protection.max_per_user))
      .add(sql::encode_span(policy.protection.longest, where_, "pools.protection_longest"))
      .add(static_cast<long long>(pool.policy_version))
      .add(as_text(encode_time(pool.policy_since)))
      .add(policy.time_zone)
      .add(static_cast<long long>(pool.calendar_version))
      .add(std::string(to_string(policy.unknown_years)))
      .add(sql::encode_reminders(policy.default_rule.reminders, where_, "pools.default_reminders"))
      .add(as_text(encode_duration(policy.release_cooldown)))
      .add(to_string(policy.daily_limit));
  // Update first; a plain INSERT otherwise, so two concurrent creators collide
  // on the key (retried: the second then sees the pool exists).
  if (run(Sql::update_pool, params).affected() == 0) run(Sql::insert_pool, params);
}

std::optional<CalendarVersion> PostgresTransaction::find_calendar(std::uint32_t version) {
  const Rows rows = run(Sql::find_calendar, with_pool().add(static_cast<long long>(version)));
  if (rows.size() == 0) return std::nullopt;
  const Row row(rows, 0, where_);
  return CalendarVersion{version, decode_time(row.integer(0)), UserId(std::string(rows.text(0, 1))),
                         sql::decode_calendar(row.integer(2), row.text(3), row.text(4), where_)};
}

void PostgresTransaction::add_calendar(const CalendarVersion& calendar) {
  require_write();
  defer(Sql::add_calendar, with_pool()
                               .add(static_cast<long long>(calendar.version))
                               .add(as_text(encode_time(calendar.since)))
                               .add(calendar.by.str())
                               .add(static_cast<long long>(calendar.calendar.weekend()))
                               .add(sql::encode_calendar_years(calendar.calendar))
                               .add(sql::encode_calendar_days(calendar.calendar)));
}

std::optional<Role> PostgresTransaction::find_member(const UserId& user) {
  const Rows rows =
      run(writable() ? Sql::find_member_locked : Sql::find_member, with_pool().add(user.str()));
  if (rows.size() == 0) return std::nullopt;
  return sql::decode_enum(rows.text(0, 0), kAllRoles, "role", where_);
}

void PostgresTransaction::put_member(const UserId& user, Role role) {
  require_write();
  defer(Sql::put_member, with_pool().add(user.str()).add(std::string(to_string(role))));
}

void PostgresTransaction::erase_member(const UserId& user) {
  require_write();
  defer(Sql::erase_member, with_pool().add(user.str()));
}

std::vector<Member> PostgresTransaction::list_members() {
  const Rows rows = run(Sql::list_members, with_pool());
  std::vector<Member> members;
  members.reserve(static_cast<std::size_t>(rows.size()));
  for (int row = 0; row < rows.size(); ++row) {
    members.push_back({UserId(std::string(rows.text(row, 0))),
                       sql::decode_enum(rows.text(row, 1), kAllRoles, "role", where_)});
  }
  return members;
}

std::optional<CustomerRecord> PostgresTransaction::find_customer(const CustomerId& id) {
  // FOR UPDATE: what a writer read stays true until it commits.
  const Rows rows =
      run(writable() ? Sql::find_customer_locked : Sql::find_customer, with_pool().add(id.str()));
  if (rows.size() == 0) return std::nullopt;
  CustomerRecord record = read_record(rows, 0, 0, where_);
  if (writable()) remember(id.str(), record);
  return record;
}

std::optional<CustomerProfile> PostgresTransaction::find_profile(const CustomerId& id) {
  const Rows rows = run(Sql::find_profile, with_pool().add(id.str()));
  if (rows.size() == 0) return std::nullopt;
  return read_profile(rows, 0, 0);
}

std::optional<CustomerId> PostgresTransaction::find_by_name_key(std::string_view name_key) {
  if (writable()) defer(Sql::lock_name_key, with_pool().add(std::string(name_key)));
  const Rows rows = run(Sql::find_by_name_key, with_pool().add(std::string(name_key)));
  if (rows.size() == 0) return std::nullopt;
  return CustomerId(std::string(rows.text(0, 0)));
}

void PostgresTransaction::insert_customer(const CustomerProfile& profile, std::string_view name_key,
                                          const CustomerRecord& record) {
  require_write();
  Params params = with_pool();
  params.add(profile.id.str())
      .add(profile.name)
      .add(profile.country)
      .add(profile.level)
      .add(encode_tags(profile.tags))
      .add(std::string(name_key));
  add_record(params, record, where_);
  // Sent with the next statement; a concurrent insert of the same id fails
  // there (unique_violation, retried).
  defer(Sql::insert_customer, std::move(params));
  remember(profile.id.str(), record);
  if (counts_as_holding(record)) counter_deltas_[record.holder->str()] += 1;
}

void PostgresTransaction::update_customer(const CustomerId& id, const CustomerRecord& record) {
  require_write();
  Params params = with_pool();
  params.add(id.str());
  add_record(params, record, where_);
  if (const auto known = locked_holders_.find(id.str()); known != locked_holders_.end()) {
    // Locked by us: nobody changed it, so its holder is known and the update
    // can travel with the next statement.
    if (!known->second.empty()) counter_deltas_[known->second] -= 1;
    defer(Sql::update_locked_customer, std::move(params));
  } else {
    const Rows old = run(Sql::update_customer, params);
    if (old.size() == 0) throw std::logic_error("update_customer: unknown customer " + id.str());
    if (old.text(0, 0) == to_string(CustomerState::held) && !old.null(0, 1)) {
      counter_deltas_[std::string(old.text(0, 1))] -= 1;
    }
  }
  remember(id.str(), record);
  if (counts_as_holding(record)) counter_deltas_[record.holder->str()] += 1;
}

std::uint32_t PostgresTransaction::count_holdings(const UserId& user, std::optional<Time> due_at) {
  const std::optional<std::int64_t> after = due_at ? encode_time(*due_at) : std::nullopt;
  std::int64_t held = 0;
  if (after) {
    // The counter cannot leave the due holdings out: the user's rows are
    // counted instead (deferred writes go first, so this transaction's own
    // are seen). A writer still locks the counter row first, as below.
    if (writable()) defer(Sql::lock_holdings_counter, with_pool().add(user.str()));
    const Rows rows =
        run(Sql::count_holdings_not_due, with_pool().add(user.str()).add(as_text(after)));
    if (rows.size() > 0) held = decode_int(rows.text(0, 0));
  } else if (writable()) {
    // Locks the user's counter row until commit: the cap check and the claim
    // that follows it cannot interleave with another taker's.
    held = decode_int(run(Sql::lock_holdings_counter, with_pool().add(user.str())).text(0, 0));
    if (const auto pending = counter_deltas_.find(user.str()); pending != counter_deltas_.end()) {
      held += pending->second;
    }
  } else {
    const Rows rows = run(Sql::count_holdings, with_pool().add(user.str()));
    if (rows.size() > 0) held = decode_int(rows.text(0, 0));
  }
  return static_cast<std::uint32_t>(held < 0 ? 0 : held);
}

std::optional<DailyTakes> PostgresTransaction::find_daily_takes(const UserId& user) {
  // A writer takes the lock count_holdings takes, the user's holding_counts
  // row, before it reads. FOR UPDATE on the daily_takes row would not do: a
  // user's first take of all finds no row to lock, so two first takes would
  // both read nothing and both pass the limit. The counter row is created if
  // needed and locked until commit, so every writer reading this user's
  // tally queues here, and READ COMMITTED reads the tally after the wait with
  // a new snapshot: the last take's, committed. No deadlock: PublicPool
  // counts the user's holdings (taking this very lock) before it reads the
  // tally, so the locks come in the same order everywhere, and a transaction
  // re-locking a row it already holds does not wait. Deferred: the lock
  // travels with the read, one round trip.
  if (writable()) defer(Sql::lock_holdings_counter, with_pool().add(user.str()));
  const Rows rows = run(Sql::find_daily_takes, with_pool().add(user.str()));
  if (rows.size() == 0) return std::nullopt;
  const Row row(rows, 0, where_);
  return sql::decode_daily_takes(row.text(0), row.integer(1), row.integer(2), row.text(3), where_);
}

void PostgresTransaction::put_daily_takes(const UserId& user, const DailyTakes& takes) {
  require_write();
  // One row per (pool, user), replaced; sent with the next statement.
  defer(Sql::put_daily_takes, with_pool()
                                  .add(user.str())
                                  .add(sql::encode_takes_day(takes))
                                  .add(static_cast<long long>(takes.claims))
                                  .add(static_cast<long long>(takes.assignments))
                                  .add(sql::encode_level_takes(takes)));
}

std::uint64_t PostgresTransaction::count_customers(CustomerState state) {
  const Rows rows = run(Sql::count_customers, with_pool().add(std::string(to_string(state))));
  const std::int64_t count = rows.size() > 0 ? decode_int(rows.text(0, 0)) : 0;
  return static_cast<std::uint64_t>(count < 0 ? 0 : count);
}

std::vector<StoredCustomer> PostgresTransaction::list_holdings(const UserId& user) {
  if (!writable()) return read_stored(run(Sql::list_holdings, with_pool().add(user.str())), where_);
  // The counter row first (the order count_holdings uses): a concurrent take
  // by this user either finished before we look or waits until we commit.
  defer(Sql::lock_holdings_counter, with_pool().add(user.str()));
  std::vector<StoredCustomer> held =
      read_stored(run(Sql::list_holdings_locked, with_pool().add(user.str())), where_);
  for (const StoredCustomer& customer : held) remember(customer.profile.id.str(), customer.record);
  return held;
}

std::vector<DueHolding> PostgresTransaction::list_due(Time now, std::size_t limit) {
  const Rows rows =
      run(writable() ? Sql::list_due_locked : Sql::list_due,
          with_pool().add(as_text(encode_time(now))).add(static_cast<long long>(limit)));
  return read_due(rows);
}

std::vector<DueHolding> PostgresTransaction::read_due(const Rows& rows) {
  std::vector<DueHolding> due;
  due.reserve(static_cast<std::size_t>(rows.size()));
  for (int row = 0; row < rows.size(); ++row) {
    due.push_back({CustomerId(std::string(rows.text(row, 0))), read_record(rows, row, 1, where_)});
    if (writable()) remember(due.back().id.str(), due.back().record);
  }
  return due;
}

std::vector<DueHolding> PostgresTransaction::list_reminders_due(Time now, std::size_t limit) {
  const std::optional<std::int64_t> until = encode_time(now);
  if (!until || limit == 0) return {};  // not_a_date_time: nothing is due
  // A writer locks what it lists, skipping rows another sweep has locked.
  const Rows rows = run(writable() ? Sql::list_reminders_due_locked : Sql::list_reminders_due,
                        with_pool()
                            .add(as_text(until))
                            .add(static_cast<long long>(std::min<std::size_t>(limit, INT64_MAX))));
  return read_due(rows);
}

std::vector<DueHolding> PostgresTransaction::list_due_holdings(const UserId& user, Time now) {
  if (!writable()) return Transaction::list_due_holdings(user, now);
  const Rows rows = run(Sql::list_due_holdings_locked,
                        with_pool().add(user.str()).add(as_text(encode_time(now))));
  std::vector<DueHolding> due;
  due.reserve(static_cast<std::size_t>(rows.size()));
  for (int row = 0; row < rows.size(); ++row) {
    due.push_back({CustomerId(std::string(rows.text(row, 0))), read_record(rows, row, 1, where_)});
    remember(due.back().id.str(), due.back().record);
  }
  return due;
}

namespace {

// The parameters of Sql::return_due after the pool: the due test, the limit,
// then what `plan` writes. The statement writes the same columns for every
// row and copies only the previous holder and, into the history entry, the
// holding's deadline reason and policy version, so the plan is applied to one
// sample holding and its answer bound. Two more samples, each field different,
// prove the statement's shape still is the rule's (DueReturn::returned and
// entry): a rule that kept another field, or read one, fails loudly here, not
// silently in the database.
void add_return_plan(Params& params, const DueReturn& plan, std::size_t limit,
                     std::string_view where) {
  auto sample = [&](std::string holder, std::int64_t seed) {
    CustomerRecord before;
    before.state = CustomerState::held;
    if (!holder.empty()) before.holder = UserId(std::move(holder));
    before.since = plan.now - hours(seed + 10);
    before.deadline = plan.now - hours(seed);
    before.extensions_used = static_cast<std::uint32_t>(seed);
    before.last_follow_up = plan.now - hours(seed + 5);
    // Earlier waits: one, none, two; the rule must keep them and append.
    for (std::int64_t n = 0; n < (seed == 2 ? 0 : seed == 3 ? 2 : 1); ++n) {
      before.cooldowns.push_back(
          {UserId("sample-cooldown-" + std::to_string(seed + n)), plan.now - hours(seed + n + 20)});
    }
    before.deadline_reason = kAllDeadlineReasons.at(static_cast<std::size_t>(seed) % 3);
    before.period_deadline = plan.now - hours(seed + 1);
    before.idle_limit = Span::time(hours(seed + 30));
    before.idle_deadline = plan.now - hours(seed + 2);
    before.protected_until = plan.now - hours(seed + 3);
    before.policy_version = static_cast<std::uint32_t>(seed + 40);
    before.period_length = seed % 2 == 0 ? Span::business_days(static_cast<std::uint32_t>(seed))
                                         : Span::time(hours(seed + 50));
    before.reminders = {{Span::time(hours(seed + 4)),
                         kAllReminderAudiences.at(static_cast<std::size_t>(seed) % 3)}};
    before.reminder_due = plan.now - hours(seed + 6);
    before.reminders_sent = static_cast<std::uint32_t>(seed % 2);
    return before;
  };
  const CustomerRecord first = sample("sample-a", 1);
  const CustomerRecord row = plan.returned(first);
  const HistoryEntry entry = plan.entry(first);
  // What the statement writes for `before`, in C++.
  auto written = [&](const CustomerRecord& before) {
    CustomerRecord after = row;
    after.since = before.deadline;
    // The row's cooldowns, and the previous holder's appended (Sql::return_due).
    after.cooldowns = before.cooldowns;
    if (before.holder) after.cooldowns.push_back({*before.holder, before.deadline + plan.cooldown});
    return after;
  };
  auto logged = [&](const CustomerRecord& before) {
    HistoryEntry expected = entry;
    expected.at = before.deadline;
    expected.holder_before = before.holder;
    expected.deadline_reason = before.deadline_reason;
    expected.policy_version = before.policy_version;
    return expected;
  };
  for (const CustomerRecord& other : {first, sample("sample-b", 2), sample("", 3)}) {
    if (plan.returned(other) != written(other) || plan.entry(other) != logged(other)) {
      throw std::logic_error(
          "postgres: return_due's statement no longer writes what DueReturn says");
    }
  }
  params.add(as_text(encode_time(plan.now))).add(static_cast<long long>(limit));
  Binder binder(params);
  binder.add_text(std::string(to_string(row.state)));
  binder.add_text(sql::encode_user(row.holder));
  binder.add_integer(encode_time(row.deadline));
  binder.add_integer(std::int64_t{row.extensions_used});
  binder.add_integer(encode_time(row.last_follow_up));
  binder.add_integer(encode_duration(plan.cooldown));
  binder.add_text(std::string(to_string(entry.kind)));
  binder.add_text(sql::encode_user(entry.actor));
  binder.add_text(sql::encode_user(entry.holder_after));
  binder.add_integer(encode_time(entry.deadline));
  binder.add_text(entry.note);
  binder.add_text(entry.win ? std::optional<std::string>(to_string(*entry.win)) : std::nullopt);
  binder.add_text(std::string(to_string(row.deadline_reason)));
  binder.add_integer(encode_time(row.period_deadline));
  binder.add_text(sql::encode_optional_span(row.idle_limit, where, "customers.idle_limit"));
  binder.add_integer(encode_time(row.idle_deadline));
  binder.add_integer(encode_time(row.protected_until));
  binder.add_integer(std::int64_t{row.policy_version});
  binder.add_text(sql::encode_span(row.period_length, where, "customers.period_length"));
  binder.add_text(sql::encode_reminders(row.reminders, where, "customers.reminders"));
  binder.add_integer(encode_time(row.reminder_due));
  binder.add_integer(std::int64_t{row.reminders_sent});
}

}  // namespace

std::vector<DueHolding> PostgresTransaction::return_due(const DueReturn& plan, std::size_t limit) {
  require_write();
  // An infinite cooldown (no policy has one) has no microseconds to add: row
  // by row, as DueReturn computes it.
  if (plan.cooldown.is_special()) return Transaction::return_due(plan, limit);
  Params params = with_pool();
  add_return_plan(params, plan, limit, where_);
  // Sent with any deferred writes: the statement sees them.
  const Rows rows = run(Sql::return_due, params);
  std::vector<DueHolding> due;
  due.reserve(static_cast<std::size_t>(rows.size()));
  for (int row = 0; row < rows.size(); ++row) {
    due.push_back({CustomerId(std::string(rows.text(row, 0))), read_record(rows, row, 1, where_)});
    const DueHolding& holding = due.back();
    // Locked by this statement until commit; it now has no holder, and its
    // previous holder's counter goes down with the commit.
    locked_holders_.insert_or_assign(holding.id.str(), std::string());
    if (counts_as_holding(holding.record)) counter_deltas_[holding.record.holder->str()] -= 1;
  }
  return due;
}

std::vector<StoredCustomer> PostgresTransaction::list_available(const AvailableQuery& query) {
  return read_stored(run(Sql::list_available, page_params(query)), where_);
}

std::vector<StoredCustomer> PostgresTransaction::list_overdue(const AvailableQuery& query,
                                                              Time now) {
  const std::optional<std::int64_t> until = encode_time(now);
  if (!until) return {};  // not_a_date_time: nothing is due
  return read_stored(run(Sql::list_overdue, page_params(query).add(as_text(until))), where_);
}

std::vector<StoredCustomer> PostgresTransaction::list_by_deadline(const DeadlineWindow& window) {
  const std::optional<std::int64_t> until = encode_time(window.until);
  const std::optional<std::int64_t> after = encode_time(window.after.deadline);
  if (!until || !after || window.limit == 0) return {};  // no time bounds nothing
  return read_stored(run(Sql::list_by_deadline, with_pool()
                                                    .add(as_text(until))
                                                    .add(as_text(after))
                                                    .add(window.after.id.str())
                                                    .add(static_cast<long long>(window.limit))),
                     where_);
}

Params PostgresTransaction::page_params(const AvailableQuery& query) const {
  Params params = with_pool();
  params.add(query.filter.country).add(query.filter.level).add(query.filter.tag);
  if (query.after) {
    params.add(query.after->str());
  } else {
    params.null();
  }
  params.add(static_cast<long long>(query.limit));
  return params;
}

void PostgresTransaction::shift_deadlines(Duration by) {
  require_write();
  // As in every storage: a special shift moves nothing.
  if (by.is_special()) return;
  defer(Sql::shift_deadlines, with_pool().add(as_text(encode_duration(by))));
}

void PostgresTransaction::append_history(const CustomerId& id, const HistoryEntry& entry) {
  require_write();
  Params params = with_pool();
  params.add(id.str());
  Binder binder(params);
  sql::bind_history(binder, entry);
  defer(Sql::append_history, std::move(params));
}

std::vector<HistoryEntry> PostgresTransaction::list_history(const CustomerId& id) {
  const Rows rows = run(Sql::list_history, with_pool().add(id.str()));
  std::vector<HistoryEntry> history;
  history.reserve(static_cast<std::size_t>(rows.size()));
  for (int row = 0; row < rows.size(); ++row)
    history.push_back(sql::read_history(Row(rows, row, where_), 0));
  return history;
}

std::vector<PositionedHistoryEntry> PostgresTransaction::list_pool_history(
    const std::optional<HistoryPosition>& after, std::size_t limit) {
  Params params = with_pool();
  params.add(after ? after->customer.str() : std::string())
      .add(static_cast<long long>(after ? after->seq : 0))
      .add(static_cast<long long>(std::min<std::size_t>(limit, INT64_MAX)));
  const Rows rows = run(Sql::list_pool_history, params);
  std::vector<PositionedHistoryEntry> page;
  page.reserve(static_cast<std::size_t>(rows.size()));
  for (int at = 0; at < rows.size(); ++at) {
    const Row row(rows, at, where_);
    page.push_back({HistoryPosition{CustomerId(row.text(0).value_or("")),
                                    static_cast<std::uint64_t>(row.integer(1).value_or(0))},
                    sql::read_history(row, 2)});
  }
  return page;
}

}  // namespace highseas::pg
