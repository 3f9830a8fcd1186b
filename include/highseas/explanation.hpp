/// @file
/// Explanation: why a held customer will return when it does, and what would
/// move that (PublicPool::explain). None of the CRMs we studied can tell a rep
/// this; a rep who knows "idle: 3 days left, a follow-up gives 14" acts on it.
///
/// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "highseas/ids.hpp"
#include "highseas/return_rules.hpp"
#include "highseas/span.hpp"
#include "highseas/team_calendar.hpp"
#include "highseas/time.hpp"

namespace highseas {

/// One of a holding's clocks: when it would end the holding, and from what.
struct HoldingClock {
  /// Which clock: the period, the idle limit, or a protection's end.
  DeadlineReason clock = DeadlineReason::period;
  /// When this clock alone would end the holding.
  Time ends_at;
  /// What it counts from: the holding's start (period; pauses move it on),
  /// the later of the start and the last follow-up (idle). A protection:
  /// not_a_date_time.
  Time counts_from;
  /// The idle clock: the limit the holding runs under. Otherwise not set.
  std::optional<Span> length;
  /// The period: extensions included in ends_at. Otherwise 0.
  std::uint32_t extensions = 0;
  /// A clock counting business days: the days off its count from
  /// counts_from passed over (weekends, holidays by name), in order.
  std::vector<SkippedDay> skipped;
  /// A clock counting business days into a year the pool's work calendar
  /// does not know: the first such year (only weekends were skipped there).
  std::optional<int> unknown_year;
};

/// Why a held customer returns when it does.
struct Explanation {
  /// The customer.
  CustomerId customer;
  /// Its holder.
  UserId holder;
  /// When it returns unless won: the deadline every view shows.
  Time deadline;
  /// Which clock set the deadline.
  DeadlineReason reason = DeadlineReason::period;
  /// Every clock of the holding, the one that set the deadline first.
  std::vector<HoldingClock> clocks;
  /// The version of the pool's policy the holding runs under.
  std::uint32_t policy_version = 0;
  /// The pool's time zone (IANA name), in which every day here begins and ends.
  std::string time_zone = "UTC";
  /// The deadline as the team reads it: local time with its offset,
  /// "2025-02-15 00:00:00 +08:00" (TimeZone::local_text).
  std::string local_deadline;
  /// The pool is switched off: every clock stands still until it is on again.
  bool paused = false;

  /// The deadline after a follow-up now (none without an idle limit, or when
  /// a follow-up could not be logged: the deadline has passed).
  std::optional<Time> after_follow_up;
  /// The deadline after one more extension (none when none is left).
  std::optional<Time> after_extension;
  /// The deadline if protected now for the longest the policy allows (none
  /// when protection is off or the holding is already protected).
  std::optional<Time> after_protection;
};

}  // namespace highseas
