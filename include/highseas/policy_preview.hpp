/// @file
/// PolicyPreview: what a policy change would do to the running holdings,
/// before it applies (PublicPool::preview_policy). It is computed by the same
/// decision (rules::recompute) the change itself runs, so a boss sees what
/// will happen, not an estimate of it.
///
/// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "highseas/ids.hpp"
#include "highseas/return_rules.hpp"
#include "highseas/time.hpp"

namespace highseas {

/// One running holding before and after the change.
struct HoldingPreview {
  /// The held customer.
  CustomerId customer;
  /// Its holder.
  UserId holder;
  /// The customer's level ("" if none): which rule applies.
  std::string level;
  /// The deadline now, and the clock that set it.
  Time deadline_before;
  DeadlineReason reason_before = DeadlineReason::period;  ///< the clock that sets it now
  /// The deadline after the change (the same as before when it keeps it).
  Time deadline_after;
  DeadlineReason reason_after = DeadlineReason::period;  ///< the clock that would set it
  /// The change gives it a new deadline (or new clocks).
  bool changed = false;
  /// Its deadline after the change has already passed: the next sweep
  /// returns it.
  bool due_at_once = false;

  /// Field-by-field equality.
  friend bool operator==(const HoldingPreview&, const HoldingPreview&) = default;
};

/// One holder's share of the change.
struct RepPreview {
  /// The holder.
  UserId user;
  /// Their running holdings.
  std::uint32_t holdings = 0;
  /// How many would get an earlier deadline.
  std::uint32_t earlier = 0;
  /// How many would get a later deadline.
  std::uint32_t later = 0;
  /// How many the next sweep would return at once.
  std::uint32_t due_at_once = 0;

  /// Field-by-field equality.
  friend bool operator==(const RepPreview&, const RepPreview&) = default;
};

/// What a policy change would do, read without writing anything.
struct PolicyPreview {
  /// How many days `returns_by_day` covers.
  static constexpr std::size_t kDays = 30;

  /// The version the change would create.
  std::uint32_t version = 0;
  /// What it would do to running holdings.
  RunningHoldings running = RunningHoldings::keep;
  /// The instant the preview counts from: now, or when the pool was paused
  /// (a paused pool's countdowns stand still, so the days count from there).
  Time counted_from;
  /// Every running holding, earliest new deadline first (then by id).
  std::vector<HoldingPreview> holdings;
  /// How many holdings the next sweep would return at once (deadline at or
  /// before counted_from).
  std::uint32_t due_at_once = 0;
  /// returns_by_day[d]: how many holdings would return in
  /// (counted_from + d days, counted_from + d + 1 days] if nobody acts
  /// (no follow-up, extension, protection, release or win).
  std::vector<std::uint32_t> returns_by_day = std::vector<std::uint32_t>(kDays, 0);
  /// Per holder, by user id.
  std::vector<RepPreview> reps;
};

}  // namespace highseas
