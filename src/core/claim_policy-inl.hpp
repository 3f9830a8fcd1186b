// ClaimPolicy's out-of-line decisions. Compiled into HighSeas::highseas by
// claim_policy.cpp; included by claim_policy.hpp in header-only mode.
#pragma once

#include <algorithm>
#include <string>
#include <utility>

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
  for (const auto& [cooldown, name] :
       {std::pair{reclaim_cooldown, "reclaim_cooldown"}, {release_cooldown, "release_cooldown"}}) {
    if (cooldown.is_special() || cooldown.is_negative() || cooldown > longest()) {
      return invalid(std::string(name) + " must be between 0 and 10 years");
    }
  }
  if (daily_limit.per_day && *daily_limit.per_day > kLargestCount) {
    return invalid("daily_limit must be at most 1000000");
  }
  for (std::size_t i = 0; i < daily_limit.levels.size(); ++i) {
    const LevelLimit& level = daily_limit.levels[i];
    if (!detail::is_level_name(level.level)) {
      return invalid("daily_limit level '" + level.level +
                     "' must be 1 to 16 bytes without spaces, '=', ',' or '/'");
    }
    if (level.per_day > kLargestCount) {
      return invalid("daily_limit of level " + level.level + " must be at most 1000000");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (daily_limit.levels[j].level == level.level) {
        return invalid("daily_limit level '" + level.level + "' has two limits");
      }
    }
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
  if (const std::optional<Time> end = cooldown_end(customer, taker, now)) {
    return refuse_until(
        RefusalCode::cooldown,
        "this user gave the customer back recently and may take it again from " + to_iso8601(*end),
        *end);
  }
  if (holdings_of_taker >= max_holdings) {
    return refuse(RefusalCode::cap_reached, "the user already holds " +
                                                std::to_string(holdings_of_taker) + " of at most " +
                                                std::to_string(max_holdings));
  }
  return std::nullopt;
}

HIGHSEAS_INLINE std::optional<Time> ClaimPolicy::cooldown_end(const CustomerRecord& customer,
                                                              const UserId& user, Time now) {
  std::optional<Time> end;
  for (const Cooldown& cooldown : customer.cooldowns) {
    if (cooldown.user == user && now < cooldown.until && (!end || *end < cooldown.until)) {
      end = cooldown.until;
    }
  }
  return end;
}

HIGHSEAS_INLINE std::optional<Refusal> ClaimPolicy::may_take_today(const DailyTakes& takes,
                                                                   LocalDate today,
                                                                   std::string_view level,
                                                                   bool assignment,
                                                                   Time next_day) const {
  if (assignment && !daily_limit.assignments_count) return std::nullopt;
  const bool same_day = !takes.day.is_special() && takes.day == today;
  const auto refusal = [&](std::uint32_t taken, std::uint32_t limit, const std::string& what) {
    return refuse_until(RefusalCode::daily_limit,
                        "the user took " + std::to_string(taken) + what + " today, at most " +
                            std::to_string(limit) + " a day; the next day starts " +
                            to_iso8601(next_day),
                        next_day);
  };
  if (daily_limit.per_day) {
    const std::uint32_t taken = same_day ? takes.counted(daily_limit) : 0;
    if (taken >= *daily_limit.per_day) return refusal(taken, *daily_limit.per_day, " customers");
  }
  for (const LevelLimit& limit : daily_limit.levels) {
    if (limit.level != level) continue;
    const std::uint32_t taken = same_day ? takes.counted(daily_limit, level) : 0;
    if (taken >= limit.per_day) {
      return refusal(taken, limit.per_day, " customers of level " + limit.level);
    }
  }
  return std::nullopt;
}

}  // namespace highseas
