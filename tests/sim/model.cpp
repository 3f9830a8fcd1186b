#include "model.hpp"

#include <algorithm>
#include <boost/date_time/posix_time/posix_time.hpp>
#include <map>

#include "reference_rules.hpp"

namespace highseas::sim {

namespace {

template <class T>
std::string or_dash(const std::optional<T>& value) {
  if (!value) return "-";
  if constexpr (std::is_same_v<T, Role>) {
    return std::string(to_string(*value));
  } else {
    return value->str();
  }
}

HistoryEntry entry(HistoryKind kind, Time at, const std::optional<UserId>& actor,
                   const CustomerRecord& before, const CustomerRecord& after, std::string note) {
  HistoryEntry written{at,           kind,           actor,          before.holder,
                       after.holder, after.deadline, std::move(note)};
  if (after.state == CustomerState::held) {
    // Still held: the clock that sets the deadline now, under the holding's version.
    written.deadline_reason = after.deadline_reason;
    written.policy_version = after.policy_version;
  } else if (kind == HistoryKind::returned) {
    // Gone back at its deadline: the clock that ran out, under the holding's version.
    written.deadline_reason = before.deadline_reason;
    written.policy_version = before.policy_version;
  }
  return written;
}

// The rule for a customer of `level`: the level's own if the policy lists it
// by exactly that name, else the default rule.
const ReturnRule& rule_of(const ClaimPolicy& policy, const std::string& level) {
  for (const LevelRule& rule : policy.levels) {
    if (rule.level == level) return rule.rule;
  }
  return policy.default_rule;
}

// Sets a holding's deadline and reason from its clocks, written out plainly:
// the earliest of the period and idle clocks (the period on a tie); a
// protection that ends at or after that instant holds it until the protection
// ends.
void settle(CustomerRecord& holding) {
  Time earliest = holding.period_deadline;
  DeadlineReason why = DeadlineReason::period;
  if (holding.idle_limit) {
    if (holding.idle_deadline < earliest) {
      earliest = holding.idle_deadline;
      why = DeadlineReason::idle;
    }
  }
  if (!holding.protected_until.is_not_a_date_time()) {
    if (!(holding.protected_until < earliest)) {
      earliest = holding.protected_until;
      why = DeadlineReason::protection_ended;
    }
  }
  holding.deadline = earliest;
  holding.deadline_reason = why;
}

// Forgets everything a holding had: deadline, clocks, reminders, version,
// extensions and (unless `keep_follow_up`) the last follow-up.
void forget_holding(CustomerRecord& record, bool keep_follow_up = false) {
  record.deadline = Time();
  record.deadline_reason = DeadlineReason::period;
  record.period_deadline = Time();
  record.period_length = Span();
  record.idle_limit = std::nullopt;
  record.idle_deadline = Time();
  record.protected_until = Time();
  record.reminders.clear();
  record.reminders_sent = 0;
  record.reminder_due = Time();
  record.policy_version = 0;
  record.extensions_used = 0;
  if (!keep_follow_up) record.last_follow_up = Time();
}

// A running holding's clocks under `rule` after a policy change that
// recomputes them (return_rules.hpp, RunningHoldings::recompute), or nothing
// when the holding keeps its own: its clocks and reminders come out the
// same, or `running` is never_shorten and the new deadline would be earlier
// (then it keeps all its old clocks, reminders and version, not a mix). It
// takes the rule's reminders; one whose span the old list had keeps that
// one's sent mark, whatever its audience (arming then drops the marks whose
// time has not come for the new deadline). Its spans were counted in
// `old_zone` with `old_calendar` and count in `new_zone` with `new_calendar`
// from now on.
std::optional<CustomerRecord> recomputed(const CustomerRecord& held, const ReturnRule& rule,
                                         const std::string& old_zone,
                                         const reference::DaysOff& old_calendar,
                                         const std::string& new_zone,
                                         const reference::DaysOff& new_calendar,
                                         RunningHoldings running, std::uint32_t version,
                                         Time counted_at) {
  CustomerRecord after = held;
  // Each clock moves by the difference between where the new and the old
  // span end from its start: extensions and paused time stay in it.
  auto moved = [&](Time deadline, Time from, const Span& old_span, const Span& new_span) {
    return deadline + (reference::count_span(new_zone, new_calendar, from, new_span).end -
                       reference::count_span(old_zone, old_calendar, from, old_span).end);
  };
  Time from = held.since;
  if (!held.last_follow_up.is_not_a_date_time() && from < held.last_follow_up) {
    from = held.last_follow_up;
  }
  after.period_deadline =
      moved(held.period_deadline, held.since, held.period_length, rule.holding_period);
  after.period_length = rule.holding_period;
  if (!rule.idle_limit) {
    // No idle limit any more: the idle clock stops.
    after.idle_limit = std::nullopt;
    after.idle_deadline = Time();
  } else if (held.idle_limit) {
    // The idle clock ran: it moves as the period does.
    after.idle_deadline = moved(held.idle_deadline, from, *held.idle_limit, *rule.idle_limit);
    after.idle_limit = rule.idle_limit;
  } else {
    // A new idle clock, counted from the later of the start and the last follow-up.
    after.idle_deadline = reference::count_span(new_zone, new_calendar, from, *rule.idle_limit).end;
    after.idle_limit = rule.idle_limit;
  }
  std::vector<Span> sent_before;
  for (std::size_t i = 0; i < held.reminders.size(); ++i) {
    if ((held.reminders_sent & (1U << i)) != 0) sent_before.push_back(held.reminders[i].before);
  }
  after.reminders = rule.reminders;
  after.reminders_sent = 0;
  for (std::size_t i = 0; i < after.reminders.size(); ++i) {
    const Span& before = after.reminders[i].before;
    if (std::find(sent_before.begin(), sent_before.end(), before) != sent_before.end()) {
      after.reminders_sent |= 1U << i;
    }
  }
  settle(after);
  const bool same =
      after.deadline == held.deadline && after.deadline_reason == held.deadline_reason &&
      after.period_deadline == held.period_deadline && after.period_length == held.period_length &&
      after.idle_limit == held.idle_limit && after.idle_deadline == held.idle_deadline &&
      after.reminders == held.reminders;
  if (same) return std::nullopt;
  if (running == RunningHoldings::never_shorten && after.deadline < held.deadline) {
    return std::nullopt;
  }
  // A deadline the change sets never lies before the change: one that would
  // is due at once, and returns at the change, not before it.
  if (after.deadline < counted_at) after.deadline = counted_at;
  after.policy_version = version;
  return after;
}

// Moves a clock by `by` if it is set.
void shift(Time& clock, Duration by) {
  if (!clock.is_not_a_date_time()) clock = clock + by;
}

}  // namespace

std::string describe(const ClaimPolicy& policy) {
  // The daily limit as "overall;level=n,...;assigned" (- where none).
  const DailyLimit& limit = policy.daily_limit;
  std::string daily = limit.per_day ? std::to_string(*limit.per_day) : "-";
  for (std::size_t i = 0; i < limit.levels.size(); ++i) {
    daily += (i == 0 ? ";" : ",") + limit.levels[i].level + "=" +
             std::to_string(limit.levels[i].per_day);
  }
  if (limit.assignments_count) daily += ";assigned";
  return "period=" + to_string(policy.default_rule) + " levels=" + to_string(policy.levels) +
         " protection=" + std::to_string(policy.protection.max_per_user) + "/" +
         to_string(policy.protection.longest) + " cap=" + std::to_string(policy.max_holdings) +
         " extension=" + to_string(policy.extension) +
         " max_extensions=" + std::to_string(policy.max_extensions) +
         " cooldown=" + boost::posix_time::to_simple_string(policy.reclaim_cooldown) +
         " release_cooldown=" + boost::posix_time::to_simple_string(policy.release_cooldown) +
         " daily=" + daily + " time_zone=" + policy.time_zone +
         " unknown_years=" + std::string(to_string(policy.unknown_years));
}

std::string reminder_detail(const Reminder& reminder, Duration time_left,
                            const std::vector<UserId>& audience) {
  std::string heard;
  for (const UserId& user : audience) heard += (heard.empty() ? "" : ",") + user.str();
  return "reminder=" + to_string(reminder.before) + ":" +
         std::string(to_string(reminder.audience)) +
         " time_left=" + boost::posix_time::to_simple_string(time_left) + " audience=" + heard;
}

std::ostream& operator<<(std::ostream& out, const EventRecord& event) {
  out << event.kind << "{actor=" << or_dash(event.actor) << " at=" << to_iso8601(event.at);
  if (event.customer) {
    out << " customer=" << *event.customer << " previous_holder=" << or_dash(event.previous_holder)
        << " holder=" << or_dash(event.holder) << " deadline=" << to_iso8601(event.deadline)
        << " reason=" << (event.deadline_reason ? to_string(*event.deadline_reason) : "-");
  }
  return out << " " << event.detail << "}";
}

// A collision (撞单) with a pool customer is already_in_pool; with a regular
// customer, known_customer (it could be moved in instead).
RefusalCode collision_code(const CustomerRecord& known) {
  return known.state == CustomerState::regular ? RefusalCode::known_customer
                                               : RefusalCode::already_in_pool;
}

Outcome refused(std::optional<RefusalCode> code) {
  Outcome out;
  out.refusal = code;
  return out;
}

bool Model::valid_text(std::string_view text, std::size_t max, bool may_be_empty) {
  if (text.empty()) return may_be_empty;
  return reference::valid_text(text, max, may_be_empty);
}

bool Model::valid_profile(const CustomerProfile& profile) {
  if (!reference::valid_id(profile.id.str())) return false;
  if (!valid_text(profile.name, 256, false)) return false;
  if (!profile.country.empty() && !is_country_code(profile.country)) return false;
  if (!valid_text(profile.level, 16, true)) return false;
  if (profile.tags.size() > 32) return false;
  return std::all_of(profile.tags.begin(), profile.tags.end(),
                     [](const std::string& tag) { return valid_text(tag, 64, false); });
}

std::optional<RefusalCode> Model::enter(const UserId& actor, std::optional<Action> action) const {
  if (!exists_) return RefusalCode::unknown_pool;
  const auto member = members_.find(actor);
  if (member == members_.end()) return RefusalCode::not_a_member;
  if (action && !reference::permits(member->second, *action)) return RefusalCode::not_permitted;
  return std::nullopt;
}

reference::Counted Model::count(Time start, const Span& span) const {
  return reference::count_span(pool_.policy.time_zone, calendar_, start, span);
}

std::optional<Time> Model::counted_or_refused(Time now, const Span& span) const {
  const reference::Counted counted = count(now, span);
  if (counted.unknown_year && pool_.policy.unknown_years == UnknownYears::refuse) {
    return std::nullopt;
  }
  return counted.end;
}

std::optional<RefusalCode> Model::query_refusal(const UserId& actor) const {
  if (!reference::valid_id(actor.str())) return RefusalCode::invalid_argument;
  return enter(actor, Action::view);
}

std::size_t Model::count_holdings(const UserId& user) const {
  std::size_t count = 0;
  for (const auto& [id, customer] : customers_) {
    if (customer.record.state == CustomerState::held && customer.record.holder == user) ++count;
  }
  return count;
}

std::size_t Model::count_protected(const UserId& user, Time now) const {
  std::size_t count = 0;
  for (const auto& [id, customer] : customers_) {
    const CustomerRecord& record = customer.record;
    if (record.state != CustomerState::held || record.holder != user) continue;
    if (!record.protected_until.is_not_a_date_time() && now < record.protected_until) ++count;
  }
  return count;
}

std::size_t Model::count_bosses() const {
  return static_cast<std::size_t>(
      std::count_if(members_.begin(), members_.end(),
                    [](const auto& member) { return member.second == Role::boss; }));
}

bool Model::due(const CustomerRecord& record, Time now) const {
  // A command's own check (deadline_passed), on the countdown: while the pool
  // is off it stands still where it was paused. Enabled, the model is settled
  // and nothing held is due; paused, a recompute may have left a deadline at
  // the pause (the deadline a change sets never lies before it): out of time,
  // but not returned until the pool resumes (catch_up returns nothing while
  // paused, and resuming moves the deadline to the resume).
  const Time counted_at = pool_.enabled ? now : pool_.paused_since;
  return record.deadline <= counted_at;
}

std::optional<RefusalCode> Model::holding_problem(const CustomerId& id) const {
  const auto found = customers_.find(id);
  if (found == customers_.end()) return RefusalCode::unknown_customer;
  if (found->second.record.state == CustomerState::regular) return RefusalCode::not_in_pool;
  if (found->second.record.state == CustomerState::available) return RefusalCode::not_held;
  return std::nullopt;
}

EventRecord Model::customer_event(std::string kind, Time now, const std::optional<UserId>& actor,
                                  const CustomerId& id, const CustomerRecord& before,
                                  const CustomerRecord& after) const {
  EventRecord event{std::move(kind), actor,          now, id, before.holder,
                    after.holder,    after.deadline, {},  {}};
  if (after.state == CustomerState::held) event.deadline_reason = after.deadline_reason;
  return event;
}

void Model::write(Customer& customer, HistoryKind kind, Time now,
                  const std::optional<UserId>& actor, CustomerRecord after, std::string note) {
  // A holding whose new rule has no reminders (a recompute) is disarmed at once.
  if (after.state == CustomerState::held &&
      (!after.reminders.empty() || !after.reminder_due.is_special())) {
    arm_reminders(after, countdown(now), customer.record.state != CustomerState::held);
  }
  // Every command drops the waits that ended and keeps one per user (the
  // latest end); a return at the deadline and a reminder only append or mark.
  if (kind != HistoryKind::returned && kind != HistoryKind::reminded) {
    std::vector<Cooldown> running;
    for (const Cooldown& cooldown : after.cooldowns) {
      if (cooldown.until <= now) continue;
      const auto same = std::find_if(running.begin(), running.end(), [&](const Cooldown& kept) {
        return kept.user == cooldown.user;
      });
      if (same == running.end()) {
        running.push_back(cooldown);
      } else {
        same->until = std::max(same->until, cooldown.until);
      }
    }
    after.cooldowns = std::move(running);
  }
  customer.history.push_back(entry(kind, now, actor, customer.record, after, std::move(note)));
  customer.record = std::move(after);
}

// ------------------------------------------------------------- reminders ---

Time Model::countdown(Time now) const { return pool_.enabled ? now : pool_.paused_since; }

std::vector<Time> Model::reminder_times(const CustomerRecord& holding) const {
  std::vector<Time> times;
  for (const Reminder& reminder : holding.reminders) {
    times.push_back(reference::first_start_reaching(pool_.policy.time_zone, calendar_,
                                                    holding.deadline, reminder.before));
  }
  return times;
}

void Model::arm_reminders(CustomerRecord& holding, Time countdown, bool fresh) const {
  // Reminder i is "sent" iff bit i is set, as the engine stores it.
  const std::vector<Time> times = reminder_times(holding);
  std::uint32_t sent = 0;
  bool owed = false;
  std::optional<Time> next;
  for (std::size_t i = 0; i < times.size(); ++i) {
    const bool come = times[i] <= countdown;
    const bool was_sent = (holding.reminders_sent & (1U << i)) != 0;
    if (!come) {
      // Not come for this deadline: armed again, even if sent for an earlier one.
      if (!next || times[i] < *next) next = times[i];
    } else if (fresh || was_sent) {
      // A new holding does not hear what came before it began; one sent
      // whose time has still come is never sent again.
      sent |= 1U << i;
    } else {
      owed = true;  // came with this change: the sweep sends the most urgent at once
    }
  }
  holding.reminders_sent = sent;
  holding.reminder_due = owed ? countdown : next.value_or(Time());
}

std::vector<UserId> Model::audience_of(const UserId& holder, ReminderAudience audience) const {
  // Each audience includes the narrower ones: holder < admins < boss.
  std::vector<UserId> heard{holder};
  for (const auto& [user, role] : members_) {  // by user id
    if (user == holder) continue;
    const bool admins = audience == ReminderAudience::admins || audience == ReminderAudience::boss;
    if ((role == Role::pool_admin && admins) ||
        (role == Role::boss && audience == ReminderAudience::boss)) {
      heard.push_back(user);
    }
  }
  return heard;
}

void Model::send_reminders(Outcome& out, Time now) {
  // The holdings whose reminder is due, by when it fell due, then by id.
  std::vector<Customer*> due_now;
  for (auto& [id, customer] : customers_) {
    const CustomerRecord& record = customer.record;
    if (record.state == CustomerState::held && !record.reminder_due.is_not_a_date_time() &&
        record.reminder_due <= now) {
      due_now.push_back(&customer);
    }
  }
  std::stable_sort(due_now.begin(), due_now.end(), [](const Customer* a, const Customer* b) {
    return a->record.reminder_due < b->record.reminder_due;  // ties stay in id order
  });
  for (Customer* customer : due_now) {
    const CustomerRecord before = customer->record;
    CustomerRecord after = before;
    // Every holding due by now went back first (catch_up): none is owed a warning.
    const std::vector<Time> times = reminder_times(before);
    std::optional<std::size_t> most_urgent;  // the owed one that came last
    std::uint32_t owed = 0;
    std::optional<Time> next;
    for (std::size_t i = 0; i < times.size(); ++i) {
      if (now < times[i]) {
        if (!next || times[i] < *next) next = times[i];
        continue;
      }
      after.reminders_sent |= 1U << i;  // come: sent now, or passed over for good
      if ((before.reminders_sent & (1U << i)) != 0) continue;
      ++owed;
      // On a tie the one to the wider audience, then the first in the list.
      if (!most_urgent || times[*most_urgent] < times[i] ||
          (times[*most_urgent] == times[i] &&
           before.reminders[*most_urgent].audience < before.reminders[i].audience)) {
        most_urgent = i;
      }
    }
    after.reminder_due = next.value_or(Time());
    customer->record = after;
    // Nothing owed: re-armed only, without a word. A resume moved
    // reminder_due by the pause, which does not move the day a reminder
    // counted in days comes by as much (unless the pause is whole local
    // days), or a recompute took the holding's reminders away.
    if (!most_urgent) continue;
    out.reminders_passed_over += owed - 1;
    const Reminder& reminder = before.reminders[*most_urgent];
    const UserId& holder = *before.holder;
    const std::string text =
        to_string(reminder.before) + ":" + std::string(to_string(reminder.audience));
    customer->history.push_back(
        entry(HistoryKind::reminded, now, std::nullopt, before, after, text));
    SentReminder sent{customer->profile.id,  holder,
                      before.deadline,       reminder,
                      before.deadline - now, audience_of(holder, reminder.audience)};
    EventRecord event =
        customer_event("reminder_due", now, std::nullopt, customer->profile.id, before, after);
    event.detail = reminder_detail(sent.reminder, sent.time_left, sent.audience);
    out.events.push_back(std::move(event));
    out.reminded.push_back(std::move(sent));
  }
}

void Model::catch_up(Time now) {
  if (!exists_ || !pool_.enabled) return;  // paused: nothing comes due
  std::vector<Customer*> due_now;
  for (auto& [id, customer] : customers_) {
    if (customer.record.state == CustomerState::held && customer.record.deadline <= now) {
      due_now.push_back(&customer);
    }
  }
  std::stable_sort(due_now.begin(), due_now.end(), [](const Customer* a, const Customer* b) {
    return a->record.deadline < b->record.deadline;  // ties stay in id order
  });
  for (Customer* customer : due_now) {
    // Back at its deadline, exactly as a sweep at that second would have
    // done it: since, cooldown and the history entry from the deadline, the
    // cooldown of the policy in force then.
    const CustomerRecord before = customer->record;
    const Time at = before.deadline;
    CustomerRecord after = before;
    after.state = CustomerState::available;
    after.holder.reset();
    after.since = at;
    forget_holding(after);
    after.cooldowns.push_back({*before.holder, at + pool_.policy.reclaim_cooldown});
    EventRecord event =
        customer_event("returned", at, std::nullopt, customer->profile.id, before, after);
    event.deadline_reason = before.deadline_reason;  // the clock that ran out
    pending_[customer->profile.id] =
        PendingReturn{before, event, {customer->profile.id, *before.holder, at}};
    write(*customer, HistoryKind::returned, at, std::nullopt, after);
  }
}

void Model::write_pending(Outcome& out, const CustomerId& id) {
  const auto found = pending_.find(id);
  if (found == pending_.end()) return;
  out.events.push_back(found->second.event);
  pending_.erase(found);
}

void Model::write_all_pending(Outcome& out, const std::optional<UserId>& holder) {
  std::vector<PendingReturn> written;
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (holder && it->second.returned.previous_holder != *holder) {
      ++it;
      continue;
    }
    written.push_back(it->second);
    it = pending_.erase(it);
  }
  std::stable_sort(written.begin(), written.end(),
                   [](const PendingReturn& a, const PendingReturn& b) {
                     return a.returned.deadline < b.returned.deadline;  // ties by id
                   });
  for (const PendingReturn& pending : written) {
    out.events.push_back(pending.event);
    out.returned.push_back(pending.returned);
  }
}

