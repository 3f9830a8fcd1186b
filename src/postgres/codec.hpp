// Conversions between HighSeas values and the text forms bound to and read
// from PostgreSQL. Times are stored as microseconds since the Unix epoch
// (bigint, NULL for not_a_date_time) so they round-trip exactly. Internal.
#pragma once

#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "highseas/customer.hpp"
#include "highseas/role_guard.hpp"
#include "highseas/storage.hpp"
#include "highseas/time.hpp"

namespace highseas::pg {

// Tags are joined with the unit separator, which validated tags never contain.
inline constexpr char kTagSeparator = '\x1f';

inline const Time& epoch() {
  static const Time value(boost::gregorian::date(1970, 1, 1));
  return value;
}

// Returns the column text for `at`, or nothing (NULL) for not_a_date_time.
inline std::optional<std::string> encode_time(Time at) {
  if (at.is_not_a_date_time()) return std::nullopt;
  if (at.is_pos_infinity()) return std::to_string(std::numeric_limits<std::int64_t>::max());
  if (at.is_neg_infinity()) return std::to_string(std::numeric_limits<std::int64_t>::min());
  return std::to_string((at - epoch()).total_microseconds());
}

// Returns the text of a duration in microseconds.
inline std::string encode_duration(Duration d) { return std::to_string(d.total_microseconds()); }

// Parses a decimal integer column; throws StorageError on garbage.
inline std::int64_t decode_int(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw StorageError("postgres: not an integer: '" + std::string(text) + "'");
  }
  return value;
}

inline Time decode_time(bool is_null, std::string_view text) {
  if (is_null) return Time();
  const std::int64_t us = decode_int(text);
  if (us == std::numeric_limits<std::int64_t>::max()) return Time(boost::posix_time::pos_infin);
  if (us == std::numeric_limits<std::int64_t>::min()) return Time(boost::posix_time::neg_infin);
  return epoch() + boost::posix_time::microseconds(us);
}

inline Duration decode_duration(std::string_view text) {
  return boost::posix_time::microseconds(decode_int(text));
}

inline std::optional<std::string> encode_user(const std::optional<UserId>& user) {
  if (!user) return std::nullopt;
  return user->str();
}

inline std::optional<UserId> decode_user(bool is_null, std::string_view text) {
  if (is_null) return std::nullopt;
  return UserId(std::string(text));
}

inline std::string encode_tags(const std::vector<std::string>& tags) {
  std::string joined;
  for (std::size_t i = 0; i < tags.size(); ++i) {
    if (i > 0) joined += kTagSeparator;
    joined += tags[i];
  }
  return joined;
}

inline std::vector<std::string> decode_tags(std::string_view joined) {
  std::vector<std::string> tags;
  if (joined.empty()) return tags;
  for (;;) {
    const std::size_t end = joined.find(kTagSeparator);
    tags.emplace_back(joined.substr(0, end));
    if (end == std::string_view::npos) return tags;
    joined.remove_prefix(end + 1);
  }
}

// Returns the enum value whose to_string is `name`; throws StorageError otherwise.
template <class Enum, std::size_t N>
Enum decode_enum(std::string_view name, const Enum (&all)[N]) {
  for (const Enum value : all) {
    if (to_string(value) == name) return value;
  }
  throw StorageError("postgres: unknown value '" + std::string(name) + "'");
}

inline constexpr CustomerState kAllStates[] = {CustomerState::available, CustomerState::held,
                                               CustomerState::regular};
inline constexpr HistoryKind kAllKinds[] = {
    HistoryKind::imported, HistoryKind::moved_in,      HistoryKind::moved_out,
    HistoryKind::claimed,  HistoryKind::assigned,      HistoryKind::released,
    HistoryKind::extended, HistoryKind::followed_up,   HistoryKind::won,
    HistoryKind::returned, HistoryKind::member_removed};
inline constexpr Role kRoles[] = {Role::boss, Role::pool_admin, Role::pool_user};

}  // namespace highseas::pg
