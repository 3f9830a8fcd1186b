/// @file
/// Time in HighSeas: UTC instants and durations from Boost.Date_Time.
///
/// Every instant is a UTC boost::posix_time::ptime; a Duration is a
/// boost::posix_time::time_duration. Hosts convert to local time for display.
#pragma once

#include <boost/date_time/posix_time/posix_time.hpp>
#include <cstdint>
#include <string>

namespace highseas {

using Time = boost::posix_time::ptime;              ///< a UTC instant
using Duration = boost::posix_time::time_duration;  ///< may be negative

/// Returns a duration of `count` whole days (24 hours each).
inline Duration days(std::int64_t count) { return boost::posix_time::hours(24 * count); }
/// Returns a duration of `count` hours.
inline Duration hours(std::int64_t count) { return boost::posix_time::hours(count); }
/// Returns a duration of `count` minutes.
inline Duration minutes(std::int64_t count) { return boost::posix_time::minutes(count); }
/// Returns a duration of `count` seconds.
inline Duration seconds(std::int64_t count) { return boost::posix_time::seconds(count); }

/// Returns the UTC instant for a calendar date and time of day.
inline Time utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) {
  return {
      boost::gregorian::date(static_cast<unsigned short>(year), static_cast<unsigned short>(month),
                             static_cast<unsigned short>(day)),
      boost::posix_time::hours(hour) + boost::posix_time::minutes(minute) +
          boost::posix_time::seconds(second)};
}

/// Returns a short human form of a time left, e.g. "3d 4h", "5h 12m", "40s";
/// "overdue" for zero or less.
inline std::string format_time_left(Duration left) {
  if (left.is_negative() || left.total_seconds() == 0) return "overdue";
  const std::int64_t total = left.total_seconds();
  const std::int64_t d = total / 86400;
  const std::int64_t h = (total % 86400) / 3600;
  const std::int64_t m = (total % 3600) / 60;
  if (d > 0) return std::to_string(d) + "d " + std::to_string(h) + "h";
  if (h > 0) return std::to_string(h) + "h " + std::to_string(m) + "m";
  if (m > 0) return std::to_string(m) + "m";
  return std::to_string(total) + "s";
}

/// Returns the instant as ISO 8601 UTC, e.g. "2026-01-31T09:00:00Z".
inline std::string to_iso8601(Time at) {
  if (at.is_special()) return "-";
  std::string text = boost::posix_time::to_iso_extended_string(at);
  if (const auto dot = text.find('.'); dot != std::string::npos) text.resize(dot);
  return text + "Z";
}

}  // namespace highseas
