// Return rules' text form (return_rules.hpp): compiled into
// HighSeas::highseas by return_rules.cpp, or included by return_rules.hpp in
// header-only mode.
#pragma once

#include <string>

#include "highseas/return_rules.hpp"

namespace highseas {

HIGHSEAS_INLINE std::string to_string(const ReturnRule& rule) {
  std::string text = to_string(rule.holding_period);
  // Appended piece by piece: GCC 12 at -O2 warns (-Wrestrict, a false
  // positive) about "/" + std::string&&.
  if (rule.idle_limit) text.append("/").append(to_string(*rule.idle_limit));
  return text;
}

HIGHSEAS_INLINE std::optional<ReturnRule> parse_return_rule(std::string_view text) {
  const std::size_t slash = text.find('/');
  const auto period = parse_span(text.substr(0, slash));
  if (!period) return std::nullopt;
  ReturnRule rule;
  rule.holding_period = *period;
  if (slash != std::string_view::npos) {
    rule.idle_limit = parse_span(text.substr(slash + 1));
    if (!rule.idle_limit) return std::nullopt;
  }
  return rule;
}

HIGHSEAS_INLINE std::string to_string(const std::vector<LevelRule>& levels) {
  std::string text;
  for (const LevelRule& level : levels) {
    if (!text.empty()) text += ',';
    text += level.level + "=" + to_string(level.rule);
  }
  return text;
}

HIGHSEAS_INLINE std::optional<std::vector<LevelRule>> parse_level_rules(std::string_view text) {
  std::vector<LevelRule> levels;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    const std::size_t equals = item.find('=');
    if (equals == 0 || equals == std::string_view::npos) return std::nullopt;
    auto rule = parse_return_rule(item.substr(equals + 1));
    if (!rule) return std::nullopt;
    levels.push_back({std::string(item.substr(0, equals)), *rule});
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
    if (text.empty()) return std::nullopt;  // a trailing comma
  }
  return levels;
}

}  // namespace highseas
