// Time formatting. Compiled into HighSeas::highseas by time.cpp; included by
// time.hpp in header-only mode. Kept out of time.hpp because Boost's string
// conversions double what a host parses for every include.
#pragma once

#include <boost/date_time/posix_time/time_formatters.hpp>

#include "highseas/time.hpp"

namespace highseas {

// Returns a short human form of a time left, e.g. "3d 4h", "5h 12m", "40s";
// "overdue" for zero or less.
HIGHSEAS_INLINE std::string format_time_left(Duration left) {
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

// Returns the instant as ISO 8601 UTC, e.g. "2026-01-31T09:00:00Z".
HIGHSEAS_INLINE std::string to_iso8601(Time at) {
  if (at.is_special()) return "-";
  std::string text = boost::posix_time::to_iso_extended_string(at);
  if (const auto dot = text.find('.'); dot != std::string::npos) text.resize(dot);
  return text + "Z";
}

}  // namespace highseas