CustomerView Model::view_of(const Customer& customer, Time now) const {
  CustomerView view;
  view.profile = customer.profile;
  view.state = customer.record.state;
  view.holder = customer.record.holder;
  view.since = customer.record.since;
  view.paused = !pool_.enabled;
  view.last_follow_up = customer.record.last_follow_up;
  // After a return at the deadline a cooldown runs from the deadline.
  // Running waits only, one per user (the latest end), soonest end first.
  std::map<UserId, Time> waits;
  for (const Cooldown& cooldown : customer.record.cooldowns) {
    if (!(now < cooldown.until)) continue;
    // Not waits[user]: a default Time is not_a_date_time, which max() keeps.
    const auto [wait, fresh] = waits.emplace(cooldown.user, cooldown.until);
    if (!fresh) wait->second = std::max(wait->second, cooldown.until);
  }
  for (const auto& [user, until] : waits) view.cooldowns.push_back({user, until});
  // By user within the same end: the map's order.
  std::stable_sort(view.cooldowns.begin(), view.cooldowns.end(),
                   [](const Cooldown& a, const Cooldown& b) { return a.until < b.until; });
  if (customer.record.state == CustomerState::held) {
    view.deadline = customer.record.deadline;
    view.deadline_reason = customer.record.deadline_reason;
    view.protected_until = customer.record.protected_until;
    view.time_left = customer.record.deadline - (pool_.enabled ? now : pool_.paused_since);
    view.extensions_used = customer.record.extensions_used;
    const std::uint32_t max = pool_.policy.max_extensions;
    view.extensions_left = customer.record.extensions_used < max ? max - view.extensions_used : 0;
    for (std::size_t i = 0; i < customer.record.reminders.size(); ++i) {
      if ((customer.record.reminders_sent & (1U << i)) != 0) ++view.reminders_sent;
    }
  }
  return view;
}

