/// @file
/// ISO 3166-1 alpha-2 country codes, for checking a customer's country.
///
/// The table is the 249 officially assigned codes, taken from Debian's
/// iso-codes package (iso_3166-1.json). Foreign-trade teams sort leads by
/// country, so a typo ("UK" for "GB") is refused at import rather than silently
/// creating a country nobody filters on. normalize_country() turns what people
/// type ("br", " BR ", the full-width "ＢＲ" of a Chinese input method) into the
/// spelling the pool stores; it maps no names or other code sets.
///
/// Thread-safety: pure functions over a constant table.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace highseas {

/// Every officially assigned ISO 3166-1 alpha-2 code, sorted.
inline constexpr std::array<std::string_view, 249> kCountryCodes{
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
};

/// Returns true iff `code` is an assigned ISO 3166-1 alpha-2 code (upper case).
constexpr bool is_country_code(std::string_view code) noexcept {
  return code.size() == 2 && std::binary_search(kCountryCodes.begin(), kCountryCodes.end(), code);
}

namespace detail {

/// Returns the ASCII letter that the full-width Latin letter at the start of
/// `text` stands for ("Ｂ" U+FF21..FF3A, "ｒ" U+FF41..FF5A; UTF-8 EF BC A1..BA and
/// EF BD 81..9A), or 0 if `text` does not start with one.
constexpr char full_width_letter(std::string_view text) noexcept {
  if (text.size() < 3 || static_cast<unsigned char>(text[0]) != 0xEF) return 0;
  const auto lead = static_cast<unsigned char>(text[1]);
  const auto last = static_cast<unsigned char>(text[2]);
  if (lead == 0xBC && last >= 0xA1 && last <= 0xBA) return static_cast<char>('A' + (last - 0xA1));
  if (lead == 0xBD && last >= 0x81 && last <= 0x9A) return static_cast<char>('a' + (last - 0x81));
  return 0;
}

constexpr bool is_ascii_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

}  // namespace detail

/// Returns `text` as the pool stores a country: full-width letters and the
/// ideographic space (U+3000) folded to ASCII, surrounding white space removed,
/// ASCII letters upper-cased: "br", " Br ", "ＢＲ" -> "BR". Any other byte is
/// kept, so a bad entry still shows in the refusal it gets. Does not check the
/// result (see is_country_code) and maps no names or other codes: "Brazil",
/// "BRA" and "UK" stay refused.
inline std::string normalize_country(std::string_view text) {
  constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::string_view rest = text.substr(i);
    if (const char letter = detail::full_width_letter(rest); letter != 0) {
      out.push_back(letter);
      i += 3;
    } else if (rest.starts_with(kIdeographicSpace)) {
      out.push_back(' ');
      i += kIdeographicSpace.size();
    } else {
      out.push_back(text[i]);
      ++i;
    }
  }
  std::size_t begin = 0;
  std::size_t end = out.size();
  while (begin < end && detail::is_ascii_space(out[begin])) ++begin;
  while (end > begin && detail::is_ascii_space(out[end - 1])) --end;
  out = out.substr(begin, end - begin);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

}  // namespace highseas
