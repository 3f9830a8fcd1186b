/// @file
/// Role and Action: the rows and columns of the role table (DESIGN.md), with
/// their stable names.
///
/// Thread-safety: plain values and constexpr functions.
#pragma once

#include <array>
#include <optional>
#include <ostream>
#include <string_view>

#include "highseas/detail/enum_names.hpp"

namespace highseas {

/// A member's role in one pool.
enum class Role { boss, pool_admin, pool_user };

/// One value per row of the role table.
enum class Action {
  switch_pool,         ///< turn the pool feature on / off
  set_holding_period,  ///< change the time rules: return rules, protection, extension, cooldown
  set_max_holdings,    ///< change the per-user caps: holdings, daily limit
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
  protect_own,         ///< protect a holding one has from returning, or lift that
  protect_any,         ///< protect anyone's holding, or lift that
  exceed_daily_limit,  ///< take customers beyond the pool's daily limit (an exemption)
};

/// How many roles there are.
inline constexpr std::size_t kRoleCount = 3;
/// How many actions there are.
inline constexpr std::size_t kActionCount = 19;

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
                                                              Action::view,
                                                              Action::protect_own,
                                                              Action::protect_any,
                                                              Action::exceed_daily_limit};

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
    case Action::protect_own:
      return "protect_own";
    case Action::protect_any:
      return "protect_any";
    case Action::exceed_daily_limit:
      return "exceed_daily_limit";
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

}  // namespace highseas
