// Return rules' text form (return_rules.hpp): compiled into
// HighSeas::highseas by return_rules.cpp, or included by return_rules.hpp in
// header-only mode.
#pragma once

#include <string>

#include "highseas/return_rules.hpp"

namespace highseas {

HIGHSEAS_INLINE std::string to_string(const Reminder& reminder) {
  std::string text = to_string(reminder.before);
  text.append(":").append(to_string(reminder.audience));
  return text;
}

HIGHSEAS_INLINE std::optional<Reminder> parse_reminder(std::string_view text) {
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::optional<Span> before = parse_span(text.substr(0, colon));
  const std::optional<ReminderAudience> audience =
      reminder_audience_from_string(text.substr(colon + 1));
  if (!before || !audience) return std::nullopt;
  return Reminder{*before, *audience};
}

HIGHSEAS_INLINE std::string to_string(const std::vector<Reminder>& reminders) {
  std::string text;
  for (const Reminder& reminder : reminders) {
    if (!text.empty()) text += ';';
    text += to_string(reminder);
  }
  return text;
}

HIGHSEAS_INLINE std::optional<std::vector<Reminder>> parse_reminders(std::string_view text) {
  std::vector<Reminder> reminders;
  while (!text.empty()) {
    const std::size_t semicolon = text.find(';');
    std::optional<Reminder> reminder = parse_reminder(text.substr(0, semicolon));
    if (!reminder) return std::nullopt;
    reminders.push_back(*reminder);
    if (semicolon == std::string_view::npos) break;
    text.remove_prefix(semicolon + 1);
    if (text.empty()) return std::nullopt;  // a trailing semicolon
  }
  return reminders;
}

HIGHSEAS_INLINE std::string to_string(const ReturnRule& rule) {
  std::string text = to_string(rule.holding_period);
  // Appended piece by piece: GCC 12 at -O2 warns (-Wrestrict, a false
  // positive) about "/" + std::string&&.
  if (rule.idle_limit) text.append("/").append(to_string(*rule.idle_limit));
  if (!rule.reminders.empty()) text.append("@").append(to_string(rule.reminders));
  return text;
}

HIGHSEAS_INLINE std::optional<ReturnRule> parse_return_rule(std::string_view text) {
  ReturnRule rule;
  if (const std::size_t at = text.find('@'); at != std::string_view::npos) {
    std::optional<std::vector<Reminder>> reminders = parse_reminders(text.substr(at + 1));
    if (!reminders || reminders->empty()) return std::nullopt;
    rule.reminders = std::move(*reminders);
    text = text.substr(0, at);
  }
  const std::size_t slash = text.find('/');
  const auto period = parse_span(text.substr(0, slash));
  if (!period) return std::nullopt;
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
