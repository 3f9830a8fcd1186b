// The SQL HighSeas runs, with the schema name (quoted) filled in once per
// storage. Values are always bound parameters ($1, $2...), never spliced in.
// Internal to highseas_postgres.
#pragma once

#include <array>
#include <cstddef>
#include <string>

namespace highseas::pg {

// Every prepared statement, by number.
enum class Sql : std::size_t {
  find_pool,
  update_pool,
  insert_pool,
  find_calendar,
  add_calendar,
  find_member,
  find_member_locked,
  put_member,
  erase_member,
  list_members,
  find_customer,
  find_customer_locked,
  find_profile,
  find_by_name_key,
  lock_name_key,
  insert_customer,
  update_customer,
  update_locked_customer,
  count_holdings,
  count_holdings_not_due,
  count_customers,
  lock_holdings_counter,
  add_to_counter,
  list_holdings,
  list_holdings_locked,
  find_daily_takes,
  put_daily_takes,
  list_due,
  list_by_deadline,
  list_due_holdings_locked,
  list_due_locked,
  list_reminders_due,
  list_reminders_due_locked,
  return_due,
  list_available,
  list_overdue,
  shift_deadlines,
  append_history,
  list_history,
  list_pool_history,
  count_,  // not a statement: the number of statements
};

inline constexpr std::size_t kStatementCount = static_cast<std::size_t>(Sql::count_);

// The statements' text for one schema.
class Statements {
 public:
  // Builds every statement for the already-quoted schema identifier.
  explicit Statements(const std::string& quoted_schema);
  // Returns the text of `which`.
  const std::string& operator[](Sql which) const { return text_[static_cast<std::size_t>(which)]; }

 private:
  std::array<std::string, kStatementCount> text_;
};

// The schema version this library writes.
inline constexpr int kSchemaVersion = 9;

class Connection;

// Creates or migrates the schema to `target_version` (kSchemaVersion; tests
// build older schemas with a lower one); safe when many processes start at
// once (an advisory lock serialises them). Throws StorageError.
void migrate(Connection& connection, const std::string& schema,
             int target_version = kSchemaVersion);

}  // namespace highseas::pg
