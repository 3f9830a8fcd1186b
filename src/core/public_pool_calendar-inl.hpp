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

}  // namespace detail

HIGHSEAS_INLINE Result<CalendarVersion> PublicPool::set_calendar(const UserId& actor,
                                                                 const WorkCalendar& calendar) {
  Engine& engine = *engine_;
  if (!actor.valid()) return detail::bad_id("actor id");
  return engine.run<CalendarVersion>(
      TransactionMode::read_write,
      [&](Transaction& tx, Engine::Pending& pending) -> Result<CalendarVersion> {
        auto situation =
            engine.enter(tx, actor, Engine::Command::set_policy, Action::set_holding_period);
        if (!situation) return situation.refusal();
        CalendarVersion before = detail::current_calendar(tx, situation->pool);
        if (before.calendar == calendar) return before;
        CalendarVersion next{before.version + 1, situation->now, actor, calendar};
        tx.add_calendar(next);
        PoolRecord pool = situation->pool;
        pool.calendar_version = next.version;
        tx.put_pool(pool);
        engine.emit_later(pending, &PoolEvents::calendar_changed, [&] {
          CalendarChanged event{{engine.pool, actor, situation->now}, before.calendar, calendar};
          event.version = next.version;
          return event;
        });
        return next;
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

}  // namespace highseas
