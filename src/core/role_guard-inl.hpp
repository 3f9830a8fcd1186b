// RoleGuard's out-of-line decisions. Compiled into HighSeas::highseas by
// role_guard.cpp; included by role_guard.hpp in header-only mode.
#pragma once

#include <string>

#include "highseas/role_guard.hpp"

namespace highseas {

HIGHSEAS_INLINE std::optional<Refusal> RoleGuard::check(Role role, Action action,
                                                        std::string_view about) const {
  if (permits(role, action)) return std::nullopt;
  std::string message = "a ";
  message.append(to_string(role)).append(" may not ").append(to_string(action));
  if (!about.empty()) message.append(" (").append(about).append(")");
  return refuse(RefusalCode::not_permitted, std::move(message));
}

HIGHSEAS_INLINE std::optional<Refusal> RoleGuard::may_change_policy(
    Role role, const ClaimPolicy& before, const ClaimPolicy& after) const {
  const bool may_set_cap = permits(role, Action::set_max_holdings);
  const bool may_set_times = permits(role, Action::set_holding_period);
  if (!may_set_cap && !may_set_times) {
    return refuse(RefusalCode::not_permitted, "this role may not change the policy");
  }
  ClaimPolicy without_cap = after;
  without_cap.max_holdings = before.max_holdings;
  if (before.max_holdings != after.max_holdings && !may_set_cap) {
    return refuse(RefusalCode::not_permitted, "this role may not change the per-user cap");
  }
  if (!(without_cap == before) && !may_set_times) {
    return refuse(RefusalCode::not_permitted, "this role may not change the holding period");
  }
  return std::nullopt;
}

}  // namespace highseas
