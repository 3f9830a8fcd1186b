/// @file
/// TimeZone: the IANA zone a pool counts its days in.
///
/// Sales teams say "30 days" and "10 working days" in their own days: a day
/// ends at local midnight where the team sits, not where the server is. A
/// TimeZone names a zone of the system's tz database (Howard Hinnant's
/// date/tz over /usr/share/zoneinfo, kept current by the OS's tzdata
/// package) and converts between UTC instants, which HighSeas stores, and
/// the team's local dates. Daylight saving time is the database's: a local
/// day is 23, 24 or 25 hours long, as it was on that date.
///
/// Thread-safety: a plain value (a name and a pointer into the tz database,
/// which lives as long as the process and is read-only once loaded).
#pragma once

#include <boost/date_time/gregorian/gregorian_types.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "highseas/detail/config.hpp"
#include "highseas/time.hpp"

namespace date {
class time_zone;
}  // namespace date

namespace highseas {

/// A calendar date as people in one time zone see it (no zone of its own).
using LocalDate = boost::gregorian::date;

/// Reads an ISO date, "YYYY-MM-DD"; nothing if the text is not a valid one.
std::optional<LocalDate> parse_local_date(std::string_view text);

/// An IANA time zone, e.g. "Asia/Shanghai", "America/Sao_Paulo"; UTC by default.
class TimeZone {
 public:
  /// UTC: local dates are UTC dates. Throws std::runtime_error, naming the
  /// tzdata package, on a machine without a tz database.
  TimeZone();

  /// Returns the zone the tz database knows by `name` (case-sensitive, as
  /// IANA spells it: "Europe/Berlin"), or nothing for a name it does not know.
  static std::optional<TimeZone> named(std::string_view name);

  /// Returns the zone's IANA name ("UTC" for the default).
  const std::string& name() const noexcept { return name_; }

  /// Returns the local date at instant `at`. REQUIRES: `at` is not special
  /// (std::invalid_argument otherwise).
  LocalDate date_at(Time at) const;

  /// Returns the first instant of local date `day`: its local midnight, or,
  /// where a DST change skips midnight, the instant the day's clocks start.
  /// REQUIRES: `day` is a valid date (std::invalid_argument otherwise).
  Time start_of(LocalDate day) const;

  /// Returns the zone's offset from UTC at `at` (e.g. +08:00 in Shanghai).
  /// REQUIRES: `at` is not special (std::invalid_argument otherwise).
  Duration offset_at(Time at) const;

  /// Returns `at` as local time with its offset, e.g.
  /// "2025-02-14 18:00:00 +08:00"; "-" for a special time.
  std::string local_text(Time at) const;

  /// Zones are equal when their names are.
  friend bool operator==(const TimeZone& a, const TimeZone& b) { return a.name_ == b.name_; }

 private:
  TimeZone(const date::time_zone* zone, std::string name);

  const date::time_zone* zone_;
  std::string name_;
};

}  // namespace highseas

#ifdef HIGHSEAS_HEADER_ONLY
#include "highseas_inl/core/time_zone-inl.hpp"  // IWYU pragma: export
#endif
