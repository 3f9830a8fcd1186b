// The pure decisions (rules.hpp). Compiled into HighSeas::highseas by
// rules.cpp; included by rules.hpp in header-only mode.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "highseas/detail/validation.hpp"
#include "highseas/rules.hpp"
#include "highseas_inl/core/due_return-inl.hpp"

namespace highseas::rules {

namespace detail {

inline Refusal no_customer(const CustomerId& id) {
  return refuse(RefusalCode::unknown_customer, "no customer '" + id.str() + "'");
}

inline Refusal regular_customer(const CustomerId& id) {
  return refuse(RefusalCode::not_in_pool, "'" + id.str() + "' is a regular customer");
}

// Returns the refusal for a customer that is not where a holding command
// needs it, or nothing if it is held.
inline std::optional<Refusal> not_a_holding(const std::optional<CustomerRecord>& record,
                                            const CustomerId& id) {
  if (!record) return no_customer(id);
  if (record->state == CustomerState::regular) return regular_customer(id);
  if (record->state == CustomerState::available) {
    return refuse(RefusalCode::not_held, "'" + id.str() + "' is not held by anyone");
  }
  return std::nullopt;
}

inline Refusal deadline_passed(const CustomerId& id) {
  return refuse(RefusalCode::deadline_passed,
                "the holding of '" + id.str() + "' has passed its deadline");
}

inline std::string held_by_text(const CustomerId& id, const CustomerRecord& record) {
  return "'" + id.str() + "' is held by '" + record.holder->str() + "'";
}

// The record of a customer that left the pool; the holder, if any, keeps it.
inline CustomerRecord made_regular(const CustomerRecord& before, Time now) {
  CustomerRecord after = before;
  after.state = CustomerState::regular;
  after.since = now;
  highseas::detail::clear_holding(after);
  // A regular customer's owner keeps the last follow-up, as before.
  after.last_follow_up = before.last_follow_up;
  return after;
}

// Drops the cooldowns that ended by `now` and, of a user's running ones,
// all but the latest: each user's wait is the latest end listed for them.
inline void prune_cooldowns(std::vector<Cooldown>& cooldowns, Time now) {
  if (cooldowns.empty()) return;
  std::vector<Cooldown> kept;
  for (const Cooldown& cooldown : cooldowns) {
    if (!(now < cooldown.until)) continue;
    auto same = std::find_if(kept.begin(), kept.end(),
                             [&](const Cooldown& other) { return other.user == cooldown.user; });
    if (same == kept.end()) {
      kept.push_back(cooldown);
    } else if (same->until < cooldown.until) {
      same->until = cooldown.until;
    }
  }
  cooldowns = std::move(kept);
}

inline Change change_to(const Situation& situation, HistoryKind kind, const CustomerRecord& before,
                        CustomerRecord after, std::string note = {}) {
  // Built in place and returned by NRVO: every command pays for this.
  Change change{std::move(after), HistoryEntry{}};
  HistoryEntry& entry = change.entry;
  entry.at = situation.now;
  entry.kind = kind;
  entry.actor = situation.actor;
  entry.holder_before = before.holder;
  entry.holder_after = change.after.holder;
  entry.deadline = change.after.deadline;
  if (change.after.state == CustomerState::held) {
    entry.deadline_reason = change.after.deadline_reason;
    entry.policy_version = change.after.policy_version;
    // Every change that leaves a holding re-arms its reminders for the
    // deadline it leaves: one place, so no command can forget it.
    if (!change.after.reminders.empty() || !change.after.reminder_due.is_special()) {
      arm_reminders(team_calendar(situation), change.after,
                    countdown_now(situation.pool, situation.now),
                    before.state != CustomerState::held);
    }
  }
  // Every change drops the waits that ended, so the list stays as short as
  // the cooldowns still running (one place, as for reminders).
  prune_cooldowns(change.after.cooldowns, situation.now);
  entry.note = std::move(note);
  return change;
}

}  // namespace detail

HIGHSEAS_INLINE const TeamCalendar& team_calendar(const Situation& situation) {
  static const TeamCalendar utc_weekends;
  return situation.days ? *situation.days : utc_weekends;
}

HIGHSEAS_INLINE Time end_of(const Situation& situation, Time start, const Span& span) {
  return team_calendar(situation).after(start, span).end;
}

namespace detail {

// `from` says where the count starts, e.g. "today" or "the deadline".
inline Refusal calendar_ends(const Span& span, int year, std::string_view from = "today") {
  return refuse(RefusalCode::calendar_ends,
                "counting " + to_string(span) + " from " + std::string(from) + " runs into " +
                    std::to_string(year) +
                    ", which the pool's work calendar does not know: the boss imports " +
                    std::to_string(year) + "'s holidays first (or lets the policy count " +
                    "unknown years by weekends only)");
}

// Where `span` from `start` ends, unless it counts business days into a year
// the calendar does not know and the policy refuses to guess that year.
// `from` names the start for that refusal.
inline Result<Time> counted_end(const Situation& situation, Time start, const Span& span,
                                std::string_view from = "today") {
  const BusinessDayCount count = team_calendar(situation).after(start, span);
  if (count.unknown_year && situation.pool.policy.unknown_years == UnknownYears::refuse) {
    return calendar_ends(span, *count.unknown_year, from);
  }
  return count.end;
}

}  // namespace detail

HIGHSEAS_INLINE void settle_deadline(CustomerRecord& holding) {
  holding.deadline = holding.period_deadline;
  holding.deadline_reason = DeadlineReason::period;
  if (!holding.idle_deadline.is_special() && holding.idle_deadline < holding.deadline) {
    holding.deadline = holding.idle_deadline;
    holding.deadline_reason = DeadlineReason::idle;
  }
  if (!holding.protected_until.is_special() && holding.protected_until >= holding.deadline) {
    holding.deadline = holding.protected_until;
    holding.deadline_reason = DeadlineReason::protection_ended;
  }
}

HIGHSEAS_INLINE bool works_while_off(Command command) {
  switch (command) {
    case Command::import_customers:
    case Command::move_into_pool:
    case Command::claim:
    case Command::assign:
    case Command::extend:
    case Command::protect:
      return false;
    default:
      return true;
  }
}

HIGHSEAS_INLINE std::optional<Refusal> check_switched_on(const PoolRecord& pool, Command command) {
  if (pool.enabled || works_while_off(command)) return std::nullopt;
  return refuse(RefusalCode::pool_disabled, "the pool is switched off");
}

HIGHSEAS_INLINE Time countdown_now(const PoolRecord& pool, Time now) {
  return pool.enabled ? now : pool.paused_since;
}

HIGHSEAS_INLINE bool is_due(const PoolRecord& pool, Time deadline, Time now) {
  return ClaimPolicy::is_due(deadline, countdown_now(pool, now));
}

HIGHSEAS_INLINE std::optional<Refusal> check_member_change(const UserId& user,
                                                           std::optional<Role> before,
                                                           std::optional<Role> after,
                                                           std::size_t bosses) {
  if (!before && !after) {
    return refuse(RefusalCode::not_a_member, "'" + user.str() + "' is not a member");
  }
  if (before == Role::boss && after != Role::boss && bosses <= 1) {
    return refuse(RefusalCode::invalid_argument, "the pool must keep at least one boss");
  }
  return std::nullopt;
}

HIGHSEAS_INLINE Switch switch_pool(const PoolRecord& pool, bool enabled, Time now) {
  Switch result{pool, Duration(0, 0, 0)};
  if (pool.enabled == enabled) return result;
  if (enabled) {
    // Resume: every holding gets back exactly the time it had when paused.
    const Duration paused_for = now - pool.paused_since;
    if (paused_for > Duration(0, 0, 0)) result.shift_deadlines_by = paused_for;
    result.pool.paused_since = Time();
  } else {
    result.pool.paused_since = now;
  }
  result.pool.enabled = enabled;
  return result;
}

namespace detail {

// Where each of `holding`'s reminders falls due for its deadline: which have
// come by `now` (a bit each), and the earliest that has not.
struct ReminderTimes {
  std::array<Time, ReturnRule::kMaxReminders> due{};
  std::uint32_t come = 0;
  Time next;
};

inline ReminderTimes reminder_times(const TeamCalendar& days, const CustomerRecord& holding,
                                    Time now) {
  ReminderTimes times;
  // A stored list longer than a policy may give is read as far as it can be.
  const std::size_t count = std::min(holding.reminders.size(), times.due.size());
  for (std::size_t i = 0; i < count; ++i) {
    const Time due = days.before(holding.deadline, holding.reminders[i].before);
    times.due[i] = due;
    if (due <= now) {
      times.come |= std::uint32_t{1} << i;
    } else if (times.next.is_special() || due < times.next) {
      times.next = due;
    }
  }
  return times;
}

}  // namespace detail

HIGHSEAS_INLINE void arm_reminders(const TeamCalendar& days, CustomerRecord& holding, Time now,
                                   bool fresh) {
  if (holding.reminders.empty() || holding.deadline.is_special()) {
    holding.reminders_sent = 0;
    holding.reminder_due = Time();
    return;
  }
  const detail::ReminderTimes times = detail::reminder_times(days, holding, now);
  // Sent stays sent only while its time has still come for this deadline.
  holding.reminders_sent = fresh ? times.come : (holding.reminders_sent & times.come);
  holding.reminder_due = (times.come & ~holding.reminders_sent) != 0 ? now : times.next;
}

HIGHSEAS_INLINE Reminding remind(const Situation& situation, const CustomerRecord& holding) {
  const TeamCalendar& days = team_calendar(situation);
  const Time now = countdown_now(situation.pool, situation.now);
  Reminding out{{holding, HistoryEntry{}}, std::nullopt};
  CustomerRecord& after = out.change.after;
  if (is_due(situation.pool, holding, situation.now)) {
    after.reminder_due = Time();
    return out;
  }
  if (holding.reminders.empty() || holding.deadline.is_special()) {
    arm_reminders(days, after, now, false);
    return out;
  }
  const detail::ReminderTimes times = detail::reminder_times(days, holding, now);
  const std::uint32_t owed = times.come & ~holding.reminders_sent;
  // The most urgent owed (the last to come): a sweep that comes late, after
  // two reminders' times, sends the later one only.
  // Of two that came at once, the one to the wider audience: nobody it
  // names misses the warning.
  std::optional<std::size_t> most_urgent;
  for (std::size_t i = 0; i < times.due.size(); ++i) {
    if ((owed & (std::uint32_t{1} << i)) == 0) continue;
    if (!most_urgent || times.due[i] > times.due[*most_urgent] ||
        (times.due[i] == times.due[*most_urgent] &&
         holding.reminders[i].audience > holding.reminders[*most_urgent].audience)) {
      most_urgent = i;
    }
  }
  if (most_urgent) out.reminder = holding.reminders[*most_urgent];
  after.reminders_sent = holding.reminders_sent | times.come;
  after.reminder_due = times.next;
  if (out.reminder) {
    HistoryEntry& entry = out.change.entry;
    entry.at = situation.now;
    entry.kind = HistoryKind::reminded;
    entry.holder_before = holding.holder;
    entry.holder_after = holding.holder;
    entry.deadline = holding.deadline;
    entry.deadline_reason = holding.deadline_reason;
    entry.policy_version = holding.policy_version;
    entry.note = to_string(*out.reminder);
  }
  return out;
}

HIGHSEAS_INLINE std::vector<UserId> reminder_recipients(std::span<const Member> members,
                                                        const UserId& holder,
                                                        ReminderAudience audience) {
  std::vector<UserId> recipients{holder};
  if (audience == ReminderAudience::holder) return recipients;
  for (const Member& member : members) {
    const bool named = member.role == Role::pool_admin ||
                       (member.role == Role::boss && audience == ReminderAudience::boss);
    if (named && member.user != holder) recipients.push_back(member.user);
  }
  return recipients;
}

HIGHSEAS_INLINE LocalDate local_day(const Situation& situation) {
  return team_calendar(situation).zone().date_at(situation.now);
}

HIGHSEAS_INLINE bool counts_daily(const Situation& situation, Command command, const Taker& taker) {
  const DailyLimit& limit = situation.pool.policy.daily_limit;
  if (!limit.any() || !taker.role) return false;
  if (command == Command::assign && !limit.assignments_count) return false;
  return !situation.guard.permits(*taker.role, Action::exceed_daily_limit);
}

HIGHSEAS_INLINE Result<Change> take(const Situation& situation, Command command,
                                    const CustomerId& id,
                                    const std::optional<CustomerRecord>& before, const Taker& taker,
                                    std::string_view level) {
  if (command == Command::assign && !taker.role) {
    return refuse(RefusalCode::not_a_member, "assignee '" + taker.user.str() + "' is not a member");
  }
  if (!before) return detail::no_customer(id);
  if (before->state == CustomerState::regular) return detail::regular_customer(id);
  if (before->state == CustomerState::held) {
    return refuse(RefusalCode::already_held, detail::held_by_text(id, *before));
  }
  const ClaimPolicy& policy = situation.pool.policy;
  if (auto refusal = policy.may_take(*before, taker.user, taker.holdings, situation.now)) {
    return *refusal;
  }
  if (counts_daily(situation, command, taker)) {
    const LocalDate today = local_day(situation);
    const Time next_day =
        team_calendar(situation).zone().start_of(today + boost::gregorian::days(1));
    if (auto refusal = policy.may_take_today(taker.takes, today, level, command == Command::assign,
                                             next_day)) {
      return *refusal;
    }
  }
  CustomerRecord after = *before;
  after.state = CustomerState::held;
  after.holder = taker.user;
  after.since = situation.now;
  highseas::detail::clear_holding(after);
  const ReturnRule& rule = policy.rule_for(level);
  auto period_end = detail::counted_end(situation, situation.now, rule.holding_period);
  if (!period_end) return period_end.refusal();
  after.period_deadline = *period_end;
  after.period_length = rule.holding_period;
  if (rule.idle_limit) {
    auto idle_end = detail::counted_end(situation, situation.now, *rule.idle_limit);
    if (!idle_end) return idle_end.refusal();
    after.idle_limit = rule.idle_limit;
    after.idle_deadline = *idle_end;
  }
  after.reminders = rule.reminders;
  after.policy_version = situation.pool.policy_version;
  settle_deadline(after);
  const HistoryKind kind = command == Command::claim ? HistoryKind::claimed : HistoryKind::assigned;
  return detail::change_to(situation, kind, *before, std::move(after));
}

HIGHSEAS_INLINE DailyTakes tally_take(const Situation& situation, Command command,
                                      const Taker& taker, std::string_view level) {
  const LocalDate today = local_day(situation);
  DailyTakes takes;
  if (!taker.takes.day.is_special() && taker.takes.day == today) takes = taker.takes;
  takes.day = today;
  const bool assignment = command == Command::assign;
  (assignment ? takes.assignments : takes.claims) += 1;
  // Only a level with a limit of its own is ever counted by level.
  const std::vector<LevelLimit>& limited = situation.pool.policy.daily_limit.levels;
  if (std::none_of(limited.begin(), limited.end(),
                   [&](const LevelLimit& limit) { return limit.level == level; })) {
    return takes;
  }
  auto place = std::lower_bound(
      takes.levels.begin(), takes.levels.end(), level,
      [](const LevelTakes& taken, std::string_view name) { return taken.level < name; });
  if (place == takes.levels.end() || place->level != level) {
    place = takes.levels.insert(place, LevelTakes{std::string(level), 0, 0});
  }
  (assignment ? place->assignments : place->claims) += 1;
  return takes;
}

HIGHSEAS_INLINE Result<Change> release(const Situation& situation, const CustomerId& id,
                                       const std::optional<CustomerRecord>& before) {
  if (auto refusal = detail::not_a_holding(before, id)) return *refusal;
  const Action action = RoleGuard::release_action(before->holder == situation.actor);
  // The refusal's text is built only for a refusal: this runs on every command.
  if (!situation.guard.permits(*situation.role, action)) {
    return *situation.guard.check(*situation.role, action, detail::held_by_text(id, *before));
  }
  const Time cooldown_until = situation.pool.policy.release_cooldown_until(situation.now);
  return detail::change_to(situation, HistoryKind::released, *before,
                           highseas::detail::given_back(*before, situation.now, cooldown_until));
}

HIGHSEAS_INLINE Result<Change> extend(const Situation& situation, const CustomerId& id,
                                      const std::optional<CustomerRecord>& before) {
  if (auto refusal = detail::not_a_holding(before, id)) return *refusal;
  if (is_due(situation.pool, before->deadline, situation.now)) {
    return detail::deadline_passed(id);
  }
  const ClaimPolicy& policy = situation.pool.policy;
  if (!policy.may_extend(before->extensions_used)) {
    const std::uint32_t used = before->extensions_used;
    return refuse(RefusalCode::extension_limit,
                  "'" + id.str() + "' was already extended " + std::to_string(used) +
                      (used == 1 ? " time" : " times") + ", the most the policy allows");
  }
  // Counted on from the period's end, not from today: an extension adds the
  // same selling time whenever the rep asks for it.
  auto extended_end = detail::counted_end(situation, before->period_deadline, policy.extension,
                                          "the holding period's end");
  if (!extended_end) return extended_end.refusal();
  CustomerRecord after = *before;
  after.period_deadline = *extended_end;
  after.extensions_used = before->extensions_used + 1;
  settle_deadline(after);
  return detail::change_to(situation, HistoryKind::extended, *before, std::move(after));
}

HIGHSEAS_INLINE Result<Change> follow_up(const Situation& situation, const CustomerId& id,
                                         const std::optional<CustomerRecord>& before,
                                         std::string_view note) {
  if (auto refusal = detail::not_a_holding(before, id)) return *refusal;
  if (before->holder != situation.actor) {
    return refuse(RefusalCode::held_by_other, detail::held_by_text(id, *before));
  }
  if (is_due(situation.pool, before->deadline, situation.now)) {
    return detail::deadline_passed(id);
  }
  CustomerRecord after = *before;
  after.last_follow_up = situation.now;
  // The idle clock restarts at once: the remaining time a rep sees grows.
  // Never refused for a year the calendar lacks (UnknownYears): that would
  // let the customer go back for want of holidays only the boss can import,
  // so that year counts by its weekends, and explain flags it.
  if (after.idle_limit) after.idle_deadline = end_of(situation, situation.now, *after.idle_limit);
  settle_deadline(after);
  return detail::change_to(situation, HistoryKind::followed_up, *before, std::move(after),
                           std::string(note));
}

HIGHSEAS_INLINE Result<Change> record_win(const Situation& situation, const CustomerId& id,
                                          const std::optional<CustomerRecord>& before,
                                          WinKind kind) {
  if (auto refusal = detail::not_a_holding(before, id)) return *refusal;
  const Action action = RoleGuard::win_action(before->holder == situation.actor);
  // The refusal's text is built only for a refusal: this runs on every command.
  if (!situation.guard.permits(*situation.role, action)) {
    return *situation.guard.check(*situation.role, action, detail::held_by_text(id, *before));
  }
  if (is_due(situation.pool, before->deadline, situation.now)) {
    return detail::deadline_passed(id);
  }
  // The note keeps the kind's name for hosts that read it before `win` existed.
  Change change =
      detail::change_to(situation, HistoryKind::won, *before,
                        detail::made_regular(*before, situation.now), std::string(to_string(kind)));
  change.entry.win = kind;
  return change;
}

namespace detail {

// A deadline a change sets never lies before the change (a clock that ran
// out while protected, or under a shorter new rule): it is then due at once,
// and its return is dated at the change, after it, not before it.
inline void due_no_earlier_than(CustomerRecord& holding, Time countdown) {
  if (holding.deadline < countdown) holding.deadline = countdown;
}

}  // namespace detail

HIGHSEAS_INLINE bool is_protected(const CustomerRecord& holding, Time now) {
  return !holding.protected_until.is_special() && now < holding.protected_until;
}

namespace detail {

// The checks protect and unprotect share: a live holding the actor may protect.
inline std::optional<Refusal> protectable(const Situation& situation, const CustomerId& id,
                                          const std::optional<CustomerRecord>& before) {
  if (auto refusal = not_a_holding(before, id)) return refusal;
  const Action action = RoleGuard::protect_action(before->holder == situation.actor);
  if (!situation.guard.permits(*situation.role, action)) {
    return situation.guard.check(*situation.role, action, held_by_text(id, *before));
  }
  if (is_due(situation.pool, before->deadline, situation.now)) return deadline_passed(id);
  return std::nullopt;
}

}  // namespace detail

HIGHSEAS_INLINE Result<Change> protect(const Situation& situation, const CustomerId& id,
                                       const std::optional<CustomerRecord>& before,
                                       std::uint32_t protections_of_holder,
                                       std::optional<Duration> length) {
  if (auto refusal = detail::protectable(situation, id, before)) return *refusal;
  const ProtectionRule& rule = situation.pool.policy.protection;
  if (rule.max_per_user == 0) {
    return refuse(RefusalCode::protection_limit, "protection is off in this pool");
  }
  // Compared where they end, not by length: the longest may count business days.
  auto longest = detail::counted_end(situation, situation.now, rule.longest);
  if (!longest) return longest.refusal();
  const Time longest_end = *longest;
  const bool length_valid = !length || (!length->is_special() && *length > Duration(0, 0, 0) &&
                                        *length <= ClaimPolicy::longest());
  const Time wanted_end =
      length_valid ? end_of(situation, situation.now, length ? Span(*length) : rule.longest)
                   : Time();
  if (!length_valid || wanted_end > longest_end) {
    return refuse(RefusalCode::invalid_argument,
                  "a protection lasts more than zero and at most " + to_string(rule.longest));
  }
  if (is_protected(*before, situation.now)) {
    return refuse(RefusalCode::protection_limit, "'" + id.str() + "' is already protected until " +
                                                     to_iso8601(before->protected_until) +
                                                     "; it is not renewed");
  }
  if (protections_of_holder >= rule.max_per_user) {
    return refuse(RefusalCode::protection_limit,
                  "'" + before->holder->str() + "' already protects " +
                      std::to_string(protections_of_holder) + " of at most " +
                      std::to_string(rule.max_per_user));
  }
  CustomerRecord after = *before;
  after.protected_until = wanted_end;
  settle_deadline(after);
  return detail::change_to(situation, HistoryKind::protection_set, *before, std::move(after));
}

HIGHSEAS_INLINE Result<Change> unprotect(const Situation& situation, const CustomerId& id,
                                         const std::optional<CustomerRecord>& before) {
  if (auto refusal = detail::protectable(situation, id, before)) return *refusal;
  if (!is_protected(*before, situation.now)) {
    return refuse(RefusalCode::invalid_argument, "'" + id.str() + "' is not protected");
  }
  CustomerRecord after = *before;
  after.protected_until = Time();
  settle_deadline(after);
  // Its other clocks may have run out while it was protected: then it is due
  // now, and returned now, as at any deadline.
  detail::due_no_earlier_than(after, countdown_now(situation.pool, situation.now));
  return detail::change_to(situation, HistoryKind::protection_lifted, *before, std::move(after));
}

namespace detail {

// The clock a business-day count sets, with the days it skipped.
inline HoldingClock counted_clock(const TeamCalendar& days, DeadlineReason reason, Time ends_at,
                                  Time counts_from, const Span& span) {
  HoldingClock clock{reason, ends_at, counts_from, span, 0, {}, std::nullopt};
  if (span.unit() == Span::Unit::business_days && !counts_from.is_special()) {
    clock.unknown_year =
        days.after_business_days(counts_from, span.days(), &clock.skipped).unknown_year;
  }
  return clock;
}

}  // namespace detail

HIGHSEAS_INLINE Explanation explain(const Situation& situation, const CustomerId& id,
                                    const CustomerRecord& holding) {
  const PoolRecord& pool = situation.pool;
  const ClaimPolicy& policy = pool.policy;
  const TeamCalendar& days = team_calendar(situation);
  Explanation out;
  out.customer = id;
  out.holder = holding.holder.value_or(UserId());
  out.deadline = holding.deadline;
  out.reason = holding.deadline_reason;
  out.policy_version = holding.policy_version;
  out.paused = !pool.enabled;
  out.time_zone = days.zone().name();
  out.local_deadline = days.zone().local_text(holding.deadline);
  HoldingClock period = detail::counted_clock(days, DeadlineReason::period, holding.period_deadline,
                                              holding.since, holding.period_length);
  period.length.reset();  // the period's length is the policy's; extensions count here
  period.extensions = holding.extensions_used;
  out.clocks.push_back(std::move(period));
  if (holding.idle_limit) {
    const Time last = holding.last_follow_up.is_special()
                          ? holding.since
                          : std::max(holding.since, holding.last_follow_up);
    out.clocks.push_back(detail::counted_clock(days, DeadlineReason::idle, holding.idle_deadline,
                                               last, *holding.idle_limit));
  }
  if (!holding.protected_until.is_special()) {
    out.clocks.push_back({DeadlineReason::protection_ended,
                          holding.protected_until,
                          Time(),
                          std::nullopt,
                          0,
                          {},
                          std::nullopt});
  }
  std::stable_partition(out.clocks.begin(), out.clocks.end(),
                        [&](const HoldingClock& clock) { return clock.clock == out.reason; });

  const Time at = countdown_now(pool, situation.now);
  if (is_due(pool, holding.deadline, situation.now)) return out;
  auto settled = [](CustomerRecord record) {
    settle_deadline(record);
    return record.deadline;
  };
  if (holding.idle_limit) {
    CustomerRecord followed = holding;
    followed.idle_deadline = days.after(at, *holding.idle_limit).end;
    out.after_follow_up = settled(followed);
  }
  if (policy.may_extend(holding.extensions_used)) {
    CustomerRecord extended = holding;
    extended.period_deadline = days.after(holding.period_deadline, policy.extension).end;
    out.after_extension = settled(extended);
  }
  if (policy.protection.max_per_user > 0 && !is_protected(holding, situation.now)) {
    CustomerRecord protected_holding = holding;
    protected_holding.protected_until = days.after(at, policy.protection.longest).end;
    out.after_protection = settled(protected_holding);
  }
  return out;
}

namespace detail {

// The policy's spans counted in business days.
inline std::vector<Span> business_spans(const ClaimPolicy& policy) {
  std::vector<Span> spans;
  auto add = [&spans](const Span& span) {
    if (span.unit() == Span::Unit::business_days) spans.push_back(span);
  };
  auto add_rule = [&add](const ReturnRule& rule) {
    add(rule.holding_period);
    if (rule.idle_limit) add(*rule.idle_limit);
  };
  add_rule(policy.default_rule);
  for (const LevelRule& level : policy.levels) add_rule(level.rule);
  add(policy.protection.longest);
  add(policy.extension);
  return spans;
}

// The first span of `spans` that, counted from `start`, runs into a year the
// calendar does not know, and that year.
inline std::optional<std::pair<Span, int>> runs_out(const std::vector<Span>& spans,
                                                    const TeamCalendar& days, Time start) {
  for (const Span& span : spans) {
    if (const auto year = days.after(start, span).unknown_year) return std::pair{span, *year};
  }
  return std::nullopt;
}

}  // namespace detail

HIGHSEAS_INLINE std::optional<Refusal> check_calendar_covers(const ClaimPolicy& policy,
                                                             const TeamCalendar& days, Time now) {
  if (policy.unknown_years == UnknownYears::weekends_only) return std::nullopt;
  // Counted from now: a count from a later start ends no earlier, so this
  // holds until the calendar's last year draws near (calendar_outlook says when).
  if (const auto out = detail::runs_out(detail::business_spans(policy), days, now)) {
    return detail::calendar_ends(out->first, out->second);
  }
  return std::nullopt;
}

HIGHSEAS_INLINE CalendarOutlook calendar_outlook(const ClaimPolicy& policy,
                                                 const TeamCalendar& days, Time now,
                                                 Duration within) {
  CalendarOutlook outlook;
  outlook.unknown_years = policy.unknown_years;
  const std::set<int>& years = days.calendar().years();
  if (!years.empty()) outlook.last_year = *years.rbegin();
  const std::vector<Span> spans = detail::business_spans(policy);
  outlook.counts_business_days = !spans.empty();
  const Time last_start = now + within;
  // A count from a later start never ends earlier: if the last start of the
  // window stays in known years, every start before it does.
  if (spans.empty() || !detail::runs_out(spans, days, last_start)) return outlook;
  // A count depends only on the local date it starts on (TeamCalendar), so
  // one start per local day: now, then just after each midnight.
  Time start = now;
  Time day_begins = now;
  for (;;) {
    if (const auto out = detail::runs_out(spans, days, start)) {
      outlook.runs_out_at = day_begins;
      outlook.unknown_year = out->second;
      return outlook;
    }
    day_begins = days.after_calendar_days(start, 0);
    start = day_begins + seconds(1);
    if (start > last_start) start = last_start;
  }
}

namespace detail {

// The holding's clocks under `rule` counted in `days`, having been counted
// in `counted_in`: each clock moves by the difference between where its span
// ends from its start now and where it ended before, so extensions and paused
// time stay. An idle clock that did not run before counts the new limit from
// the later of the start and the last follow-up.
inline CustomerRecord under_rule(const CustomerRecord& holding, const ReturnRule& rule,
                                 const TeamCalendar& counted_in, const TeamCalendar& days) {
  CustomerRecord after = holding;
  auto moved = [&](Time deadline, Time from, const Span& before, const Span& now) {
    return deadline + (days.after(from, now).end - counted_in.after(from, before).end);
  };
  after.period_deadline =
      moved(holding.period_deadline, holding.since, holding.period_length, rule.holding_period);
  after.period_length = rule.holding_period;
  const Time last = holding.last_follow_up.is_special()
                        ? holding.since
                        : std::max(holding.since, holding.last_follow_up);
  if (!rule.idle_limit) {
    after.idle_limit.reset();
    after.idle_deadline = Time();
  } else if (holding.idle_limit) {
    after.idle_deadline = moved(holding.idle_deadline, last, *holding.idle_limit, *rule.idle_limit);
    after.idle_limit = rule.idle_limit;
  } else {
    after.idle_deadline = days.after(last, *rule.idle_limit).end;
    after.idle_limit = rule.idle_limit;
  }
  if (after.reminders != rule.reminders) {
    // The sent bits follow the reminders, not their places: one the new
    // list keeps (the same span before) stays sent.
    after.reminders_sent = 0;
    for (std::size_t i = 0; i < rule.reminders.size(); ++i) {
      for (std::size_t j = 0; j < holding.reminders.size(); ++j) {
        const bool was_sent = (holding.reminders_sent >> j & 1U) != 0;
        if (was_sent && holding.reminders[j].before == rule.reminders[i].before) {
          after.reminders_sent |= std::uint32_t{1} << i;
        }
      }
    }
    after.reminders = rule.reminders;
  }
  settle_deadline(after);
  return after;
}

inline bool same_clocks(const CustomerRecord& a, const CustomerRecord& b) {
  return a.deadline == b.deadline && a.deadline_reason == b.deadline_reason &&
         a.period_deadline == b.period_deadline && a.period_length == b.period_length &&
         a.idle_limit == b.idle_limit && a.idle_deadline == b.idle_deadline &&
         a.reminders == b.reminders;
}

// The holding's record after the change, or nothing when it keeps its own.
inline std::optional<CustomerRecord> recomputed(const Situation& situation,
                                                const TeamCalendar& counted_in,
                                                const CustomerRecord& holding,
                                                std::string_view level, RunningHoldings running) {
  if (running == RunningHoldings::keep) return std::nullopt;
  CustomerRecord after = under_rule(holding, situation.pool.policy.rule_for(level), counted_in,
                                    team_calendar(situation));
  if (same_clocks(after, holding)) return std::nullopt;
  // Whole clocks, not a mix: the holding runs under one version's rules.
  if (running == RunningHoldings::never_shorten && after.deadline < holding.deadline) {
    return std::nullopt;
  }
  due_no_earlier_than(after, countdown_now(situation.pool, situation.now));
  after.policy_version = situation.pool.policy_version;
  return after;
}

}  // namespace detail

HIGHSEAS_INLINE std::optional<Change> recompute(const Situation& situation,
                                                const TeamCalendar& counted_in,
                                                const CustomerRecord& holding,
                                                std::string_view level, RunningHoldings running) {
  std::optional<CustomerRecord> after =
      detail::recomputed(situation, counted_in, holding, level, running);
  if (!after) return std::nullopt;
  return detail::change_to(situation, HistoryKind::rules_changed, holding, std::move(*after));
}

HIGHSEAS_INLINE HoldingPreview preview_holding(const Situation& situation,
                                               const TeamCalendar& counted_in, const CustomerId& id,
                                               const CustomerRecord& holding,
                                               std::string_view level, RunningHoldings running) {
  const std::optional<CustomerRecord> after =
      detail::recomputed(situation, counted_in, holding, level, running);
  const CustomerRecord& next = after ? *after : holding;
  HoldingPreview out;
  out.customer = id;
  out.holder = holding.holder.value_or(UserId());
  out.level = std::string(level);
  out.deadline_before = holding.deadline;
  out.reason_before = holding.deadline_reason;
  out.deadline_after = next.deadline;
  out.reason_after = next.deadline_reason;
  out.changed = after.has_value();
  out.due_at_once = is_due(situation.pool, next.deadline, situation.now);
  return out;
}

HIGHSEAS_INLINE void summarize(PolicyPreview& preview) {
  std::sort(preview.holdings.begin(), preview.holdings.end(),
            [](const HoldingPreview& a, const HoldingPreview& b) {
              return std::tie(a.deadline_after, a.customer) <
                     std::tie(b.deadline_after, b.customer);
            });
  preview.due_at_once = 0;
  preview.returns_by_day.assign(PolicyPreview::kDays, 0);
  std::map<UserId, RepPreview> reps;
  for (const HoldingPreview& holding : preview.holdings) {
    RepPreview& rep = reps[holding.holder];
    rep.user = holding.holder;
    ++rep.holdings;
    if (holding.deadline_after < holding.deadline_before) ++rep.earlier;
    if (holding.deadline_after > holding.deadline_before) ++rep.later;
    if (holding.due_at_once) {
      ++rep.due_at_once;
      ++preview.due_at_once;
      continue;
    }
    // Day d holds the deadlines in (from + d days, from + d + 1 days]: the
    // sweep run at the end of day d returns them.
    const std::int64_t ahead = (holding.deadline_after - preview.counted_from).total_microseconds();
    const std::int64_t day_length = days(1).total_microseconds();
    const auto day = static_cast<std::size_t>((ahead - 1) / day_length);
    if (day < PolicyPreview::kDays) ++preview.returns_by_day[day];
  }
  preview.reps.clear();
  for (auto& [user, rep] : reps) preview.reps.push_back(std::move(rep));
}

HIGHSEAS_INLINE Result<Change> move_out(const Situation& situation, const CustomerId& id,
                                        const std::optional<CustomerRecord>& before) {
  if (!before) return detail::no_customer(id);
  if (before->state == CustomerState::regular) return detail::regular_customer(id);
  return detail::change_to(situation, HistoryKind::moved_out, *before,
                           detail::made_regular(*before, situation.now));
}

HIGHSEAS_INLINE Result<Change> move_in(const Situation& situation, const CustomerId& id,
                                       const std::optional<CustomerRecord>& before,
                                       const std::optional<NameMatch>& same_name) {
  if (before && before->state != CustomerState::regular) {
    return refuse(RefusalCode::already_in_pool, "'" + id.str() + "' is already in the pool");
  }
  if (!before && same_name) {
    // The same collision check (撞单) as import: one company, one pool entry.
    const bool in_pool = same_name->record.state != CustomerState::regular;
    return refuse(
        in_pool ? RefusalCode::already_in_pool : RefusalCode::known_customer,
        "'" + id.str() + "' has the same name as known customer '" + same_name->id.str() + "'");
  }
  const CustomerRecord previous = before.value_or(CustomerRecord{});
  // Available from now on; a previous holder's cooldown still runs.
  CustomerRecord after;
  after.since = situation.now;
  after.cooldowns = previous.cooldowns;
  return detail::change_to(situation, HistoryKind::moved_in, previous, std::move(after));
}

HIGHSEAS_INLINE bool is_due(const PoolRecord& pool, const CustomerRecord& record, Time now) {
  // Nothing falls due while the pool is off: pausing wrote what was due, and
  // resuming moves every deadline on by the pause.
  return pool.enabled && record.state == CustomerState::held && record.deadline <= now;
}

HIGHSEAS_INLINE CustomerRecord settled(const PoolRecord& pool, const CustomerRecord& record,
                                       Time now) {
  if (!is_due(pool, record, now)) return record;
  return DueReturn{now, pool.policy.reclaim_cooldown}.returned(record);
}

HIGHSEAS_INLINE Situation at_deadline(const Situation& situation, const CustomerRecord& holding) {
  return Situation{situation.pool, situation.guard,  std::nullopt,
                   std::nullopt,   holding.deadline, situation.days};
}

HIGHSEAS_INLINE DueReturn due_return(const Situation& situation) {
  return DueReturn{situation.now, situation.pool.policy.reclaim_cooldown};
}

HIGHSEAS_INLINE Change return_due(const Situation& situation, const CustomerRecord& before) {
  const DueReturn plan = due_return(situation);
  return Change{plan.returned(before), plan.entry(before)};
}

HIGHSEAS_INLINE Change return_of_removed_member(const Situation& situation,
                                                const CustomerRecord& before) {
  return detail::change_to(situation, HistoryKind::member_removed, before,
                           highseas::detail::given_back(before, situation.now, std::nullopt));
}

HIGHSEAS_INLINE std::optional<ImportProblem> invalid_profile(std::size_t index,
                                                             const CustomerProfile& profile) {
  auto invalid = highseas::detail::profile_problem(profile);
  if (!invalid) return std::nullopt;
  return ImportProblem{index, std::move(invalid->field), RefusalCode::invalid_argument,
                       std::move(invalid->reason), std::nullopt};
}

HIGHSEAS_INLINE std::optional<ImportProblem> import_problem(std::size_t index,
                                                            const ImportRow& row) {
  auto problem = [&](std::string field, RefusalCode code, std::string reason,
                     std::optional<Collision> collision = std::nullopt) {
    return ImportProblem{index, std::move(field), code, std::move(reason), std::move(collision)};
  };
  if (row.id_repeated_in_batch) {
    return problem("id", RefusalCode::invalid_argument, "duplicate id within the batch");
  }
  if (const auto& known = row.known_by_id) {
    const bool in_pool = known->state != CustomerState::regular;
    return problem("id", in_pool ? RefusalCode::already_in_pool : RefusalCode::known_customer,
                   in_pool ? "id already in the pool" : "id of a regular customer",
                   Collision{row.profile.id, false, known->state, known->holder, known->deadline});
  }
  if (row.name_key.empty()) return std::nullopt;
  if (row.name_repeated_in_batch) {
    return problem("name", RefusalCode::invalid_argument, "duplicate name within the batch");
  }
  if (const auto& match = row.known_by_name) {
    const CustomerRecord& known = match->record;
    const bool in_pool = known.state != CustomerState::regular;
    return problem("name", in_pool ? RefusalCode::already_in_pool : RefusalCode::known_customer,
                   "same name as known customer '" + match->id.str() + "'",
                   Collision{match->id, true, known.state, known.holder, known.deadline});
  }
  return std::nullopt;
}

HIGHSEAS_INLINE bool import_writes(ImportMode mode, bool any_problem) {
  if (mode == ImportMode::check_only) return false;
  return !(mode == ImportMode::all_or_nothing && any_problem);
}

HIGHSEAS_INLINE Change imported(const Situation& situation) {
  CustomerRecord record;
  record.since = situation.now;
  return detail::change_to(situation, HistoryKind::imported, CustomerRecord{}, std::move(record));
}

HIGHSEAS_INLINE CustomerView view_of(const PoolRecord& pool, const CustomerProfile& profile,
                                     const CustomerRecord& record, Time now) {
  // A due holding is seen as returned at its deadline (the returned record is not due).
  if (is_due(pool, record, now)) return view_of(pool, profile, settled(pool, record, now), now);
  CustomerView view;
  view.profile = profile;
  view.state = record.state;
  view.holder = record.holder;
  view.since = record.since;
  view.paused = !pool.enabled;
  view.last_follow_up = record.last_follow_up;
  if (record.state == CustomerState::held) {
    view.deadline = record.deadline;
    view.deadline_reason = record.deadline_reason;
    view.protected_until = record.protected_until;
    view.time_left = record.deadline - countdown_now(pool, now);
    view.extensions_used = record.extensions_used;
    view.extensions_left = pool.policy.extensions_left(record.extensions_used);
    view.reminders_sent = static_cast<std::uint32_t>(std::popcount(record.reminders_sent));
  }
  view.cooldowns = record.cooldowns;
  detail::prune_cooldowns(view.cooldowns, now);
  std::sort(view.cooldowns.begin(), view.cooldowns.end(), [](const Cooldown& a, const Cooldown& b) {
    return std::tie(a.until, a.user) < std::tie(b.until, b.user);
  });
  return view;
}

HIGHSEAS_INLINE bool is_urgent(const CustomerView& view, Duration warn_within) {
  return view.time_left && *view.time_left < warn_within;
}

}  // namespace highseas::rules
