/// @file
/// Time in HighSeas: UTC instants and durations from Boost.Date_Time.
///
/// Every instant is a UTC boost::posix_time::ptime; a Duration is a
/// boost::posix_time::time_duration. Hosts convert to local time for display.
#pragma once

#include <boost/date_time/posix_time/posix_time_types.hpp>
#include <cstdint>
#include <string>

#include "highseas/detail/config.hpp"

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
std::string format_time_left(Duration left);

/// Returns the instant as ISO 8601 UTC, e.g. "2026-01-31T09:00:00Z"; "-" for
/// not_a_date_time.
std::string to_iso8601(Time at);

}  // namespace highseas

#ifdef HIGHSEAS_HEADER_ONLY
#include "highseas_inl/core/time-inl.hpp"  // IWYU pragma: export
#endif
