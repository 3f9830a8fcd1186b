// DueReturn's rule, and the one way a holding goes back to the pool that the
// release, the sweep and a removed member share. Compiled into
// HighSeas::highseas through rules-inl.hpp (rules.cpp); included by
// due_return.hpp in header-only mode.
#pragma once

#include <optional>

#include "highseas/due_return.hpp"

namespace highseas {

namespace detail {

// Clears what only a held customer has: its deadline and clocks, extensions,
// follow-up and policy version.
inline void clear_holding(CustomerRecord& record) {
  record.deadline = Time();
  record.deadline_reason = DeadlineReason::period;
  record.period_deadline = Time();
  record.period_length = Span();
  record.idle_limit.reset();
  record.idle_deadline = Time();
  record.protected_until = Time();
  record.reminders.clear();
  record.reminder_due = Time();
  record.reminders_sent = 0;
  record.policy_version = 0;
  record.extensions_used = 0;
  record.last_follow_up = Time();
}

// The record of a customer given back to the pool at `now`; the previous
// holder, if any, is in cooldown until `cooldown_until` when one is given,
// besides every cooldown the record had.
inline CustomerRecord given_back(const CustomerRecord& before, Time now,
                                 std::optional<Time> cooldown_until) {
  CustomerRecord after = before;
  after.state = CustomerState::available;
  after.holder.reset();
  after.since = now;
  clear_holding(after);
  // Appended, never merged: a storage's set-based return appends in SQL.
  if (cooldown_until && before.holder) after.cooldowns.push_back({*before.holder, *cooldown_until});
  return after;
}

}  // namespace detail

HIGHSEAS_INLINE CustomerRecord DueReturn::returned(const CustomerRecord& before) const {
  return detail::given_back(before, before.deadline, before.deadline + cooldown);
}

HIGHSEAS_INLINE HistoryEntry DueReturn::entry(const CustomerRecord& before) const {
  HistoryEntry entry;
  entry.at = before.deadline;
  entry.kind = HistoryKind::returned;
  entry.holder_before = before.holder;
  entry.deadline_reason = before.deadline_reason;
  entry.policy_version = before.policy_version;
  return entry;
}

}  // namespace highseas