std::vector<const Model::Customer*> Model::holdings_of(const UserId& user) const {
  std::vector<const Customer*> held;
  for (const auto& [id, customer] : customers_) {
    if (customer.record.state == CustomerState::held && customer.record.holder == user) {
      held.push_back(&customer);
    }
  }
  std::stable_sort(held.begin(), held.end(), [](const Customer* a, const Customer* b) {
    return a->record.deadline < b->record.deadline;  // ties stay in id order
  });
  return held;
}

Time Model::at_risk_until(Time now, const Span& within) const {
  return count(pool_.enabled ? now : pool_.paused_since, within).end;
}

std::vector<const Model::Customer*> Model::at_risk(Time now, Time until,
                                                   const std::optional<UserId>& holder) const {
  const Time counted_at = pool_.enabled ? now : pool_.paused_since;
  std::vector<const Customer*> found;
  for (const auto& [id, customer] : customers_) {
    const CustomerRecord& record = customer.record;
    if (record.state != CustomerState::held || (holder && record.holder != *holder)) continue;
    if (record.deadline <= counted_at || record.deadline > until) continue;
    found.push_back(&customer);
  }
  std::stable_sort(found.begin(), found.end(), [](const Customer* a, const Customer* b) {
    return a->record.deadline < b->record.deadline;  // ties stay in id order
  });
  return found;
}

