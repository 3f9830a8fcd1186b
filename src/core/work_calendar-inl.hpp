// WorkCalendar (work_calendar.hpp): compiled into HighSeas::highseas by
// work_calendar.cpp, or included by work_calendar.hpp in header-only mode.
#pragma once

#include <algorithm>
#include <array>
#include <boost/date_time/gregorian/gregorian.hpp>
#include <string>
#include <utility>

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

HIGHSEAS_INLINE std::string to_string(const CalendarDay& day) {
  std::string line = detail::iso_date(day.date) + ' ' + std::string(to_string(day.kind));
  if (!day.name.empty()) line += ' ' + day.name;
  return line;
}

HIGHSEAS_INLINE std::optional<CalendarDay> parse_calendar_day(std::string_view line) {
  const auto blank = [](char c) { return c == ' ' || c == '\t'; };
  // The next word of `line` from `at`, and where it ends.
  const auto word = [&](std::size_t at) {
    while (at < line.size() && blank(line[at])) ++at;
    std::size_t end = at;
    while (end < line.size() && !blank(line[end])) ++end;
    return std::pair{line.substr(at, end - at), end};
  };
  const auto [date_text, after_date] = word(0);
  const auto [kind_text, after_kind] = word(after_date);
  const std::optional<LocalDate> date = parse_local_date(date_text);
  if (!date || (kind_text != "off" && kind_text != "work")) return std::nullopt;
  std::size_t first = after_kind;
  while (first < line.size() && blank(line[first])) ++first;
  std::size_t last = line.size();
  while (last > first && blank(line[last - 1])) --last;
  return CalendarDay{*date, kind_text == "off" ? DayKind::off : DayKind::work,
                     std::string(line.substr(first, last - first))};
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
  // A name is stored as the rest of one line (to_string(CalendarDay)): it
  // must read back the same.
  const auto control = [](unsigned char c) { return c < 0x20 || c == 0x7F; };
  if (std::any_of(day.name.begin(), day.name.end(), control)) {
    return refuse(RefusalCode::invalid_argument,
                  "the name of " + detail::iso_date(day.date) + " has a control character");
  }
  if (!day.name.empty() && (day.name.front() == ' ' || day.name.back() == ' ')) {
    return refuse(RefusalCode::invalid_argument,
                  "the name of " + detail::iso_date(day.date) + " begins or ends with a space");
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
