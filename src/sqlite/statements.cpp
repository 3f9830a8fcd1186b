#include "statements.hpp"

#include <array>
#include <string>

#include "sql/columns.hpp"

namespace highseas::sqlite_detail {

namespace {

// The record columns are the shared ones (src/sql/columns.hpp).
const std::string kRecord(sql::kRecordColumns);
const std::string kCustomer = "id, name, country, level, tags, " + kRecord;

std::string available_sql(std::size_t filters) {
  std::string sql =
      "SELECT " + kCustomer + " FROM customers c WHERE c.pool = ?1 AND c.state = 0 AND c.id > ?2";
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
    set(Sql::find_pool,
        "SELECT enabled, holding_period, max_holdings, extension, max_extensions, "
        "reclaim_cooldown, created_at, paused_since FROM pools WHERE pool = ?1");
    set(Sql::put_pool,
        "INSERT INTO pools (pool, enabled, holding_period, max_holdings, extension, "
        "max_extensions, reclaim_cooldown, created_at, paused_since) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (pool) DO UPDATE SET "
        "enabled = excluded.enabled, holding_period = excluded.holding_period, "
        "max_holdings = excluded.max_holdings, extension = excluded.extension, "
        "max_extensions = excluded.max_extensions, reclaim_cooldown = excluded.reclaim_cooldown, "
        "created_at = excluded.created_at, paused_since = excluded.paused_since");
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
            kRecord +
            ", history_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
            "?15, (SELECT coalesce(max(seq), 0) + 1 FROM history WHERE pool = ?1 AND customer = "
            "?2)) RETURNING rowid, history_seq");
    set(Sql::insert_tag,
        "INSERT OR IGNORE INTO customer_tags (pool, tag, customer) VALUES (?1, ?2, ?3)");
    set(Sql::update_customer,
        "UPDATE customers SET state = ?3, holder = ?4, since = ?5, deadline = ?6, "
        "extensions_used = ?7, last_follow_up = ?8, cooldown_user = ?9, cooldown_until = ?10 "
        "WHERE pool = ?1 AND id = ?2");
    // The row the transaction has just read (?1: its rowid), with the history
    // counter the command's entry will take (?10).
    set(Sql::update_row,
        "UPDATE customers SET state = ?2, holder = ?3, since = ?4, deadline = ?5, "
        "extensions_used = ?6, last_follow_up = ?7, cooldown_user = ?8, cooldown_until = ?9, "
        "history_seq = ?10 WHERE rowid = ?1");
    // The same when state, holder and deadline stay (a follow-up, a cooldown):
    // SQLite moves an index entry only if the SET list names one of its
    // columns, so this touches none of the four partial indexes.
    set(Sql::update_row_quietly,
        "UPDATE customers SET since = ?4, extensions_used = ?6, last_follow_up = ?7, "
        "cooldown_user = ?8, cooldown_until = ?9, history_seq = ?10 WHERE rowid = ?1");
    set(Sql::set_history_seq, "UPDATE customers SET history_seq = ?2 WHERE rowid = ?1");
    set(Sql::bump_history_seq,
        "UPDATE customers SET history_seq = history_seq + 1 WHERE pool = ?1 AND id = ?2 "
        "RETURNING history_seq");
    set(Sql::count_holdings,
        "SELECT count(*) FROM customers WHERE pool = ?1 AND state = 1 AND holder = ?2");
    set(Sql::count_customers, "SELECT count(*) FROM customers WHERE pool = ?1 AND state = ?2");
    set(Sql::list_holdings,
        "SELECT " + kCustomer +
            " FROM customers WHERE pool = ?1 AND state = 1 AND holder = ?2 ORDER BY deadline, id");
    set(Sql::list_due, "SELECT id, " + kRecord +
                           " FROM customers WHERE pool = ?1 AND state = 1 AND deadline <= ?2 "
                           "ORDER BY deadline, id LIMIT ?3");
    // return_due: the batch is the first ?3 rows of holdings_by_deadline up to
    // ?2; both statements name it the same way, and the history goes first
    // because the update erases the holder it records. The values come from
    // DueReturn (bound: ?4.. are the history columns in kHistoryColumns order,
    // ?7, holder_before, unused); holder_before, the cooldown user and the
    // history seq come from each row.
    const std::string due_batch =
        "SELECT rowid FROM customers WHERE pool = ?1 AND state = 1 AND deadline <= ?2 "
        "ORDER BY deadline, id LIMIT ?3";
    set(Sql::return_due_history,
        "INSERT INTO history (pool, customer, seq, " + std::string(sql::kHistoryColumns) +
            ") SELECT pool, id, history_seq + 1, ?4, ?5, ?6, holder, ?8, ?9, ?10, ?11 "
            "FROM customers WHERE pool = ?1 AND state = 1 AND deadline <= ?2 "
            "ORDER BY deadline, id LIMIT ?3");
    // given_back: the previous holder (if any) goes into cooldown; with no
    // holder the cooldown stays as it was.
    set(Sql::return_due_update,
        "UPDATE customers SET state = ?4, holder = ?5, since = ?6, deadline = ?7, "
        "extensions_used = ?8, last_follow_up = ?9, "
        "cooldown_user = coalesce(holder, cooldown_user), "
        "cooldown_until = CASE WHEN holder IS NULL THEN cooldown_until ELSE ?10 END, "
        "history_seq = history_seq + 1 WHERE rowid IN (" +
            due_batch + ")");
    // Infinite deadlines (the sentinels) stay infinite, as ptime arithmetic keeps them.
    set(Sql::shift_deadlines,
        "UPDATE customers SET deadline = deadline + ?2 WHERE pool = ?1 AND state = 1 "
        "AND deadline > -9223372036854775808 AND deadline < 9223372036854775807");
    // ?3: the customer's next history_seq (see SqliteTransaction::append_history).
    set(Sql::append_history, "INSERT INTO history (pool, customer, seq, " +
                                 std::string(sql::kHistoryColumns) +
                                 ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    set(Sql::list_history, "SELECT " + std::string(sql::kHistoryColumns) +
                               " FROM history WHERE pool = ?1 AND customer = ?2 ORDER BY seq");
    // ?2, ?3: the position to continue behind ('' and 0 from the start: ids
    // are never empty); the row value walks the primary key in order.
    set(Sql::list_pool_history, "SELECT customer, seq, " + std::string(sql::kHistoryColumns) +
                                    " FROM history WHERE pool = ?1 AND (customer, seq) > (?2, ?3) "
                                    "ORDER BY customer, seq LIMIT ?4");
    for (std::size_t filters = 0; filters < 8; ++filters) {
      sql[static_cast<std::size_t>(Sql::list_available) + filters] = available_sql(filters);
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