std::vector<const Model::Customer*> Model::available(const AvailableFilter& filter) const {
  std::vector<const Customer*> page;
  for (const auto& [id, customer] : customers_) {
    if (customer.record.state != CustomerState::available) continue;
    const CustomerProfile& profile = customer.profile;
    if (!filter.country.empty() && profile.country != filter.country) continue;
    if (!filter.level.empty() && profile.level != filter.level) continue;
    if (!filter.tag.empty() &&
        std::find(profile.tags.begin(), profile.tags.end(), filter.tag) == profile.tags.end()) {
      continue;
    }
    page.push_back(&customer);
  }
  return page;
}

// ---------------------------------------------------------------- set-up ---

Outcome Model::create(Time now, const UserId& boss, const ClaimPolicy& policy) {
  catch_up(now);
  Outcome out;
  if (!reference::valid_id(pool_id_.str()) || !reference::valid_id(boss.str()) ||
      !reference::valid_policy(policy)) {
    out.refusal = RefusalCode::invalid_argument;
  } else if (reference::counts_business_days(policy) &&
             policy.unknown_years == UnknownYears::refuse) {
    // A new pool has no work calendar, which knows no year: business days
    // cannot be counted unless the policy counts unknown years by weekends.
    out.refusal = RefusalCode::calendar_ends;
  } else if (exists_) {
    out.refusal = RefusalCode::pool_exists;
  } else {
    exists_ = true;
    pool_ = PoolRecord{true, policy, now, Time(), 1, now};
    pool_.policy_version = 1;
    members_[boss] = Role::boss;
    out.events.push_back({"member_changed",
                          boss,
                          now,
                          {},
                          {},
                          {},
                          {},
                          {},
                          "user=" + boss.str() + " before=- after=boss"});
  }
  return out;
}

Outcome Model::set_member(Time now, const UserId& actor, const UserId& user, Role role) {
  catch_up(now);
  Outcome out;
  const bool known_role = role == Role::boss || role == Role::pool_admin || role == Role::pool_user;
  if (!reference::valid_id(actor.str()) || !reference::valid_id(user.str()) || !known_role) {
    return refused(RefusalCode::invalid_argument);
  }
  if ((out.refusal = enter(actor, Action::manage_members))) return out;
  std::optional<Role> before;
  if (const auto found = members_.find(user); found != members_.end()) before = found->second;
  if (before == role) return out;
  if (before == Role::boss && count_bosses() == 1) {
    out.refusal = RefusalCode::invalid_argument;  // the pool keeps one boss
    return out;
  }
  members_[user] = role;
  out.events.push_back({"member_changed",
                        actor,
                        now,
                        {},
                        {},
                        {},
                        {},
                        {},
                        "user=" + user.str() + " before=" + or_dash(before) +
                            " after=" + std::string(to_string(role))});
  return out;
}

Outcome Model::remove_member(Time now, const UserId& actor, const UserId& user) {
  catch_up(now);
  Outcome out;
  if (!reference::valid_id(actor.str()) || !reference::valid_id(user.str())) {
    return refused(RefusalCode::invalid_argument);
  }
  if ((out.refusal = enter(actor, Action::manage_members))) return out;
  const auto found = members_.find(user);
  if (found == members_.end()) {
    return refused(RefusalCode::not_a_member);
  }
  const Role before = found->second;
  if (before == Role::boss && count_bosses() == 1) {
    return refused(RefusalCode::invalid_argument);
  }
  // Its holdings already due went back at their deadlines: written now.
  write_all_pending(out, user);
  out.returned.clear();  // no sweep lines: remove_member reports none
  for (const Customer* held : holdings_of(user)) {
    Customer& customer = customers_.at(held->profile.id);
    CustomerRecord after = customer.record;
    after.state = CustomerState::available;
    after.holder.reset();
    after.since = now;
    forget_holding(after);  // no cooldown: the holder did not choose to give it back
    EventRecord event =
        customer_event("released", now, actor, customer.profile.id, customer.record, after);
    event.detail = "member_removed=1";
    out.events.push_back(event);
    write(customer, HistoryKind::member_removed, now, actor, after);
  }
  members_.erase(found);
  out.events.push_back(
      {"member_changed",
       actor,
       now,
       {},
       {},
       {},
       {},
       {},
       "user=" + user.str() + " before=" + std::string(to_string(before)) + " after=-"});
  return out;
}

Outcome Model::set_enabled(Time now, const UserId& actor, bool enabled) {
  catch_up(now);
  Outcome out;
  if (!reference::valid_id(actor.str())) {
    return refused(RefusalCode::invalid_argument);
  }
  if ((out.refusal = enter(actor, Action::switch_pool))) return out;
  if (pool_.enabled == enabled) return out;
  if (enabled) {
    const Duration paused_for = now - pool_.paused_since;
    if (paused_for > Duration(0, 0, 0)) {
      for (auto& [id, customer] : customers_) {
        if (customer.record.state != CustomerState::held) continue;
        // Every clock of a holding stood still while the pool was off.
        CustomerRecord& record = customer.record;
        shift(record.deadline, paused_for);
        shift(record.period_deadline, paused_for);
        shift(record.idle_deadline, paused_for);
        shift(record.protected_until, paused_for);
        shift(record.reminder_due, paused_for);  // the reminders wait with the deadline
      }
    }
    pool_.paused_since = Time();
  } else {
    // Everything due by now went back at its deadline, written before the pause.
    write_all_pending(out);
    out.returned.clear();
    pool_.paused_since = now;
  }
  pool_.enabled = enabled;
  out.events.push_back(
      {"pool_switched", actor, now, {}, {}, {}, {}, {}, enabled ? "enabled=1" : "enabled=0"});
  return out;
}

