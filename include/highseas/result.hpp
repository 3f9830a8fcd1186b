/// @file
/// Result<T> and Refusal: how a PublicPool command says "no".
///
/// A business refusal (not permitted, cap reached, cooldown, bad argument...) is
/// a value with a stable code and a human message, never an exception. A refused
/// command changed nothing. Exceptions are reserved for broken storage and
/// programmer errors (e.g. calling value() on a refusal).
///
/// Thread-safety: plain values; safe to copy between threads.
#pragma once

#include <array>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "highseas/detail/enum_names.hpp"
#include "highseas/detail/exceptions_required.hpp"  // a clear error under -fno-exceptions
#include "highseas/time.hpp"

namespace highseas {

/// Why a command was refused. The names are stable: hosts may store and match
/// them (see to_string), so values are only ever added, never renamed.
enum class RefusalCode {
  not_permitted,     ///< the actor's role does not allow the action
  not_a_member,      ///< the actor (or assignee) is not a member of the pool
  pool_disabled,     ///< the pool feature is switched off
  unknown_pool,      ///< the pool was never created
  pool_exists,       ///< create() on a pool that already exists
  unknown_customer,  ///< no customer with that id is known to the pool
  not_in_pool,       ///< the customer is a regular customer, not in the pool
  already_in_pool,   ///< the customer is already a pool customer
  already_held,      ///< the customer is held (claim/assign need an available one)
  held_by_other,     ///< the customer is held by someone other than the actor
  not_held,          ///< the customer is not held (release/extend/win need a holding)
  cap_reached,       ///< the user already holds max_holdings customers
  cooldown,          ///< the user gave this customer back too recently
  extension_limit,   ///< the holding was already extended max_extensions times
  deadline_passed,   ///< rules:: on a holding past its deadline (PublicPool sees it returned:
                     ///< not_held)
  invalid_argument,  ///< malformed input: bad id, bad field, nonsense policy
  known_customer,  ///< the id or normalised name is a regular customer's (撞单): move it in instead
  protection_limit,  ///< protection is off, the user has the most protections, or it is protected
  calendar_ends,     ///< business days would be counted into a year the pool's calendar lacks
  daily_limit,       ///< the user already took the most customers allowed today (see retry_after)
};

/// Returns the stable snake_case name of `code`, e.g. "cap_reached".
constexpr std::string_view to_string(RefusalCode code) noexcept {
  switch (code) {
    case RefusalCode::not_permitted:
      return "not_permitted";
    case RefusalCode::not_a_member:
      return "not_a_member";
    case RefusalCode::pool_disabled:
      return "pool_disabled";
    case RefusalCode::unknown_pool:
      return "unknown_pool";
    case RefusalCode::pool_exists:
      return "pool_exists";
    case RefusalCode::unknown_customer:
      return "unknown_customer";
    case RefusalCode::not_in_pool:
      return "not_in_pool";
    case RefusalCode::already_in_pool:
      return "already_in_pool";
    case RefusalCode::already_held:
      return "already_held";
    case RefusalCode::held_by_other:
      return "held_by_other";
    case RefusalCode::not_held:
      return "not_held";
    case RefusalCode::cap_reached:
      return "cap_reached";
    case RefusalCode::cooldown:
      return "cooldown";
    case RefusalCode::extension_limit:
      return "extension_limit";
    case RefusalCode::deadline_passed:
      return "deadline_passed";
    case RefusalCode::invalid_argument:
      return "invalid_argument";
    case RefusalCode::known_customer:
      return "known_customer";
    case RefusalCode::protection_limit:
      return "protection_limit";
    case RefusalCode::calendar_ends:
      return "calendar_ends";
    case RefusalCode::daily_limit:
      return "daily_limit";
  }
  return "unknown";
}

/// All refusal codes, in declaration order.
inline constexpr std::array<RefusalCode, 20> kAllRefusalCodes{
    RefusalCode::not_permitted,    RefusalCode::not_a_member,    RefusalCode::pool_disabled,
    RefusalCode::unknown_pool,     RefusalCode::pool_exists,     RefusalCode::unknown_customer,
    RefusalCode::not_in_pool,      RefusalCode::already_in_pool, RefusalCode::already_held,
    RefusalCode::held_by_other,    RefusalCode::not_held,        RefusalCode::cap_reached,
    RefusalCode::cooldown,         RefusalCode::extension_limit, RefusalCode::deadline_passed,
    RefusalCode::invalid_argument, RefusalCode::known_customer,  RefusalCode::protection_limit,
    RefusalCode::calendar_ends,    RefusalCode::daily_limit};
static_assert(detail::is_enum_table(kAllRefusalCodes), "every RefusalCode needs its name");

/// Returns the code named `name` (as printed by to_string), or nothing.
constexpr std::optional<RefusalCode> refusal_code_from_string(std::string_view name) noexcept {
  return detail::enum_from_string(name, kAllRefusalCodes);
}

/// Prints the name of `code`.
inline std::ostream& operator<<(std::ostream& out, RefusalCode code) {
  return out << to_string(code);
}

/// A refused command: a stable code and a message for humans.
struct Refusal {
  /// Why, as a stable code.
  RefusalCode code;
  /// Why, for humans.
  std::string message;
  /// When the same command could succeed, for a refusal that only time
  /// lifts: cooldown (the wait's end), daily_limit (the pool's next local
  /// midnight). None for every other refusal.
  std::optional<Time> retry_after = std::nullopt;

