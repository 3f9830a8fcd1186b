// ClaimPolicy's out-of-line decisions. Compiled into HighSeas::highseas by
// claim_policy.cpp; included by claim_policy.hpp in header-only mode.
#pragma once

#include <string>

#include "highseas/claim_policy.hpp"

namespace highseas {

HIGHSEAS_INLINE Result<Done> ClaimPolicy::validate() const {
  if (holding_period.is_special() || holding_period <= Duration(0, 0, 0)) {
    return refuse(RefusalCode::invalid_argument, "holding_period must be positive");
  }
  if (holding_period > longest()) {
    return refuse(RefusalCode::invalid_argument, "holding_period must be at most 10 years");
  }
  if (extension.is_special() || extension <= Duration(0, 0, 0) || extension > longest()) {
    return refuse(RefusalCode::invalid_argument, "extension must be positive and at most 10 years");
  }
  if (reclaim_cooldown.is_special() || reclaim_cooldown.is_negative() ||
      reclaim_cooldown > longest()) {
    return refuse(RefusalCode::invalid_argument, "reclaim_cooldown must be between 0 and 10 years");
  }
  if (max_holdings > kLargestCount) {
    return refuse(RefusalCode::invalid_argument, "max_holdings must be at most 1000000");
  }
  if (max_extensions > kLargestCount) {
    return refuse(RefusalCode::invalid_argument, "max_extensions must be at most 1000000");
  }
  return Done{};
}

HIGHSEAS_INLINE std::optional<Refusal> ClaimPolicy::may_take(const CustomerRecord& customer,
                                                             const UserId& taker,
                                                             std::uint32_t holdings_of_taker,
                                                             Time now) const {
  if (in_cooldown(customer, taker, now)) {
    return refuse(RefusalCode::cooldown,
                  "this user gave the customer back recently and may take it again from " +
                      to_iso8601(customer.cooldown_until));
  }
  if (holdings_of_taker >= max_holdings) {
    return refuse(RefusalCode::cap_reached, "the user already holds " +
                                                std::to_string(holdings_of_taker) + " of at most " +
                                                std::to_string(max_holdings));
  }
  return std::nullopt;
}

}  // namespace highseas
