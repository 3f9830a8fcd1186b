/// @file
/// Span: how long a rule counts, in calendar time or in business days.
///
/// Return rules (holding period, idle limit, protection, reminders) are said
/// by sales teams in two ways: "30 days" of calendar time, and "10 working
/// days" that skip weekends and holidays. A bare Duration can only say the
/// first, so every such rule is a Span. Both count in the pool's days
/// (TeamCalendar): whole days end at local midnight, business days skip the
/// work calendar's days off. A policy with a business-day span is refused
/// while the pool's calendar does not know the current year, rather than
/// counted as 24 h per day.
///
/// Thread-safety: a plain value.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "highseas/detail/config.hpp"
#include "highseas/time.hpp"

namespace highseas {

/// A length in calendar time (Span::time) or in business days (Span::business_days).
class Span {
 public:
  /// What a span counts.
  enum class Unit : std::uint8_t {
    time,           ///< calendar time: an exact Duration
    business_days,  ///< working days of the pool's work calendar
  };

  /// A span of zero calendar time.
  Span() = default;
  /// A span of calendar time, as Span::time(length): a Duration always says
  /// calendar time, so `rule.holding_period = days(30)` reads as meant.
  Span(Duration length) : Span(time(length)) {}  // NOLINT(google-explicit-constructor)

  /// Returns a span of calendar time. Any Duration, even negative or special:
  /// a policy holding one is refused by ClaimPolicy::validate, with the field named.
  static Span time(Duration length);
  /// Returns a span of `count` business days.
  static Span business_days(std::uint32_t count) noexcept;

  /// Returns what the span counts.
  Unit unit() const noexcept { return unit_; }
  /// Returns the calendar length. REQUIRES: unit() == Unit::time
  /// (std::logic_error otherwise).
  Duration length() const;
  /// Returns the number of business days. REQUIRES: unit() == Unit::business_days
  /// (std::logic_error otherwise).
  std::uint32_t days() const;
  /// Returns true iff the span is zero long, in either unit.
  bool is_zero() const noexcept;

  /// Field-by-field equality: 5 business days never equal 5 calendar days.
  friend bool operator==(const Span&, const Span&) = default;

 private:
  Unit unit_ = Unit::time;
  Duration length_ = Duration(0, 0, 0);
  std::uint32_t days_ = 0;
};

/// Returns the span as people and the CLI write it: "30d", "12h", "45m",
/// "90s" for calendar time (the largest unit that divides it; a fraction of
/// a second is dropped, which ClaimPolicy::validate refuses), "10bd" for
/// business days.
std::string to_string(const Span& span);

/// Writes to_string(span), so that test failures and logs show "30d".
inline std::ostream& operator<<(std::ostream& out, const Span& span) {
  return out << to_string(span);
}

/// Parses what to_string writes: a whole number followed by d, h, m, s or bd.
/// Returns nothing for anything else (negative, empty, no unit, more than a
/// million days, or a million business days).
std::optional<Span> parse_span(std::string_view text);

}  // namespace highseas

#ifdef HIGHSEAS_HEADER_ONLY
#include "highseas_inl/core/span-inl.hpp"  // IWYU pragma: export
#endif
