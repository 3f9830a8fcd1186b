/// @file
/// The pool-wide records the rules read: the pool's settings and its members.
///
/// Thread-safety: plain values.
#pragma once

#include <cstdint>

#include "highseas/claim_policy.hpp"
#include "highseas/ids.hpp"
#include "highseas/role_guard.hpp"
#include "highseas/time.hpp"
#include "highseas/work_calendar.hpp"

namespace highseas {

/// The pool-wide settings.
struct PoolRecord {
  /// Whether the pool is switched on.
  bool enabled = true;
  /// The pool's rules.
  ClaimPolicy policy;
  /// When the pool was created.
  Time created_at;
  /// When the pool was switched off; not_a_date_time while enabled.
  Time paused_since;
  /// The version of `policy`: 1 for the first, one more at each change.
  std::uint32_t policy_version = 1;
  /// When version `policy_version` took effect: the commit of the change
  /// (created_at for the first).
  Time policy_since;
  /// The version of the pool's work calendar (see CalendarVersion); 0 while
  /// the pool has none. Read with every command, so a change made on another
  /// app server is seen at once while the calendar itself is read only when
  /// its version changed.
  std::uint32_t calendar_version = 0;

  /// Field-by-field equality.
  friend bool operator==(const PoolRecord&, const PoolRecord&) = default;
};

/// One version of a pool's work calendar, as stored. Every version is kept:
/// they are the calendar's history.
struct CalendarVersion {
  /// 1 for the first, one more at each change.
  std::uint32_t version = 0;
  /// When it took effect: the commit of the change.
  Time since;
  /// Who made the change.
  UserId by;
  /// The calendar.
  WorkCalendar calendar;

  /// Field-by-field equality.
  friend bool operator==(const CalendarVersion&, const CalendarVersion&) = default;
};

/// A member of a pool and their role.
struct Member {
  /// The member.
  UserId user;
  /// Their role in this pool.
  Role role = Role::pool_user;

  /// Field-by-field equality.
  friend bool operator==(const Member&, const Member&) = default;
};

}  // namespace highseas
