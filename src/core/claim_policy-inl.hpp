// ClaimPolicy's out-of-line decisions. Compiled into HighSeas::highseas by
// claim_policy.cpp; included by claim_policy.hpp in header-only mode.
#pragma once

#include <algorithm>
#include <string>

#include "highseas/claim_policy.hpp"
#include "highseas/time_zone.hpp"

namespace highseas {

HIGHSEAS_INLINE std::optional<std::string> ClaimPolicy::span_problem(const Span& span,
                                                                     const std::string& name) {
  if (span.unit() == Span::Unit::business_days) {
    if (span.days() == 0) return name + " must be positive";
    if (span.days() > kMostBusinessDays) {
      return name + " must be at most " + std::to_string(kMostBusinessDays) + " business days";
    }
    return std::nullopt;
  }
  if (span.length().is_special() || span.length() <= Duration(0, 0, 0)) {
    return name + " must be positive";
  }
  if (span.length() > longest()) return name + " must be at most 10 years";
  if (span.length().fractional_seconds() != 0) return name + " must be whole seconds";
  return std::nullopt;
}

namespace detail {

// The least a span can last, for comparing spans of either unit: a business
// day counts as one day (it is at least that long).
inline Duration least_length(const Span& span) {
  if (span.unit() == Span::Unit::business_days) return days(span.days());
  return span.length();
}

inline std::optional<std::string> reminders_problem(const ReturnRule& rule,
                                                    const std::string& name) {
  if (rule.reminders.size() > ReturnRule::kMaxReminders) {
    return name + "reminders: at most " + std::to_string(ReturnRule::kMaxReminders);
  }
  for (std::size_t i = 0; i < rule.reminders.size(); ++i) {
    const Span& before = rule.reminders[i].before;
    const std::string what = name + "reminder " + to_string(before);
    if (auto problem = ClaimPolicy::span_problem(before, what)) return problem;
    if (static_cast<std::size_t>(rule.reminders[i].audience) >= kAllReminderAudiences.size()) {
      return what + " has no such audience";
    }
    // One that long would be due the moment a holding starts.
    if (least_length(before) >= least_length(rule.holding_period)) {
      return what + " must be shorter than the holding period " + to_string(rule.holding_period);
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (rule.reminders[j].before == before) return what + " is given twice";
    }
  }
  return std::nullopt;
}

inline std::optional<std::string> rule_problem(const ReturnRule& rule, const std::string& name) {
  if (auto problem = ClaimPolicy::span_problem(rule.holding_period, name + "holding_period"))
    return problem;
  if (rule.idle_limit) {
    if (auto problem = ClaimPolicy::span_problem(*rule.idle_limit, name + "idle_limit"))
      return problem;
  }
  return reminders_problem(rule, name);
}

// A level must be writable as text ("A=60d/14d,B=30d"): no separators.
inline bool is_level_name(std::string_view level) {
  if (level.empty() || level.size() > 16) return false;
  // std::none_of, not std::ranges::none_of: libc++ 14 has no ranges algorithms.
  return std::none_of(level.begin(), level.end(), [](const char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte <= ' ' || byte == 0x7f || c == '=' || c == ',' || c == '/';
  });
}

}  // namespace detail

HIGHSEAS_INLINE Result<Done> ClaimPolicy::validate() const {
  auto invalid = [](std::string text) {
    return refuse(RefusalCode::invalid_argument, std::move(text));
  };
  if (auto problem = detail::rule_problem(default_rule, "")) return invalid(*problem);
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const LevelRule& level = levels[i];
    if (!detail::is_level_name(level.level)) {
      return invalid("level '" + level.level +
                     "' must be 1 to 16 bytes without spaces, '=', ',' or '/'");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (levels[j].level == level.level)
        return invalid("level '" + level.level + "' has two rules");
    }
    if (auto problem = detail::rule_problem(level.rule, "level " + level.level + ": ")) {
      return invalid(*problem);
    }
  }
  if (protection.max_per_user > kLargestCount) {
    return invalid("protection max_per_user must be at most 1000000");
  }
  if (auto problem = span_problem(protection.longest, "protection longest")) {
    return invalid(*problem);
  }
  if (auto problem = span_problem(extension, "extension")) return invalid(*problem);
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
  if (!TimeZone::named(time_zone)) {
    return invalid("time_zone '" + time_zone +
                   "' is not a zone of the tz database (an IANA name such as Asia/Shanghai)");
  }
  return Done{};
}

HIGHSEAS_INLINE const ReturnRule& ClaimPolicy::rule_for(std::string_view level) const {
  for (const LevelRule& rule : levels) {
    if (rule.level == level) return rule.rule;
  }
  return default_rule;
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
