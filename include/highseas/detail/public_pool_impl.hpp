// PublicPool's machinery and its set-up commands. Internal: included by
// public_pool.hpp only.
#pragma once

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>
#include <type_traits>
#include <utility>

#include "highseas/detail/validation.hpp"
#include "highseas/name_key.hpp"
#include "highseas/public_pool.hpp"

namespace highseas {

// What every command learns before it decides.
struct PublicPool::Context {
  PoolRecord pool;
  std::optional<UserId> actor;  // none for the sweep
  std::optional<Role> role;
  Time now;
};

inline PublicPool::PublicPool(PoolId pool, Storage& storage, const Clock& clock, RoleGuard guard)
    : pool_(std::move(pool)), storage_(&storage), clock_(&clock), guard_(guard) {}

namespace detail {

// Builds the refusal for an id that fails is_valid_id.
inline Refusal bad_id(std::string_view what) {
  return refuse(RefusalCode::invalid_argument,
                std::string(what) + " must be 1..128 bytes of UTF-8 without control characters");
}

// Returns a held record starting at `now` for `holder`.
inline CustomerRecord held_by(const CustomerRecord& before, const UserId& holder, Time now,
                              Time deadline) {
  CustomerRecord after = before;
  after.state = CustomerState::held;
  after.holder = holder;
  after.since = now;
  after.deadline = deadline;
  after.extensions_used = 0;
  after.last_follow_up = Time();
  return after;
}

// Returns the record of a customer given back to the pool at `now`; the
// previous holder (if any) is in cooldown until `cooldown_until`.
inline CustomerRecord given_back(const CustomerRecord& before, Time now,
                                 std::optional<Time> cooldown_until) {
  CustomerRecord after = before;
  after.state = CustomerState::available;
  after.holder.reset();
  after.since = now;
  after.deadline = Time();
  after.extensions_used = 0;
  after.last_follow_up = Time();
  if (cooldown_until && before.holder) {
    after.cooldown_user = before.holder;
    after.cooldown_until = *cooldown_until;
  }
  return after;
}

// Returns the record of a customer that left the pool; `owner` keeps it.
inline CustomerRecord made_regular(const CustomerRecord& before, Time now) {
  CustomerRecord after = before;
  after.state = CustomerState::regular;
  after.since = now;
  after.deadline = Time();
  after.extensions_used = 0;
  return after;
}

// Returns true iff a member with `role` is the pool's only boss, so demoting or
// removing them would leave nobody able to manage the pool.
inline bool is_last_boss(Transaction& tx, const std::optional<Role>& role) {
  if (role != Role::boss) return false;
  const std::vector<Member> members = tx.list_members();
  return std::count_if(members.begin(), members.end(),
                       [](const Member& member) { return member.role == Role::boss; }) == 1;
}

inline HistoryEntry history_entry(HistoryKind kind, Time at, const std::optional<UserId>& actor,
                                  const CustomerRecord& before, const CustomerRecord& after,
                                  std::string note = {}) {
  return HistoryEntry{at,           kind,           actor,          before.holder,
                      after.holder, after.deadline, std::move(note)};
}

}  // namespace detail

template <class T, class Body>
Result<T> PublicPool::run(TransactionMode mode, Body&& body) {
  constexpr int kMaxAttempts = 32;
  for (int attempt = 1;; ++attempt) {
    Pending pending;
    // A ticket taken must always be published (empty if the commit failed), or
    // every later batch would wait for it forever.
    bool ticket_taken = false;
    std::uint64_t ticket = 0;
    try {
      auto tx = storage_->begin(pool_, mode);
      Result<T> result = body(*tx, pending);
      if (!result.ok() || mode == TransactionMode::read_only) return result;  // rolls back
      ticket = sequencer_.take_ticket();
      ticket_taken = true;
      tx->commit();
      ticket_taken = false;
      tx.reset();  // release storage locks before any slot runs
      sequencer_.publish(ticket, std::move(pending));
      return result;
    } catch (const RetryableStorageError&) {
      if (ticket_taken) sequencer_.publish(ticket, {});
      if (attempt >= kMaxAttempts) throw;
      // Back off a little, with jitter, so competing writers interleave.
      thread_local std::minstd_rand jitter{std::random_device{}()};
      const int limit = std::min(attempt, 10) * 200;
      std::this_thread::sleep_for(
          std::chrono::microseconds(std::uniform_int_distribution<int>(0, limit)(jitter)));
    } catch (...) {
      if (ticket_taken) sequencer_.publish(ticket, {});
      throw;
    }
  }
}

inline Result<PublicPool::Context> PublicPool::enter(Transaction& tx, const UserId& actor,
                                                     std::optional<Action> action, Time now) const {
  std::optional<PoolRecord> pool = tx.find_pool();
  if (!pool) return refuse(RefusalCode::unknown_pool, "pool '" + pool_.str() + "' does not exist");
  std::optional<Role> role = tx.find_member(actor);
  if (!role) {
    return refuse(RefusalCode::not_a_member,
                  "'" + actor.str() + "' is not a member of pool '" + pool_.str() + "'");
  }
  if (action && !guard_.permits(*role, *action)) {
    return refuse(RefusalCode::not_permitted, std::string("a ") + std::string(to_string(*role)) +
                                                  " may not " + std::string(to_string(*action)));
  }
  return Context{*pool, actor, role, now};
}

template <class Event>
Event PublicPool::customer_event(const Context& context, const CustomerId& customer,
                                 const CustomerRecord& before, const CustomerRecord& after) const {
  Event event{};
  event.pool = pool_;
  event.actor = context.actor;
  event.at = context.now;
  event.customer = customer;
  event.previous_holder = before.holder;
  event.holder = after.holder;
  event.deadline = after.deadline;
  return event;
}

// `make_event` builds the event and is only called when the signal has a slot,
// so a host that listens to nothing pays for no event copies, closures or
// signal calls.
template <class Event, class MakeEvent>
void PublicPool::emit_later(Pending& pending, PoolEvents::Signal<Event> PoolEvents::*signal,
                            MakeEvent&& make_event) {
  static_assert(std::is_invocable_r_v<Event, MakeEvent>, "make_event must build the event");
  // A slot connected after this check and before the commit is published has
  // connected after the change, as far as it can tell: it is not owed the event.
  if ((events_.*signal).empty()) return;
  pending.emplace_back([this, signal, event = Event(make_event())] { (events_.*signal)(event); });
}

inline Result<Done> PublicPool::create(const UserId& first_boss, const ClaimPolicy& policy) {
  if (!pool_.valid()) return detail::bad_id("pool id");
  if (!first_boss.valid()) return detail::bad_id("user id");
  if (auto valid = policy.validate(); !valid) return valid.refusal();
  return run<Done>(
      TransactionMode::read_write, [&](Transaction& tx, Pending& pending) -> Result<Done> {
        if (tx.find_pool()) {
          return refuse(RefusalCode::pool_exists, "pool '" + pool_.str() + "' already exists");
        }
        const Time now = clock_->now();
        tx.put_pool(PoolRecord{true, policy, now, Time()});
        tx.put_member(first_boss, Role::boss);
        emit_later(pending, &PoolEvents::member_changed, [&] {
          return MemberChanged{{pool_, first_boss, now}, first_boss, std::nullopt, Role::boss};
        });
        return Done{};
      });
}

inline Result<Done> PublicPool::set_member(const UserId& actor, const UserId& user, Role role) {
  if (!actor.valid()) return detail::bad_id("actor id");
  if (!user.valid()) return detail::bad_id("user id");
  // An out-of-range Role would index past RoleGuard's table on every later command.
  if (role != Role::boss && role != Role::pool_admin && role != Role::pool_user) {
    return refuse(RefusalCode::invalid_argument, "unknown role");
  }
  return run<Done>(
      TransactionMode::read_write, [&](Transaction& tx, Pending& pending) -> Result<Done> {
        auto context = enter(tx, actor, Action::manage_members, clock_->now());
        if (!context) return context.refusal();
        const std::optional<Role> before = tx.find_member(user);
        if (before == role) return Done{};
        if (detail::is_last_boss(tx, before)) {
          return refuse(RefusalCode::invalid_argument, "the pool must keep at least one boss");
        }
        tx.put_member(user, role);
        emit_later(pending, &PoolEvents::member_changed, [&] {
          return MemberChanged{{pool_, actor, context->now}, user, before, role};
        });
        return Done{};
      });
}

inline Result<Done> PublicPool::remove_member(const UserId& actor, const UserId& user) {
  if (!actor.valid()) return detail::bad_id("actor id");
  if (!user.valid()) return detail::bad_id("user id");
  return run<Done>(
      TransactionMode::read_write, [&](Transaction& tx, Pending& pending) -> Result<Done> {
        auto context = enter(tx, actor, Action::manage_members, clock_->now());
        if (!context) return context.refusal();
        const std::optional<Role> before = tx.find_member(user);
        if (!before) {
          return refuse(RefusalCode::not_a_member, "'" + user.str() + "' is not a member");
        }
        if (detail::is_last_boss(tx, before)) {
          return refuse(RefusalCode::invalid_argument, "the pool must keep at least one boss");
        }
        for (const StoredCustomer& held : tx.list_holdings(user)) {
          const CustomerRecord after = detail::given_back(held.record, context->now, std::nullopt);
          tx.update_customer(held.profile.id, after);
          tx.append_history(held.profile.id,
                            detail::history_entry(HistoryKind::member_removed, context->now, actor,
                                                  held.record, after));
          emit_later(pending, &PoolEvents::released, [&] {
            auto event = customer_event<Released>(*context, held.profile.id, held.record, after);
            event.member_removed = true;
            return event;
          });
        }
        tx.erase_member(user);
        emit_later(pending, &PoolEvents::member_changed, [&] {
          return MemberChanged{{pool_, actor, context->now}, user, before, std::nullopt};
        });
        return Done{};
      });
}

inline Result<Done> PublicPool::set_enabled(const UserId& actor, bool enabled) {
  if (!actor.valid()) return detail::bad_id("actor id");
  return run<Done>(TransactionMode::read_write,
                   [&](Transaction& tx, Pending& pending) -> Result<Done> {
                     auto context = enter(tx, actor, Action::switch_pool, clock_->now());
                     if (!context) return context.refusal();
                     PoolRecord pool = context->pool;
                     if (pool.enabled == enabled) return Done{};
                     if (enabled) {
                       // Resume: every holding gets back exactly the time it had when paused.
                       const Duration paused_for = context->now - pool.paused_since;
                       if (paused_for > Duration(0, 0, 0)) tx.shift_deadlines(paused_for);
                       pool.paused_since = Time();
                     } else {
                       pool.paused_since = context->now;
                     }
                     pool.enabled = enabled;
                     tx.put_pool(pool);
                     emit_later(pending, &PoolEvents::pool_switched, [&] {
                       return PoolSwitched{{pool_, actor, context->now}, enabled};
                     });
                     return Done{};
                   });
}

inline Result<Done> PublicPool::set_policy(const UserId& actor, const ClaimPolicy& policy) {
  if (!actor.valid()) return detail::bad_id("actor id");
  if (auto valid = policy.validate(); !valid) return valid.refusal();
  return run<Done>(
      TransactionMode::read_write, [&](Transaction& tx, Pending& pending) -> Result<Done> {
        auto context = enter(tx, actor, std::nullopt, clock_->now());
        if (!context) return context.refusal();
        // A role with no say over the policy is refused even when nothing would change.
        if (!guard_.permits(*context->role, Action::set_holding_period) &&
            !guard_.permits(*context->role, Action::set_max_holdings)) {
          return refuse(RefusalCode::not_permitted, "this role may not change the policy");
        }
        const ClaimPolicy before = context->pool.policy;
        if (before == policy) return Done{};
        const bool cap_changed = before.max_holdings != policy.max_holdings;
        ClaimPolicy without_cap = policy;
        without_cap.max_holdings = before.max_holdings;
        const bool time_rules_changed = !(without_cap == before);
        if (cap_changed && !guard_.permits(*context->role, Action::set_max_holdings)) {
          return refuse(RefusalCode::not_permitted, "this role may not change the per-user cap");
        }
        if (time_rules_changed && !guard_.permits(*context->role, Action::set_holding_period)) {
          return refuse(RefusalCode::not_permitted, "this role may not change the holding period");
        }
        PoolRecord pool = context->pool;
        pool.policy = policy;
        tx.put_pool(pool);
        emit_later(pending, &PoolEvents::policy_changed, [&] {
          return PolicyChanged{{pool_, actor, context->now}, before, policy};
        });
        return Done{};
      });
}

}  // namespace highseas

#include "highseas/detail/public_pool_customers.hpp"  // IWYU pragma: export
#include "highseas/detail/public_pool_queries.hpp"    // IWYU pragma: export
