/// @file
/// Return rules: when a holding ends and why.
///
/// A holding ends at the earliest of its clocks: the holding period (plus
/// extensions) since it began, and, where the rule has one, the idle limit
/// since the later of its start and its last follow-up. A protected holding
/// does not end before its protection does. The rules differ per customer
/// level (A: 60 days, idle 14; B: 30 days, idle 10), with an explicit rule
/// for customers with no level or a level the policy does not list.
///
/// Thread-safety: plain values and pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "highseas/detail/config.hpp"
#include "highseas/detail/enum_names.hpp"
#include "highseas/span.hpp"
#include "highseas/time.hpp"

namespace highseas {

/// Who hears a reminder. Each audience includes the one before it, so a list
/// of reminders escalates: the rep first, then their admins, then the boss.
enum class ReminderAudience : std::uint8_t {
  holder,  ///< the holder only
  admins,  ///< the holder and the pool's admins
  boss,    ///< the holder, the pool's admins and its bosses
};

/// Returns the stable name of `audience`: "holder", "admins", "boss".
constexpr std::string_view to_string(ReminderAudience audience) noexcept {
  switch (audience) {
    case ReminderAudience::holder:
      return "holder";
    case ReminderAudience::admins:
      return "admins";
    case ReminderAudience::boss:
      return "boss";
  }
  return "unknown";
}

/// All reminder audiences, in declaration order (each wider than the one before).
inline constexpr std::array<ReminderAudience, 3> kAllReminderAudiences{
    ReminderAudience::holder, ReminderAudience::admins, ReminderAudience::boss};
static_assert(detail::is_enum_table(kAllReminderAudiences),
              "every ReminderAudience needs its name");

/// Returns the audience named `name` (as printed by to_string), or nothing.
constexpr std::optional<ReminderAudience> reminder_audience_from_string(
    std::string_view name) noexcept {
  return detail::enum_from_string(name, kAllReminderAudiences);
}

/// Prints the name of `audience`.
inline std::ostream& operator<<(std::ostream& out, ReminderAudience audience) {
  return out << to_string(audience);
}

/// A warning before a holding returns: when the time left first drops to
/// `before` (counted in the pool's days, as the at-risk list counts), the
/// audience hears it once (PoolEvents::reminder_due).
struct Reminder {
  /// How long before the deadline, e.g. 3 days or 2 business days. Above zero.
  Span before = Span::time(days(3));
  /// Who hears it.
  ReminderAudience audience = ReminderAudience::holder;

  /// Field-by-field equality.
  friend bool operator==(const Reminder&, const Reminder&) = default;
};

/// How long a holding lasts: a holding period, and optionally an idle limit.
struct ReturnRule {
  /// A 30-day holding period, no idle limit, no reminders.
  ReturnRule() = default;
  /// A rule with these fields: `{days(60), days(14)}` reads "60 days, idle 14".
  ReturnRule(Span period, std::optional<Span> idle = std::nullopt,  // NOLINT(*-explicit-*)
             std::vector<Reminder> warnings = {})
      : holding_period(period), idle_limit(idle), reminders(std::move(warnings)) {}

  /// A holding ends this long after it began, plus its extensions (自动回归期限).
  Span holding_period = Span::time(days(30));
  /// If set, a holding also ends when nobody logged a follow-up for this
  /// long, counted from the later of its start and its last follow-up.
  std::optional<Span> idle_limit;
  /// Warnings before a holding under this rule returns, in any order: at most
  /// kMaxReminders, distinct, each shorter than the holding period. A holding
  /// keeps the list it started with (or a policy recompute gave it).
  std::vector<Reminder> reminders;

  /// The most reminders one rule may have.
  static constexpr std::size_t kMaxReminders = 8;

  /// Field-by-field equality.
  friend bool operator==(const ReturnRule&, const ReturnRule&) = default;
};

/// The return rule for the customers of one level (CustomerProfile::level).
struct LevelRule {
  /// The level, exactly as customers carry it, e.g. "A". 1..16 bytes, none of
  /// "=,/" or spaces (so the rule can be written as text).
  std::string level;
  /// The rule for that level.
  ReturnRule rule;

  /// Field-by-field equality.
  friend bool operator==(const LevelRule&, const LevelRule&) = default;
};

/// Protection (锁定/保护): a protected holding does not return while protected.
struct ProtectionRule {
  /// Most protected holdings per user; 0 turns protection off. Default 0.
  std::uint32_t max_per_user = 0;
  /// Longest one protection may last. Default 30 days.
  Span longest = Span::time(days(30));

