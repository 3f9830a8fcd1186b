// PublicPool's queries: read-only transactions, views built by rules::view_of.
// Included by public_pool-inl.hpp.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "highseas_inl/core/engine.hpp"

namespace highseas {

HIGHSEAS_INLINE Result<PoolInfo> PublicPool::info(const UserId& actor) {
  Engine& engine = *engine_;
  if (!actor.valid()) return detail::bad_id("actor id");
  return engine.run<PoolInfo>(
      TransactionMode::read_only, [&](Transaction& tx, Engine::Pending&) -> Result<PoolInfo> {
        auto situation = engine.enter(tx, actor, Engine::Command::query, Action::view);
        if (!situation) return situation.refusal();
        const PoolRecord& pool = situation->pool;
        return PoolInfo{engine.pool,         pool.enabled,      pool.policy,
                        pool.created_at,     pool.paused_since, tx.list_members().size(),
                        pool.policy_version, pool.policy_since};
      });
}

HIGHSEAS_INLINE Result<std::vector<Member>> PublicPool::members(const UserId& actor) {
  Engine& engine = *engine_;
  if (!actor.valid()) return detail::bad_id("actor id");
  return engine.run<std::vector<Member>>(
      TransactionMode::read_only,
      [&](Transaction& tx, Engine::Pending&) -> Result<std::vector<Member>> {
        auto situation = engine.enter(tx, actor, Engine::Command::query, Action::view);
        if (!situation) return situation.refusal();
        return tx.list_members();
      });
}

HIGHSEAS_INLINE Result<PoolSummary> PublicPool::summary(const UserId& actor,
                                                        Duration urgent_within) {
  Engine& engine = *engine_;
  if (!actor.valid()) return detail::bad_id("actor id");
  if (urgent_within.is_special() || urgent_within.is_negative()) {
    return refuse(RefusalCode::invalid_argument, "the urgency threshold must be a duration >= 0");
  }
  return engine.run<PoolSummary>(
      TransactionMode::read_only, [&](Transaction& tx, Engine::Pending&) -> Result<PoolSummary> {
        auto situation = engine.enter(tx, actor, Engine::Command::query, Action::view);
        if (!situation) return situation.refusal();
        const PoolRecord& pool = situation->pool;
        PoolSummary summary;
        const std::vector<Member> members = tx.list_members();
        summary.info =
            PoolInfo{engine.pool,       pool.enabled,   pool.policy,         pool.created_at,
                     pool.paused_since, members.size(), pool.policy_version, pool.policy_since};
        summary.available = tx.count_customers(CustomerState::available);
        summary.held = tx.count_customers(CustomerState::held);
        summary.regular = tx.count_customers(CustomerState::regular);
        summary.members.reserve(members.size());
        for (const Member& member : members) {
          MemberSummary line{member.user, member.role, 0, 0, Time(), std::nullopt};
          for (const StoredCustomer& held : tx.list_holdings(member.user)) {
            // Due: back in the pool at its deadline, whether or not a sweep wrote it.
            if (rules::is_due(pool, held.record, situation->now)) {
              --summary.held;
              ++summary.available;
              continue;
            }
            const CustomerView view =
                rules::view_of(pool, held.profile, held.record, situation->now);
            ++line.held;
            if (rules::is_urgent(view, urgent_within)) ++line.urgent;
            if (line.next_deadline.is_not_a_date_time() || view.deadline < line.next_deadline) {
              line.next_deadline = view.deadline;
              line.next_time_left = view.time_left;
            }
          }
          summary.members.push_back(std::move(line));
        }
        return summary;
      });
}

HIGHSEAS_INLINE Result<CustomerView> PublicPool::customer(const UserId& actor,
                                                          const CustomerId& customer) {
  Engine& engine = *engine_;
  if (!actor.valid()) return detail::bad_id("actor id");
  if (!customer.valid()) return detail::bad_id("customer id");
  return engine.run<CustomerView>(
      TransactionMode::read_only, [&](Transaction& tx, Engine::Pending&) -> Result<CustomerView> {
        auto situation = engine.enter(tx, actor, Engine::Command::query, Action::view);
        if (!situation) return situation.refusal();
        const std::optional<CustomerRecord> record = tx.find_customer(customer);
        const std::optional<CustomerProfile> profile = tx.find_profile(customer);
        if (!record || !profile) {
          return refuse(RefusalCode::unknown_customer, "no customer '" + customer.str() + "'");
        }
        return rules::view_of(situation->pool, *profile, *record, situation->now);
      });
}

HIGHSEAS_INLINE Result<Explanation> PublicPool::explain(const UserId& actor,
                                                        const CustomerId& customer) {
  Engine& engine = *engine_;
  if (!actor.valid()) return detail::bad_id("actor id");
  if (!customer.valid()) return detail::bad_id("customer id");
  return engine.run<Explanation>(
      TransactionMode::read_only, [&](Transaction& tx, Engine::Pending&) -> Result<Explanation> {
        auto situation = engine.enter(tx, actor, Engine::Command::query, Action::view);
        if (!situation) return situation.refusal();
        std::optional<CustomerRecord> record = tx.find_customer(customer);
        if (!record)
          return refuse(RefusalCode::unknown_customer, "no customer '" + customer.str() + "'");
        record = rules::settled(situation->pool, *record, situation->now);
        if (record->state == CustomerState::regular) {
          return refuse(RefusalCode::not_in_pool, "'" + customer.str() + "' is a regular customer");
        }
        if (record->state == CustomerState::available) {
          return refuse(RefusalCode::not_held, "'" + customer.str() + "' is not held by anyone");
        }
        return rules::explain(*situation, customer, *record);
      });
}

HIGHSEAS_INLINE Result<std::vector<CustomerView>> PublicPool::holdings(const UserId& actor,
                                                                       const UserId& user) {
  Engine& engine = *engine_;
  if (!actor.valid()) return detail::bad_id("actor id");
  if (!user.valid()) return detail::bad_id("user id");
  return engine.run<std::vector<CustomerView>>(
      TransactionMode::read_only,
      [&](Transaction& tx, Engine::Pending&) -> Result<std::vector<CustomerView>> {
        auto situation = engine.enter(tx, actor, Engine::Command::query, Action::view);
        if (!situation) return situation.refusal();
        std::vector<CustomerView> views;
        for (const StoredCustomer& held : tx.list_holdings(user)) {
          if (rules::is_due(situation->pool, held.record, situation->now)) continue;
          views.push_back(
              rules::view_of(situation->pool, held.profile, held.record, situation->now));
        }
        return views;
      });
}

namespace detail {

// True iff the holding of `id` with `deadline` comes after `position` in
// (deadline, id) order.
inline bool is_after(Time deadline, const CustomerId& id, const DeadlinePosition& position) {
  if (deadline != position.deadline) return deadline > position.deadline;
  return id.str() > position.id.str();
}

}  // namespace detail

HIGHSEAS_INLINE Result<AtRiskPage> PublicPool::at_risk(const UserId& actor,
                                                       const AtRiskQuery& query) {
  Engine& engine = *engine_;
  if (!actor.valid()) return detail::bad_id("actor id");
  if (query.holder && !query.holder->valid()) return detail::bad_id("holder id");
  if (query.after && !query.after->id.str().empty() && !query.after->id.valid()) {
    return detail::bad_id("cursor");
  }
  if (query.after && query.after->deadline.is_special()) {
    return refuse(RefusalCode::invalid_argument, "the cursor must have a deadline");
  }
  if (query.limit == 0 || query.limit > kMaxPage) {
    return refuse(RefusalCode::invalid_argument, "page limit must be 1..1000");
  }
  if (auto problem = ClaimPolicy::span_problem(query.within, "the window")) {
    return refuse(RefusalCode::invalid_argument, *problem);
  }
  return engine.run<AtRiskPage>(
      TransactionMode::read_only, [&](Transaction& tx, Engine::Pending&) -> Result<AtRiskPage> {
        auto situation = engine.enter(tx, actor, Engine::Command::query, Action::view);
        if (!situation) return situation.refusal();
        const PoolRecord& pool = situation->pool;
        // Where the countdowns stand: now, or when a paused pool went off.
        const Time from = rules::countdown_now(pool, situation->now);
        AtRiskPage page;
        page.until = rules::end_of(*situation, from, query.within);
        // Behind the cursor, and never before the holdings due now.
        DeadlinePosition start{from, CustomerId()};
        if (query.after && detail::is_after(query.after->deadline, query.after->id, start)) {
          start = *query.after;
        }
        // One more than the page, to learn whether a next page exists.
        const std::size_t probe = query.limit + 1;
        // Due at its deadline, whether or not a sweep wrote it: no longer at
        // risk. Only holdings due at exactly `from` can be behind `start`.
        // Counted on the countdown, as commands count it: in a paused pool a
        // deadline at the pause (a recompute while off) is due, not at risk.
        auto at_risk = [&](const StoredCustomer& row) {
          return !rules::is_due(pool, row.record.deadline, situation->now);
        };
        std::vector<StoredCustomer> rows;
        if (query.holder) {
          for (StoredCustomer& held : tx.list_holdings(*query.holder)) {
            if (rows.size() == probe || held.record.deadline > page.until) break;
            if (detail::is_after(held.record.deadline, held.profile.id, start) && at_risk(held)) {
              rows.push_back(std::move(held));
            }
          }
        } else {
          for (DeadlinePosition behind = start; rows.size() < probe;) {
            const std::size_t wanted = probe - rows.size();
            std::vector<StoredCustomer> read = tx.list_by_deadline({behind, page.until, wanted});
            for (StoredCustomer& row : read) {
              behind = DeadlinePosition{row.record.deadline, row.profile.id};
              if (at_risk(row)) rows.push_back(std::move(row));
            }
            if (read.size() < wanted) break;
          }
        }
        const bool more = rows.size() > query.limit;
        if (more) rows.resize(query.limit);
        for (const StoredCustomer& row : rows) {
          page.customers.push_back(rules::view_of(pool, row.profile, row.record, situation->now));
        }
        if (more) page.next = DeadlinePosition{rows.back().record.deadline, rows.back().profile.id};
        return page;
      });
}

namespace detail {

// Returns the first `limit` of two id-ordered pages, merged by id. The two
// never share an id: one lists available customers, the other held ones.
inline std::vector<StoredCustomer> merged_by_id(std::vector<StoredCustomer> available,
                                                std::vector<StoredCustomer> overdue,
                                                std::size_t limit) {
  if (overdue.empty()) return available;
  std::vector<StoredCustomer> merged;
  merged.reserve(std::min(limit, available.size() + overdue.size()));
  auto a = available.begin();
  auto o = overdue.begin();
  while (merged.size() < limit && (a != available.end() || o != overdue.end())) {
    const bool take_available =
        o == overdue.end() || (a != available.end() && a->profile.id < o->profile.id);
    merged.push_back(std::move(take_available ? *a++ : *o++));
  }
  return merged;
}

}  // namespace detail

HIGHSEAS_INLINE Result<AvailablePage> PublicPool::available(const UserId& actor,
                                                            const AvailableQuery& query) {
  Engine& engine = *engine_;
  if (!actor.valid()) return detail::bad_id("actor id");
  if (query.limit == 0 || query.limit > kMaxPage) {
    return refuse(RefusalCode::invalid_argument, "page limit must be 1..1000");
  }
  if (query.after && !query.after->valid()) return detail::bad_id("cursor");
  return engine.run<AvailablePage>(
      TransactionMode::read_only, [&](Transaction& tx, Engine::Pending&) -> Result<AvailablePage> {
        auto situation = engine.enter(tx, actor, Engine::Command::query, Action::view);
        if (!situation) return situation.refusal();
        // Ask for one more than the page to learn whether a next page exists.
        AvailableQuery probe = query;
        probe.limit = query.limit + 1;
        std::vector<StoredCustomer> rows = tx.list_available(probe);
        // Holdings already due are available from their deadline on (a
        // paused pool has none).
        if (situation->pool.enabled) {
          rows = detail::merged_by_id(std::move(rows), tx.list_overdue(probe, situation->now),
                                      probe.limit);
        }
        AvailablePage page;
        const bool more = rows.size() > query.limit;
        if (more) rows.resize(query.limit);
        for (const StoredCustomer& row : rows) {
          page.customers.push_back(
              rules::view_of(situation->pool, row.profile, row.record, situation->now));
        }
        if (more) page.next = page.customers.back().profile.id;
        return page;
      });
}

HIGHSEAS_INLINE Result<std::vector<HistoryEntry>> PublicPool::history(const UserId& actor,
                                                                      const CustomerId& customer) {
  Engine& engine = *engine_;
  if (!actor.valid()) return detail::bad_id("actor id");
  if (!customer.valid()) return detail::bad_id("customer id");
  return engine.run<std::vector<HistoryEntry>>(
      TransactionMode::read_only,
      [&](Transaction& tx, Engine::Pending&) -> Result<std::vector<HistoryEntry>> {
        auto situation = engine.enter(tx, actor, Engine::Command::query, Action::view);
        if (!situation) return situation.refusal();
        const std::optional<CustomerRecord> record = tx.find_customer(customer);
        if (!record) {
          return refuse(RefusalCode::unknown_customer, "no customer '" + customer.str() + "'");
        }
        std::vector<HistoryEntry> entries = tx.list_history(customer);
        // A due holding's return belongs to its story from its deadline on.
        if (rules::is_due(situation->pool, *record, situation->now)) {
          entries.push_back(rules::return_due(*situation, *record).entry);
        }
        return entries;
      });
}

namespace detail {

// Returns true iff `position` comes after `earlier` in list_pool_history's order.
inline bool is_behind(const HistoryPosition& position, const HistoryPosition& earlier) {
  if (position.customer != earlier.customer) return earlier.customer < position.customer;
  return position.seq > earlier.seq;
}

}  // namespace detail

HIGHSEAS_INLINE Result<PoolActivity> PublicPool::activity(const UserId& actor,
                                                          const ActivityQuery& query) {
  Engine& engine = *engine_;
  if (!actor.valid()) return detail::bad_id("actor id");
  if (!query.from.is_not_a_date_time() && !query.to.is_not_a_date_time() &&
      query.to <= query.from) {
    return refuse(RefusalCode::invalid_argument, "the period must end after it begins");
  }
  std::optional<ActivityTally> tally;
  std::optional<HistoryPosition> after;
  std::vector<PositionedHistoryEntry> page;
  // One read transaction per page, so a long report never holds a snapshot
  // (or SQLite's WAL) for the whole walk; the counts are then of a history
  // that may grow while it is read, as any report of a live pool is.
  for (;;) {
    auto read = engine.run<Done>(
        TransactionMode::read_only, [&](Transaction& tx, Engine::Pending&) -> Result<Done> {
          auto situation = engine.enter(tx, actor, Engine::Command::query, Action::view);
          if (!situation) return situation.refusal();
          if (!tally) tally.emplace(query, situation->now);
          page = tx.list_pool_history(after, kMaxPage);
          return Done{};
        });
    if (!read) return read.refusal();
    if (after && !page.empty() && !detail::is_behind(page.front().position, *after)) {
      // A storage that does not move on would make this loop forever.
      throw StorageError("list_pool_history returned an entry at or before the position asked for");
    }
    for (const PositionedHistoryEntry& entry : page) {
      tally->add(entry.position.customer, entry.entry);
    }
    if (page.size() < kMaxPage) break;
    after = page.back().position;
  }
  // Holdings already due went back at their deadlines: their returns count
  // whether or not a sweep has written them yet. Each is the last entry of
  // its customer's story, so the tally takes them after the walk.
  auto read = engine.run<Done>(
      TransactionMode::read_only, [&](Transaction& tx, Engine::Pending&) -> Result<Done> {
        auto situation = engine.enter(tx, actor, Engine::Command::query, Action::view);
        if (!situation) return situation.refusal();
        if (!situation->pool.enabled) return Done{};
        constexpr auto kAll = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
        for (const DueHolding& due : tx.list_due(situation->now, kAll)) {
          tally->add(due.id, rules::return_due(*situation, due.record).entry);
        }
        return Done{};
      });
  if (!read) return read.refusal();
  return tally->finish();
}

}  // namespace highseas
