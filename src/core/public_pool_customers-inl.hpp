// PublicPool's customer commands: import, move in/out, claim, assign, release,
// extend, follow up, win, sweep. Each reads, asks rules.hpp, and applies.
// Included by public_pool-inl.hpp.
#pragma once

#include <unordered_set>

#include "highseas/detail/validation.hpp"
#include "highseas/name_key.hpp"
#include "highseas_inl/core/engine.hpp"

namespace highseas {

HIGHSEAS_INLINE Result<ImportReport> PublicPool::import_customers(
    const UserId& actor, std::span<const CustomerProfile> batch, ImportMode mode) {
  Engine& engine = *engine_;
  if (!actor.valid()) return detail::bad_id("actor id");
  return engine.run<ImportReport>(
      TransactionMode::read_write,
      [&](Transaction& tx, Engine::Pending& pending) -> Result<ImportReport> {
        auto situation =
            engine.enter(tx, actor, Engine::Command::import_customers, Action::import_customers);
        if (!situation) return situation.refusal();
        ImportReport report;
        std::vector<std::size_t> valid_rows;
        std::vector<std::string> keys(batch.size());
        std::unordered_set<std::string_view> ids_in_batch;
        std::unordered_set<std::string_view> keys_in_batch;
        for (std::size_t index = 0; index < batch.size(); ++index) {
          const CustomerProfile& profile = batch[index];
          if (auto invalid = rules::invalid_profile(index, profile)) {
            report.problems.push_back(std::move(*invalid));
            continue;
          }
          keys[index] = name_key(profile.name);
          rules::ImportRow row{profile, keys[index], false, std::nullopt, false, std::nullopt};
          // Look up only what the next check needs: the first problem wins.
          row.id_repeated_in_batch = !ids_in_batch.insert(profile.id.str()).second;
          if (!row.id_repeated_in_batch) row.known_by_id = tx.find_customer(profile.id);
          if (!row.id_repeated_in_batch && !row.known_by_id && !keys[index].empty()) {
            row.name_repeated_in_batch = !keys_in_batch.insert(keys[index]).second;
            if (!row.name_repeated_in_batch) {
              if (auto same_name = tx.find_by_name_key(keys[index])) {
                row.known_by_name = rules::NameMatch{
                    *same_name, tx.find_customer(*same_name).value_or(CustomerRecord{})};
              }
            }
          }
          if (auto problem = rules::import_problem(index, row)) {
            report.problems.push_back(std::move(*problem));
          } else {
            valid_rows.push_back(index);
          }
        }
        if (!rules::import_writes(mode, !report.problems.empty())) {
          return report;  // nothing written: the transaction rolls back empty
        }
        const rules::Change change = rules::imported(*situation);
        for (const std::size_t index : valid_rows) {
          tx.insert_customer(batch[index], keys[index], change.after);
          tx.append_history(batch[index].id, change.entry);
          report.imported.push_back(batch[index].id);
        }
        if (!report.imported.empty()) {
          engine.emit_later(pending, &PoolEvents::customers_imported, [&] {
            return CustomersImported{{engine.pool, actor, situation->now}, report.imported};
          });
        }
        return report;
      });
}

HIGHSEAS_INLINE Result<Done> PublicPool::move_into_pool(const UserId& actor,
                                                        const CustomerProfile& customer) {
  Engine& engine = *engine_;
  if (!actor.valid()) return detail::bad_id("actor id");
  if (auto problem = detail::profile_problem(customer)) {
    return refuse(RefusalCode::invalid_argument, problem->field + " " + problem->reason);
  }
  return engine.run<Done>(
      TransactionMode::read_write, [&](Transaction& tx, Engine::Pending& pending) -> Result<Done> {
        auto situation =
            engine.enter(tx, actor, Engine::Command::move_into_pool, Action::move_into_pool);
        if (!situation) return situation.refusal();
        const std::optional<CustomerRecord> before = tx.find_customer(customer.id);
        const std::string key = before ? std::string() : name_key(customer.name);
        std::optional<rules::NameMatch> same_name;
        if (!key.empty()) {
          if (auto match = tx.find_by_name_key(key)) {
            same_name =
                rules::NameMatch{*match, tx.find_customer(*match).value_or(CustomerRecord{})};
          }
        }
        auto change = rules::move_in(*situation, customer.id, before, same_name);
        if (!change) return change.refusal();
        const CustomerRecord previous = before.value_or(CustomerRecord{});
        if (!before) {
          // A new customer: insert it first so apply() updates a known record.
          tx.insert_customer(customer, key, change->after);
        }
        engine.apply(tx, pending, *situation, customer.id, previous, *change);
        return Done{};
      });
}

HIGHSEAS_INLINE Result<Done> PublicPool::move_out_of_pool(const UserId& actor,
                                                          const CustomerId& customer) {
  Engine& engine = *engine_;
  if (!actor.valid()) return detail::bad_id("actor id");
  if (!customer.valid()) return detail::bad_id("customer id");
  return engine.run<Done>(
      TransactionMode::read_write, [&](Transaction& tx, Engine::Pending& pending) -> Result<Done> {
        auto situation =
            engine.enter(tx, actor, Engine::Command::move_out_of_pool, Action::move_out_of_pool);
        if (!situation) return situation.refusal();
        const std::optional<CustomerRecord> before = tx.find_customer(customer);
        auto change = rules::move_out(*situation, customer, before);
        if (!change) return change.refusal();
        engine.apply(tx, pending, *situation, customer, *before, *change);
        return Done{};
      });
}

HIGHSEAS_INLINE Result<Holding> PublicPool::claim(const UserId& actor, const CustomerId& customer) {
  return take(actor, customer, actor, false);
}

HIGHSEAS_INLINE Result<Holding> PublicPool::assign(const UserId& actor, const CustomerId& customer,
                                                   const UserId& to) {
  return take(actor, customer, to, true);
}

HIGHSEAS_INLINE Result<Holding> PublicPool::take(const UserId& actor, const CustomerId& customer,
                                                 const UserId& taker, bool assign) {
  Engine& engine = *engine_;
  if (!actor.valid()) return detail::bad_id("actor id");
  if (!customer.valid()) return detail::bad_id("customer id");
  if (!taker.valid()) return detail::bad_id("assignee id");
  const auto command = assign ? Engine::Command::assign : Engine::Command::claim;
  return engine.run<Holding>(
      TransactionMode::read_write,
      [&](Transaction& tx, Engine::Pending& pending) -> Result<Holding> {
        auto situation = engine.enter(tx, actor, command, assign ? Action::assign : Action::claim);
        if (!situation) return situation.refusal();
        const bool taker_is_member = !assign || tx.find_member(taker).has_value();
        std::optional<CustomerRecord> before;
        std::uint32_t holdings = 0;
        if (taker_is_member) {
          before = tx.find_customer(customer);
          // Counting costs a storage call: only when the customer can be taken.
          if (before && before->state == CustomerState::available) {
            holdings = tx.count_holdings(taker);
          }
        }
        auto change =
            rules::take(*situation, command, customer, before, taker, taker_is_member, holdings);
        if (!change) return change.refusal();
        engine.apply(tx, pending, *situation, customer, *before, *change);
        return Holding{customer, taker, change->after.since, change->after.deadline, 0};
      });
}

HIGHSEAS_INLINE Result<Done> PublicPool::release(const UserId& actor, const CustomerId& customer) {
  Engine& engine = *engine_;
  if (!actor.valid()) return detail::bad_id("actor id");
  if (!customer.valid()) return detail::bad_id("customer id");
  return engine.run<Done>(
      TransactionMode::read_write, [&](Transaction& tx, Engine::Pending& pending) -> Result<Done> {
        auto situation = engine.enter(tx, actor, Engine::Command::release, std::nullopt);
        if (!situation) return situation.refusal();
        const std::optional<CustomerRecord> before = tx.find_customer(customer);
        auto change = rules::release(*situation, customer, before);
        if (!change) return change.refusal();
        engine.apply(tx, pending, *situation, customer, *before, *change);
        return Done{};
      });
}

HIGHSEAS_INLINE Result<Holding> PublicPool::extend(const UserId& actor,
                                                   const CustomerId& customer) {
  Engine& engine = *engine_;
  if (!actor.valid()) return detail::bad_id("actor id");
  if (!customer.valid()) return detail::bad_id("customer id");
  return engine.run<Holding>(
      TransactionMode::read_write,
      [&](Transaction& tx, Engine::Pending& pending) -> Result<Holding> {
        auto situation = engine.enter(tx, actor, Engine::Command::extend, Action::extend);
        if (!situation) return situation.refusal();
        const std::optional<CustomerRecord> before = tx.find_customer(customer);
        auto change = rules::extend(*situation, customer, before);
        if (!change) return change.refusal();
        engine.apply(tx, pending, *situation, customer, *before, *change);
        const CustomerRecord& after = change->after;
        return Holding{customer, *after.holder, after.since, after.deadline, after.extensions_used};
      });
}

HIGHSEAS_INLINE Result<Done> PublicPool::follow_up(const UserId& actor, const CustomerId& customer,
                                                   std::string_view note) {
  Engine& engine = *engine_;
  if (!actor.valid()) return detail::bad_id("actor id");
  if (!customer.valid()) return detail::bad_id("customer id");
  if (auto problem = detail::note_problem(note)) {
    return refuse(RefusalCode::invalid_argument, "note " + *problem);
  }
  return engine.run<Done>(
      TransactionMode::read_write, [&](Transaction& tx, Engine::Pending& pending) -> Result<Done> {
        auto situation = engine.enter(tx, actor, Engine::Command::follow_up, Action::follow_up);
        if (!situation) return situation.refusal();
        const std::optional<CustomerRecord> before = tx.find_customer(customer);
        auto change = rules::follow_up(*situation, customer, before, note);
        if (!change) return change.refusal();
        engine.apply(tx, pending, *situation, customer, *before, *change);
        return Done{};
      });
}

HIGHSEAS_INLINE Result<Done> PublicPool::record_win(const UserId& actor, const CustomerId& customer,
                                                    WinKind kind) {
  Engine& engine = *engine_;
  if (!actor.valid()) return detail::bad_id("actor id");
  if (!customer.valid()) return detail::bad_id("customer id");
  if (kind != WinKind::contract_signed && kind != WinKind::payment_received) {
    return refuse(RefusalCode::invalid_argument, "unknown win kind");
  }
  return engine.run<Done>(
      TransactionMode::read_write, [&](Transaction& tx, Engine::Pending& pending) -> Result<Done> {
        auto situation = engine.enter(tx, actor, Engine::Command::record_win, std::nullopt);
        if (!situation) return situation.refusal();
        const std::optional<CustomerRecord> before = tx.find_customer(customer);
        auto change = rules::record_win(*situation, customer, before, kind);
        if (!change) return change.refusal();
        engine.apply(tx, pending, *situation, customer, *before, *change);
        return Done{};
      });
}

HIGHSEAS_INLINE Result<SweepReport> PublicPool::sweep() {
  Engine& engine = *engine_;
  if (!engine.pool.valid()) return detail::bad_id("pool id");
  // One "now" for every batch, read inside the first one's transaction: a
  // clock that cannot answer (PostgresClock, server restarting) is then
  // retried like any other transient failure.
  std::optional<Time> now;
  SweepReport report;
  for (;;) {
    std::size_t batch_size = 0;
    auto batch = engine.run<SweepReport>(
        TransactionMode::read_write,
        [&](Transaction& tx, Engine::Pending& pending) -> Result<SweepReport> {
          std::optional<PoolRecord> pool = tx.find_pool();
          if (!pool) {
            return refuse(RefusalCode::unknown_pool,
                          "pool '" + engine.pool.str() + "' does not exist");
          }
          SweepReport returned;
          if (!pool->enabled) {
            returned.paused = true;
            return returned;
          }
          if (!now) now = engine.clock->now();
          const rules::Situation situation{*pool, engine.guard, std::nullopt, std::nullopt, *now};
          // The storage writes the batch (in one statement where it can); the
          // rules decided what it writes.
          std::vector<DueHolding> due = tx.return_due(rules::due_return(situation), kSweepBatch);
          batch_size = due.size();
          returned.returned.reserve(due.size());
          const bool listened = detail::SignalAccess::has_slots(engine.events.returned);
          for (DueHolding& holding : due) {
            if (listened) {
              engine.announce(pending, situation, holding.id, holding.record,
                              rules::return_due(situation, holding.record));
            }
            // Announced (the event has its copies): the report takes the strings.
            returned.returned.push_back({std::move(holding.id), std::move(*holding.record.holder),
                                         holding.record.deadline});
          }
          return returned;
        });
    if (!batch) return batch.refusal();
    report.paused = batch->paused;
    if (report.returned.empty()) {
      report.returned = std::move(batch.value().returned);
    } else {
      for (ReturnedHolding& returned : batch.value().returned) {
        report.returned.push_back(std::move(returned));
      }
    }
    if (batch_size < kSweepBatch) return report;
  }
}

}  // namespace highseas
