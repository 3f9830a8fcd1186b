// PublicPool's policy commands: set or patch the policy (a new version, with
// what it does to running holdings) and preview such a change. Included by
// public_pool-inl.hpp.
#pragma once

#include <utility>
#include <vector>

#include "highseas_inl/core/engine.hpp"

namespace highseas {

namespace detail {

// Calls `visit(held)` for every running holding of the pool: not those due
// at situation.now (they went back at their deadlines). Every holder is a
// member (removing a member returns their holdings), so walking the members'
// holdings reads each holding once and nothing else.
template <class Visit>
void for_each_holding(Transaction& tx, const rules::Situation& situation, Visit&& visit) {
  for (const Member& member : tx.list_members()) {
    for (const StoredCustomer& held : tx.list_holdings(member.user)) {
      if (!rules::is_due(situation.pool, held.record, situation.now)) visit(held);
    }
  }
}

// Refuses a RunningHoldings value outside the enum (a cast from a host's
// integer), which would otherwise act as recompute.
inline std::optional<Refusal> bad_running(RunningHoldings running) {
  if (running_holdings_from_string(to_string(running))) return std::nullopt;
  return refuse(RefusalCode::invalid_argument,
                "running holdings must be keep, recompute or never_shorten");
}

// The pool record a change to `policy` leaves, at `now`.
inline PoolRecord next_version(const PoolRecord& pool, const ClaimPolicy& policy, Time now) {
  PoolRecord next = pool;
  next.policy = policy;
  ++next.policy_version;
  next.policy_since = now;
  return next;
}

// The policy a change proposes: the pool's current one turned by
// `make_policy`, refused when invalid or when the actor's role may not make
// that change (RoleGuard::may_change_policy). The change and its preview
// share it, so a preview refuses exactly what the change would.
template <class MakePolicy>
Result<ClaimPolicy> proposed_policy(const RoleGuard& guard, const rules::Situation& situation,
                                    MakePolicy&& make_policy) {
  const ClaimPolicy& before = situation.pool.policy;
  ClaimPolicy policy = make_policy(before);
  if (auto valid = policy.validate(); !valid) return valid.refusal();
  if (auto refusal = guard.may_change_policy(*situation.role, before, policy)) {
    return *refusal;
  }
  return policy;
}

}  // namespace detail

HIGHSEAS_INLINE Result<rules::Situation> PublicPool::Engine::with_policy(
    Transaction& tx, const rules::Situation& now, const ClaimPolicy& policy) const {
  rules::Situation next = now;
  next.pool = detail::next_version(now.pool, policy, now.now);
  next.days = team_for(tx, next.pool);
  if (auto refusal = rules::check_calendar_covers(policy, *next.days, now.now)) return *refusal;
  return next;
}

HIGHSEAS_INLINE Result<rules::Situation> PublicPool::Engine::with_calendar(
    const rules::Situation& now, const WorkCalendar& calendar) {
  rules::Situation next = now;
  next.days = std::make_shared<const TeamCalendar>(rules::team_calendar(now).zone(), calendar);
  if (auto refusal = rules::check_calendar_covers(next.pool.policy, *next.days, now.now)) {
    return *refusal;
  }
  return next;
}

HIGHSEAS_INLINE std::uint32_t PublicPool::Engine::recompute_running(Transaction& tx,
                                                                    Pending& pending,
                                                                    const rules::Situation& now,
                                                                    const rules::Situation& next,
                                                                    RunningHoldings running) {
  if (running == RunningHoldings::keep) return 0;
  // Read first, then write: a write may reorder the holdings being walked.
  std::vector<StoredCustomer> holdings;
  detail::for_each_holding(tx, now, [&](const StoredCustomer& held) { holdings.push_back(held); });
  std::uint32_t recomputed = 0;
  for (const StoredCustomer& held : holdings) {
    auto change =
        rules::recompute(next, rules::team_calendar(now), held.record, held.profile.level, running);
    if (!change) continue;
    apply(tx, pending, next, held.profile.id, held.record, *change);
    ++recomputed;
  }
  return recomputed;
}

HIGHSEAS_INLINE PolicyPreview PublicPool::Engine::preview_running(Transaction& tx,
                                                                  const rules::Situation& now,
                                                                  const rules::Situation& next,
                                                                  std::uint32_t version,
                                                                  RunningHoldings running) const {
  PolicyPreview preview;
  preview.version = version;
  preview.running = running;
  preview.counted_from = rules::countdown_now(next.pool, now.now);
  detail::for_each_holding(tx, now, [&](const StoredCustomer& held) {
    preview.holdings.push_back(rules::preview_holding(next, rules::team_calendar(now),
                                                      held.profile.id, held.record,
                                                      held.profile.level, running));
  });
  rules::summarize(preview);
  return preview;
}

// `make_policy` turns the policy as read in the transaction into the new one.
template <class MakePolicy>
Result<Done> PublicPool::change_policy(const UserId& actor, MakePolicy&& make_policy,
                                       RunningHoldings running) {
  Engine& engine = *engine_;
  if (!actor.valid()) return detail::bad_id("actor id");
  if (auto refusal = detail::bad_running(running)) return *refusal;
  return engine.run<Done>(
      TransactionMode::read_write, [&](Transaction& tx, Engine::Pending& pending) -> Result<Done> {
        auto situation = engine.enter(tx, actor, Engine::Command::set_policy, std::nullopt);
        if (!situation) return situation.refusal();
        const ClaimPolicy before = situation->pool.policy;
        auto proposed = detail::proposed_policy(engine.guard, *situation, make_policy);
        if (!proposed) return proposed.refusal();
        const ClaimPolicy& policy = *proposed;
        // Recomputing under an unchanged policy still reaches holdings an
        // earlier change kept under their old rules.
        if (before == policy && running == RunningHoldings::keep) return Done{};
        auto changed = engine.with_policy(tx, *situation, policy);
        if (!changed) return changed.refusal();
        const rules::Situation& next = *changed;
        // What fell due went back at its deadline under the old policy (its
        // cooldown too): write it before the new one applies.
        engine.return_all_due(tx, pending, *situation);
        tx.put_pool(next.pool);
        const std::uint32_t recomputed =
            engine.recompute_running(tx, pending, *situation, next, running);
        engine.emit_later(pending, &PoolEvents::policy_changed, [&] {
          PolicyChanged event{{engine.pool, actor, situation->now}, before, policy};
          event.version = next.pool.policy_version;
          event.running = running;
          event.recomputed = recomputed;
          return event;
        });
        return Done{};
      });
}

HIGHSEAS_INLINE Result<Done> PublicPool::set_policy(const UserId& actor, const ClaimPolicy& policy,
                                                    RunningHoldings running) {
  if (!actor.valid()) return detail::bad_id("actor id");
  // Checked before the transaction: a malformed policy needs no storage call.
  if (auto valid = policy.validate(); !valid) return valid.refusal();
  return change_policy(
      actor, [&](const ClaimPolicy&) { return policy; }, running);
}

HIGHSEAS_INLINE Result<Done> PublicPool::update_policy(const UserId& actor,
                                                       const PolicyPatch& patch,
                                                       RunningHoldings running) {
  return change_policy(
      actor, [&](const ClaimPolicy& current) { return patch.applied_to(current); }, running);
}

template <class MakePolicy>
Result<PolicyPreview> PublicPool::preview_change(const UserId& actor, MakePolicy&& make_policy,
                                                 RunningHoldings running) {
  Engine& engine = *engine_;
  if (!actor.valid()) return detail::bad_id("actor id");
  if (auto refusal = detail::bad_running(running)) return *refusal;
  return engine.run<PolicyPreview>(
      TransactionMode::read_only, [&](Transaction& tx, Engine::Pending&) -> Result<PolicyPreview> {
        auto situation = engine.enter(tx, actor, Engine::Command::query, std::nullopt);
        if (!situation) return situation.refusal();
        auto proposed = detail::proposed_policy(engine.guard, *situation, make_policy);
        if (!proposed) return proposed.refusal();
        auto next = engine.with_policy(tx, *situation, *proposed);
        if (!next) return next.refusal();
        return engine.preview_running(tx, *situation, *next, next->pool.policy_version, running);
      });
}

HIGHSEAS_INLINE Result<PolicyPreview> PublicPool::preview_policy(const UserId& actor,
                                                                 const ClaimPolicy& policy,
                                                                 RunningHoldings running) {
  if (auto valid = policy.validate(); !valid) return valid.refusal();
  return preview_change(
      actor, [&](const ClaimPolicy&) { return policy; }, running);
}

HIGHSEAS_INLINE Result<PolicyPreview> PublicPool::preview_policy(const UserId& actor,
                                                                 const PolicyPatch& patch,
                                                                 RunningHoldings running) {
  return preview_change(
      actor, [&](const ClaimPolicy& current) { return patch.applied_to(current); }, running);
}

}  // namespace highseas