  /// Field-by-field equality.
  friend bool operator==(const ProtectionRule&, const ProtectionRule&) = default;
};

/// Which clock set a holding's deadline.
enum class DeadlineReason : std::uint8_t {
  period,            ///< the holding period (with its extensions) runs out
  idle,              ///< nobody logged a follow-up for the idle limit
  protection_ended,  ///< a protection ends after the other clocks ran out
};

/// Returns the stable name of `reason`: "period", "idle", "protection_ended".
constexpr std::string_view to_string(DeadlineReason reason) noexcept {
  switch (reason) {
    case DeadlineReason::period:
      return "period";
    case DeadlineReason::idle:
      return "idle";
    case DeadlineReason::protection_ended:
      return "protection_ended";
  }
  return "unknown";
}

/// All deadline reasons, in declaration order.
inline constexpr std::array<DeadlineReason, 3> kAllDeadlineReasons{
    DeadlineReason::period, DeadlineReason::idle, DeadlineReason::protection_ended};
static_assert(detail::is_enum_table(kAllDeadlineReasons), "every DeadlineReason needs its name");

/// Returns the reason named `name` (as printed by to_string), or nothing.
constexpr std::optional<DeadlineReason> deadline_reason_from_string(
    std::string_view name) noexcept {
  return detail::enum_from_string(name, kAllDeadlineReasons);
}

/// Prints the name of `reason`.
inline std::ostream& operator<<(std::ostream& out, DeadlineReason reason) {
  return out << to_string(reason);
}

/// What a policy change does to holdings already running when it commits.
/// Holdings started afterwards always follow the new policy.
enum class RunningHoldings : std::uint8_t {
  /// They keep their deadlines (their rules were fixed when they started).
  keep,
  /// Their clocks are recomputed under the new rules: the period moves by the
  /// difference between the new and the old period (so extensions and paused
  /// time are kept), the idle clock counts the new limit from the later of the
  /// start and the last follow-up (none: the idle clock stops). A deadline may
  /// move earlier, even into the past: then the next sweep returns it.
  recompute,
  /// As recompute, but a deadline never moves earlier than it was: no rep
  /// loses time they were promised.
  never_shorten,
};

/// Returns the stable name of `running`: "keep", "recompute", "never_shorten".
constexpr std::string_view to_string(RunningHoldings running) noexcept {
  switch (running) {
    case RunningHoldings::keep:
      return "keep";
    case RunningHoldings::recompute:
      return "recompute";
    case RunningHoldings::never_shorten:
      return "never_shorten";
  }
  return "unknown";
}

/// All the ways a change treats running holdings, in declaration order.
inline constexpr std::array<RunningHoldings, 3> kAllRunningHoldings{
    RunningHoldings::keep, RunningHoldings::recompute, RunningHoldings::never_shorten};
static_assert(detail::is_enum_table(kAllRunningHoldings), "every RunningHoldings needs its name");

/// Returns the mode named `name` (as printed by to_string), or nothing.
constexpr std::optional<RunningHoldings> running_holdings_from_string(
    std::string_view name) noexcept {
  return detail::enum_from_string(name, kAllRunningHoldings);
}

/// Prints the name of `running`.
inline std::ostream& operator<<(std::ostream& out, RunningHoldings running) {
  return out << to_string(running);
}

/// What a count of business days does when it reaches a year the pool's work
/// calendar does not know (its holidays not yet announced, or not imported).
enum class UnknownYears : std::uint8_t {
  /// Refuse it: a claim, assignment or protection that would count into such
  /// a year is refused with calendar_ends, and a policy or calendar whose
  /// business-day spans from today would is refused when it is set. A
  /// follow-up is never refused for it (it would cost the rep the customer):
  /// its idle clock counts that year by its weekends. The boss imports the
  /// year first; PublicPool::calendar_outlook() says when it is needed.
  refuse,
  /// Count that year's weekends only, and flag it (Explanation's
  /// HoldingClock::unknown_year): never refused, possibly a few days early.
  weekends_only,
};

/// Returns the stable name of `unknown_years`: "refuse", "weekends_only".
constexpr std::string_view to_string(UnknownYears unknown_years) noexcept {
  switch (unknown_years) {
    case UnknownYears::refuse:
      return "refuse";
    case UnknownYears::weekends_only:
      return "weekends_only";
  }
  return "unknown";
}

/// All the ways to count an unknown year, in declaration order.
inline constexpr std::array<UnknownYears, 2> kAllUnknownYears{UnknownYears::refuse,
                                                              UnknownYears::weekends_only};
static_assert(detail::is_enum_table(kAllUnknownYears), "every UnknownYears needs its name");

/// Returns the setting named `name` (as printed by to_string), or nothing.
constexpr std::optional<UnknownYears> unknown_years_from_string(std::string_view name) noexcept {
  return detail::enum_from_string(name, kAllUnknownYears);
}

/// Prints the name of `unknown_years`.
inline std::ostream& operator<<(std::ostream& out, UnknownYears unknown_years) {
  return out << to_string(unknown_years);
}

/// Returns the reminder as the CLI and the storages write it: "3d:admins".
std::string to_string(const Reminder& reminder);
/// Parses what to_string(Reminder) writes, or returns nothing.
std::optional<Reminder> parse_reminder(std::string_view text);

/// Returns reminders as text: "7d:holder;3d:admins;1d:boss" (empty for none).
std::string to_string(const std::vector<Reminder>& reminders);
/// Parses what to_string(reminders) writes, or returns nothing. Does not
/// validate (ClaimPolicy::validate does).
std::optional<std::vector<Reminder>> parse_reminders(std::string_view text);

/// Returns the rule as the CLI and the storages write it: "30d", "30d/7d"
/// with an idle limit, and "@" and its reminders after either:
/// "30d/7d@7d:holder;1d:boss".
std::string to_string(const ReturnRule& rule);
/// Parses what to_string(ReturnRule) writes, or returns nothing.
std::optional<ReturnRule> parse_return_rule(std::string_view text);

/// Returns the level rules as text: "A=60d/14d,B=30d/10d@3d:holder" (empty
/// for none).
std::string to_string(const std::vector<LevelRule>& levels);
/// Parses what to_string(levels) writes, or returns nothing. Does not
/// validate (ClaimPolicy::validate does).
std::optional<std::vector<LevelRule>> parse_level_rules(std::string_view text);

}  // namespace highseas

#ifdef HIGHSEAS_HEADER_ONLY
#include "highseas_inl/core/return_rules-inl.hpp"  // IWYU pragma: export
#endif
