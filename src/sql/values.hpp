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
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "highseas/ids.hpp"
#include "highseas/storage.hpp"
#include "highseas/time.hpp"

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
