// TimeZone (time_zone.hpp): compiled into HighSeas::highseas by
// time_zone.cpp, or included by time_zone.hpp in header-only mode.
#pragma once

#include <date/tz.h>

#include <boost/date_time/gregorian/gregorian.hpp>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

#include "highseas/time_zone.hpp"

namespace highseas {

namespace detail {

// Instants cross between Boost (HighSeas's Time) and <chrono> (date/tz) as
// microseconds since the Unix epoch, Boost's resolution.
inline const Time& unix_epoch() {
  static const Time epoch(boost::gregorian::date(1970, 1, 1));
  return epoch;
}

inline date::sys_time<std::chrono::microseconds> to_sys(Time at) {
  if (at.is_special()) throw std::invalid_argument("TimeZone: a special time has no local date");
  return date::sys_time<std::chrono::microseconds>(
      std::chrono::microseconds((at - unix_epoch()).total_microseconds()));
}

inline Time from_sys(date::sys_time<std::chrono::microseconds> at) {
  return unix_epoch() + boost::posix_time::microseconds(at.time_since_epoch().count());
}

inline LocalDate to_local_date(date::local_days day) {
  const date::year_month_day ymd(day);
  return {static_cast<unsigned short>(static_cast<int>(ymd.year())),
          static_cast<unsigned short>(static_cast<unsigned>(ymd.month())),
          static_cast<unsigned short>(static_cast<unsigned>(ymd.day()))};
}

inline date::local_days to_local_days(LocalDate day) {
  if (day.is_special()) throw std::invalid_argument("TimeZone: not a date");
  return date::local_days(date::year(static_cast<int>(day.year())) /
                          date::month(static_cast<unsigned>(day.month())) /
                          date::day(static_cast<unsigned>(day.day())));
}

}  // namespace detail

HIGHSEAS_INLINE std::optional<LocalDate> parse_local_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto number = [&](std::size_t at, std::size_t length) -> std::optional<int> {
    int value = 0;
    const char* first = text.data() + at;
    const auto [end, error] = std::from_chars(first, first + length, value);
    if (error != std::errc() || end != first + length) return std::nullopt;
    return value;
  };
  const auto year = number(0, 4);
  const auto month = number(5, 2);
  const auto day = number(8, 2);
  if (!year || !month || !day) return std::nullopt;
  try {
    return LocalDate(static_cast<unsigned short>(*year), static_cast<unsigned short>(*month),
                     static_cast<unsigned short>(*day));
  } catch (const std::out_of_range&) {  // Boost's bad_year, bad_month, bad_day_of_month
    return std::nullopt;
  }
}

namespace detail {

// UTC from the tz database; a machine without one (no tzdata package) is
// told what is missing rather than handed date/tz's bare message.
inline const date::time_zone* utc_zone() {
  try {
    return date::locate_zone("Etc/UTC");
  } catch (const std::runtime_error& error) {
    throw std::runtime_error(
        std::string("HighSeas needs the system's tz database (Debian: the tzdata package, "
                    "/usr/share/zoneinfo): ") +
        error.what());
  }
}

}  // namespace detail

HIGHSEAS_INLINE TimeZone::TimeZone() : zone_(detail::utc_zone()), name_("UTC") {}

HIGHSEAS_INLINE TimeZone::TimeZone(const date::time_zone* zone, std::string name)
    : zone_(zone), name_(std::move(name)) {}

HIGHSEAS_INLINE std::optional<TimeZone> TimeZone::named(std::string_view name) {
  // The database answers an unknown name with an exception; a name from a
  // host's form is input, so it becomes "no such zone". An empty name or a
  // path ("../etc") is never a zone.
  if (name.empty() || name.front() == '/' || name.find("..") != std::string_view::npos) {
    return std::nullopt;
  }
  try {
    return TimeZone(date::locate_zone(std::string(name)), std::string(name));
  } catch (const std::runtime_error&) {
    return std::nullopt;
  }
}

HIGHSEAS_INLINE LocalDate TimeZone::date_at(Time at) const {
  const auto local = zone_->to_local(detail::to_sys(at));
  return detail::to_local_date(date::floor<date::days>(local));
}

HIGHSEAS_INLINE Time TimeZone::start_of(LocalDate day) const {
  // Local midnight may not exist (a DST change at 00:00 skips to 01:00:
  // then the day starts at the change) or exist twice (a change back at
  // 01:00 to 00:00: the day starts at the first one). choose::earliest
  // gives both.
  const date::local_time<std::chrono::microseconds> midnight(detail::to_local_days(day));
  return detail::from_sys(zone_->to_sys(midnight, date::choose::earliest));
}

HIGHSEAS_INLINE Duration TimeZone::offset_at(Time at) const {
  const date::sys_info info = zone_->get_info(detail::to_sys(at));
  return boost::posix_time::seconds(info.offset.count());
}

HIGHSEAS_INLINE std::string TimeZone::local_text(Time at) const {
  if (at.is_special()) return "-";
  const Duration offset = offset_at(at);
  const Time local = at + offset;
  std::string text = boost::gregorian::to_iso_extended_string(local.date()) + " ";
  const Duration of_day = local.time_of_day();
  auto two = [](std::int64_t n) { return (n < 10 ? "0" : "") + std::to_string(n); };
  text += two(of_day.hours()) + ":" + two(of_day.minutes()) + ":" + two(of_day.seconds());
  const std::int64_t minutes_east = offset.total_seconds() / 60;
  const std::int64_t magnitude = minutes_east < 0 ? -minutes_east : minutes_east;
  text +=
      std::string(minutes_east < 0 ? " -" : " +") + two(magnitude / 60) + ":" + two(magnitude % 60);
  return text;
}

}  // namespace highseas
