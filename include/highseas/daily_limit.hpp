/// @file
/// The daily claim limit (每日领取上限): how many customers one user may take
/// per local day of the pool, and the tally each user's takes keep.
///
/// A day is the pool's local day (ClaimPolicy::time_zone), so a limit of 3
/// means 3 between the team's midnights wherever the server runs. Claims
/// always count; assignments count when the policy says so. Roles RoleGuard
/// permits Action::exceed_daily_limit are not limited (the standard table:
/// boss and pool admins).
///
/// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "highseas/detail/config.hpp"
#include "highseas/time_zone.hpp"

namespace highseas {

/// The daily limit for customers of one level, e.g. at most 2 of level A.
struct LevelLimit {
  /// The level, exactly as customers carry it (as LevelRule::level).
  std::string level;
  /// Most customers of that level one user may take per day.
  std::uint32_t per_day = 0;

  /// Field-by-field equality.
  friend bool operator==(const LevelLimit&, const LevelLimit&) = default;
};

/// How many customers one user may take per local day. Every limit set
/// applies: a take must fit under the overall one and its level's.
struct DailyLimit {
  /// Most customers one user may take per day, of any level; none: no
  /// overall limit. 0 stops every counted take.
  std::optional<std::uint32_t> per_day;
  /// Limits of their own for some levels; each level at most once.
  std::vector<LevelLimit> levels;
  /// Whether an admin's assignment counts against the assignee's limit.
  /// Default: no. An assignment is a decision, not a race.
  bool assignments_count = false;

  /// Returns true iff any limit is set.
  bool any() const noexcept { return per_day.has_value() || !levels.empty(); }

  /// Field-by-field equality.
  friend bool operator==(const DailyLimit&, const DailyLimit&) = default;
};

/// Returns `limit` as text: items joined by commas, a bare number for the
/// overall limit, `LEVEL=N` for a level's, and `assigned` when assignments
/// count, e.g. "3,A=1,assigned"; "" for no limit.
std::string to_string(const DailyLimit& limit);

/// Parses the text to_string writes (spaces around items allowed), or
/// nothing if it is malformed. Values are checked by ClaimPolicy::validate.
std::optional<DailyLimit> parse_daily_limit(std::string_view text);

/// What one user took of one level on one day.
struct LevelTakes {
  std::string level;              ///< the customers' level
  std::uint32_t claims = 0;       ///< claimed by the user
  std::uint32_t assignments = 0;  ///< assigned to the user

  /// Field-by-field equality.
  friend bool operator==(const LevelTakes&, const LevelTakes&) = default;
};

/// What one user took on one local day of the pool: the tally a daily limit
/// checks. Stored per user and replaced on the user's first take of a new
/// day, so it never grows past one day of takes.
struct DailyTakes {
  /// The pool-local day counted.
  LocalDate day;
  /// Customers the user claimed that day.
  std::uint32_t claims = 0;
  /// Customers assigned to the user that day.
  std::uint32_t assignments = 0;
  /// The same, per level of the customers taken (levels with takes only,
  /// ordered by level).
  std::vector<LevelTakes> levels;

  /// Returns the takes of that day that `limit` counts: claims, and
  /// assignments if it counts them; of `level` only when given.
  std::uint32_t counted(const DailyLimit& limit,
                        std::optional<std::string_view> level = std::nullopt) const;

  /// Field-by-field equality.
  friend bool operator==(const DailyTakes&, const DailyTakes&) = default;
};

}  // namespace highseas

#ifdef HIGHSEAS_HEADER_ONLY
#include "highseas_inl/core/daily_limit-inl.hpp"  // IWYU pragma: export
#endif
