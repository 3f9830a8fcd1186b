// PublicPool's engine steps and its set-up commands. Compiled into
// HighSeas::highseas by public_pool.cpp; included by public_pool.hpp in
// header-only mode. Every command: read, ask rules.hpp, apply, commit.
#pragma once

#include "highseas_inl/core/engine.hpp"

namespace highseas {

namespace detail {

inline std::size_t count_bosses(Transaction& tx) {
  const std::vector<Member> members = tx.list_members();
  return static_cast<std::size_t>(
      std::count_if(members.begin(), members.end(),
                    [](const Member& member) { return member.role == Role::boss; }));
}

}  // namespace detail

HIGHSEAS_INLINE PublicPool::PublicPool(PoolId pool, Storage& storage, const Clock& clock,
                                       RoleGuard guard)
    : engine_(std::make_unique<Engine>(std::move(pool), storage, clock, guard)) {}

HIGHSEAS_INLINE PublicPool::~PublicPool() = default;

HIGHSEAS_INLINE const PoolId& PublicPool::id() const noexcept { return engine_->pool; }

HIGHSEAS_INLINE PoolEvents& PublicPool::events() noexcept { return engine_->events; }

HIGHSEAS_INLINE Result<rules::Situation> PublicPool::Engine::enter(
    Transaction& tx, const UserId& actor, Command command, std::optional<Action> action) const {
  std::optional<PoolRecord> record = tx.find_pool();
  if (!record) return refuse(RefusalCode::unknown_pool, "pool '" + pool.str() + "' does not exist");
  std::optional<Role> role = tx.find_member(actor);
  if (!role) {
    return refuse(RefusalCode::not_a_member,
                  "'" + actor.str() + "' is not a member of pool '" + pool.str() + "'");
  }
  if (action) {
    if (auto refusal = guard.check(*role, *action)) return *refusal;
  }
  if (auto refusal = rules::check_switched_on(*record, command)) return *refusal;
  std::shared_ptr<const TeamCalendar> days = team_for(tx, *record);
  return rules::Situation{*record, guard, actor, role, clock->now(), std::move(days)};
}

HIGHSEAS_INLINE void PublicPool::Engine::apply(Transaction& tx, Pending& pending,
                                               const rules::Situation& situation,
                                               const CustomerId& id, const CustomerRecord& before,
                                               const rules::Change& change) {
  tx.write_change(id, change.after, change.entry);
  announce(pending, situation, id, before, change);
}

HIGHSEAS_INLINE std::optional<CustomerRecord> PublicPool::Engine::settle(
    Transaction& tx, Pending& pending, const rules::Situation& situation, const CustomerId& id) {
  std::optional<CustomerRecord> record = tx.find_customer(id);
  if (record && rules::is_due(situation.pool, *record, situation.now)) {
    rules::Change change = rules::return_due(situation, *record);
    apply(tx, pending, rules::at_deadline(situation, *record), id, *record, change);
    record = std::move(change.after);
  }
  return record;
}

HIGHSEAS_INLINE std::uint32_t PublicPool::Engine::count_places_taken(
    Transaction& tx, Pending& pending, const rules::Situation& situation, const UserId& taker) {
  const std::uint32_t held = tx.count_holdings(taker, std::nullopt);
  if (held < situation.pool.policy.max_holdings || !situation.pool.enabled) return held;
  const std::vector<DueHolding> due = tx.list_due_holdings(taker, situation.now);
  for (const DueHolding& holding : due) {
    apply(tx, pending, rules::at_deadline(situation, holding.record), holding.id, holding.record,
          rules::return_due(situation, holding.record));
  }
  return due.empty() ? held : tx.count_holdings(taker, std::nullopt);
}

HIGHSEAS_INLINE std::vector<DueHolding> PublicPool::Engine::return_due(
    Transaction& tx, Pending& pending, const rules::Situation& situation, std::size_t limit) {
  // The storage writes the batch (in one statement where it can); the rules
  // decided what it writes.
  std::vector<DueHolding> due = tx.return_due(rules::due_return(situation), limit);
  if (detail::SignalAccess::has_slots(events.returned)) {
    for (const DueHolding& holding : due) {
      announce(pending, rules::at_deadline(situation, holding.record), holding.id, holding.record,
               rules::return_due(situation, holding.record));
    }
  }
  return due;
}

HIGHSEAS_INLINE std::size_t PublicPool::Engine::remind_due(Transaction& tx, Pending& pending,
                                                           const rules::Situation& situation,
                                                           std::size_t limit,
                                                           std::vector<SentReminder>& sent) {
  std::vector<DueHolding> due = tx.list_reminders_due(situation.now, limit);
  if (due.empty()) return 0;
  // The audience as the pool's members are now: read once per batch, and
  // only for a reminder to more than the holder.
  std::optional<std::vector<Member>> members;
  const Time countdown = rules::countdown_now(situation.pool, situation.now);
  for (const DueHolding& holding : due) {
    const rules::Reminding reminding = rules::remind(situation, holding.record);
    const CustomerRecord& after = reminding.change.after;
    if (!reminding.reminder) {
      tx.update_customer(holding.id, after);  // re-armed; nothing owed
      continue;
    }
    tx.write_change(holding.id, after, reminding.change.entry);
    SentReminder& reminder = sent.emplace_back();
    reminder.customer = holding.id;
    reminder.holder = *holding.record.holder;
    reminder.deadline = holding.record.deadline;
    reminder.reminder = *reminding.reminder;
    reminder.time_left = holding.record.deadline - countdown;
    if (!members && reminder.reminder.audience != ReminderAudience::holder) {
      members = tx.list_members();
    }
    const std::span<const Member> listed =
        members ? std::span<const Member>(*members) : std::span<const Member>();
    reminder.audience =
        rules::reminder_recipients(listed, reminder.holder, reminder.reminder.audience);
    emit_later(pending, &PoolEvents::reminder_due, [&] {
      auto event = customer_event<ReminderDue>(situation, holding.id, holding.record, after);
      event.reminder = reminder.reminder;
      event.time_left = reminder.time_left;
      event.audience = reminder.audience;
      return event;
    });
  }
  return due.size();
}

HIGHSEAS_INLINE void PublicPool::Engine::return_all_due(Transaction& tx, Pending& pending,
                                                        const rules::Situation& situation) {
  if (!situation.pool.enabled) return;  // nothing falls due while the pool is off
  while (return_due(tx, pending, situation, kSweepBatch).size() == kSweepBatch) {
  }
}

HIGHSEAS_INLINE void PublicPool::Engine::announce(Pending& pending,
                                                  const rules::Situation& situation,
                                                  const CustomerId& id,
                                                  const CustomerRecord& before,
                                                  const rules::Change& change) {
  const CustomerRecord& after = change.after;
  auto plain = [&]<class Event>(Signal<Event> PoolEvents::*signal) {
    emit_later(pending, signal,
               [&] { return customer_event<Event>(situation, id, before, after); });
  };
  switch (change.entry.kind) {
    case HistoryKind::imported:
      break;  // announced once per batch by import_customers
    case HistoryKind::moved_in:
      plain(&PoolEvents::moved_into_pool);
      break;
    case HistoryKind::moved_out:
      plain(&PoolEvents::moved_out_of_pool);
      break;
    case HistoryKind::claimed:
      plain(&PoolEvents::claimed);
      break;
    case HistoryKind::assigned:
      plain(&PoolEvents::assigned);
      break;
    case HistoryKind::released:
    case HistoryKind::member_removed:
      emit_later(pending, &PoolEvents::released, [&] {
        auto event = customer_event<Released>(situation, id, before, after);
        event.member_removed = change.entry.kind == HistoryKind::member_removed;
        return event;
      });
      break;
    case HistoryKind::extended:
      emit_later(pending, &PoolEvents::extended, [&] {
        auto event = customer_event<Extended>(situation, id, before, after);
        event.previous_deadline = before.deadline;
        event.extensions_used = after.extensions_used;
        return event;
      });
      break;
    case HistoryKind::followed_up:
      emit_later(pending, &PoolEvents::followed_up, [&] {
        auto event = customer_event<FollowedUp>(situation, id, before, after);
        event.note = change.entry.note;
        return event;
      });
      break;
    case HistoryKind::won:
      emit_later(pending, &PoolEvents::won, [&] {
        auto event = customer_event<Won>(situation, id, before, after);
        event.kind = change.entry.win.value_or(WinKind::contract_signed);
        return event;
      });
      break;
    case HistoryKind::returned:
      emit_later(pending, &PoolEvents::returned, [&] {
        auto event = customer_event<Returned>(situation, id, before, after);
        event.deadline_reason = before.deadline_reason;  // the clock that ran out
        return event;
      });
      break;
    case HistoryKind::protection_set:
    case HistoryKind::protection_lifted:
      emit_later(pending, &PoolEvents::protection_changed, [&] {
        auto event = customer_event<ProtectionChanged>(situation, id, before, after);
        event.protected_until = after.protected_until;
        return event;
      });
      break;
    case HistoryKind::rules_changed:
      emit_later(pending, &PoolEvents::deadline_recomputed, [&] {
        auto event = customer_event<DeadlineRecomputed>(situation, id, before, after);
        event.previous_deadline = before.deadline;
        event.policy_version = after.policy_version;
        return event;
      });
      break;
    case HistoryKind::reminded:
      break;  // the sweep announces it, with the audience it resolved
  }
}

HIGHSEAS_INLINE Result<Done> PublicPool::create(const UserId& first_boss,
                                                const ClaimPolicy& policy) {
  Engine& engine = *engine_;
  if (!engine.pool.valid()) return detail::bad_id("pool id");
  if (!first_boss.valid()) return detail::bad_id("user id");
  if (auto valid = policy.validate(); !valid) return valid.refusal();
  // A new pool has no work calendar yet, so it cannot count business days.
  const TeamCalendar no_calendar(*TimeZone::named(policy.time_zone), WorkCalendar());
  if (auto refusal = rules::check_calendar_covers(policy, no_calendar, engine.clock->now())) {
    return *refusal;
  }
  return engine.run<Done>(
      TransactionMode::read_write, [&](Transaction& tx, Engine::Pending& pending) -> Result<Done> {
        if (tx.find_pool()) {
          return refuse(RefusalCode::pool_exists,
                        "pool '" + engine.pool.str() + "' already exists");
        }
        const Time now = engine.clock->now();
        tx.put_pool(PoolRecord{true, policy, now, Time(), 1, now});
        tx.put_member(first_boss, Role::boss);
        engine.emit_later(pending, &PoolEvents::member_changed, [&] {
          return MemberChanged{
              {engine.pool, first_boss, now}, first_boss, std::nullopt, Role::boss};
        });
        return Done{};
      });
}

HIGHSEAS_INLINE Result<Done> PublicPool::set_member(const UserId& actor, const UserId& user,
                                                    Role role) {
  Engine& engine = *engine_;
  if (!actor.valid()) return detail::bad_id("actor id");
  if (!user.valid()) return detail::bad_id("user id");
  // An out-of-range Role would index past RoleGuard's table on every later command.
  if (role != Role::boss && role != Role::pool_admin && role != Role::pool_user) {
    return refuse(RefusalCode::invalid_argument, "unknown role");
  }
  return engine.run<Done>(
      TransactionMode::read_write, [&](Transaction& tx, Engine::Pending& pending) -> Result<Done> {
        auto situation =
            engine.enter(tx, actor, Engine::Command::set_member, Action::manage_members);
        if (!situation) return situation.refusal();
        const std::optional<Role> before = tx.find_member(user);
        if (before == role) return Done{};
        const std::size_t bosses = before == Role::boss ? detail::count_bosses(tx) : 0;
        if (auto refusal = rules::check_member_change(user, before, role, bosses)) return *refusal;
        tx.put_member(user, role);
        engine.emit_later(pending, &PoolEvents::member_changed, [&] {
          return MemberChanged{{engine.pool, actor, situation->now}, user, before, role};
        });
        return Done{};
      });
}

HIGHSEAS_INLINE Result<Done> PublicPool::remove_member(const UserId& actor, const UserId& user) {
  Engine& engine = *engine_;
  if (!actor.valid()) return detail::bad_id("actor id");
  if (!user.valid()) return detail::bad_id("user id");
  return engine.run<Done>(
      TransactionMode::read_write, [&](Transaction& tx, Engine::Pending& pending) -> Result<Done> {
        auto situation =
            engine.enter(tx, actor, Engine::Command::remove_member, Action::manage_members);
        if (!situation) return situation.refusal();
        const std::optional<Role> before = tx.find_member(user);
        const std::size_t bosses = before == Role::boss ? detail::count_bosses(tx) : 0;
        if (auto refusal = rules::check_member_change(user, before, std::nullopt, bosses)) {
          return *refusal;
        }
        for (const StoredCustomer& held : tx.list_holdings(user)) {
          // One already due went back at its deadline, before the removal.
          if (rules::is_due(situation->pool, held.record, situation->now)) {
            engine.apply(tx, pending, rules::at_deadline(*situation, held.record), held.profile.id,
                         held.record, rules::return_due(*situation, held.record));
          } else {
            engine.apply(tx, pending, *situation, held.profile.id, held.record,
                         rules::return_of_removed_member(*situation, held.record));
          }
        }
        tx.erase_member(user);
        engine.emit_later(pending, &PoolEvents::member_changed, [&] {
          return MemberChanged{{engine.pool, actor, situation->now}, user, before, std::nullopt};
        });
        return Done{};
      });
}

HIGHSEAS_INLINE Result<Done> PublicPool::set_enabled(const UserId& actor, bool enabled) {
  Engine& engine = *engine_;
  if (!actor.valid()) return detail::bad_id("actor id");
  return engine.run<Done>(
      TransactionMode::read_write, [&](Transaction& tx, Engine::Pending& pending) -> Result<Done> {
        auto situation = engine.enter(tx, actor, Engine::Command::set_enabled, Action::switch_pool);
        if (!situation) return situation.refusal();
        if (situation->pool.enabled == enabled) return Done{};
        // What fell due before a pause went back at its deadline: write it
        // now, or resuming would move those deadlines on and revive them.
        if (!enabled) engine.return_all_due(tx, pending, *situation);
        const rules::Switch next = rules::switch_pool(situation->pool, enabled, situation->now);
        if (next.shift_deadlines_by > Duration(0, 0, 0)) {
          tx.shift_deadlines(next.shift_deadlines_by);
        }
        tx.put_pool(next.pool);
        engine.emit_later(pending, &PoolEvents::pool_switched, [&] {
          return PoolSwitched{{engine.pool, actor, situation->now}, enabled};
        });
        return Done{};
      });
}

}  // namespace highseas

#include "highseas_inl/core/public_pool_customers-inl.hpp"
#include "highseas_inl/core/public_pool_policy-inl.hpp"
// After the policy commands: a calendar change treats running holdings as they do.
#include "highseas_inl/core/public_pool_calendar-inl.hpp"
#include "highseas_inl/core/public_pool_queries-inl.hpp"
