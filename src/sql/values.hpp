// How HighSeas values are stored in SQL columns, for every SQL backend
// (SQLite and PostgreSQL). Internal to the SQL storages; not installed.
//
// Instants and durations are integer microseconds (since 1970-01-01 UTC for
// instants): exact for Boost's default microsecond resolution, compact, and
// ordered like the values, so deadline indexes sort correctly. The special
// values map the same way for both kinds and both backends:
//   not_a_date_time -> NULL, +infinity -> INT64_MAX, -infinity -> INT64_MIN.
// Enums are stored by their stable public name (to_string), decoded through
// the public kAll<Enums> tables, so a value added to an enum is known to every
// backend at once. Users are their id text, NULL for none.
//
// Spans (return rules' lengths) and level rules are the text people and the
// CLI write ("30d", "10bd", "A=60d/14d,B=30d"; return_rules.hpp): readable in
// the database, and one codec for every backend. A value the text cannot
// carry exactly is refused when written, and a stored text that does not
// parse is refused when read, naming the storage and the column: never a
// silent default.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "highseas/daily_limit.hpp"
#include "highseas/ids.hpp"
#include "highseas/return_rules.hpp"
#include "highseas/span.hpp"
#include "highseas/storage.hpp"
#include "highseas/time.hpp"
#include "highseas/work_calendar.hpp"

namespace highseas::sql {

inline constexpr std::int64_t kPlusInfinity = std::numeric_limits<std::int64_t>::max();
inline constexpr std::int64_t kMinusInfinity = std::numeric_limits<std::int64_t>::min();

// Returns the column value of an instant (nothing: NULL).
std::optional<std::int64_t> encode_time(Time at);
// Returns the instant a column value stands for.
Time decode_time(std::optional<std::int64_t> value);
// Returns the column value of a duration (nothing: NULL).
std::optional<std::int64_t> encode_duration(Duration span);
// Returns the duration a column value stands for.
Duration decode_duration(std::optional<std::int64_t> value);

// Returns the column value of an optional user.
inline std::optional<std::string> encode_user(const std::optional<UserId>& user) {
  if (!user) return std::nullopt;
  return user->str();
}
// Returns the user a column value stands for.
inline std::optional<UserId> decode_user(std::optional<std::string> text) {
  if (!text) return std::nullopt;
  return UserId(std::move(*text));
}

// Returns the text of `span` for `column`; throws StorageError if the text
// would not read back as the same span (e.g. below a second).
std::string encode_span(const Span& span, std::string_view where, std::string_view column);
// Returns the span a `column` value stands for; throws StorageError, naming
// `where` and `column`, for NULL or a text that does not parse.
Span decode_span(const std::optional<std::string>& text, std::string_view where,
                 std::string_view column);
// The same for an optional span: NULL for none.
std::optional<std::string> encode_optional_span(const std::optional<Span>& span,
                                                std::string_view where, std::string_view column);
std::optional<Span> decode_optional_span(const std::optional<std::string>& text,
                                         std::string_view where, std::string_view column);
// Returns the level rules as `column` text ("" for none); throws StorageError
// if the text would not read back as the same rules.
std::string encode_level_rules(const std::vector<LevelRule>& levels, std::string_view where,
                               std::string_view column);
// Returns the level rules a `column` value stands for; throws StorageError,
// naming `where` and `column`, for NULL or a text that does not parse.
std::vector<LevelRule> decode_level_rules(const std::optional<std::string>& text,
                                          std::string_view where, std::string_view column);
// Returns reminders as `column` text ("" for none); throws StorageError if
// the text would not read back as the same reminders.
std::string encode_reminders(const std::vector<Reminder>& reminders, std::string_view where,
                             std::string_view column);
// Returns the reminders a `column` value stands for; throws StorageError,
// naming `where` and `column`, for NULL or a text that does not parse.
std::vector<Reminder> decode_reminders(const std::optional<std::string>& text,
                                       std::string_view where, std::string_view column);
// Cooldowns are stored as one text column: each "user" US "microseconds of
// its end" (US: the unit separator, char 31), joined by RS (char 30); "" for
// none, never NULL. User ids hold no control characters, so the separators
// are unambiguous, and SQL can append one with || (a sweep's set-based
// return does, as DueReturn::returned appends).
inline constexpr char kCooldownEntrySeparator = '\x1e';
inline constexpr char kCooldownFieldSeparator = '\x1f';
// Returns the cooldowns as `column` text; throws StorageError, naming
// `where` and `column`, for a cooldown without an end (not_a_date_time).
std::string encode_cooldowns(const std::vector<Cooldown>& cooldowns, std::string_view where,
                             std::string_view column);
// Returns the cooldowns a `column` value stands for; throws StorageError,
// naming `where` and `column`, for NULL or a text that does not parse.
std::vector<Cooldown> decode_cooldowns(const std::optional<std::string>& text,
                                       std::string_view where, std::string_view column);

// A daily limit is its text ("3,A=1,assigned"; daily_limit.hpp), "" for none.
// Returns the limit a `column` value stands for; throws StorageError, naming
// `where` and `column`, for NULL or a text that does not parse.
DailyLimit decode_daily_limit(const std::optional<std::string>& text, std::string_view where,
                              std::string_view column);

// A user's daily takes are stored as four columns: the day as ISO text
// ("2026-12-02"), the claims, the assignments, and the levels' takes as text,
// "LEVEL=claims/assignments" joined by commas ("A=2/0,B=1/1"; a level holds
// none of "=,/"), "" for none.
// Returns the day column of `takes`.
std::string encode_takes_day(const DailyTakes& takes);
// Returns the levels column of `takes`.
std::string encode_level_takes(const DailyTakes& takes);
// Returns the takes the four columns hold; throws StorageError, naming
// `where`, for NULL or a value that does not parse.
DailyTakes decode_daily_takes(const std::optional<std::string>& day,
                              std::optional<std::int64_t> claims,
                              std::optional<std::int64_t> assignments,
                              const std::optional<std::string>& levels, std::string_view where);

// Returns a count or version column as 32 bits; throws StorageError, naming
// `where` and `column`, for NULL, a negative value or one above 2^32 - 1.
std::uint32_t decode_u32(std::optional<std::int64_t> value, std::string_view where,
                         std::string_view column);

// A work calendar is stored as three columns: its weekend mask, its known
// years ("2024 2025 2026") and its dated entries, one line each in the
// calendar line format ("2025-01-28 off 春节"; a name has no line break).
// Returns the years column of `calendar`.
std::string encode_calendar_years(const WorkCalendar& calendar);
// Returns the days column of `calendar`.
std::string encode_calendar_days(const WorkCalendar& calendar);
// Returns the calendar the three columns hold; throws StorageError, naming
// `where` and the column, for NULL or a value WorkCalendar refuses.
WorkCalendar decode_calendar(std::optional<std::int64_t> weekend,
                             const std::optional<std::string>& years,
                             const std::optional<std::string>& days, std::string_view where);

// Throws StorageError "<where>: unknown <what> '<name>'".
[[noreturn]] void throw_unknown(std::string_view where, std::string_view what,
                                std::string_view name);

// Returns the value of `all` whose public name is `name`; throws StorageError
// naming `where` (the storage) and `what` (e.g. "history kind") otherwise.
template <class E, std::size_t N>
E decode_enum(std::string_view name, const std::array<E, N>& all, std::string_view what,
              std::string_view where) {
  for (const E value : all) {
    if (to_string(value) == name) return value;
  }
  throw_unknown(where, what, name);
}

}  // namespace highseas::sql
