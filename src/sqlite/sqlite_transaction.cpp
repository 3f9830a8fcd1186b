#include "sqlite_transaction.hpp"

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

// Binds the shared columns to consecutive parameters from `next`.
class Binder {
 public:
  Binder(Query& query, int next) : query_(query), next_(next) {}
  void add_integer(std::optional<std::int64_t> value) { query_.bind(next_++, value); }
  void add_text(const std::optional<std::string>& value) { query_.bind_or_null(next_++, value); }

 private:
  Query& query_;
  int next_;
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

std::optional<PoolRecord> SqliteTransaction::find_pool() {
  Query row = connection_->query(Sql::find_pool);
  row.bind(1, pool_.str());
  if (!row.step()) return std::nullopt;
  PoolRecord pool;
  pool.enabled = row.integer(0) != 0;
  pool.policy.holding_period = decode_duration(row.optional_integer(1));
  pool.policy.max_holdings = static_cast<std::uint32_t>(row.integer(2));
  pool.policy.extension = decode_duration(row.optional_integer(3));
  pool.policy.max_extensions = static_cast<std::uint32_t>(row.integer(4));
  pool.policy.reclaim_cooldown = decode_duration(row.optional_integer(5));
  pool.created_at = decode_time(row.optional_integer(6));
  pool.paused_since = decode_time(row.optional_integer(7));
  return pool;
}

void SqliteTransaction::put_pool(const PoolRecord& pool) {
  require_write();
  Query write = connection_->query(Sql::put_pool);
  write.bind(1, pool_.str())
      .bind(2, std::int64_t{pool.enabled ? 1 : 0})
      .bind(3, encode_duration(pool.policy.holding_period))
      .bind(4, std::int64_t{pool.policy.max_holdings})
      .bind(5, encode_duration(pool.policy.extension))
      .bind(6, std::int64_t{pool.policy.max_extensions})
      .bind(7, encode_duration(pool.policy.reclaim_cooldown))
      .bind(8, encode_time(pool.created_at))
      .bind(9, encode_time(pool.paused_since))
      .run();
}

std::optional<Role> SqliteTransaction::find_member(const UserId& user) {
  Query row = connection_->query(Sql::find_member);
  row.bind(1, pool_.str()).bind(2, user.str());
  if (!row.step()) return std::nullopt;
  return sql::decode_enum(row.text(0), kAllRoles, "role", connection_->where());
}

void SqliteTransaction::put_member(const UserId& user, Role role) {
  require_write();
  connection_->query(Sql::put_member)
      .bind(1, pool_.str())
      .bind(2, user.str())
      .bind(3, to_string(role))
      .run();
}

void SqliteTransaction::erase_member(const UserId& user) {
  require_write();
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
  return read_record(row, 0);
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
  sql::bind_record(bind_columns, record, kState);
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
  {
    Query update = connection_->query(Sql::update_customer);
    update.bind(1, pool_.str()).bind(2, id.str());
    Binder bind_columns(update, 3);
    sql::bind_record(bind_columns, record, kState);
    update.run();
  }
  if (sqlite3_changes(connection_->get()) == 0) {
    throw std::logic_error("update_customer: unknown customer " + id.str());
  }
}

std::uint32_t SqliteTransaction::count_holdings(const UserId& user) {
  Query row = connection_->query(Sql::count_holdings);
  row.bind(1, pool_.str()).bind(2, user.str());
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

std::vector<StoredCustomer> SqliteTransaction::list_available(const AvailableQuery& query) {
  const AvailableFilter& filter = query.filter;
  Query row = connection_->query(
      list_available_for(!filter.country.empty(), !filter.level.empty(), !filter.tag.empty()));
  row.bind(1, pool_.str());
  row.bind(2, query.after ? std::string_view(query.after->str()) : std::string_view(""));
  if (!filter.country.empty()) row.bind(3, filter.country);
  if (!filter.level.empty()) row.bind(4, filter.level);
  if (!filter.tag.empty()) row.bind(5, filter.tag);
  row.bind(6, as_limit(query.limit));
  std::vector<StoredCustomer> page;
  while (row.step()) page.push_back(read_customer(row));
  return page;
}

void SqliteTransaction::shift_deadlines(Duration by) {
  require_write();
  const std::optional<std::int64_t> micros = encode_duration(by);
  if (!micros || by.is_special()) return;
  connection_->query(Sql::shift_deadlines).bind(1, pool_.str()).bind(2, *micros).run();
}

void SqliteTransaction::append_history(const CustomerId& id, const HistoryEntry& entry) {
  require_write();
  Query append = connection_->query(Sql::append_history);
  append.bind(1, pool_.str()).bind(2, id.str());
  Binder bind_columns(append, 3);
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

}  // namespace highseas::sqlite_detail
