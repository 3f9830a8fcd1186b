/// @file
/// TeamCalendar: where a span counted in a team's days ends.
///
/// The arithmetic every deadline of a pool uses once it counts in days: a
/// pool's time zone and its work calendar together. The convention, chosen
/// so that a team counting on a wall calendar gets the same day:
///
///   * Day 0 is the local date of the start. A span of N calendar days ends
///     at the end of day N (local midnight after it); N business days end at
///     the end of the N-th working day after day 0. Day 0 itself never
///     counts, whatever the hour: a claim at 09:00 and one at 23:59 on the
///     same day end together, and a claim on a Saturday starts counting on
///     Monday.
///   * A start exactly at local midnight belongs to the day that just ended,
///     so counting from an end continues it: N days, then M days from where
///     they ended, end where N + M days do.
///   * Spans of hours, minutes or seconds stay exact: start + length.
///
/// Days end at local midnight by the zone's rules on that date: across a DST
/// change a local day is 23 or 25 hours long, and where midnight itself is
/// skipped the day ends when the clocks jump.
///
/// Thread-safety: a plain value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "highseas/detail/config.hpp"
#include "highseas/span.hpp"
#include "highseas/time_zone.hpp"
#include "highseas/work_calendar.hpp"

namespace highseas {

/// A day a business-day count passed over without counting it.
struct SkippedDay {
  LocalDate date;   ///< the day passed over
  std::string why;  ///< WorkCalendar::why_off: "Saturday", "春节"...

  friend bool operator==(const SkippedDay&, const SkippedDay&) = default;
};

/// Where a business-day count ended, and what it passed through.
struct BusinessDayCount {
  Time end;  ///< the end of the last day counted (local midnight after it)
  /// The first year the count entered that the calendar does not know (its
  /// holidays there were not taken into account: weekends only), if any.
  std::optional<int> unknown_year;
};

/// A pool's way of counting days: its time zone and its work calendar.
class TeamCalendar {
 public:
  /// UTC, Saturday and Sunday off, no holidays, no year known.
  TeamCalendar() = default;
  /// Counts in `zone` with `calendar`.
  TeamCalendar(TimeZone zone, WorkCalendar calendar)
      : zone_(std::move(zone)), calendar_(std::move(calendar)) {}

  /// Returns the time zone.
  const TimeZone& zone() const noexcept { return zone_; }
  /// Returns the work calendar.
  const WorkCalendar& calendar() const noexcept { return calendar_; }

  /// Returns the local date a count from `start` calls day 0: the date of the
  /// instant just before it. REQUIRES: `start` not special (std::invalid_argument).
  LocalDate day_zero(Time start) const;

  /// Returns the end of local day `count` after day_zero(start).
  /// REQUIRES: `start` not special (std::invalid_argument otherwise).
  Time after_calendar_days(Time start, std::uint32_t count) const;

  /// Returns the end of the `count`-th working day after day_zero(start); with
  /// `skipped`, appends each day passed over (in order) to it. Zero days end
  /// at `start`. REQUIRES: `start` not special (std::invalid_argument).
  BusinessDayCount after_business_days(Time start, std::uint32_t count,
                                       std::vector<SkippedDay>* skipped = nullptr) const;

  /// Returns where `span` from `start` ends: exact for a span of time that is
  /// not a whole number of days, else by after_calendar_days or
  /// after_business_days. REQUIRES: `start` not special.
  BusinessDayCount after(Time start, const Span& span) const;

  /// Returns the first instant from which `span` counted by after() reaches
  /// `end`: from then on, at most `span` is left until `end` in the team's
  /// days (a reminder `span` before a deadline is due then). Business days
  /// count back over the calendar's days off, a year it does not know by its
  /// weekends. REQUIRES: `end` not special (std::invalid_argument).
  Time before(Time end, const Span& span) const;

 private:
  TimeZone zone_;
  WorkCalendar calendar_;
};

}  // namespace highseas

#ifdef HIGHSEAS_HEADER_ONLY
#include "highseas_inl/core/team_calendar-inl.hpp"  // IWYU pragma: export
#endif
