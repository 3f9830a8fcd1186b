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

// Returns true iff every byte of `text` is printable ASCII (0x20..0x7E): the
// common shape of host ids, checked in one branch-free pass the compiler can
// vectorise before the full UTF-8 and control-character checks are needed.
constexpr bool is_printable_ascii(std::string_view text) noexcept {
  unsigned outside = 0;
  for (const char c : text) {
    const auto shifted = static_cast<unsigned char>(static_cast<unsigned char>(c) - 0x20U);
    outside |= static_cast<unsigned>(shifted >= 0x5FU);
  }
  return outside == 0;
}

}  // namespace highseas::detail
