// DueReturn's rule, and the one way a holding goes back to the pool that the
// release, the sweep and a removed member share. Compiled into
// HighSeas::highseas through rules-inl.hpp (rules.cpp); included by
// due_return.hpp in header-only mode.
#pragma once

#include <optional>

#include "highseas/due_return.hpp"

namespace highseas {

namespace detail {

// The record of a customer given back to the pool at `now`; the previous
// holder, if any, is in cooldown until `cooldown_until` when one is given.
inline CustomerRecord given_back(const CustomerRecord& before, Time now,
                                 std::optional<Time> cooldown_until) {
  CustomerRecord after = before;
  after.state = CustomerState::available;
  after.holder.reset();
  after.since = now;
  after.deadline = Time();
  after.extensions_used = 0;
  after.last_follow_up = Time();
  if (cooldown_until && before.holder) {
    after.cooldown_user = before.holder;
    after.cooldown_until = *cooldown_until;
  }
  return after;
}

}  // namespace detail

HIGHSEAS_INLINE CustomerRecord DueReturn::returned(const CustomerRecord& before) const {
  return detail::given_back(before, now, cooldown_until);
}

HIGHSEAS_INLINE HistoryEntry DueReturn::entry(const CustomerRecord& before) const {
  HistoryEntry entry;
  entry.at = now;
  entry.kind = HistoryKind::returned;
  entry.holder_before = before.holder;
  return entry;
}

}  // namespace highseas
