// UTF-8 validation shared by id and field checks. Internal: not part of the API.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string_view>

namespace highseas::detail {

// Returns true iff `text` is well-formed UTF-8 (no overlongs, no surrogates,
// nothing above U+10FFFF).
constexpr bool is_valid_utf8(std::string_view text) noexcept {
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    char32_t code_point = 0;
    char32_t minimum = 0;
    if ((byte & 0xE0U) == 0xC0U) {
      length = 2, code_point = byte & 0x1FU, minimum = 0x80;
    } else if ((byte & 0xF0U) == 0xE0U) {
      length = 3, code_point = byte & 0x0FU, minimum = 0x800;
    } else if ((byte & 0xF8U) == 0xF0U) {
      length = 4, code_point = byte & 0x07U, minimum = 0x10000;
    } else {
      return false;
    }
    if (i + length > n) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0U) != 0x80U) return false;
      code_point = (code_point << 6U) | (next & 0x3FU);
    }
    if (code_point < minimum || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

// Returns true iff `text` contains an ASCII control character (C0 or DEL).
constexpr bool has_control_character(std::string_view text) noexcept {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7F;
  });
}

}  // namespace highseas::detail
