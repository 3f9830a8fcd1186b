// PublicPool's machinery: one transaction per command with retries, the
// membership check every command starts with, and the one apply step that
// writes a decided change and queues its event. Internal to PublicPool.
#pragma once

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <variant>

#include "highseas/public_pool.hpp"
#include "highseas/rules.hpp"
#include "highseas_inl/core/event_sequencer.hpp"
#include "highseas_inl/core/signal_body.hpp"

namespace highseas {

namespace detail {

// Builds the refusal for an id that fails is_valid_id.
inline Refusal bad_id(std::string_view what) {
  return refuse(RefusalCode::invalid_argument,
                std::string(what) + " must be 1..128 bytes of UTF-8 without control characters");
}

// One committed event waiting for its slots: the signal and the event, by value.
template <class Event>
struct Announcement {
  // A constructor, not an aggregate: clang 14 (clang-tidy here) lacks C++20's
  // parenthesised aggregate initialisation, which std::in_place_type needs.
  Announcement(const Signal<Event>* to, Event&& what) : signal(to), event(std::move(what)) {}
  const Signal<Event>* signal;
  Event event;
  void operator()() const { SignalAccess::emit(*signal, event); }
};

// Any of the pool's events, waiting in a batch: a variant, so queuing one
// needs no heap closure. A new event type is a compile error here until added.
class PendingEvent {
 public:
  // Builds the event in place: `make_event()` is moved once, into the batch.
  template <class Event, class MakeEvent>
  PendingEvent(const Signal<Event>* signal, MakeEvent&& make_event)
      : held_(std::in_place_type<Announcement<Event>>, signal, make_event()) {}
  void operator()() const {
    std::visit([](const auto& announcement) { announcement(); }, held_);
  }

 private:
  std::variant<Announcement<PoolSwitched>, Announcement<PolicyChanged>,
               Announcement<CalendarChanged>, Announcement<MemberChanged>,
               Announcement<CustomersImported>, Announcement<MovedIntoPool>,
               Announcement<MovedOutOfPool>, Announcement<Claimed>, Announcement<Assigned>,
               Announcement<Released>, Announcement<Extended>, Announcement<FollowedUp>,
               Announcement<Won>, Announcement<Returned>, Announcement<ProtectionChanged>,
               Announcement<DeadlineRecomputed>, Announcement<ReminderDue>>
      held_;
};

// How long to wait before attempt `failed + 1`: random (competing writers
// interleave instead of colliding again) and doubling from 0.2 ms up to
// 100 ms, so a conflict is retried at once and a restarting server is not
// hammered.
inline std::chrono::microseconds retry_pause(int failed) {
  thread_local std::minstd_rand jitter{std::random_device{}()};
  const int limit = 200 << std::min(failed - 1, 9);  // 0.2 ms .. 102.4 ms
  return std::chrono::microseconds(std::uniform_int_distribution<int>(0, limit)(jitter));
}

// What PublicPool throws when a command kept failing transiently until its
// deadline: names the limit and the last cause.
inline std::string gave_up_message(std::chrono::milliseconds timeout, const StorageError& last) {
  const auto count = timeout.count();
  const std::string span =
      count % 1000 == 0 ? std::to_string(count / 1000) + " s" : std::to_string(count) + " ms";
  return "storage: the command did not complete within " + span +
         " (the storage's command_timeout); last error: " + last.what();
}

}  // namespace detail

class PublicPool::Engine {
 public:
  using Pending = detail::BasicEventSequencer<detail::PendingEvent>::Batch;
  using Command = rules::Command;

  Engine(PoolId pool_id, Storage& storage_, const Clock& clock_, RoleGuard guard_)
      : pool(std::move(pool_id)), storage(&storage_), clock(&clock_), guard(guard_) {}

  // Runs `body` in one transaction: commits a success of a read_write body,
  // rolls back everything else, retries the whole body on a transient storage
  // conflict, and emits the queued events after the commit, in commit order.
  template <class T, class Body>
  Result<T> run(TransactionMode mode, Body&& body) {
    return run<T>(mode, std::forward<Body>(body), [](const T&) { return true; });
  }

  // As above, but a success is committed only if `keep(value)` says so: a
  // streamed all_or_nothing import has written its early batches by the time
  // a late one finds a problem, and must then roll back yet report.
  template <class T, class Body, class Keep>
  Result<T> run(TransactionMode mode, Body&& body, Keep&& keep);

  // Reads the pool and the actor's role, and checks what every command checks
  // first: the pool exists, the actor is a member, the role permits `action`
  // (when the command has one fixed action) and the pool is switched on if
  // `command` needs it.
  Result<rules::Situation> enter(Transaction& tx, const UserId& actor, Command command,
                                 std::optional<Action> action) const;

