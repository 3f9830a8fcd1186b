// How HighSeas values are stored in SQLite columns.
//
// Instants and durations are integer microseconds (since 1970-01-01 UTC for
// instants): exact for Boost's default microsecond resolution, compact, and
// ordered the same way as the values, so the deadline index sorts correctly.
// not_a_date_time is NULL; +/- infinity are INT64_MAX / INT64_MIN.
// Enums are stored by stable name (roles, history kinds) or by a fixed small
// number (customer state, which partial indexes test with a literal).
#pragma once

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

namespace highseas::sqlite_detail {

inline constexpr std::int64_t kPlusInfinity = std::numeric_limits<std::int64_t>::max();
inline constexpr std::int64_t kMinusInfinity = std::numeric_limits<std::int64_t>::min();

inline Time epoch() { return Time(boost::gregorian::date(1970, 1, 1)); }

// Returns the column value of an instant.
inline std::optional<std::int64_t> encode_time(Time at) {
  if (at.is_not_a_date_time()) return std::nullopt;
  if (at.is_pos_infinity()) return kPlusInfinity;
  if (at.is_neg_infinity()) return kMinusInfinity;
  return (at - epoch()).total_microseconds();
}

// Returns the instant a column value stands for.
inline Time decode_time(std::optional<std::int64_t> value) {
  if (!value) return Time();
  if (*value == kPlusInfinity) return Time(boost::posix_time::pos_infin);
  if (*value == kMinusInfinity) return Time(boost::posix_time::neg_infin);
  return epoch() + boost::posix_time::microseconds(*value);
}

// Returns the column value of a duration.
inline std::optional<std::int64_t> encode_duration(Duration span) {
  if (span.is_not_a_date_time()) return std::nullopt;
  if (span.is_pos_infinity()) return kPlusInfinity;
  if (span.is_neg_infinity()) return kMinusInfinity;
  return span.total_microseconds();
}

// Returns the duration a column value stands for.
inline Duration decode_duration(std::optional<std::int64_t> value) {
  if (!value) return Duration(boost::posix_time::not_a_date_time);
  if (*value == kPlusInfinity) return Duration(boost::posix_time::pos_infin);
  if (*value == kMinusInfinity) return Duration(boost::posix_time::neg_infin);
  return boost::posix_time::microseconds(*value);
}

// Customer states as the schema stores them; the partial indexes say
// "state = 0" (available) and "state = 1" (held), so these never change.
inline std::int64_t encode_state(CustomerState state) {
  switch (state) {
    case CustomerState::available:
      return 0;
    case CustomerState::held:
      return 1;
    case CustomerState::regular:
      return 2;
  }
  return 0;
}

// Returns the state stored as `value`; throws StorageError for a value no
// version of HighSeas writes.
inline CustomerState decode_state(std::int64_t value, const std::string& path) {
  switch (value) {
    case 0:
      return CustomerState::available;
    case 1:
      return CustomerState::held;
    case 2:
      return CustomerState::regular;
    default:
      throw StorageError("SQLite storage '" + path + "': unknown customer state " +
                         std::to_string(value));
  }
}

// Returns the role named `name`; throws StorageError for an unknown name.
inline Role decode_role(std::string_view name, const std::string& path) {
  if (auto role = role_from_string(name)) return *role;
  throw StorageError("SQLite storage '" + path + "': unknown role '" + std::string(name) + "'");
}

// Returns the history kind named `name`; throws StorageError for an unknown name.
inline HistoryKind decode_history_kind(std::string_view name, const std::string& path) {
  for (int value = 0; value <= static_cast<int>(HistoryKind::member_removed); ++value) {
    const auto kind = static_cast<HistoryKind>(value);
    if (to_string(kind) == name) return kind;
  }
  throw StorageError("SQLite storage '" + path + "': unknown history kind '" + std::string(name) +
                     "'");
}

// Returns the tags as one column: each tag as "<bytes>:<tag>", so any byte may
// appear in a tag and the order is kept.
inline std::string encode_tags(const std::vector<std::string>& tags) {
  std::string out;
  for (const std::string& tag : tags) {
    out += std::to_string(tag.size());
    out += ':';
    out += tag;
  }
  return out;
}

// Returns the tags stored by encode_tags; throws StorageError if malformed.
inline std::vector<std::string> decode_tags(std::string_view text, const std::string& path) {
  std::vector<std::string> tags;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t colon = text.find(':', at);
    std::size_t length = 0;
    bool digits = colon != std::string_view::npos && colon > at;
    for (std::size_t i = at; digits && i < colon; ++i) {
      digits = text[i] >= '0' && text[i] <= '9';
      length = length * 10 + static_cast<std::size_t>(text[i] - '0');
    }
    if (!digits || length > text.size() - colon - 1) {
      throw StorageError("SQLite storage '" + path + "': malformed tags column");
    }
    tags.emplace_back(text.substr(colon + 1, length));
    at = colon + 1 + length;
  }
  return tags;
}

}  // namespace highseas::sqlite_detail
