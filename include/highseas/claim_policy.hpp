/// @file
/// ClaimPolicy: a pool's rules as a value, with pure decisions.
///
/// PublicPool stores one ClaimPolicy per pool and asks it every question about
/// time and counts: when a holding ends, whether a user may take another
/// customer, whether a holding may be extended. Nothing here touches storage,
/// clocks or threads, so every rule is testable on its own.
///
/// Meaning of changes (applies from the moment set_policy commits):
///  - default_rule, levels: only holdings started afterwards; running
///    holdings keep the rule they started under.
///  - protection: the next protection uses the new values.
///  - max_holdings: lowering it keeps existing holdings; the user simply cannot
///    take new ones until under the new cap. 0 means "no new holdings".
///  - extension / max_extensions: the next extension uses the new values.
///  - reclaim_cooldown, release_cooldown: only returns and releases from then on.
///  - daily_limit: from the next take; takes made earlier that day count
///    once a limit was set before them (a tally is kept only under a limit).
///  - time_zone: where the team's days begin and end, from then on.
///  - unknown_years: the next business-day count follows it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "highseas/customer.hpp"
#include "highseas/daily_limit.hpp"
#include "highseas/detail/config.hpp"
#include "highseas/ids.hpp"
#include "highseas/result.hpp"
#include "highseas/return_rules.hpp"
#include "highseas/time.hpp"

namespace highseas {

/// A pool's rules as a value: return rules, caps, extensions, protection,
/// cooldowns and the daily limit.
struct ClaimPolicy {
  // --- Behaviour ---
  /// When a holding of a customer with no level, or a level `levels` does not
  /// list, returns to the pool. Default: 30 days, no idle limit.
  ReturnRule default_rule;
  /// The rules of the levels that have their own, e.g. A: 60 days, idle 14.
  /// Each level at most once.
  std::vector<LevelRule> levels;
  /// Whether and how long holders may protect a holding. Default: off.
  ProtectionRule protection;
  /// Most customers one user may hold in the pool, claimed or assigned (最大领取数).
  /// Default: 20.
  std::uint32_t max_holdings = 20;
  /// Length of one extension (延期), counted on from the holding period's
  /// current end in the pool's days: calendar time (whole days end at local
  /// midnight) or business days ("5bd" skips the work calendar's days off).
  /// Default: 15 days.
  Span extension = days(15);
  /// Most extensions per holding. Default: 2.
  std::uint32_t max_extensions = 2;
  /// How long a holder whose customer returned at the deadline may not take
  /// it back, counted from the deadline. Default: 7 days.
  Duration reclaim_cooldown = days(7);
  /// How long a holder who released a customer (or whose holding an admin
  /// released) may not take it back, counted from the release. Default: 7
  /// days; a team that wants early releases rewarded sets it shorter.
  Duration release_cooldown = days(7);
  /// How many customers one user may take per local day (see DailyLimit).
  /// Default: no limit.
  DailyLimit daily_limit;
  /// The IANA time zone the team counts its days in, e.g. "Asia/Shanghai"
  /// (see TimeZone). Default: "UTC". Stored instants stay UTC whatever it is.
  std::string time_zone = "UTC";
  /// What a business-day count does past the years the pool's work calendar
  /// knows. Default: refuse (see UnknownYears).
  UnknownYears unknown_years = UnknownYears::refuse;

  /// The longest any duration may be: anything longer is a typo. 10 years.
  static Duration longest() { return days(3653); }
  /// The longest any span of business days may be: ten years of working days.
  static constexpr std::uint32_t kMostBusinessDays = 2600;
  /// The largest cap or extension count accepted.
  static constexpr std::uint32_t kLargestCount = 1'000'000;

  /// Returns why `span` cannot be a rule's length or a query's window, the
  /// text naming it `name` ("idle_limit must be positive"), or nothing: it
  /// must be above zero, at most longest() or kMostBusinessDays, and whole
  /// seconds (spans are stored as text, which has no fractions). The one
  /// check every span a pool accepts passes.
  static std::optional<std::string> span_problem(const Span& span, const std::string& name);

  /// Returns Done, or an invalid_argument refusal naming the first bad field.
  Result<Done> validate() const;

  /// Returns the rule for customers of `level`: its own if `levels` lists
  /// it, else default_rule (never a guess from a similar level).
  const ReturnRule& rule_for(std::string_view level) const;

  /// Returns nothing if `taker`, who holds `holdings_of_taker` customers, may
  /// take `customer` at `now`, else why not: cooldown (the taker gave it back
  /// too recently; checked first, as the lasting reason; retry_after is its
  /// end) or cap_reached.
  std::optional<Refusal> may_take(const CustomerRecord& customer, const UserId& taker,
                                  std::uint32_t holdings_of_taker, Time now) const;

