#include "sqlite_transaction.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <utility>

#include "codec.hpp"
#include "sql/columns.hpp"
#include "sql/values.hpp"

namespace highseas::sqlite_detail {

namespace {

using sql::decode_duration;
using sql::decode_time;
using sql::encode_duration;
using sql::encode_time;

// SQLite keeps the state as its number: the partial indexes test "state = 1".
constexpr sql::StateColumn kState = sql::StateColumn::number;

// One result row, read through the shared column codecs (src/sql/columns.hpp).
class Row {
 public:
  Row(const Query& query, const std::string& where) : query_(query), where_(where) {}
  std::optional<std::int64_t> integer(int column) const { return query_.optional_integer(column); }
  std::optional<std::string> text(int column) const { return query_.optional_text(column); }
  std::string_view where() const { return where_; }

 private:
  const Query& query_;
  const std::string& where_;
};

// Binds the shared columns to consecutive parameters from `next`; with a
// `last`, the columns after parameter `last` are dropped (a statement that
// copies them from the row has no parameter for them).
class Binder {
 public:
  Binder(Query& query, int next, int last = std::numeric_limits<int>::max())
      : query_(query), next_(next), last_(last) {}
  void add_integer(std::optional<std::int64_t> value) {
    if (next_ <= last_) query_.bind(next_, value);
    ++next_;
  }
  void add_text(const std::optional<std::string>& value) {
    if (next_ <= last_) query_.bind_or_null(next_, value);
    ++next_;
  }