  /// Returns "code: message", for logs and CLIs.
  std::string to_string() const { return std::string(highseas::to_string(code)) + ": " + message; }
  /// Field-by-field equality.
  friend bool operator==(const Refusal&, const Refusal&) = default;
};

/// Prints "code: message" (Refusal::to_string), so test failures show it.
inline std::ostream& operator<<(std::ostream& out, const Refusal& refusal) {
  return out << refusal.to_string();
}

/// Thrown by Result::value() on a refusal: reading a value that is not there is
/// a programmer error.
class BadResultAccess : public std::logic_error {
 public:
  /// An access to the value of a result refused with `refusal`.
  explicit BadResultAccess(const Refusal& refusal)
      : std::logic_error("value() on a refused result: " + refusal.to_string()) {}
};

/// Either a T (the command succeeded) or a Refusal.
template <class T>
class [[nodiscard]] Result {
 public:
  /// A successful result holding a copy of `value`.
  Result(const T& value) : state_(std::in_place_index<0>, value) {}  // NOLINT: implicit by design
  /// A successful result holding `value`, moved in once (commands return large values).
  Result(T&& value)  // NOLINT: implicit by design
      : state_(std::in_place_index<0>, std::move(value)) {}
  /// A refused result.
  Result(Refusal refusal) : state_(std::in_place_index<1>, std::move(refusal)) {}

  /// Returns true iff the command succeeded.
  bool ok() const noexcept { return state_.index() == 0; }
  /// Returns ok().
  explicit operator bool() const noexcept { return ok(); }

  /// Returns the value. REQUIRES: ok(); throws BadResultAccess otherwise.
  const T& value() const& {
    if (!ok()) throw BadResultAccess(std::get<1>(state_));
    return std::get<0>(state_);
  }
  /// Returns the value. REQUIRES: ok(); throws BadResultAccess otherwise.
  T& value() & {
    if (!ok()) throw BadResultAccess(std::get<1>(state_));
    return std::get<0>(state_);
  }
  /// Moves the value out. REQUIRES: ok(); throws BadResultAccess otherwise.
  T&& value() && {
    if (!ok()) throw BadResultAccess(std::get<1>(state_));
    return std::get<0>(std::move(state_));
  }
  /// Returns a pointer to the value. REQUIRES: ok().
  const T* operator->() const { return &value(); }
  /// Returns the value. REQUIRES: ok().
  const T& operator*() const& { return value(); }

  /// Returns the value, or `fallback` when the command was refused.
  template <class U>
  T value_or(U&& fallback) const& {
    return ok() ? std::get<0>(state_) : static_cast<T>(std::forward<U>(fallback));
  }

  /// Returns the refusal. REQUIRES: !ok().
  const Refusal& refusal() const {
    if (ok()) throw std::logic_error("refusal() on a successful result");
    return std::get<1>(state_);
  }
  /// Returns the refusal code. REQUIRES: !ok().
  RefusalCode code() const { return refusal().code; }

 private:
  std::variant<T, Refusal> state_;
};

/// The success value of a command that returns nothing else.
struct Done {
  /// Field-by-field equality.
  friend bool operator==(Done, Done) = default;
};

/// Builds a Refusal; keeps call sites to one line.
inline Refusal refuse(RefusalCode code, std::string message) {
  return Refusal{code, std::move(message)};
}

/// Builds a Refusal that time lifts: the command may succeed from `retry_after`.
inline Refusal refuse_until(RefusalCode code, std::string message, Time retry_after) {
  return Refusal{code, std::move(message), retry_after};
}

}  // namespace highseas