  /// Returns nothing if a user who took `takes` today may take one more
  /// customer of `level` by `command`, else daily_limit with retry_after
  /// `next_day` (the pool's next local midnight). Takes of an earlier day
  /// than `today` count as none.
  std::optional<Refusal> may_take_today(const DailyTakes& takes, LocalDate today,
                                        std::string_view level, bool assignment,
                                        Time next_day) const;

  /// Returns when `user`'s wait to take `customer` back ends, if it still
  /// runs at `now` (the latest of their cooldowns), else nothing.
  static std::optional<Time> cooldown_end(const CustomerRecord& customer, const UserId& user,
                                          Time now);

  /// Returns true iff `user` gave `customer` back and its cooldown still runs at `now`.
  static bool in_cooldown(const CustomerRecord& customer, const UserId& user, Time now) {
    return cooldown_end(customer, user, now).has_value();
  }

  /// Returns true iff a holding already extended `extensions_used` times may be
  /// extended again.
  bool may_extend(std::uint32_t extensions_used) const { return extensions_used < max_extensions; }

  /// Returns how many more extensions a holding extended `extensions_used` times
  /// may have under this policy (0 once a lowered limit is already exceeded).
  std::uint32_t extensions_left(std::uint32_t extensions_used) const {
    return extensions_used < max_extensions ? max_extensions - extensions_used : 0;
  }

  /// Returns when the cooldown of a customer released at `released` ends.
  Time release_cooldown_until(Time released) const { return released + release_cooldown; }

  /// Returns true iff a holding with `deadline` is due at `now` (at or after it).
  static bool is_due(Time deadline, Time now) { return deadline <= now; }

  /// Field-by-field equality.
  friend bool operator==(const ClaimPolicy&, const ClaimPolicy&) = default;
};

/// Some of a policy's fields, for PublicPool::update_policy: the fields set
/// here change, every other keeps the value it has when the change commits, so
/// two admins changing different fields at once both keep their change.
struct PolicyPatch {
  /// New holding period of the default rule, if it changes.
  std::optional<Span> holding_period;
  /// New idle limit of the default rule, if it changes (a nullopt inside: none).
  std::optional<std::optional<Span>> idle_limit;
  /// New reminders of the default rule, if they change (all of them).
  std::optional<std::vector<Reminder>> reminders;
  /// New level rules, if they change (all of them: the list is one setting).
  std::optional<std::vector<LevelRule>> levels;
  /// New protection rule, if it changes.
  std::optional<ProtectionRule> protection;
  /// New per-user cap, if it changes.
  std::optional<std::uint32_t> max_holdings;
  /// New extension length, if it changes.
  std::optional<Span> extension;
  /// New most extensions per holding, if it changes.
  std::optional<std::uint32_t> max_extensions;
  /// New cooldown after a return, if it changes.
  std::optional<Duration> reclaim_cooldown;
  /// New cooldown after a release, if it changes.
  std::optional<Duration> release_cooldown;
  /// New daily limit, if it changes (all of it).
  std::optional<DailyLimit> daily_limit;
  /// New time zone, if it changes.
  std::optional<std::string> time_zone;
  /// New way to count years the calendar does not know, if it changes.
  std::optional<UnknownYears> unknown_years;

  /// Returns `policy` with this patch's fields applied (not validated).
  ClaimPolicy applied_to(ClaimPolicy policy) const {
    if (holding_period) policy.default_rule.holding_period = *holding_period;
    if (idle_limit) policy.default_rule.idle_limit = *idle_limit;
    if (reminders) policy.default_rule.reminders = *reminders;
    if (levels) policy.levels = *levels;
    if (protection) policy.protection = *protection;
    if (max_holdings) policy.max_holdings = *max_holdings;
    if (extension) policy.extension = *extension;
    if (max_extensions) policy.max_extensions = *max_extensions;
    if (reclaim_cooldown) policy.reclaim_cooldown = *reclaim_cooldown;
    if (release_cooldown) policy.release_cooldown = *release_cooldown;
    if (daily_limit) policy.daily_limit = *daily_limit;
    if (time_zone) policy.time_zone = *time_zone;
    if (unknown_years) policy.unknown_years = *unknown_years;
    return policy;
  }

  /// Field-by-field equality.
  friend bool operator==(const PolicyPatch&, const PolicyPatch&) = default;
};

}  // namespace highseas

#ifdef HIGHSEAS_HEADER_ONLY
#include "highseas_inl/core/claim_policy-inl.hpp"  // IWYU pragma: export
#endif
