// ClaimPolicy: a pool's rules as a value, with pure decisions.
//
// PublicPool stores one ClaimPolicy per pool and asks it every question about
// time and counts: when a holding ends, whether a user may take another
// customer, whether a holding may be extended. Nothing here touches storage,
// clocks or threads, so every rule is testable on its own.
//
// Meaning of changes (applies from the moment set_policy commits):
//  - holding_period: only holdings started afterwards; running deadlines stay.
//  - max_holdings: lowering it keeps existing holdings; the user simply cannot
//    take new ones until under the new cap. 0 means "no new holdings".
//  - extension / max_extensions: the next extension uses the new values.
//  - reclaim_cooldown: only returns and releases from then on.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "highseas/result.hpp"
#include "highseas/time.hpp"

namespace highseas {

// What ClaimPolicy needs to know to decide whether a user may take a customer.
struct TakeContext {
  std::uint32_t holdings_of_taker = 0;  // current holdings of the would-be holder
  bool taker_in_cooldown = false;       // the taker gave this customer back recently
};

struct ClaimPolicy {
  // --- Behaviour ---
  // How long a holding lasts before the customer returns to the pool (自动回归期限).
  // Default: 30 days.
  Duration holding_period = days(30);
  // Most customers one user may hold in the pool, claimed or assigned (最大领取数).
  // Default: 20.
  std::uint32_t max_holdings = 20;
  // Length of one extension (延期), added to the current deadline. Default: 15 days.
  Duration extension = days(15);
  // Most extensions per holding. Default: 2.
  std::uint32_t max_extensions = 2;
  // How long a previous holder may not take a returned or released customer
  // back. Default: 7 days.
  Duration reclaim_cooldown = days(7);

  // The longest any duration may be: anything longer is a typo. 10 years.
  static Duration longest() { return days(3653); }
  // The largest cap or extension count accepted.
  static constexpr std::uint32_t kLargestCount = 1'000'000;

  // Returns Done, or an invalid_argument refusal naming the first bad field.
  Result<Done> validate() const {
    if (holding_period.is_special() || holding_period <= Duration(0, 0, 0)) {
      return refuse(RefusalCode::invalid_argument, "holding_period must be positive");
    }
    if (holding_period > longest()) {
      return refuse(RefusalCode::invalid_argument, "holding_period must be at most 10 years");
    }
    if (extension.is_special() || extension <= Duration(0, 0, 0) || extension > longest()) {
      return refuse(RefusalCode::invalid_argument,
                    "extension must be positive and at most 10 years");
    }
    if (reclaim_cooldown.is_special() || reclaim_cooldown.is_negative() ||
        reclaim_cooldown > longest()) {
      return refuse(RefusalCode::invalid_argument,
                    "reclaim_cooldown must be between 0 and 10 years");
    }
    if (max_holdings > kLargestCount) {
      return refuse(RefusalCode::invalid_argument, "max_holdings must be at most 1000000");
    }
    if (max_extensions > kLargestCount) {
      return refuse(RefusalCode::invalid_argument, "max_extensions must be at most 1000000");
    }
    return Done{};
  }

  // Returns the deadline of a holding that starts at `start`.
  Time deadline_for(Time start) const { return start + holding_period; }

  // Returns nothing if the user may take one more customer, else why not
  // (cooldown before cap_reached: a user in cooldown learns the lasting reason).
  std::optional<Refusal> may_take(const TakeContext& context) const {
    if (context.taker_in_cooldown) {
      return refuse(RefusalCode::cooldown, "this user returned the customer too recently");
    }
    if (context.holdings_of_taker >= max_holdings) {
      return refuse(RefusalCode::cap_reached, "the user already holds " +
                                                  std::to_string(context.holdings_of_taker) +
                                                  " of at most " + std::to_string(max_holdings));
    }
    return std::nullopt;
  }

  // Returns true iff a holding already extended `extensions_used` times may be
  // extended again.
  bool may_extend(std::uint32_t extensions_used) const { return extensions_used < max_extensions; }

  // Returns the deadline after one extension of `current`.
  Time extended_deadline(Time current) const { return current + extension; }

  // Returns when the cooldown of a customer given back at `given_back` ends.
  Time cooldown_until(Time given_back) const { return given_back + reclaim_cooldown; }

  // Returns true iff a holding with `deadline` is due at `now` (at or after it).
  static bool is_due(Time deadline, Time now) { return deadline <= now; }

  friend bool operator==(const ClaimPolicy&, const ClaimPolicy&) = default;
};

}  // namespace highseas
