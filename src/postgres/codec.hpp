// How PostgreSQL stores what the shared SQL value mapping (src/sql) leaves to
// each backend: integers arrive as text, and the tags column. Times,
// durations, users, enums and the record and history columns are mapped by
// src/sql for both SQL backends. Internal.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "highseas/storage.hpp"

namespace highseas::pg {

// Tags are joined with the unit separator, which validated tags never contain.
inline constexpr char kTagSeparator = '\x1f';

// Parses a decimal integer column; throws StorageError on garbage.
inline std::int64_t decode_int(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw StorageError("postgres: not an integer: '" + std::string(text) + "'");
  }
  return value;
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

}  // namespace highseas::pg
