// Strong id types: PoolId, CustomerId, UserId.
//
// Ids are host-chosen strings (the host's own primary keys). Distinct types so a
// customer id can never be passed where a user id is expected. A valid id is
// 1..128 bytes of UTF-8 without control characters; PublicPool refuses any
// other with `invalid_argument`, so constructing an invalid id is allowed and
// harmless.
//
// Thread-safety: plain values.
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

// The longest id, in bytes.
inline constexpr std::size_t kMaxIdBytes = 128;

// Returns true iff `text` is usable as an id: 1..128 bytes, valid UTF-8, no
// control characters.
constexpr bool is_valid_id(std::string_view text) noexcept {
  if (text.empty() || text.size() > kMaxIdBytes) return false;
  if (detail::is_printable_ascii(text)) return true;
  return detail::is_valid_utf8(text) && !detail::has_control_character(text);
}

// A string id tagged with what it identifies.
template <class Tag>
class BasicId {
 public:
  BasicId() = default;
  explicit BasicId(std::string value) : value_(std::move(value)) {}
  explicit BasicId(std::string_view value) : value_(value) {}
  explicit BasicId(const char* value) : value_(value) {}

  // Returns the host's string.
  const std::string& str() const noexcept { return value_; }
  // Returns true iff the id is well-formed (see is_valid_id).
  bool valid() const noexcept { return is_valid_id(value_); }

  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
  friend auto operator<=>(const BasicId&, const BasicId&) = default;
  friend bool operator==(const BasicId&, const BasicId&) = default;
  friend std::ostream& operator<<(std::ostream& out, const BasicId& id) { return out << id.value_; }

 private:
  std::string value_;
};

struct PoolIdTag {};
struct CustomerIdTag {};
struct UserIdTag {};

using PoolId = BasicId<PoolIdTag>;
using CustomerId = BasicId<CustomerIdTag>;
using UserId = BasicId<UserIdTag>;

}  // namespace highseas

template <class Tag>
struct std::hash<highseas::BasicId<Tag>> {
  std::size_t operator()(const highseas::BasicId<Tag>& id) const noexcept {
    return std::hash<std::string>{}(id.str());
  }
};