Outcome Model::set_policy(Time now, const UserId& actor, const ClaimPolicy& policy,
                          RunningHoldings running) {
  catch_up(now);
  // A malformed policy is refused before anything else.
  if (!reference::valid_id(actor.str()) || !reference::valid_policy(policy)) {
    return refused(RefusalCode::invalid_argument);
  }
  return change_policy(now, actor, policy, running);
}

Outcome Model::update_policy(Time now, const UserId& actor, const PolicyPatch& patch,
                             RunningHoldings running) {
  catch_up(now);
  if (!reference::valid_id(actor.str())) return refused(RefusalCode::invalid_argument);
  // The patch applies to the policy as it is: only the pool and the
  // membership come before the patched policy is checked.
  if (auto refusal = enter(actor, std::nullopt)) return refused(refusal);
  ClaimPolicy policy = pool_.policy;
  if (patch.holding_period) policy.default_rule.holding_period = *patch.holding_period;
  if (patch.idle_limit) policy.default_rule.idle_limit = *patch.idle_limit;
  if (patch.reminders) policy.default_rule.reminders = *patch.reminders;
  if (patch.levels) policy.levels = *patch.levels;
  if (patch.protection) policy.protection = *patch.protection;
  if (patch.max_holdings) policy.max_holdings = *patch.max_holdings;
  if (patch.extension) policy.extension = *patch.extension;
  if (patch.max_extensions) policy.max_extensions = *patch.max_extensions;
  if (patch.reclaim_cooldown) policy.reclaim_cooldown = *patch.reclaim_cooldown;
  if (patch.release_cooldown) policy.release_cooldown = *patch.release_cooldown;
  if (patch.daily_limit) policy.daily_limit = *patch.daily_limit;
  if (patch.time_zone) policy.time_zone = *patch.time_zone;
  if (patch.unknown_years) policy.unknown_years = *patch.unknown_years;
  if (!reference::valid_policy(policy)) return refused(RefusalCode::invalid_argument);
  return change_policy(now, actor, policy, running);
}

Outcome Model::change_policy(Time now, const UserId& actor, const ClaimPolicy& policy,
                             RunningHoldings running) {
  catch_up(now);
  Outcome out;
  if ((out.refusal = enter(actor, std::nullopt))) return out;
  const Role role = members_.at(actor);
  if (!reference::permits(role, Action::set_holding_period) &&
      !reference::permits(role, Action::set_max_holdings)) {
    out.refusal = RefusalCode::not_permitted;  // even when nothing would change
    return out;
  }
  const ClaimPolicy before = pool_.policy;
  // The caps on how many a user takes: the holding cap and the daily limit.
  const bool cap_changed =
      before.max_holdings != policy.max_holdings || before.daily_limit != policy.daily_limit;
  const bool time_changed =
      before.default_rule != policy.default_rule || before.levels != policy.levels ||
      before.protection != policy.protection || before.extension != policy.extension ||
      before.max_extensions != policy.max_extensions ||
      before.reclaim_cooldown != policy.reclaim_cooldown ||
      before.release_cooldown != policy.release_cooldown || before.time_zone != policy.time_zone ||
      before.unknown_years != policy.unknown_years;
  if ((cap_changed && !reference::permits(role, Action::set_max_holdings)) ||
      (time_changed && !reference::permits(role, Action::set_holding_period))) {
    return refused(RefusalCode::not_permitted);
  }
  // The same policy, kept as it is: nothing happens. Recomputing under the
  // same policy is still a new version: it reaches holdings an earlier change
  // left under their old rules.
  if (before == policy && running == RunningHoldings::keep) return out;
  // Every business-day span of the new policy, counted from now in its zone,
  // must stay within the years the calendar knows, unless it may guess them.
  if (reference::runs_past_calendar(policy, calendar_, now)) {
    return refused(RefusalCode::calendar_ends);
  }
  // What fell due went back at its deadline under the old policy (its
  // cooldown too, as catch_up made it): the engine writes it before the new
  // policy applies, with its Returned events first. A paused pool has none.
  write_all_pending(out);
  out.returned.clear();
  pool_.policy = policy;
  ++pool_.policy_version;  // holdings from now on start under the new version
  pool_.policy_since = now;
  const std::uint32_t changed =
      recompute_running(out, now, actor, policy, before.time_zone, calendar_, running);
  out.events.push_back({"policy_changed",
                        actor,
                        now,
                        {},
                        {},
                        {},
                        {},
                        {},
                        describe(before) + " -> " + describe(policy) +
                            " version=" + std::to_string(pool_.policy_version) +
                            " running=" + std::string(to_string(running)) +
                            " recomputed=" + std::to_string(changed)});
  return out;
}

std::uint32_t Model::recompute_running(Outcome& out, Time now, const UserId& actor,
                                       const ClaimPolicy& policy, const std::string& old_zone,
                                       const reference::DaysOff& old_calendar,
                                       RunningHoldings running) {
  if (running == RunningHoldings::keep) return 0;
  // Every running holding, member by member (by user id) and each member's
  // holdings as holdings() lists them (earliest deadline first), all as
  // they were before the change.
  std::vector<CustomerId> running_now;
  for (const auto& [user, member_role] : members_) {
    for (const Customer* held : holdings_of(user)) running_now.push_back(held->profile.id);
  }
  std::uint32_t changed = 0;
  for (const CustomerId& id : running_now) {
    Customer& customer = customers_.at(id);
    const std::optional<CustomerRecord> after =
        recomputed(customer.record, rule_of(policy, customer.profile.level), old_zone, old_calendar,
                   policy.time_zone, calendar_, running, pool_.policy_version,
                   pool_.enabled ? now : pool_.paused_since);
    if (!after) continue;
    EventRecord event =
        customer_event("deadline_recomputed", now, actor, id, customer.record, *after);
    event.detail = "previous_deadline=" + to_iso8601(customer.record.deadline) +
                   " policy_version=" + std::to_string(after->policy_version);
    out.events.push_back(event);
    write(customer, HistoryKind::rules_changed, now, actor, *after);
    ++changed;
  }
  return changed;
}

Outcome Model::set_calendar(Time now, const UserId& actor, const reference::DaysOff& calendar,
                            RunningHoldings running) {
  catch_up(now);
  if (!reference::valid_id(actor.str())) return refused(RefusalCode::invalid_argument);
  Outcome out;
  // A time rule: the boss's, as setting the holding period is.
  if ((out.refusal = enter(actor, Action::set_holding_period))) return out;
  // The same calendar again: nothing happens, the current version comes back.
  if (calendar == calendar_) {
    out.calendar_version = pool_.calendar_version;
    return out;
  }
  if (reference::runs_past_calendar(pool_.policy, calendar, now)) {
    return refused(RefusalCode::calendar_ends);
  }
  // What fell due went back at its deadline, counted in the old calendar.
  write_all_pending(out);
  out.returned.clear();
  const reference::DaysOff before = calendar_;
  calendar_ = calendar;
  ++pool_.calendar_version;
  const std::uint32_t changed =
      recompute_running(out, now, actor, pool_.policy, pool_.policy.time_zone, before, running);
  out.events.push_back({"calendar_changed",
                        actor,
                        now,
                        {},
                        {},
                        {},
                        {},
                        {},
                        "version=" + std::to_string(pool_.calendar_version) +
                            " running=" + std::string(to_string(running)) +
                            " recomputed=" + std::to_string(changed)});
  out.calendar_version = pool_.calendar_version;
  return out;
}

