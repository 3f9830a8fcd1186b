// Every SQL statement the storage runs, by name. Each is prepared once per
// connection and reused (see Connection::statement); all input is bound, never
// spliced into the text.
#pragma once

#include <cstddef>

namespace highseas::sqlite_detail {

enum class Sql : std::size_t {
  begin_read,
  begin_write,
  commit,
  rollback,
  find_pool,
  put_pool,
  find_calendar,
  add_calendar,
  find_member,
  put_member,
  erase_member,
  list_members,
  data_version,
  find_customer,
  find_profile,
  find_by_name_key,
  insert_customer,
  insert_tag,
  update_customer,
  update_row,
  update_row_quietly,
  set_history_seq,
  bump_history_seq,
  count_holdings,
  count_holdings_not_due,
  count_customers,
  list_holdings,
  list_due,
  list_reminders_due,
  list_by_deadline,
  return_due_history,
  return_due_update,
  shift_deadlines,
  find_daily_takes,
  put_daily_takes,
  append_history,
  list_history,
  list_pool_history,
  // list_available, one statement per filter combination (bit 0: country,
  // bit 1: level, bit 2: tag), so each can use the index that fits it.
  list_available,
  // list_overdue, the same eight filter combinations over the due holdings.
  list_overdue = list_available + 8,
  count = list_overdue + 8,
};

// Returns the SQL text of `statement`.
const char* sql_text(Sql statement);

// Returns the list_available statement for a filter combination.
inline Sql list_available_for(bool country, bool level, bool tag) {
  return static_cast<Sql>(static_cast<std::size_t>(Sql::list_available) + (country ? 1U : 0U) +
                          (level ? 2U : 0U) + (tag ? 4U : 0U));
}

// Returns the list_overdue statement for a filter combination.
inline Sql list_overdue_for(bool country, bool level, bool tag) {
  return static_cast<Sql>(static_cast<std::size_t>(Sql::list_overdue) + (country ? 1U : 0U) +
                          (level ? 2U : 0U) + (tag ? 4U : 0U));
}

}  // namespace highseas::sqlite_detail
