/// @file
/// RoleGuard: who may do what in a pool (the roles and actions are roles.hpp).
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
#include <string_view>

#include "highseas/claim_policy.hpp"
#include "highseas/detail/config.hpp"
#include "highseas/result.hpp"
#include "highseas/roles.hpp"

namespace highseas {

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
                                Action::record_win_own, Action::view, Action::protect_own}) {
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

  /// Returns the action protecting a holding (or lifting its protection)
  /// needs: protect_own for the holder, protect_any for anyone else.
  static constexpr Action protect_action(bool actor_holds) {
    return actor_holds ? Action::protect_own : Action::protect_any;
  }

  /// Returns nothing if `role` may change a pool's policy from `before` to
  /// `after`, else not_permitted. The caps (max_holdings, daily_limit) need set_max_holdings, every
  /// time rule set_holding_period; a role with neither is refused even for an unchanged policy (it
  /// has no say over the policy at all).
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
