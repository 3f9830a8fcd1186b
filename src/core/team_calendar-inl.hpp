// TeamCalendar (team_calendar.hpp): compiled into HighSeas::highseas by
// team_calendar.cpp, or included by team_calendar.hpp in header-only mode.
#pragma once

#include <stdexcept>

#include "highseas/team_calendar.hpp"

namespace highseas {

namespace detail {

// A count needs a real instant to start from: a special one is a programmer's error.
inline void require_real_start(Time start) {
  if (start.is_special()) throw std::invalid_argument("TeamCalendar: a special start");
}

}  // namespace detail

HIGHSEAS_INLINE LocalDate TeamCalendar::day_zero(Time start) const {
  detail::require_real_start(start);
  // The instant just before: a start at local midnight is the end of the
  // day before, so a count from an end continues it.
  return zone_.date_at(start - boost::posix_time::microseconds(1));
}

HIGHSEAS_INLINE Time TeamCalendar::after_calendar_days(Time start, std::uint32_t count) const {
  const LocalDate last = day_zero(start) + boost::gregorian::days(count);
  return zone_.start_of(last + boost::gregorian::days(1));
}

HIGHSEAS_INLINE BusinessDayCount TeamCalendar::after_business_days(
    Time start, std::uint32_t count, std::vector<SkippedDay>* skipped) const {
  if (count == 0) {
    detail::require_real_start(start);
    return {start, std::nullopt};
  }
  BusinessDayCount out;
  LocalDate day = day_zero(start);
  for (std::uint32_t counted = 0; counted < count;) {
    day += boost::gregorian::days(1);
    if (!out.unknown_year && !calendar_.knows_year(day.year())) out.unknown_year = day.year();
    if (calendar_.is_working_day(day)) {
      ++counted;
    } else if (skipped != nullptr) {
      skipped->push_back({day, calendar_.why_off(day).value_or("off")});
    }
  }
  out.end = zone_.start_of(day + boost::gregorian::days(1));
  return out;
}

HIGHSEAS_INLINE BusinessDayCount TeamCalendar::after(Time start, const Span& span) const {
  if (span.unit() == Span::Unit::business_days) return after_business_days(start, span.days());
  const Duration length = span.length();
  constexpr std::int64_t kDay = std::int64_t{24} * 60 * 60;
  if (length.is_special() || length.is_negative() || length.total_seconds() % kDay != 0 ||
      length.fractional_seconds() != 0 || length.total_seconds() == 0) {
    detail::require_real_start(start);
    return {start + length, std::nullopt};
  }
  return {after_calendar_days(start, static_cast<std::uint32_t>(length.total_seconds() / kDay)),
          std::nullopt};
}

HIGHSEAS_INLINE Time TeamCalendar::before(Time end, const Span& span) const {
  detail::require_real_start(end);
  // A count from x depends only on day_zero(x), which is day d for every x
  // after d's local midnight: the first instant of that day is the answer.
  const auto just_after = [&](LocalDate day) {
    return zone_.start_of(day) + boost::posix_time::microseconds(1);
  };
  const LocalDate last = day_zero(end);  // the day `end` ends (its local midnight or before)
  if (span.unit() == Span::Unit::business_days) {
    if (span.days() == 0) return end;
    // The earliest day d with fewer than span.days() working days in
    // (d, last): the count from d then ends on `last` or later. Bounded: ten
    // years of weekends-only counting is far past any valid span.
    LocalDate day = last - boost::gregorian::days(1);
    std::uint32_t working = 0;
    for (int step = 0; step < 40000; ++step) {
      const std::uint32_t here = calendar_.is_working_day(day) ? 1 : 0;
      if (working + here >= span.days()) break;
      working += here;
      day -= boost::gregorian::days(1);
    }
    return just_after(day);
  }
  const Duration length = span.length();
  constexpr std::int64_t kDay = std::int64_t{24} * 60 * 60;
  if (length.is_special() || length.is_negative() || length.total_seconds() % kDay != 0 ||
      length.fractional_seconds() != 0 || length.total_seconds() == 0) {
    return end - length;
  }
  return just_after(last - boost::gregorian::days(length.total_seconds() / kDay));
}

}  // namespace highseas
