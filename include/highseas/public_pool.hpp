// PublicPool: the customer public pool (客户公海) of one pool id.
//
// The only place where rules are applied. Each command: check the arguments,
// open one storage transaction, check the actor's membership and RoleGuard
// permission, read, ask ClaimPolicy, write, commit, then emit events. A refused
// command (Result holding a Refusal) changed nothing and emitted nothing.
// Storage failures throw StorageError and also change nothing; transient
// conflicts are retried here, so callers never see them.
//
// Thread-safety: safe to call from many threads at once. With a shared
// PostgreSQL storage many processes may run the same pool. Events are emitted
// after commit, in commit order, with no internal lock held, so a slot may call
// back into the pool (its own events are emitted after the slot returns).
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "highseas/claim_policy.hpp"
#include "highseas/clock.hpp"
#include "highseas/customer.hpp"
#include "highseas/detail/event_sequencer.hpp"
#include "highseas/events.hpp"
#include "highseas/ids.hpp"
#include "highseas/result.hpp"
#include "highseas/role_guard.hpp"
#include "highseas/storage.hpp"
#include "highseas/views.hpp"

namespace highseas {

class PublicPool {
 public:
  // A pool over `storage`, reading time from `clock`. Both must outlive the
  // pool. Does not touch storage: call create() once for a new pool.
  PublicPool(PoolId pool, Storage& storage, const Clock& clock,
             RoleGuard guard = RoleGuard::standard());
  PublicPool(const PublicPool&) = delete;
  PublicPool& operator=(const PublicPool&) = delete;

  // Returns the pool's id.
  const PoolId& id() const noexcept { return pool_; }
  // Returns the signals this pool emits; connect slots here.
  PoolEvents& events() noexcept { return events_; }

  // --- Setting up (boss) ---
  // Creates the pool, switched on, with `first_boss` as its only member.
  // Refuses pool_exists if it was created before.
  Result<Done> create(const UserId& first_boss, const ClaimPolicy& policy = {});
  // Adds `user` with `role`, or changes their role. The pool always keeps one boss.
  Result<Done> set_member(const UserId& actor, const UserId& user, Role role);
  // Removes `user`; their holdings return to the pool at once.
  Result<Done> remove_member(const UserId& actor, const UserId& user);
  // Switches the pool on or off. Off pauses every countdown; on resumes each
  // holding with the time it had left.
  Result<Done> set_enabled(const UserId& actor, bool enabled);
  // Replaces the pool's policy (see claim_policy.hpp for what a change means).
  Result<Done> set_policy(const UserId& actor, const ClaimPolicy& policy);

  // --- Filling and emptying the pool (admin) ---
  // Adds new pool customers. Every row is checked first; invalid rows and rows
  // colliding with known customers (by id or normalised name) are reported and
  // not added. With all_or_nothing, one bad row means nothing is added.
  Result<ImportReport> import_customers(const UserId& actor, std::span<const CustomerProfile> batch,
                                        ImportMode mode = ImportMode::keep_valid);
  // Makes a regular customer (known or new to the pool) an available pool customer;
  // a new one whose normalised name the pool already knows is refused (撞单).
  Result<Done> move_into_pool(const UserId& actor, const CustomerProfile& customer);
  // Makes a pool customer regular; a holder keeps it as their own customer.
  Result<Done> move_out_of_pool(const UserId& actor, const CustomerId& customer);

  // --- Holding customers ---
  // Takes an available customer for the actor; returns the new holding.
  Result<Holding> claim(const UserId& actor, const CustomerId& customer);
  // Gives an available customer to member `to`, within their cap.
  Result<Holding> assign(const UserId& actor, const CustomerId& customer, const UserId& to);
  // Gives a holding back to the pool; the holder may not take it again during
  // the reclaim cooldown.
  Result<Done> release(const UserId& actor, const CustomerId& customer);
  // Pushes a holding's deadline back by one extension; returns the holding.
  Result<Holding> extend(const UserId& actor, const CustomerId& customer);
  // Logs a follow-up (跟单) by the holder.
  Result<Done> follow_up(const UserId& actor, const CustomerId& customer, std::string_view note);
  // Records a signed contract or a received payment before the deadline: the
  // customer leaves the pool as the holder's regular customer.
  Result<Done> record_win(const UserId& actor, const CustomerId& customer, WinKind kind);

  // --- The system ---
  // Returns every holding whose deadline has passed to the pool, earliest
  // deadline first, in atomic batches. Does nothing while the pool is off.
  Result<SweepReport> sweep();

  // --- Queries (any member) ---
  // Returns the pool's settings.
  Result<PoolInfo> info(const UserId& actor);
  // Returns every member, ordered by user id.
  Result<std::vector<Member>> members(const UserId& actor);
  // Returns one customer as the pool sees it.
  Result<CustomerView> customer(const UserId& actor, const CustomerId& customer);
  // Returns what `user` holds, earliest deadline first.
  Result<std::vector<CustomerView>> holdings(const UserId& actor, const UserId& user);
  // Returns one page of available customers matching the query, by id.
  // REQUIRES: 1 <= query.limit <= 1000, else invalid_argument.
  Result<AvailablePage> available(const UserId& actor, const AvailableQuery& query);
  // Returns the customer's history, oldest first.
  Result<std::vector<HistoryEntry>> history(const UserId& actor, const CustomerId& customer);

  // The most rows one sweep batch returns; each batch commits on its own.
  static constexpr std::size_t kSweepBatch = 512;
  // The most holdings one page of available() returns.
  static constexpr std::size_t kMaxPage = 1000;

 private:
  struct Context;
  using Pending = detail::EventSequencer::Batch;

  template <class T, class Body>
  Result<T> run(TransactionMode mode, Body&& body);
  Result<Context> enter(Transaction& tx, const UserId& actor, std::optional<Action> action,
                        Time now) const;
  CustomerView view_of(const CustomerProfile& profile, const CustomerRecord& record,
                       const Context& context) const;
  template <class Event>
  Event customer_event(const Context& context, const CustomerId& customer,
                       const CustomerRecord& before, const CustomerRecord& after) const;
  template <class Event, class MakeEvent>
  void emit_later(Pending& pending, PoolEvents::Signal<Event> PoolEvents::*signal,
                  MakeEvent&& make_event);
  Result<Holding> take(const UserId& actor, const CustomerId& customer, const UserId& taker,
                       Action action);

  PoolId pool_;
  Storage* storage_;
  const Clock* clock_;
  RoleGuard guard_;
  PoolEvents events_;
  detail::EventSequencer sequencer_;
};

}  // namespace highseas

#include "highseas/detail/public_pool_impl.hpp"  // IWYU pragma: export
