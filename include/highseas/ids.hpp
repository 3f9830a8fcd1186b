/// @file
/// Strong id types: PoolId, CustomerId, UserId.
///
/// Ids are host-chosen strings (the host's own primary keys). Distinct types so a
/// customer id can never be passed where a user id is expected. A valid id is
/// 1..128 bytes of UTF-8 without control characters; PublicPool refuses any
/// other with `invalid_argument`, so constructing an invalid id is allowed and
/// harmless.
///
/// Thread-safety: plain values.
#pragma once

#include <compare>
#include <cstddef>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

#include "highseas/detail/utf8.hpp"

namespace highseas {

/// The longest id, in bytes.
inline constexpr std::size_t kMaxIdBytes = 128;

/// Returns true iff `text` is usable as an id: 1..128 bytes, valid UTF-8, no
/// control characters.
constexpr bool is_valid_id(std::string_view text) noexcept {
  if (text.empty() || text.size() > kMaxIdBytes) return false;
  if (detail::is_printable_ascii(text)) return true;
  return detail::is_valid_utf8(text) && !detail::has_control_character(text);
}

/// A string id tagged with what it identifies.
template <class Tag>
class BasicId {
 public:
  BasicId() = default;
  /// An id holding `value`, the host's string (see is_valid_id).
  explicit BasicId(std::string value) : value_(std::move(value)), valid_(is_valid_id(value_)) {}
  /// An id holding a copy of `value`.
  explicit BasicId(std::string_view value) : value_(value), valid_(is_valid_id(value_)) {}
  /// An id holding a copy of `value`, a NUL-terminated string.
  explicit BasicId(const char* value) : value_(value), valid_(is_valid_id(value_)) {}

  /// Returns the host's string.
  const std::string& str() const noexcept { return value_; }
  /// Returns true iff the id is well-formed (see is_valid_id). Checked once,
  /// when the id is made: every command asks, copies keep the answer.
  bool valid() const noexcept { return valid_; }

  /// Orders ids by their strings, byte by byte as unsigned values (UTF-8 ids
  /// therefore sort by code point); a prefix sorts first.
  // Written out, not defaulted: libc++ 14 has no <=> for std::string, which
  // would delete a defaulted one.
  friend std::strong_ordering operator<=>(const BasicId& a, const BasicId& b) noexcept {
    return a.value_.compare(b.value_) <=> 0;
  }
  /// Returns true iff the strings are equal.
  friend bool operator==(const BasicId& a, const BasicId& b) noexcept {
    return a.value_ == b.value_;
  }
  /// Writes the host's string.
  friend std::ostream& operator<<(std::ostream& out, const BasicId& id) { return out << id.value_; }

 private:
  std::string value_;
  bool valid_ = false;  // a function of value_, so comparisons stay by string
};

struct PoolIdTag {};
struct CustomerIdTag {};
struct UserIdTag {};

using PoolId = BasicId<PoolIdTag>;          ///< identifies a pool
using CustomerId = BasicId<CustomerIdTag>;  ///< identifies a customer (the host's key)
using UserId = BasicId<UserIdTag>;          ///< identifies a user (a rep, an admin, a boss)

}  // namespace highseas

// Ids key unordered containers. Left out of the API reference (Doxygen skips it).
/// @cond
template <class Tag>
struct std::hash<highseas::BasicId<Tag>> {
  std::size_t operator()(const highseas::BasicId<Tag>& id) const noexcept {
    return std::hash<std::string>{}(id.str());
  }
};
/// @endcond