// ------------------------------------------------------------- customers ---

Outcome Model::import_customers(Time now, const UserId& actor,
                                std::span<const CustomerProfile> batch, ImportMode mode) {
  catch_up(now);
  Outcome out;
  if (!reference::valid_id(actor.str())) {
    return refused(RefusalCode::invalid_argument);
  }
  if ((out.refusal = enter(actor, Action::import_customers))) return out;
  if (!pool_.enabled) {
    return refused(RefusalCode::pool_disabled);
  }
  std::set<CustomerId> ids_in_batch;
  std::set<std::string> keys_in_batch;
  std::vector<std::size_t> valid;
  for (std::size_t row = 0; row < batch.size(); ++row) {
    const CustomerProfile& profile = batch[row];
    const std::string key = reference::name_key(profile.name);
    // The first problem of the row, in the order the rows are checked.
    auto problem_of = [&]() -> std::optional<RefusalCode> {
      if (!valid_profile(profile)) return RefusalCode::invalid_argument;
      if (!ids_in_batch.insert(profile.id).second) return RefusalCode::invalid_argument;
      if (auto known = customers_.find(profile.id); known != customers_.end()) {
        return collision_code(known->second.record);
      }
      if (key.empty()) return std::nullopt;
      if (!keys_in_batch.insert(key).second) return RefusalCode::invalid_argument;
      if (auto same = name_keys_.find(key); same != name_keys_.end()) {
        return collision_code(customers_.at(same->second).record);
      }
      return std::nullopt;
    };
    const std::optional<RefusalCode> problem = problem_of();
    if (!problem) {
      valid.push_back(row);
      continue;
    }
    out.problems.emplace_back(row, *problem);
  }
  if (mode == ImportMode::all_or_nothing && !out.problems.empty()) return out;
  std::string ids;
  for (const std::size_t row : valid) {
    const CustomerProfile& profile = batch[row];
    Customer customer{profile, CustomerRecord{}, {}};
    customer.record.since = now;
    customer.history.push_back(
        entry(HistoryKind::imported, now, actor, CustomerRecord{}, customer.record, {}));
    customers_.emplace(profile.id, std::move(customer));
    if (const std::string key = reference::name_key(profile.name); !key.empty()) {
      name_keys_.emplace(key, profile.id);
    }
    out.imported.push_back(profile.id);
    ids += (ids.empty() ? "" : ",") + profile.id.str();
  }
  if (!out.imported.empty()) {
    out.events.push_back({"customers_imported", actor, now, {}, {}, {}, {}, {}, "ids=" + ids});
  }
  return out;
}

Outcome Model::move_into_pool(Time now, const UserId& actor, const CustomerProfile& profile) {
  catch_up(now);
  Outcome out;
  if (!reference::valid_id(actor.str()) || !valid_profile(profile)) {
    return refused(RefusalCode::invalid_argument);
  }
  if ((out.refusal = enter(actor, Action::move_into_pool))) return out;
  if (!pool_.enabled) {
    return refused(RefusalCode::pool_disabled);
  }
  auto found = customers_.find(profile.id);
  if (found != customers_.end() && found->second.record.state != CustomerState::regular) {
    return refused(RefusalCode::already_in_pool);
  }
  if (found == customers_.end()) {
    // A customer new to the pool: its profile is the one given, and its name
    // must not be one the pool already knows (the import's collision check).
    const std::string key = reference::name_key(profile.name);
    if (auto same = key.empty() ? name_keys_.end() : name_keys_.find(key);
        same != name_keys_.end()) {
      return refused(collision_code(customers_.at(same->second).record));
    }
    found = customers_.emplace(profile.id, Customer{profile, CustomerRecord{}, {}}).first;
    if (!key.empty()) name_keys_.emplace(key, profile.id);
  }
  Customer& customer = found->second;
  CustomerRecord after = customer.record;  // keeps the cooldown of a previous holder
  after.state = CustomerState::available;
  after.holder.reset();
  after.since = now;
  forget_holding(after);
  out.events.push_back(
      customer_event("moved_into_pool", now, actor, profile.id, customer.record, after));
  write(customer, HistoryKind::moved_in, now, actor, after);
  return out;
}

Outcome Model::move_out_of_pool(Time now, const UserId& actor, const CustomerId& id) {
  catch_up(now);
  Outcome out;
  if (!reference::valid_id(actor.str()) || !reference::valid_id(id.str())) {
    return refused(RefusalCode::invalid_argument);
  }
  if ((out.refusal = enter(actor, Action::move_out_of_pool))) return out;
  const auto found = customers_.find(id);
  if (found == customers_.end()) {
    return refused(RefusalCode::unknown_customer);
  }
  Customer& customer = found->second;
  if (customer.record.state == CustomerState::regular) {
    return refused(RefusalCode::not_in_pool);
  }
  CustomerRecord after = customer.record;  // the holder, if any, keeps it as owner
  after.state = CustomerState::regular;
  after.since = now;
  forget_holding(after, true);  // an owner keeps the last follow-up
  write_pending(out, id);
  out.events.push_back(customer_event("moved_out_of_pool", now, actor, id, customer.record, after));
  write(customer, HistoryKind::moved_out, now, actor, after);
  return out;
}

Outcome Model::claim(Time now, const UserId& actor, const CustomerId& id) {
  return take(now, actor, id, actor, Action::claim);
}

Outcome Model::assign(Time now, const UserId& actor, const CustomerId& id, const UserId& to) {
  return take(now, actor, id, to, Action::assign);
}

