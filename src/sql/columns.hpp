// The columns a SQL storage keeps for a customer record and a history entry:
// their names, their order and their codecs, listed once for every SQL
// backend. Each backend adapts its own statement API:
//
//   Row (reading one result row):
//     std::optional<std::int64_t> integer(int column) const;  // nothing: NULL
//     std::optional<std::string> text(int column) const;      // nothing: NULL
//     std::string_view where() const;                         // the storage, for messages
//   Binder (appending statement parameters in order):
//     void add_integer(std::optional<std::int64_t> value);    // nothing: NULL
//     void add_text(std::optional<std::string> value);        // nothing: NULL
//
// Internal to the SQL storages; not installed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "highseas/customer.hpp"
#include "values.hpp"

namespace highseas::sql {

// A CustomerRecord's columns, in the order read_record and bind_record use.
// The cooldowns are one text column (encode_cooldowns, "" for none). The
// holding's clocks (return_rules.hpp) follow the first seven: its
// deadline reason by name, the idle limit as span text, NULL for a
// not_a_date_time instant or no idle limit. Last, the holding period's length
// as span text, never NULL: "0d" (to_string of a zero Span) when not held.
// Then the reminders: the list as text ("" for none, never NULL), when the
// next is due (NULL for none) and the sent bits.
inline constexpr std::string_view kRecordColumns =
    "state, holder, since, deadline, extensions_used, last_follow_up, cooldowns, "
    "deadline_reason, period_deadline, idle_limit, idle_deadline, "
    "protected_until, policy_version, period_length, reminders, reminder_due, reminders_sent";
inline constexpr int kRecordColumnCount = 17;

// A HistoryEntry's columns, in the order read_history and bind_history use.
// deadline_reason is NULL for none; policy_version is 0 for none.
inline constexpr std::string_view kHistoryColumns =
    "at, kind, actor, holder_before, holder_after, deadline, note, win, deadline_reason, "
    "policy_version";
inline constexpr int kHistoryColumnCount = 10;

// How a backend stores the customer state: by name (text), or by its number
// in kAllCustomerStates (SQLite: its partial indexes test "state = 1").
enum class StateColumn { name, number };

// The state numbers partial indexes name; never renumber them.
static_assert(static_cast<int>(CustomerState::available) == 0);
static_assert(static_cast<int>(CustomerState::held) == 1);
static_assert(static_cast<int>(CustomerState::regular) == 2);

// Returns the state stored as number `value`; throws StorageError otherwise.
inline CustomerState decode_state_number(std::int64_t value, std::string_view where) {
  if (value >= 0 && static_cast<std::size_t>(value) < kAllCustomerStates.size()) {
    return kAllCustomerStates[static_cast<std::size_t>(value)];
  }
  throw_unknown(where, "customer state", std::to_string(value));
}

template <class Row>
CustomerState read_state(const Row& row, int column, StateColumn stored) {
  if (stored == StateColumn::number) {
    return decode_state_number(row.integer(column).value_or(-1), row.where());
  }
  return decode_enum(row.text(column).value_or(""), kAllCustomerStates, "customer state",
                     row.where());
}

// Reads the kRecordColumns starting at column `first`.
template <class Row>
CustomerRecord read_record(const Row& row, int first, StateColumn stored) {
  CustomerRecord record;
  record.state = read_state(row, first, stored);
  record.holder = decode_user(row.text(first + 1));
  record.since = decode_time(row.integer(first + 2));
  record.deadline = decode_time(row.integer(first + 3));
  record.extensions_used = static_cast<std::uint32_t>(row.integer(first + 4).value_or(0));
  record.last_follow_up = decode_time(row.integer(first + 5));
  record.cooldowns = decode_cooldowns(row.text(first + 6), row.where(), "customers.cooldowns");
  record.deadline_reason =
      decode_enum(row.text(first + 7).value_or(""), kAllDeadlineReasons,
                  "deadline reason in column customers.deadline_reason", row.where());
  record.period_deadline = decode_time(row.integer(first + 8));
  record.idle_limit =
      decode_optional_span(row.text(first + 9), row.where(), "customers.idle_limit");
  record.idle_deadline = decode_time(row.integer(first + 10));
  record.protected_until = decode_time(row.integer(first + 11));
  record.policy_version =
      decode_u32(row.integer(first + 12), row.where(), "customers.policy_version");
  record.period_length = decode_span(row.text(first + 13), row.where(), "customers.period_length");
  record.reminders = decode_reminders(row.text(first + 14), row.where(), "customers.reminders");
  record.reminder_due = decode_time(row.integer(first + 15));
  record.reminders_sent =
      decode_u32(row.integer(first + 16), row.where(), "customers.reminders_sent");
  return record;
}

// Appends the kRecordColumns of `record`; `where` names the storage in the
// StorageError of an idle limit or period length the column cannot hold exactly.
template <class Binder>
void bind_record(Binder& out, const CustomerRecord& record, StateColumn stored,
                 std::string_view where) {
  if (stored == StateColumn::number) {
    out.add_integer(static_cast<std::int64_t>(record.state));
  } else {
    out.add_text(std::string(to_string(record.state)));
  }
  out.add_text(encode_user(record.holder));
  out.add_integer(encode_time(record.since));
  out.add_integer(encode_time(record.deadline));
  out.add_integer(std::int64_t{record.extensions_used});
  out.add_integer(encode_time(record.last_follow_up));
  out.add_text(encode_cooldowns(record.cooldowns, where, "customers.cooldowns"));
  out.add_text(std::string(to_string(record.deadline_reason)));
  out.add_integer(encode_time(record.period_deadline));
  out.add_text(encode_optional_span(record.idle_limit, where, "customers.idle_limit"));
  out.add_integer(encode_time(record.idle_deadline));
  out.add_integer(encode_time(record.protected_until));
  out.add_integer(std::int64_t{record.policy_version});
  out.add_text(encode_span(record.period_length, where, "customers.period_length"));
  out.add_text(encode_reminders(record.reminders, where, "customers.reminders"));
  out.add_integer(encode_time(record.reminder_due));
  out.add_integer(std::int64_t{record.reminders_sent});
}

// Reads the kHistoryColumns starting at column `first`.
template <class Row>
HistoryEntry read_history(const Row& row, int first) {
  HistoryEntry entry;
  entry.at = decode_time(row.integer(first));
  entry.kind =
      decode_enum(row.text(first + 1).value_or(""), kAllHistoryKinds, "history kind", row.where());
  entry.actor = decode_user(row.text(first + 2));
  entry.holder_before = decode_user(row.text(first + 3));
  entry.holder_after = decode_user(row.text(first + 4));
  entry.deadline = decode_time(row.integer(first + 5));
  entry.note = row.text(first + 6).value_or("");
  if (const std::optional<std::string> win = row.text(first + 7)) {
    entry.win = decode_enum(*win, kAllWinKinds, "win kind", row.where());
  }
  if (const std::optional<std::string> reason = row.text(first + 8)) {
    entry.deadline_reason =
        decode_enum(*reason, kAllDeadlineReasons,
                    "deadline reason in column history.deadline_reason", row.where());
  }
  entry.policy_version = decode_u32(row.integer(first + 9), row.where(), "history.policy_version");
  return entry;
}

// Appends the kHistoryColumns of `entry`.
template <class Binder>
void bind_history(Binder& out, const HistoryEntry& entry) {
  out.add_integer(encode_time(entry.at));
  out.add_text(std::string(to_string(entry.kind)));
  out.add_text(encode_user(entry.actor));
  out.add_text(encode_user(entry.holder_before));
  out.add_text(encode_user(entry.holder_after));
  out.add_integer(encode_time(entry.deadline));
  out.add_text(entry.note);
  out.add_text(entry.win ? std::optional<std::string>(to_string(*entry.win)) : std::nullopt);
  out.add_text(entry.deadline_reason ? std::optional<std::string>(to_string(*entry.deadline_reason))
                                     : std::nullopt);
  out.add_integer(std::int64_t{entry.policy_version});
}

}  // namespace highseas::sql