  // Returns how `pool` counts days: its time zone and its current work
  // calendar. The calendar is read from storage only when the pool names a
  // version or zone other than the last one read (another app server's
  // change is seen at the next command). Throws StorageError when the pool's
  // zone is not in this machine's tz database: counting in another zone would
  // give deadlines other app servers do not.
  std::shared_ptr<const TeamCalendar> team_for(Transaction& tx, const PoolRecord& pool) const;

  // Writes one decided change (the record and its history entry, one storage
  // call) and queues its event.
  void apply(Transaction& tx, Pending& pending, const rules::Situation& situation,
             const CustomerId& id, const CustomerRecord& before, const rules::Change& change);

  // Queues the event of a change already written (apply's second half).
  void announce(Pending& pending, const rules::Situation& situation, const CustomerId& id,
                const CustomerRecord& before, const rules::Change& change);

  // Reads a customer for a command: a holding already due is returned first,
  // at its deadline (its history entry and Returned event written here, in
  // the command's transaction), so the command decides on what the customer
  // is now. A refused command rolls that back too: the sweep writes it later.
  std::optional<CustomerRecord> settle(Transaction& tx, Pending& pending,
                                       const rules::Situation& situation, const CustomerId& id);

  // Counts the places `taker` holds for a take's cap check. At the cap, the
  // taker's holdings already due are returned first (written, with their
  // events, as settle() does) and so free their places. Only written returns
  // free a place: a command on another app server whose clock runs a little
  // behind then finds them returned, and cannot extend or protect a holding
  // this take counted as gone (CI: a rep held 4 for a cap of 3 that way).
  std::uint32_t count_places_taken(Transaction& tx, Pending& pending,
                                   const rules::Situation& situation, const UserId& taker);

  // Returns up to `limit` due holdings at their deadlines (one storage call)
  // and announces each; returns them as they were.
  std::vector<DueHolding> return_due(Transaction& tx, Pending& pending,
                                     const rules::Situation& situation, std::size_t limit);

  // Sends up to `limit` reminders due at situation.now (one storage call to
  // find them): writes each as sent, with its history entry, queues its
  // ReminderDue and appends it to `sent`. Returns how many holdings it
  // looked at (a full batch means there may be more).
  std::size_t remind_due(Transaction& tx, Pending& pending, const rules::Situation& situation,
                         std::size_t limit, std::vector<SentReminder>& sent);

  // Returns every holding due at situation.now, in batches of one
  // transaction: before a pause or a policy change, which must not move or
  // recompute what already went back. Costs what is due.
  void return_all_due(Transaction& tx, Pending& pending, const rules::Situation& situation);

  // The pool as a change to `policy` would leave it (its next policy
  // version, counted in the pool's calendar), or the refusal the change gets
  // because its business days would run past the calendar (calendar_ends).
  // The change and its preview both start here, so they refuse alike.
  Result<rules::Situation> with_policy(Transaction& tx, const rules::Situation& now,
                                       const ClaimPolicy& policy) const;

  // The pool as a change to `calendar` would leave it (its version not yet
  // moved), or calendar_ends as with_policy. Shared by set_calendar and
  // preview_calendar.
  static Result<rules::Situation> with_calendar(const rules::Situation& now,
                                                const WorkCalendar& calendar);

  // After a change of policy or calendar: gives every running holding the
  // clocks the changed pool `next` sets, as `running` says, counted before in
  // `now`'s calendar; writes each change with its event. Returns how many
  // holdings changed. Shared by set_policy / update_policy and set_calendar.
  std::uint32_t recompute_running(Transaction& tx, Pending& pending, const rules::Situation& now,
                                  const rules::Situation& next, RunningHoldings running);

  // What recompute_running would do, written nowhere: the dry run behind
  // preview_policy and preview_calendar, so a preview shows exactly what the
  // change would do. `version` is the version the change would create.
  PolicyPreview preview_running(Transaction& tx, const rules::Situation& now,
                                const rules::Situation& next, std::uint32_t version,
                                RunningHoldings running) const;

  // The shape of every command on one held customer: checks the ids, enters
  // (`action` checked when the command has one fixed action), reads the
  // customer, asks `decide(tx, situation, before)` for the change, applies it
  // and returns `result(change)`. Only the decision differs between them.
  template <class T, class Decide, class MakeResult>
  Result<T> change_customer(const UserId& actor, const CustomerId& customer, Command command,
                            std::optional<Action> action, Decide&& decide, MakeResult&& result);

  // Queues `make_event()` for `signal`, built only when a slot is connected,
  // so a host that listens to nothing pays for no event copies or closures.
  template <class Event, class MakeEvent>
  void emit_later(Pending& pending, Signal<Event> PoolEvents::*signal, MakeEvent&& make_event);

  // The header every event about one customer carries.
  template <class Event>
  Event customer_event(const rules::Situation& situation, const CustomerId& id,
                       const CustomerRecord& before, const CustomerRecord& after) const;

