// PublicPool's customer commands: import, move in/out, claim, assign, release,
// extend, follow up, win, sweep. Internal: included by public_pool.hpp only.
#pragma once

#include <set>
#include <unordered_set>

#include "highseas/detail/public_pool_impl.hpp"

namespace highseas {

namespace detail {

// Returns the refusal for a customer that is not where a holding command
// needs it, or nothing if it is held.
inline std::optional<Refusal> not_a_holding(const std::optional<CustomerRecord>& record,
                                            const CustomerId& id) {
  if (!record) return refuse(RefusalCode::unknown_customer, "no customer '" + id.str() + "'");
  if (record->state == CustomerState::regular) {
    return refuse(RefusalCode::not_in_pool, "'" + id.str() + "' is a regular customer");
  }
  if (record->state == CustomerState::available) {
    return refuse(RefusalCode::not_held, "'" + id.str() + "' is not held by anyone");
  }
  return std::nullopt;
}

// Returns how far a holding's countdown has run at `now`: while the pool is off
// every countdown stands still at the moment it was paused.
inline Time countdown_now(const PoolRecord& pool, Time now) {
  return pool.enabled ? now : pool.paused_since;
}

inline Refusal deadline_passed(const CustomerId& id) {
  return refuse(RefusalCode::deadline_passed,
                "the holding of '" + id.str() + "' has passed its deadline");
}

inline Collision collision_with(const CustomerId& existing, const CustomerRecord& record,
                                bool by_name) {
  return Collision{existing, by_name, record.state, record.holder, record.deadline};
}

}  // namespace detail

inline Result<ImportReport> PublicPool::import_customers(const UserId& actor,
                                                         std::span<const CustomerProfile> batch,
                                                         ImportMode mode) {
  if (!actor.valid()) return detail::bad_id("actor id");
  return run<ImportReport>(
      TransactionMode::read_write, [&](Transaction& tx, Pending& pending) -> Result<ImportReport> {
        auto context = enter(tx, actor, Action::import_customers, clock_->now());
        if (!context) return context.refusal();
        if (!context->pool.enabled) {
          return refuse(RefusalCode::pool_disabled, "the pool is switched off");
        }
        ImportReport report;
        std::vector<std::size_t> valid_rows;
        std::vector<std::string> keys(batch.size());
        std::unordered_set<std::string_view> ids_in_batch;
        std::unordered_set<std::string_view> keys_in_batch;
        for (std::size_t row = 0; row < batch.size(); ++row) {
          const CustomerProfile& profile = batch[row];
          auto problem_at = [&](std::string field, RefusalCode code, std::string reason,
                                std::optional<Collision> collision = std::nullopt) {
            report.problems.push_back(
                {row, std::move(field), code, std::move(reason), std::move(collision)});
          };
          if (auto problem = detail::profile_problem(profile)) {
            problem_at(problem->field, RefusalCode::invalid_argument, problem->reason);
            continue;
          }
          keys[row] = name_key(profile.name);
          if (!ids_in_batch.insert(profile.id.str()).second) {
            problem_at("id", RefusalCode::invalid_argument, "duplicate id within the batch");
            continue;
          }
          if (auto known = tx.find_customer(profile.id)) {
            problem_at("id", RefusalCode::already_in_pool, "id already known to the pool",
                       detail::collision_with(profile.id, *known, false));
            continue;
          }
          if (!keys[row].empty()) {
            if (!keys_in_batch.insert(keys[row]).second) {
              problem_at("name", RefusalCode::invalid_argument, "duplicate name within the batch");
              continue;
            }
            if (auto same_name = tx.find_by_name_key(keys[row])) {
              const std::optional<CustomerRecord> known = tx.find_customer(*same_name);
              problem_at(
                  "name", RefusalCode::already_in_pool,
                  "same name as known customer '" + same_name->str() + "'",
                  detail::collision_with(*same_name, known.value_or(CustomerRecord{}), true));
              continue;
            }
          }
          valid_rows.push_back(row);
        }
        if (mode == ImportMode::check_only ||
            (mode == ImportMode::all_or_nothing && !report.problems.empty())) {
          return report;  // nothing written: the transaction rolls back empty
        }
        for (const std::size_t row : valid_rows) {
          CustomerRecord record;
          record.since = context->now;
          tx.insert_customer(batch[row], keys[row], record);
          tx.append_history(batch[row].id,
                            detail::history_entry(HistoryKind::imported, context->now, actor,
                                                  CustomerRecord{}, record));
          report.imported.push_back(batch[row].id);
        }
        if (!report.imported.empty()) {
          emit_later(pending, &PoolEvents::customers_imported, [&] {
            return CustomersImported{{pool_, actor, context->now}, report.imported};
          });
        }
        return report;
      });
}

inline Result<Done> PublicPool::move_into_pool(const UserId& actor,
                                               const CustomerProfile& customer) {
  if (!actor.valid()) return detail::bad_id("actor id");
  if (auto problem = detail::profile_problem(customer)) {
    return refuse(RefusalCode::invalid_argument, problem->field + " " + problem->reason);
  }
  return run<Done>(
      TransactionMode::read_write, [&](Transaction& tx, Pending& pending) -> Result<Done> {
        auto context = enter(tx, actor, Action::move_into_pool, clock_->now());
        if (!context) return context.refusal();
        if (!context->pool.enabled)
          return refuse(RefusalCode::pool_disabled, "the pool is switched off");
        const std::optional<CustomerRecord> before = tx.find_customer(customer.id);
        if (before && before->state != CustomerState::regular) {
          return refuse(RefusalCode::already_in_pool,
                        "'" + customer.id.str() + "' is already in the pool");
        }
        const std::string key = before ? std::string() : name_key(customer.name);
        if (!key.empty()) {
          // The same collision check (撞单) as import: one company, one pool entry.
          if (auto same_name = tx.find_by_name_key(key)) {
            return refuse(RefusalCode::already_in_pool,
                          "'" + customer.id.str() + "' has the same name as known customer '" +
                              same_name->str() + "'");
          }
        }
        CustomerRecord after = before.value_or(CustomerRecord{});
        after.state = CustomerState::available;
        after.holder.reset();
        after.since = context->now;
        after.deadline = Time();
        after.extensions_used = 0;
        after.last_follow_up = Time();
        if (before) {
          tx.update_customer(customer.id, after);
        } else {
          tx.insert_customer(customer, key, after);
        }
        const CustomerRecord previous = before.value_or(CustomerRecord{});
        tx.append_history(customer.id, detail::history_entry(HistoryKind::moved_in, context->now,
                                                             actor, previous, after));
        emit_later(pending, &PoolEvents::moved_into_pool, [&] {
          return customer_event<MovedIntoPool>(*context, customer.id, previous, after);
        });
        return Done{};
      });
}

inline Result<Done> PublicPool::move_out_of_pool(const UserId& actor, const CustomerId& customer) {
  if (!actor.valid()) return detail::bad_id("actor id");
  if (!customer.valid()) return detail::bad_id("customer id");
  return run<Done>(
      TransactionMode::read_write, [&](Transaction& tx, Pending& pending) -> Result<Done> {
        auto context = enter(tx, actor, Action::move_out_of_pool, clock_->now());
        if (!context) return context.refusal();
        const std::optional<CustomerRecord> before = tx.find_customer(customer);
        if (!before)
          return refuse(RefusalCode::unknown_customer, "no customer '" + customer.str() + "'");
        if (before->state == CustomerState::regular) {
          return refuse(RefusalCode::not_in_pool, "'" + customer.str() + "' is a regular customer");
        }
        const CustomerRecord after = detail::made_regular(*before, context->now);
        tx.update_customer(customer, after);
        tx.append_history(customer, detail::history_entry(HistoryKind::moved_out, context->now,
                                                          actor, *before, after));
        emit_later(pending, &PoolEvents::moved_out_of_pool, [&] {
          return customer_event<MovedOutOfPool>(*context, customer, *before, after);
        });
        return Done{};
      });
}

inline Result<Holding> PublicPool::claim(const UserId& actor, const CustomerId& customer) {
  return take(actor, customer, actor, Action::claim);
}

inline Result<Holding> PublicPool::assign(const UserId& actor, const CustomerId& customer,
                                          const UserId& to) {
  return take(actor, customer, to, Action::assign);
}

inline Result<Holding> PublicPool::take(const UserId& actor, const CustomerId& customer,
                                        const UserId& taker, Action action) {
  if (!actor.valid()) return detail::bad_id("actor id");
  if (!customer.valid()) return detail::bad_id("customer id");
  if (!taker.valid()) return detail::bad_id("assignee id");
  return run<Holding>(
      TransactionMode::read_write, [&](Transaction& tx, Pending& pending) -> Result<Holding> {
        auto context = enter(tx, actor, action, clock_->now());
        if (!context) return context.refusal();
        if (!context->pool.enabled)
          return refuse(RefusalCode::pool_disabled, "the pool is switched off");
        if (action == Action::assign && !tx.find_member(taker)) {
          return refuse(RefusalCode::not_a_member,
                        "assignee '" + taker.str() + "' is not a member");
        }
        const std::optional<CustomerRecord> before = tx.find_customer(customer);
        if (!before)
          return refuse(RefusalCode::unknown_customer, "no customer '" + customer.str() + "'");
        if (before->state == CustomerState::regular) {
          return refuse(RefusalCode::not_in_pool, "'" + customer.str() + "' is a regular customer");
        }
        if (before->state == CustomerState::held) {
          return refuse(RefusalCode::already_held,
                        "'" + customer.str() + "' is held by '" + before->holder->str() + "'");
        }
        const ClaimPolicy& policy = context->pool.policy;
        const bool in_cooldown =
            before->cooldown_user == taker && context->now < before->cooldown_until;
        if (auto refusal = policy.may_take({tx.count_holdings(taker), in_cooldown}))
          return *refusal;
        const CustomerRecord after =
            detail::held_by(*before, taker, context->now, policy.deadline_for(context->now));
        tx.update_customer(customer, after);
        const HistoryKind kind =
            action == Action::claim ? HistoryKind::claimed : HistoryKind::assigned;
        tx.append_history(customer,
                          detail::history_entry(kind, context->now, actor, *before, after));
        if (action == Action::claim) {
          emit_later(pending, &PoolEvents::claimed,
                     [&] { return customer_event<Claimed>(*context, customer, *before, after); });
        } else {
          emit_later(pending, &PoolEvents::assigned,
                     [&] { return customer_event<Assigned>(*context, customer, *before, after); });
        }
        return Holding{customer, taker, after.since, after.deadline, 0};
      });
}

inline Result<Done> PublicPool::release(const UserId& actor, const CustomerId& customer) {
  if (!actor.valid()) return detail::bad_id("actor id");
  if (!customer.valid()) return detail::bad_id("customer id");
  return run<Done>(
      TransactionMode::read_write, [&](Transaction& tx, Pending& pending) -> Result<Done> {
        auto context = enter(tx, actor, std::nullopt, clock_->now());
        if (!context) return context.refusal();
        const std::optional<CustomerRecord> before = tx.find_customer(customer);
        if (auto refusal = detail::not_a_holding(before, customer)) return *refusal;
        const Action action = before->holder == actor ? Action::release_own : Action::release_any;
        if (!guard_.permits(*context->role, action)) {
          return refuse(RefusalCode::not_permitted,
                        "a " + std::string(to_string(*context->role)) + " may not " +
                            std::string(to_string(action)) + " ('" + customer.str() +
                            "' is held by '" + before->holder->str() + "')");
        }
        const CustomerRecord after = detail::given_back(
            *before, context->now, context->pool.policy.cooldown_until(context->now));
        tx.update_customer(customer, after);
        tx.append_history(customer, detail::history_entry(HistoryKind::released, context->now,
                                                          actor, *before, after));
        emit_later(pending, &PoolEvents::released,
                   [&] { return customer_event<Released>(*context, customer, *before, after); });
        return Done{};
      });
}

inline Result<Holding> PublicPool::extend(const UserId& actor, const CustomerId& customer) {
  if (!actor.valid()) return detail::bad_id("actor id");
  if (!customer.valid()) return detail::bad_id("customer id");
  return run<Holding>(
      TransactionMode::read_write, [&](Transaction& tx, Pending& pending) -> Result<Holding> {
        auto context = enter(tx, actor, Action::extend, clock_->now());
        if (!context) return context.refusal();
        if (!context->pool.enabled)
          return refuse(RefusalCode::pool_disabled, "the pool is switched off");
        const std::optional<CustomerRecord> before = tx.find_customer(customer);
        if (auto refusal = detail::not_a_holding(before, customer)) return *refusal;
        if (ClaimPolicy::is_due(before->deadline, context->now))
          return detail::deadline_passed(customer);
        const ClaimPolicy& policy = context->pool.policy;
        if (!policy.may_extend(before->extensions_used)) {
          return refuse(RefusalCode::extension_limit,
                        "'" + customer.str() + "' was already extended " +
                            std::to_string(before->extensions_used) + " times");
        }
        CustomerRecord after = *before;
        after.deadline = policy.extended_deadline(before->deadline);
        after.extensions_used = before->extensions_used + 1;
        tx.update_customer(customer, after);
        tx.append_history(customer, detail::history_entry(HistoryKind::extended, context->now,
                                                          actor, *before, after));
        emit_later(pending, &PoolEvents::extended, [&] {
          auto event = customer_event<Extended>(*context, customer, *before, after);
          event.previous_deadline = before->deadline;
          event.extensions_used = after.extensions_used;
          return event;
        });
        return Holding{customer, *after.holder, after.since, after.deadline, after.extensions_used};
      });
}

inline Result<Done> PublicPool::follow_up(const UserId& actor, const CustomerId& customer,
                                          std::string_view note) {
  if (!actor.valid()) return detail::bad_id("actor id");
  if (!customer.valid()) return detail::bad_id("customer id");
  if (auto problem = detail::note_problem(note)) {
    return refuse(RefusalCode::invalid_argument, "note " + *problem);
  }
  return run<Done>(
      TransactionMode::read_write, [&](Transaction& tx, Pending& pending) -> Result<Done> {
        auto context = enter(tx, actor, Action::follow_up, clock_->now());
        if (!context) return context.refusal();
        const std::optional<CustomerRecord> before = tx.find_customer(customer);
        if (auto refusal = detail::not_a_holding(before, customer)) return *refusal;
        if (before->holder != actor) {
          return refuse(RefusalCode::held_by_other,
                        "'" + customer.str() + "' is held by '" + before->holder->str() + "'");
        }
        if (ClaimPolicy::is_due(before->deadline,
                                detail::countdown_now(context->pool, context->now)))
          return detail::deadline_passed(customer);
        CustomerRecord after = *before;
        after.last_follow_up = context->now;
        tx.update_customer(customer, after);
        tx.append_history(
            customer, detail::history_entry(HistoryKind::followed_up, context->now, actor, *before,
                                            after, std::string(note)));
        emit_later(pending, &PoolEvents::followed_up, [&] {
          auto event = customer_event<FollowedUp>(*context, customer, *before, after);
          event.note = std::string(note);
          return event;
        });
        return Done{};
      });
}

inline Result<Done> PublicPool::record_win(const UserId& actor, const CustomerId& customer,
                                           WinKind kind) {
  if (!actor.valid()) return detail::bad_id("actor id");
  if (!customer.valid()) return detail::bad_id("customer id");
  if (kind != WinKind::contract_signed && kind != WinKind::payment_received) {
    return refuse(RefusalCode::invalid_argument, "unknown win kind");
  }
  return run<Done>(
      TransactionMode::read_write, [&](Transaction& tx, Pending& pending) -> Result<Done> {
        auto context = enter(tx, actor, std::nullopt, clock_->now());
        if (!context) return context.refusal();
        const std::optional<CustomerRecord> before = tx.find_customer(customer);
        if (auto refusal = detail::not_a_holding(before, customer)) return *refusal;
        const Action action =
            before->holder == actor ? Action::record_win_own : Action::record_win_any;
        if (!guard_.permits(*context->role, action)) {
          return refuse(RefusalCode::not_permitted,
                        "a " + std::string(to_string(*context->role)) + " may not " +
                            std::string(to_string(action)) + " ('" + customer.str() +
                            "' is held by '" + before->holder->str() + "')");
        }
        if (ClaimPolicy::is_due(before->deadline,
                                detail::countdown_now(context->pool, context->now)))
          return detail::deadline_passed(customer);
        const CustomerRecord after = detail::made_regular(*before, context->now);
        tx.update_customer(customer, after);
        HistoryEntry won = detail::history_entry(HistoryKind::won, context->now, actor, *before,
                                                 after, std::string(to_string(kind)));
        won.win = kind;
        tx.append_history(customer, won);
        emit_later(pending, &PoolEvents::won, [&] {
          auto event = customer_event<Won>(*context, customer, *before, after);
          event.kind = kind;
          return event;
        });
        return Done{};
      });
}

inline Result<SweepReport> PublicPool::sweep() {
  if (!pool_.valid()) return detail::bad_id("pool id");
  const Time now = clock_->now();
  SweepReport report;
  for (;;) {
    std::size_t batch_size = 0;
    auto batch = run<SweepReport>(
        TransactionMode::read_write, [&](Transaction& tx, Pending& pending) -> Result<SweepReport> {
          std::optional<PoolRecord> pool = tx.find_pool();
          if (!pool)
            return refuse(RefusalCode::unknown_pool, "pool '" + pool_.str() + "' does not exist");
          SweepReport returned;
          if (!pool->enabled) {
            returned.paused = true;
            return returned;
          }
          const Context context{*pool, std::nullopt, std::nullopt, now};
          const std::vector<DueHolding> due = tx.list_due(now, kSweepBatch);
          batch_size = due.size();
          for (const DueHolding& holding : due) {
            const CustomerRecord after =
                detail::given_back(holding.record, now, pool->policy.cooldown_until(now));
            tx.update_customer(holding.id, after);
            tx.append_history(holding.id,
                              detail::history_entry(HistoryKind::returned, now, std::nullopt,
                                                    holding.record, after));
            emit_later(pending, &PoolEvents::returned, [&] {
              return customer_event<Returned>(context, holding.id, holding.record, after);
            });
            returned.returned.push_back(
                {holding.id, *holding.record.holder, holding.record.deadline});
          }
          return returned;
        });
    if (!batch) return batch.refusal();
    report.paused = batch->paused;
    for (ReturnedHolding& returned : batch.value().returned)
      report.returned.push_back(std::move(returned));
    if (batch_size < kSweepBatch) return report;
  }
}

}  // namespace highseas
