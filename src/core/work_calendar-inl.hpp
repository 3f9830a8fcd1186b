// WorkCalendar (work_calendar.hpp): compiled into HighSeas::highseas by
// work_calendar.cpp, or included by work_calendar.hpp in header-only mode.
#pragma once

#include <array>
#include <boost/date_time/gregorian/gregorian.hpp>
#include <string>

#include "highseas/work_calendar.hpp"

namespace highseas {

namespace detail {

inline std::string iso_date(LocalDate day) { return boost::gregorian::to_iso_extended_string(day); }

inline bool year_in_range(int year) {
  return year >= WorkCalendar::kFirstYear && year <= WorkCalendar::kLastYear;
}

// Why `day` cannot join `days`: the other kind is there already; nothing when it can.
inline std::optional<Refusal> conflict(const std::map<LocalDate, CalendarDay>& days,
                                       const CalendarDay& day) {
  const auto found = days.find(day.date);
  if (found == days.end() || found->second.kind == day.kind) return std::nullopt;
  const CalendarDay& there = found->second;
  return refuse(RefusalCode::invalid_argument,
                iso_date(day.date) + " is already a " +
                    (there.kind == DayKind::off ? "day off" : "working day") +
                    (there.name.empty() ? "" : " (" + there.name + ")") + "; cannot also be a " +
                    (day.kind == DayKind::off ? "day off" : "working day") +
                    (day.name.empty() ? "" : " (" + day.name + ")"));
}

}  // namespace detail

HIGHSEAS_INLINE std::string_view to_string(DayKind kind) noexcept {
  return kind == DayKind::off ? "off" : "work";
}

HIGHSEAS_INLINE Result<Done> WorkCalendar::set_weekend(Weekdays days_off) {
  if (days_off > 0b111'1111) {
    return refuse(RefusalCode::invalid_argument, "a weekend mask has 7 bits, Sunday to Saturday");
  }
  if (days_off == 0b111'1111) {
    return refuse(RefusalCode::invalid_argument, "a week needs at least one working day");
  }
  weekend_ = days_off;
  return Done{};
}

HIGHSEAS_INLINE Result<Done> WorkCalendar::add(const CalendarDay& day) {
  if (day.date.is_special() || !detail::year_in_range(day.date.year())) {
    return refuse(RefusalCode::invalid_argument, "a calendar day must be a date in the years " +
                                                     std::to_string(kFirstYear) + " to " +
                                                     std::to_string(kLastYear));
  }
  if (day.name.size() > kLongestName) {
    return refuse(RefusalCode::invalid_argument, "the name of " + detail::iso_date(day.date) +
                                                     " is longer than " +
                                                     std::to_string(kLongestName) + " bytes");
  }
  if (auto refusal = detail::conflict(days_, day)) return *refusal;
  days_.emplace(day.date, day);
  return Done{};
}

HIGHSEAS_INLINE Result<Done> WorkCalendar::add_year(int year) {
  if (!detail::year_in_range(year)) {
    return refuse(RefusalCode::invalid_argument,
                  "a calendar year must be " + std::to_string(kFirstYear) + " to " +
                      std::to_string(kLastYear) + ", not " + std::to_string(year));
  }
  years_.insert(year);
  return Done{};
}

HIGHSEAS_INLINE Result<Done> WorkCalendar::merge(const WorkCalendar& other) {
  // Checked in full first: a conflict found halfway must leave nothing added.
  for (const auto& [date, day] : other.days_) {
    if (auto refusal = detail::conflict(days_, day)) return *refusal;
  }
  for (const auto& [date, day] : other.days_) days_.emplace(date, day);
  years_.insert(other.years_.begin(), other.years_.end());
  return Done{};
}

HIGHSEAS_INLINE bool WorkCalendar::is_working_day(LocalDate day) const {
  if (const auto found = days_.find(day); found != days_.end()) {
    return found->second.kind == DayKind::work;
  }
  return (weekend_ & (1U << day.day_of_week().as_number())) == 0;
}

HIGHSEAS_INLINE std::optional<std::string> WorkCalendar::why_off(LocalDate day) const {
  if (const auto found = days_.find(day); found != days_.end()) {
    if (found->second.kind == DayKind::work) return std::nullopt;
    return found->second.name.empty() ? "holiday" : found->second.name;
  }
  const unsigned weekday = day.day_of_week().as_number();
  if ((weekend_ & (1U << weekday)) == 0) return std::nullopt;
  static constexpr std::array<const char*, 7> kNames{"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                     "Thursday", "Friday", "Saturday"};
  return std::string(kNames[weekday]);
}

}  // namespace highseas