  PoolId pool;
  Storage* storage;
  const Clock* clock;
  RoleGuard guard;
  PoolEvents events;
  detail::BasicEventSequencer<detail::PendingEvent> sequencer;

  // team_for's cache: the last calendar read and its version. Commands on
  // many threads share it.
  mutable std::mutex team_mutex;
  mutable std::shared_ptr<const TeamCalendar> team;
  mutable std::uint32_t team_version = 0;
};

template <class T, class Body, class Keep>
Result<T> PublicPool::Engine::run(TransactionMode mode, Body&& body, Keep&& keep) {
  // A malformed pool id is refused before any storage is asked about it.
  if (!pool.valid()) {
    return refuse(RefusalCode::invalid_argument,
                  "pool id must be 1..128 bytes of UTF-8 without control characters");
  }
  // A storage with a command_timeout() bounds the retries by time (a server
  // restarting is waited for); one without gets a fixed number of attempts.
  constexpr int kMaxAttempts = 32;
  const std::optional<std::chrono::milliseconds> timeout = storage->command_timeout();
  const Deadline deadline = timeout ? std::chrono::steady_clock::now() + *timeout : Deadline::max();
  for (int attempt = 1;; ++attempt) {
    Pending pending;
    std::optional<Result<T>> result;
    // A ticket taken must always be published (empty if the commit failed), or
    // every later batch would wait for it forever.
    bool ticket_taken = false;
    std::uint64_t ticket = 0;
    try {
      auto in_transaction = [&](Transaction& tx) {
        result.emplace(body(tx, pending));
        if (!result->ok() || mode == TransactionMode::read_only || !keep(result->value())) {
          return;  // rolls back
        }
        // Nothing to announce, so nothing to order: no ticket, no sequencer lock.
        if (!pending.empty()) {
          ticket = sequencer.take_ticket();
          ticket_taken = true;
        }
        tx.commit();
      };
      // The transaction lives inside transact(): its locks are released by
      // the time it returns, before any slot runs.
      storage->transact(pool, mode, deadline, in_transaction);
      if (ticket_taken) {
        ticket_taken = false;
        sequencer.publish(ticket, std::move(pending));
      }
      return std::move(*result);
    } catch (const RetryableStorageError& error) {
      if (ticket_taken) sequencer.publish(ticket, {});
      const std::chrono::microseconds pause = detail::retry_pause(attempt);
      if (!timeout) {
        if (attempt >= kMaxAttempts) throw;
      } else if (std::chrono::steady_clock::now() + pause >= deadline) {
        throw StorageError(detail::gave_up_message(*timeout, error));
      }
      std::this_thread::sleep_for(pause);
    } catch (...) {
      if (ticket_taken) sequencer.publish(ticket, {});
      throw;
    }
  }
}

template <class T, class Decide, class MakeResult>
Result<T> PublicPool::Engine::change_customer(const UserId& actor, const CustomerId& customer,
                                              Command command, std::optional<Action> action,
                                              Decide&& decide, MakeResult&& result) {
  if (!actor.valid()) return detail::bad_id("actor id");
  if (!customer.valid()) return detail::bad_id("customer id");
  return run<T>(TransactionMode::read_write, [&](Transaction& tx, Pending& pending) -> Result<T> {
    auto situation = enter(tx, actor, command, action);
    if (!situation) return situation.refusal();
    const std::optional<CustomerRecord> before = settle(tx, pending, *situation, customer);
    Result<rules::Change> change = decide(tx, *situation, before);
    if (!change) return change.refusal();
    apply(tx, pending, *situation, customer, *before, *change);
    return result(*change);
  });
}

template <class Event, class MakeEvent>
void PublicPool::Engine::emit_later(Pending& pending, Signal<Event> PoolEvents::*signal,
                                    MakeEvent&& make_event) {
  static_assert(std::is_invocable_r_v<Event, MakeEvent>, "make_event must build the event");
  const Signal<Event>& target = events.*signal;
  // A slot connected after this check and before the commit is published has
  // connected after the change, as far as it can tell: it is not owed the event.
  if (!detail::SignalAccess::has_slots(target)) return;
  pending.emplace_back(&target, std::forward<MakeEvent>(make_event));
}

template <class Event>
Event PublicPool::Engine::customer_event(const rules::Situation& situation, const CustomerId& id,
                                         const CustomerRecord& before,
                                         const CustomerRecord& after) const {
  Event event{};
  event.pool = pool;
  event.actor = situation.actor;
  event.at = situation.now;
  event.customer = id;
  event.previous_holder = before.holder;
  event.holder = after.holder;
  event.deadline = after.deadline;
  if (after.state == CustomerState::held) event.deadline_reason = after.deadline_reason;
  return event;
}

}  // namespace highseas