Outcome Model::take(Time now, const UserId& actor, const CustomerId& id, const UserId& taker,
                    Action action) {
  catch_up(now);
  Outcome out;
  if (!reference::valid_id(actor.str()) || !reference::valid_id(id.str()) ||
      !reference::valid_id(taker.str())) {
    return refused(RefusalCode::invalid_argument);
  }
  if ((out.refusal = enter(actor, action))) return out;
  if (!pool_.enabled) {
    return refused(RefusalCode::pool_disabled);
  }
  if (action == Action::assign && !members_.contains(taker)) {
    return refused(RefusalCode::not_a_member);
  }
  const auto found = customers_.find(id);
  if (found == customers_.end()) {
    return refused(RefusalCode::unknown_customer);
  }
  Customer& customer = found->second;
  if (customer.record.state == CustomerState::regular) {
    out.refusal = RefusalCode::not_in_pool;
  } else if (customer.record.state == CustomerState::held) {
    out.refusal = RefusalCode::already_held;
  } else if (std::any_of(
                 customer.record.cooldowns.begin(), customer.record.cooldowns.end(),
                 [&](const Cooldown& wait) { return wait.user == taker && now < wait.until; })) {
    out.refusal = RefusalCode::cooldown;
  } else if (count_holdings(taker) >= pool_.policy.max_holdings) {
    out.refusal = RefusalCode::cap_reached;
  } else if (counted_today(taker, action)) {
    if (auto over = over_daily_limit(now, taker, customer.profile.level)) return *over;
  }
  if (out.refusal == RefusalCode::cooldown) {
    // Time lifts it: the taker's latest running wait says when.
    for (const Cooldown& wait : customer.record.cooldowns) {
      if (wait.user != taker || !(now < wait.until)) continue;
      if (!out.retry_after || *out.retry_after < wait.until) out.retry_after = wait.until;
    }
  }
  if (out.refusal) return out;
  CustomerRecord after = customer.record;
  after.state = CustomerState::held;
  after.holder = taker;
  after.since = now;
  forget_holding(after);
  // The rule of the customer's level, fixed for the whole holding.
  const ReturnRule& rule = rule_of(pool_.policy, customer.profile.level);
  // Counted into a year the calendar does not know: refused, unless the
  // policy counts such years by their weekends.
  const std::optional<Time> period_end = counted_or_refused(now, rule.holding_period);
  if (!period_end) return refused(RefusalCode::calendar_ends);
  after.period_deadline = *period_end;
  after.period_length = rule.holding_period;
  if (rule.idle_limit) {
    const std::optional<Time> idle_end = counted_or_refused(now, *rule.idle_limit);
    if (!idle_end) return refused(RefusalCode::calendar_ends);
    after.idle_limit = rule.idle_limit;
    after.idle_deadline = *idle_end;
  }
  after.reminders = rule.reminders;  // armed by write()
  after.policy_version = pool_.policy_version;
  settle(after);
  const bool claimed = action == Action::claim;
  write_pending(out, id);
  // At the cap (counting what the storage still holds), the taker's due
  // holdings are written back first: a place is freed only by a written return.
  const auto unwritten = std::count_if(pending_.begin(), pending_.end(), [&](const auto& pending) {
    return pending.second.returned.previous_holder == taker;
  });
  if (count_holdings(taker) + static_cast<std::size_t>(unwritten) >= pool_.policy.max_holdings) {
    write_all_pending(out, taker);
    out.returned.clear();  // no sweep lines: a take reports none
  }
  out.events.push_back(
      customer_event(claimed ? "claimed" : "assigned", now, actor, id, customer.record, after));
  write(customer, claimed ? HistoryKind::claimed : HistoryKind::assigned, now, actor, after);
  out.holding = Holding{id, taker, now, after.deadline, 0};
  if (counted_today(taker, action)) {
    tally_take(now, taker, customer.profile.level, action);
    out.counted_today = true;
  }
  return out;
}

// -------------------------------------------------------- the daily limit ---

bool Model::counted_today(const UserId& taker, Action action) const {
  const DailyLimit& limit = pool_.policy.daily_limit;
  // No limit at all: nothing is limited, nothing is counted.
  if (!limit.per_day && limit.levels.empty()) return false;
  // An assignment is a decision, not a race: it counts only when the limit says so.
  if (action == Action::assign && !limit.assignments_count) return false;
  // The taker's role (the assignee's for an assignment) may be above the limit.
  return !reference::permits(members_.at(taker), Action::exceed_daily_limit);
}

std::optional<Outcome> Model::over_daily_limit(Time now, const UserId& taker,
                                               const std::string& level) const {
  const DailyLimit& limit = pool_.policy.daily_limit;
  const std::string& zone = pool_.policy.time_zone;
  const date::local_days today = reference::local_date(zone, now);
  // What the taker took today and the limit counts now: a tally of another
  // day counts nothing; assignments only while the limit counts them.
  std::uint32_t taken = 0;
  std::uint32_t taken_of_level = 0;
  const auto tally = tallies_.find(taker);
  if (tally != tallies_.end() && tally->second.day == today) {
    const DayTally& day = tally->second;
    taken = day.claims + (limit.assignments_count ? day.assignments : 0);
    if (const auto of_level = day.levels.find(level); of_level != day.levels.end()) {
      taken_of_level =
          of_level->second.first + (limit.assignments_count ? of_level->second.second : 0);
    }
  }
  std::string hit;
  if (limit.per_day && taken >= *limit.per_day) {
    hit = "overall";
  } else {
    for (const LevelLimit& own : limit.levels) {
      if (own.level == level && taken_of_level >= own.per_day) hit = "level " + level;
    }
  }
  if (hit.empty()) return std::nullopt;
  Outcome out = refused(RefusalCode::daily_limit);
  out.retry_after = reference::day_begins(zone, today + date::days(1));
  out.daily_limit_hit = hit;
  return out;
}

void Model::tally_take(Time now, const UserId& taker, const std::string& level, Action action) {
  const date::local_days today = reference::local_date(pool_.policy.time_zone, now);
  DayTally& tally = tallies_[taker];
  if (tally.day != today) tally = DayTally{today, 0, 0, {}};  // a new day starts from none
  const bool assigned = action == Action::assign;
  ++(assigned ? tally.assignments : tally.claims);
  // By level only for a level with a limit of its own now.
  const std::vector<LevelLimit>& limited = pool_.policy.daily_limit.levels;
  if (std::any_of(limited.begin(), limited.end(),
                  [&](const LevelLimit& own) { return own.level == level; })) {
    auto& [claims, assignments] = tally.levels[level];
    ++(assigned ? assignments : claims);
  }
}

Outcome Model::release(Time now, const UserId& actor, const CustomerId& id) {
  catch_up(now);
  Outcome out;
  if (!reference::valid_id(actor.str()) || !reference::valid_id(id.str())) {
    return refused(RefusalCode::invalid_argument);
  }
  if ((out.refusal = enter(actor, std::nullopt))) return out;
  if ((out.refusal = holding_problem(id))) return out;
  Customer& customer = customers_.at(id);
  const Action action = customer.record.holder == actor ? Action::release_own : Action::release_any;
  if (!reference::permits(members_.at(actor), action)) {
    return refused(RefusalCode::not_permitted);
  }
  CustomerRecord after = customer.record;
  after.state = CustomerState::available;
  after.holder.reset();
  after.since = now;
  forget_holding(after);
  after.cooldowns.push_back({*customer.record.holder, now + pool_.policy.release_cooldown});
  EventRecord event = customer_event("released", now, actor, id, customer.record, after);
  event.detail = "member_removed=0";
  out.events.push_back(event);
  write(customer, HistoryKind::released, now, actor, after);
  return out;
}

Outcome Model::extend(Time now, const UserId& actor, const CustomerId& id) {
  catch_up(now);
  Outcome out;
  if (!reference::valid_id(actor.str()) || !reference::valid_id(id.str())) {
    return refused(RefusalCode::invalid_argument);
  }
  if ((out.refusal = enter(actor, Action::extend))) return out;
  if (!pool_.enabled) {
    return refused(RefusalCode::pool_disabled);
  }
  if ((out.refusal = holding_problem(id))) return out;
  Customer& customer = customers_.at(id);
  if (due(customer.record, now)) {
    return refused(RefusalCode::deadline_passed);
  }
  if (customer.record.extensions_used >= pool_.policy.max_extensions) {
    return refused(RefusalCode::extension_limit);
  }
  // An extension moves the period clock only, counted on from its end.
  const std::optional<Time> extended_end =
      counted_or_refused(customer.record.period_deadline, pool_.policy.extension);
  if (!extended_end) return refused(RefusalCode::calendar_ends);
  CustomerRecord after = customer.record;
  after.period_deadline = *extended_end;
  after.extensions_used = customer.record.extensions_used + 1;
  settle(after);
  EventRecord event = customer_event("extended", now, actor, id, customer.record, after);
  event.detail = "previous_deadline=" + to_iso8601(customer.record.deadline) +
                 " extensions_used=" + std::to_string(after.extensions_used);
  out.events.push_back(event);
  out.holding = Holding{id, *after.holder, after.since, after.deadline, after.extensions_used};
  write(customer, HistoryKind::extended, now, actor, after);
  return out;
}

