/// @file
/// Role, Action and RoleGuard: who may do what in a pool.
///
/// RoleGuard is a plain value holding a role x action table. standard() is the
/// product's table (DESIGN.md); hosts may allow or forbid single cells. It only
/// answers questions; PublicPool asks it before every command.
///
/// Thread-safety: a const RoleGuard may be read from many threads.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <ostream>
#include <string_view>

#include "highseas/claim_policy.hpp"
#include "highseas/detail/config.hpp"
#include "highseas/detail/enum_names.hpp"
#include "highseas/result.hpp"

namespace highseas {

/// A member's role in one pool.
enum class Role { boss, pool_admin, pool_user };

/// One value per row of the role table.
enum class Action {
  switch_pool,         ///< turn the pool feature on / off
  set_holding_period,  ///< change the time rules: holding period, extension, cooldown
  set_max_holdings,    ///< change the per-user cap
  assign,              ///< give an available customer to a rep
  claim,               ///< take an available customer for oneself
  extend,              ///< extend a holding
  release_any,         ///< release anyone's holding
  release_own,         ///< release a holding one has
  import_customers,    ///< import new customers into the pool
  move_into_pool,      ///< make a system (regular) customer a pool customer
  move_out_of_pool,    ///< make a pool customer a regular customer
  follow_up,           ///< log a follow-up on a customer one holds
  record_win_any,      ///< record a contract/payment on any holding
  record_win_own,      ///< record a contract/payment on one's own holding
  manage_members,      ///< add, change or remove pool members
  view,                ///< queries
};

/// How many roles there are.
inline constexpr std::size_t kRoleCount = 3;
/// How many actions there are.
inline constexpr std::size_t kActionCount = 16;

/// All roles, for iterating.
inline constexpr std::array<Role, kRoleCount> kAllRoles{Role::boss, Role::pool_admin,
                                                        Role::pool_user};

/// All actions, for iterating.
inline constexpr std::array<Action, kActionCount> kAllActions{Action::switch_pool,
                                                              Action::set_holding_period,
                                                              Action::set_max_holdings,
                                                              Action::assign,
                                                              Action::claim,
                                                              Action::extend,
                                                              Action::release_any,
                                                              Action::release_own,
                                                              Action::import_customers,
                                                              Action::move_into_pool,
                                                              Action::move_out_of_pool,
                                                              Action::follow_up,
                                                              Action::record_win_any,
                                                              Action::record_win_own,
                                                              Action::manage_members,
                                                              Action::view};

/// Returns the stable name of `role`: "boss", "pool_admin", "pool_user".
constexpr std::string_view to_string(Role role) noexcept {
  switch (role) {
    case Role::boss:
      return "boss";
    case Role::pool_admin:
      return "pool_admin";
    case Role::pool_user:
      return "pool_user";
  }
  return "unknown";
}

static_assert(detail::is_enum_table(kAllRoles), "every Role needs its name");

/// Returns the role named `name` (as printed by to_string), or nothing.
constexpr std::optional<Role> role_from_string(std::string_view name) noexcept {
  return detail::enum_from_string(name, kAllRoles);
}

/// Prints the name of `role`.
inline std::ostream& operator<<(std::ostream& out, Role role) { return out << to_string(role); }

/// Returns the stable snake_case name of `action`.
constexpr std::string_view to_string(Action action) noexcept {
  switch (action) {
    case Action::switch_pool:
      return "switch_pool";
    case Action::set_holding_period:
      return "set_holding_period";
    case Action::set_max_holdings:
      return "set_max_holdings";
    case Action::assign:
      return "assign";
    case Action::claim:
      return "claim";
    case Action::extend:
      return "extend";
    case Action::release_any:
      return "release_any";
    case Action::release_own:
      return "release_own";
    case Action::import_customers:
      return "import_customers";
    case Action::move_into_pool:
      return "move_into_pool";
    case Action::move_out_of_pool:
      return "move_out_of_pool";
    case Action::follow_up:
      return "follow_up";
    case Action::record_win_any:
      return "record_win_any";
    case Action::record_win_own:
      return "record_win_own";
    case Action::manage_members:
      return "manage_members";
    case Action::view:
      return "view";
  }
  return "unknown";
}
static_assert(detail::is_enum_table(kAllActions), "every Action needs its name");

/// Returns the action named `name` (as printed by to_string), or nothing.
constexpr std::optional<Action> action_from_string(std::string_view name) noexcept {
  return detail::enum_from_string(name, kAllActions);
}

/// Prints the name of `action`.
inline std::ostream& operator<<(std::ostream& out, Action action) {
  return out << to_string(action);
}

/// A role x action permission table.
class RoleGuard {
 public:
  /// A guard that permits nothing.
  constexpr RoleGuard() = default;

  /// Returns the product's table from DESIGN.md.
  static constexpr RoleGuard standard() {
    RoleGuard guard;
    for (const Action action : kAllActions) guard.allow(Role::boss, action);
    for (const Action action : kAllActions) {
      if (action != Action::switch_pool && action != Action::set_holding_period &&
          action != Action::set_max_holdings && action != Action::manage_members) {
        guard.allow(Role::pool_admin, action);
      }
    }
    for (const Action action : {Action::claim, Action::release_own, Action::follow_up,
                                Action::record_win_own, Action::view}) {
      guard.allow(Role::pool_user, action);
    }
    return guard;
  }

  /// Permits `action` to `role`; returns *this for chaining.
  constexpr RoleGuard& allow(Role role, Action action) {
    table_[index(role, action)] = true;
    return *this;
  }
  /// Forbids `action` to `role`; returns *this for chaining.
  constexpr RoleGuard& forbid(Role role, Action action) {
    table_[index(role, action)] = false;
    return *this;
  }
  /// Returns true iff `role` may perform `action`.
  constexpr bool permits(Role role, Action action) const { return table_[index(role, action)]; }

  /// Returns nothing if `role` may perform `action`, else a not_permitted
  /// refusal saying so (with `about`, e.g. who holds the customer, appended).
  std::optional<Refusal> check(Role role, Action action, std::string_view about = {}) const;

  /// Returns the action releasing a holding needs: release_own for the holder,
  /// release_any for anyone else.
  static constexpr Action release_action(bool actor_holds) {
    return actor_holds ? Action::release_own : Action::release_any;
  }
  /// Returns the action recording a win needs: record_win_own for the holder,
  /// record_win_any for anyone else.
  static constexpr Action win_action(bool actor_holds) {
    return actor_holds ? Action::record_win_own : Action::record_win_any;
  }

  /// Returns nothing if `role` may change a pool's policy from `before` to
  /// `after`, else not_permitted. The cap needs set_max_holdings, every time
  /// rule set_holding_period; a role with neither is refused even for an
  /// unchanged policy (it has no say over the policy at all).
  std::optional<Refusal> may_change_policy(Role role, const ClaimPolicy& before,
                                           const ClaimPolicy& after) const;

  /// Field-by-field equality.
  friend constexpr bool operator==(const RoleGuard&, const RoleGuard&) = default;

 private:
  static constexpr std::size_t index(Role role, Action action) {
    return static_cast<std::size_t>(role) * kActionCount + static_cast<std::size_t>(action);
  }
  std::array<bool, kRoleCount * kActionCount> table_{};
};

}  // namespace highseas

#ifdef HIGHSEAS_HEADER_ONLY
#include "highseas_inl/core/role_guard-inl.hpp"  // IWYU pragma: export
#endif
