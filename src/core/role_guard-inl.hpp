// RoleGuard's out-of-line decisions. Compiled into HighSeas::highseas by
// role_guard.cpp; included by role_guard.hpp in header-only mode.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

#include "highseas/role_guard.hpp"

namespace highseas {

namespace detail {

// What an action does, in words for a refusal: "a pool user may not ...".
// The stable names (to_string(Action)) stay for code and logs.
inline std::string_view action_words(Action action) {
  switch (action) {
    case Action::switch_pool:
      return "switch the pool on or off";
    case Action::set_holding_period:
      return "change the holding period, extensions, cooldowns or daily limit";
    case Action::set_max_holdings:
      return "change the per-user cap or the daily limit";
    case Action::assign:
      return "assign customers to reps";
    case Action::claim:
      return "claim customers";
    case Action::extend:
      return "extend a holding";
    case Action::release_any:
      return "release another rep's customer";
    case Action::release_own:
      return "release customers";
    case Action::import_customers:
      return "import customers";
    case Action::move_into_pool:
      return "move customers into the pool";
    case Action::move_out_of_pool:
      return "move customers out of the pool";
    case Action::follow_up:
      return "log follow-ups";
    case Action::record_win_any:
      return "record a win on another rep's customer";
    case Action::record_win_own:
      return "record wins";
    case Action::manage_members:
      return "add, change or remove pool members";
    case Action::view:
      return "view the pool";
    case Action::protect_own:
      return "protect customers";
    case Action::protect_any:
      return "protect another rep's customer";
    case Action::exceed_daily_limit:
      return "take customers beyond the daily limit";
  }
  return "do this";
}

// "pool user" for pool_user.
inline std::string role_words(Role role) {
  std::string words(to_string(role));
  std::replace(words.begin(), words.end(), '_', ' ');
  return words;
}

}  // namespace detail

HIGHSEAS_INLINE std::optional<Refusal> RoleGuard::check(Role role, Action action,
                                                        std::string_view about) const {
  if (permits(role, action)) return std::nullopt;
  std::string message = "a ";
  message.append(detail::role_words(role)).append(" may not ").append(detail::action_words(action));
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
  // The caps on how many a user takes: the holding cap and the daily limit.
  ClaimPolicy without_cap = after;
  without_cap.max_holdings = before.max_holdings;
  without_cap.daily_limit = before.daily_limit;
  if ((before.max_holdings != after.max_holdings || before.daily_limit != after.daily_limit) &&
      !may_set_cap) {
    return refuse(RefusalCode::not_permitted,
                  "this role may not change the per-user cap or the daily limit");
  }
  if (!(without_cap == before) && !may_set_times) {
    return refuse(RefusalCode::not_permitted,
                  "this role may not change the return rules or other time rules");
  }
  return std::nullopt;
}

}  // namespace highseas
