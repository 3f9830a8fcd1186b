/// @file
/// WorkCalendar: which days a pool's team works.
///
/// "10 working days" skips weekends and public holidays, and in China it also
/// counts the make-up working days (调休) that fall on a weekend. A
/// WorkCalendar holds the days off each week (Saturday and Sunday unless set)
/// and dated entries that override them: a holiday on a weekday, a working
/// day on a weekend. It also knows which years its dated entries are complete
/// for: holidays are announced late in the year before, so a count that runs
/// into a year the calendar does not know cannot be trusted (see
/// TeamCalendar). Loaders for the holiday-cn JSON files and a plain line
/// format are in HighSeas::calendar (highseas/calendar/calendar_files.hpp).
///
/// Thread-safety: a plain value.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "highseas/detail/config.hpp"
#include "highseas/result.hpp"
#include "highseas/time_zone.hpp"

namespace highseas {

/// What a dated entry says about its day.
enum class DayKind : std::uint8_t {
  off,   ///< not worked, though the weekday would be (a public holiday)
  work,  ///< worked, though the weekday would be off (调休: a make-up working day)
};

/// Returns "off" or "work".
std::string_view to_string(DayKind kind) noexcept;

/// One dated entry of a work calendar.
struct CalendarDay {
  LocalDate date;               ///< the local date it is about
  DayKind kind = DayKind::off;  ///< off or worked that day
  std::string name;             ///< e.g. "春节", "National Day"; may be empty

  friend bool operator==(const CalendarDay&, const CalendarDay&) = default;
};

/// Returns `day` as a line of the calendar line format, e.g.
/// "2025-01-28 off 春节" ("2025-01-26 work" without a name).
std::string to_string(const CalendarDay& day);

/// Reads a line of the calendar line format: "YYYY-MM-DD off|work [name]",
/// blanks between the words, the name to the end of the line without
/// trailing blanks. Nothing if the line is not one.
std::optional<CalendarDay> parse_calendar_day(std::string_view line);

/// The days a team works: a weekly pattern, dated exceptions, the years known.
class WorkCalendar {
 public:
  /// Days off each week as a mask, bit d for weekday d (0 Sunday .. 6 Saturday).
  using Weekdays = std::uint8_t;
  /// Saturday and Sunday: the default weekend.
  static constexpr Weekdays kSaturdayAndSunday = 0b100'0001;
  /// The longest name a dated entry may carry, in bytes.
  static constexpr std::size_t kLongestName = 100;
  /// The first year a calendar may know.
  static constexpr int kFirstYear = 1970;
  /// The last year a calendar may know: Time ends in 9999, and a count may run into the next year.
  static constexpr int kLastYear = 9998;

  /// Saturday and Sunday off, no dated entries, no year known.
  WorkCalendar() = default;

  /// Sets the days off each week. Refusals (nothing changes): invalid_argument
  /// when the mask has a bit above Saturday or leaves no working day.
  Result<Done> set_weekend(Weekdays days_off);

  /// Adds a dated entry. Adding an entry equal in date and kind to one already
  /// there keeps the first (calendar files overlap: a December holiday can sit
  /// in the next year's file too). Refusals (nothing changes): invalid_argument
  /// for an invalid date or one outside [kFirstYear, kLastYear], a name longer
  /// than kLongestName, with a control character or beginning or ending with
  /// a space (a name is stored as the rest of a line), or a date already there
  /// with the other kind.
  Result<Done> add(const CalendarDay& day);

  /// Records that the calendar's entries for `year` are complete. Refusals:
  /// invalid_argument for a year outside [kFirstYear, kLastYear].
  Result<Done> add_year(int year);

  /// Adds every entry and known year of `other` (its weekend is not taken),
  /// all or nothing. Refusals (nothing changes): invalid_argument when an
  /// entry of `other` conflicts with one here (same date, other kind), naming it.
  Result<Done> merge(const WorkCalendar& other);

  /// Returns the days off each week.
  Weekdays weekend() const noexcept { return weekend_; }
  /// Returns the dated entries, by date.
  const std::map<LocalDate, CalendarDay>& days() const noexcept { return days_; }
  /// Returns the years whose entries are complete.
  const std::set<int>& years() const noexcept { return years_; }
  /// Returns true iff `year` is one of years().
  bool knows_year(int year) const { return years_.contains(year); }

  /// Returns true iff the team works on `day`: its dated entry says so, or,
  /// without one, its weekday is not in the weekend.
  bool is_working_day(LocalDate day) const;
  /// Returns why `day` is off: its entry's name (or "holiday" when unnamed),
  /// or the weekday's English name ("Saturday"); nothing on a working day.
  std::optional<std::string> why_off(LocalDate day) const;

  friend bool operator==(const WorkCalendar&, const WorkCalendar&) = default;

 private:
  Weekdays weekend_ = kSaturdayAndSunday;
  std::map<LocalDate, CalendarDay> days_;
  std::set<int> years_;
};

}  // namespace highseas

#ifdef HIGHSEAS_HEADER_ONLY
#include "highseas_inl/core/work_calendar-inl.hpp"  // IWYU pragma: export
#endif
