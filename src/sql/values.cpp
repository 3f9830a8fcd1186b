#include "values.hpp"

#include <boost/date_time/gregorian/gregorian.hpp>
#include <boost/date_time/posix_time/time_formatters.hpp>
#include <charconv>
#include <cstdint>
#include <sstream>
#include <utility>

namespace highseas::sql {

namespace {

const Time& epoch() {
  static const Time value(boost::gregorian::date(1970, 1, 1));
  return value;
}

}  // namespace

std::optional<std::int64_t> encode_time(Time at) {
  if (at.is_not_a_date_time()) return std::nullopt;
  if (at.is_pos_infinity()) return kPlusInfinity;
  if (at.is_neg_infinity()) return kMinusInfinity;
  return (at - epoch()).total_microseconds();
}

Time decode_time(std::optional<std::int64_t> value) {
  if (!value) return {};
  if (*value == kPlusInfinity) return {boost::posix_time::pos_infin};
  if (*value == kMinusInfinity) return {boost::posix_time::neg_infin};
  return epoch() + boost::posix_time::microseconds(*value);
}

std::optional<std::int64_t> encode_duration(Duration span) {
  if (span.is_not_a_date_time()) return std::nullopt;
  if (span.is_pos_infinity()) return kPlusInfinity;
  if (span.is_neg_infinity()) return kMinusInfinity;
  return span.total_microseconds();
}

Duration decode_duration(std::optional<std::int64_t> value) {
  if (!value) return {boost::posix_time::not_a_date_time};
  if (*value == kPlusInfinity) return {boost::posix_time::pos_infin};
  if (*value == kMinusInfinity) return {boost::posix_time::neg_infin};
  return boost::posix_time::microseconds(*value);
}

namespace {

[[noreturn]] void throw_column(std::string_view where, std::string_view column,
                               const std::string& problem) {
  throw StorageError(std::string(where) + ": column " + std::string(column) + ": " + problem);
}

}  // namespace

std::string encode_span(const Span& span, std::string_view where, std::string_view column) {
  std::string text = to_string(span);
  if (parse_span(text) != span) {
    // Only calendar spans can miss: business days are a whole count.
    throw_column(where, column,
                 "cannot store a span of " + boost::posix_time::to_simple_string(span.length()) +
                     " exactly: its text '" + text +
                     "' reads back as another length (a span is stored as a whole number of "
                     "seconds, minutes, hours or days, at most a million days)");
  }
  return text;
}

Span decode_span(const std::optional<std::string>& text, std::string_view where,
                 std::string_view column) {
  if (!text) throw_column(where, column, "NULL where a span is required");
  const std::optional<Span> span = parse_span(*text);
  if (!span) throw_column(where, column, "not a span: '" + *text + "'");
  return *span;
}

std::optional<std::string> encode_optional_span(const std::optional<Span>& span,
                                                std::string_view where, std::string_view column) {
  if (!span) return std::nullopt;
  return encode_span(*span, where, column);
}

std::optional<Span> decode_optional_span(const std::optional<std::string>& text,
                                         std::string_view where, std::string_view column) {
  if (!text) return std::nullopt;
  return decode_span(text, where, column);
}

std::string encode_level_rules(const std::vector<LevelRule>& levels, std::string_view where,
                               std::string_view column) {
  std::string text = to_string(levels);
  if (parse_level_rules(text) != levels) {
    throw_column(where, column, "cannot store the level rules '" + text + "' exactly");
  }
  return text;
}

std::vector<LevelRule> decode_level_rules(const std::optional<std::string>& text,
                                          std::string_view where, std::string_view column) {
  if (!text) throw_column(where, column, "NULL where level rules are required");
  std::optional<std::vector<LevelRule>> levels = parse_level_rules(*text);
  if (!levels) throw_column(where, column, "not level rules: '" + *text + "'");
  return std::move(*levels);
}

std::string encode_reminders(const std::vector<Reminder>& reminders, std::string_view where,
                             std::string_view column) {
  std::string text = to_string(reminders);
  if (parse_reminders(text) != reminders) {
    throw_column(where, column, "cannot store the reminders '" + text + "' exactly");
  }
  return text;
}

std::vector<Reminder> decode_reminders(const std::optional<std::string>& text,
                                       std::string_view where, std::string_view column) {
  if (!text) throw_column(where, column, "NULL where reminders are required");
  std::optional<std::vector<Reminder>> reminders = parse_reminders(*text);
  if (!reminders) throw_column(where, column, "not reminders: '" + *text + "'");
  return std::move(*reminders);
}

std::string encode_cooldowns(const std::vector<Cooldown>& cooldowns, std::string_view where,
                             std::string_view column) {
  std::string text;
  for (const Cooldown& cooldown : cooldowns) {
    const std::optional<std::int64_t> until = encode_time(cooldown.until);
    if (!until)
      throw_column(where, column, "a cooldown of '" + cooldown.user.str() + "' has no end");
    if (!text.empty()) text += kCooldownEntrySeparator;
    text.append(cooldown.user.str()).append(1, kCooldownFieldSeparator);
    text.append(std::to_string(*until));
  }
  return text;
}

std::vector<Cooldown> decode_cooldowns(const std::optional<std::string>& text,
                                       std::string_view where, std::string_view column) {
  if (!text) throw_column(where, column, "NULL where cooldowns are required");
  std::vector<Cooldown> cooldowns;
  std::string_view rest = *text;
  while (!rest.empty()) {
    const std::size_t end = rest.find(kCooldownEntrySeparator);
    const std::string_view entry = rest.substr(0, end);
    const std::size_t field = entry.find(kCooldownFieldSeparator);
    std::int64_t until = 0;
    const char* last = entry.data() + entry.size();
    if (field == std::string_view::npos || field == 0 ||
        std::from_chars(entry.data() + field + 1, last, until).ptr != last ||
        field + 1 == entry.size()) {
      throw_column(where, column, "not cooldowns: '" + *text + "'");
    }
    cooldowns.push_back({UserId(std::string(entry.substr(0, field))), decode_time(until)});
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
    if (rest.empty()) throw_column(where, column, "not cooldowns: '" + *text + "'");
  }
  return cooldowns;
}

DailyLimit decode_daily_limit(const std::optional<std::string>& text, std::string_view where,
                              std::string_view column) {
  if (!text) throw_column(where, column, "NULL where a daily limit is required");
  std::optional<DailyLimit> limit = parse_daily_limit(*text);
  if (!limit) throw_column(where, column, "not a daily limit: '" + *text + "'");
  return std::move(*limit);
}

std::string encode_takes_day(const DailyTakes& takes) {
  return boost::gregorian::to_iso_extended_string(takes.day);
}

std::string encode_level_takes(const DailyTakes& takes) {
  std::string text;
  for (const LevelTakes& level : takes.levels) {
    if (!text.empty()) text += ',';
    text.append(level.level).append("=").append(std::to_string(level.claims));
    text.append("/").append(std::to_string(level.assignments));
  }
  return text;
}

DailyTakes decode_daily_takes(const std::optional<std::string>& day,
                              std::optional<std::int64_t> claims,
                              std::optional<std::int64_t> assignments,
                              const std::optional<std::string>& levels, std::string_view where) {
  DailyTakes takes;
  if (!day) throw_column(where, "daily_takes.day", "NULL where a day is required");
  try {
    takes.day = boost::gregorian::from_simple_string(*day);
  } catch (const std::exception&) {
    throw_column(where, "daily_takes.day", "not a day: '" + *day + "'");
  }
  takes.claims = decode_u32(claims, where, "daily_takes.claims");
  takes.assignments = decode_u32(assignments, where, "daily_takes.assignments");
  if (!levels) throw_column(where, "daily_takes.levels", "NULL where levels are required");
  std::string_view rest = *levels;
  while (!rest.empty()) {
    const std::size_t end = rest.find(',');
    const std::string_view entry = rest.substr(0, end);
    const std::size_t equals = entry.find('=');
    const std::size_t slash = entry.find('/');
    LevelTakes level;
    const auto number = [&entry](std::size_t first, std::size_t last, std::uint32_t& out) {
      const char* begin = entry.data() + first;
      const char* stop = entry.data() + last;
      const auto [ptr, error] = std::from_chars(begin, stop, out);
      return first < last && error == std::errc{} && ptr == stop;
    };
    if (equals == std::string_view::npos || equals == 0 || slash == std::string_view::npos ||
        slash < equals || !number(equals + 1, slash, level.claims) ||
        !number(slash + 1, entry.size(), level.assignments)) {
      throw_column(where, "daily_takes.levels", "not level takes: '" + *levels + "'");
    }
    level.level = std::string(entry.substr(0, equals));
    takes.levels.push_back(std::move(level));
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  return takes;
}

std::uint32_t decode_u32(std::optional<std::int64_t> value, std::string_view where,
                         std::string_view column) {
  if (!value) throw_column(where, column, "NULL where a number is required");
  if (*value < 0 || *value > std::int64_t{UINT32_MAX}) {
    throw_column(where, column, "out of range: " + std::to_string(*value));
  }
  return static_cast<std::uint32_t>(*value);
}

std::string encode_calendar_years(const WorkCalendar& calendar) {
  std::string text;
  for (const int year : calendar.years()) {
    if (!text.empty()) text += ' ';
    text += std::to_string(year);
  }
  return text;
}

std::string encode_calendar_days(const WorkCalendar& calendar) {
  std::string text;
  for (const auto& [date, day] : calendar.days()) text += to_string(day) + '\n';
  return text;
}

WorkCalendar decode_calendar(std::optional<std::int64_t> weekend,
                             const std::optional<std::string>& years,
                             const std::optional<std::string>& days, std::string_view where) {
  WorkCalendar calendar;
  if (!weekend || *weekend < 0 || *weekend > 0x7F ||
      !calendar.set_weekend(static_cast<WorkCalendar::Weekdays>(*weekend))) {
    throw_column(where, "calendars.weekend", "not a weekend mask");
  }
  if (!years) throw_column(where, "calendars.years", "NULL where years are required");
  std::istringstream year_words(*years);
  for (std::string word; year_words >> word;) {
    int year = 0;
    const auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), year);
    if (error != std::errc() || end != word.data() + word.size() || !calendar.add_year(year)) {
      throw_column(where, "calendars.years", "not a year: '" + word + "'");
    }
  }
  if (!days) throw_column(where, "calendars.days", "NULL where days are required");
  std::istringstream lines(*days);
  for (std::string line; std::getline(lines, line);) {
    const std::optional<CalendarDay> day = parse_calendar_day(line);
    if (!day) throw_column(where, "calendars.days", "not a calendar day: '" + line + "'");
    if (auto added = calendar.add(*day); !added) {
      throw_column(where, "calendars.days", added.refusal().message);
    }
  }
  return calendar;
}

void throw_unknown(std::string_view where, std::string_view what, std::string_view name) {
  throw StorageError(std::string(where) + ": unknown " + std::string(what) + " '" +
                     std::string(name) + "'");
}

}  // namespace highseas::sql
