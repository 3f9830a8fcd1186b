#include "statements.hpp"

#include <array>
#include <string>

#include "sql/columns.hpp"

namespace highseas::sqlite_detail {

namespace {

// The record columns are the shared ones (src/sql/columns.hpp).
const std::string kRecord(sql::kRecordColumns);
const std::string kCustomer = "id, name, country, level, tags, " + kRecord;
constexpr int kRecordCount = sql::kRecordColumnCount;

// Returns "?first, ?first+1, ..." for `count` parameters.
std::string parameters(int first, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) {
    if (i > 0) out += ", ";
    out += "?" + std::to_string(first + i);
  }
  return out;
}

// Which record columns an UPDATE sets: the partial indexes name state,
// holder, deadline and reminder_due; every other record column is in no index.
enum Columns { kIndexed = 1, kNotIndexed = 2 };

bool is_indexed(std::string_view column) {
  return column == "state" || column == "holder" || column == "deadline" ||
         column == "reminder_due";
}

// Returns "column = ?n, ..." for the record columns in `which`, the record's
// columns bound in kRecordColumns order from parameter `first`.
std::string assignments(int first, int which) {
  std::string out;
  std::string_view columns = sql::kRecordColumns;
  for (int number = first; !columns.empty(); ++number) {
    const std::size_t comma = columns.find(", ");
    const std::string_view column = columns.substr(0, comma);
    columns = comma == std::string_view::npos ? std::string_view() : columns.substr(comma + 2);
    const bool wanted = (which & (is_indexed(column) ? kIndexed : kNotIndexed)) != 0;
    if (!wanted) continue;
    if (!out.empty()) out += ", ";
    out += std::string(column) + " = ?" + std::to_string(number);
  }
  return out;
}

// The filter and page of a listing by id; `from` picks the rows.
std::string page_sql(const std::string& from, std::size_t filters) {
  std::string sql = "SELECT " + kCustomer + from + " AND c.id > ?2";
  if ((filters & 1U) != 0) sql += " AND c.country = ?3";
  if ((filters & 2U) != 0) sql += " AND c.level = ?4";
  if ((filters & 4U) != 0) {
    sql +=
        " AND EXISTS (SELECT 1 FROM customer_tags t WHERE t.pool = c.pool AND t.tag = ?5 AND "
        "t.customer = c.id)";
  }
  sql += " ORDER BY c.id LIMIT ?6";
  return sql;
}

std::string available_sql(std::size_t filters) {
  return page_sql(" FROM customers c WHERE c.pool = ?1 AND c.state = 0", filters);
}

// The due holdings (deadline <= ?7), read from holdings_by_deadline and
// sorted by id: what it costs is the due rows, never the pool. INDEXED BY
// holds the planner to it (the (pool, id) key would give the order for free,
// by walking every customer), and fails the statement if it ever cannot.
std::string overdue_sql(std::size_t filters) {
  return page_sql(
      " FROM customers c INDEXED BY holdings_by_deadline WHERE c.pool = ?1 AND c.state = 1 "
      "AND c.deadline <= ?7",
      filters);
}

const std::array<std::string, static_cast<std::size_t>(Sql::count)>& all_sql() {
  static const auto texts = [] {
    std::array<std::string, static_cast<std::size_t>(Sql::count)> sql;
    auto set = [&](Sql statement, std::string text) {
      sql[static_cast<std::size_t>(statement)] = std::move(text);
    };
    set(Sql::begin_read, "BEGIN");
    set(Sql::begin_write, "BEGIN IMMEDIATE");
    set(Sql::commit, "COMMIT");
    set(Sql::rollback, "ROLLBACK");
    // The pool's policy: spans and level rules as text (src/sql/values.hpp);
    // holding_period and extension, the integer microseconds of versions 0 to
    // 5 and 0 to 8, are no longer read or written (default_period replaced
    // the one in version 6, extension_span the other in version 9). The
    // cooldowns are integer microseconds, the daily limit its text ("" for none).
    set(Sql::find_pool,
        "SELECT enabled, default_period, max_holdings, extension_span, max_extensions, "
        "reclaim_cooldown, created_at, paused_since, default_idle_limit, level_rules, "
        "protection_max, protection_longest, policy_version, policy_since, time_zone, "
        "calendar_version, unknown_years, default_reminders, release_cooldown, daily_limit "
        "FROM pools WHERE pool = ?1");
    set(Sql::put_pool,
        "INSERT INTO pools (pool, enabled, default_period, max_holdings, extension_span, "
        "max_extensions, reclaim_cooldown, created_at, paused_since, default_idle_limit, "
        "level_rules, protection_max, protection_longest, policy_version, policy_since, "
        "time_zone, calendar_version, unknown_years, default_reminders, release_cooldown, "
        "daily_limit) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
        "?19, ?20, ?21) "
        "ON CONFLICT (pool) DO UPDATE SET "
        "enabled = excluded.enabled, default_period = excluded.default_period, "
        "max_holdings = excluded.max_holdings, extension_span = excluded.extension_span, "
        "max_extensions = excluded.max_extensions, reclaim_cooldown = excluded.reclaim_cooldown, "
        "created_at = excluded.created_at, paused_since = excluded.paused_since, "
        "default_idle_limit = excluded.default_idle_limit, level_rules = excluded.level_rules, "
        "protection_max = excluded.protection_max, "
        "protection_longest = excluded.protection_longest, "
        "policy_version = excluded.policy_version, policy_since = excluded.policy_since, "
        "time_zone = excluded.time_zone, calendar_version = excluded.calendar_version, "
        "unknown_years = excluded.unknown_years, default_reminders = excluded.default_reminders, "
        "release_cooldown = excluded.release_cooldown, daily_limit = excluded.daily_limit");
    set(Sql::find_calendar,
        "SELECT since, by_user, weekend, years, days FROM calendars WHERE pool = ?1 AND "
        "version = ?2");
    set(Sql::add_calendar,
        "INSERT INTO calendars (pool, version, since, by_user, weekend, years, days) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    set(Sql::find_member, "SELECT role FROM members WHERE pool = ?1 AND user = ?2");
    set(Sql::put_member, "INSERT OR REPLACE INTO members (pool, user, role) VALUES (?1, ?2, ?3)");
    set(Sql::erase_member, "DELETE FROM members WHERE pool = ?1 AND user = ?2");
    set(Sql::list_members, "SELECT user, role FROM members WHERE pool = ?1 ORDER BY user");
    // Changes only when another connection committed (pool and member lookups).
    set(Sql::data_version, "PRAGMA data_version");
    // The rowid and history counter let the command's writes to this row skip
    // the (pool, id) index and number its history entry (update_row, append_history).
    set(Sql::find_customer,
        "SELECT rowid, history_seq, " + kRecord + " FROM customers WHERE pool = ?1 AND id = ?2");
    set(Sql::find_profile,
        "SELECT name, country, level, tags FROM customers WHERE pool = ?1 AND id = ?2");
    // The first customer given the key wins, as with MemoryStorage.
    set(Sql::find_by_name_key,
        "SELECT id FROM customers WHERE pool = ?1 AND name_key = ?2 AND name_key <> '' "
        "ORDER BY rowid LIMIT 1");
    set(Sql::insert_customer,
        "INSERT INTO customers (pool, id, name, country, level, tags, "
        "name_key, " +
            kRecord + ", history_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, " +
            parameters(8, kRecordCount) +
            ", (SELECT coalesce(max(seq), 0) + 1 FROM history WHERE pool = ?1 AND customer = "
            "?2)) RETURNING rowid, history_seq");
    set(Sql::insert_tag,
        "INSERT OR IGNORE INTO customer_tags (pool, tag, customer) VALUES (?1, ?2, ?3)");
    set(Sql::update_customer, "UPDATE customers SET " + assignments(3, kIndexed | kNotIndexed) +
                                  " WHERE pool = ?1 AND id = ?2");
    // The row the transaction has just read (?1: its rowid), with the history
    // counter the command's entry will take (the parameter after the record's).
    const std::string seq = "history_seq = ?" + std::to_string(2 + kRecordCount);
    set(Sql::update_row, "UPDATE customers SET " + assignments(2, kIndexed | kNotIndexed) + ", " +
                             seq + " WHERE rowid = ?1");
    // The same when state, holder and deadline stay (a follow-up, a cooldown):
    // SQLite moves an index entry only if the SET list names one of its
    // columns, so this touches none of the four partial indexes. The
    // parameters are numbered as update_row's; the indexed ones go unused.
    set(Sql::update_row_quietly,
        "UPDATE customers SET " + assignments(2, kNotIndexed) + ", " + seq + " WHERE rowid = ?1");
    set(Sql::set_history_seq, "UPDATE customers SET history_seq = ?2 WHERE rowid = ?1");
    set(Sql::bump_history_seq,
        "UPDATE customers SET history_seq = history_seq + 1 WHERE pool = ?1 AND id = ?2 "
        "RETURNING history_seq");
    set(Sql::count_holdings,
        "SELECT count(*) FROM customers WHERE pool = ?1 AND state = 1 AND holder = ?2");
    // A range of holdings_by_user: only the user's holdings due after ?3.
    set(Sql::count_holdings_not_due,
        "SELECT count(*) FROM customers INDEXED BY holdings_by_user WHERE pool = ?1 AND "
        "state = 1 AND holder = ?2 AND deadline > ?3");
    set(Sql::count_customers, "SELECT count(*) FROM customers WHERE pool = ?1 AND state = ?2");
    set(Sql::list_holdings,
        "SELECT " + kCustomer +
            " FROM customers WHERE pool = ?1 AND state = 1 AND holder = ?2 ORDER BY deadline, id");
    set(Sql::list_due, "SELECT id, " + kRecord +
                           " FROM customers WHERE pool = ?1 AND state = 1 AND deadline <= ?2 "
                           "ORDER BY deadline, id LIMIT ?3");
    // A range of holdings_by_reminder: only the reminders due.
    set(Sql::list_reminders_due,
        "SELECT id, " + kRecord +
            " FROM customers INDEXED BY holdings_by_reminder WHERE pool = ?1 AND state = 1 AND "
            "reminder_due IS NOT NULL AND reminder_due <= ?2 ORDER BY reminder_due, id LIMIT ?3");
    // A range of holdings_by_deadline, from behind the position (?3, ?4) to ?2.
    set(Sql::list_by_deadline,
        "SELECT " + kCustomer +
            " FROM customers INDEXED BY holdings_by_deadline WHERE pool = ?1 AND state = 1 AND "
            "(deadline, id) > (?3, ?4) AND deadline <= ?2 ORDER BY deadline, id LIMIT ?5");
    // return_due: the batch is the first ?3 rows of holdings_by_deadline up to
    // ?2; both statements name it the same way, and the history goes first
    // because the update erases the holding it records. The values come from
    // DueReturn (bound: ?4..?11 are the first eight history columns in
    // kHistoryColumns order, ?4, at, and ?7, holder_before, unused); the time
    // (the row's deadline: a holding returns the moment it is due),
    // holder_before, the deadline reason, the policy version, the cooldown
    // appended and the history seq come from each row.
    const std::string due_batch =
        "SELECT rowid FROM customers WHERE pool = ?1 AND state = 1 AND deadline <= ?2 "
        "ORDER BY deadline, id LIMIT ?3";
    set(Sql::return_due_history,
        "INSERT INTO history (pool, customer, seq, " + std::string(sql::kHistoryColumns) +
            ") SELECT pool, id, history_seq + 1, deadline, ?5, ?6, holder, ?8, ?9, ?10, ?11, "
            "deadline_reason, policy_version "
            "FROM customers WHERE pool = ?1 AND state = 1 AND deadline <= ?2 "
            "ORDER BY deadline, id LIMIT ?3");
    // given_back: ?4..?20 are DueReturn::returned's record in kRecordColumns
    // order (?6, since, and ?10, its cooldowns, unused); the row is given back
    // at its deadline (every expression reads the row as it was), and the
    // previous holder (if any) gets a cooldown of ?21 microseconds from then,
    // appended to the row's as encode_cooldowns writes one (src/sql/values.hpp:
    // RS, char 30, between entries; US, char 31, between user and end); with
    // no holder the cooldowns stay as they were. An infinite deadline stays
    // itself, as ptime arithmetic keeps it. period_length (?17) and the
    // reminders (?18..?20) are cleared like the clocks: only a holding has them.
    set(Sql::return_due_update,
        "UPDATE customers SET state = ?4, holder = ?5, since = deadline, deadline = ?7, "
        "extensions_used = ?8, last_follow_up = ?9, "
        "cooldowns = CASE WHEN holder IS NULL THEN cooldowns "
        "ELSE cooldowns || CASE WHEN cooldowns = '' THEN '' ELSE char(30) END || holder || "
        "char(31) || CASE WHEN deadline > -9223372036854775808 AND "
        "deadline < 9223372036854775807 THEN deadline + ?21 ELSE deadline END END, "
        "deadline_reason = ?11, period_deadline = ?12, idle_limit = ?13, idle_deadline = ?14, "
        "protected_until = ?15, policy_version = ?16, period_length = ?17, reminders = ?18, "
        "reminder_due = ?19, reminders_sent = ?20, "
        "history_seq = history_seq + 1 WHERE rowid IN (" +
            due_batch + ")");
    // Every clock of a holding moves; NULL (not_a_date_time) and the infinite
    // sentinels stay as they are, as ptime arithmetic keeps them.
    auto shifted = [](const std::string& column) {
      return column + " = CASE WHEN " + column + " > -9223372036854775808 AND " + column +
             " < 9223372036854775807 THEN " + column + " + ?2 ELSE " + column + " END";
    };
    set(Sql::shift_deadlines, "UPDATE customers SET " + shifted("deadline") + ", " +
                                  shifted("period_deadline") + ", " + shifted("idle_deadline") +
                                  ", " + shifted("protected_until") + ", " +
                                  shifted("reminder_due") + " WHERE pool = ?1 AND state = 1");
    // ?3: the customer's next history_seq (see SqliteTransaction::append_history).
    set(Sql::append_history, "INSERT INTO history (pool, customer, seq, " +
                                 std::string(sql::kHistoryColumns) + ") VALUES (?1, ?2, ?3, " +
                                 parameters(4, sql::kHistoryColumnCount) + ")");
    // One row per (pool, user): the tally of the last day the user took a
    // customer under a daily limit, replaced on every take.
    set(Sql::find_daily_takes,
        "SELECT day, claims, assignments, levels FROM daily_takes WHERE pool = ?1 AND user = ?2");
    set(Sql::put_daily_takes,
        "INSERT OR REPLACE INTO daily_takes (pool, user, day, claims, assignments, levels) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    set(Sql::list_history, "SELECT " + std::string(sql::kHistoryColumns) +
                               " FROM history WHERE pool = ?1 AND customer = ?2 ORDER BY seq");
    // ?2, ?3: the position to continue behind ('' and 0 from the start: ids
    // are never empty); the row value walks the primary key in order.
    set(Sql::list_pool_history, "SELECT customer, seq, " + std::string(sql::kHistoryColumns) +
                                    " FROM history WHERE pool = ?1 AND (customer, seq) > (?2, ?3) "
                                    "ORDER BY customer, seq LIMIT ?4");
    for (std::size_t filters = 0; filters < 8; ++filters) {
      sql[static_cast<std::size_t>(Sql::list_available) + filters] = available_sql(filters);
      sql[static_cast<std::size_t>(Sql::list_overdue) + filters] = overdue_sql(filters);
    }
    return sql;
  }();
  return texts;
}

}  // namespace

const char* sql_text(Sql statement) {
  return all_sql()[static_cast<std::size_t>(statement)].c_str();
}

}  // namespace highseas::sqlite_detail