 private:
  Query& query_;
  int next_;
  int last_;
};

std::int64_t as_limit(std::size_t limit) {
  return static_cast<std::int64_t>(
      std::min<std::size_t>(limit, std::numeric_limits<std::int64_t>::max()));
}

}  // namespace

SqliteTransaction::SqliteTransaction(std::unique_ptr<Connection> connection,
                                     ConnectionReturn give_back, PoolId pool, TransactionMode mode,
                                     std::unique_lock<std::mutex> writer)
    : connection_(std::move(connection)),
      give_back_(std::move(give_back)),
      pool_(std::move(pool)),
      mode_(mode),
      writer_(std::move(writer)) {
  try {
    connection_->query(mode == TransactionMode::read_write ? Sql::begin_write : Sql::begin_read)
        .run();
    open_ = true;
  } catch (...) {
    give_back_(std::move(connection_));
    throw;
  }
}

SqliteTransaction::~SqliteTransaction() {
  if (!connection_) return;
  // An unfinished transaction rolls back; a connection that cannot roll back
  // is closed rather than handed to the next command.
  if (open_ && !connection_->reset()) connection_.reset();
  give_back_(std::move(connection_));
}

void SqliteTransaction::commit() {
  if (!open_) throw std::logic_error("commit: the transaction is not open");
  connection_->query(Sql::commit).run();
  open_ = false;
}

void SqliteTransaction::require_write() const {
  if (mode_ != TransactionMode::read_write) {
    throw std::logic_error("write in a read_only transaction");
  }
}

Lookups::Pool* SqliteTransaction::lookups() {
  if (lookups_written_) return nullptr;
  if (!lookups_checked_) {
    // Inside the transaction, so the version is the one of its snapshot.
    Query version = connection_->query(Sql::data_version);
    connection_->lookups().revalidate(version.step() ? version.integer(0) : -1);
    lookups_checked_ = true;
  }
  return &connection_->lookups().pool(pool_.str());
}

void SqliteTransaction::wrote_lookups() {
  // Until this transaction ends, the cache could hold writes that roll back.
  connection_->lookups().clear();
  lookups_written_ = true;
}

std::optional<PoolRecord> SqliteTransaction::find_pool() {
  Lookups::Pool* cached = lookups();
  if (cached != nullptr && cached->record) return *cached->record;
  Query row = connection_->query(Sql::find_pool);
  row.bind(1, pool_.str());
  if (!row.step()) {
    if (cached != nullptr) cached->record.emplace(std::nullopt);
    return std::nullopt;
  }
  const std::string& where = connection_->where();
  PoolRecord pool;
  pool.enabled = row.integer(0) != 0;
  pool.policy.default_rule.holding_period =
      sql::decode_span(row.optional_text(1), where, "pools.default_period");
  pool.policy.max_holdings = static_cast<std::uint32_t>(row.integer(2));
  pool.policy.extension = sql::decode_span(row.optional_text(3), where, "pools.extension_span");
  pool.policy.max_extensions = static_cast<std::uint32_t>(row.integer(4));
  pool.policy.reclaim_cooldown = decode_duration(row.optional_integer(5));
  pool.created_at = decode_time(row.optional_integer(6));
  pool.paused_since = decode_time(row.optional_integer(7));
  pool.policy.default_rule.idle_limit =
      sql::decode_optional_span(row.optional_text(8), where, "pools.default_idle_limit");
  pool.policy.levels = sql::decode_level_rules(row.optional_text(9), where, "pools.level_rules");
  pool.policy.protection.max_per_user =
      sql::decode_u32(row.optional_integer(10), where, "pools.protection_max");
  pool.policy.protection.longest =
      sql::decode_span(row.optional_text(11), where, "pools.protection_longest");
  pool.policy_version = sql::decode_u32(row.optional_integer(12), where, "pools.policy_version");
  pool.policy_since = decode_time(row.optional_integer(13));
  // As stored, even a zone this machine's tz database lacks: validate() judges
  // only changes, so a pool set up on a newer server still opens here.
  pool.policy.time_zone = row.text(14);
  pool.calendar_version =
      sql::decode_u32(row.optional_integer(15), where, "pools.calendar_version");
  pool.policy.unknown_years =
      sql::decode_enum(row.text(16), kAllUnknownYears, "pools.unknown_years", where);
  pool.policy.default_rule.reminders =
      sql::decode_reminders(row.optional_text(17), where, "pools.default_reminders");
  pool.policy.release_cooldown = decode_duration(row.optional_integer(18));
  pool.policy.daily_limit =
      sql::decode_daily_limit(row.optional_text(19), where, "pools.daily_limit");
  if (cached != nullptr) cached->record.emplace(pool);
  return pool;
}

void SqliteTransaction::put_pool(const PoolRecord& pool) {
  require_write();
  const std::string& where = connection_->where();
  const ClaimPolicy& policy = pool.policy;
  // Encoded before anything is written: a value the columns cannot hold
  // exactly is refused whole.
  const std::string period =
      sql::encode_span(policy.default_rule.holding_period, where, "pools.default_period");
  const std::optional<std::string> idle_limit =
      sql::encode_optional_span(policy.default_rule.idle_limit, where, "pools.default_idle_limit");
  const std::string levels = sql::encode_level_rules(policy.levels, where, "pools.level_rules");
  const std::string longest =
      sql::encode_span(policy.protection.longest, where, "pools.protection_longest");
  const std::string extension = sql::encode_span(policy.extension, where, "pools.extension_span");
  const std::string reminders =
      sql::encode_reminders(policy.default_rule.reminders, where, "pools.default_reminders");
  // As the codecs above refuse what would not read back (a level named with a
  // separator, which ClaimPolicy::validate refuses before a pool stores it).
  const std::string daily_limit = to_string(policy.daily_limit);
  if (parse_daily_limit(daily_limit) != policy.daily_limit) {
    throw StorageError(where + ": column pools.daily_limit: cannot store the daily limit '" +
                       daily_limit + "' exactly");
  }
  wrote_lookups();
  Query write = connection_->query(Sql::put_pool);
  write.bind(1, pool_.str())
      .bind(2, std::int64_t{pool.enabled ? 1 : 0})
      .bind(3, period)
      .bind(4, std::int64_t{policy.max_holdings})
      .bind(5, extension)
      .bind(6, std::int64_t{policy.max_extensions})
      .bind(7, encode_duration(policy.reclaim_cooldown))
      .bind(8, encode_time(pool.created_at))
      .bind(9, encode_time(pool.paused_since))
      .bind_or_null(10, idle_limit)
      .bind(11, levels)
      .bind(12, std::int64_t{policy.protection.max_per_user})
      .bind(13, longest)
      .bind(14, std::int64_t{pool.policy_version})
      .bind(15, encode_time(pool.policy_since))
      .bind(16, policy.time_zone)
      .bind(17, std::int64_t{pool.calendar_version})
      .bind(18, std::string(to_string(policy.unknown_years)))
      .bind(19, reminders)
      .bind(20, encode_duration(policy.release_cooldown))
      .bind(21, daily_limit)
      .run();
}

std::optional<CalendarVersion> SqliteTransaction::find_calendar(std::uint32_t version) {
  Query row = connection_->query(Sql::find_calendar);
  row.bind(1, pool_.str()).bind(2, std::int64_t{version});
  if (!row.step()) return std::nullopt;
  const std::string& where = connection_->where();
  return CalendarVersion{version, decode_time(row.optional_integer(0)), UserId(row.text(1)),
                         sql::decode_calendar(row.optional_integer(2), row.optional_text(3),
                                              row.optional_text(4), where)};
}

void SqliteTransaction::add_calendar(const CalendarVersion& calendar) {
  require_write();
  connection_->query(Sql::add_calendar)
      .bind(1, pool_.str())
      .bind(2, std::int64_t{calendar.version})
      .bind(3, encode_time(calendar.since))
      .bind(4, calendar.by.str())
      .bind(5, std::int64_t{calendar.calendar.weekend()})
      .bind(6, sql::encode_calendar_years(calendar.calendar))
      .bind(7, sql::encode_calendar_days(calendar.calendar))
      .run();
}

std::optional<Role> SqliteTransaction::find_member(const UserId& user) {
  Lookups::Pool* cached = lookups();
  if (cached != nullptr) {
    if (auto found = cached->members.find(user.str()); found != cached->members.end()) {
      return found->second;
    }
  }
  std::optional<Role> role;
  {
    Query row = connection_->query(Sql::find_member);
    row.bind(1, pool_.str()).bind(2, user.str());
    if (row.step()) role = sql::decode_enum(row.text(0), kAllRoles, "role", connection_->where());
  }
  if (cached != nullptr) {
    if (cached->members.size() >= Lookups::kMaxMembers) cached->members.clear();
    cached->members.emplace(user.str(), role);
  }
  return role;
}

void SqliteTransaction::put_member(const UserId& user, Role role) {
  require_write();
  wrote_lookups();
  connection_->query(Sql::put_member)
      .bind(1, pool_.str())
      .bind(2, user.str())
      .bind(3, to_string(role))
      .run();
}

void SqliteTransaction::erase_member(const UserId& user) {
  require_write();
  wrote_lookups();
  connection_->query(Sql::erase_member).bind(1, pool_.str()).bind(2, user.str()).run();
}

std::vector<Member> SqliteTransaction::list_members() {
  Query row = connection_->query(Sql::list_members);
  row.bind(1, pool_.str());
  std::vector<Member> members;
  while (row.step()) {
    members.push_back({UserId(row.text(0)),
                       sql::decode_enum(row.text(1), kAllRoles, "role", connection_->where())});
  }
  return members;
}

CustomerRecord SqliteTransaction::read_record(const Query& row, int first) const {
  return sql::read_record(Row(row, connection_->where()), first, kState);
}

StoredCustomer SqliteTransaction::read_customer(const Query& row) const {
  StoredCustomer customer;
  customer.profile.id = CustomerId(row.text(0));
  customer.profile.name = row.text(1);
  customer.profile.country = row.text(2);
  customer.profile.level = row.text(3);
  customer.profile.tags = decode_tags(row.text(4), connection_->path());
  customer.record = read_record(row, 5);
  return customer;
}

std::optional<CustomerRecord> SqliteTransaction::find_customer(const CustomerId& id) {
  Query row = connection_->query(Sql::find_customer);
  row.bind(1, pool_.str()).bind(2, id.str());
  if (!row.step()) return std::nullopt;
  CustomerRecord record = read_record(row, 2);
  const std::int64_t history_seq = row.integer(1);
  // Read again unchanged: a counter bumped for an entry still to come stays so.
  const bool reserved = last_.reserved && last_.id == id.str() && last_.history_seq == history_seq;
  last_.id = id.str();
  last_.rowid = row.integer(0);
  last_.history_seq = history_seq;
  last_.reserved = reserved;
  last_.record = record;
  return record;
}

std::optional<CustomerProfile> SqliteTransaction::find_profile(const CustomerId& id) {
  Query row = connection_->query(Sql::find_profile);
  row.bind(1, pool_.str()).bind(2, id.str());
  if (!row.step()) return std::nullopt;
  return CustomerProfile{id, row.text(0), row.text(1), row.text(2),
                         decode_tags(row.text(3), connection_->path())};
}

std::optional<CustomerId> SqliteTransaction::find_by_name_key(std::string_view name_key) {
  if (name_key.empty()) return std::nullopt;
  Query row = connection_->query(Sql::find_by_name_key);
  row.bind(1, pool_.str()).bind(2, name_key);
  if (!row.step()) return std::nullopt;
  return CustomerId(row.text(0));
}

void SqliteTransaction::insert_customer(const CustomerProfile& profile, std::string_view name_key,
                                        const CustomerRecord& record) {
  require_write();
  if (find_customer(profile.id)) {
    throw std::logic_error("insert_customer: id already known: " + profile.id.str());
  }
  Query insert = connection_->query(Sql::insert_customer);
  insert.bind(1, pool_.str())
      .bind(2, profile.id.str())
      .bind(3, profile.name)
      .bind(4, profile.country)
      .bind(5, profile.level)
      .bind(6, encode_tags(profile.tags))
      .bind(7, name_key);
  Binder bind_columns(insert, 8);
  sql::bind_record(bind_columns, record, kState, connection_->where());
  if (!insert.step()) throw std::logic_error("insert_customer: no row inserted");
  // The counter is the seq its first history entry (the import's) takes.
  last_ = {profile.id.str(), insert.integer(0), insert.integer(1), true, record};
  insert.run();
  for (const std::string& tag : profile.tags) {
    connection_->query(Sql::insert_tag)
        .bind(1, pool_.str())
        .bind(2, tag)
        .bind(3, profile.id.str())
        .run();
  }
}

void SqliteTransaction::update_customer(const CustomerId& id, const CustomerRecord& record) {
  require_write();
  if (last_.id == id.str()) {
    // The command read this row: write it by rowid, and count the history
    // entry that follows in the same statement.
    if (!last_.reserved) {
      ++last_.history_seq;
      last_.reserved = true;
    }
    const CustomerRecord& before = last_.record;
    const bool indexed_same = record.state == before.state && record.holder == before.holder &&
                              encode_time(record.deadline) == encode_time(before.deadline) &&
                              encode_time(record.reminder_due) == encode_time(before.reminder_due);
    {
      Query update = connection_->query(indexed_same ? Sql::update_row_quietly : Sql::update_row);
      update.bind(1, last_.rowid);
      Binder bind_columns(update, 2);
      sql::bind_record(bind_columns, record, kState, connection_->where());
      update.bind(2 + sql::kRecordColumnCount, last_.history_seq);
      update.run();
    }
    if (sqlite3_changes(connection_->get()) != 1) {
      last_ = {};
      throw std::logic_error("update_customer: the row read has gone: " + id.str());
    }
    last_.record = record;
    return;
  }
  {
    Query update = connection_->query(Sql::update_customer);
    update.bind(1, pool_.str()).bind(2, id.str());
    Binder bind_columns(update, 3);
    sql::bind_record(bind_columns, record, kState, connection_->where());
    update.run();
  }
  if (sqlite3_changes(connection_->get()) == 0) {
    throw std::logic_error("update_customer: unknown customer " + id.str());
  }
}

std::uint32_t SqliteTransaction::count_holdings(const UserId& user, std::optional<Time> due_at) {
  const std::optional<std::int64_t> after = due_at ? encode_time(*due_at) : std::nullopt;
  Query row = connection_->query(after ? Sql::count_holdings_not_due : Sql::count_holdings);
  row.bind(1, pool_.str()).bind(2, user.str());
  if (after) row.bind(3, *after);
  return row.step() ? static_cast<std::uint32_t>(row.integer(0)) : 0;
}

std::uint64_t SqliteTransaction::count_customers(CustomerState state) {
  Query row = connection_->query(Sql::count_customers);
  row.bind(1, pool_.str()).bind(2, static_cast<std::int64_t>(state));
  return row.step() ? static_cast<std::uint64_t>(row.integer(0)) : 0;
}

std::vector<StoredCustomer> SqliteTransaction::list_holdings(const UserId& user) {
  Query row = connection_->query(Sql::list_holdings);
  row.bind(1, pool_.str()).bind(2, user.str());
  std::vector<StoredCustomer> holdings;
  while (row.step()) holdings.push_back(read_customer(row));
  return holdings;
}

std::vector<DueHolding> SqliteTransaction::list_due(Time now, std::size_t limit) {
  std::vector<DueHolding> due;
  const std::optional<std::int64_t> until = encode_time(now);
  if (!until || limit == 0) return due;
  Query row = connection_->query(Sql::list_due);
  row.bind(1, pool_.str()).bind(2, *until).bind(3, as_limit(limit));
  while (row.step()) due.push_back({CustomerId(row.text(0)), read_record(row, 1)});
  return due;
}

// One writer at a time (BEGIN IMMEDIATE): nothing listed is locked by another.
std::vector<DueHolding> SqliteTransaction::list_reminders_due(Time now, std::size_t limit) {
  std::vector<DueHolding> due;
  const std::optional<std::int64_t> until = encode_time(now);
  if (!until || limit == 0) return due;
  Query row = connection_->query(Sql::list_reminders_due);
  row.bind(1, pool_.str()).bind(2, *until).bind(3, as_limit(limit));
  while (row.step()) due.push_back({CustomerId(row.text(0)), read_record(row, 1)});
  return due;
}

std::vector<StoredCustomer> SqliteTransaction::list_by_deadline(const DeadlineWindow& window) {
  std::vector<StoredCustomer> page;
  const std::optional<std::int64_t> until = encode_time(window.until);
  const std::optional<std::int64_t> after = encode_time(window.after.deadline);
  if (!until || !after || window.limit == 0) return page;  // no time bounds nothing
  Query row = connection_->query(Sql::list_by_deadline);
  row.bind(1, pool_.str())
      .bind(2, *until)
      .bind(3, *after)
      .bind(4, window.after.id.str())
      .bind(5, as_limit(window.limit));
  while (row.step()) page.push_back(read_customer(row));
  return page;
}

std::vector<DueHolding> SqliteTransaction::return_due(const DueReturn& plan, std::size_t limit) {
  require_write();
  // An infinite cooldown (no policy has one) has no microseconds to add: row
  // by row, as DueReturn computes it.
  const std::optional<std::int64_t> cooldown = encode_duration(plan.cooldown);
  if (!cooldown || plan.cooldown.is_special()) return Transaction::return_due(plan, limit);
  // Three statements for the whole batch instead of two per row: read the
  // records as they are (the caller gets them back), append every entry with
  // one INSERT ... SELECT, and write every row with one UPDATE. All three
  // walk the same first `limit` entries of holdings_by_deadline, which nothing
  // else changes in between (this transaction holds the write lock).
  std::vector<DueHolding> due = list_due(plan.now, limit);
  if (due.empty()) return due;
  last_ = {};
  const std::int64_t until = *encode_time(plan.now);
  // The rules' values for any holding; the per-row ones (the previous holder
  // and whether there was one) are taken from each row by the statements.
  CustomerRecord probe = due.front().record;
  probe.holder = UserId("probe");
  const HistoryEntry entry = plan.entry(probe);
  CustomerRecord after = plan.returned(probe);
  // Not held, so no holding period (CustomerRecord::period_length: zero),
  // for every row of the batch, whatever the probe's (the first row's) was.
  after.period_length = Span();
  {
    Query append = connection_->query(Sql::return_due_history);
    append.bind(1, pool_.str()).bind(2, until).bind(3, as_limit(due.size()));
    // ?4..?11: the first eight history columns (?7, the probe's holder, is not
    // in the text); the deadline reason and policy version come from each row.
    Binder bind_columns(append, 4, 11);
    sql::bind_history(bind_columns, entry);
    append.run();
  }
  if (static_cast<std::size_t>(sqlite3_changes(connection_->get())) != due.size()) {
    throw StorageError(connection_->where() + ": return_due appended history for " +
                       std::to_string(sqlite3_changes(connection_->get())) + " of " +
                       std::to_string(due.size()) + " holdings");
  }
  {
    Query update = connection_->query(Sql::return_due_update);
    update.bind(1, pool_.str()).bind(2, until).bind(3, as_limit(due.size()));
    // ?4..?20: the record in kRecordColumns order (?6, since, and ?10, the
    // cooldowns, are not in the text: each row's deadline, holder and
    // cooldowns are); ?21 is the cooldown's length.
    Binder bind_columns(update, 4);
    sql::bind_record(bind_columns, after, kState, connection_->where());
    update.bind(4 + sql::kRecordColumnCount, *cooldown);
    update.run();
  }
  if (static_cast<std::size_t>(sqlite3_changes(connection_->get())) != due.size()) {
    throw StorageError(connection_->where() + ": return_due wrote " +
                       std::to_string(sqlite3_changes(connection_->get())) + " of " +
                       std::to_string(due.size()) + " holdings");
  }
  return due;
}

// One writer at a time (BEGIN IMMEDIATE): in a read_write transaction the
// row stays as read until commit, as Transaction::find_daily_takes requires.
std::optional<DailyTakes> SqliteTransaction::find_daily_takes(const UserId& user) {
  Query row = connection_->query(Sql::find_daily_takes);
  row.bind(1, pool_.str()).bind(2, user.str());
  if (!row.step()) return std::nullopt;
  return sql::decode_daily_takes(row.optional_text(0), row.optional_integer(1),
                                 row.optional_integer(2), row.optional_text(3),
                                 connection_->where());
}

void SqliteTransaction::put_daily_takes(const UserId& user, const DailyTakes& takes) {
  require_write();
  connection_->query(Sql::put_daily_takes)
      .bind(1, pool_.str())
      .bind(2, user.str())
      .bind(3, sql::encode_takes_day(takes))
      .bind(4, std::int64_t{takes.claims})
      .bind(5, std::int64_t{takes.assignments})
      .bind(6, sql::encode_level_takes(takes))
      .run();
}

std::vector<StoredCustomer> SqliteTransaction::list_available(const AvailableQuery& query) {
  const AvailableFilter& filter = query.filter;
  return list_page(
      list_available_for(!filter.country.empty(), !filter.level.empty(), !filter.tag.empty()),
      query, std::nullopt);
}

std::vector<StoredCustomer> SqliteTransaction::list_overdue(const AvailableQuery& query, Time now) {
  const AvailableFilter& filter = query.filter;
  const std::optional<std::int64_t> until = encode_time(now);
  if (!until) return {};  // not_a_date_time: nothing is due
  return list_page(
      list_overdue_for(!filter.country.empty(), !filter.level.empty(), !filter.tag.empty()), query,
      until);
}

// Runs a list_available or list_overdue statement (?7: the due test, if any).
std::vector<StoredCustomer> SqliteTransaction::list_page(Sql statement, const AvailableQuery& query,
                                                         std::optional<std::int64_t> until) {
  const AvailableFilter& filter = query.filter;
  Query row = connection_->query(statement);
  row.bind(1, pool_.str());
  row.bind(2, query.after ? std::string_view(query.after->str()) : std::string_view(""));
  if (!filter.country.empty()) row.bind(3, filter.country);
  if (!filter.level.empty()) row.bind(4, filter.level);
  if (!filter.tag.empty()) row.bind(5, filter.tag);
  row.bind(6, as_limit(query.limit));
  if (until) row.bind(7, *until);
  std::vector<StoredCustomer> page;
  while (row.step()) page.push_back(read_customer(row));
  return page;
}

void SqliteTransaction::shift_deadlines(Duration by) {
  require_write();
  const std::optional<std::int64_t> micros = encode_duration(by);
  if (!micros || by.is_special()) return;
  last_ = {};  // deadlines move under the remembered row
  connection_->query(Sql::shift_deadlines).bind(1, pool_.str()).bind(2, *micros).run();
}

void SqliteTransaction::append_history(const CustomerId& id, const HistoryEntry& entry) {
  require_write();
  std::int64_t seq = 0;
  if (last_.id == id.str()) {
    // The usual case: update_customer counted this entry already.
    if (!last_.reserved) {
      ++last_.history_seq;
      connection_->query(Sql::set_history_seq)
          .bind(1, last_.rowid)
          .bind(2, last_.history_seq)
          .run();
    }
    seq = last_.history_seq;
    last_.reserved = false;
  } else {
    Query bump = connection_->query(Sql::bump_history_seq);
    bump.bind(1, pool_.str()).bind(2, id.str());
    if (!bump.step()) throw std::logic_error("append_history: unknown customer " + id.str());
    seq = bump.integer(0);
    bump.run();
  }
  Query append = connection_->query(Sql::append_history);
  append.bind(1, pool_.str()).bind(2, id.str()).bind(3, seq);
  Binder bind_columns(append, 4);
  sql::bind_history(bind_columns, entry);
  append.run();
}

std::vector<HistoryEntry> SqliteTransaction::list_history(const CustomerId& id) {
  Query row = connection_->query(Sql::list_history);
  row.bind(1, pool_.str()).bind(2, id.str());
  std::vector<HistoryEntry> history;
  while (row.step()) history.push_back(sql::read_history(Row(row, connection_->where()), 0));
  return history;
}

std::vector<PositionedHistoryEntry> SqliteTransaction::list_pool_history(
    const std::optional<HistoryPosition>& after, std::size_t limit) {
  Query row = connection_->query(Sql::list_pool_history);
  row.bind(1, pool_.str())
      .bind(2, after ? after->customer.str() : std::string())
      .bind(3, static_cast<std::int64_t>(after ? after->seq : 0))
      .bind(4, static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX)));
  std::vector<PositionedHistoryEntry> page;
  while (row.step()) {
    page.push_back(
        {HistoryPosition{CustomerId(row.text(0)), static_cast<std::uint64_t>(row.integer(1))},
         sql::read_history(Row(row, connection_->where()), 2)});
  }
  return page;
}

}  // namespace highseas::sqlite_detail