Outcome Model::follow_up(Time now, const UserId& actor, const CustomerId& id,
                         std::string_view note) {
  catch_up(now);
  Outcome out;
  const bool note_ok = reference::valid_note(note);
  if (!reference::valid_id(actor.str()) || !reference::valid_id(id.str()) || !note_ok) {
    return refused(RefusalCode::invalid_argument);
  }
  if ((out.refusal = enter(actor, Action::follow_up))) return out;
  if ((out.refusal = holding_problem(id))) return out;
  Customer& customer = customers_.at(id);
  if (customer.record.holder != actor) {
    out.refusal = RefusalCode::held_by_other;
  } else if (due(customer.record, now)) {
    out.refusal = RefusalCode::deadline_passed;
  }
  if (out.refusal) return out;
  CustomerRecord after = customer.record;
  after.last_follow_up = now;
  // The idle clock starts again now, with the limit the holding began with;
  // never refused for a year the calendar lacks (counted by its weekends).
  if (after.idle_limit) after.idle_deadline = count(now, *after.idle_limit).end;
  settle(after);
  EventRecord event = customer_event("followed_up", now, actor, id, customer.record, after);
  event.detail = "note=" + std::string(note);
  out.events.push_back(event);
  write(customer, HistoryKind::followed_up, now, actor, after, std::string(note));
  return out;
}

Outcome Model::record_win(Time now, const UserId& actor, const CustomerId& id, WinKind kind) {
  catch_up(now);
  Outcome out;
  if (!reference::valid_id(actor.str()) || !reference::valid_id(id.str()) ||
      (kind != WinKind::contract_signed && kind != WinKind::payment_received)) {
    return refused(RefusalCode::invalid_argument);
  }
  if ((out.refusal = enter(actor, std::nullopt))) return out;
  if ((out.refusal = holding_problem(id))) return out;
  Customer& customer = customers_.at(id);
  const Action action =
      customer.record.holder == actor ? Action::record_win_own : Action::record_win_any;
  if (!reference::permits(members_.at(actor), action)) {
    out.refusal = RefusalCode::not_permitted;
  } else if (due(customer.record, now)) {
    out.refusal = RefusalCode::deadline_passed;
  }
  if (out.refusal) return out;
  CustomerRecord after = customer.record;  // the holder becomes the owner
  after.state = CustomerState::regular;
  after.since = now;
  forget_holding(after, true);  // an owner keeps the last follow-up
  EventRecord event = customer_event("won", now, actor, id, customer.record, after);
  event.detail = "kind=" + std::string(to_string(kind));
  out.events.push_back(event);
  write(customer, HistoryKind::won, now, actor, after, std::string(to_string(kind)));
  customer.history.back().win = kind;  // HistoryEntry::win, as the engine writes it
  return out;
}

Outcome Model::sweep(Time now) {
  catch_up(now);
  Outcome out;
  if (!exists_) {
    return refused(RefusalCode::unknown_pool);
  }
  if (!pool_.enabled) {
    out.paused = true;
    return out;
  }
  // Every holding due by now already went back at its deadline (catch_up):
  // the sweep writes what no command wrote yet, then sends the reminders.
  write_all_pending(out);
  send_reminders(out, now);
  return out;
}

// ------------------------------------------------------------ protection ---

// The checks protect and unprotect share, in the engine's documented order:
// the customer is a holding, the actor may protect it (their own or any), and
// its deadline has not passed.
std::optional<RefusalCode> Model::protection_problem(const UserId& actor, const CustomerId& id,
                                                     Time now) const {
  if (auto problem = holding_problem(id)) return problem;
  const CustomerRecord& record = customers_.at(id).record;
  const Action action = record.holder == actor ? Action::protect_own : Action::protect_any;
  if (!reference::permits(members_.at(actor), action)) return RefusalCode::not_permitted;
  if (due(record, now)) return RefusalCode::deadline_passed;
  return std::nullopt;
}

Outcome Model::protect(Time now, const UserId& actor, const CustomerId& id,
                       std::optional<Duration> length) {
  catch_up(now);
  Outcome out;
  if (!reference::valid_id(actor.str()) || !reference::valid_id(id.str())) {
    return refused(RefusalCode::invalid_argument);
  }
  if ((out.refusal = enter(actor, std::nullopt))) return out;
  if (!pool_.enabled) return refused(RefusalCode::pool_disabled);
  if ((out.refusal = protection_problem(actor, id, now))) return out;
  Customer& customer = customers_.at(id);
  const CustomerRecord& before = customer.record;
  const ProtectionRule& rule = pool_.policy.protection;
  if (rule.max_per_user == 0) return refused(RefusalCode::protection_limit);  // off
  // The longest protection counted from now: refused when it runs into a
  // year the calendar does not know (and the policy refuses to guess).
  const std::optional<Time> longest = counted_or_refused(now, rule.longest);
  if (!longest) return refused(RefusalCode::calendar_ends);
  const Time longest_end = *longest;
  // At most as long as the longest protection from now would last: compared
  // where they end, so an hour-long one fits whole days however they fall.
  if (length && (length->is_special() || *length <= seconds(0) || *length > days(3653))) {
    return refused(RefusalCode::invalid_argument);
  }
  const Time wanted_end = length ? count(now, Span(*length)).end : longest_end;
  if (longest_end < wanted_end) return refused(RefusalCode::invalid_argument);
  const bool protected_now =
      !before.protected_until.is_not_a_date_time() && now < before.protected_until;
  if (protected_now) return refused(RefusalCode::protection_limit);  // not renewed
  if (count_protected(*before.holder, now) >= rule.max_per_user) {
    return refused(RefusalCode::protection_limit);
  }
  CustomerRecord after = before;
  after.protected_until = wanted_end;
  settle(after);
  EventRecord event = customer_event("protection_changed", now, actor, id, before, after);
  event.detail = "protected_until=" + to_iso8601(after.protected_until);
  out.events.push_back(event);
  out.holding = Holding{id, *after.holder, after.since, after.deadline, after.extensions_used};
  write(customer, HistoryKind::protection_set, now, actor, after);
  return out;
}

Outcome Model::unprotect(Time now, const UserId& actor, const CustomerId& id) {
  catch_up(now);
  Outcome out;
  if (!reference::valid_id(actor.str()) || !reference::valid_id(id.str())) {
    return refused(RefusalCode::invalid_argument);
  }
  if ((out.refusal = enter(actor, std::nullopt))) return out;
  if (!pool_.enabled) return refused(RefusalCode::pool_disabled);
  if ((out.refusal = protection_problem(actor, id, now))) return out;
  Customer& customer = customers_.at(id);
  const CustomerRecord& before = customer.record;
  if (before.protected_until.is_not_a_date_time() || !(now < before.protected_until)) {
    return refused(RefusalCode::invalid_argument);  // not protected
  }
  CustomerRecord after = before;
  after.protected_until = Time();
  settle(after);
  // A clock that ran out while protected: due at once, at the unprotect (the
  // deadline never lies before the change that sets it).
  if (after.deadline < now) after.deadline = now;
  EventRecord event = customer_event("protection_changed", now, actor, id, before, after);
  event.detail = "protected_until=" + to_iso8601(after.protected_until);
  out.events.push_back(event);
  out.holding = Holding{id, *after.holder, after.since, after.deadline, after.extensions_used};
  write(customer, HistoryKind::protection_lifted, now, actor, after);
  return out;
}

}  // namespace highseas::sim
