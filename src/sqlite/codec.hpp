// How SQLite stores what the shared SQL value mapping (src/sql) leaves to
// each backend: the tags column. Times, durations, users, enums and the record
// and history columns are mapped by src/sql for both SQL backends.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "highseas/storage.hpp"

namespace highseas::sqlite_detail {

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
