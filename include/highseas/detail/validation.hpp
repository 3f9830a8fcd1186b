// Field checks for the public API's string inputs. Internal to PublicPool.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "highseas/country.hpp"
#include "highseas/customer.hpp"
#include "highseas/detail/utf8.hpp"
#include "highseas/result.hpp"

namespace highseas::detail {

inline constexpr std::size_t kMaxNameBytes = 256;
inline constexpr std::size_t kMaxLevelBytes = 16;
inline constexpr std::size_t kMaxTagBytes = 64;
inline constexpr std::size_t kMaxTags = 32;
inline constexpr std::size_t kMaxNoteBytes = 4000;

// A problem with one field: which, and why.
struct FieldProblem {
  std::string field;
  std::string reason;
};

// Returns why `text` is not a clean single-line UTF-8 field of 1..max bytes
// (0..max when `may_be_empty`), or nothing when it is.
inline std::optional<std::string> text_problem(std::string_view text, std::size_t max,
                                               bool may_be_empty) {
  if (text.empty() && !may_be_empty) return "must not be empty";
  if (text.size() > max) return "longer than " + std::to_string(max) + " bytes";
  if (!is_valid_utf8(text)) return "not valid UTF-8";
  if (has_control_character(text)) return "contains a control character";
  return std::nullopt;
}

// Returns the first problem with a customer profile, or nothing.
inline std::optional<FieldProblem> profile_problem(const CustomerProfile& profile) {
  if (!profile.id.valid()) {
    return FieldProblem{"id", "must be 1..128 bytes of UTF-8 without control characters"};
  }
  if (auto problem = text_problem(profile.name, kMaxNameBytes, false)) {
    return FieldProblem{"name", *problem};
  }
  if (!profile.country.empty() && !is_country_code(profile.country)) {
    // Built by append: GCC 12 at -O2 warns -Wrestrict (bug 105329) on "'" + std::string.
    std::string reason(1, '\'');
    reason.append(profile.country, 0, 8).append("' is not an ISO 3166-1 alpha-2 code");
    return FieldProblem{"country", std::move(reason)};
  }
  if (auto problem = text_problem(profile.level, kMaxLevelBytes, true)) {
    return FieldProblem{"level", *problem};
  }
  if (profile.tags.size() > kMaxTags) {
    return FieldProblem{"tags", "more than " + std::to_string(kMaxTags) + " tags"};
  }
  for (const std::string& tag : profile.tags) {
    if (auto problem = text_problem(tag, kMaxTagBytes, false)) {
      return FieldProblem{"tags", "tag " + *problem};
    }
  }
  return std::nullopt;
}

// Returns why a follow-up note is unusable, or nothing. Notes may span lines.
inline std::optional<std::string> note_problem(std::string_view note) {
  if (note.size() > kMaxNoteBytes) return "longer than " + std::to_string(kMaxNoteBytes) + " bytes";
  if (!is_valid_utf8(note)) return "not valid UTF-8";
  for (const char c : note) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\n' && c != '\t') || byte == 0x7F) {
      return "contains a control character";
    }
  }
  return std::nullopt;
}

}  // namespace highseas::detail
