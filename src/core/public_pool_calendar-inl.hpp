// PublicPool's work calendar: a new version per change, every version kept.
// Included by public_pool-inl.hpp.
#pragma once

#include "highseas_inl/core/engine.hpp"

namespace highseas {

namespace detail {

// The calendar a pool has while none was set: version 0, the default weekend.
inline CalendarVersion no_calendar(const PoolRecord& pool) {
  return CalendarVersion{0, pool.created_at, UserId(), WorkCalendar()};
}

// Reads the pool's current calendar; a version the pool names but the storage
// lacks is broken storage, not "no calendar".
inline CalendarVersion current_calendar(Transaction& tx, const PoolRecord& pool) {
  if (pool.calendar_version == 0) return no_calendar(pool);
  std::optional<CalendarVersion> stored = tx.find_calendar(pool.calendar_version);
  if (!stored) {
    throw StorageError("the pool names work calendar version " +
                       std::to_string(pool.calendar_version) + ", which is not stored");
  }
  return std::move(*stored);
}

// The zone named `name`, stored as a pool's time zone.
inline TimeZone stored_zone(const std::string& name) {
  std::optional<TimeZone> zone = TimeZone::named(name);
  if (!zone) {
    throw StorageError("the pool's time zone '" + name +
                       "' is not in this machine's tz database (update the tzdata package)");
  }
  return std::move(*zone);
}

}  // namespace detail

HIGHSEAS_INLINE std::shared_ptr<const TeamCalendar> PublicPool::Engine::team_for(
    Transaction& tx, const PoolRecord& pool) const {
  {
    const std::lock_guard lock(team_mutex);
    if (team && team_version == pool.calendar_version &&
        team->zone().name() == pool.policy.time_zone) {
      return team;
    }
  }
  // Read outside the lock: a storage call may take a while, and two threads
  // reading the same version at once both read the same thing.
  auto read = std::make_shared<const TeamCalendar>(detail::stored_zone(pool.policy.time_zone),
                                                   detail::current_calendar(tx, pool).calendar);
  const std::lock_guard lock(team_mutex);
  team = read;
  team_version = pool.calendar_version;
  return read;
}

HIGHSEAS_INLINE Result<CalendarVersion> PublicPool::set_calendar(const UserId& actor,
                                                                 const WorkCalendar& calendar,
                                                                 RunningHoldings running) {
  Engine& engine = *engine_;
  if (!actor.valid()) return detail::bad_id("actor id");
  if (auto refusal = detail::bad_running(running)) return *refusal;
  return engine.run<CalendarVersion>(
      TransactionMode::read_write,
      [&](Transaction& tx, Engine::Pending& pending) -> Result<CalendarVersion> {
        auto situation =
            engine.enter(tx, actor, Engine::Command::set_policy, Action::set_holding_period);
        if (!situation) return situation.refusal();
        CalendarVersion before = detail::current_calendar(tx, situation->pool);
        if (before.calendar == calendar) return before;
        auto changed = Engine::with_calendar(*situation, calendar);
        if (!changed) return changed.refusal();
        rules::Situation next = *changed;
        // What fell due went back at its deadline, counted in the old calendar.
        engine.return_all_due(tx, pending, *situation);
        CalendarVersion added{before.version + 1, situation->now, actor, calendar};
        tx.add_calendar(added);
        next.pool.calendar_version = added.version;
        tx.put_pool(next.pool);
        const std::uint32_t recomputed =
            engine.recompute_running(tx, pending, *situation, next, running);
        engine.emit_later(pending, &PoolEvents::calendar_changed, [&] {
          CalendarChanged event{{engine.pool, actor, situation->now}, before.calendar, calendar};
          event.version = added.version;
          event.running = running;
          event.recomputed = recomputed;
          return event;
        });
        return added;
      });
}

HIGHSEAS_INLINE Result<PolicyPreview> PublicPool::preview_calendar(const UserId& actor,
                                                                   const WorkCalendar& calendar,
                                                                   RunningHoldings running) {
  Engine& engine = *engine_;
  if (!actor.valid()) return detail::bad_id("actor id");
  if (auto refusal = detail::bad_running(running)) return *refusal;
  return engine.run<PolicyPreview>(
      TransactionMode::read_only, [&](Transaction& tx, Engine::Pending&) -> Result<PolicyPreview> {
        auto situation =
            engine.enter(tx, actor, Engine::Command::query, Action::set_holding_period);
        if (!situation) return situation.refusal();
        auto next = Engine::with_calendar(*situation, calendar);
        if (!next) return next.refusal();
        return engine.preview_running(tx, *situation, *next, next->pool.calendar_version + 1,
                                      running);
      });
}

HIGHSEAS_INLINE Result<CalendarVersion> PublicPool::calendar(const UserId& actor) {
  Engine& engine = *engine_;
  if (!actor.valid()) return detail::bad_id("actor id");
  return engine.run<CalendarVersion>(
      TransactionMode::read_only,
      [&](Transaction& tx, Engine::Pending&) -> Result<CalendarVersion> {
        auto situation = engine.enter(tx, actor, Engine::Command::query, Action::view);
        if (!situation) return situation.refusal();
        return detail::current_calendar(tx, situation->pool);
      });
}

HIGHSEAS_INLINE Result<CalendarOutlook> PublicPool::calendar_outlook(Duration within) {
  Engine& engine = *engine_;
  if (!engine.pool.valid()) return detail::bad_id("pool id");
  if (within.is_special() || within.is_negative() || within > ClaimPolicy::longest()) {
    return refuse(RefusalCode::invalid_argument,
                  "the window must be at least zero and at most " +
                      std::to_string(ClaimPolicy::longest().hours() / 24) + " days");
  }
  return engine.run<CalendarOutlook>(
      TransactionMode::read_only,
      [&](Transaction& tx, Engine::Pending&) -> Result<CalendarOutlook> {
        std::optional<PoolRecord> pool = tx.find_pool();
        if (!pool) {
          return refuse(RefusalCode::unknown_pool,
                        "pool '" + engine.pool.str() + "' does not exist");
        }
        CalendarOutlook outlook = rules::calendar_outlook(pool->policy, *engine.team_for(tx, *pool),
                                                          engine.clock->now(), within);
        outlook.calendar_version = pool->calendar_version;
        return outlook;
      });
}

}  // namespace highseas
