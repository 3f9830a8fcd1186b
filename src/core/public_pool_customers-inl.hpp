// PublicPool's customer commands: import, move in/out, claim, assign, release,
// extend, follow up, win, sweep. Each reads, asks rules.hpp, and applies.
// Included by public_pool-inl.hpp.
#pragma once

#include <iterator>
#include <string>
#include <unordered_set>
#include <vector>

#include "highseas/detail/validation.hpp"
#include "highseas/name_key.hpp"
#include "highseas_inl/core/engine.hpp"

namespace highseas {

namespace detail {

// A span handed out as a stream of one batch: the span overload of
// import_customers runs on the stream one, so there is one import.
class SpanImportSource final : public ImportSource {
 public:
  explicit SpanImportSource(std::span<const CustomerProfile> rows) : rows_(rows) {}
  void rewind() override { given_ = false; }
  std::span<const CustomerProfile> next_batch() override {
    if (given_) return {};
    given_ = true;
    return rows_;
  }

 private:
  std::span<const CustomerProfile> rows_;
  bool given_ = false;
};

}  // namespace detail

HIGHSEAS_INLINE Result<ImportReport> PublicPool::import_customers(
    const UserId& actor, std::span<const CustomerProfile> batch, ImportMode mode) {
  detail::SpanImportSource source(batch);
  auto streamed = import_customers(actor, source, mode);
  if (!streamed) return streamed.refusal();
  ImportReport report;
  report.problems = std::move(streamed.value().problems);
  if (streamed->imported > 0) {
    // Every row without a problem was written: the problems are in row order.
    report.imported.reserve(streamed->imported);
    std::size_t next_problem = 0;
    for (std::size_t row = 0; row < batch.size(); ++row) {
      if (next_problem < report.problems.size() && report.problems[next_problem].row == row) {
        ++next_problem;
        continue;
      }
      report.imported.push_back(batch[row].id);
    }
  }
  return report;
}

HIGHSEAS_INLINE Result<StreamImportReport> PublicPool::import_customers(const UserId& actor,
                                                                        ImportSource& source,
                                                                        ImportMode mode) {
  Engine& engine = *engine_;
  if (!actor.valid()) return detail::bad_id("actor id");
  // Set by the body: false when it wrote rows that must not stay (an
  // all_or_nothing import that found a problem after writing earlier batches).
  bool keep_writes = true;
  return engine.run<StreamImportReport>(
      TransactionMode::read_write,
      [&](Transaction& tx, Engine::Pending& pending) -> Result<StreamImportReport> {
        keep_writes = true;
        auto situation =
            engine.enter(tx, actor, Engine::Command::import_customers, Action::import_customers);
        if (!situation) return situation.refusal();
        // A retried attempt starts the stream over: nothing of the last one counts.
        source.rewind();
        const rules::Change change = rules::imported(*situation);
        const bool listened = detail::SignalAccess::has_slots(engine.events.customers_imported);
        const bool track_repeats = !source.rows_are_unique();
        const bool collected = source.collects_problems();
        StreamImportReport report;
        std::vector<CustomerId> imported_ids;  // only for the event, only when listened
        // Every id and name key seen in the stream, so a repeat of an earlier
        // row (written or not) is reported as such, not as a known customer.
        std::unordered_set<std::string> ids_seen;
        std::unordered_set<std::string> keys_seen;
        std::vector<std::size_t> valid_rows;
        std::vector<std::string> keys;
        std::vector<ImportProblem> batch_problems;
        bool wrote = false;
        // A collision reports the customer as it stands: a due holding as returned.
        auto stands = [&](const CustomerRecord& record) {
          return rules::settled(situation->pool, record, situation->now);
        };
        for (std::span<const CustomerProfile> batch = source.next_batch(); !batch.empty();
             batch = source.next_batch()) {
          const std::size_t first_row = report.rows;
          report.rows += batch.size();
          valid_rows.clear();
          batch_problems.clear();
          keys.assign(batch.size(), std::string());
          for (std::size_t index = 0; index < batch.size(); ++index) {
            const CustomerProfile& profile = batch[index];
            if (auto invalid = rules::invalid_profile(first_row + index, profile)) {
              batch_problems.push_back(std::move(*invalid));
              continue;
            }
            keys[index] = name_key(profile.name);
            rules::ImportRow row{profile, keys[index], false, std::nullopt, false, std::nullopt};
            // Look up only what the next check needs: the first problem wins.
            row.id_repeated_in_batch = track_repeats && !ids_seen.insert(profile.id.str()).second;
            if (!row.id_repeated_in_batch) {
              if (auto known = tx.find_customer(profile.id)) row.known_by_id = stands(*known);
            }
            if (!row.id_repeated_in_batch && !row.known_by_id && !keys[index].empty()) {
              row.name_repeated_in_batch = track_repeats && !keys_seen.insert(keys[index]).second;
              if (!row.name_repeated_in_batch) {
                if (auto same_name = tx.find_by_name_key(keys[index])) {
                  row.known_by_name = rules::NameMatch{
                      *same_name, stands(tx.find_customer(*same_name).value_or(CustomerRecord{}))};
                }
              }
            }
            if (auto problem = rules::import_problem(first_row + index, row)) {
              batch_problems.push_back(std::move(*problem));
            } else {
              valid_rows.push_back(index);
            }
          }
          if (!batch_problems.empty()) {
            report.rows_with_problems += batch_problems.size();
            source.refused(first_row, batch_problems);
            if (!collected) {
              report.problems.insert(report.problems.end(),
                                     std::make_move_iterator(batch_problems.begin()),
                                     std::make_move_iterator(batch_problems.end()));
            }
          }
          report.source_left_out_rows = report.source_left_out_rows || source.left_out_rows();
          // Once all_or_nothing has seen a problem, later batches are only
          // checked (to report them all); what was written rolls back below.
          if (!rules::import_writes(mode,
                                    report.rows_with_problems > 0 || report.source_left_out_rows)) {
            continue;
          }
          for (const std::size_t index : valid_rows) {
            tx.insert_customer(batch[index], keys[index], change.after);
            tx.append_history(batch[index].id, change.entry);
            if (listened) imported_ids.push_back(batch[index].id);
          }
          report.imported += valid_rows.size();
          wrote = wrote || !valid_rows.empty();
        }
        if (!rules::import_writes(mode,
                                  report.rows_with_problems > 0 || report.source_left_out_rows)) {
          keep_writes = !wrote;  // nothing written needs no rollback
          report.imported = 0;
          return report;
        }
        if (!imported_ids.empty()) {
          engine.emit_later(pending, &PoolEvents::customers_imported, [&] {
            return CustomersImported{{engine.pool, actor, situation->now}, std::move(imported_ids)};
          });
        }
        return report;
      },
      [&](const StreamImportReport&) { return keep_writes; });
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
        // Only a new or regular customer moves in: one due is refused as the
        // available customer it is, with nothing to write.
        std::optional<CustomerRecord> before = tx.find_customer(customer.id);
        if (before) before = rules::settled(situation->pool, *before, situation->now);
        const std::string key = before ? std::string() : name_key(customer.name);
        std::optional<rules::NameMatch> same_name;
        if (!key.empty()) {
          if (auto match = tx.find_by_name_key(key)) {
            same_name = rules::NameMatch{
                *match,
                rules::settled(situation->pool, tx.find_customer(*match).value_or(CustomerRecord{}),
                               situation->now)};
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
        const std::optional<CustomerRecord> before =
            engine.settle(tx, pending, *situation, customer);
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
        rules::Taker who{taker, assign ? tx.find_member(taker) : situation->role, 0, {}};
        std::optional<CustomerRecord> before;
        std::string level;
        const ClaimPolicy& policy = situation->pool.policy;
        const bool daily = rules::counts_daily(*situation, command, who);
        if (who.role) {
          before = engine.settle(tx, pending, *situation, customer);
          // Counting costs a storage call: only when the customer can be taken.
          if (before && before->state == CustomerState::available) {
            who.holdings = engine.count_places_taken(tx, pending, *situation, taker);
            // So does the level: only when a level has a rule or a limit of its own.
            if (!policy.levels.empty() || (daily && !policy.daily_limit.levels.empty())) {
              if (auto profile = tx.find_profile(customer)) level = std::move(profile->level);
            }
            // After the count, which a writer locks first (Transaction::find_daily_takes).
            if (daily) who.takes = tx.find_daily_takes(taker).value_or(DailyTakes{});
          }
        }
        auto change = rules::take(*situation, command, customer, before, who, level);
        if (!change) return change.refusal();
        engine.apply(tx, pending, *situation, customer, *before, *change);
        if (daily) tx.put_daily_takes(taker, rules::tally_take(*situation, command, who, level));
        return Holding{customer, taker, change->after.since, change->after.deadline, 0};
      });
}

namespace detail {

// What extend, protect and unprotect return: the holding after the change.
inline Holding holding_after(const CustomerId& customer, const rules::Change& change) {
  const CustomerRecord& after = change.after;
  return Holding{customer, *after.holder, after.since, after.deadline, after.extensions_used};
}

}  // namespace detail

HIGHSEAS_INLINE Result<Done> PublicPool::release(const UserId& actor, const CustomerId& customer) {
  return engine_->change_customer<Done>(
      actor, customer, Engine::Command::release, std::nullopt,
      [&](Transaction&, const rules::Situation& situation,
          const std::optional<CustomerRecord>& before) {
        return rules::release(situation, customer, before);
      },
      [](const rules::Change&) { return Done{}; });
}

HIGHSEAS_INLINE Result<Holding> PublicPool::extend(const UserId& actor,
                                                   const CustomerId& customer) {
  return engine_->change_customer<Holding>(
      actor, customer, Engine::Command::extend, Action::extend,
      [&](Transaction&, const rules::Situation& situation,
          const std::optional<CustomerRecord>& before) {
        return rules::extend(situation, customer, before);
      },
      [&](const rules::Change& change) { return detail::holding_after(customer, change); });
}

HIGHSEAS_INLINE Result<Done> PublicPool::follow_up(const UserId& actor, const CustomerId& customer,
                                                   std::string_view note) {
  if (auto problem = detail::note_problem(note)) {
    if (!actor.valid()) return detail::bad_id("actor id");
    if (!customer.valid()) return detail::bad_id("customer id");
    return refuse(RefusalCode::invalid_argument, "note " + *problem);
  }
  return engine_->change_customer<Done>(
      actor, customer, Engine::Command::follow_up, Action::follow_up,
      [&](Transaction&, const rules::Situation& situation,
          const std::optional<CustomerRecord>& before) {
        return rules::follow_up(situation, customer, before, note);
      },
      [](const rules::Change&) { return Done{}; });
}

HIGHSEAS_INLINE Result<Done> PublicPool::record_win(const UserId& actor, const CustomerId& customer,
                                                    WinKind kind) {
  if (kind != WinKind::contract_signed && kind != WinKind::payment_received) {
    if (!actor.valid()) return detail::bad_id("actor id");
    if (!customer.valid()) return detail::bad_id("customer id");
    return refuse(RefusalCode::invalid_argument, "unknown win kind");
  }
  return engine_->change_customer<Done>(
      actor, customer, Engine::Command::record_win, std::nullopt,
      [&](Transaction&, const rules::Situation& situation,
          const std::optional<CustomerRecord>& before) {
        return rules::record_win(situation, customer, before, kind);
      },
      [](const rules::Change&) { return Done{}; });
}

HIGHSEAS_INLINE Result<Holding> PublicPool::protect(const UserId& actor, const CustomerId& customer,
                                                    std::optional<Duration> length) {
  return change_protection(actor, customer, true, length);
}

HIGHSEAS_INLINE Result<Holding> PublicPool::unprotect(const UserId& actor,
                                                      const CustomerId& customer) {
  return change_protection(actor, customer, false, std::nullopt);
}

HIGHSEAS_INLINE Result<Holding> PublicPool::change_protection(const UserId& actor,
                                                              const CustomerId& customer, bool on,
                                                              std::optional<Duration> length) {
  return engine_->change_customer<Holding>(
      actor, customer, Engine::Command::protect, std::nullopt,
      [&](Transaction& tx, const rules::Situation& situation,
          const std::optional<CustomerRecord>& before) -> Result<rules::Change> {
        if (!on) return rules::unprotect(situation, customer, before);
        // The holder's protections: a walk of their holdings, which the cap bounds.
        std::uint32_t protections = 0;
        if (before && before->holder) {
          for (const StoredCustomer& held : tx.list_holdings(*before->holder)) {
            if (rules::is_due(situation.pool, held.record, situation.now)) continue;
            if (rules::is_protected(held.record, situation.now)) ++protections;
          }
        }
        return rules::protect(situation, customer, before, protections, length);
      },
      [&](const rules::Change& change) { return detail::holding_after(customer, change); });
}

namespace detail {

// Appends `batch` to `into`, moving (a first batch is taken whole).
template <class T>
void append_batch(std::vector<T>& into, std::vector<T>&& batch) {
  if (into.empty()) {
    into = std::move(batch);
    return;
  }
  for (T& item : batch) into.push_back(std::move(item));
}

}  // namespace detail

HIGHSEAS_INLINE Result<SweepReport> PublicPool::sweep() {
  Engine& engine = *engine_;
  if (!engine.pool.valid()) return detail::bad_id("pool id");
  // One "now" for every batch, read inside the first one's transaction: a
  // clock that cannot answer (PostgresClock, server restarting) is then
  // retried like any other transient failure.
  std::optional<Time> now;
  SweepReport report;
  // Returns first, then reminders: a holding due now hears its return, not
  // a warning. Each batch is one transaction, so a sweep with fewer than a
  // batch of each commits (or fails) whole; a full batch means there may be more.
  for (bool more = true; more;) {
    auto batch = engine.run<SweepReport>(
        TransactionMode::read_write,
        [&](Transaction& tx, Engine::Pending& pending) -> Result<SweepReport> {
          std::optional<PoolRecord> pool = tx.find_pool();
          if (!pool) {
            return refuse(RefusalCode::unknown_pool,
                          "pool '" + engine.pool.str() + "' does not exist");
          }
          SweepReport part;
          more = false;
          if (!pool->enabled) {
            part.paused = true;
            return part;
          }
          if (!now) now = engine.clock->now();
          const rules::Situation situation{*pool,        engine.guard, std::nullopt,
                                           std::nullopt, *now,         engine.team_for(tx, *pool)};
          std::vector<DueHolding> due = engine.return_due(tx, pending, situation, kSweepBatch);
          part.returned.reserve(due.size());
          for (DueHolding& holding : due) {
            // Announced (the event has its copies): the report takes the strings.
            part.returned.push_back({std::move(holding.id), std::move(*holding.record.holder),
                                     holding.record.deadline});
          }
          more = due.size() == kSweepBatch;
          if (!more) {
            more = engine.remind_due(tx, pending, situation, kSweepBatch, part.reminded) ==
                   kSweepBatch;
          }
          return part;
        });
    if (!batch) return batch.refusal();
    report.paused = batch->paused;
    detail::append_batch(report.returned, std::move(batch.value().returned));
    detail::append_batch(report.reminded, std::move(batch.value().reminded));
  }
  return report;
}

}  // namespace highseas
