/// @file
/// Normalised customer names, for the duplicate check (撞单).
///
/// Two rows that a salesperson would call "the same company" should collide even
/// when typed differently: "ACME Trading Co., Ltd." and "acme trading co ltd"
/// and the full-width "ＡＣＭＥ　Ｔｒａｄｉｎｇ" reduce to the same key. The key folds
/// ASCII case, maps full-width forms to ASCII, and drops whitespace and
/// punctuation (ASCII, CJK and full-width). Letters of other scripts are kept.
///
/// Thread-safety: pure function.
#pragma once

#include <string>
#include <string_view>

#include "highseas/detail/utf8.hpp"

namespace highseas {

namespace detail {

/// Decodes one code point at `i` of valid UTF-8, advancing `i`.
inline char32_t decode_utf8(std::string_view text, std::size_t& i) {
  const auto byte = static_cast<unsigned char>(text[i]);
  std::size_t length = 1;
  char32_t code_point = byte;
  if (byte >= 0xF0) {
    length = 4, code_point = byte & 0x07U;
  } else if (byte >= 0xE0) {
    length = 3, code_point = byte & 0x0FU;
  } else if (byte >= 0xC0) {
    length = 2, code_point = byte & 0x1FU;
  }
  for (std::size_t k = 1; k < length; ++k) {
    code_point = (code_point << 6U) | (static_cast<unsigned char>(text[i + k]) & 0x3FU);
  }
  i += length;
  return code_point;
}

/// Appends `code_point` to `out` as UTF-8.
inline void append_utf8(std::string& out, char32_t code_point) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0U | (code_point >> 6U)));
    out.push_back(static_cast<char>(0x80U | (code_point & 0x3FU)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0U | (code_point >> 12U)));
    out.push_back(static_cast<char>(0x80U | ((code_point >> 6U) & 0x3FU)));
    out.push_back(static_cast<char>(0x80U | (code_point & 0x3FU)));
  } else {
    out.push_back(static_cast<char>(0xF0U | (code_point >> 18U)));
    out.push_back(static_cast<char>(0x80U | ((code_point >> 12U) & 0x3FU)));
    out.push_back(static_cast<char>(0x80U | ((code_point >> 6U) & 0x3FU)));
    out.push_back(static_cast<char>(0x80U | (code_point & 0x3FU)));
  }
}

/// Returns true iff `c` is whitespace or punctuation the key ignores.
constexpr bool is_ignored_in_name_key(char32_t c) {
  if (c < 0x80) {
    return !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
  }
  return c == 0x00A0 || (c >= 0x2000 && c <= 0x206F) ||  // spaces, general punctuation
         (c >= 0x3000 && c <= 0x303F) ||                 // CJK symbols and punctuation
         (c >= 0xFE30 && c <= 0xFE4F) ||                 // CJK compatibility forms
         c == 0x00B7 || c == 0x30FB;                     // middle dots
}

}  // namespace detail

/// Returns the duplicate-check key of a customer name; empty for text that is
/// not valid UTF-8 or has nothing but spaces and punctuation.
inline std::string name_key(std::string_view name) {
  std::string key;
  if (!detail::is_valid_utf8(name)) return key;
  key.reserve(name.size());
  std::size_t i = 0;
  while (i < name.size()) {
    char32_t c = detail::decode_utf8(name, i);
    if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;  // full-width ASCII forms
    if (c == 0x3000) c = ' ';                     // ideographic space
    if (detail::is_ignored_in_name_key(c)) continue;
    if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
    detail::append_utf8(key, c);
  }
  return key;
}

}  // namespace highseas
