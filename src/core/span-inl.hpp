// Span (span.hpp): compiled into HighSeas::highseas by span.cpp, or included
// by span.hpp in header-only mode.
#pragma once

#include <charconv>
#include <stdexcept>
#include <string>

#include "highseas/span.hpp"

namespace highseas {

namespace detail {
inline constexpr std::uint32_t kLargestSpanCount = 1'000'000;
}  // namespace detail

HIGHSEAS_INLINE Span Span::time(Duration length) {
  Span span;
  span.length_ = length;
  return span;
}

HIGHSEAS_INLINE Span Span::business_days(std::uint32_t count) noexcept {
  Span span;
  span.unit_ = Unit::business_days;
  span.days_ = count;
  return span;
}

HIGHSEAS_INLINE Duration Span::length() const {
  if (unit_ != Unit::time) throw std::logic_error("Span::length of a business-day span");
  return length_;
}

HIGHSEAS_INLINE std::uint32_t Span::days() const {
  if (unit_ != Unit::business_days) throw std::logic_error("Span::days of a calendar span");
  return days_;
}

HIGHSEAS_INLINE bool Span::is_zero() const noexcept {
  return unit_ == Unit::time ? !length_.is_special() && length_.ticks() == 0 : days_ == 0;
}

HIGHSEAS_INLINE std::string to_string(const Span& span) {
  if (span.unit() == Span::Unit::business_days) return std::to_string(span.days()) + "bd";
  const std::int64_t total = span.length().total_seconds();
  if (total % 86400 == 0) return std::to_string(total / 86400) + "d";
  if (total % 3600 == 0) return std::to_string(total / 3600) + "h";
  if (total % 60 == 0) return std::to_string(total / 60) + "m";
  return std::to_string(total) + "s";
}

HIGHSEAS_INLINE std::optional<Span> parse_span(std::string_view text) {
  std::uint64_t count = 0;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  const auto [end, error] = std::from_chars(first, last, count);
  if (error != std::errc() || end == first) return std::nullopt;
  const std::string_view unit(end, static_cast<std::size_t>(last - end));
  if (unit == "bd") {
    if (count > detail::kLargestSpanCount) return std::nullopt;
    return Span::business_days(static_cast<std::uint32_t>(count));
  }
  std::uint64_t seconds_per_unit = 0;
  if (unit == "d") seconds_per_unit = 86400;
  if (unit == "h") seconds_per_unit = 3600;
  if (unit == "m") seconds_per_unit = 60;
  if (unit == "s") seconds_per_unit = 1;
  // At most a million days in any unit: beyond every rule (ClaimPolicy::longest
  // is ten years), far from overflowing time_duration's ticks, and every span
  // to_string writes (30 days and a second is "2592001s") reads back.
  if (seconds_per_unit == 0 ||
      count > std::uint64_t{detail::kLargestSpanCount} * 86400 / seconds_per_unit) {
    return std::nullopt;
  }
  return Span::time(seconds(static_cast<std::int64_t>(count * seconds_per_unit)));
}

}  // namespace highseas
