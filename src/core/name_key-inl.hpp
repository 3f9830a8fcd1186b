// highseas::name_key (name_key.hpp): compiled into HighSeas::highseas by
// name_key.cpp, or included by name_key.hpp in header-only mode. The only
// place the core calls utf8proc, so no public header needs <utf8proc.h>.
#pragma once

#include <utf8proc.h>

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "highseas/detail/utf8.hpp"
#include "highseas/name_key.hpp"

namespace highseas {

namespace name_key_detail {

// NFKC (compatibility decomposition, then composition; STABLE keeps to
// Unicode's stability policy, as NFKC requires) with full case folding.
inline constexpr auto kOptions = static_cast<utf8proc_option_t>(
    UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);

// Code points decomposed on the stack: a name is at most 256 bytes, so only
// names full of expanding compatibility characters need the heap.
inline constexpr std::size_t kStackCodePoints = 256;

// Returns true iff the key keeps a code point of this general category: the
// categories dropped are the decoration the header lists, so letters, marks,
// numbers, private-use and unassigned code points stay.
inline bool kept(utf8proc_category_t category) {
  switch (category) {
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_PC:
    case UTF8PROC_CATEGORY_PD:
    case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI:
    case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO:
    case UTF8PROC_CATEGORY_SM:
    case UTF8PROC_CATEGORY_SC:
    case UTF8PROC_CATEGORY_SK:
    case UTF8PROC_CATEGORY_SO:
    case UTF8PROC_CATEGORY_CC:
    case UTF8PROC_CATEGORY_CF:
      return false;
    default:
      return true;
  }
}

// Returns true iff every byte of `text` is ASCII; one branch-free pass the
// compiler can vectorise.
inline bool is_ascii(std::string_view text) {
  unsigned high = 0;
  for (const char c : text) high |= static_cast<unsigned char>(c);
  return high < 0x80U;
}

// The key of an ASCII name without calling utf8proc: NFKC leaves ASCII as it
// is, case folding maps A-Z to a-z, and every ASCII code point but a letter or
// a digit is a separator, punctuation, symbol or control, so this is exactly
// what unicode_key returns for it (name_key_test checks each one). Memory
// storage recomputes keys on lookups, and most names are ASCII.
inline std::string ascii_key(std::string_view name) {
  std::string key;
  key.reserve(name.size());
  for (const char c : name) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      key.push_back(c);
    } else if (c >= 'A' && c <= 'Z') {
      key.push_back(static_cast<char>(c - 'A' + 'a'));
    }
  }
  return key;
}

// The key of valid UTF-8 through utf8proc: decompose (with compatibility
// mappings and case folding) into code points, compose them again, then encode
// the kept ones. utf8proc_map would do the first two but mallocs its result.
inline std::string unicode_key(std::string_view name) {
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(name.data());
  const auto length = static_cast<utf8proc_ssize_t>(name.size());
  std::array<utf8proc_int32_t, kStackCodePoints> stack_buffer;
  std::vector<utf8proc_int32_t> heap_buffer;
  utf8proc_int32_t* buffer = stack_buffer.data();
  utf8proc_ssize_t count = utf8proc_decompose(
      bytes, length, buffer, static_cast<utf8proc_ssize_t>(stack_buffer.size()), kOptions);
  if (count > static_cast<utf8proc_ssize_t>(stack_buffer.size())) {
    // Too many for the stack: `count` is the size needed; decompose again.
    heap_buffer.resize(static_cast<std::size_t>(count));
    buffer = heap_buffer.data();
    count = utf8proc_decompose(bytes, length, buffer, count, kOptions);
  }
  if (count < 0) return {};  // not reached for valid UTF-8; no key rather than a wrong one
  count = utf8proc_normalize_utf32(buffer, count, kOptions);
  if (count < 0) return {};
  std::string key;
  key.reserve(name.size());  // a hint: NFKC may lengthen or shorten the text
  for (utf8proc_ssize_t i = 0; i < count; ++i) {
    if (!kept(utf8proc_category(buffer[i]))) continue;
    std::array<utf8proc_uint8_t, 4> encoded{};
    const utf8proc_ssize_t size = utf8proc_encode_char(buffer[i], encoded.data());
    key.append(reinterpret_cast<const char*>(encoded.data()), static_cast<std::size_t>(size));
  }
  return key;
}

}  // namespace name_key_detail

HIGHSEAS_INLINE std::string name_key(std::string_view name) {
  if (name_key_detail::is_ascii(name)) return name_key_detail::ascii_key(name);
  if (!detail::is_valid_utf8(name)) return {};
  return name_key_detail::unicode_key(name);
}

}  // namespace highseas
