// The daily limit's text form and tally (daily_limit.hpp): compiled into
// HighSeas::highseas by daily_limit.cpp, or included by daily_limit.hpp in
// header-only mode.
#pragma once

#include <charconv>
#include <string>

#include "highseas/daily_limit.hpp"

namespace highseas {

namespace detail {

inline std::string_view trimmed(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

// The whole of `text` as a count, or nothing.
inline std::optional<std::uint32_t> parse_count(std::string_view text) {
  std::uint32_t value = 0;
  const char* last = text.data() + text.size();
  const auto [end, error] = std::from_chars(text.data(), last, value);
  if (text.empty() || error != std::errc{} || end != last) return std::nullopt;
  return value;
}

}  // namespace detail

HIGHSEAS_INLINE std::string to_string(const DailyLimit& limit) {
  std::string text;
  const auto item = [&text](const std::string& piece) {
    if (!text.empty()) text += ',';
    text += piece;
  };
  if (limit.per_day) item(std::to_string(*limit.per_day));
  for (const LevelLimit& level : limit.levels) {
    item(level.level + "=" + std::to_string(level.per_day));
  }
  if (limit.assignments_count) item("assigned");
  return text;
}

HIGHSEAS_INLINE std::optional<DailyLimit> parse_daily_limit(std::string_view text) {
  DailyLimit limit;
  if (detail::trimmed(text).empty()) return limit;
  while (true) {
    const std::size_t comma = text.find(',');
    const std::string_view item = detail::trimmed(text.substr(0, comma));
    if (item == "assigned") {
      if (limit.assignments_count) return std::nullopt;
      limit.assignments_count = true;
    } else if (const std::size_t equals = item.find('='); equals != std::string_view::npos) {
      const std::optional<std::uint32_t> count = detail::parse_count(item.substr(equals + 1));
      if (!count || equals == 0) return std::nullopt;
      limit.levels.push_back({std::string(item.substr(0, equals)), *count});
    } else {
      const std::optional<std::uint32_t> count = detail::parse_count(item);
      if (!count || limit.per_day) return std::nullopt;
      limit.per_day = count;
    }
    if (comma == std::string_view::npos) return limit;
    text.remove_prefix(comma + 1);
  }
}

HIGHSEAS_INLINE std::uint32_t DailyTakes::counted(const DailyLimit& limit,
                                                  std::optional<std::string_view> level) const {
  const auto count = [&limit](std::uint32_t claimed, std::uint32_t assigned) {
    return claimed + (limit.assignments_count ? assigned : 0);
  };
  if (!level) return count(claims, assignments);
  for (const LevelTakes& taken : levels) {
    if (taken.level == *level) return count(taken.claims, taken.assignments);
  }
  return 0;
}

}  // namespace highseas
